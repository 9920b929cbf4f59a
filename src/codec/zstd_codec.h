// Zstandard frames, as SSTable zstd blocks and Parquet ZSTD pages store them.
//
// Contexts are reused, as the library advises: a ZstdCompressor keeps its compression context
// for every call after the first, and decompression uses one context per thread, shared by
// every caller on that thread (a reader merging hundreds of files would otherwise hold a
// context of about 100 KB per column of each).
#pragma once

#include <cstddef>
#include <memory>

#include "base/result.h"
#include "strata/slice.h"
#include "strata/status.h"

struct ZSTD_CCtx_s;

namespace strata::codec {

// zstd's own default level, what level 0 means.
inline constexpr int kZstdDefaultLevel = 3;
// The highest level this zstd accepts (22 for the libraries of the last years).
int ZstdMaxLevel();

// The most bytes a ZstdCompressor writes for n input bytes.
size_t ZstdMaxCompressedSize(size_t n);

// Compresses one frame per call. Not safe for concurrent use; one per writer.
class ZstdCompressor {
 public:
  // level as zstd takes it: 0 is kZstdDefaultLevel, 1..ZstdMaxLevel() trade speed for size,
  // and negative levels are faster still.
  explicit ZstdCompressor(int level = 0);
  ~ZstdCompressor();
  ZstdCompressor(ZstdCompressor&&) noexcept;
  ZstdCompressor& operator=(ZstdCompressor&&) noexcept;

  int level() const { return level_; }

  // Compresses `in` into out[0, capacity) as one frame, and sets *written to the bytes written.
  // InvalidArgument, with nothing written, if capacity is below ZstdMaxCompressedSize.
  Status Compress(const Slice& in, char* out, size_t capacity, size_t* written);

 private:
  struct FreeContext {
    void operator()(ZSTD_CCtx_s* context) const;
  };

  int level_;
  std::unique_ptr<ZSTD_CCtx_s, FreeContext> context_;  // made on first use
};

// Decompresses `in` (one frame or several back to back) into exactly out_size bytes at out.
// Corruption naming zstd if the data is damaged or decodes to any other number of bytes;
// never writes past out + out_size.
Status ZstdDecompress(const Slice& in, char* out, size_t out_size);

}  // namespace strata::codec
