// Files over strings, for tests and fuzz targets that hand bytes to a reader or collect what a
// writer produced without a file system (no Env, no names, no crashes: MemEnv is for those).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <utility>

#include "strata/env.h"

namespace strata::testing {

// A WritableFile that appends to a string: its own, or one the caller owns, which must stay
// alive while the file is used. Nothing is buffered, so the string holds every appended byte
// as soon as Append() returns; Flush, Sync, SyncFlushed and Close do nothing and succeed.
class StringWritableFile final : public WritableFile {
 public:
  StringWritableFile() : dest_(&own_) {}
  explicit StringWritableFile(std::string* dest) : dest_(dest) {}
  StringWritableFile(const StringWritableFile&) = delete;
  StringWritableFile& operator=(const StringWritableFile&) = delete;

  Status Append(const Slice& data) override;
  Status Flush() override { return Status::OK(); }
  Status Sync() override { return Status::OK(); }
  Status SyncFlushed() override { return Status::OK(); }
  Status Close() override { return Status::OK(); }
  uint64_t Size() const override { return dest_->size(); }

  // The bytes appended so far (the caller's string, if one was given).
  std::string& contents() { return *dest_; }

 private:
  std::string own_;
  std::string* const dest_;  // &own_, or the caller's string
};

// A SequentialFile over its own copy of some bytes. A read at the end returns no bytes, one
// near it fewer than asked; Skip() past the end stops at the end.
class StringSequentialFile final : public SequentialFile {
 public:
  explicit StringSequentialFile(std::string bytes) : bytes_(std::move(bytes)) {}

  Status Read(size_t n, Slice* result, char* scratch) override;
  Status Skip(uint64_t n) override;

 private:
  const std::string bytes_;
  size_t pos_ = 0;  // <= bytes_.size()
};

// A RandomAccessFile over its own copy of some bytes. Reads copy into scratch, as a pread-based
// file does (results never point into the copy); a read at or past the end returns no bytes,
// one near it fewer than asked.
class StringRandomAccessFile final : public RandomAccessFile {
 public:
  explicit StringRandomAccessFile(std::string bytes) : bytes_(std::move(bytes)) {}

  Status Read(uint64_t offset, size_t n, Slice* result, char* scratch) const override;

 private:
  const std::string bytes_;
};

// A copy of a fuzz input (or any raw buffer) as a file; the copy costs nothing next to parsing.
inline std::unique_ptr<StringRandomAccessFile> FileOverCopyOf(const uint8_t* data, size_t size) {
  return std::make_unique<StringRandomAccessFile>(
      std::string(reinterpret_cast<const char*>(data), size));
}

}  // namespace strata::testing
