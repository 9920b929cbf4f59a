#include "base/rate_limiter.h"

#include <algorithm>
#include <thread>

namespace strata {

RateLimiter::RateLimiter(uint64_t bytes_per_second)
    : rate_(std::max<uint64_t>(bytes_per_second, 1)),
      tokens_(static_cast<double>(rate_)),
      last_refill_(Clock::now()) {}

void RateLimiter::Refill(Clock::time_point now) {
  const double seconds = std::chrono::duration<double>(now - last_refill_).count();
  tokens_ = std::min(static_cast<double>(rate_), tokens_ + seconds * static_cast<double>(rate_));
  last_refill_ = now;
}

void RateLimiter::Request(uint64_t bytes) {
  std::unique_lock lock(mu_);
  double needed = static_cast<double>(bytes);
  while (true) {
    Refill(Clock::now());
    // A piece no larger than the bucket can ever hold, so every request finishes.
    const double piece = std::min(needed, static_cast<double>(rate_));
    if (tokens_ >= piece) {
      tokens_ -= piece;
      needed -= piece;
      if (needed <= 0) return;
      continue;
    }
    const double missing_seconds = (piece - tokens_) / static_cast<double>(rate_);
    const auto wait = std::chrono::microseconds(static_cast<int64_t>(missing_seconds * 1e6) + 1);
    lock.unlock();
    std::this_thread::sleep_for(wait);
    lock.lock();
    waited_micros_ += static_cast<uint64_t>(wait.count());
  }
}

uint64_t RateLimiter::WaitedMicros() const {
  std::lock_guard lock(mu_);
  return waited_micros_;
}

}  // namespace strata
