#include "parquet/codec.h"

#include <lz4.h>
#include <snappy.h>
#include <zlib.h>
#include <zstd.h>

#include <cstring>
#include <limits>

namespace strata::parquet {

namespace {

Status CodecError(std::string_view codec, const std::string& what) {
  return Status::Corruption(std::string(codec), what);
}

class Uncompressed final : public Codec {
 public:
  CompressionCodec id() const override { return CompressionCodec::kUncompressed; }
  Status Compress(const uint8_t* in, size_t n, Buffer* out) override {
    out->Append(in, n);
    return Status::OK();
  }
  Status Decompress(const uint8_t* in, size_t n, uint8_t* out, size_t out_size) override {
    if (n != out_size) {
      return CodecError("UNCOMPRESSED", "page holds " + std::to_string(n) + " bytes, header says " +
                                            std::to_string(out_size));
    }
    if (n > 0) std::memcpy(out, in, n);
    return Status::OK();
  }
};

class Snappy final : public Codec {
 public:
  CompressionCodec id() const override { return CompressionCodec::kSnappy; }
  Status Compress(const uint8_t* in, size_t n, Buffer* out) override {
    const size_t start = out->size();
    out->reserve(start + snappy::MaxCompressedLength(n));
    size_t written = 0;
    snappy::RawCompress(reinterpret_cast<const char*>(in), n,
                        reinterpret_cast<char*>(out->data() + start), &written);
    out->resize(start + written);
    return Status::OK();
  }
  Status Decompress(const uint8_t* in, size_t n, uint8_t* out, size_t out_size) override {
    size_t length = 0;
    const auto* src = reinterpret_cast<const char*>(in);
    if (!snappy::GetUncompressedLength(src, n, &length)) {
      return CodecError("SNAPPY", "bad length preamble");
    }
    if (length != out_size) {
      return CodecError("SNAPPY", "decompresses to " + std::to_string(length) +
                                      " bytes, header says " + std::to_string(out_size));
    }
    if (!snappy::RawUncompress(src, n, reinterpret_cast<char*>(out))) {
      return CodecError("SNAPPY", "damaged data");
    }
    return Status::OK();
  }
};

class Lz4Raw final : public Codec {
 public:
  CompressionCodec id() const override { return CompressionCodec::kLz4Raw; }
  Status Compress(const uint8_t* in, size_t n, Buffer* out) override {
    if (n > static_cast<size_t>(LZ4_MAX_INPUT_SIZE)) {
      return Status::InvalidArgument("LZ4_RAW", "page larger than LZ4's input limit");
    }
    const size_t start = out->size();
    const int bound = LZ4_compressBound(static_cast<int>(n));
    out->reserve(start + static_cast<size_t>(bound));
    const int written = LZ4_compress_default(reinterpret_cast<const char*>(in),
                                             reinterpret_cast<char*>(out->data() + start),
                                             static_cast<int>(n), bound);
    if (written <= 0 && n > 0) return Status::IOError("LZ4_RAW", "compression failed");
    out->resize(start + static_cast<size_t>(written));
    return Status::OK();
  }
  Status Decompress(const uint8_t* in, size_t n, uint8_t* out, size_t out_size) override {
    if (n > static_cast<size_t>(std::numeric_limits<int>::max()) ||
        out_size > static_cast<size_t>(std::numeric_limits<int>::max())) {
      return CodecError("LZ4_RAW", "page too large");
    }
    const int got =
        LZ4_decompress_safe(reinterpret_cast<const char*>(in), reinterpret_cast<char*>(out),
                            static_cast<int>(n), static_cast<int>(out_size));
    if (got < 0 || static_cast<size_t>(got) != out_size) {
      return CodecError("LZ4_RAW", got < 0 ? "damaged data"
                                           : "decompresses to " + std::to_string(got) +
                                                 " bytes, header says " + std::to_string(out_size));
    }
    return Status::OK();
  }
};

class Zstd final : public Codec {
 public:
  explicit Zstd(int level) : level_(level) {}
  CompressionCodec id() const override { return CompressionCodec::kZstd; }
  Status Compress(const uint8_t* in, size_t n, Buffer* out) override {
    if (cctx_ == nullptr) cctx_.reset(ZSTD_createCCtx());
    const size_t start = out->size();
    const size_t bound = ZSTD_compressBound(n);
    out->reserve(start + bound);
    const size_t written =
        ZSTD_compressCCtx(cctx_.get(), out->data() + start, bound, in, n, level_);
    if (ZSTD_isError(written)) return Status::IOError("ZSTD", ZSTD_getErrorName(written));
    out->resize(start + written);
    return Status::OK();
  }
  Status Decompress(const uint8_t* in, size_t n, uint8_t* out, size_t out_size) override {
    // One decompression context per thread, not per codec: a reader merging hundreds of
    // files holds a codec per column of each, and a context with its window buffers takes
    // about 100 KB. Decompression finishes within this call, so a thread's context is free
    // again when it returns.
    thread_local std::unique_ptr<ZSTD_DCtx, FreeDCtx> dctx(ZSTD_createDCtx());
    if (dctx == nullptr) return CodecError("ZSTD", "cannot create a decompression context");
    // Pages may hold several frames back to back; ZSTD_decompressDCtx handles that and
    // never writes beyond out_size.
    const size_t got = ZSTD_decompressDCtx(dctx.get(), out, out_size, in, n);
    if (ZSTD_isError(got)) return CodecError("ZSTD", ZSTD_getErrorName(got));
    if (got != out_size) {
      return CodecError("ZSTD", "decompresses to " + std::to_string(got) + " bytes, header says " +
                                    std::to_string(out_size));
    }
    return Status::OK();
  }

