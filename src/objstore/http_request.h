// HttpClient: HTTP requests over libcurl, signed with libcurl's AWS SigV4, for the S3 store.
//
// One request is one exchange, no retries (s3_retry.h decides those): a method, a URL, headers,
// a body read through a RequestBody (rewound for each attempt, so a retried upload re-reads its
// bytes instead of keeping a copy), and a response whose 2xx body streams into a ByteSink while
// anything else (error documents, XML results) is collected in memory, bounded.
//
// Easy handles are pooled: a request borrows one, and returns it with its connection cache
// (keep-alive connections to the endpoint), so threads reuse connections without sharing a
// handle. Thread-safe.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "base/result.h"
#include "objstore/object_store.h"
#include "objstore/s3_options.h"

namespace strata::objstore {

// A request body that can be read again from the start.
class RequestBody {
 public:
  virtual ~RequestBody() = default;
  virtual uint64_t size() const = 0;
  // Reading restarts at the first byte. Called before every attempt.
  virtual void Rewind() = 0;
  // Copies up to n of the next bytes into dst; 0 only at the end.
  virtual Result<size_t> Read(char* dst, size_t n) = 0;
};

// A caller-owned buffer (a part of a streamed upload, an XML document).
class MemoryBody final : public RequestBody {
 public:
  explicit MemoryBody(Slice bytes) : bytes_(bytes) {}
  uint64_t size() const override { return bytes_.size(); }
  void Rewind() override { pos_ = 0; }
  Result<size_t> Read(char* dst, size_t n) override;

 private:
  Slice bytes_;
  size_t pos_ = 0;
};

// length bytes of an open file from offset, read with pread (a part of a file upload: nothing
// of it is held in memory). A file that ends early is an error naming path.
class FileRangeBody final : public RequestBody {
 public:
  FileRangeBody(int fd, std::string path, uint64_t offset, uint64_t length)
      : fd_(fd), path_(std::move(path)), offset_(offset), length_(length) {}
  uint64_t size() const override { return length_; }
  void Rewind() override { pos_ = 0; }
  Result<size_t> Read(char* dst, size_t n) override;

 private:
  int fd_;  // not owned
  std::string path_;
  uint64_t offset_;
  uint64_t length_;
  uint64_t pos_ = 0;
};

// Why a request got no complete response, for the retry rules (s3_retry.h).
enum class TransportError : unsigned char {
  kNone,            // a complete response arrived (any status)
  kConnect,         // no connection (refused, unresolved): the request was not sent
  kTimeout,         // connect timeout, or the transfer stalled below the low-speed limit
  kConnectionLost,  // reset, closed early, short body: the server may have acted on it
  kCallback,        // the body reader or the sink failed: HttpResponse::callback_status
  kOther,           // a local or protocol error that retrying would not change (bad URL, TLS)
};

struct HttpRequest {
  std::string method = "GET";        // GET, HEAD, PUT, POST, DELETE
  std::string url;                   // encoded already (s3_encoding.h)
  std::vector<std::string> headers;  // "Name: value"
  RequestBody* body = nullptr;       // null: none (a PUT or POST then sends Content-Length: 0)
  // Where a 2xx response's body goes; null collects it in HttpResponse::body.
  ByteSink* sink = nullptr;
};

struct HttpResponse {
  TransportError transport = TransportError::kNone;
  std::string transport_message;  // libcurl's explanation when transport != kNone
  Status callback_status;         // the reader's or sink's failure (kCallback)
  int status = 0;                 // 0 when no status line arrived
  // Lowercased names; for a repeated header, the last value.
  std::map<std::string, std::string> headers;
  // The body when it was not streamed to the sink (error documents, XML results).
  std::string body;
  uint64_t body_bytes = 0;  // bytes of the final response's body received, streamed or not

  const std::string* Header(const std::string& lowercase_name) const {
    auto it = headers.find(lowercase_name);
    return it == headers.end() ? nullptr : &it->second;
  }
};

struct HttpClientOptions {
  std::string region;                        // for the signature's scope
  std::optional<S3Credentials> credentials;  // nullopt: unsigned requests
  std::chrono::milliseconds connect_timeout{10'000};
  uint64_t low_speed_bytes = 1024;
  std::chrono::seconds low_speed_time{30};
  // Bodies kept in memory are cut off (an error) beyond this: XML results and error documents
  // are far smaller.
  size_t max_memory_body = 32u << 20;
};

class HttpClient {
 public:
  explicit HttpClient(HttpClientOptions options);
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  // Sends request and fills *response. Returns OK when a complete response arrived, whatever
  // its status; otherwise an IOError (or the callback's status) explaining the failure, with
  // response->transport saying which kind it was.
  Status Perform(const HttpRequest& request, HttpResponse* response);

 private:
  void* Acquire();  // a CURL* easy handle, reset
  void Release(void* handle);

  const HttpClientOptions options_;
  std::string signing_;      // CURLOPT_AWS_SIGV4's provider string
  std::mutex mu_;            // guards idle_
  std::vector<void*> idle_;  // CURL* handles not in use, with their connection caches
};

}  // namespace strata::objstore
