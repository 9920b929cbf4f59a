// DELTA_BINARY_PACKED (Parquet encoding 5) for INT32 and INT64.
//
//   header:  <block size> <miniblocks per block> <total value count> <first value>
//   block:   <min delta> <one bit-width byte per miniblock> <miniblocks>
//
// Block size, miniblock count and value count are ULEB128, the first value and min delta
// zigzag ULEB128. The block size is a multiple of 128 and the values per miniblock
// (block size / miniblocks) a multiple of 32. Each block holds the next block-size deltas
// between consecutive values, less the block's minimum delta, bit-packed miniblock by
// miniblock at the miniblock's width. A partly filled miniblock is padded to its full size;
// miniblocks after the last needed one have a width byte (whose value is meaningless) but no
// data. Arithmetic wraps in the width of the type, so INT32 deltas never need more than
// 32 bits and any two int64 values have a representable delta. Some writers (DuckDB's with
// PARQUET_VERSION V2) compute INT32 deltas in 64 bits and pack them at up to 33 bits; the
// format asks readers to accept that (PARQUET-2435), so the decoder takes INT32 miniblock
// widths up to 64 and keeps the low 32 bits, which is all the wrapping sum needs. For the
// same reason an INT32 first value may be given as an int32 or as a uint32.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <type_traits>

#include "base/result.h"
#include "strata/status.h"

namespace strata::parquet {

constexpr uint32_t kDeltaDefaultBlockSize = 128;
constexpr uint32_t kDeltaDefaultMiniblocks = 4;
// The format allows any multiple of 128; anything larger than this is rejected as damage
// (a page holds at most 2^31 - 1 values, so a larger block cannot be useful).
constexpr uint64_t kDeltaMaxBlockSize = uint64_t{1} << 31;

struct DeltaBinaryPackedOptions {
  uint32_t block_size = kDeltaDefaultBlockSize;
  uint32_t miniblocks_per_block = kDeltaDefaultMiniblocks;
};

// Appends the encoding of values[0, n) to *dst. InvalidArgument (with *dst unchanged) if the
// options break the format's rules.
Status DeltaBinaryPackedEncode(const int32_t* values, size_t n, std::string* dst,
                               const DeltaBinaryPackedOptions& options = {});
Status DeltaBinaryPackedEncode(const int64_t* values, size_t n, std::string* dst,
                               const DeltaBinaryPackedOptions& options = {});

// Decodes a DELTA_BINARY_PACKED stream from data[0, size), which must stay alive and
// unchanged while in use. T is int32_t or int64_t.
//
// Init parses the header and walks the block headers to find where the stream ends (without
// decoding values), checking every block that the value count needs: varints, miniblock
// widths of the needed miniblocks (at most 64 bits, for INT32 too) and the bytes of
// every needed miniblock. The walk costs a few operations per miniblock and is bounded by the
// bytes present, whatever the header claims. The decoder allocates nothing.
template <typename T>
class DeltaBinaryPackedDecoder {
  static_assert(std::is_same_v<T, int32_t> || std::is_same_v<T, int64_t>);

 public:
  DeltaBinaryPackedDecoder() = default;

  // Corruption (naming the byte offset) on a malformed header or a stream that does not fit.
  Status Init(const uint8_t* data, size_t size);

  // The value count from the header. Untrusted beyond what Init checked: the blocks for it
  // are present, but a stream of width-0 miniblocks encodes many values in few bytes.
  uint64_t total_values() const { return total_values_; }
  uint64_t values_left() const { return values_left_; }
  // Bytes the stream occupies from the start of data: where whatever follows it begins.
  size_t encoded_size() const { return encoded_size_; }

  // Decodes up to n values into out[0, n) and returns how many were produced: fewer than n
  // only when the stream's values are used up.
  Result<size_t> GetBatch(T* out, size_t n);

 private:
  using U = std::make_unsigned_t<T>;
  static constexpr int kMaxWidth = 64;  // for INT32 too: see the top of this file
  static constexpr int kGroup = 32;     // miniblocks hold a multiple of 32 values

  // Positions pos_ at the next miniblock, reading a block header first if the block is done.
  Status NextMiniblock();
  Status Corrupt(size_t offset, const std::string& what) const;

  const uint8_t* data_ = nullptr;
  size_t size_ = 0;
  size_t encoded_size_ = 0;
  uint64_t miniblocks_ = 0;
  uint64_t miniblock_values_ = 0;
  uint64_t total_values_ = 0;
  uint64_t values_left_ = 0;  // including the first value while first_pending_

  size_t pos_ = 0;  // next unread byte: a block header or the next packed group
  bool first_pending_ = false;
  U last_ = 0;  // the last value produced
  U min_delta_ = 0;
  size_t widths_at_ = 0;          // offset of the current block's width bytes
  uint64_t miniblock_index_ = 0;  // next miniblock of the current block
  uint64_t miniblock_left_ = 0;   // values still packed at pos_ in the current miniblock
  int width_ = 0;                 // of the current miniblock
  // A group unpacked for a request that ended inside it (deltas less the min delta).
  U group_[kGroup] = {};
  int group_pos_ = 0;
  int group_size_ = 0;
};

extern template class DeltaBinaryPackedDecoder<int32_t>;
extern template class DeltaBinaryPackedDecoder<int64_t>;

}  // namespace strata::parquet
