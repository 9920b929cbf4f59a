// FaultProxy (tests/support/fault_proxy.h) between raw HTTP written by hand over a socket and a
// small upstream server in this file: bytes pass unchanged in both directions (10 MiB each way,
// chunked and close-delimited bodies, several requests on one connection), and each fault does
// what it says — the status and S3 error code, a reset the client sees as one, a body cut at
// exactly K bytes with the connection closed, a stall at least as long as asked, an upload
// broken off after K body bytes — for as many matching requests as the rule says. The HTTP
// parsing here is written apart from the proxy's, so neither vouches for the other.
#include "support/fault_proxy.h"

#include <gtest/gtest.h>
#include <poll.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "net/listener.h"
#include "net/socket.h"
#include "support/failure_log.h"
#include "support/test_util.h"

namespace strata::test {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

constexpr milliseconds kIoTimeout{10'000};
constexpr size_t kTenMiB = 10 << 20;

// The bytes the upstream serves for a size n, and the tests upload.
std::string Payload(size_t n) { return RandomBytes(n, n); }

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// A head as the test reads it: the first line and the fields by lower-case name.
struct Head {
  std::string start_line;
  std::map<std::string, std::string> fields;

  std::string Field(const std::string& name) const {
    auto it = fields.find(Lower(name));
    return it == fields.end() ? "" : it->second;
  }
  bool Has(const std::string& name) const { return fields.count(Lower(name)) > 0; }
};

Head ParseHead(std::string_view text) {
  Head head;
  bool first = true;
  while (!text.empty()) {
    const size_t end = text.find("\r\n");
    const std::string_view line = text.substr(0, end);
    text.remove_prefix(end == std::string_view::npos ? text.size() : end + 2);
    if (first) {
      head.start_line = std::string(line);
      first = false;
    } else if (const size_t colon = line.find(':'); colon != std::string_view::npos) {
      std::string_view value = line.substr(colon + 1);
      while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
      head.fields[Lower(std::string(line.substr(0, colon)))] = std::string(value);
    }
  }
  return head;
}

// Decodes a complete chunked body at the start of raw into *out and returns its length in raw;
// 0 while raw does not hold all of it yet.
size_t DecodeChunked(std::string_view raw, std::string* out) {
  std::string decoded;
  size_t pos = 0;
  while (true) {
    const size_t eol = raw.find("\r\n", pos);
    if (eol == std::string_view::npos) return 0;
    const size_t size = std::stoul(std::string(raw.substr(pos, eol - pos)), nullptr, 16);
    pos = eol + 2;
    if (size == 0) break;
    if (raw.size() < pos + size + 2) return 0;
    decoded.append(raw.substr(pos, size));
    pos += size + 2;
  }
  if (raw.substr(pos, 2) != "\r\n") return 0;  // no trailers are sent here
  *out = std::move(decoded);
  return pos + 2;
}

// One side of a connection with what it has received and not used yet.
class Conn {
 public:
  explicit Conn(net::Socket socket) : socket_(std::move(socket)) {}

  static std::optional<Conn> To(uint16_t port) {
    Result<net::Socket> s =
        net::Socket::Connect(net::HostPort{"127.0.0.1", port}, net::DeadlineAfter(kIoTimeout));
    EXPECT_TRUE(s.ok()) << s.status().ToString();
    if (!s.ok()) return std::nullopt;
    return Conn(std::move(s).value());
  }

  Status Send(std::string_view bytes) {
    return socket_.WriteAll(Slice(bytes.data(), bytes.size()), net::DeadlineAfter(kIoTimeout));
  }

  // Reads what arrives next into buffer(); false once the stream has ended, ended() says how.
  bool Fill(milliseconds timeout = kIoTimeout) {
    if (!ended_.empty()) return false;
    char chunk[1 << 16];
    Result<size_t> got = socket_.Read(chunk, sizeof(chunk), net::DeadlineAfter(timeout));
    if (!got.ok()) {
      ended_ = got.status().ToString();
      return false;
    }
    if (*got == 0) {
      ended_ = "eof";
      return false;
    }
    buffer_.append(chunk, *got);
    return true;
  }

  // Reads until the stream ends; returns how it ended.
  std::string ReadToEnd() {
    while (Fill()) {
    }
    return ended_;
  }

  // Reads one head (through its empty line) and takes it out of buffer(); nullopt when the
  // stream ended first.
  std::optional<Head> ReadHead() {
    size_t end;
    while ((end = buffer_.find("\r\n\r\n")) == std::string::npos) {
      if (!Fill()) return std::nullopt;
    }
    Head head = ParseHead(std::string_view(buffer_).substr(0, end));
    buffer_.erase(0, end + 4);
    return head;
  }

  std::string& buffer() { return buffer_; }
  // "" while the stream is open, "eof" after an orderly end, else the read error.
  const std::string& ended() const { return ended_; }
  bool reset() const { return ended_.find("Connection reset by peer") != std::string::npos; }
  int fd() const { return socket_.fd(); }

 private:
  net::Socket socket_;
  std::string buffer_;
  std::string ended_;
};

// A message's body as its head frames it (Content-Length, chunked, else until close), read
// from c. *complete tells whether all of it arrived.
std::string ReadBody(Conn* c, const Head& head, bool is_response, bool* complete) {
  std::string body;
  *complete = false;
  if (Lower(head.Field("Transfer-Encoding")) == "chunked") {
    size_t used;
    while ((used = DecodeChunked(c->buffer(), &body)) == 0) {
      if (!c->Fill()) return c->buffer();
    }
    c->buffer().erase(0, used);
    *complete = true;
    return body;
  }
  if (head.Has("Content-Length") || !is_response) {
    const size_t n = head.Has("Content-Length") ? std::stoul(head.Field("Content-Length")) : 0;
    while (c->buffer().size() < n && c->Fill()) {
    }
    body = c->buffer().substr(0, n);
    c->buffer().erase(0, body.size());
    *complete = body.size() == n;
    return body;
  }
  c->ReadToEnd();
  *complete = c->ended() == "eof";
  return std::exchange(c->buffer(), std::string());
}

struct Response {
  int status = 0;  // 0: no response head arrived
  Head head;
  std::string body;
  bool complete = false;  // the whole body its head announced arrived
};

Response ReadResponse(Conn* c, bool head_request = false) {
  Response r;
  std::optional<Head> head = c->ReadHead();
  if (!head) return r;
  r.head = *head;
  r.status = std::stoi(head->start_line.substr(9, 3));
  if (head_request || r.status == 204 || r.status == 304) {
    r.complete = true;
  } else {
    r.body = ReadBody(c, *head, /*is_response=*/true, &r.complete);
  }
  return r;
}

std::string RequestText(const std::string& method, const std::string& target,
                        std::string_view body = "", const std::string& extra_fields = "") {
  std::string text = method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + extra_fields;
  if (!body.empty() || method == "PUT") {
    text += "Content-Length: " + std::to_string(body.size()) + "\r\n";
  }
  return text + "\r\n" + std::string(body);
}

// Sends one request on c and reads its response.
Response Exchange(Conn* c, const std::string& method, const std::string& target,
                  std::string_view body = "") {
  const Status sent = c->Send(RequestText(method, target, body));
  EXPECT_TRUE(sent.ok()) << method << " " << target << ": " << sent.ToString();
  return ReadResponse(c, method == "HEAD");
}

// The upstream: answers one request per connection, one connection at a time, and remembers
// every request as it arrived.
//   GET|HEAD /bytes/<n>     Payload(n), Content-Length
//   GET /chunked/<n>        Payload(n), chunked in pieces of 4000
//   GET /close/<n>          Payload(n), no length: ends when the connection closes
//   anything else           200, the request body echoed back with Content-Length
class TinyUpstream {
 public:
  struct Received {
    std::string method;
    std::string target;
    Head head;
    std::string body;
  };

  TinyUpstream() {
    Result<net::Listener> l = net::Listener::Bind(net::HostPort{"127.0.0.1", 0});
    EXPECT_TRUE(l.ok()) << l.status().ToString();
    if (!l.ok()) return;
    listener_.emplace(std::move(l).value());
    thread_ = std::thread([this] { Loop(); });
  }
  ~TinyUpstream() {
    stop_ = true;
    if (thread_.joinable()) thread_.join();
  }

  uint16_t port() const { return listener_ ? listener_->port() : 0; }
  std::vector<Received> received() const {
    std::lock_guard<std::mutex> lock(mu_);
    return received_;
  }

 private:
  void Loop() {
    while (!stop_) {
      Result<net::Socket> s = listener_->Accept(net::DeadlineAfter(milliseconds(50)));
      if (s.ok()) Serve(Conn(std::move(s).value()));
    }
  }

  void Serve(Conn c) {
    std::optional<Head> head = c.ReadHead();
    if (!head) return;
    Received r;
    const std::string& line = head->start_line;
    r.method = line.substr(0, line.find(' '));
    r.target = line.substr(r.method.size() + 1, line.rfind(' ') - r.method.size() - 1);
    r.head = *head;
    bool complete;
    r.body = ReadBody(&c, *head, /*is_response=*/false, &complete);
    if (!complete) return;
    {
      std::lock_guard<std::mutex> lock(mu_);
      received_.push_back(r);
    }
    (void)c.Send(Answer(r));
  }

  static std::string Answer(const Received& r) {
    const auto size_after = [&](std::string_view prefix) -> std::optional<size_t> {
      if (!r.target.starts_with(prefix)) return std::nullopt;
      return std::stoul(r.target.substr(prefix.size()));
    };
    if (std::optional<size_t> n = size_after("/bytes/")) {
      return "HTTP/1.1 200 OK\r\nContent-Length: " + std::to_string(*n) +
             "\r\nConnection: close\r\n\r\n" + (r.method == "HEAD" ? "" : Payload(*n));
    }
    if (std::optional<size_t> n = size_after("/chunked/")) {
      const std::string payload = Payload(*n);
      std::string out = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n";
      for (size_t pos = 0; pos < payload.size(); pos += 4000) {
        const std::string piece = payload.substr(pos, 4000);
        char size[16];
        std::snprintf(size, sizeof(size), "%zx", piece.size());
        out += std::string(size) + "\r\n" + piece + "\r\n";
      }
      return out + "0\r\n\r\n";
    }
    if (std::optional<size_t> n = size_after("/close/")) {
      return "HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n" + Payload(*n);
    }
    return "HTTP/1.1 200 OK\r\nContent-Length: " + std::to_string(r.body.size()) +
           "\r\nConnection: close\r\n\r\n" + r.body;
  }

  std::optional<net::Listener> listener_;
  std::atomic<bool> stop_{false};
  std::thread thread_;
  mutable std::mutex mu_;
  std::vector<Received> received_;  // guarded by mu_
};

class FaultProxyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_NE(upstream_.port(), 0);
    Result<std::unique_ptr<FaultProxy>> p = FaultProxy::Start("127.0.0.1", upstream_.port());
    ASSERT_TRUE(p.ok()) << p.status().ToString();
    proxy_ = std::move(p).value();
  }

