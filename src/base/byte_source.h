// ByteSource: a stream of bytes read front to back, once.
//
// The one interface for "where bytes come from" when a reader needs nothing but the next
// bytes in order: the RDB parser reads a file, a buffer or a live server's snapshot through
// it. Read() copies up to n bytes and may return fewer than n before the end (a socket does);
// the caller asks again. 0 means the end, and every later Read() returns 0 again or the
// source's error.
//
// Implementations here: MemoryByteSource (a caller-owned buffer), StringByteSource (a string
// it owns) and FileByteSource (a file through an Env). Not thread-safe: one reader at a time.
#pragma once

#include <cstddef>
#include <memory>
#include <string>

#include "base/result.h"
#include "strata/env.h"
#include "strata/slice.h"

namespace strata {

class ByteSource {
 public:
  virtual ~ByteSource() = default;
  // Copies up to n bytes into dst and returns how many; 0 means the input has ended.
  virtual Result<size_t> Read(char* dst, size_t n) = 0;
};

// Reads a caller-owned buffer. The bytes must stay alive and unchanged while the source is
// used.
class MemoryByteSource final : public ByteSource {
 public:
  explicit MemoryByteSource(Slice bytes) : bytes_(bytes) {}
  Result<size_t> Read(char* dst, size_t n) override;

 private:
  Slice bytes_;  // what is still unread
};

// Reads a string it owns.
class StringByteSource final : public ByteSource {
 public:
  explicit StringByteSource(std::string bytes) : bytes_(std::move(bytes)) {}
  Result<size_t> Read(char* dst, size_t n) override;

 private:
  std::string bytes_;
  size_t pos_ = 0;  // next unread byte
};

// Reads a file through an Env's SequentialFile. Errors name the path.
class FileByteSource final : public ByteSource {
 public:
  // Opens path through env (Env::Default() when null).
  static Result<std::unique_ptr<FileByteSource>> Open(const std::string& path, Env* env = nullptr);
  FileByteSource(std::unique_ptr<SequentialFile> file, std::string path)
      : file_(std::move(file)), path_(std::move(path)) {}
  Result<size_t> Read(char* dst, size_t n) override;

  const std::string& path() const { return path_; }

 private:
  std::unique_ptr<SequentialFile> file_;
  std::string path_;  // for error messages
};

}  // namespace strata
