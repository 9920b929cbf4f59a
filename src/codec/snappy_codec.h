// Snappy's raw format (no framing), as SSTable blocks and Parquet's SNAPPY pages store it. The
// format begins with the uncompressed length, which decompression checks against the caller's
// size before it writes anything.
#pragma once

#include <cstddef>

#include "base/result.h"
#include "strata/slice.h"
#include "strata/status.h"

namespace strata::codec {

// The most bytes SnappyCompress writes for n input bytes.
size_t SnappyMaxCompressedSize(size_t n);

// Compresses `in` into out[0, capacity) and sets *written to the bytes written. InvalidArgument,
// with nothing written, if capacity is below SnappyMaxCompressedSize(in.size()).
Status SnappyCompress(const Slice& in, char* out, size_t capacity, size_t* written);

// Decompresses `in` into exactly out_size bytes at out. Corruption naming snappy if the data
// is damaged or holds any other number of bytes; never writes past out + out_size.
Status SnappyDecompress(const Slice& in, char* out, size_t out_size);

}  // namespace strata::codec
