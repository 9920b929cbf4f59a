#include "sst/compression.h"

#include <lz4.h>
#include <snappy.h>
#include <zstd.h>

#include <cstring>
#include <limits>

#include "base/coding.h"

namespace strata::sst {

namespace {

Status CodecCorruption(CompressionType type, const std::string& what) {
  return Status::Corruption(std::string(CompressionTypeName(type)) + " payload", what);
}

}  // namespace

const char* CompressionTypeName(CompressionType type) {
  switch (type) {
    case CompressionType::kNone:
      return "none";
    case CompressionType::kSnappy:
      return "snappy";
    case CompressionType::kZstd:
      return "zstd";
    case CompressionType::kLz4:
      return "lz4";
  }
  return "unknown";
}

bool ParseCompressionType(const Slice& name, CompressionType* type) {
  for (uint8_t b = 0; b <= kMaxCompressionType; b++) {
    const auto t = static_cast<CompressionType>(b);
    if (name == Slice(CompressionTypeName(t))) {
      *type = t;
      return true;
    }
  }
  return false;
}

bool IsKnownCompressionType(uint8_t byte) { return byte <= kMaxCompressionType; }

Status Compress(CompressionType type, const Slice& in, int level, std::string* out) {
  out->clear();
  if (type == CompressionType::kNone) {
    out->assign(in.data(), in.size());
    return Status::OK();
  }
  if (in.size() > std::numeric_limits<uint32_t>::max() ||
      (type == CompressionType::kLz4 && in.size() > LZ4_MAX_INPUT_SIZE)) {
    return Status::InvalidArgument(std::string(CompressionTypeName(type)) + ": input of " +
                                   std::to_string(in.size()) + " bytes is too large to compress");
  }
  PutVarint32(out, static_cast<uint32_t>(in.size()));
  const size_t prefix = out->size();
  switch (type) {
    case CompressionType::kNone:
      break;
    case CompressionType::kSnappy: {
      std::string body;
      snappy::Compress(in.data(), in.size(), &body);
      out->append(body);
      break;
    }
    case CompressionType::kZstd: {
      const size_t bound = ZSTD_compressBound(in.size());
      out->resize(prefix + bound);
      const size_t n = ZSTD_compress(out->data() + prefix, bound, in.data(), in.size(),
                                     level == 0 ? ZSTD_CLEVEL_DEFAULT : level);
      if (ZSTD_isError(n)) {
        return Status::InvalidArgument("zstd: compression failed", ZSTD_getErrorName(n));
      }
      out->resize(prefix + n);
      break;
    }
    case CompressionType::kLz4: {
      const int bound = LZ4_compressBound(static_cast<int>(in.size()));
      out->resize(prefix + static_cast<size_t>(bound));
      const int n =
          LZ4_compress_default(in.data(), out->data() + prefix, static_cast<int>(in.size()), bound);
      if (n <= 0 && !in.empty()) return Status::InvalidArgument("lz4: compression failed");
      out->resize(prefix + static_cast<size_t>(n));
      break;
    }
  }
  return Status::OK();
}

namespace {

// Reads the size prefix of a compressed payload and checks it against max_output.
Status ParseSizePrefix(CompressionType type, const Slice& in, size_t max_output, Slice* body,
                       uint32_t* size) {
  if (!IsKnownCompressionType(static_cast<uint8_t>(type))) {
    return Status::Corruption("unknown compression type " +
                              std::to_string(static_cast<unsigned>(type)));
  }
  *body = in;
  if (!GetVarint32(body, size)) return CodecCorruption(type, "bad uncompressed-size prefix");
  // Checked before anything is allocated: the prefix is untrusted input.
  if (*size > max_output) {
    return CodecCorruption(type, "declares " + std::to_string(*size) +
                                     " uncompressed bytes, more than the limit of " +
                                     std::to_string(max_output));
  }
  return Status::OK();
}

// Decodes body into exactly size bytes at dst.
Status DecodeInto(CompressionType type, const Slice& body, uint32_t size, char* dst) {
  switch (type) {
    case CompressionType::kNone:
      break;
    case CompressionType::kSnappy: {
      size_t snappy_size = 0;
      if (!snappy::GetUncompressedLength(body.data(), body.size(), &snappy_size) ||
          snappy_size != size) {
        return CodecCorruption(
            type, "snappy length header does not match the size prefix " + std::to_string(size));
      }
      if (!snappy::RawUncompress(body.data(), body.size(), dst)) {
        return CodecCorruption(type, "malformed snappy data");
      }
      break;
    }
    case CompressionType::kZstd: {
      const size_t n = ZSTD_decompress(dst, size, body.data(), body.size());
      if (ZSTD_isError(n) || n != size) {
        return CodecCorruption(type, ZSTD_isError(n)
                                         ? ZSTD_getErrorName(n)
                                         : "decoded " + std::to_string(n) + " bytes, expected " +
                                               std::to_string(size));
      }
      break;
    }
    case CompressionType::kLz4: {
      if (body.size() > static_cast<size_t>(std::numeric_limits<int>::max()) ||
          size > static_cast<uint32_t>(std::numeric_limits<int>::max())) {
        return CodecCorruption(type, "payload too large for lz4");
      }
      const int n = LZ4_decompress_safe(body.data(), dst, static_cast<int>(body.size()),
                                        static_cast<int>(size));
      if (n < 0 || static_cast<uint32_t>(n) != size) {
        return CodecCorruption(type, n < 0 ? "malformed lz4 data"
                                           : "decoded " + std::to_string(n) + " bytes, expected " +
                                                 std::to_string(size));
      }
      break;
    }
  }
  return Status::OK();
}

}  // namespace

Status Uncompress(CompressionType type, const Slice& in, size_t max_output, std::string* out) {
  out->clear();
  if (type == CompressionType::kNone) {
    if (in.size() > max_output) {
      return CodecCorruption(type, std::to_string(in.size()) + " bytes exceed the limit of " +
                                       std::to_string(max_output));
    }
    out->assign(in.data(), in.size());
    return Status::OK();
  }
  Slice body;
  uint32_t size = 0;
  Status s = ParseSizePrefix(type, in, max_output, &body, &size);
  if (!s.ok()) return s;
  out->resize(size);
  s = DecodeInto(type, body, size, out->data());
  if (!s.ok()) out->clear();
  return s;
}

Status Uncompress(CompressionType type, const Slice& in, size_t max_output, BlockBuffer* out,
                  size_t* out_size) {
  out->reset();
  *out_size = 0;
  Slice body;
  uint32_t size = 0;
  if (type == CompressionType::kNone) {
    if (in.size() > max_output) {
      return CodecCorruption(type, std::to_string(in.size()) + " bytes exceed the limit of " +
                                       std::to_string(max_output));
    }
    BlockBuffer buffer = AllocateBlockBuffer(in.size());
    std::memcpy(buffer.get(), in.data(), in.size());
    *out = std::move(buffer);
    *out_size = in.size();
    return Status::OK();
  }
  Status s = ParseSizePrefix(type, in, max_output, &body, &size);
  if (!s.ok()) return s;
  // Uninitialized: the decoder writes every byte (or fails, and the buffer is dropped).
  BlockBuffer buffer = AllocateBlockBuffer(size);
  s = DecodeInto(type, body, size, buffer.get());
  if (!s.ok()) return s;
  *out = std::move(buffer);
  *out_size = size;
  return Status::OK();
}

}  // namespace strata::sst
