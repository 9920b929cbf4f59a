// Codec: page compression for the codecs Parquet defines and Strata supports: UNCOMPRESSED,
// SNAPPY, GZIP, ZSTD and LZ4_RAW (the LZ4 block format), each a thin layer over the codec
// module's raw formats. The deprecated LZ4 codec id (5, Hadoop framing) is never written;
// reading it is refused with NotSupported.
//
// A Codec keeps the compression context it needs (zstd's), so a column writer makes one and
// reuses it for every page. Not safe for concurrent use.
#pragma once

#include <cstddef>
#include <cstdint>

#include "base/result.h"
#include "codec/zstd_codec.h"
#include "parquet/column_batch.h"
#include "parquet/metadata.h"

namespace strata::parquet {

// True for the codecs Codec::Make accepts: the ones Strata reads and writes.
bool CodecSupported(CompressionCodec codec);

class Codec {
 public:
  // UNCOMPRESSED.
  Codec() = default;

  // level: zstd's level (1..22, default 3), gzip's (1..9, default 6); ignored by the others.
  // NotSupported for LZO, BROTLI, the deprecated LZ4 and unknown ids.
  static Result<Codec> Make(CompressionCodec codec, int level = 0);

  CompressionCodec id() const { return id_; }
  // Appends the compressed form of [in, in + n) to *out.
  Status Compress(const uint8_t* in, size_t n, Buffer* out);
  // Decompresses into exactly out_size bytes at out; Corruption if the input is damaged or
  // does not decompress to exactly out_size bytes.
  Status Decompress(const uint8_t* in, size_t n, uint8_t* out, size_t out_size) const;

 private:
  Codec(CompressionCodec id, int level) : id_(id), level_(level), zstd_(level) {}
  // The most bytes CompressInto writes for n input bytes.
  size_t MaxCompressedSize(size_t n) const;
  Status CompressInto(const Slice& in, char* out, size_t capacity, size_t* written);

  CompressionCodec id_ = CompressionCodec::kUncompressed;
  int level_ = 0;               // GZIP's and ZSTD's, validated by Make
  codec::ZstdCompressor zstd_;  // ZSTD only; makes its context on first use
};

}  // namespace strata::parquet
