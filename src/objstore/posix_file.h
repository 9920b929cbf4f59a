// The POSIX pieces objstore's file-backed parts share (the local store, downloads to files, the
// read cache): a descriptor that closes itself, a directory sync, mkdir -p.
#pragma once

#include <string>

#include "strata/status.h"

namespace strata::objstore {

// A file descriptor that closes itself.
class Fd {
 public:
  explicit Fd(int fd = -1) : fd_(fd) {}
  ~Fd() { Close(); }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;

  int get() const { return fd_; }
  void Reset(int fd) {
    Close();
    fd_ = fd;
  }
  // close(2)'s result (0 when there was nothing to close).
  int Close();
  // Hands the descriptor over without closing it.
  int Release() {
    const int fd = fd_;
    fd_ = -1;
    return fd;
  }

 private:
  int fd_;
};

// fsync of a directory: makes the names created, renamed or removed in it durable.
Status SyncDir(const std::string& dir);

// Creates the directory dir and every missing parent; with sync, each new directory's
// parent is synced, so its name is durable. A component that is a file is InvalidArgument
// naming it.
Status MakeDirs(const std::string& dir, bool sync);

}  // namespace strata::objstore
