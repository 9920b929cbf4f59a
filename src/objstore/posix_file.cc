#include "objstore/posix_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

#include "base/posix_error.h"

namespace strata::objstore {

int Fd::Close() {
  const int r = fd_ >= 0 ? ::close(fd_) : 0;
  fd_ = -1;
  return r;
}

Status SyncDir(const std::string& dir) {
  Fd fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (fd.get() < 0) return PosixError("open directory", dir, errno);
  if (::fsync(fd.get()) != 0) return PosixError("fsync directory", dir, errno);
  return Status::OK();
}

Status MakeDirs(const std::string& dir, bool sync) {
  for (size_t at = 1; at <= dir.size(); at++) {
    if (at != dir.size() && dir[at] != '/') continue;
    const std::string sub = dir.substr(0, at);
    if (::mkdir(sub.c_str(), 0755) == 0) {
      if (sync) {
        const size_t slash = sub.rfind('/');
        Status s = SyncDir(slash == std::string::npos ? "."
                           : slash == 0               ? "/"
                                                      : sub.substr(0, slash));
        if (!s.ok()) return s;
      }
    } else if (errno == ENOTDIR) {
      return Status::InvalidArgument("a path component is a file", sub);
    } else if (errno != EEXIST) {
      return PosixError("mkdir", sub, errno);
    }
  }
  return Status::OK();
}

}  // namespace strata::objstore
