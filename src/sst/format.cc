#include "sst/format.h"

#include <cstring>

#include "base/coding.h"
#include "base/crc32c.h"

namespace strata::sst {

namespace {

std::string At(const std::string& file_name, uint64_t offset) {
  return file_name + ": offset " + std::to_string(offset);
}

}  // namespace

void BlockHandle::EncodeTo(std::string* dst) const {
  PutVarint64(dst, offset_);
  PutVarint64(dst, size_);
}

bool BlockHandle::DecodeFrom(Slice* input) {
  Slice in = *input;
  uint64_t offset = 0;
  uint64_t size = 0;
  if (!GetVarint64(&in, &offset) || !GetVarint64(&in, &size)) return false;
  offset_ = offset;
  size_ = size;
  *input = in;
  return true;
}

void Footer::EncodeTo(std::string* dst) const {
  const size_t start = dst->size();
  index.EncodeTo(dst);
  filter.EncodeTo(dst);
  properties.EncodeTo(dst);
  dst->resize(start + kHandlesSize, '\0');
  PutFixed32(dst, version);
  PutFixed32(dst, crc32c::Mask(crc32c::Value(dst->data() + start, kHandlesSize + 4)));
  PutFixed64(dst, kTableMagicNumber);
}

Status Footer::DecodeFrom(const Slice& input, const std::string& file_name, uint64_t offset) {
  if (input.size() != kEncodedLength) {
    return Status::Corruption(At(file_name, offset), "footer of " + std::to_string(input.size()) +
                                                         " bytes, expected " +
                                                         std::to_string(kEncodedLength));
  }
  const char* p = input.data();
  if (DecodeFixed64(p + kHandlesSize + 8) != kTableMagicNumber) {
    return Status::Corruption(At(file_name, offset + kHandlesSize + 8),
                              "bad magic number: not a Strata table, or its footer is damaged");
  }
  // The version, CRC and magic keep their places in every version, so the CRC is checked
  // first: a damaged version field is corruption, not a newer file.
  const uint32_t stored_crc = DecodeFixed32(p + kHandlesSize + 4);
  if (crc32c::Unmask(stored_crc) != crc32c::Value(p, kHandlesSize + 4)) {
    return Status::Corruption(At(file_name, offset), "footer checksum mismatch");
  }
  version = DecodeFixed32(p + kHandlesSize);
  if (version > kTableFormatVersion) {
    return Status::NotSupported(file_name, "table format version " + std::to_string(version) +
                                               " is newer than the supported version " +
                                               std::to_string(kTableFormatVersion));
  }
  if (version == 0) return Status::Corruption(At(file_name, offset), "table format version 0");
  Slice handles(p, kHandlesSize);
  if (!index.DecodeFrom(&handles) || !filter.DecodeFrom(&handles) ||
      !properties.DecodeFrom(&handles)) {
    return Status::Corruption(At(file_name, offset), "footer holds malformed block handles");
  }
  return Status::OK();
}

uint32_t BlockChecksum(const Slice& stored, uint8_t type) {
  const char type_byte = static_cast<char>(type);
  return crc32c::Mask(crc32c::Extend(crc32c::Value(stored.data(), stored.size()), &type_byte, 1));
}

Status ReadBlock(const RandomAccessFile* file, const std::string& file_name, uint64_t file_size,
                 const BlockHandle& handle, bool verify_checksum, size_t max_uncompressed,
                 BlockContents* contents) {
  contents->raw.reset();
  contents->raw_size = 0;
  const uint64_t offset = handle.offset();
  // Overflow-safe form of offset + size + trailer <= file_size.
  if (offset > file_size || handle.size() > file_size - offset ||
      kBlockTrailerSize > file_size - offset - handle.size()) {
    return Status::Corruption(At(file_name, offset), "block of " + std::to_string(handle.size()) +
                                                         " bytes runs past the end of the file (" +
                                                         std::to_string(file_size) + " bytes)");
  }
  const size_t n = static_cast<size_t>(handle.size()) + kBlockTrailerSize;
  // Uninitialized: the read fills it; zeroing 4 KiB first would cost as much as a copy.
  BlockBuffer buffer = AllocateBlockBuffer(n);
  Slice got;
  Status s = file->Read(offset, n, &got, buffer.get());
  if (!s.ok()) return Status::IOError(At(file_name, offset), s.ToString());
  if (got.size() != n) {
    return Status::Corruption(At(file_name, offset), "short read: " + std::to_string(got.size()) +
                                                         " of " + std::to_string(n) +
                                                         " block bytes (file truncated?)");
  }
  const Slice stored(got.data(), static_cast<size_t>(handle.size()));
  const auto type = static_cast<uint8_t>(got.data()[handle.size()]);
  if (verify_checksum) {
    const uint32_t expected = DecodeFixed32(got.data() + handle.size() + 1);
    if (BlockChecksum(stored, type) != expected) {
      return Status::Corruption(At(file_name, offset), "block checksum mismatch");
    }
  }
  if (!IsKnownCompressionType(type)) {
    return Status::Corruption(At(file_name, offset),
                              "unknown compression type " + std::to_string(type));
  }
  if (type == static_cast<uint8_t>(CompressionType::kNone)) {
    if (stored.size() > max_uncompressed) {
      return Status::Corruption(At(file_name, offset), "block of " + std::to_string(stored.size()) +
                                                           " bytes exceeds the limit of " +
                                                           std::to_string(max_uncompressed));
    }
    if (got.data() != buffer.get()) {  // a memory-mapped file: copy out of the mapping
      std::memcpy(buffer.get(), got.data(), stored.size());
    }
    contents->raw = std::move(buffer);
    contents->raw_size = stored.size();
    return Status::OK();
  }
  s = Uncompress(static_cast<CompressionType>(type), stored, max_uncompressed, &contents->raw,
                 &contents->raw_size);
  if (!s.ok()) return Status::Corruption(At(file_name, offset), s.ToString());
  return Status::OK();
}

}  // namespace strata::sst
