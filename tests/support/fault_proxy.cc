#include "support/fault_proxy.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <functional>
#include <string_view>
#include <utility>

namespace strata::test {

namespace {

using std::chrono::milliseconds;

constexpr size_t kMaxHeadBytes = 64 << 10;
constexpr uint64_t kMaxRequestBody = 1ull << 30;
constexpr size_t kMaxChunkLine = 4 << 10;
// Bigger chunk sizes or lengths are refused: nothing here sends them, and it keeps every
// sum of lengths far from overflowing.
constexpr uint64_t kMaxLength = 1ull << 50;
constexpr size_t kReadBytes = 64 << 10;
constexpr milliseconds kUpstreamConnectTimeout{10'000};

// Header names and tokens compare without regard to case.
bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  return internal::EqualIgnoringCase(a, b);
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// Splits s at each comma into trimmed items ("close, Upgrade" -> "close", "Upgrade").
std::vector<std::string_view> CommaList(std::string_view s) {
  std::vector<std::string_view> items;
  while (true) {
    const size_t comma = s.find(',');
    items.push_back(Trim(s.substr(0, comma)));
    if (comma == std::string_view::npos) return items;
    s.remove_prefix(comma + 1);
  }
}

// A decimal number of at most 15 digits (Content-Length, status code); nullopt otherwise.
std::optional<uint64_t> ParseDecimal(std::string_view s) {
  if (s.empty() || s.size() > 15) return std::nullopt;
  uint64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + static_cast<uint64_t>(c - '0');
  }
  return v;
}

// One socket of the proxy with what has been received on it and not yet consumed. Every wait
// polls the proxy's stop descriptor too: once it is readable every call fails at once, which is
// how the destructor ends threads blocked on a silent peer or in a stall.
class Peer {
 public:
  Peer(int fd, int stop_fd) : fd_(fd), stop_fd_(stop_fd) {}

  // Bytes received and not consumed.
  std::string_view buffered() const { return std::string_view(in_).substr(pos_); }
  void Consume(size_t n) {
    pos_ += n;
    if (pos_ == in_.size()) {
      in_.clear();
      pos_ = 0;
    }
  }
  // True when the peer ended its stream in an orderly way (recv returned 0).
  bool at_eof() const { return eof_; }

  // Waits for more bytes and appends them to buffered(). False at the end of the stream, on an
  // error, and when the proxy stops.
  bool Fill() {
    if (eof_) return false;
    if (pos_ > 0 && pos_ >= in_.size() / 2) {  // keep the buffer from growing without bound
      in_.erase(0, pos_);
      pos_ = 0;
    }
    while (true) {
      if (!Wait(POLLIN, -1)) return false;
      const size_t old_size = in_.size();
      in_.resize(old_size + kReadBytes);
      const ssize_t got = ::recv(fd_, in_.data() + old_size, kReadBytes, MSG_DONTWAIT);
      in_.resize(old_size + static_cast<size_t>(std::max<ssize_t>(got, 0)));
      if (got > 0) return true;
      if (got == 0) {
        eof_ = true;
        return false;
      }
      if (errno != EINTR && errno != EAGAIN && errno != EWOULDBLOCK) return false;
    }
  }

  // Sends every byte; false when the peer has gone or the proxy stops.
  bool Send(std::string_view bytes) {
    while (!bytes.empty()) {
      const ssize_t put = ::send(fd_, bytes.data(), bytes.size(), MSG_DONTWAIT | MSG_NOSIGNAL);
      if (put > 0) {
        bytes.remove_prefix(static_cast<size_t>(put));
        continue;
      }
      if (put < 0 && errno != EINTR && errno != EAGAIN && errno != EWOULDBLOCK) return false;
      if (!Wait(POLLOUT, -1)) return false;
    }
    return true;
  }

