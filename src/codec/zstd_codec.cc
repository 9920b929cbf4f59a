#include "codec/zstd_codec.h"

#include <zstd.h>

#include "codec/codec_status.h"

namespace strata::codec {

namespace {

constexpr std::string_view kName = "zstd";

static_assert(kZstdDefaultLevel == ZSTD_CLEVEL_DEFAULT);

struct FreeDecompressionContext {
  void operator()(ZSTD_DCtx* context) const { ZSTD_freeDCtx(context); }
};

}  // namespace

int ZstdMaxLevel() { return ZSTD_maxCLevel(); }

size_t ZstdMaxCompressedSize(size_t n) { return ZSTD_compressBound(n); }

void ZstdCompressor::FreeContext::operator()(ZSTD_CCtx_s* context) const { ZSTD_freeCCtx(context); }

ZstdCompressor::ZstdCompressor(int level) : level_(level == 0 ? kZstdDefaultLevel : level) {}
ZstdCompressor::~ZstdCompressor() = default;
ZstdCompressor::ZstdCompressor(ZstdCompressor&&) noexcept = default;
ZstdCompressor& ZstdCompressor::operator=(ZstdCompressor&&) noexcept = default;

Status ZstdCompressor::Compress(const Slice& in, char* out, size_t capacity, size_t* written) {
  const size_t bound = ZstdMaxCompressedSize(in.size());
  if (ZSTD_isError(bound)) return InputTooLarge(kName, in.size());
  if (capacity < bound) return OutputTooSmall(kName, capacity, bound);
  if (context_ == nullptr) {
    context_.reset(ZSTD_createCCtx());
    if (context_ == nullptr) return Status::IOError(kName, "cannot create a compression context");
  }
  const size_t n = ZSTD_compressCCtx(context_.get(), out, capacity, in.data(), in.size(), level_);
  if (ZSTD_isError(n)) return Status::IOError(kName, ZSTD_getErrorName(n));
  *written = n;
  return Status::OK();
}

Status ZstdDecompress(const Slice& in, char* out, size_t out_size) {
  // Decompression finishes within this call, so the thread's context is free again when it
  // returns, whoever called.
  thread_local std::unique_ptr<ZSTD_DCtx, FreeDecompressionContext> context(ZSTD_createDCtx());
  if (context == nullptr) return Status::IOError(kName, "cannot create a decompression context");
  // Several frames back to back decode in turn; the library never writes past out_size.
  const size_t got = ZSTD_decompressDCtx(context.get(), out, out_size, in.data(), in.size());
  if (ZSTD_isError(got)) return CodecCorruption(kName, ZSTD_getErrorName(got));
  if (got != out_size) return WrongDecodedSize(kName, got, out_size);
  return Status::OK();
}

}  // namespace strata::codec
