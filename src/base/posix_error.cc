#include "base/posix_error.h"

#include <cerrno>
#include <cstring>

namespace strata {

Status PosixError(const char* op, const std::string& path, int err) {
  std::string msg = std::string(op) + " " + path;
  if (err == ENOENT) return Status::NotFound(msg, std::strerror(err));
  return Status::IOError(msg, std::strerror(err));
}

}  // namespace strata
