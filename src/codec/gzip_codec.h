// gzip members (RFC 1952), as Parquet's GZIP pages store them. Its own file, and zlib its
// only user: a program that never calls these functions links no zlib code.
#pragma once

#include <cstddef>

#include "base/result.h"
#include "strata/slice.h"
#include "strata/status.h"

namespace strata::codec {

// zlib's levels: 1 (fastest) to 9 (smallest); 6 is its default.
inline constexpr int kGzipMinLevel = 1;
inline constexpr int kGzipMaxLevel = 9;
inline constexpr int kGzipDefaultLevel = 6;

// The most bytes GzipCompress writes for n input bytes.
size_t GzipMaxCompressedSize(size_t n);

// Compresses `in` at `level` (kGzipMinLevel..kGzipMaxLevel) into out[0, capacity) as one
// gzip member, and sets *written to the bytes written. InvalidArgument, with nothing written, for
// another level, an input over 4 GiB, or a capacity below the bound.
Status GzipCompress(int level, const Slice& in, char* out, size_t capacity, size_t* written);

// Decompresses `in` into exactly out_size bytes at out. Takes a gzip or a zlib header, and
// gzip members back to back decode in turn. Corruption naming gzip if the data is damaged,
// truncated, or decodes to any other number of bytes; never writes past out + out_size.
Status GzipDecompress(const Slice& in, char* out, size_t out_size);

}  // namespace strata::codec