  Conn Connect() {
    std::optional<Conn> c = Conn::To(proxy_->port());
    if (!c) ADD_FAILURE() << "cannot connect to the proxy";
    return std::move(c).value();
  }

  TinyUpstream upstream_;
  std::unique_ptr<FaultProxy> proxy_;
};

#define EXPECT_HAS(text, fragment)                                                           \
  EXPECT_NE((text).find(fragment), std::string::npos) << "no \"" << (fragment) << "\" in:\n" \
                                                      << (text)

TEST_F(FaultProxyTest, PassthroughKeepsTenMiBExactBothWaysOnOneConnection) {
  EXPECT_EQ(proxy_->url(), "http://127.0.0.1:" + std::to_string(proxy_->port()));
  Conn c = Connect();
  const std::string upload = Payload(kTenMiB);

  Response put = Exchange(&c, "PUT", "/echo", upload);
  EXPECT_EQ(put.status, 200);
  EXPECT_TRUE(put.complete);
  EXPECT_TRUE(put.body == upload) << "the echoed body differs (" << put.body.size() << " bytes)";

  Response get = Exchange(&c, "GET", "/bytes/" + std::to_string(kTenMiB));
  EXPECT_EQ(get.status, 200);
  EXPECT_EQ(get.head.Field("Content-Length"), std::to_string(kTenMiB));
  EXPECT_TRUE(get.body == Payload(kTenMiB)) << "the body differs (" << get.body.size() << " bytes)";

  // A HEAD response announces a length but has no body: the next response on the connection
  // must start right after its head.
  Response head = Exchange(&c, "HEAD", "/bytes/1000");
  EXPECT_EQ(head.status, 200);
  EXPECT_EQ(head.head.Field("Content-Length"), "1000");
  Response after = Exchange(&c, "GET", "/bytes/10");
  EXPECT_EQ(after.status, 200);
  EXPECT_EQ(after.body, Payload(10));
  // The upstream said "Connection: close" every time; the proxy kept the client's connection.
  EXPECT_FALSE(after.head.Has("Connection"));
  EXPECT_EQ(c.ended(), "");

  const std::vector<TinyUpstream::Received> seen = upstream_.received();
  ASSERT_EQ(seen.size(), 4u);
  EXPECT_EQ(seen[0].method, "PUT");
  EXPECT_EQ(seen[0].target, "/echo");
  EXPECT_TRUE(seen[0].body == upload) << "the upstream got other bytes than were sent";
  EXPECT_EQ(seen[0].head.Field("Host"), "127.0.0.1");  // left as the client sent it
  for (const TinyUpstream::Received& r : seen) {
    EXPECT_EQ(r.head.Field("Connection"), "close") << r.method << " " << r.target;
  }
  EXPECT_EQ(proxy_->Count("PUT"), 1);
  EXPECT_EQ(proxy_->Count("GET"), 2);
  EXPECT_EQ(proxy_->Count("HEAD"), 1);
  EXPECT_EQ(proxy_->Count(""), 4);
  EXPECT_EQ(proxy_->FaultsApplied(), 0);
}

