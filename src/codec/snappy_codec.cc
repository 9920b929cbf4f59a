#include "codec/snappy_codec.h"

#include <snappy.h>

#include "codec/codec_status.h"

namespace strata::codec {

namespace {

constexpr std::string_view kName = "snappy";

}  // namespace

size_t SnappyMaxCompressedSize(size_t n) { return snappy::MaxCompressedLength(n); }

Status SnappyCompress(const Slice& in, char* out, size_t capacity, size_t* written) {
  const size_t bound = SnappyMaxCompressedSize(in.size());
  if (capacity < bound) return OutputTooSmall(kName, capacity, bound);
  snappy::RawCompress(in.data(), in.size(), out, written);
  return Status::OK();
}

Status SnappyDecompress(const Slice& in, char* out, size_t out_size) {
  size_t length = 0;
  if (!snappy::GetUncompressedLength(in.data(), in.size(), &length)) {
    return CodecCorruption(kName, "bad length preamble");
  }
  // RawUncompress writes as many bytes as the preamble says: check them first.
  if (length != out_size) return WrongDecodedSize(kName, length, out_size);
  if (!snappy::RawUncompress(in.data(), in.size(), out)) {
    return CodecCorruption(kName, "damaged data");
  }
  return Status::OK();
}

}  // namespace strata::codec
