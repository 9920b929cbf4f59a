// Codec: page compression for the codecs Parquet defines and Strata supports: UNCOMPRESSED,
// SNAPPY, GZIP, ZSTD and LZ4_RAW (the LZ4 block format). The deprecated LZ4 codec id (5,
// Hadoop framing) is never written; reading it is refused with NotSupported.
//
// A Codec object keeps the compression contexts it needs (zstd's), so a column writer or
// reader makes one and reuses it for every page. Not safe for concurrent use.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "base/result.h"
#include "parquet/column_batch.h"
#include "parquet/metadata.h"

namespace strata::parquet {

class Codec {
 public:
  virtual ~Codec() = default;

  // level: zstd's level (1..22, default 3), gzip's (1..9, default 6); ignored by the others.
  // NotSupported for LZO, BROTLI, the deprecated LZ4 and unknown ids.
  static Result<std::unique_ptr<Codec>> Make(CompressionCodec codec, int level = 0);

  virtual CompressionCodec id() const = 0;
  // Appends the compressed form of [in, in + n) to *out.
  virtual Status Compress(const uint8_t* in, size_t n, Buffer* out) = 0;
  // Decompresses into exactly out_size bytes at out; Corruption if the input is damaged or
  // does not decompress to exactly out_size bytes.
  virtual Status Decompress(const uint8_t* in, size_t n, uint8_t* out, size_t out_size) = 0;
};

// True for the codecs Codec::Make accepts: the ones Strata reads and writes.
bool CodecSupported(CompressionCodec codec);

}  // namespace strata::parquet
