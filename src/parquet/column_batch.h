// ColumnBatch: a batch of rows held column by column, the unit the Parquet writer takes and
// the reader returns (and, later, what tables and SQL exchange).
//
// Each ColumnVector stores one column's values in its physical representation, contiguous,
// so encoders and decoders work on arrays rather than on values one at a time:
//  - BOOLEAN: one byte per row, 0 or 1;
//  - INT32, INT64, FLOAT, DOUBLE: the native values (Parquet's logical types are views of
//    these: an unsigned 16-bit column holds int32 values 0..65535, a uint64 column holds the
//    bit pattern in int64, a timestamp holds its count of units);
//  - BYTE_ARRAY: all values back to back in one byte buffer, with size()+1 offsets;
//  - FIXED_LEN_BYTE_ARRAY: all values back to back, type_length bytes each.
// Validity is one byte per row (1 = present) and exists only once a null was appended; a
// null row still occupies a slot (a zero value, or an empty byte string), so row i is at
// index i in every column.
#pragma once

#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "parquet/schema.h"
#include "strata/status.h"

namespace strata::parquet {

// A growable byte buffer whose new bytes are left uninitialized: decoders and encoders fill
// them at once, so zeroing would only cost memory bandwidth.
class Buffer {
 public:
  Buffer() = default;
  Buffer(Buffer&&) noexcept = default;
  Buffer& operator=(Buffer&&) noexcept = default;
  Buffer(const Buffer& other) { Append(other.data(), other.size()); }
  Buffer& operator=(const Buffer& other) {
    if (this != &other) {
      clear();
      Append(other.data(), other.size());
    }
    return *this;
  }

  uint8_t* data() { return data_.get(); }
  const uint8_t* data() const { return data_.get(); }
  size_t size() const { return size_; }
  size_t capacity() const { return capacity_; }
  bool empty() const { return size_ == 0; }

  void clear() { size_ = 0; }
  void reserve(size_t n) {
    if (n > capacity_) Grow(n);
  }
  // Bytes beyond the old size are uninitialized.
  void resize(size_t n) {
    reserve(n);
    size_ = n;
  }
  // Makes room for n more bytes and returns where they start; the caller fills them.
  uint8_t* Extend(size_t n) {
    reserve(size_ + n);
    uint8_t* p = data_.get() + size_;
    size_ += n;
    return p;
  }
  void Append(const void* p, size_t n) {
    if (n == 0) return;
    std::memcpy(Extend(n), p, n);
  }

 private:
  void Grow(size_t n);

  std::unique_ptr<uint8_t[]> data_;
  size_t size_ = 0;
  size_t capacity_ = 0;
};

// An array of trivially copyable T whose contents are not initialized on growth: scratch
// space decoders fill before reading (T must be an implicit-lifetime type, as string_view and
// the integer types are, so the bytes become objects once written).
template <typename T>
class ScratchArray {
  static_assert(std::is_trivially_copyable_v<T> && std::is_trivially_destructible_v<T>);

 public:
  // Makes the array n elements long and returns it; the elements' values are unspecified.
  T* Resize(size_t n) {
    buffer_.resize(n * sizeof(T));
    return data();
  }
  T* data() { return reinterpret_cast<T*>(buffer_.data()); }
  size_t size() const { return buffer_.size() / sizeof(T); }
  T& operator[](size_t i) { return data()[i]; }

 private:
  Buffer buffer_;
};

class ColumnVector {
 public:
  explicit ColumnVector(Type physical = Type::kInt64, int32_t type_length = 0);

  Type physical() const { return physical_; }
  int32_t type_length() const { return type_length_; }
  size_t size() const { return size_; }

  // --- Validity.
  size_t null_count() const { return null_count_; }
  bool has_nulls() const { return null_count_ > 0; }
  bool IsValid(size_t i) const { return validity_.empty() || validity_.data()[i] != 0; }
  // One byte per row (1 = present), or nullptr when no row is null.
  const uint8_t* validity() const { return has_nulls() ? validity_.data() : nullptr; }