 private:
  struct FreeCCtx {
    void operator()(ZSTD_CCtx* c) const { ZSTD_freeCCtx(c); }
  };
  struct FreeDCtx {
    void operator()(ZSTD_DCtx* d) const { ZSTD_freeDCtx(d); }
  };
  const int level_;
  std::unique_ptr<ZSTD_CCtx, FreeCCtx> cctx_;  // made on first use
};

class Gzip final : public Codec {
 public:
  explicit Gzip(int level) : level_(level) {}
  CompressionCodec id() const override { return CompressionCodec::kGzip; }
  Status Compress(const uint8_t* in, size_t n, Buffer* out) override {
    z_stream z{};
    // windowBits 15 + 16: the gzip wrapper, as Parquet's GZIP means (RFC 1952).
    if (deflateInit2(&z, level_, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
      return Status::IOError("GZIP", "deflateInit2 failed");
    }
    const size_t start = out->size();
    const size_t bound = deflateBound(&z, static_cast<uLong>(n));
    out->reserve(start + bound);
    z.next_in = const_cast<Bytef*>(in);
    z.avail_in = static_cast<uInt>(n);
    z.next_out = out->data() + start;
    z.avail_out = static_cast<uInt>(bound);
    const int rc = deflate(&z, Z_FINISH);
    const size_t written = bound - z.avail_out;
    deflateEnd(&z);
    if (rc != Z_STREAM_END) return Status::IOError("GZIP", "deflate did not finish");
    out->resize(start + written);
    return Status::OK();
  }
  Status Decompress(const uint8_t* in, size_t n, uint8_t* out, size_t out_size) override {
    z_stream z{};
    // 15 + 32: accept a gzip or zlib header. Concatenated gzip members are read in turn.
    if (inflateInit2(&z, 15 + 32) != Z_OK) return Status::IOError("GZIP", "inflateInit2 failed");
    z.next_in = const_cast<Bytef*>(in);
    z.avail_in = static_cast<uInt>(n);
    // zlib refuses a null output pointer even for an empty output.
    Bytef dummy = 0;
    z.next_out = out != nullptr ? out : &dummy;
    z.avail_out = static_cast<uInt>(out_size);
    Status s;
    while (true) {
      const int rc = inflate(&z, Z_FINISH);
      if (rc == Z_STREAM_END) {
        if (z.avail_in == 0) break;
        inflateReset(&z);  // another member follows
        continue;
      }
      s = CodecError("GZIP", z.msg != nullptr ? z.msg : "damaged or truncated data");
      break;
    }
    const size_t got = out_size - z.avail_out;
    inflateEnd(&z);
    if (!s.ok()) return s;
    if (got != out_size) {
      return CodecError("GZIP", "decompresses to " + std::to_string(got) + " bytes, header says " +
                                    std::to_string(out_size));
    }
    return Status::OK();
  }

 private:
  const int level_;
};

}  // namespace

Result<std::unique_ptr<Codec>> Codec::Make(CompressionCodec codec, int level) {
  switch (codec) {
    case CompressionCodec::kUncompressed:
      return std::unique_ptr<Codec>(std::make_unique<Uncompressed>());
    case CompressionCodec::kSnappy:
      return std::unique_ptr<Codec>(std::make_unique<Snappy>());
    case CompressionCodec::kLz4Raw:
      return std::unique_ptr<Codec>(std::make_unique<Lz4Raw>());
    case CompressionCodec::kZstd:
      if (level == 0) level = 3;
      if (level < 1 || level > ZSTD_maxCLevel()) {
        return Status::InvalidArgument("ZSTD",
                                       "level must be 1.." + std::to_string(ZSTD_maxCLevel()));
      }
      return std::unique_ptr<Codec>(std::make_unique<Zstd>(level));
    case CompressionCodec::kGzip:
      if (level == 0) level = 6;
      if (level < 1 || level > 9) return Status::InvalidArgument("GZIP", "level must be 1..9");
      return std::unique_ptr<Codec>(std::make_unique<Gzip>(level));
    case CompressionCodec::kLz4:
      return Status::NotSupported("codec LZ4 (deprecated Hadoop framing)",
                                  "files should use LZ4_RAW");
    default:
      return Status::NotSupported("codec " + EnumName(codec));
  }
}

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

}  // namespace strata::parquet
