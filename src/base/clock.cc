#include "base/clock.h"

#include <chrono>
#include <limits>
#include <thread>

namespace strata {

namespace {

template <typename Duration, typename TimePoint>
uint64_t CountSinceEpoch(TimePoint t) {
  return static_cast<uint64_t>(std::chrono::duration_cast<Duration>(t.time_since_epoch()).count());
}

}  // namespace

uint64_t Clock::NowMicros() {
  return CountSinceEpoch<std::chrono::microseconds>(std::chrono::steady_clock::now());
}

uint64_t Clock::NowNanos() {
  return CountSinceEpoch<std::chrono::nanoseconds>(std::chrono::steady_clock::now());
}

uint64_t Clock::UnixMillis() {
  // Since C++20 system_clock's epoch is the Unix epoch.
  return CountSinceEpoch<std::chrono::milliseconds>(std::chrono::system_clock::now());
}

void Clock::SleepForMicros(uint64_t micros) {
  // sleep_for converts to nanoseconds internally; a larger request would overflow into a
  // negative duration and not sleep at all.
  constexpr uint64_t kMaxMicros =
      static_cast<uint64_t>(std::numeric_limits<std::chrono::nanoseconds::rep>::max() / 1000);
  if (micros > kMaxMicros) micros = kMaxMicros;
  std::this_thread::sleep_for(std::chrono::microseconds(static_cast<int64_t>(micros)));
}

}  // namespace strata
