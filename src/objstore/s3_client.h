// S3Client: one bucket's requests — URLs, signing, retries and error statuses — for S3Store.
//
// A request names an object by its full key (the store's prefix included) or the bucket by an
// empty key. The client builds the URL (path-style or virtual-hosted, the key encoded as SigV4
// signs it, the query sorted and encoded so that the URL's query is its canonical form) and
// sends it through HttpClient, attempting it again as RetryOptions and s3_retry.h say. Each
// attempt rewinds the request body, so a retried upload re-reads its bytes.
//
// Failures become statuses whose messages name the operation, the object's s3:// URL, the HTTP
// status and S3's error code and message ("PUT s3://b/k: HTTP 503 SlowDown: Please reduce your
// request rate (after 6 attempts)"). Codes: 404 NoSuchKey (or a 404 without a document) is
// NotFound; 412, PreconditionFailed and 409 ConditionalRequestConflict are PreconditionFailed;
// 416 is InvalidArgument; anything else IOError. A body reader's or sink's failure keeps its own
// code. Thread-safe.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "base/result.h"
#include "objstore/http_request.h"
#include "objstore/s3_config.h"
#include "objstore/s3_retry.h"

namespace strata::objstore {

struct S3Request {
  std::string op;  // for messages: "PUT", "GET", "UploadPart 3", "CompleteMultipartUpload"
  std::string method = "GET";
  std::string key;  // the full object key; empty for a request on the bucket
  // What messages name instead of key, when set (a listing's prefix).
  std::optional<std::string> display_key;
  std::vector<std::pair<std::string, std::string>> query;  // any order
  std::vector<std::string> headers;                        // "Name: value"
  RequestBody* body = nullptr;
  ByteSink* sink = nullptr;  // a 2xx body; null collects it in the response
  // CompleteMultipartUpload may answer 200 and then an <Error> document: check for one.
  bool error_may_follow_200 = false;
};

struct S3Reply {
  HttpResponse response;  // of the last attempt
  int attempts = 0;
  // An attempt before the last may have been acted on by the server (s3_retry.h's
  // OutcomeUnknown): a conditional request that now fails may have succeeded earlier.
  bool earlier_outcome_unknown = false;
};

class S3Client {
 public:
  S3Client(S3Config config, std::string bucket, const S3Options& options);

  const std::string& bucket() const { return bucket_; }
  const RetryOptions& retry() const { return retry_; }

  // "s3://bucket/key" for messages, bytes that are not printable ASCII escaped (escape.h).
  std::string DisplayUrl(const std::string& key) const;

  // One attempt; OK when a 2xx response arrived (and no <Error> followed it, when asked to
  // check). *outcome says how it ended, for the caller's retry decision.
  Status SendOnce(const S3Request& request, HttpResponse* response, AttemptOutcome* outcome);

  // Attempts request until it succeeds, fails for good, or runs out of attempts. A response
  // whose body already went partly to the request's sink is not retried here (the sink cannot
  // take the bytes again; Get resumes such reads itself).
  Status Send(const S3Request& request, S3Reply* reply);

  // The status for a failed attempt, as described above.
  Status FailureStatus(const S3Request& request, const HttpResponse& response,
                       const AttemptOutcome& outcome, int attempts) const;

 private:
  std::string RequestUrl(const S3Request& request) const;

  const S3Config config_;
  const std::string bucket_;
  const RetryOptions retry_;
  std::string origin_;       // "scheme://[bucket.]host[:port]"
  std::string path_prefix_;  // "/bucket" for path-style, "" for virtual-hosted
  HttpClient http_;
};

}  // namespace strata::objstore
