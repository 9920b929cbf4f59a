#include "parquet/column_batch.h"

#include <algorithm>
#include <cassert>

namespace strata::parquet {

void Buffer::Grow(size_t n) {
  // Doubling keeps appends amortized O(1); 64 bytes avoids many tiny reallocations.
  const size_t capacity = std::max({n, capacity_ * 2, size_t{64}});
  auto fresh = std::make_unique_for_overwrite<uint8_t[]>(capacity);
  if (size_ > 0) std::memcpy(fresh.get(), data_.get(), size_);
  data_ = std::move(fresh);
  capacity_ = capacity;
}

ColumnVector::ColumnVector(Type physical, int32_t type_length)
    : physical_(physical), type_length_(type_length) {
  if (physical_ == Type::kByteArray) {
    const uint64_t zero = 0;
    offsets_.Append(&zero, sizeof(zero));
  }
}

void ColumnVector::MaterializeValidity() {
  // Every row so far was present.
  validity_.resize(size_);
  std::memset(validity_.data(), 1, size_);
}

void ColumnVector::AppendNull() {
  if (validity_.empty() && size_ > 0) MaterializeValidity();
  if (physical_ == Type::kByteArray) {
    const uint64_t end = bytes_.size();
    offsets_.Append(&end, sizeof(end));
  } else {
    const size_t width = FixedWidth(physical_, type_length_);
    std::memset(values_.Extend(width), 0, width);
  }
  *validity_.Extend(1) = 0;
  null_count_++;
  size_++;
}

void ColumnVector::AppendBytes(std::string_view v) {
  if (physical_ == Type::kByteArray) {
    bytes_.Append(v.data(), v.size());
    const uint64_t end = bytes_.size();
    offsets_.Append(&end, sizeof(end));
  } else {
    assert(physical_ == Type::kFixedLenByteArray &&
           v.size() == FixedWidth(physical_, type_length_));
    values_.Append(v.data(), v.size());
  }
  if (!validity_.empty()) *validity_.Extend(1) = 1;
  size_++;
}

uint8_t* ColumnVector::ExtendFixed(size_t n) {
  uint8_t* p = values_.Extend(n * FixedWidth(physical_, type_length_));
  if (!validity_.empty()) std::memset(validity_.Extend(n), 1, n);
  size_ += n;
  return p;
}

namespace {

// Copies n bytes; short values (most keys and identifiers) with two overlapping fixed-size
// moves instead of a call to memcpy, never touching a byte outside either range.
inline void CopyBytes(uint8_t* dst, const char* src, size_t n) {
  if (n >= 8 && n <= 16) {
    uint64_t a, b;
    std::memcpy(&a, src, 8);
    std::memcpy(&b, src + n - 8, 8);
    std::memcpy(dst, &a, 8);
    std::memcpy(dst + n - 8, &b, 8);
  } else if (n >= 4 && n < 8) {
    uint32_t a, b;
    std::memcpy(&a, src, 4);
    std::memcpy(&b, src + n - 4, 4);
    std::memcpy(dst, &a, 4);
    std::memcpy(dst + n - 4, &b, 4);
  } else if (n > 0) {
    std::memcpy(dst, src, n);
  }
}

}  // namespace

void ColumnVector::AppendByteArrays(const std::string_view* values, size_t n) {
  size_t total = 0;
  for (size_t i = 0; i < n; i++) total += values[i].size();
  uint8_t* dst = bytes_.Extend(total);
  auto* off = reinterpret_cast<uint64_t*>(offsets_.Extend(n * sizeof(uint64_t)));
  uint64_t end = bytes_.size() - total;
  for (size_t i = 0; i < n; i++) {
    CopyBytes(dst, values[i].data(), values[i].size());
    dst += values[i].size();
    end += values[i].size();
    off[i] = end;
  }
  if (!validity_.empty()) std::memset(validity_.Extend(n), 1, n);
  size_ += n;
}

void ColumnVector::SetValidity(const uint8_t* valid, size_t n) {
  assert(n <= size_);
  size_t nulls = 0;
  for (size_t i = 0; i < n; i++) nulls += valid[i] == 0;
  if (nulls == 0) return;  // rows were added as present
  if (validity_.empty()) MaterializeValidity();
  std::memcpy(validity_.data() + (size_ - n), valid, n);
  null_count_ += nulls;
}

void ColumnVector::Reserve(size_t rows, size_t bytes) {
  if (physical_ == Type::kByteArray) {
    offsets_.reserve((rows + 1) * sizeof(uint64_t));
    bytes_.reserve(bytes);
  } else {
    values_.reserve(rows * FixedWidth(physical_, type_length_));
  }
}

void ColumnVector::Clear() {
  size_ = 0;
  null_count_ = 0;
  values_.clear();
  bytes_.clear();
  validity_.clear();
  offsets_.clear();
  if (physical_ == Type::kByteArray) {
    const uint64_t zero = 0;
    offsets_.Append(&zero, sizeof(zero));
  }
}

ColumnBatch::ColumnBatch(Schema schema) : schema_(std::move(schema)) {
  columns_.reserve(schema_.num_columns());
  for (const ColumnSpec& c : schema_.columns()) columns_.emplace_back(c.physical, c.type_length);
}

Status ColumnBatch::Validate() const {
  const size_t rows = num_rows();
  for (size_t i = 0; i < columns_.size(); i++) {
    const ColumnSpec& spec = schema_.column(i);
    if (columns_[i].size() != rows) {
      return Status::InvalidArgument(
          "column " + spec.name, "has " + std::to_string(columns_[i].size()) +
                                     " rows where the first column has " + std::to_string(rows));
    }
    if (!spec.optional && columns_[i].has_nulls()) {
      return Status::InvalidArgument("column " + spec.name, "is REQUIRED but holds a null");
    }
    if (columns_[i].physical() != spec.physical) {
      return Status::InvalidArgument("column " + spec.name,
                                     "vector's physical type differs from the schema's");
    }
  }
  return Status::OK();
}

void ColumnBatch::Clear() {
  for (ColumnVector& c : columns_) c.Clear();
}

size_t ColumnBatch::MemoryBytes() const {
  size_t n = 0;
  for (const ColumnVector& c : columns_) n += c.MemoryBytes();
  return n;
}

}  // namespace strata::parquet
