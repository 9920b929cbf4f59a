// BYTE_STREAM_SPLIT (Parquet encoding 9) for FLOAT, DOUBLE, INT32, INT64 and
// FIXED_LEN_BYTE_ARRAY: for values of K bytes, K streams of N bytes each, stream k holding
// byte k of every value, the streams one after the other. There is no header: the data is
// exactly K * N bytes, and N follows from the data's size.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <type_traits>

#include "base/result.h"
#include "strata/status.h"

namespace strata::parquet {

// Appends the encoding of n values of width bytes each, stored back to back at values (for
// numbers: their little-endian memory image).
void ByteStreamSplitEncode(const uint8_t* values, size_t n, size_t width, std::string* dst);

template <typename T>
requires std::is_arithmetic_v<T>
void ByteStreamSplitEncode(const T* values, size_t n, std::string* dst) {
  ByteStreamSplitEncode(reinterpret_cast<const uint8_t*>(values), n, sizeof(T), dst);
}

// Decodes data[0, size), which must stay alive and unchanged while in use, in batches.
// Allocates nothing.
class ByteStreamSplitDecoder {
 public:
  // InvalidArgument for width 0; Corruption if size is not a multiple of width.
  Status Init(const uint8_t* data, size_t size, size_t width);

  size_t num_values() const { return num_values_; }
  size_t values_left() const { return num_values_ - pos_; }

  // Writes up to n values, width bytes each, back to back at out; returns how many, fewer
  // than n only when the values are used up.
  Result<size_t> GetBatch(uint8_t* out, size_t n);

  // The same for numbers: InvalidArgument unless sizeof(T) is the width given to Init.
  template <typename T>
  requires std::is_arithmetic_v<T> Result<size_t> GetBatch(T* out, size_t n) {
    if (sizeof(T) != width_) return WidthMismatch(sizeof(T));
    return GetBatch(reinterpret_cast<uint8_t*>(out), n);
  }

 private:
  Status WidthMismatch(size_t type_width) const;

  const uint8_t* data_ = nullptr;
  size_t width_ = 0;
  size_t num_values_ = 0;  // also the length of each stream
  size_t pos_ = 0;         // values produced so far
};

}  // namespace strata::parquet
