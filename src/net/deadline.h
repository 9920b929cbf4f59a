// Deadlines for blocking socket calls, and the poll() wait under them.
//
// Every blocking call in net takes an absolute Deadline rather than a timeout: a caller
// that makes several calls for one operation (connect to each resolved address, send a
// command, read its reply) bounds all of them by one point in time. Clock is steady_clock,
// so wall-clock jumps move no deadline.
#pragma once

#include <chrono>
#include <string>

#include "base/result.h"

namespace strata::net {

using Clock = std::chrono::steady_clock;
using Deadline = Clock::time_point;

// now + timeout.
inline Deadline DeadlineAfter(std::chrono::milliseconds timeout) { return Clock::now() + timeout; }

// "0.2 s", "10.0 s": how messages state a duration.
std::string SecondsText(Clock::duration d);

// Waits until fd is ready for events (POLLIN, POLLOUT) or the deadline passes; retries on
// EINTR. true when ready (including POLLERR/POLLHUP: the next call on fd says what
// happened), false when the deadline passed first. A failed poll() is IOError naming what.
Result<bool> WaitReady(int fd, short events, Deadline deadline, const std::string& what);

}  // namespace strata::net
