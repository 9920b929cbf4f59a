// Which failed S3 requests are worth another attempt, and how long to wait before it.
//
// Retryable: no connection, a timeout or stalled transfer, a connection lost mid-exchange;
// HTTP 500, 502, 503, 504 and 429; S3 error codes SlowDown, RequestTimeout and InternalError
// whatever their status (RequestTimeout comes with 400, and an InternalError can arrive inside
// a 200 CompleteMultipartUpload answer). Everything else — 4xx answers, TLS and URL errors, a
// sink or body reader that failed — would fail the same way again.
#pragma once

#include <chrono>
#include <string>

#include "objstore/http_request.h"
#include "objstore/s3_options.h"

namespace strata::objstore {

// The outcome of one attempt, as far as retrying cares.
struct AttemptOutcome {
  TransportError transport = TransportError::kNone;
  int http_status = 0;
  std::string s3_code;  // from the error document, when there was one
};

bool IsRetryable(const AttemptOutcome& outcome);

// Whether the server may have acted on a request whose attempt ended this way: a lost
// connection, a timeout, or a 500/502/504 (the write may have happened before the failure).
// A refused connection, 503/429 throttling and 4xx answers are known not to have acted.
bool OutcomeUnknown(const AttemptOutcome& outcome);

// The delay before attempt `attempt` (2 for the first retry): uniformly random in
// [0, min(max_delay, base_delay * 2^(attempt - 2))] ("full jitter").
std::chrono::milliseconds BackoffDelay(const RetryOptions& options, int attempt);

}  // namespace strata::objstore
