#include "codec/lz4_codec.h"

#include <lz4.h>

#include <limits>

#include "codec/codec_status.h"

namespace strata::codec {

namespace {

constexpr std::string_view kName = "lz4";

static_assert(kLz4MaxInputSize == LZ4_MAX_INPUT_SIZE);

}  // namespace

size_t Lz4MaxCompressedSize(size_t n) {
  if (n > kLz4MaxInputSize) return 0;
  return static_cast<size_t>(LZ4_compressBound(static_cast<int>(n)));
}

Status Lz4Compress(const Slice& in, char* out, size_t capacity, size_t* written) {
  if (in.size() > kLz4MaxInputSize) return InputTooLarge(kName, in.size());
  const size_t bound = Lz4MaxCompressedSize(in.size());
  if (capacity < bound) return OutputTooSmall(kName, capacity, bound);
  const int n =
      LZ4_compress_default(in.data(), out, static_cast<int>(in.size()), static_cast<int>(bound));
  // An empty input may legitimately produce nothing; anything else must produce bytes.
  if (n <= 0 && !in.empty()) return Status::IOError(kName, "compression failed");
  *written = static_cast<size_t>(n > 0 ? n : 0);
  return Status::OK();
}

Status Lz4Decompress(const Slice& in, char* out, size_t out_size) {
  constexpr size_t kIntMax = static_cast<size_t>(std::numeric_limits<int>::max());
  if (in.size() > kIntMax || out_size > kIntMax) {
    return CodecCorruption(kName, "payload too large for lz4");
  }
  const int got =
      LZ4_decompress_safe(in.data(), out, static_cast<int>(in.size()), static_cast<int>(out_size));
  if (got < 0) return CodecCorruption(kName, "damaged data");
  if (static_cast<size_t>(got) != out_size) {
    return WrongDecodedSize(kName, static_cast<size_t>(got), out_size);
  }
  return Status::OK();
}

}  // namespace strata::codec
