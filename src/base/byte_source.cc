#include "base/byte_source.h"

#include <algorithm>
#include <cstring>

namespace strata {

Result<size_t> MemoryByteSource::Read(char* dst, size_t n) {
  const size_t take = n < bytes_.size() ? n : bytes_.size();
  if (take > 0) std::memcpy(dst, bytes_.data(), take);
  bytes_.remove_prefix(take);
  return take;
}

Result<size_t> StringByteSource::Read(char* dst, size_t n) {
  const size_t take = std::min(n, bytes_.size() - pos_);
  if (take > 0) std::memcpy(dst, bytes_.data() + pos_, take);
  pos_ += take;
  return take;
}

Result<std::unique_ptr<FileByteSource>> FileByteSource::Open(const std::string& path, Env* env) {
  if (env == nullptr) env = Env::Default();
  std::unique_ptr<SequentialFile> file;
  Status s = env->NewSequentialFile(path, &file);
  if (!s.ok()) return s;
  return std::make_unique<FileByteSource>(std::move(file), path);
}

Result<size_t> FileByteSource::Read(char* dst, size_t n) {
  Slice got;
  Status s = file_->Read(n, &got, dst);
  if (!s.ok()) return Status::IOError("reading " + path_, s.message());
  // SequentialFile may hand back memory of its own rather than scratch.
  if (got.size() > 0 && got.data() != dst) std::memmove(dst, got.data(), got.size());
  return got.size();
}

}  // namespace strata
