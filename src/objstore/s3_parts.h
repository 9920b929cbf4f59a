// The part sources of S3 multipart uploads (s3_upload.h): a stream cut into parts as it is
// read, and a file whose parts are read in place.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "base/byte_source.h"
#include "base/result.h"
#include "objstore/http_request.h"
#include "objstore/s3_upload.h"

namespace strata::objstore {

// Cuts a stream into parts of part_size bytes, the first ones from head: what Put read before it
// knew the object needed parts. Each part's bytes are owned by its body and freed with it, once
// the part is stored. Errors reading the source are IOError prefixed with context.
class StreamParts final : public PartSource {
 public:
  StreamParts(ByteSource* source, std::string head, uint64_t part_size, std::string context);
  Result<std::unique_ptr<RequestBody>> Next() override;

 private:
  ByteSource* source_;
  std::string head_;
  size_t head_pos_ = 0;  // head_[head_pos_..] is not in a part yet
  const uint64_t part_size_;
  const std::string context_;
  bool ended_ = false;  // the source returned 0
};

// The parts of a local file, read with pread when they are sent: none is held in memory.
class FileParts final : public PartSource {
 public:
  // Opens path, which must be a regular file; its size is taken now.
  static Result<std::unique_ptr<FileParts>> Open(const std::string& path);
  ~FileParts() override;
  FileParts(const FileParts&) = delete;
  FileParts& operator=(const FileParts&) = delete;

  uint64_t size() const { return size_; }
  // Parts of part_size bytes from now on, grown (to whole MiB) if the file would need more
  // than max_parts of them.
  void SetPartSize(uint64_t part_size, uint64_t max_parts);
  // The whole file as one body (a single PUT).
  std::unique_ptr<RequestBody> Whole() const;

  Result<std::unique_ptr<RequestBody>> Next() override;

 private:
  FileParts(int fd, std::string path, uint64_t size)
      : fd_(fd), path_(std::move(path)), size_(size) {}

  const int fd_;  // owned
  const std::string path_;
  const uint64_t size_;
  uint64_t part_size_ = 0;
  uint64_t offset_ = 0;  // where the next part starts
};

}  // namespace strata::objstore
