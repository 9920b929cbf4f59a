#include "net/deadline.h"

#include <poll.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>

namespace strata::net {

namespace {

// Milliseconds left until deadline, for poll(): at least 0, at most INT_MAX. Rounded up, so
// that a wait does not wake a fraction of a millisecond early and spin.
int PollTimeout(Deadline deadline) {
  const auto left = deadline - Clock::now();
  const auto ms = std::chrono::ceil<std::chrono::milliseconds>(left).count();
  return static_cast<int>(std::clamp<long long>(ms, 0, 0x7fffffff));
}

}  // namespace

std::string SecondsText(Clock::duration d) {
  const double seconds = std::chrono::duration<double>(d).count();
  char text[32];
  std::snprintf(text, sizeof(text), "%.1f s", seconds);
  return text;
}

Result<bool> WaitReady(int fd, short events, Deadline deadline, const std::string& what) {
  while (true) {
    pollfd p{fd, events, 0};
    const int n = ::poll(&p, 1, PollTimeout(deadline));
    if (n > 0) return true;
    if (n == 0) {
      if (Clock::now() >= deadline) return false;
      continue;  // poll's millisecond rounding woke us a little early
    }
    if (errno != EINTR) return Status::IOError(what + ": poll", std::strerror(errno));
  }
}

}  // namespace strata::net