  // Sleeps for d; false when the proxy stopped meanwhile.
  bool Sleep(milliseconds d) {
    pollfd stop{stop_fd_, POLLIN, 0};
    const auto until = std::chrono::steady_clock::now() + d;
    while (true) {
      const auto left =
          std::chrono::ceil<milliseconds>(until - std::chrono::steady_clock::now()).count();
      if (left <= 0) return true;
      const int n = ::poll(&stop, 1, static_cast<int>(std::min<int64_t>(left, 1 << 30)));
      if (n > 0) return false;
      if (n < 0 && errno != EINTR) return false;
    }
  }

 private:
  // Waits until fd_ is ready for events (or has an error or hang-up, which the next call
  // reports); false when the proxy stops first, or poll fails.
  bool Wait(short events, int timeout_ms) {
    while (true) {
      pollfd p[2] = {{fd_, events, 0}, {stop_fd_, POLLIN, 0}};
      const int n = ::poll(p, 2, timeout_ms);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return false;
      if (p[1].revents != 0) return false;
      return true;
    }
  }

  int fd_;
  int stop_fd_;
  std::string in_;
  size_t pos_ = 0;  // in_[0, pos_) is consumed
  bool eof_ = false;
};

// A request or response head: its first line and its header fields, in order, as received.
struct Head {
  std::string start_line;
  std::vector<std::pair<std::string, std::string>> fields;

