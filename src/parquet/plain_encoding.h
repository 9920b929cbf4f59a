// PLAIN encoding (Parquet encoding 0), the one every physical type supports:
//   BOOLEAN               bit-packed, LSB first (bit i of the data is value i);
//   INT32, INT64          4 / 8 bytes little-endian;
//   FLOAT, DOUBLE         4 / 8 bytes IEEE 754 little-endian;
//   BYTE_ARRAY            a 4-byte little-endian length, then that many bytes;
//   FIXED_LEN_BYTE_ARRAY  the bytes of each value, all of the column's fixed length.
// Values follow each other with no padding; only the last byte of booleans has unused bits.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <type_traits>

#include "base/result.h"
#include "strata/status.h"

namespace strata::parquet {

// Longest BYTE_ARRAY value: Parquet lengths are signed 32-bit integers.
constexpr size_t kMaxByteArrayLength = 0x7fffffff;

// The fixed-width physical types PLAIN stores as their little-endian bytes.
template <typename T>
concept PlainFixedType = std::is_same_v<T, int32_t> || std::is_same_v<T, int64_t> ||
    std::is_same_v<T, float> || std::is_same_v<T, double>;

// Appends values[0, n) to *dst.
template <PlainFixedType T>
void PlainEncode(const T* values, size_t n, std::string* dst) {
  // The host is little-endian (base/coding.h checks), so the encoding is the memory image.
  dst->append(reinterpret_cast<const char*>(values), n * sizeof(T));
}

// Appends n booleans (any non-zero byte is true) packed 8 to a byte.
void PlainEncodeBooleans(const uint8_t* values, size_t n, std::string* dst);

// InvalidArgument (with *dst unchanged) if a value is longer than kMaxByteArrayLength.
Status PlainEncodeByteArrays(const std::string_view* values, size_t n, std::string* dst);

// InvalidArgument (with *dst unchanged) if a value's size is not width.
Status PlainEncodeFixedLenByteArrays(const std::string_view* values, size_t n, size_t width,
                                     std::string* dst);

// Decodes PLAIN values from data[0, size), which must stay alive and unchanged while the
// decoder and the views it produced are in use. Each call decodes exactly n values or fails
// with Corruption naming the byte offset, having produced nothing usable; nothing outside
// [data, data + size) is ever read. A page holds values of one type: do not mix booleans with
// other calls on one decoder.
class PlainDecoder {
 public:
  PlainDecoder() = default;
  PlainDecoder(const uint8_t* data, size_t size) : data_(data), size_(size) {}

  template <PlainFixedType T>
  Status Get(T* out, size_t n) {
    if (n > (size_ - pos_) / sizeof(T)) return Short(n, sizeof(T));
    if (n > 0) std::memcpy(out, data_ + pos_, n * sizeof(T));
    pos_ += n * sizeof(T);
    return Status::OK();
  }

  // out[i] is 0 or 1.
  Status GetBooleans(uint8_t* out, size_t n);

  // The views point into the data given to the constructor; no bytes are copied.
  Status GetByteArrays(std::string_view* out, size_t n);

  // width must be > 0 (InvalidArgument otherwise).
  Status GetFixedLenByteArrays(std::string_view* out, size_t n, size_t width);

  // Bytes consumed so far (booleans count a partly used byte as consumed).
  size_t position() const { return bit_offset_ == 0 ? pos_ : pos_ + 1; }
  size_t size() const { return size_; }

 private:
  Status Short(size_t n, size_t value_size) const;

  const uint8_t* data_ = nullptr;
  size_t size_ = 0;
  size_t pos_ = 0;      // next unread byte
  int bit_offset_ = 0;  // booleans: bits of data_[pos_] already consumed
};

}  // namespace strata::parquet
