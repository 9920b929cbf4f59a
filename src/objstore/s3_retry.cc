#include "objstore/s3_retry.h"

#include <algorithm>
#include <random>
#include <thread>

#include "base/random.h"

namespace strata::objstore {

bool IsRetryable(const AttemptOutcome& o) {
  switch (o.transport) {
    case TransportError::kConnect:
    case TransportError::kTimeout:
    case TransportError::kConnectionLost:
      return true;
    case TransportError::kCallback:
    case TransportError::kOther:
      return false;
    case TransportError::kNone:
      break;
  }
  if (o.s3_code == "SlowDown" || o.s3_code == "RequestTimeout" || o.s3_code == "InternalError") {
    return true;
  }
  switch (o.http_status) {
    case 429:
    case 500:
    case 502:
    case 503:
    case 504:
      return true;
    default:
      return false;
  }
}

bool OutcomeUnknown(const AttemptOutcome& o) {
  switch (o.transport) {
    case TransportError::kTimeout:
    case TransportError::kConnectionLost:
      return true;
    case TransportError::kNone:
      return o.http_status == 500 || o.http_status == 502 || o.http_status == 504 ||
             o.s3_code == "InternalError";
    default:
      return false;
  }
}

std::chrono::milliseconds BackoffDelay(const RetryOptions& options, int attempt) {
  // Jitter spreads clients that failed together; it needs no unpredictability, so one
  // generator per thread, seeded once from the system, is enough.
  thread_local Random random(std::random_device{}() ^
                             std::hash<std::thread::id>()(std::this_thread::get_id()));
  const int doublings = std::clamp(attempt - 2, 0, 30);
  const int64_t base = std::max<int64_t>(0, options.base_delay.count());
  const int64_t cap = std::max<int64_t>(0, options.max_delay.count());
  int64_t ceiling = base;
  for (int i = 0; i < doublings && ceiling < cap; i++) ceiling *= 2;
  ceiling = std::min(ceiling, cap);
  if (ceiling <= 0) return std::chrono::milliseconds(0);
  return std::chrono::milliseconds(random.Next() % static_cast<uint64_t>(ceiling + 1));
}

}  // namespace strata::objstore
