// RateLimiter: a token bucket that paces background I/O (compaction writes) so that it does
// not starve foreground reads and writes of disk bandwidth.
//
// Request(bytes) blocks until the bucket holds enough tokens; tokens accrue continuously at
// bytes_per_second, and at most one second's worth accumulates while nobody asks. Requests
// larger than a second's worth are granted in pieces. Thread-safe.
#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>

namespace strata {

class RateLimiter {
 public:
  explicit RateLimiter(uint64_t bytes_per_second);

  void Request(uint64_t bytes);

  uint64_t bytes_per_second() const { return rate_; }
  // Total time callers spent waiting, for statistics.
  uint64_t WaitedMicros() const;

 private:
  using Clock = std::chrono::steady_clock;
  void Refill(Clock::time_point now);  // mu_ held

  const uint64_t rate_;
  mutable std::mutex mu_;
  double tokens_;
  Clock::time_point last_refill_;
  uint64_t waited_micros_ = 0;
};

}  // namespace strata