TEST_F(FaultProxyTest, ChunkedAndCloseDelimitedBodiesPassThrough) {
  Conn c = Connect();
  Response chunked = Exchange(&c, "GET", "/chunked/300000");
  EXPECT_EQ(chunked.status, 200);
  EXPECT_EQ(chunked.head.Field("Transfer-Encoding"), "chunked");
  EXPECT_TRUE(chunked.complete);
  EXPECT_TRUE(chunked.body == Payload(300000)) << chunked.body.size() << " bytes";

  // A chunked upload arrives upstream chunked, with the same bytes.
  const std::string upload = Payload(100000);
  std::string framed;
  for (size_t pos = 0; pos < upload.size(); pos += 30000) {
    const std::string piece = upload.substr(pos, 30000);
    char size[16];
    std::snprintf(size, sizeof(size), "%zX;ext=1", piece.size());
    framed += std::string(size) + "\r\n" + piece + "\r\n";
  }
  framed += "0\r\n\r\n";
  ASSERT_TRUE(
      c.Send("PUT /echo HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n" + framed).ok());
  Response echoed = ReadResponse(&c);
  EXPECT_EQ(echoed.status, 200);
  EXPECT_TRUE(echoed.body == upload) << echoed.body.size() << " bytes";

  // A body that ends when the upstream closes can end for the client only the same way.
  Response close_delimited = Exchange(&c, "GET", "/close/50000");
  EXPECT_EQ(close_delimited.status, 200);
  EXPECT_EQ(close_delimited.head.Field("Connection"), "close");
  EXPECT_TRUE(close_delimited.complete);
  EXPECT_TRUE(close_delimited.body == Payload(50000)) << close_delimited.body.size() << " bytes";
  EXPECT_EQ(c.ended(), "eof");

  const std::vector<TinyUpstream::Received> seen = upstream_.received();
  ASSERT_EQ(seen.size(), 3u);
  EXPECT_EQ(seen[1].head.Field("Transfer-Encoding"), "chunked");
  EXPECT_TRUE(seen[1].body == upload);
}

