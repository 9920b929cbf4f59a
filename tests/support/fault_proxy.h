// FaultProxy: an HTTP/1.1 proxy on loopback that forwards requests to one upstream server (a
// moto S3 server) and, when the test says so, breaks them the ways networks and S3 break:
// error statuses, connections reset, bodies cut short, responses that stall.
//
//   auto proxy = test::FaultProxy::Start("127.0.0.1", moto->port());
//   ASSERT_TRUE(proxy.ok()) << proxy.status().ToString();
//   options.endpoint = (*proxy)->url();                      // "http://127.0.0.1:<port>"
//   (*proxy)->AddFault({.match_method = "PUT", .kind = test::FaultKind::kSlowDown503,
//                       .times = 2});
//   ... the client PUTs; the first two PUTs get 503 SlowDown, the third reaches moto ...
//   EXPECT_EQ((*proxy)->Count("PUT"), 3);
//
// Forwarding. Each client connection is served by its own thread and may carry any number of
// requests (keep-alive). Each request is read whole (head, then the body by Content-Length or
// chunked), then sent to the upstream on a fresh connection with "Connection: close"; the
// response (body by Content-Length, chunked, or until the upstream closes) is streamed back.
// Bytes pass unchanged — request line, status line, headers, bodies, chunk framing — except
// the hop-by-hop headers: Connection, Keep-Alive and Proxy-Connection are dropped both ways
// ("Connection: close" is added where the proxy closes), and Expect is dropped from requests:
// the proxy answers "100 Continue" to the client itself, then reads the body. The Host header is
// left alone, so a request signed for the proxy's address stays as it was signed.
//
// Faults. AddFault() appends a rule; every request is checked against the rules in the order
// they were added, and the first whose method and path match and whose count is not used up
// applies to it and counts down (FaultRule::times). A request no rule applies to is forwarded.
// With no rules the proxy is a plain pass-through.
//
// Counters: every request whose head was read is recorded (Requests(), Count()), faulted or not,
// so a test can assert how many attempts a client made.
//
// Limits (http_wire.h reads the messages): a request or response head of at most 64 KiB, a
// request body of at most 1 GiB (held in memory), chunk-size lines of at most 4 KiB. A malformed
// request is answered 400 and its connection closed; an upstream that cannot be reached, or that
// sends a malformed response head, is answered 502 — the client sees a server error it may retry.
//
// Thread safety: AddFault, ClearFaults, Requests and Count may be called from any thread while
// requests are in flight. Shutdown: the destructor stops accepting, wakes every connection
// thread (also one in the middle of a stall or blocked on a slow peer), joins them all and
// closes every descriptor; a stall does not delay it.
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <list>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "base/enum_names.h"
#include "base/result.h"
#include "net/unique_fd.h"

namespace strata::test {

enum class FaultKind {
  // Answer without forwarding (the request body is read first): status 500 with S3's XML error
  // body, code InternalError; 503 with code SlowDown; 429 with code TooManyRequests. The client
  // connection stays open for its next request. A HEAD gets the status and no body.
  kInternalError500,
  kSlowDown503,
  kTooManyRequests429,
  // Read the whole request, forward nothing, and reset the client connection (SO_LINGER 0, so
  // the client sees ECONNRESET, not an orderly end of stream). No response.
  kReset,
  // Forward the request (the upstream acts on it: an object is written), wait for the upstream's
  // response head, then reset the client connection without answering: the client cannot tell
  // whether its request took effect.
  kResetAfterForward,
  // Forward, send the response head unchanged (its Content-Length still announces the whole
  // body) and the first FaultRule::bytes bytes of the body as the upstream sent it (chunk framing
  // counts), then close the connection (FIN). A body no longer than bytes arrives whole, then the
  // connection closes.
  kCutResponseBody,
  // Forward, and once the upstream's response head is here, send nothing for FaultRule::delay;
  // then the whole response.
  kStallResponse,
  // Forward, send the response head and the first FaultRule::bytes bytes of the body, hold the
  // rest back for FaultRule::delay, then send it. libcurl's low-speed check
  // (CURLOPT_LOW_SPEED_TIME) averages over the last few seconds, so bytes sent just before the
  // stall delay its detection: with 1000 bytes and a 1 s limit curl gives up after about 2 s, with
  // 50 KB not within 3 s. Keep bytes small next to low_speed_bytes times a few seconds.
  kStallBody,
  // Read the request head and at most FaultRule::bytes bytes of its body, then reset the
  // connection: an upload broken off mid-body. Nothing is forwarded.
  kDropRequestBody,
};

constexpr auto EnumNameTable(FaultKind) {
  return std::to_array<EnumNameEntry<FaultKind>>({
      {FaultKind::kInternalError500, "internal-error-500"},
      {FaultKind::kSlowDown503, "slow-down-503"},
      {FaultKind::kTooManyRequests429, "too-many-requests-429"},
      {FaultKind::kReset, "reset"},
      {FaultKind::kResetAfterForward, "reset-after-forward"},
      {FaultKind::kCutResponseBody, "cut-response-body"},
      {FaultKind::kStallResponse, "stall-response"},
      {FaultKind::kStallBody, "stall-body"},
      {FaultKind::kDropRequestBody, "drop-request-body"},
  });
}

struct FaultRule {
  // Which requests the rule applies to: method equal to match_method ("" for any) and request
  // target (path and query, as sent: "/bucket/key?partNumber=2&uploadId=...") containing
  // match_path_substring ("" for any).
  std::string match_method{};
  std::string match_path_substring{};
  FaultKind kind = FaultKind::kInternalError500;
  // How many of the next matching requests get the fault; kAlways: every one, until
  // ClearFaults(). A rule with times 0 never applies.
  int times = 1;
  // kCutResponseBody, kStallBody: response body bytes sent first; kDropRequestBody: request body
  // bytes read before the reset.
  uint64_t bytes = 0;
  // kStallResponse, kStallBody: how long to hold the response.
  std::chrono::milliseconds delay{0};

