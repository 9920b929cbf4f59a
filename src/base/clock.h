// Clock: the time sources Strata uses.
//
// Durations and latencies come from the monotonic clock (NowMicros, NowNanos), which never
// jumps backwards when the system time is changed; its zero point is arbitrary, so only
// differences mean anything. Expiry times, which must survive a restart and agree with
// other machines, come from the wall clock (UnixMillis).
#pragma once

#include <cstdint>

namespace strata {

class Clock {
 public:
  Clock() = delete;

  // Monotonic time in microseconds / nanoseconds since an arbitrary fixed point.
  static uint64_t NowMicros();
  static uint64_t NowNanos();
  // Wall-clock milliseconds since the Unix epoch (1970-01-01 UTC).
  static uint64_t UnixMillis();
  // Sleeps for at least `micros` microseconds.
  static void SleepForMicros(uint64_t micros);
};

}  // namespace strata
