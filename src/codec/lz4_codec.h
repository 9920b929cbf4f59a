// LZ4's block format (no frame, no size header): the payload of an lz4 SSTable block and of a
// Parquet LZ4_RAW page. The caller knows the decompressed size from its own framing.
#pragma once

#include <cstddef>

#include "base/result.h"
#include "strata/slice.h"
#include "strata/status.h"

namespace strata::codec {

// The largest input LZ4 compresses (LZ4_MAX_INPUT_SIZE, just under 2 GiB).
inline constexpr size_t kLz4MaxInputSize = 0x7E000000;

// The most bytes Lz4Compress writes for n input bytes; 0 when n exceeds kLz4MaxInputSize.
size_t Lz4MaxCompressedSize(size_t n);

// Compresses `in` into out[0, capacity) and sets *written to the bytes written. InvalidArgument,
// with nothing written, if `in` is over kLz4MaxInputSize or capacity is below the bound.
Status Lz4Compress(const Slice& in, char* out, size_t capacity, size_t* written);

// Decompresses `in` into exactly out_size bytes at out. Corruption naming lz4 if the data is
// damaged, too large for LZ4's int sizes, or decodes to any other number of bytes; never
// writes past out + out_size.
Status Lz4Decompress(const Slice& in, char* out, size_t out_size);

}  // namespace strata::codec