  // Every value of the field name, in order.
  std::vector<std::string_view> Values(std::string_view name) const {
    std::vector<std::string_view> out;
    for (const auto& [n, v] : fields) {
      if (EqualsIgnoreCase(n, name)) out.push_back(v);
    }
    return out;
  }
  // Whether some comma-separated item of some name field equals token (case-insensitively).
  bool HasToken(std::string_view name, std::string_view token) const {
    for (std::string_view v : Values(name)) {
      for (std::string_view item : CommaList(v)) {
        if (EqualsIgnoreCase(item, token)) return true;
      }
    }
    return false;
  }
};

enum class ReadResult { kOk, kEndOfStream, kMalformed, kBroken };

// Reads one head (up to and including the empty line) from peer and parses it. kEndOfStream:
// the peer closed cleanly before sending a byte of it (the end of a keep-alive connection).
ReadResult ReadHead(Peer* peer, Head* head) {
  size_t end = std::string_view::npos;  // the head's length, its final empty line included
  while (true) {
    const std::string_view b = peer->buffered();
    // The head ends at an empty line: "\r\n\r\n", or "\n\n" from a lax peer.
    for (size_t i = b.find('\n'); i != std::string_view::npos; i = b.find('\n', i + 1)) {
      if (i + 1 < b.size() && b[i + 1] == '\n') {
        end = i + 2;
        break;
      }
      if (i + 2 < b.size() && b[i + 1] == '\r' && b[i + 2] == '\n') {
        end = i + 3;
        break;
      }
    }
    if (end != std::string_view::npos) break;
    if (b.size() > kMaxHeadBytes) return ReadResult::kMalformed;
    const bool had_bytes = !b.empty();
    if (!peer->Fill()) {
      if (peer->at_eof() && !had_bytes) return ReadResult::kEndOfStream;
      return ReadResult::kBroken;
    }
  }
  if (end > kMaxHeadBytes) return ReadResult::kMalformed;
  std::string_view text = peer->buffered().substr(0, end);
  bool first = true;
  while (!text.empty()) {
    const size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text.remove_prefix(nl + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty()) {
      if (first) return ReadResult::kMalformed;  // a head without a start line
      break;
    }
    if (first) {
      head->start_line = std::string(line);
      first = false;
      continue;
    }
    // "name: value". Folded continuation lines (leading whitespace) are obsolete and refused,
    // as is whitespace inside or after the name: each is a classic request-smuggling vector.
    const size_t colon = line.find(':');
    if (colon == 0 || colon == std::string_view::npos) return ReadResult::kMalformed;
    const std::string_view name = line.substr(0, colon);
    if (name.find_first_of(" \t") != std::string_view::npos) return ReadResult::kMalformed;
    head->fields.emplace_back(std::string(name), std::string(Trim(line.substr(colon + 1))));
  }
  peer->Consume(end);
  return ReadResult::kOk;
}

struct Framing {
  enum class Kind { kNone, kLength, kChunked, kUntilClose } kind = Kind::kNone;
  uint64_t length = 0;  // kLength
};

// The body framing a head announces. Transfer-Encoding wins over Content-Length (RFC 9112
// 6.3); for a request a Transfer-Encoding other than chunked is malformed, for a response it
// means "until close". Content-Length values must agree. Without either, a request has no body
// and a response runs until close. nullopt: malformed.
std::optional<Framing> BodyFraming(const Head& head, bool is_request) {
  const std::vector<std::string_view> te = head.Values("Transfer-Encoding");
  if (!te.empty()) {
    const std::vector<std::string_view> codings = CommaList(te.back());
    if (EqualsIgnoreCase(codings.back(), "chunked")) return Framing{Framing::Kind::kChunked, 0};
    if (is_request) return std::nullopt;
    return Framing{Framing::Kind::kUntilClose, 0};
  }
  std::optional<uint64_t> length;
  for (std::string_view v : head.Values("Content-Length")) {
    for (std::string_view item : CommaList(v)) {
      const std::optional<uint64_t> n = ParseDecimal(item);
      if (!n || *n > kMaxLength || (length && *length != *n)) return std::nullopt;
      length = n;
    }
  }
  if (length) return Framing{Framing::Kind::kLength, *length};
  return Framing{is_request ? Framing::Kind::kNone : Framing::Kind::kUntilClose, 0};
}

// Where a body's bytes go, raw (chunk framing included), in order. Returning false stops the
// body there (a cut, a limit).
using BodySink = std::function<bool(std::string_view raw)>;

enum class BodyResult { kComplete, kStopped, kMalformed, kBroken };

// Consumes one line (up to and including '\n', at most kMaxChunkLine bytes) and passes it to
// sink; *line is the line without its end.
BodyResult ReadLine(Peer* peer, const BodySink& sink, std::string* line) {
  while (true) {
    const std::string_view b = peer->buffered();
    const size_t nl = b.find('\n');
    if (nl != std::string_view::npos && nl < kMaxChunkLine) {
      std::string_view text = b.substr(0, nl);
      if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
      *line = std::string(text);
      const bool go_on = sink(b.substr(0, nl + 1));
      peer->Consume(nl + 1);
      return go_on ? BodyResult::kComplete : BodyResult::kStopped;
    }
    if (b.size() >= kMaxChunkLine) return BodyResult::kMalformed;
    if (!peer->Fill()) return BodyResult::kBroken;
  }
}

// Passes the next n bytes to sink as they arrive.
BodyResult ReadBytes(Peer* peer, uint64_t n, const BodySink& sink) {
  while (n > 0) {
    if (peer->buffered().empty() && !peer->Fill()) return BodyResult::kBroken;
    const std::string_view b = peer->buffered();
    const size_t take = static_cast<size_t>(std::min<uint64_t>(n, b.size()));
    const bool go_on = sink(b.substr(0, take));
    peer->Consume(take);
    n -= take;
    if (!go_on) return BodyResult::kStopped;
  }
  return BodyResult::kComplete;
}

// The size of a chunk-size line ("1a3f", "1a3f;ext=v"); nullopt when malformed.
std::optional<uint64_t> ChunkSize(std::string_view line) {
  line = Trim(line.substr(0, line.find(';')));
  if (line.empty() || line.size() > 13) return std::nullopt;  // 13 hex digits < kMaxLength
  uint64_t v = 0;
  for (char c : line) {
    int d;
    if (c >= '0' && c <= '9') {
      d = c - '0';
    } else if (c >= 'a' && c <= 'f') {
      d = c - 'a' + 10;
    } else if (c >= 'A' && c <= 'F') {
      d = c - 'A' + 10;
    } else {
      return std::nullopt;
    }
    v = v * 16 + static_cast<uint64_t>(d);
  }
  return v;
}

// Reads one body framed as framing says from peer, passing its raw bytes to sink.
BodyResult ReadBody(Peer* peer, const Framing& framing, const BodySink& sink) {
  switch (framing.kind) {
    case Framing::Kind::kNone:
      return BodyResult::kComplete;
    case Framing::Kind::kLength:
      return ReadBytes(peer, framing.length, sink);
    case Framing::Kind::kUntilClose:
      while (true) {
        const std::string_view b = peer->buffered();
        if (!b.empty()) {
          const bool go_on = sink(b);
          peer->Consume(b.size());
          if (!go_on) return BodyResult::kStopped;
        }
        if (!peer->Fill()) return peer->at_eof() ? BodyResult::kComplete : BodyResult::kBroken;
      }
    case Framing::Kind::kChunked:
      break;
  }
  std::string line;
  while (true) {
    BodyResult r = ReadLine(peer, sink, &line);
    if (r != BodyResult::kComplete) return r;
    const std::optional<uint64_t> size = ChunkSize(line);
    if (!size) return BodyResult::kMalformed;
    if (*size == 0) break;
    r = ReadBytes(peer, *size, sink);
    if (r != BodyResult::kComplete) return r;
    r = ReadLine(peer, sink, &line);  // the CRLF after the chunk's data
    if (r != BodyResult::kComplete) return r;
    if (!line.empty()) return BodyResult::kMalformed;
  }
  // Trailer fields, up to the empty line that ends the body.
  for (int fields = 0;; fields++) {
    const BodyResult r = ReadLine(peer, sink, &line);
    if (r != BodyResult::kComplete) return r;
    if (line.empty()) return BodyResult::kComplete;
    if (fields > 100) return BodyResult::kMalformed;
  }
}

bool IsHopByHop(std::string_view name) {
  return EqualsIgnoreCase(name, "Connection") || EqualsIgnoreCase(name, "Keep-Alive") ||
         EqualsIgnoreCase(name, "Proxy-Connection");
}

// head's bytes again, without the hop-by-hop fields (and without Expect when drop_expect),
// with "Connection: close" when add_close.
std::string Serialize(const Head& head, bool drop_expect, bool add_close) {
  std::string out = head.start_line + "\r\n";
  for (const auto& [name, value] : head.fields) {
    if (IsHopByHop(name) || (drop_expect && EqualsIgnoreCase(name, "Expect"))) continue;
    out += name + ": " + value + "\r\n";
  }
  if (add_close) out += "Connection: close\r\n";
  out += "\r\n";
  return out;
}

// A response the proxy makes itself. S3 errors carry an XML body; HEAD responses carry none.
std::string MakeResponse(int status, std::string_view reason, std::string_view content_type,
                         const std::string& body, bool is_head, bool close, uint64_t request_id) {
  std::string out = "HTTP/1.1 " + std::to_string(status) + " " + std::string(reason) + "\r\n";
  out += "Content-Type: " + std::string(content_type) + "\r\n";
  out += "Content-Length: " + std::to_string(is_head ? 0 : body.size()) + "\r\n";
  out += "x-amz-request-id: FAULTPROXY" + std::to_string(request_id) + "\r\n";
  if (close) out += "Connection: close\r\n";
  out += "\r\n";
  if (!is_head) out += body;
  return out;
}

// text as XML character data: a request target's query has '&' ("?partNumber=2&uploadId=u"),
// which a strict XML parser rejects unescaped.
std::string XmlEscaped(std::string_view text) {
  std::string out;
  for (char c : text) {
    out += c == '&' ? "&amp;" : c == '<' ? "&lt;" : c == '>' ? "&gt;" : std::string(1, c);
  }
  return out;
}

// code and message are plain text (no markup characters); resource is escaped.
std::string S3ErrorBody(std::string_view code, std::string_view message, std::string_view resource,
                        uint64_t request_id) {
  return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>" + std::string(code) +
         "</Code><Message>" + std::string(message) + "</Message><Resource>" + XmlEscaped(resource) +
         "</Resource><RequestId>FAULTPROXY" + std::to_string(request_id) + "</RequestId></Error>";
}

// Makes closing fd send RST instead of FIN: the peer's next read fails with ECONNRESET.
void ArmReset(int fd) {
  const linger abort_on_close{1, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_LINGER, &abort_on_close, sizeof(abort_on_close));
}

// Connects to host:port within kUpstreamConnectTimeout, or until the proxy stops.
Result<net::UniqueFd> ConnectUpstream(const std::string& host, uint16_t port, int stop_fd) {
  const std::string name = host + ":" + std::to_string(port);
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* resolved = nullptr;
  const int rc = ::getaddrinfo(host.c_str(), std::to_string(port).c_str(), &hints, &resolved);
  if (rc != 0) return Status::IOError(name + ": cannot resolve", ::gai_strerror(rc));
  std::unique_ptr<addrinfo, decltype(&::freeaddrinfo)> owner(resolved, &::freeaddrinfo);
  std::string error = "no address";
  for (const addrinfo* ai = resolved; ai != nullptr; ai = ai->ai_next) {
    net::UniqueFd fd(
        ::socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, ai->ai_protocol));
    if (!fd.valid()) return Status::IOError(name + ": socket", std::strerror(errno));
    if (::connect(fd.get(), ai->ai_addr, ai->ai_addrlen) != 0) {
      if (errno != EINPROGRESS) {
        error = std::strerror(errno);
        continue;
      }
      pollfd p[2] = {{fd.get(), POLLOUT, 0}, {stop_fd, POLLIN, 0}};
      int n;
      do {
        n = ::poll(p, 2, static_cast<int>(kUpstreamConnectTimeout.count()));
      } while (n < 0 && errno == EINTR);
      if (n <= 0 || p[1].revents != 0) {
        error = n == 0 ? "connect timed out" : "proxy stopping";
        continue;
      }
      int err = 0;
      socklen_t len = sizeof(err);
      if (::getsockopt(fd.get(), SOL_SOCKET, SO_ERROR, &err, &len) != 0) err = errno;
      if (err != 0) {
        error = std::strerror(err);
        continue;
      }
    }
    const int on = 1;
    ::setsockopt(fd.get(), IPPROTO_TCP, TCP_NODELAY, &on, sizeof(on));
    return fd;
  }
  return Status::IOError(name + ": connect", error);
}

}  // namespace