  static constexpr int kAlways = -1;
};

// One request the proxy read the head of.
struct SeenRequest {
  std::string method;
  std::string target;              // path and query
  std::optional<FaultKind> fault;  // the fault applied, if any
};

class FaultProxy {
 public:
  // Listens on 127.0.0.1 at a port the kernel picks and forwards to upstream_host
  // (a name or a numeric address) : upstream_port. Sends nothing to the upstream yet.
  static Result<std::unique_ptr<FaultProxy>> Start(const std::string& upstream_host,
                                                   uint16_t upstream_port);

  ~FaultProxy();
  FaultProxy(const FaultProxy&) = delete;
  FaultProxy& operator=(const FaultProxy&) = delete;

  const std::string& host() const { return host_; }  // "127.0.0.1"
  uint16_t port() const { return port_; }
  std::string url() const;  // "http://127.0.0.1:<port>", for S3Options::endpoint

  // Adds a rule after the existing ones.
  void AddFault(FaultRule rule);
  // Removes every rule: from now on requests are forwarded untouched.
  void ClearFaults();
  // Applications left over all rules (FaultRule::times not yet used up); kAlways rules are not
  // counted. 0 once every scripted fault has happened.
  int PendingFaults() const;

  // Every request seen so far, in the order their heads were read.
  std::vector<SeenRequest> Requests() const;
  // How many requests with this method ("" for any) and a target containing path_substring were
  // seen, faulted or not.
  int Count(const std::string& method, const std::string& path_substring = "") const;
  // How many faults were applied.
  int FaultsApplied() const;
  // Forgets the requests seen (not the rules).
  void ResetCounters();

 private:
  struct Connection {
    std::thread thread;
    bool done = false;  // set by the thread as its last act; guarded by FaultProxy::mu_
  };
  FaultProxy() = default;
  void AcceptLoop();
  // Serves one client connection until it closes, breaks or the proxy stops; then marks
  // *self done.
  void Serve(net::UniqueFd client, Connection* self);
  // Records the request and returns the first rule that applies to it, counted down; nullopt
  // when none does.
  std::optional<FaultRule> TakeFault(const std::string& method, const std::string& target);
  // Joins the threads of connections that have ended and forgets them.
  void ReapFinished();

  std::string host_ = "127.0.0.1";
  uint16_t port_ = 0;
  std::string upstream_host_;
  uint16_t upstream_port_ = 0;
  net::UniqueFd listener_;
  // An eventfd that becomes readable, for good, when the proxy stops: every wait in every
  // thread polls it beside its socket, so no thread sleeps through shutdown.
  net::UniqueFd stop_fd_;
  std::atomic<bool> stopping_{false};
  std::thread acceptor_;

  mutable std::mutex mu_;
  std::vector<FaultRule> rules_;       // guarded by mu_
  std::vector<SeenRequest> seen_;      // guarded by mu_
  int faults_applied_ = 0;             // guarded by mu_
  std::list<Connection> connections_;  // guarded by mu_; list: elements never move
};

}  // namespace strata::test
