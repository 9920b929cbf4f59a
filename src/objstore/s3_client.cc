#include "objstore/s3_client.h"

#include <algorithm>
#include <thread>

#include "base/escape.h"
#include "objstore/s3_encoding.h"
#include "objstore/s3_xml.h"

namespace strata::objstore {

namespace {

HttpClientOptions ClientOptions(const S3Config& config, const S3Options& options) {
  HttpClientOptions out;
  out.region = config.region;
  out.credentials = config.credentials;
  out.connect_timeout = options.connect_timeout;
  out.low_speed_bytes = options.low_speed_bytes;
  out.low_speed_time = options.low_speed_time;
  return out;
}

// status with prefix before its message, same code.
Status WithContext(const Status& status, const std::string& prefix) {
  const std::string msg = prefix + ": " + status.message();
  switch (status.code()) {
    case Status::Code::kNotFound:
      return Status::NotFound(msg);
    case Status::Code::kCorruption:
      return Status::Corruption(msg);
    case Status::Code::kInvalidArgument:
      return Status::InvalidArgument(msg);
    case Status::Code::kNotSupported:
      return Status::NotSupported(msg);
    case Status::Code::kBusy:
      return Status::Busy(msg);
    case Status::Code::kAborted:
      return Status::Aborted(msg);
    case Status::Code::kPreconditionFailed:
      return Status::PreconditionFailed(msg);
    default:
      return Status::IOError(msg);
  }
}

}  // namespace

S3Client::S3Client(S3Config config, std::string bucket, const S3Options& options)
    : config_(std::move(config)),
      bucket_(std::move(bucket)),
      retry_(options.retry),
      http_(ClientOptions(config_, options)) {
  if (config_.path_style) {
    origin_ = config_.endpoint;
    path_prefix_ = "/" + UriEncode(bucket_, false);
  } else {
    const size_t scheme_end = config_.endpoint.find("://") + 3;
    origin_ = config_.endpoint.substr(0, scheme_end) + bucket_ + "." +
              config_.endpoint.substr(scheme_end);
  }
}

std::string S3Client::DisplayUrl(const std::string& key) const {
  return EscapeBytes("s3://" + bucket_ + (key.empty() ? "" : "/" + key));
}

std::string S3Client::RequestUrl(const S3Request& request) const {
  std::string url = origin_ + path_prefix_;
  if (!request.key.empty()) {
    url += '/';
    url += UriEncode(request.key, true);
  } else if (path_prefix_.empty()) {
    url += '/';
  }
  // Sorted by name, then value, each encoded: the canonical query string SigV4 signs, so the
  // signature holds whether or not libcurl canonicalizes the query itself (7.88 does not). A
  // parameter without a value is sent as "name=", its canonical form.
  auto query = request.query;
  for (auto& [name, value] : query) {
    name = UriEncode(name, false);
    value = UriEncode(value, false);
  }
  std::sort(query.begin(), query.end());
  for (size_t i = 0; i < query.size(); i++) {
    url += i == 0 ? '?' : '&';
    url += query[i].first;
    url += '=';
    url += query[i].second;
  }
  return url;
}

Status S3Client::SendOnce(const S3Request& request, HttpResponse* response,
                          AttemptOutcome* outcome) {
  HttpRequest http;
  http.method = request.method;
  http.url = RequestUrl(request);
  http.headers = request.headers;
  http.body = request.body;
  http.sink = request.sink;
  Status s = http_.Perform(http, response);
  *outcome = AttemptOutcome();
  outcome->transport = response->transport;
  outcome->http_status = response->status;
  if (!s.ok()) return s;
  const bool success = response->status >= 200 && response->status < 300;
  if (!success || (request.error_may_follow_200 && response->status == 200)) {
    // An error document, when the body holds one (a HEAD has none).
    auto doc = ParseS3Error(response->body, "error document");
    if (doc.ok()) {
      outcome->s3_code = doc->code;
      if (success) return Status::IOError("error document after HTTP 200");
    }
  }
  return success ? Status::OK() : Status::IOError("HTTP " + std::to_string(response->status));
}

Status S3Client::Send(const S3Request& request, S3Reply* reply) {
  const int max_attempts = std::max(1, retry_.max_attempts);
  reply->earlier_outcome_unknown = false;
  for (int attempt = 1;; attempt++) {
    if (attempt > 1) std::this_thread::sleep_for(BackoffDelay(retry_, attempt));
    AttemptOutcome outcome;
    Status s = SendOnce(request, &reply->response, &outcome);
    reply->attempts = attempt;
    if (s.ok()) return s;
    const bool streamed = request.sink != nullptr && reply->response.body_bytes > 0 &&
                          reply->response.status >= 200 && reply->response.status < 300;
    if (attempt >= max_attempts || streamed || !IsRetryable(outcome)) {
      return FailureStatus(request, reply->response, outcome, attempt);
    }
    if (OutcomeUnknown(outcome)) reply->earlier_outcome_unknown = true;
  }
}

Status S3Client::FailureStatus(const S3Request& request, const HttpResponse& response,
                               const AttemptOutcome& outcome, int attempts) const {
  std::string prefix = request.op + " " + DisplayUrl(request.display_key.value_or(request.key));
  const std::string after =
      attempts > 1 ? " (after " + std::to_string(attempts) + " attempts)" : std::string();
  if (response.transport == TransportError::kCallback) {
    return WithContext(response.callback_status, prefix);
  }
  if (response.transport != TransportError::kNone) {
    return Status::IOError(prefix + ": " + response.transport_message + after);
  }
  std::string msg = prefix + ": HTTP " + std::to_string(response.status);
  std::string message;
  if (!outcome.s3_code.empty()) {
    msg += " " + outcome.s3_code;
    auto doc = ParseS3Error(response.body, "error document");
    if (doc.ok()) message = doc->message;
  } else if (!response.body.empty()) {
    // Not an S3 error document (a proxy's page?): show its start.
    message = EscapeBytes(response.body, 200);
  }
  if (!message.empty()) msg += ": " + message;
  if (response.status == 403 && !config_.credentials.has_value()) {
    msg += " (no AWS credentials were found, so the request was not signed)";
  }
  msg += after;
  const std::string& code = outcome.s3_code;
  if (response.status == 412 || code == "PreconditionFailed" ||
      code == "ConditionalRequestConflict") {
    return Status::PreconditionFailed(msg);
  }
  if (response.status == 404 && (code.empty() || code == "NoSuchKey")) {
    return Status::NotFound(msg);
  }
  if (response.status == 416) return Status::InvalidArgument(msg);
  return Status::IOError(msg);
}

}  // namespace strata::objstore