TEST_F(FaultProxyTest, ExpectContinueIsAnsweredByTheProxyAndNotForwarded) {
  Conn c = Connect();
  const std::string upload = Payload(2 << 20);
  ASSERT_TRUE(c.Send("PUT /echo HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nContent-Length: " +
                     std::to_string(upload.size()) + "\r\n\r\n")
                  .ok());
  std::optional<Head> interim = c.ReadHead();
  ASSERT_TRUE(interim.has_value()) << c.ended();
  EXPECT_EQ(interim->start_line, "HTTP/1.1 100 Continue");
  ASSERT_TRUE(c.Send(upload).ok());
  Response r = ReadResponse(&c);
  EXPECT_EQ(r.status, 200);
  EXPECT_TRUE(r.body == upload);
  ASSERT_EQ(upstream_.received().size(), 1u);
  EXPECT_FALSE(upstream_.received()[0].head.Has("Expect"));
}

TEST_F(FaultProxyTest, ErrorStatusesCountDownForMatchingRequestsOnly) {
  proxy_->AddFault({.match_method = "PUT",
                    .match_path_substring = "partNumber",
                    .kind = FaultKind::kInternalError500,
                    .times = 2});
  EXPECT_EQ(proxy_->PendingFaults(), 2);
  Conn c = Connect();
  const std::string part = "/bucket/key?partNumber=3&uploadId=u1";
  for (int attempt = 1; attempt <= 2; attempt++) {
    Response r = Exchange(&c, "PUT", part, "abc");
    EXPECT_EQ(r.status, 500) << "attempt " << attempt;
    EXPECT_EQ(r.head.Field("Content-Type"), "application/xml");
    EXPECT_HAS(r.body, "<Code>InternalError</Code>");
    // The target's '&' escaped, so that the body is well-formed XML.
    EXPECT_HAS(r.body, "<Resource>/bucket/key?partNumber=3&amp;uploadId=u1</Resource>");
  }
  // Neither another method nor another path is touched, and the third matching PUT passes.
  EXPECT_EQ(Exchange(&c, "GET", "/bytes/5?partNumber=1").status, 200);
  EXPECT_EQ(Exchange(&c, "PUT", "/bucket/other", "x").status, 200);
  Response third = Exchange(&c, "PUT", part, "abc");
  EXPECT_EQ(third.status, 200);
  EXPECT_EQ(third.body, "abc");
  EXPECT_EQ(c.ended(), "");  // error responses kept the connection

  EXPECT_EQ(upstream_.received().size(), 3u);  // the faulted PUTs never reached it
  EXPECT_EQ(proxy_->Count("PUT"), 4);
  EXPECT_EQ(proxy_->Count("PUT", "partNumber"), 3);
  EXPECT_EQ(proxy_->Count("GET"), 1);
  EXPECT_EQ(proxy_->FaultsApplied(), 2);
  EXPECT_EQ(proxy_->PendingFaults(), 0);
  const std::vector<SeenRequest> seen = proxy_->Requests();
  ASSERT_EQ(seen.size(), 5u);
  EXPECT_EQ(seen[0].fault, FaultKind::kInternalError500);
  EXPECT_EQ(seen[1].fault, FaultKind::kInternalError500);
  EXPECT_EQ(seen[2].fault, std::nullopt);
  EXPECT_EQ(seen[4].target, part);
  EXPECT_EQ(seen[4].fault, std::nullopt);

  proxy_->ResetCounters();
  EXPECT_EQ(proxy_->Count(""), 0);
  EXPECT_EQ(proxy_->FaultsApplied(), 0);
}

