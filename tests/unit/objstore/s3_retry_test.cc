// Which failures are retried, which leave the outcome unknown, and the backoff's bounds.
#include "objstore/s3_retry.h"

#include <gtest/gtest.h>

namespace strata::objstore {
namespace {

AttemptOutcome Http(int status, std::string code = "") {
  AttemptOutcome o;
  o.http_status = status;
  o.s3_code = std::move(code);
  return o;
}

AttemptOutcome Transport(TransportError e) {
  AttemptOutcome o;
  o.transport = e;
  return o;
}

TEST(S3Retry, RetryableFailures) {
  for (int status : {429, 500, 502, 503, 504}) EXPECT_TRUE(IsRetryable(Http(status))) << status;
  EXPECT_TRUE(IsRetryable(Http(503, "SlowDown")));
  EXPECT_TRUE(IsRetryable(Http(400, "RequestTimeout")));
  EXPECT_TRUE(IsRetryable(Http(200, "InternalError")));  // after a CompleteMultipartUpload
  EXPECT_TRUE(IsRetryable(Transport(TransportError::kConnect)));
  EXPECT_TRUE(IsRetryable(Transport(TransportError::kTimeout)));
  EXPECT_TRUE(IsRetryable(Transport(TransportError::kConnectionLost)));
}

TEST(S3Retry, PermanentFailures) {
  for (int status : {400, 403, 404, 405, 409, 412, 416, 501}) {
    EXPECT_FALSE(IsRetryable(Http(status))) << status;
  }
  EXPECT_FALSE(IsRetryable(Http(403, "SignatureDoesNotMatch")));
  EXPECT_FALSE(IsRetryable(Http(404, "NoSuchKey")));
  EXPECT_FALSE(IsRetryable(Http(412, "PreconditionFailed")));
  EXPECT_FALSE(IsRetryable(Transport(TransportError::kCallback)));
  EXPECT_FALSE(IsRetryable(Transport(TransportError::kOther)));
}

TEST(S3Retry, OutcomeUnknown) {
  EXPECT_TRUE(OutcomeUnknown(Transport(TransportError::kTimeout)));
  EXPECT_TRUE(OutcomeUnknown(Transport(TransportError::kConnectionLost)));
  EXPECT_TRUE(OutcomeUnknown(Http(500, "InternalError")));
  EXPECT_TRUE(OutcomeUnknown(Http(502)));
  EXPECT_TRUE(OutcomeUnknown(Http(504)));
  // Never sent, or refused before acting.
  EXPECT_FALSE(OutcomeUnknown(Transport(TransportError::kConnect)));
  EXPECT_FALSE(OutcomeUnknown(Http(503, "SlowDown")));
  EXPECT_FALSE(OutcomeUnknown(Http(429)));
  EXPECT_FALSE(OutcomeUnknown(Http(412)));
}

TEST(S3Retry, BackoffIsFullJitterUnderTheCap) {
  RetryOptions options;
  options.base_delay = std::chrono::milliseconds(100);
  options.max_delay = std::chrono::milliseconds(1000);
  // Attempt n waits at most min(1000, 100 * 2^(n-2)) ms, and the whole range is used.
  const int64_t kCeiling[] = {100, 200, 400, 800, 1000, 1000};
  for (int attempt = 2; attempt <= 7; attempt++) {
    const int64_t ceiling = kCeiling[attempt - 2];
    int64_t low = INT64_MAX, high = 0;
    for (int i = 0; i < 2000; i++) {
      const int64_t d = BackoffDelay(options, attempt).count();
      ASSERT_GE(d, 0);
      ASSERT_LE(d, ceiling) << "attempt " << attempt;
      low = std::min(low, d);
      high = std::max(high, d);
    }
    EXPECT_LT(low, ceiling / 10) << "attempt " << attempt << ": no short delays";
    EXPECT_GT(high, ceiling * 9 / 10) << "attempt " << attempt << ": no long delays";
  }
  options.base_delay = std::chrono::milliseconds(0);
  EXPECT_EQ(BackoffDelay(options, 5).count(), 0);
}

}  // namespace
}  // namespace strata::objstore