Result<std::unique_ptr<FaultProxy>> FaultProxy::Start(const std::string& upstream_host,
                                                      uint16_t upstream_port) {
  std::unique_ptr<FaultProxy> proxy(new FaultProxy());
  proxy->upstream_host_ = upstream_host;
  proxy->upstream_port_ = upstream_port;
  proxy->stop_fd_ = net::UniqueFd(::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK));
  if (!proxy->stop_fd_.valid())
    return Status::IOError("fault proxy: eventfd", std::strerror(errno));
  proxy->listener_ =
      net::UniqueFd(::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
  if (!proxy->listener_.valid()) {
    return Status::IOError("fault proxy: socket", std::strerror(errno));
  }
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = 0;  // the kernel picks a free port: no race with other tests for it
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof(addr);
  if (::bind(proxy->listener_.get(), reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0 ||
      ::listen(proxy->listener_.get(), 128) != 0 ||
      ::getsockname(proxy->listener_.get(), reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    return Status::IOError("fault proxy: listen on 127.0.0.1", std::strerror(errno));
  }
  proxy->port_ = ntohs(addr.sin_port);
  proxy->acceptor_ = std::thread([p = proxy.get()] { p->AcceptLoop(); });
  return proxy;
}

FaultProxy::~FaultProxy() {
  stopping_ = true;
  // The eventfd's counter stays non-zero (nobody reads it), so every poll that includes it,
  // now or later, returns at once.
  const uint64_t one = 1;
  if (::write(stop_fd_.get(), &one, sizeof(one)) != sizeof(one)) {
    // Cannot happen for an eventfd whose counter is far from overflowing; the threads would
    // still end with their peers.
  }
  if (acceptor_.joinable()) acceptor_.join();
  // The acceptor has ended: no connection is added from here on.
  std::list<Connection> all;
  {
    std::lock_guard<std::mutex> lock(mu_);
    all.swap(connections_);
  }
  for (Connection& c : all) {
    if (c.thread.joinable()) c.thread.join();
  }
}

std::string FaultProxy::url() const { return "http://" + host_ + ":" + std::to_string(port_); }

void FaultProxy::AddFault(FaultRule rule) {
  std::lock_guard<std::mutex> lock(mu_);
  rules_.push_back(std::move(rule));
}

void FaultProxy::ClearFaults() {
  std::lock_guard<std::mutex> lock(mu_);
  rules_.clear();
}

int FaultProxy::PendingFaults() const {
  std::lock_guard<std::mutex> lock(mu_);
  int pending = 0;
  for (const FaultRule& r : rules_) pending += std::max(r.times, 0);
  return pending;
}

std::vector<SeenRequest> FaultProxy::Requests() const {
  std::lock_guard<std::mutex> lock(mu_);
  return seen_;
}

int FaultProxy::Count(const std::string& method, const std::string& path_substring) const {
  std::lock_guard<std::mutex> lock(mu_);
  int n = 0;
  for (const SeenRequest& r : seen_) {
    if ((method.empty() || r.method == method) &&
        r.target.find(path_substring) != std::string::npos) {
      n++;
    }
  }
  return n;
}

int FaultProxy::FaultsApplied() const {
  std::lock_guard<std::mutex> lock(mu_);
  return faults_applied_;
}

void FaultProxy::ResetCounters() {
  std::lock_guard<std::mutex> lock(mu_);
  seen_.clear();
  faults_applied_ = 0;
}

std::optional<FaultRule> FaultProxy::TakeFault(const std::string& method,
                                               const std::string& target) {
  std::lock_guard<std::mutex> lock(mu_);
  std::optional<FaultRule> applied;
  for (FaultRule& r : rules_) {
    if (r.times == 0) continue;
    if (!r.match_method.empty() && r.match_method != method) continue;
    if (target.find(r.match_path_substring) == std::string::npos) continue;
    if (r.times > 0) r.times--;
    applied = r;
    faults_applied_++;
    break;
  }
  seen_.push_back(
      SeenRequest{method, target, applied ? std::optional(applied->kind) : std::nullopt});
  return applied;
}

void FaultProxy::ReapFinished() {
  std::list<Connection> finished;
  {
    std::lock_guard<std::mutex> lock(mu_);
    for (auto it = connections_.begin(); it != connections_.end();) {
      auto next = std::next(it);
      if (it->done) finished.splice(finished.end(), connections_, it);
      it = next;
    }
  }
  // A done thread has nothing left to do but return: these joins are short.
  for (Connection& c : finished) c.thread.join();
}

void FaultProxy::AcceptLoop() {
  while (!stopping_) {
    pollfd p[2] = {{listener_.get(), POLLIN, 0}, {stop_fd_.get(), POLLIN, 0}};
    const int n = ::poll(p, 2, -1);
    if (n < 0 && errno != EINTR) return;
    if (n <= 0) continue;
    if (p[1].revents != 0) return;
    net::UniqueFd client(::accept4(listener_.get(), nullptr, nullptr, SOCK_CLOEXEC));
    if (!client.valid()) {
      // The client gave up before we took it (try the next), or we are out of descriptors:
      // then the listener stays readable, and a short pause keeps this from spinning.
      if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM) {
        pollfd stop{stop_fd_.get(), POLLIN, 0};
        ::poll(&stop, 1, 10);
      }
      continue;
    }
    const int on = 1;
    ::setsockopt(client.get(), IPPROTO_TCP, TCP_NODELAY, &on, sizeof(on));
    ReapFinished();
    std::lock_guard<std::mutex> lock(mu_);
    Connection& c = connections_.emplace_back();
    // Started under mu_, so c.thread is assigned before anyone (ReapFinished) could look at
    // the connection as done.
    c.thread = std::thread([this, fd = client.Release(), &c] { Serve(net::UniqueFd(fd), &c); });
  }
}

void FaultProxy::Serve(net::UniqueFd client_fd, Connection* self) {
  const int stop = stop_fd_.get();
  Peer client(client_fd.get(), stop);
  uint64_t request_id = 0;
  // Each pass serves one request; leaving the loop closes the connection (with RST when
  // ArmReset was called on it).
  while (!stopping_) {
    Head request;
    const ReadResult head_read = ReadHead(&client, &request);
    if (head_read == ReadResult::kEndOfStream || head_read == ReadResult::kBroken) break;
    request_id++;
    // "METHOD target HTTP/1.x"
    std::vector<std::string> parts;
    for (size_t start = 0; start <= request.start_line.size();) {
      const size_t space = std::min(request.start_line.find(' ', start), request.start_line.size());
      parts.push_back(request.start_line.substr(start, space - start));
      start = space + 1;
    }
    const std::optional<Framing> request_framing =
        head_read == ReadResult::kOk ? BodyFraming(request, /*is_request=*/true) : std::nullopt;
    if (head_read != ReadResult::kOk || parts.size() != 3 || parts[0].empty() || parts[1].empty() ||
        !parts[2].starts_with("HTTP/1.") || !request_framing) {
      (void)client.Send(MakeResponse(400, "Bad Request", "text/plain",
                                     "fault proxy: malformed request head\n", false, true,
                                     request_id));
      break;
    }
    const std::string& method = parts[0];
    const std::string& target = parts[1];
    const bool is_head = method == "HEAD";
    // HTTP/1.0 clients get one request per connection; HTTP/1.1 ones keep it unless they ask.
    bool close_after = parts[2] == "HTTP/1.0" || request.HasToken("Connection", "close");
    const std::optional<FaultRule> fault = TakeFault(method, target);
    const std::optional<FaultKind> kind =
        fault ? std::optional<FaultKind>(fault->kind) : std::nullopt;

    // The client waits for this before it sends a body (libcurl does so for large uploads);
    // answering here, whatever comes next, means the body always arrives and can be forwarded
    // in one go without the upstream's say.
    if (request.HasToken("Expect", "100-continue") &&
        !client.Send("HTTP/1.1 100 Continue\r\n\r\n")) {
      break;
    }

    if (kind == FaultKind::kDropRequestBody) {
      uint64_t taken = 0;
      if (fault->bytes > 0 && request_framing->kind != Framing::Kind::kNone) {
        (void)ReadBody(&client, *request_framing, [&](std::string_view raw) {
          taken += raw.size();
          return taken < fault->bytes;
        });
      }
      ArmReset(client_fd.get());
      break;
    }

    std::string body;
    bool too_large = false;
    const BodyResult body_read = ReadBody(&client, *request_framing, [&](std::string_view raw) {
      if (body.size() + raw.size() > kMaxRequestBody) {
        too_large = true;
        return false;
      }
      body.append(raw);
      return true;
    });
    if (body_read == BodyResult::kBroken) break;
    if (body_read != BodyResult::kComplete) {
      (void)client.Send(MakeResponse(too_large ? 413 : 400,
                                     too_large ? "Payload Too Large" : "Bad Request", "text/plain",
                                     "fault proxy: bad request body\n", is_head, true, request_id));
      break;
    }

    if (kind == FaultKind::kReset) {
      ArmReset(client_fd.get());
      break;
    }
    if (kind == FaultKind::kInternalError500 || kind == FaultKind::kSlowDown503 ||
        kind == FaultKind::kTooManyRequests429) {
      int status = 500;
      std::string_view reason = "Internal Server Error", code = "InternalError",
                       message = "We encountered an internal error. Please try again.";
      if (kind == FaultKind::kSlowDown503) {
        status = 503;
        reason = "Slow Down";
        code = "SlowDown";
        message = "Please reduce your request rate.";
      } else if (kind == FaultKind::kTooManyRequests429) {
        status = 429;
        reason = "Too Many Requests";
        code = "TooManyRequests";
        message = "Please reduce your request rate.";
      }
      if (!client.Send(MakeResponse(status, reason, "application/xml",
                                    S3ErrorBody(code, message, target, request_id), is_head,
                                    close_after, request_id))) {
        break;
      }
      if (close_after) break;
      continue;
    }

    // Forward, on a connection of its own that the upstream closes after its response.
    Result<net::UniqueFd> upstream_fd = ConnectUpstream(upstream_host_, upstream_port_, stop);
    Peer upstream(upstream_fd.ok() ? upstream_fd->get() : -1, stop);
    Head response;
    std::string failure;
    if (!upstream_fd.ok()) {
      failure = upstream_fd.status().ToString();
    } else if (!upstream.Send(Serialize(request, /*drop_expect=*/true, /*add_close=*/true)) ||
               !upstream.Send(body)) {
      failure = "the upstream did not take the request";
    } else {
      // Interim 1xx responses (a stray 100 Continue) are dropped: the client had its own.
      while (true) {
        response = Head();
        if (ReadHead(&upstream, &response) != ReadResult::kOk) {
          failure = "no valid response head from the upstream";
          break;
        }
        if (!response.start_line.starts_with("HTTP/1.") || response.start_line.size() < 12 ||
            !ParseDecimal(response.start_line.substr(9, 3))) {
          failure = "malformed status line from the upstream";
          break;
        }
        if (response.start_line[9] != '1') break;
      }
    }
    if (stopping_) break;
    if (kind == FaultKind::kResetAfterForward) {
      ArmReset(client_fd.get());
      break;
    }
    if (!failure.empty()) {
      (void)client.Send(MakeResponse(502, "Bad Gateway", "text/plain",
                                     "fault proxy: " + failure + "\n", is_head, true, request_id));
      break;
    }

    const int status = static_cast<int>(*ParseDecimal(response.start_line.substr(9, 3)));
    std::optional<Framing> response_framing = BodyFraming(response, /*is_request=*/false);
    if (is_head || status == 204 || status == 304) {
      response_framing = Framing{Framing::Kind::kNone, 0};
    }
    if (!response_framing) {
      (void)client.Send(MakeResponse(502, "Bad Gateway", "text/plain",
                                     "fault proxy: bad framing in the upstream's response\n",
                                     is_head, true, request_id));
      break;
    }
    // A body that ends when the upstream closes can only end for the client the same way.
    if (response_framing->kind == Framing::Kind::kUntilClose ||
        kind == FaultKind::kCutResponseBody) {
      close_after = true;
    }
    if (kind == FaultKind::kStallResponse && !client.Sleep(fault->delay)) break;
    if (!client.Send(Serialize(response, /*drop_expect=*/false, close_after))) break;

    // Body bytes the fault lets through before it acts (cut or stall); all of them otherwise.
    const bool limited = kind == FaultKind::kCutResponseBody || kind == FaultKind::kStallBody;
    const uint64_t limit = limited ? fault->bytes : UINT64_MAX;
    uint64_t sent = 0;
    bool stalled = false;
    bool client_gone = false;
    // Sends raw to the client, applying the cut or the stall at `limit` bytes. Returns false
    // to stop reading the upstream's body.
    auto forward = [&](std::string_view raw) {
      if (sent < limit) {
        const size_t take = static_cast<size_t>(std::min<uint64_t>(raw.size(), limit - sent));
        if (!client.Send(raw.substr(0, take))) {
          client_gone = true;
          return false;
        }
        sent += take;
        raw.remove_prefix(take);
      }
      if (sent < limit) return true;
      if (kind == FaultKind::kCutResponseBody) return false;
      if (kind == FaultKind::kStallBody && !stalled) {
        stalled = true;
        if (!client.Sleep(fault->delay)) {
          client_gone = true;
          return false;
        }
      }
      if (!raw.empty() && !client.Send(raw)) {
        client_gone = true;
        return false;
      }
      return true;
    };
    // With a limit of 0 the fault acts before the first body byte, which may never come.
    const bool go_on = limit > 0 || forward(std::string_view());
    const BodyResult body_sent =
        go_on ? ReadBody(&upstream, *response_framing, forward) : BodyResult::kStopped;
    if (body_sent != BodyResult::kComplete || client_gone || close_after) break;
  }
  client_fd.Reset();  // before `done`: the destructor's joins must find no descriptor open
  std::lock_guard<std::mutex> lock(mu_);
  self->done = true;
}

}  // namespace strata::test