TEST_F(FaultProxyTest, SlowDownAndTooManyRequestsCarryS3Codes) {
  // Rules apply in the order added: the first matching one with applications left wins.
  proxy_->AddFault({.kind = FaultKind::kSlowDown503, .times = 1});
  proxy_->AddFault({.kind = FaultKind::kTooManyRequests429, .times = 1});
  proxy_->AddFault({.match_method = "HEAD", .kind = FaultKind::kSlowDown503, .times = 1});
  Conn c = Connect();
  Response slow = Exchange(&c, "GET", "/bytes/10");
  EXPECT_EQ(slow.status, 503);
  EXPECT_EQ(slow.head.start_line, "HTTP/1.1 503 Slow Down");
  EXPECT_HAS(slow.body, "<Error><Code>SlowDown</Code>");
  Response many = Exchange(&c, "GET", "/bytes/10");
  EXPECT_EQ(many.status, 429);
  EXPECT_HAS(many.body, "<Code>TooManyRequests</Code>");
  // A HEAD's error has no body: the next response must follow its head directly.
  Response head = Exchange(&c, "HEAD", "/bytes/10");
  EXPECT_EQ(head.status, 503);
  EXPECT_EQ(Exchange(&c, "GET", "/bytes/10").body, Payload(10));
  EXPECT_EQ(proxy_->FaultsApplied(), 3);

  // kAlways lasts until ClearFaults.
  proxy_->AddFault(
      {.match_method = "GET", .kind = FaultKind::kSlowDown503, .times = FaultRule::kAlways});
  for (int i = 0; i < 5; i++) EXPECT_EQ(Exchange(&c, "GET", "/bytes/1").status, 503) << i;
  EXPECT_EQ(proxy_->PendingFaults(), 0);  // kAlways rules are not pending faults
  proxy_->ClearFaults();
  EXPECT_EQ(Exchange(&c, "GET", "/bytes/1").status, 200);
}

