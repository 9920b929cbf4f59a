// The delta encodings of byte arrays:
//
// DELTA_LENGTH_BYTE_ARRAY (Parquet encoding 6): the lengths of all values as one
// DELTA_BINARY_PACKED stream of INT32, then the values' bytes concatenated.
//
// DELTA_BYTE_ARRAY (Parquet encoding 7; BYTE_ARRAY and FIXED_LEN_BYTE_ARRAY): front coding.
// Value i is the first prefix[i] bytes of value i-1 followed by suffix i. Stored as the
// prefix lengths (DELTA_BINARY_PACKED), then the suffixes as DELTA_LENGTH_BYTE_ARRAY (their
// lengths as DELTA_BINARY_PACKED, then their bytes).
//
// Lengths are checked as they are decoded: never negative, a prefix never longer than the
// value before it, and no suffix or value running past the end of the data.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "base/arena.h"
#include "base/result.h"
#include "parquet/delta_binary_packed.h"
#include "strata/status.h"

namespace strata::parquet {

// Appends the encodings of values[0, n) to *dst. InvalidArgument (with *dst unchanged) if a
// value is longer than 2^31 - 1 bytes or the options are illegal.
Status DeltaLengthByteArrayEncode(const std::string_view* values, size_t n, std::string* dst,
                                  const DeltaBinaryPackedOptions& options = {});
Status DeltaByteArrayEncode(const std::string_view* values, size_t n, std::string* dst,
                            const DeltaBinaryPackedOptions& options = {});

// Decodes DELTA_LENGTH_BYTE_ARRAY from data[0, size), which must stay alive and unchanged
// while the decoder and the views it produced are in use. Allocates nothing.
class DeltaLengthByteArrayDecoder {
 public:
  // Corruption if the lengths' stream is malformed (see DeltaBinaryPackedDecoder::Init).
  Status Init(const uint8_t* data, size_t size);

  uint64_t total_values() const { return lengths_.total_values(); }
  uint64_t values_left() const { return lengths_.values_left(); }

  // Decodes up to n values as views into data; returns how many were produced, fewer than n
  // only when the values are used up. Corruption on a negative length or one that runs past
  // the end of the data.
  Result<size_t> GetBatch(std::string_view* out, size_t n);

 private:
  DeltaBinaryPackedDecoder<int32_t> lengths_;
  const uint8_t* data_ = nullptr;
  size_t size_ = 0;
  size_t pos_ = 0;  // offset of the next value's bytes
  uint64_t values_read_ = 0;
};

// Decodes DELTA_BYTE_ARRAY from data[0, size), which must stay alive and unchanged while in
// use. Values are rebuilt into memory taken from a caller's Arena (one allocation per up to
// kChunk values, never one per value); the views stay valid as long as that Arena lives. The
// decoder keeps its own copy of the last value, so the caller may use a fresh Arena for each
// batch. Besides that copy, which is never longer than the data, it allocates nothing.
//
// A few bytes of prefix lengths can describe many long values (each repeating the one
// before), so one call rebuilds at most max_batch_bytes of values (but always at least one
// value when any remain) and may return fewer than n before the values are used up; check
// values_left().
class DeltaByteArrayDecoder {
 public:
  static constexpr size_t kDefaultMaxBatchBytes = size_t{64} << 20;

  // Corruption if either length stream is malformed or their value counts differ.
  Status Init(const uint8_t* data, size_t size);

  void set_max_batch_bytes(size_t bytes) { max_batch_bytes_ = bytes; }
  uint64_t total_values() const { return prefixes_.total_values(); }
  uint64_t values_left() const { return values_left_; }

  // Decodes up to n values into out; returns how many were produced: 0 only when no values
  // remain. Corruption on a bad length.
  Result<size_t> GetBatch(std::string_view* out, size_t n, Arena* arena);

 private:
  static constexpr size_t kChunk = 256;

  // Refills prefix_ and suffix_ with the next lengths.
  Status Refill();
  Status Corrupt(uint64_t value, const std::string& what) const;

  DeltaBinaryPackedDecoder<int32_t> prefixes_;
  DeltaBinaryPackedDecoder<int32_t> suffixes_;
  const uint8_t* data_ = nullptr;
  size_t size_ = 0;
  size_t suffix_pos_ = 0;  // offset of the next suffix's bytes
  uint64_t values_read_ = 0;
  uint64_t values_left_ = 0;
  size_t max_batch_bytes_ = kDefaultMaxBatchBytes;
  std::string previous_;  // the last value produced
  // Lengths decoded but not yet used: [buffered_pos_, buffered_end_).
  int32_t prefix_[kChunk] = {};
  int32_t suffix_[kChunk] = {};
  size_t buffered_pos_ = 0;
  size_t buffered_end_ = 0;
};

}  // namespace strata::parquet
