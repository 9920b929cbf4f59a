// Block compression: the codecs a table may use and the payload they store.
//
// A compressed payload is varint32(uncompressed size) followed by the codec's own bytes (the
// codec module's raw formats: snappy raw, a zstd frame, an lz4 block). The size prefix lets a
// reader refuse an oversized block before it allocates anything, whatever the codec, and
// check afterwards that the codec produced exactly that many bytes.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>

#include "base/enum_names.h"
#include "sst/block_buffer.h"
#include "strata/slice.h"
#include "strata/status.h"

namespace strata::sst {

// Stored in every block trailer: the numbers are part of the file format.
enum class CompressionType : uint8_t { kNone = 0, kSnappy = 1, kZstd = 2, kLz4 = 3 };
constexpr uint8_t kMaxCompressionType = 3;

// The names a table's properties record (strata.compression) and db_bench's
// --compression_type takes.
constexpr auto EnumNameTable(CompressionType) {
  return std::to_array<EnumNameEntry<CompressionType>>({
      {CompressionType::kNone, "none"},
      {CompressionType::kSnappy, "snappy"},
      {CompressionType::kZstd, "zstd"},
      {CompressionType::kLz4, "lz4"},
  });
}

// True if byte is the number of a known codec.
bool IsKnownCompressionType(uint8_t byte);

// Replaces *out with the payload for `in`. kNone stores `in` as it is (no size prefix).
// level matters to zstd only (0 = the codec's default). InvalidArgument if `in` is 4 GiB or
// more (the size prefix is 32 bits), or too large for lz4; never fails otherwise.
Status Compress(CompressionType type, const Slice& in, int level, std::string* out);

// Replaces *out with the bytes `in` was made from. Corruption (naming the codec) if the
// payload is malformed, declares more than max_output bytes, or decodes to a size other than
// the one declared. Allocates at most max_output bytes.
Status Uncompress(CompressionType type, const Slice& in, size_t max_output, std::string* out);
// The same into a new uninitialized buffer of *out_size bytes (no zero-fill first).
Status Uncompress(CompressionType type, const Slice& in, size_t max_output, BlockBuffer* out,
                  size_t* out_size);

}  // namespace strata::sst