TEST_F(FaultProxyTest, ResetEndsTheConnectionWithoutAnswerOrForwarding) {
  proxy_->AddFault({.match_method = "GET", .kind = FaultKind::kReset});
  Conn c = Connect();
  Response r = Exchange(&c, "GET", "/bytes/10");
  EXPECT_EQ(r.status, 0);
  EXPECT_TRUE(c.reset()) << "the connection ended with: " << c.ended();
  EXPECT_TRUE(upstream_.received().empty());

  Conn again = Connect();  // the rule is used up
  EXPECT_EQ(Exchange(&again, "GET", "/bytes/10").body, Payload(10));
}

TEST_F(FaultProxyTest, ResetAfterForwardLetsTheUpstreamActUnseen) {
  proxy_->AddFault({.match_method = "PUT", .kind = FaultKind::kResetAfterForward});
  Conn c = Connect();
  Response r = Exchange(&c, "PUT", "/k", "written");
  EXPECT_EQ(r.status, 0);
  EXPECT_TRUE(c.reset()) << "the connection ended with: " << c.ended();
  ASSERT_EQ(upstream_.received().size(), 1u);
  EXPECT_EQ(upstream_.received()[0].body, "written");
}

TEST_F(FaultProxyTest, CutResponseBodyStopsAfterExactlyKBytesAndCloses) {
  proxy_->AddFault({.match_method = "GET", .kind = FaultKind::kCutResponseBody, .bytes = 1000});
  proxy_->AddFault({.match_method = "GET", .kind = FaultKind::kCutResponseBody, .bytes = 0});
  {
    Conn c = Connect();
    Response r = Exchange(&c, "GET", "/bytes/100000");
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.head.Field("Content-Length"), "100000");  // still the whole length
    EXPECT_FALSE(r.complete);
    EXPECT_EQ(r.body.size(), 1000u);
    EXPECT_EQ(r.body, Payload(100000).substr(0, 1000));
    EXPECT_EQ(c.ended(), "eof");  // an orderly close, as a server that died would leave it
  }
  {
    Conn c = Connect();
    Response r = Exchange(&c, "GET", "/bytes/100000");
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.body, "");
    EXPECT_FALSE(r.complete);
  }
  Conn c = Connect();
  Response whole = Exchange(&c, "GET", "/bytes/100000");
  EXPECT_TRUE(whole.complete);
  EXPECT_EQ(whole.body.size(), 100000u);
  EXPECT_EQ(upstream_.received().size(), 3u);  // cut responses were forwarded requests
}

TEST_F(FaultProxyTest, StallResponseHoldsEverythingForTheDelay) {
  const milliseconds delay{400};
  proxy_->AddFault({.match_method = "GET", .kind = FaultKind::kStallResponse, .delay = delay});
  Conn c = Connect();
  const Clock::time_point start = Clock::now();
  ASSERT_TRUE(c.Send(RequestText("GET", "/bytes/5000")).ok());
  ASSERT_TRUE(c.Fill());
  const auto first_byte = Clock::now() - start;
  EXPECT_GE(first_byte, delay);
  Response r = ReadResponse(&c);
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, Payload(5000));
  // The stall was this request's alone.
  const Clock::time_point again = Clock::now();
  EXPECT_EQ(Exchange(&c, "GET", "/bytes/5").status, 200);
  EXPECT_LT(Clock::now() - again, delay);
}

TEST_F(FaultProxyTest, StallBodySendsKBytesThenHoldsTheRest) {
  const milliseconds delay{500};
  proxy_->AddFault(
      {.match_method = "GET", .kind = FaultKind::kStallBody, .bytes = 1000, .delay = delay});
  Conn c = Connect();
  const Clock::time_point start = Clock::now();
  ASSERT_TRUE(c.Send(RequestText("GET", "/bytes/100000")).ok());
  std::optional<Head> head = c.ReadHead();
  ASSERT_TRUE(head.has_value()) << c.ended();
  while (c.buffer().size() < 1000) ASSERT_TRUE(c.Fill()) << c.ended();
  EXPECT_EQ(c.buffer().size(), 1000u);
  // Nothing more for a while (the delay less a margin for a slow start).
  pollfd p{c.fd(), POLLIN, 0};
  const auto quiet = delay - (Clock::now() - start) - milliseconds(100);
  if (quiet > milliseconds(0)) {
    EXPECT_EQ(::poll(&p, 1, static_cast<int>(std::chrono::ceil<milliseconds>(quiet).count())), 0)
        << "bytes arrived during the stall";
  }
  bool complete;
  const std::string body = ReadBody(&c, *head, true, &complete);
  EXPECT_GE(Clock::now() - start, delay);
  EXPECT_TRUE(complete);
  EXPECT_TRUE(body == Payload(100000)) << body.size() << " bytes";
}

