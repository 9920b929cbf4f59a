#include "sst/compression.h"

#include <cstring>
#include <limits>

#include "base/coding.h"
#include "codec/lz4_codec.h"
#include "codec/snappy_codec.h"
#include "codec/zstd_codec.h"

namespace strata::sst {

namespace {

Status PayloadCorruption(CompressionType type, const std::string& what) {
  return Status::Corruption(EnumName(type) + " payload", what);
}

// The codec's bound on its output for n input bytes (type is not kNone).
size_t MaxCompressedSize(CompressionType type, size_t n) {
  switch (type) {
    case CompressionType::kNone:
      break;
    case CompressionType::kSnappy:
      return codec::SnappyMaxCompressedSize(n);
    case CompressionType::kZstd:
      return codec::ZstdMaxCompressedSize(n);
    case CompressionType::kLz4:
      return codec::Lz4MaxCompressedSize(n);
  }
  return 0;
}

// Compresses `in` into out[0, capacity) (type is not kNone).
Status CompressInto(CompressionType type, const Slice& in, int level, char* out, size_t capacity,
                    size_t* written) {
  switch (type) {
    case CompressionType::kNone:
      break;
    case CompressionType::kSnappy:
      return codec::SnappyCompress(in, out, capacity, written);
    case CompressionType::kZstd:
      // A fresh context per block, as zstd's one-shot call made before: this free function
      // has nowhere to keep one between blocks.
      return codec::ZstdCompressor(level).Compress(in, out, capacity, written);
    case CompressionType::kLz4:
      return codec::Lz4Compress(in, out, capacity, written);
  }
  return Status::InvalidArgument("unknown compression type " +
                                 std::to_string(static_cast<unsigned>(type)));
}

// Decodes body into exactly size bytes at dst (type is not kNone).
Status DecodeInto(CompressionType type, const Slice& body, uint32_t size, char* dst) {
  switch (type) {
    case CompressionType::kNone:
      break;
    case CompressionType::kSnappy:
      return codec::SnappyDecompress(body, dst, size);
    case CompressionType::kZstd:
      return codec::ZstdDecompress(body, dst, size);
    case CompressionType::kLz4:
      return codec::Lz4Decompress(body, dst, size);
  }
  return Status::Corruption("unknown compression type " +
                            std::to_string(static_cast<unsigned>(type)));
}

// Reads the size prefix of a compressed payload and checks it against max_output.
Status ParseSizePrefix(CompressionType type, const Slice& in, size_t max_output, Slice* body,
                       uint32_t* size) {
  if (!IsKnownCompressionType(static_cast<uint8_t>(type))) {
    return Status::Corruption("unknown compression type " +
                              std::to_string(static_cast<unsigned>(type)));
  }
  *body = in;
  if (!GetVarint32(body, size)) return PayloadCorruption(type, "bad uncompressed-size prefix");
  // Checked before anything is allocated: the prefix is untrusted input.
  if (*size > max_output) {
    return PayloadCorruption(type, "declares " + std::to_string(*size) +
                                       " uncompressed bytes, more than the limit of " +
                                       std::to_string(max_output));
  }
  return Status::OK();
}

Status CheckStoredSize(CompressionType type, const Slice& in, size_t max_output) {
  if (in.size() > max_output) {
    return PayloadCorruption(type, std::to_string(in.size()) + " bytes exceed the limit of " +
                                       std::to_string(max_output));
  }
  return Status::OK();
}

}  // namespace

bool IsKnownCompressionType(uint8_t byte) { return byte <= kMaxCompressionType; }

Status Compress(CompressionType type, const Slice& in, int level, std::string* out) {
  out->clear();
  if (type == CompressionType::kNone) {
    out->assign(in.data(), in.size());
    return Status::OK();
  }
  if (in.size() > std::numeric_limits<uint32_t>::max()) {
    return Status::InvalidArgument(EnumName(type) + ": input of " + std::to_string(in.size()) +
                                   " bytes is too large to compress");
  }
  PutVarint32(out, static_cast<uint32_t>(in.size()));
  const size_t prefix = out->size();
  out->resize(prefix + MaxCompressedSize(type, in.size()));
  size_t written = 0;
  Status s = CompressInto(type, in, level, out->data() + prefix, out->size() - prefix, &written);
  if (!s.ok()) {
    out->clear();
    return s;
  }
  out->resize(prefix + written);
  return Status::OK();
}

Status Uncompress(CompressionType type, const Slice& in, size_t max_output, std::string* out) {
  out->clear();
  if (type == CompressionType::kNone) {
    Status s = CheckStoredSize(type, in, max_output);
    if (!s.ok()) return s;
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
  if (type == CompressionType::kNone) {
    Status s = CheckStoredSize(type, in, max_output);
    if (!s.ok()) return s;
    BlockBuffer buffer = AllocateBlockBuffer(in.size());
    std::memcpy(buffer.get(), in.data(), in.size());
    *out = std::move(buffer);
    *out_size = in.size();
    return Status::OK();
  }
  Slice body;
  uint32_t size = 0;
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
