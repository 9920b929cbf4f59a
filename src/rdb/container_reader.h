// ContainerReader: the bytes of one compact container (ziplist, listpack, intset, zipmap),
// read forward from the RDB stream whether the file stores them plain or LZF-compressed.
//
// A container is stored as an RDB string. The walkers read its bytes through this class a few
// at a time; it hands them windows of the RdbReader's buffer (plain) or of an LzfStream's
// output (compressed), so no container is ever held whole in memory. Finish() consumes
// whatever the walker did not read, skipping compressed bytes without decompressing them.
//
// Error messages add the position inside the container to the reader's context.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>

#include "rdb/lzf_stream.h"
#include "rdb/rdb_reader.h"

namespace strata::rdb {

class ContainerReader {
 public:
  ContainerReader() = default;
  ContainerReader(const ContainerReader&) = delete;
  ContainerReader& operator=(const ContainerReader&) = delete;

  // Reads the string header at the reader's position. `what` names the container in errors
  // ("listpack", "ziplist", ...) and must be a literal.
  Status Open(RdbReader* reader, const char* what);

  bool compressed() const { return compressed_; }
  uint64_t size() const { return size_; }                // bytes of the container itself
  uint64_t stored_size() const { return stored_size_; }  // bytes after the header in the file
  uint64_t position() const { return delivered_ - static_cast<uint64_t>(end_ - pos_); }
  uint64_t remaining() const { return size_ - position(); }

  Status Read(void* dst, size_t n) {
    if (static_cast<size_t>(end_ - pos_) >= n) {
      std::memcpy(dst, pos_, n);
      pos_ += n;
      return Status::OK();
    }
    return ReadSlow(dst, n);
  }
  Status ReadByte(uint8_t* b) {
    if (pos_ != end_) {
      *b = static_cast<uint8_t>(*pos_++);
      return Status::OK();
    }
    return ReadSlow(b, 1);
  }
  Status Skip(uint64_t n);

  // Consumes the rest of the container. With require_end, the walker claims to have read the
  // container to its end: Corruption if bytes remain (or compressed input is left over).
  Status Finish(bool require_end);

  // "<what> byte <position>: <detail>", in the reader's context.
  Status Corruption(const std::string& detail) const;

 private:
  Status ReadSlow(void* dst, size_t n);
  Status NextWindow(size_t want);

  RdbReader* reader_ = nullptr;
  const char* what_ = "";
  bool compressed_ = false;
  uint64_t size_ = 0;
  uint64_t stored_size_ = 0;
  uint64_t delivered_ = 0;  // container bytes handed out in windows so far
  const char* pos_ = nullptr;
  const char* end_ = nullptr;
  LzfStream lzf_;
};

}  // namespace strata::rdb
