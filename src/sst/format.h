// The physical layout of a table file: block handles, block trailers and the footer.
// docs/formats/sst.md describes the same layout byte by byte.
//
//   [data block + trailer] ... [filter block + trailer] [index block + trailer]
//   [properties block + trailer] [footer]
//
// Every block is followed by a 5-byte trailer (codec byte + masked CRC32C); the footer has a
// fixed size, so a reader finds everything else from the last kFooterSize bytes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "sst/block_buffer.h"
#include "sst/compression.h"
#include "strata/env.h"
#include "strata/slice.h"
#include "strata/status.h"

namespace strata::sst {

// Where a block lives: its offset in the file and its stored size, trailer excluded.
class BlockHandle {
 public:
  // Two varint64s.
  static constexpr size_t kMaxEncodedLength = 2 * 10;

  BlockHandle() = default;
  BlockHandle(uint64_t offset, uint64_t size) : offset_(offset), size_(size) {}

  uint64_t offset() const { return offset_; }
  uint64_t size() const { return size_; }
  void set_offset(uint64_t offset) { offset_ = offset; }
  void set_size(uint64_t size) { size_ = size; }

  void EncodeTo(std::string* dst) const;
  // Consumes the handle from the front of *input; false (input unchanged) on bad bytes.
  bool DecodeFrom(Slice* input);

 private:
  uint64_t offset_ = 0;
  uint64_t size_ = 0;
};

// Codec byte + masked CRC32C of (stored block bytes, codec byte).
constexpr size_t kBlockTrailerSize = 5;

// "STRATSST" read as a little-endian fixed64: the file's last 8 bytes are those ASCII letters.
constexpr uint64_t kTableMagicNumber = 0x5453535441525453ull;
// The only version this code writes and reads; a larger one is NotSupported.
constexpr uint32_t kTableFormatVersion = 1;

// The fixed-size end of every table file:
//   [0, 60)  index, filter and properties handles, zero-padded
//   [60, 64) format version (fixed32)
//   [64, 68) masked CRC32C of bytes [0, 64) (fixed32)
//   [68, 76) magic (fixed64)
// A table without a filter has a filter handle of size 0.
struct Footer {
  static constexpr size_t kHandlesSize = 3 * BlockHandle::kMaxEncodedLength;
  static constexpr size_t kEncodedLength = kHandlesSize + 4 + 4 + 8;

  BlockHandle index;
  BlockHandle filter;
  BlockHandle properties;
  uint32_t version = kTableFormatVersion;

  // Appends exactly kEncodedLength bytes.
  void EncodeTo(std::string* dst) const;
  // input holds exactly kEncodedLength bytes read at file offset `offset` of file_name.
  // Corruption for a wrong magic, a checksum mismatch or bad handles; NotSupported for a
  // version newer than kTableFormatVersion.
  Status DecodeFrom(const Slice& input, const std::string& file_name, uint64_t offset);
};

// A block as read from the file, uncompressed and with its trailer checked.
// A block's bytes as read, in an uninitialized buffer filled straight by the read or the
// decompressor (zero-filling 4 KiB first would cost as much as a copy).
struct BlockContents {
  BlockBuffer raw;  // at least raw_size bytes (an uncompressed block keeps its
                    // unused trailer bytes at the end)
  size_t raw_size = 0;

  Slice data() const { return Slice(raw.get(), raw_size); }
  // The bytes as a string (a copy): for blocks read once, at open.
  std::string TakeString() {
    std::string s(raw.get(), raw_size);
    raw.reset();
    return s;
  }
};
// The masked CRC32C stored in a trailer: covers the stored block bytes and the codec byte.
uint32_t BlockChecksum(const Slice& stored, uint8_t type);

// Reads the block at handle, checks its trailer (the CRC only when verify_checksum) and
// uncompresses it. The handle is checked against file_size before anything is allocated, and
// the uncompressed size against max_uncompressed. Errors name file_name and the block offset.
Status ReadBlock(const RandomAccessFile* file, const std::string& file_name, uint64_t file_size,
                 const BlockHandle& handle, bool verify_checksum, size_t max_uncompressed,
                 BlockContents* contents);

}  // namespace strata::sst
