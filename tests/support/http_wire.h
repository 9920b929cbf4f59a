// HTTP/1.1 on the wire, as FaultProxy (fault_proxy.h) reads and passes it on: a socket with
// what it has received, heads parsed into their fields, bodies delimited by Content-Length,
// chunked encoding or the end of the stream and handed on raw, byte for byte.
//
// Bytes come from outside (a test's client, the upstream server), so every length is bounded
// before anything is allocated for it: a head of at most 64 KiB, a chunk-size line of at most
// 4 KiB, a Content-Length or chunk size below 2^50. What is not HTTP/1.1 is kMalformed, never
// an abort.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace strata::test {

// One socket with what has been received on it and not yet consumed. Every wait also polls
// stop_fd: once that is readable every call fails at once, which is how FaultProxy's destructor
// ends threads blocked on a silent peer or sleeping in a stall. Owns neither descriptor.
class HttpPeer {
 public:
  HttpPeer(int fd, int stop_fd) : fd_(fd), stop_fd_(stop_fd) {}

  // Bytes received and not consumed.
  std::string_view buffered() const { return std::string_view(in_).substr(pos_); }
  void Consume(size_t n);
  // True when the peer ended its stream in an orderly way (recv returned 0).
  bool at_eof() const { return eof_; }

  // Waits for more bytes and appends them to buffered(). False at the end of the stream, on an
  // error, and when stop_fd becomes readable.
  bool Fill();
  // Sends every byte; false when the peer has gone or stop_fd becomes readable.
  bool Send(std::string_view bytes);
  // Sleeps for d; false when stop_fd became readable meanwhile.
  bool Sleep(std::chrono::milliseconds d);

 private:
  // Waits until fd_ is ready for events (or has an error or hang-up, which the next call
  // reports); false when stop_fd_ is readable first, or poll fails.
  bool Wait(short events);

  int fd_;
  int stop_fd_;
  std::string in_;
  size_t pos_ = 0;  // in_[0, pos_) is consumed
  bool eof_ = false;
};

// A request or response head: its first line and its header fields, in order, as received.
struct HttpHead {
  std::string start_line;
  std::vector<std::pair<std::string, std::string>> fields;

  // Every value of the field name (compared without regard to case), in order.
  std::vector<std::string_view> Values(std::string_view name) const;
  // Whether some comma-separated item of some name field equals token (case-insensitively).
  bool HasToken(std::string_view name, std::string_view token) const;
  // A response's status code ("HTTP/1.1 503 Slow Down" -> 503); nullopt for anything else.
  std::optional<int> StatusCode() const;
  // The head as a proxy passes it on: its bytes again without the hop-by-hop fields
  // (Connection, Keep-Alive, Proxy-Connection) and, with drop_expect, without Expect; with
  // add_close, ending in "Connection: close".
  std::string Forwarded(bool drop_expect, bool add_close) const;
};

enum class HeadRead { kOk, kEndOfStream, kMalformed, kBroken };

// Reads one head (through the empty line that ends it) from peer and parses it. kEndOfStream:
// the peer closed cleanly before sending a byte of it (the end of a keep-alive connection).
// kBroken: the stream ended or failed inside it.
HeadRead ReadHttpHead(HttpPeer* peer, HttpHead* head);

struct HttpFraming {
  enum class Kind { kNone, kLength, kChunked, kUntilClose } kind = Kind::kNone;
  uint64_t length = 0;  // kLength
};

// The body framing a head announces (RFC 9112 section 6.3). Transfer-Encoding wins over
// Content-Length; for a request a Transfer-Encoding other than chunked is malformed, for a
// response it means "until close". Content-Length values must agree. Without either, a request
// has no body and a response runs until close. nullopt: malformed. The caller decides the cases
// the head cannot tell (a response to HEAD, a 204 or 304, has no body).
std::optional<HttpFraming> FramingOf(const HttpHead& head, bool is_request);

// Where a body's bytes go, raw (chunk framing included), in order. Returning false stops the
// body there (a cut, a limit).
using HttpBodySink = std::function<bool(std::string_view raw)>;

enum class BodyRead { kComplete, kStopped, kMalformed, kBroken };

// Reads one body framed as framing says from peer, passing its raw bytes to sink.
BodyRead ReadHttpBody(HttpPeer* peer, const HttpFraming& framing, const HttpBodySink& sink);

}  // namespace strata::test