  // --- Appending, one row at a time. The value type must match physical().
  void AppendNull();
  void AppendBool(bool v) { AppendFixed<uint8_t>(v ? 1 : 0); }
  void AppendInt32(int32_t v) { AppendFixed(v); }
  void AppendInt64(int64_t v) { AppendFixed(v); }
  void AppendFloat(float v) { AppendFixed(v); }
  void AppendDouble(double v) { AppendFixed(v); }
  // BYTE_ARRAY, or FIXED_LEN_BYTE_ARRAY (v must then be type_length() bytes).
  void AppendBytes(std::string_view v);

  // --- Reading.
  // Fixed-width values (BOOLEAN as uint8_t).
  template <typename T>
  const T* data() const {
    return reinterpret_cast<const T*>(values_.data());
  }
  template <typename T>
  T Value(size_t i) const {
    T v;
    std::memcpy(&v, values_.data() + i * sizeof(T), sizeof(T));
    return v;
  }
  // BYTE_ARRAY or FIXED_LEN_BYTE_ARRAY value i (empty for a null BYTE_ARRAY row).
  std::string_view Bytes(size_t i) const {
    if (physical_ == Type::kFixedLenByteArray) {
      return {reinterpret_cast<const char*>(values_.data()) + i * type_length_,
              static_cast<size_t>(type_length_)};
    }
    const uint64_t* off = offsets();
    return {reinterpret_cast<const char*>(bytes_.data()) + off[i],
            static_cast<size_t>(off[i + 1] - off[i])};
  }
  // BYTE_ARRAY: size()+1 offsets into bytes_data().
  const uint64_t* offsets() const { return reinterpret_cast<const uint64_t*>(offsets_.data()); }
  const uint8_t* bytes_data() const { return bytes_.data(); }
  size_t bytes_size() const { return bytes_.size(); }

  // --- Bulk filling, for decoders: grow by n rows and fill the new slots directly.
  // Fixed width: returns the first new value slot (uninitialized).
  uint8_t* ExtendFixed(size_t n);
  // BYTE_ARRAY: appends the offsets and bytes of n values given as views.
  void AppendByteArrays(const std::string_view* values, size_t n);
  // Marks rows [size() - n, size()) valid or not from one byte per row; call after the
  // values of those rows were added.
  void SetValidity(const uint8_t* valid, size_t n);

  void Reserve(size_t rows, size_t bytes = 0);
  void Clear();

  // Bytes this vector holds (values, offsets, validity): for row-group sizing.
  size_t MemoryBytes() const {
    return values_.size() + offsets_.size() + bytes_.size() + validity_.size();
  }

 private:
  template <typename T>
  void AppendFixed(T v) {
    std::memcpy(values_.Extend(sizeof(T)), &v, sizeof(T));
    if (!validity_.empty()) *validity_.Extend(1) = 1;
    size_++;
  }
  void MaterializeValidity();

  Type physical_;
  int32_t type_length_;
  size_t size_ = 0;
  size_t null_count_ = 0;
  Buffer values_;    // fixed-width values
  Buffer offsets_;   // BYTE_ARRAY: uint64 offsets, size_ + 1 of them
  Buffer bytes_;     // BYTE_ARRAY: the values' bytes
  Buffer validity_;  // empty until the first null
};

class ColumnBatch {
 public:
  ColumnBatch() = default;
  // One empty vector per column of schema.
  explicit ColumnBatch(Schema schema);

  const Schema& schema() const { return schema_; }
  size_t num_columns() const { return columns_.size(); }
  // Rows in the batch: the length of the first column (0 without columns).
  size_t num_rows() const { return columns_.empty() ? 0 : columns_[0].size(); }

  ColumnVector& column(size_t i) { return columns_[i]; }
  const ColumnVector& column(size_t i) const { return columns_[i]; }

  // InvalidArgument naming the column if the columns differ in length or a REQUIRED column
  // holds a null.
  Status Validate() const;
  void Clear();
  size_t MemoryBytes() const;

 private:
  Schema schema_;
  std::vector<ColumnVector> columns_;
};

}  // namespace strata::parquet
