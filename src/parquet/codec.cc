#include "parquet/codec.h"

#include <cstring>
#include <string>

#include "codec/gzip_codec.h"
#include "codec/lz4_codec.h"
#include "codec/snappy_codec.h"

namespace strata::parquet {

namespace {

Slice Bytes(const uint8_t* p, size_t n) { return Slice(reinterpret_cast<const char*>(p), n); }

}  // namespace

bool CodecSupported(CompressionCodec codec) {
  switch (codec) {
    case CompressionCodec::kUncompressed:
    case CompressionCodec::kSnappy:
    case CompressionCodec::kGzip:
    case CompressionCodec::kZstd:
    case CompressionCodec::kLz4Raw:
      return true;
    default:
      return false;
  }
}

Result<Codec> Codec::Make(CompressionCodec codec, int level) {
  switch (codec) {
    case CompressionCodec::kZstd:
      if (level == 0) level = codec::kZstdDefaultLevel;
      if (level < 1 || level > codec::ZstdMaxLevel()) {
        return Status::InvalidArgument("ZSTD",
                                       "level must be 1.." + std::to_string(codec::ZstdMaxLevel()));
      }
      break;
    case CompressionCodec::kGzip:
      if (level == 0) level = codec::kGzipDefaultLevel;
      if (level < codec::kGzipMinLevel || level > codec::kGzipMaxLevel) {
        return Status::InvalidArgument("GZIP", "level must be 1..9");
      }
      break;
    case CompressionCodec::kLz4:
      return Status::NotSupported("codec LZ4 (deprecated Hadoop framing)",
                                  "files should use LZ4_RAW");
    default:
      if (!CodecSupported(codec)) return Status::NotSupported("codec " + EnumName(codec));
      break;
  }
  return Codec(codec, level);
}

size_t Codec::MaxCompressedSize(size_t n) const {
  switch (id_) {
    case CompressionCodec::kSnappy:
      return codec::SnappyMaxCompressedSize(n);
    case CompressionCodec::kGzip:
      return codec::GzipMaxCompressedSize(n);
    case CompressionCodec::kZstd:
      return codec::ZstdMaxCompressedSize(n);
    case CompressionCodec::kLz4Raw:
      return codec::Lz4MaxCompressedSize(n);
    default:  // UNCOMPRESSED: Make admits no other id
      return n;
  }
}

Status Codec::CompressInto(const Slice& in, char* out, size_t capacity, size_t* written) {
  switch (id_) {
    case CompressionCodec::kSnappy:
      return codec::SnappyCompress(in, out, capacity, written);
    case CompressionCodec::kGzip:
      return codec::GzipCompress(level_, in, out, capacity, written);
    case CompressionCodec::kZstd:
      return zstd_.Compress(in, out, capacity, written);
    case CompressionCodec::kLz4Raw:
      return codec::Lz4Compress(in, out, capacity, written);
    default:  // UNCOMPRESSED
      if (!in.empty()) std::memcpy(out, in.data(), in.size());
      *written = in.size();
      return Status::OK();
  }
}

Status Codec::Compress(const uint8_t* in, size_t n, Buffer* out) {
  const size_t start = out->size();
  const size_t bound = MaxCompressedSize(n);
  // Uninitialized room for the bound; the codec writes what it needs of it.
  char* dst = reinterpret_cast<char*>(out->Extend(bound));
  size_t written = 0;
  Status s = CompressInto(Bytes(in, n), dst, bound, &written);
  out->resize(s.ok() ? start + written : start);
  return s;
}

Status Codec::Decompress(const uint8_t* in, size_t n, uint8_t* out, size_t out_size) const {
  char* dst = reinterpret_cast<char*>(out);
  switch (id_) {
    case CompressionCodec::kSnappy:
      return codec::SnappyDecompress(Bytes(in, n), dst, out_size);
    case CompressionCodec::kGzip:
      return codec::GzipDecompress(Bytes(in, n), dst, out_size);
    case CompressionCodec::kZstd:
      return codec::ZstdDecompress(Bytes(in, n), dst, out_size);
    case CompressionCodec::kLz4Raw:
      return codec::Lz4Decompress(Bytes(in, n), dst, out_size);
    default:  // UNCOMPRESSED
      if (n != out_size) {
        return Status::Corruption(
            "UNCOMPRESSED",
            "page holds " + std::to_string(n) + " bytes, header says " + std::to_string(out_size));
      }
      if (n > 0) std::memcpy(out, in, n);
      return Status::OK();
  }
}

}  // namespace strata::parquet
