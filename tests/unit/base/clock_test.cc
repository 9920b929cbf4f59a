#include "base/clock.h"

#include <gtest/gtest.h>

#include <ctime>

namespace strata {
namespace {

// These check ordering and lower bounds only: the machines are shared, so an upper bound on
// how long something took would be flaky.

TEST(ClockTest, MonotonicClocksNeverGoBackwards) {
  uint64_t last_micros = Clock::NowMicros();
  uint64_t last_nanos = Clock::NowNanos();
  for (int i = 0; i < 10000; i++) {
    const uint64_t micros = Clock::NowMicros();
    const uint64_t nanos = Clock::NowNanos();
    EXPECT_GE(micros, last_micros);
    EXPECT_GE(nanos, last_nanos);
    last_micros = micros;
    last_nanos = nanos;
  }
}

TEST(ClockTest, MicrosAndNanosShareAnOrigin) {
  const uint64_t micros_before = Clock::NowMicros();
  const uint64_t nanos = Clock::NowNanos();
  const uint64_t micros_after = Clock::NowMicros();
  EXPECT_GE(nanos / 1000, micros_before);
  EXPECT_LE(nanos / 1000, micros_after);
}

TEST(ClockTest, SleepLastsAtLeastAsLongAsAsked) {
  const uint64_t start = Clock::NowMicros();
  Clock::SleepForMicros(20000);
  EXPECT_GE(Clock::NowMicros() - start, 20000u);
  Clock::SleepForMicros(0);
}

TEST(ClockTest, UnixMillisAgreesWithTime) {
  const auto before = static_cast<uint64_t>(std::time(nullptr));
  const uint64_t millis = Clock::UnixMillis();
  const auto after = static_cast<uint64_t>(std::time(nullptr));
  EXPECT_GE(millis / 1000, before);
  EXPECT_LE(millis / 1000, after);
  // Sanity: after 2020-01-01 (1577836800 s).
  EXPECT_GT(millis, 1577836800000u);
}

}  // namespace
}  // namespace strata
