#include "objstore/http_request.h"

#include <curl/curl.h>
#include <pthread.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "base/posix_error.h"

namespace strata::objstore {

Result<size_t> MemoryBody::Read(char* dst, size_t n) {
  const size_t take = std::min(n, bytes_.size() - pos_);
  std::memcpy(dst, bytes_.data() + pos_, take);
  pos_ += take;
  return take;
}

Result<size_t> FileRangeBody::Read(char* dst, size_t n) {
  const uint64_t left = length_ - pos_;
  if (left == 0) return size_t{0};
  const size_t want = static_cast<size_t>(std::min<uint64_t>(n, left));
  while (true) {
    const ssize_t got = ::pread(fd_, dst, want, static_cast<off_t>(offset_ + pos_));
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) return PosixError("read", path_, errno);
    if (got == 0) {
      return Status::IOError(path_ + ": file ended at byte " + std::to_string(offset_ + pos_) +
                             ", before the " + std::to_string(offset_ + length_) +
                             " bytes being uploaded (did it shrink?)");
    }
    pos_ += static_cast<uint64_t>(got);
    return static_cast<size_t>(got);
  }
}

namespace {

void GlobalInit() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

// What the libcurl callbacks of one transfer share.
struct Transfer {
  const HttpRequest* request;
  HttpResponse* response;
  size_t max_memory_body;
};

size_t OnHeader(char* data, size_t size, size_t count, void* user) {
  auto* t = static_cast<Transfer*>(user);
  const size_t n = size * count;
  std::string_view line(data, n);
  while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.remove_suffix(1);
  if (line.starts_with("HTTP/")) {
    // A new response begins (after a 100 Continue): its headers replace the previous ones.
    t->response->headers.clear();
    t->response->body.clear();
    t->response->body_bytes = 0;
    const size_t sp = line.find(' ');
    if (sp != std::string_view::npos) {
      int code = 0;
      for (size_t i = sp + 1; i < line.size() && i < sp + 4; i++) {
        if (line[i] < '0' || line[i] > '9') break;
        code = code * 10 + (line[i] - '0');
      }
      t->response->status = code;
    }
    return n;
  }
  const size_t colon = line.find(':');
  if (colon == std::string_view::npos || colon == 0) return n;
  std::string name(line.substr(0, colon));
  for (char& c : name) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  std::string_view value = line.substr(colon + 1);
  while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
  while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) value.remove_suffix(1);
  t->response->headers[std::move(name)] = std::string(value);
  return n;
}

size_t OnBody(char* data, size_t size, size_t count, void* user) {
  auto* t = static_cast<Transfer*>(user);
  const size_t n = size * count;
  HttpResponse* r = t->response;
  r->body_bytes += n;
  const bool success = r->status >= 200 && r->status < 300;
  if (success && t->request->sink != nullptr) {
    Status s = t->request->sink->Append(Slice(data, n));
    if (!s.ok()) {
      r->callback_status = std::move(s);
      return 0;  // libcurl stops with CURLE_WRITE_ERROR
    }
    return n;
  }
  if (r->body.size() + n > t->max_memory_body) {
    r->callback_status = Status::IOError("response body larger than " +
                                         std::to_string(t->max_memory_body) + " bytes");
    return 0;
  }
  r->body.append(data, n);
  return n;
}

size_t OnRead(char* dst, size_t size, size_t count, void* user) {
  auto* t = static_cast<Transfer*>(user);
  auto got = t->request->body->Read(dst, size * count);
  if (!got.ok()) {
    t->response->callback_status = got.status();
    return CURL_READFUNC_ABORT;
  }
  return *got;
}

// libcurl rewinds the body when it must send it again on the same transfer.
int OnSeek(void* user, curl_off_t offset, int origin) {
  auto* t = static_cast<Transfer*>(user);
  if (offset != 0 || origin != SEEK_SET) return CURL_SEEKFUNC_CANTSEEK;
  t->request->body->Rewind();
  return CURL_SEEKFUNC_OK;
}