TEST_F(FaultProxyTest, DropRequestBodyResetsAfterExactlyKBodyBytes) {
  proxy_->AddFault({.match_method = "PUT", .kind = FaultKind::kDropRequestBody, .bytes = 1000});
  Conn c = Connect();
  const std::string upload = Payload(5000);
  const std::string request = RequestText("PUT", "/k", upload);
  const size_t head_size = request.size() - upload.size();
  ASSERT_TRUE(c.Send(request.substr(0, head_size + 999)).ok());
  // 999 body bytes: the proxy is still reading.
  pollfd p{c.fd(), POLLIN, 0};
  EXPECT_EQ(::poll(&p, 1, 300), 0) << "the connection ended before the 1000th body byte";
  ASSERT_TRUE(c.Send(upload.substr(999, 1)).ok());
  EXPECT_FALSE(c.Fill());
  EXPECT_TRUE(c.reset()) << "the connection ended with: " << c.ended();
  EXPECT_TRUE(c.buffer().empty());  // no response
  EXPECT_TRUE(upstream_.received().empty());
  EXPECT_EQ(proxy_->Count("PUT"), 1);
}

TEST_F(FaultProxyTest, DropRequestBodyAfterExpectContinue) {
  // libcurl's large uploads: the proxy says 100 Continue, takes K bytes and resets.
  proxy_->AddFault({.kind = FaultKind::kDropRequestBody, .bytes = 64 << 10});
  Conn c = Connect();
  ASSERT_TRUE(c.Send("PUT /k HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\n"
                     "Content-Length: 4194304\r\n\r\n")
                  .ok());
  std::optional<Head> interim = c.ReadHead();
  ASSERT_TRUE(interim.has_value());
  EXPECT_EQ(interim->start_line, "HTTP/1.1 100 Continue");
  // Sending 4 MiB to a peer that resets after 64 KiB fails, or the read after it does.
  const Status sent = c.Send(Payload(4 << 20));
  if (sent.ok()) {
    EXPECT_FALSE(c.Fill());
  }
  EXPECT_TRUE(!sent.ok() || c.reset()) << sent.ToString() << " / " << c.ended();
  EXPECT_TRUE(upstream_.received().empty());
}

TEST_F(FaultProxyTest, MalformedRequestsAreAnswered400AndClosed) {
  {
    Conn c = Connect();
    ASSERT_TRUE(c.Send("NONSENSE\r\n\r\n").ok());
    Response r = ReadResponse(&c);
    EXPECT_EQ(r.status, 400);
    EXPECT_EQ(c.ReadToEnd(), "eof");
  }
  {
    Conn c = Connect();
    ASSERT_TRUE(c.Send("GET / HTTP/1.1\r\nX: " + std::string(70 << 10, 'x') + "\r\n\r\n").ok());
    EXPECT_EQ(ReadResponse(&c).status, 400);
  }
  {
    Conn c = Connect();
    ASSERT_TRUE(c.Send("PUT /k HTTP/1.1\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n").ok());
    EXPECT_EQ(ReadResponse(&c).status, 400);
  }
  EXPECT_TRUE(upstream_.received().empty());
}

TEST(FaultProxyUpstreamTest, UnreachableUpstreamIsABadGateway) {
  uint16_t closed_port;
  {
    Result<net::Listener> l = net::Listener::Bind(net::HostPort{"127.0.0.1", 0});
    ASSERT_TRUE(l.ok());
    closed_port = l->port();
  }
  Result<std::unique_ptr<FaultProxy>> proxy = FaultProxy::Start("127.0.0.1", closed_port);
  ASSERT_TRUE(proxy.ok()) << proxy.status().ToString();
  std::optional<Conn> c = Conn::To((*proxy)->port());
  ASSERT_TRUE(c.has_value());
  Response r = Exchange(&*c, "GET", "/x");
  EXPECT_EQ(r.status, 502);
  EXPECT_HAS(r.body, "127.0.0.1:" + std::to_string(closed_port));
}

