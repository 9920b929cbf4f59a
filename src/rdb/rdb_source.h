// RdbSource: where the bytes of an RDB stream come from.
//
// The parser reads a source front to back exactly once, in large chunks, so a source needs
// nothing but Read(). Implementations here: a file through strata::Env and an in-memory
// buffer; a socket source (a live Redis over the replication handshake) implements the same
// interface elsewhere.
#pragma once

#include <cstddef>
#include <memory>
#include <string>

#include "base/result.h"
#include "strata/env.h"
#include "strata/slice.h"

namespace strata::rdb {

class RdbSource {
 public:
  virtual ~RdbSource() = default;
  // Copies up to n bytes into dst and returns how many; 0 means the input has ended. A source
  // may return fewer than n bytes before its end (a socket does); the caller asks again.
  virtual Result<size_t> Read(char* dst, size_t n) = 0;
};

// Reads a caller-owned buffer. The bytes must stay alive and unchanged while the source is
// used.
class MemoryRdbSource final : public RdbSource {
 public:
  explicit MemoryRdbSource(Slice bytes) : bytes_(bytes) {}
  Result<size_t> Read(char* dst, size_t n) override;

 private:
  Slice bytes_;  // what is still unread
};

// Reads a file through an Env's SequentialFile.
class FileRdbSource final : public RdbSource {
 public:
  // Opens path through env (Env::Default() when null).
  static Result<std::unique_ptr<FileRdbSource>> Open(const std::string& path, Env* env = nullptr);
  explicit FileRdbSource(std::unique_ptr<SequentialFile> file, std::string path)
      : file_(std::move(file)), path_(std::move(path)) {}
  Result<size_t> Read(char* dst, size_t n) override;

 private:
  std::unique_ptr<SequentialFile> file_;
  std::string path_;  // for error messages
};

}  // namespace strata::rdb