TransportError Classify(CURLcode code) {
  switch (code) {
    case CURLE_OK:
      return TransportError::kNone;
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
    case CURLE_COULDNT_CONNECT:
      return TransportError::kConnect;
    case CURLE_OPERATION_TIMEDOUT:
      return TransportError::kTimeout;
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_PARTIAL_FILE:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_WEIRD_SERVER_REPLY:
    case CURLE_SEND_FAIL_REWIND:
      return TransportError::kConnectionLost;
    default:
      return TransportError::kOther;
  }
}

// Blocks SIGPIPE in this thread while it lives. A write to a connection the peer closed raises
// SIGPIPE in the writing thread, which would end the process; libcurl avoids it only by
// changing the process-wide disposition, which it does not do with CURLOPT_NOSIGNAL (set because
// other threads run), and TLS writes go through OpenSSL's write(), without MSG_NOSIGNAL. So the
// signal is blocked around the transfer, and one raised meanwhile is taken before unblocking.
class ScopedSigpipeBlock {
 public:
  ScopedSigpipeBlock() {
    sigemptyset(&pipe_);
    sigaddset(&pipe_, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &pipe_, &old_);
  }
  ~ScopedSigpipeBlock() {
    if (sigismember(&old_, SIGPIPE) == 1) return;  // blocked before: leave it as it was
    sigset_t pending;
    if (sigpending(&pending) == 0 && sigismember(&pending, SIGPIPE) == 1) {
      const timespec zero{0, 0};
      (void)sigtimedwait(&pipe_, nullptr, &zero);
    }
    pthread_sigmask(SIG_SETMASK, &old_, nullptr);
  }
  ScopedSigpipeBlock(const ScopedSigpipeBlock&) = delete;
  ScopedSigpipeBlock& operator=(const ScopedSigpipeBlock&) = delete;

 private:
  sigset_t pipe_;
  sigset_t old_;
};

// An empty body for PUT and POST without one: libcurl would read stdin otherwise.
class EmptyBody final : public RequestBody {
 public:
  uint64_t size() const override { return 0; }
  void Rewind() override {}
  Result<size_t> Read(char*, size_t) override { return size_t{0}; }
};

}  // namespace

HttpClient::HttpClient(HttpClientOptions options) : options_(std::move(options)) {
  GlobalInit();
  signing_ = "aws:amz:" + options_.region + ":s3";
}

HttpClient::~HttpClient() {
  for (void* h : idle_) curl_easy_cleanup(static_cast<CURL*>(h));
}

void* HttpClient::Acquire() {
  CURL* h = nullptr;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!idle_.empty()) {
      h = static_cast<CURL*>(idle_.back());
      idle_.pop_back();
    }
  }
  if (h == nullptr) return curl_easy_init();
  // Forgets the previous request's options, keeps the connection cache.
  curl_easy_reset(h);
  return h;
}

void HttpClient::Release(void* handle) {
  constexpr size_t kMaxIdle = 64;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (idle_.size() < kMaxIdle) {
      idle_.push_back(handle);
      return;
    }
  }
  curl_easy_cleanup(static_cast<CURL*>(handle));
}