TEST_F(FaultProxyTest, ClientsThatGoAwayEarlyDoNotDisturbOthers) {
  {
    Conn half_head = Connect();
    ASSERT_TRUE(half_head.Send("PUT /k HTTP/1.1\r\nContent-Le").ok());
  }
  {
    Conn half_body = Connect();
    ASSERT_TRUE(half_body.Send(RequestText("PUT", "/k", Payload(100000)).substr(0, 50000)).ok());
  }
  {
    // Leaves while a 10 MiB response is on its way.
    Conn reader = Connect();
    ASSERT_TRUE(reader.Send(RequestText("GET", "/bytes/" + std::to_string(kTenMiB))).ok());
    ASSERT_TRUE(reader.Fill());
  }
  Conn c = Connect();
  EXPECT_EQ(Exchange(&c, "GET", "/bytes/100").body, Payload(100));
  EXPECT_EQ(proxy_->Count("GET"), 2);
}

TEST_F(FaultProxyTest, ConcurrentClientsEachGetTheirOwnBytes) {
  constexpr int kClients = 8;
  constexpr int kRequestsEach = 5;
  proxy_->AddFault({.match_method = "GET", .kind = FaultKind::kSlowDown503, .times = 4});
  FailureLog failures;
  std::vector<std::thread> threads;
  for (int t = 0; t < kClients; t++) {
    threads.emplace_back([&, t] {
      std::optional<Conn> c = Conn::To(proxy_->port());
      if (!c) return failures.Add("client " + std::to_string(t) + ": cannot connect");
      for (int i = 0; i < kRequestsEach;) {
        const size_t n = 1000 * static_cast<size_t>(t * kRequestsEach + i + 1);
        Response r = Exchange(&*c, "GET", "/bytes/" + std::to_string(n));
        if (r.status == 503) continue;  // a scripted fault: try again, as a client would
        if (r.status != 200 || r.body != Payload(n)) {
          failures.Add("client " + std::to_string(t) + " GET /bytes/" + std::to_string(n) +
                       ": status " + std::to_string(r.status) + ", " +
                       std::to_string(r.body.size()) + " bytes");
        }
        i++;
      }
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(failures.total(), 0u) << failures.Report();
  EXPECT_EQ(proxy_->Count("GET"), kClients * kRequestsEach + 4);
  EXPECT_EQ(proxy_->FaultsApplied(), 4);
}

size_t OpenDescriptors() {
  size_t n = 0;
  for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator("/proc/self/fd")) {
    n++;
  }
  return n;
}

TEST(FaultProxyShutdownTest, DestructorEndsStallsAtOnceAndClosesEverything) {
  const size_t before = OpenDescriptors();
  {
    TinyUpstream upstream;
    Result<std::unique_ptr<FaultProxy>> proxy = FaultProxy::Start("127.0.0.1", upstream.port());
    ASSERT_TRUE(proxy.ok()) << proxy.status().ToString();
    (*proxy)->AddFault(
        {.match_method = "GET", .kind = FaultKind::kStallResponse, .delay = milliseconds(60'000)});
    (*proxy)->AddFault({.match_method = "PUT", .kind = FaultKind::kReset});
    std::optional<Conn> idle = Conn::To((*proxy)->port());  // keep-alive, between requests
    ASSERT_TRUE(idle.has_value());
    EXPECT_EQ(Exchange(&*idle, "HEAD", "/bytes/1").status, 200);
    std::optional<Conn> reset = Conn::To((*proxy)->port());
    ASSERT_TRUE(reset.has_value());
    EXPECT_EQ(Exchange(&*reset, "PUT", "/k", "x").status, 0);
    std::optional<Conn> stalled = Conn::To((*proxy)->port());
    ASSERT_TRUE(stalled.has_value());
    ASSERT_TRUE(stalled->Send(RequestText("GET", "/bytes/10")).ok());
    // Wait until the upstream has answered: the proxy is then inside its 60 s stall.
    const Clock::time_point give_up = Clock::now() + kIoTimeout;
    while (upstream.received().size() < 2 && Clock::now() < give_up) {
      std::this_thread::sleep_for(milliseconds(5));
    }
    ASSERT_EQ(upstream.received().size(), 2u);

    const Clock::time_point start = Clock::now();
    proxy.value().reset();
    EXPECT_LT(Clock::now() - start, milliseconds(5000)) << "the destructor waited for the stall";
    EXPECT_EQ(ReadResponse(&*stalled).status, 0);  // the stalled request never got an answer
    EXPECT_NE(stalled->ended(), "");
    EXPECT_EQ(idle->ReadToEnd(), "eof");
  }
  EXPECT_EQ(OpenDescriptors(), before);
}

}  // namespace
}  // namespace strata::test
