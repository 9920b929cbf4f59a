// The RLE / bit-packed hybrid encoding (Parquet encoding RLE = 3): repetition and definition
// levels, dictionary indices and (as an alternative to PLAIN) booleans.
//
// The encoded data is a sequence of runs, each introduced by a ULEB128 header h:
//   h & 1 == 0: an RLE run of h >> 1 copies of one value, stored in ceil(bit_width / 8)
//               little-endian bytes;
//   h & 1 == 1: a bit-packed run of (h >> 1) groups of 8 values, (h >> 1) * bit_width bytes
//               packed LSB first (bit_packing.h); the last group may be padded.
// Run lengths lie in [1, 2^31 - 1]. The bit width (0..32) is known from context: levels use
// the width of the maximum level, dictionary indices a width byte that precedes the runs.
// Data page v1 levels (and RLE booleans) prefix the runs with their size as 4 little-endian
// bytes; the other uses do not.
//
// The data does not say how many values it holds: the page header does, and the last group
// may hold padding. A decoder therefore produces what is asked until the runs end.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "base/result.h"
#include "strata/status.h"

namespace strata::parquet {

// Longest run the format allows: run lengths fit a signed 32-bit integer.
constexpr uint32_t kMaxRleRunLength = (uint32_t{1} << 31) - 1;
// Repeats shorter than this go into bit-packed groups; an RLE run of fewer values would
// rarely be smaller than the groups it replaces.
constexpr size_t kMinRleRunLength = 8;
// Size of the length prefix of the v1 data page form.
constexpr size_t kRleLengthPrefixSize = 4;

// Appends the runs that encode values[0, n) at bit_width to *dst, without a length prefix.
// Repeats of kMinRleRunLength or more become RLE runs, except that a bit-packed run before
// one is first completed to a multiple of 8 values from the repeat (and the repeat stays
// bit-packed if fewer than kMinRleRunLength values remain); everything else is bit-packed and
// the last group padded with zeros. InvalidArgument if bit_width is outside [0, 32] or a
// value does not fit in bit_width bits; *dst is then unchanged.
Status RleBitPackedEncode(const uint32_t* values, size_t n, int bit_width, std::string* dst);
Status RleBitPackedEncode(const uint8_t* values, size_t n, int bit_width, std::string* dst);

// As above, preceded by the 4-byte little-endian size of the runs (data page v1 levels).
Status RleBitPackedEncodeWithLength(const uint32_t* values, size_t n, int bit_width,
                                    std::string* dst);
Status RleBitPackedEncodeWithLength(const uint8_t* values, size_t n, int bit_width,
                                    std::string* dst);

// Reads the 4-byte length prefix at data and checks that the runs it announces fit in size.
// Returns their size; they start at data + kRleLengthPrefixSize.
Result<size_t> ParseRleLengthPrefix(const uint8_t* data, size_t size);

// Decodes runs in batches. Every run header is checked against the bytes that remain before
// any value of it is produced; nothing outside [data, data + size) is ever read. Error
// messages name the byte offset within that range; callers add the file and page.
//
// A bit-packed run whose header claims more groups than the remaining bytes hold is accepted
// as the final run, cut to the values whose bits are all present (a writer that does not pad
// its last group); values past that point are not produced, so a caller that needs them sees
// a short count. A run header claiming a run with no value present is Corruption.
class RleBitPackedDecoder {
 public:
  RleBitPackedDecoder() = default;

  // Starts decoding data[0, size), which must stay alive and unchanged while in use.
  // InvalidArgument if bit_width is outside [0, 32].
  Status Init(const uint8_t* data, size_t size, int bit_width);

  // For the dictionary indices of a data page: a byte holding the bit width, then the runs.
  // Corruption if the byte is missing or the width exceeds 32. Offsets in later errors count
  // from data (the width byte is offset 0).
  Status InitDictionaryIndices(const uint8_t* data, size_t size);

  // Decodes up to n values into out[0, n) and returns how many were produced: fewer than n
  // only when the runs end. Corruption on a malformed run header.
  Result<size_t> GetBatch(uint32_t* out, size_t n);

  // As GetBatch, for dictionary indices: Corruption if any produced index is
  // >= dictionary_size.
  Result<size_t> GetIndices(uint32_t* out, size_t n, uint32_t dictionary_size);

  // Repetition or definition levels as bytes (needs a bit width <= 8, else InvalidArgument):
  // Corruption if a level exceeds max_level. If num_at_max is not null, adds the number of
  // produced levels equal to max_level to it (for definition levels, the non-null values).
  // Width 1 (max level 1, the common nullable column) expands packed bytes through a table,
  // so out is directly a 0/1 validity vector.
  Result<size_t> GetLevels(uint8_t* out, size_t n, int max_level, size_t* num_at_max);

  // Skips up to n values without producing them; returns how many were skipped. RLE runs and
  // whole bit-packed groups are skipped without decoding.
  Result<size_t> Skip(size_t n);

  // Values produced or skipped so far.
  uint64_t values_read() const { return values_read_; }
  int bit_width() const { return bit_width_; }

 private:
  static constexpr int kGroupSize = 8;

  // Check (see the .cc) validates each stretch of values as it is produced.
  template <typename T, typename Check>
  Result<size_t> Decode(T* out, size_t n, Check* check);
  // Copies `count` values of the current bit-packed run, a multiple of 8, into out.
  template <typename T>
  void UnpackGroups(T* out, size_t count);
  // Unpacks the next group (fewer than 8 values if the run was cut short) into group_.
  void BufferGroup();
  // Called when the current run is used up: reads the next run header, or sets end_.
  Status NextRun();
  Status Corrupt(size_t offset, const std::string& what) const;

  const uint8_t* data_ = nullptr;
  // End of the runs; moved back to the end of the last whole value when a bit-packed run is
  // cut short, so that the run is the last.
  size_t size_ = 0;
  size_t pos_ = 0;     // next unread byte: a run header or the next packed group
  size_t run_at_ = 0;  // offset of the current run's header, for error messages
  int bit_width_ = 0;
  bool end_ = true;  // no runs remain
  uint64_t values_read_ = 0;

  uint32_t rle_left_ = 0;  // values left in the current RLE run
  uint32_t rle_value_ = 0;
  // Values left in the current bit-packed run that are still packed at pos_ (not in group_).
  uint32_t packed_left_ = 0;
  // A group unpacked for a request that ended inside it: group_[group_pos_, group_size_)
  // are the next values.
  uint32_t group_[kGroupSize] = {};
  int group_pos_ = 0;
  int group_size_ = 0;
};

}  // namespace strata::parquet
