#include "objstore/object_store.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>

#include "base/posix_error.h"

namespace strata::objstore {

Result<ObjectInfo> ObjectStore::PutFile(std::string_view key, const std::string& path,
                                        const PutOptions& options) {
  auto source = FileByteSource::Open(path);
  if (!source.ok()) return source.status();
  return Put(key, source->get(), options);
}

namespace {

// Writes to a temporary file beside the target; Commit() syncs and renames it into place.
class TempFileSink final : public ByteSink {
 public:
  explicit TempFileSink(std::string path) : path_(std::move(path)), tmp_(path_ + ".strata-part") {}
  ~TempFileSink() override {
    if (fd_ >= 0) {
      ::close(fd_);
      ::unlink(tmp_.c_str());
    }
  }
  Status Open() {
    fd_ = ::open(tmp_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd_ < 0) return PosixError("create", tmp_, errno);
    return Status::OK();
  }
  Status Append(Slice data) override {
    const char* p = data.data();
    size_t left = data.size();
    while (left > 0) {
      const ssize_t n = ::write(fd_, p, left);
      if (n < 0) {
        if (errno == EINTR) continue;
        return PosixError("write", tmp_, errno);
      }
      p += n;
      left -= static_cast<size_t>(n);
    }
    return Status::OK();
  }
  Status Commit() {
    if (::fsync(fd_) != 0) return PosixError("fsync", tmp_, errno);
    const int fd = fd_;
    fd_ = -1;
    if (::close(fd) != 0) {
      ::unlink(tmp_.c_str());
      return PosixError("close", tmp_, errno);
    }
    if (::rename(tmp_.c_str(), path_.c_str()) != 0) {
      const int err = errno;
      ::unlink(tmp_.c_str());
      return PosixError("rename to", path_, err);
    }
    return Status::OK();
  }

 private:
  std::string path_;
  std::string tmp_;
  int fd_ = -1;
};

}  // namespace

Result<ObjectInfo> ObjectStore::GetFile(std::string_view key, const std::string& path) {
  TempFileSink sink(path);
  Status s = sink.Open();
  if (!s.ok()) return s;
  auto info = Get(key, GetOptions(), &sink);
  if (!info.ok()) return info.status();
  s = sink.Commit();
  if (!s.ok()) return s;
  return info;
}

Status ListAll(ObjectStore* store, std::string_view prefix, std::string_view delimiter,
               const std::function<Status(const ObjectInfo&)>& on_object,
               const std::function<Status(const std::string&)>& on_prefix) {
  ListOptions options;
  options.prefix = prefix;
  options.delimiter = delimiter;
  while (true) {
    auto page = store->List(options);
    if (!page.ok()) return page.status();
    for (const ObjectInfo& o : page->objects) {
      if (on_object) {
        Status s = on_object(o);
        if (!s.ok()) return s;
      }
    }
    for (const std::string& p : page->common_prefixes) {
      if (on_prefix) {
        Status s = on_prefix(p);
        if (!s.ok()) return s;
      }
    }
    if (page->next_token.empty()) return Status::OK();
    options.continuation_token = page->next_token;
  }
}

Result<ObjectInfo> PutString(ObjectStore* store, std::string_view key, std::string_view bytes,
                             const PutOptions& options) {
  MemoryByteSource source(Slice(bytes.data(), bytes.size()));
  return store->Put(key, &source, options);
}

Result<std::string> GetString(ObjectStore* store, std::string_view key) {
  StringSink sink;
  auto info = store->Get(key, GetOptions(), &sink);
  if (!info.ok()) return info.status();
  return sink.Release();
}

}  // namespace strata::objstore
