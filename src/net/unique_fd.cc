#include "net/unique_fd.h"

#include <unistd.h>

namespace strata::net {

void UniqueFd::Reset() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

}  // namespace strata::net
