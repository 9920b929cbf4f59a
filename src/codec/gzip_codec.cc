#include "codec/gzip_codec.h"

#include <zlib.h>

#include <algorithm>
#include <limits>
#include <string>

#include "codec/codec_status.h"

namespace strata::codec {

namespace {

constexpr std::string_view kName = "gzip";

// deflateInit2's windowBits: 15 (a 32 KiB window) + 16 for the gzip wrapper.
constexpr int kGzipWindowBits = 15 + 16;
// inflateInit2's: 15 + 32, detect a gzip or a zlib header.
constexpr int kAnyHeaderWindowBits = 15 + 32;
constexpr int kMemLevel = 8;  // zlib's default
// compressBound() is the bound for the zlib wrapper (6 bytes) with these parameters; the gzip
// wrapper without name or comment takes 18.
constexpr size_t kGzipWrapperExtra = 18 - 6;

constexpr size_t kMaxUInt = std::numeric_limits<uInt>::max();

}  // namespace

size_t GzipMaxCompressedSize(size_t n) {
  return static_cast<size_t>(compressBound(static_cast<uLong>(n))) + kGzipWrapperExtra;
}

Status GzipCompress(int level, const Slice& in, char* out, size_t capacity, size_t* written) {
  if (level < kGzipMinLevel || level > kGzipMaxLevel) {
    return Status::InvalidArgument(kName, "level must be 1..9, not " + std::to_string(level));
  }
  // One deflate call: avail_in and avail_out are 32-bit.
  if (in.size() > kMaxUInt) return InputTooLarge(kName, in.size());
  const size_t bound = GzipMaxCompressedSize(in.size());
  if (capacity < bound) return OutputTooSmall(kName, capacity, bound);
  z_stream z{};
  if (deflateInit2(&z, level, Z_DEFLATED, kGzipWindowBits, kMemLevel, Z_DEFAULT_STRATEGY) != Z_OK) {
    return Status::IOError(kName, "deflateInit2 failed");
  }
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  z.avail_in = static_cast<uInt>(in.size());
  z.next_out = reinterpret_cast<Bytef*>(out);
  z.avail_out = static_cast<uInt>(std::min(capacity, kMaxUInt));
  const size_t room = z.avail_out;
  const int rc = deflate(&z, Z_FINISH);
  const size_t n = room - z.avail_out;
  deflateEnd(&z);
  if (rc != Z_STREAM_END) return Status::IOError(kName, "deflate did not finish");
  *written = n;
  return Status::OK();
}

Status GzipDecompress(const Slice& in, char* out, size_t out_size) {
  if (in.size() > kMaxUInt || out_size > kMaxUInt) {
    return CodecCorruption(kName, "payload too large for gzip");
  }
  z_stream z{};
  if (inflateInit2(&z, kAnyHeaderWindowBits) != Z_OK) {
    return Status::IOError(kName, "inflateInit2 failed");
  }
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  z.avail_in = static_cast<uInt>(in.size());
  // zlib refuses a null output pointer even for an empty output.
  Bytef dummy = 0;
  z.next_out = out != nullptr ? reinterpret_cast<Bytef*>(out) : &dummy;
  z.avail_out = static_cast<uInt>(out_size);
  Status s;
  while (true) {
    const int rc = inflate(&z, Z_FINISH);
    if (rc == Z_STREAM_END) {
      if (z.avail_in == 0) break;
      inflateReset(&z);  // another member follows
      continue;
    }
    s = CodecCorruption(kName, z.msg != nullptr ? z.msg : "damaged or truncated data");
    break;
  }
  const size_t got = out_size - z.avail_out;
  inflateEnd(&z);
  if (!s.ok()) return s;
  if (got != out_size) return WrongDecodedSize(kName, got, out_size);
  return Status::OK();
}

}  // namespace strata::codec