Status HttpClient::Perform(const HttpRequest& request, HttpResponse* response) {
  *response = HttpResponse();
  CURL* h = static_cast<CURL*>(Acquire());
  if (h == nullptr) {
    response->transport = TransportError::kOther;
    response->transport_message = "curl_easy_init failed";
    return Status::IOError("cannot create an HTTP handle (curl_easy_init failed)");
  }

  EmptyBody empty;
  HttpRequest req = request;  // a copy whose body is never null for uploads
  if (req.body == nullptr) req.body = &empty;
  req.body->Rewind();
  Transfer transfer{&req, response, options_.max_memory_body};
  char error_buffer[CURL_ERROR_SIZE] = {0};

  curl_easy_setopt(h, CURLOPT_URL, req.url.c_str());
  curl_easy_setopt(h, CURLOPT_ERRORBUFFER, error_buffer);
  // Signals are not for libraries in threaded programs (timeouts use the threaded resolver).
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  // The URL is sent and signed exactly as built: "a/../b" is a key, not a path to resolve.
  curl_easy_setopt(h, CURLOPT_PATH_AS_IS, 1L);
  curl_easy_setopt(h, CURLOPT_HTTP_VERSION, static_cast<long>(CURL_HTTP_VERSION_1_1));
  curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS,
                   static_cast<long>(options_.connect_timeout.count()));
  curl_easy_setopt(h, CURLOPT_LOW_SPEED_LIMIT, static_cast<long>(options_.low_speed_bytes));
  curl_easy_setopt(h, CURLOPT_LOW_SPEED_TIME, static_cast<long>(options_.low_speed_time.count()));
  curl_easy_setopt(h, CURLOPT_TCP_KEEPALIVE, 1L);
  curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, OnHeader);
  curl_easy_setopt(h, CURLOPT_HEADERDATA, &transfer);
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, OnBody);
  curl_easy_setopt(h, CURLOPT_WRITEDATA, &transfer);

  std::vector<std::string> headers = req.headers;
  if (options_.credentials.has_value()) {
    curl_easy_setopt(h, CURLOPT_AWS_SIGV4, signing_.c_str());
    curl_easy_setopt(h, CURLOPT_USERNAME, options_.credentials->access_key_id.c_str());
    curl_easy_setopt(h, CURLOPT_PASSWORD, options_.credentials->secret_access_key.c_str());
    // The body is not hashed: S3 accepts "UNSIGNED-PAYLOAD" and the payload is checked with
    // Content-MD5 instead. libcurl 7.88 signs with this header's value when it is given (and
    // would otherwise hash an empty payload for a streamed body).
    headers.push_back("x-amz-content-sha256: UNSIGNED-PAYLOAD");
    if (!options_.credentials->session_token.empty()) {
      headers.push_back("x-amz-security-token: " + options_.credentials->session_token);
    }
  }

  if (req.method == "GET") {
    curl_easy_setopt(h, CURLOPT_HTTPGET, 1L);
  } else if (req.method == "HEAD") {
    curl_easy_setopt(h, CURLOPT_NOBODY, 1L);
  } else if (req.method == "PUT" || req.method == "POST") {
    curl_easy_setopt(h, CURLOPT_READFUNCTION, OnRead);
    curl_easy_setopt(h, CURLOPT_READDATA, &transfer);
    curl_easy_setopt(h, CURLOPT_SEEKFUNCTION, OnSeek);
    curl_easy_setopt(h, CURLOPT_SEEKDATA, &transfer);
    const auto size = static_cast<curl_off_t>(req.body->size());
    if (req.method == "PUT") {
      curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
      curl_easy_setopt(h, CURLOPT_INFILESIZE_LARGE, size);
    } else {
      curl_easy_setopt(h, CURLOPT_POST, 1L);
      curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, size);
    }
  } else {
    curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, req.method.c_str());
  }

  curl_slist* list = nullptr;
  for (const std::string& header : headers) list = curl_slist_append(list, header.c_str());
  curl_easy_setopt(h, CURLOPT_HTTPHEADER, list);

  CURLcode code;
  {
    ScopedSigpipeBlock no_sigpipe;
    code = curl_easy_perform(h);
  }
  long status = 0;
  curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
  if (status != 0) response->status = static_cast<int>(status);
  curl_easy_setopt(h, CURLOPT_HTTPHEADER, nullptr);
  curl_easy_setopt(h, CURLOPT_ERRORBUFFER, nullptr);
  curl_slist_free_all(list);
  Release(h);

  if (code == CURLE_OK) {
    // A sink or reader failure that libcurl did not notice still fails the exchange.
    if (!response->callback_status.ok()) {
      response->transport = TransportError::kCallback;
      return response->callback_status;
    }
    return Status::OK();
  }
  if (!response->callback_status.ok()) {
    response->transport = TransportError::kCallback;
    return response->callback_status;
  }
  response->transport = Classify(code);
  response->transport_message = curl_easy_strerror(code);
  if (error_buffer[0] != '\0') response->transport_message += std::string(": ") + error_buffer;
  return Status::IOError(response->transport_message);
}

}  // namespace strata::objstore
