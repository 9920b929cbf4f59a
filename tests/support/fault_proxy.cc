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
#include <string_view>
#include <utility>

#include "support/http_wire.h"

namespace strata::test {

namespace {

using std::chrono::milliseconds;

// Request bodies are held whole, to be forwarded in one go.
constexpr uint64_t kMaxRequestBody = 1ull << 30;
constexpr milliseconds kUpstreamConnectTimeout{10'000};

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
  HttpPeer client(client_fd.get(), stop);
  uint64_t request_id = 0;
  // Each pass serves one request; leaving the loop closes the connection (with RST when
  // ArmReset was called on it).
  while (!stopping_) {
    HttpHead request;
    const HeadRead head_read = ReadHttpHead(&client, &request);
    if (head_read == HeadRead::kEndOfStream || head_read == HeadRead::kBroken) break;
    request_id++;
    // "METHOD target HTTP/1.x"
    std::vector<std::string> parts;
    for (size_t start = 0; start <= request.start_line.size();) {
      const size_t space = std::min(request.start_line.find(' ', start), request.start_line.size());
      parts.push_back(request.start_line.substr(start, space - start));
      start = space + 1;
    }
    const std::optional<HttpFraming> request_framing =
        head_read == HeadRead::kOk ? FramingOf(request, /*is_request=*/true) : std::nullopt;
    if (head_read != HeadRead::kOk || parts.size() != 3 || parts[0].empty() || parts[1].empty() ||
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
      if (fault->bytes > 0 && request_framing->kind != HttpFraming::Kind::kNone) {
        (void)ReadHttpBody(&client, *request_framing, [&](std::string_view raw) {
          taken += raw.size();
          return taken < fault->bytes;
        });
      }
      ArmReset(client_fd.get());
      break;
    }

    std::string body;
    bool too_large = false;
    const BodyRead body_read = ReadHttpBody(&client, *request_framing, [&](std::string_view raw) {
      if (body.size() + raw.size() > kMaxRequestBody) {
        too_large = true;
        return false;
      }
      body.append(raw);
      return true;
    });
    if (body_read == BodyRead::kBroken) break;
    if (body_read != BodyRead::kComplete) {
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
    HttpPeer upstream(upstream_fd.ok() ? upstream_fd->get() : -1, stop);
    HttpHead response;
    std::string failure;
    if (!upstream_fd.ok()) {
      failure = upstream_fd.status().ToString();
    } else if (!upstream.Send(request.Forwarded(/*drop_expect=*/true, /*add_close=*/true)) ||
               !upstream.Send(body)) {
      failure = "the upstream did not take the request";
    } else {
      // Interim 1xx responses (a stray 100 Continue) are dropped: the client had its own.
      while (true) {
        response = HttpHead();
        if (ReadHttpHead(&upstream, &response) != HeadRead::kOk) {
          failure = "no valid response head from the upstream";
          break;
        }
        if (!response.StatusCode()) {
          failure = "malformed status line from the upstream: " + response.start_line;
          break;
        }
        if (*response.StatusCode() >= 200) break;
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

    const int status = *response.StatusCode();
    std::optional<HttpFraming> response_framing = FramingOf(response, /*is_request=*/false);
    if (is_head || status == 204 || status == 304) {
      response_framing = HttpFraming{HttpFraming::Kind::kNone, 0};
    }
    if (!response_framing) {
      (void)client.Send(MakeResponse(502, "Bad Gateway", "text/plain",
                                     "fault proxy: bad framing in the upstream's response\n",
                                     is_head, true, request_id));
      break;
    }
    // A body that ends when the upstream closes can only end for the client the same way.
    if (response_framing->kind == HttpFraming::Kind::kUntilClose ||
        kind == FaultKind::kCutResponseBody) {
      close_after = true;
    }
    if (kind == FaultKind::kStallResponse && !client.Sleep(fault->delay)) break;
    if (!client.Send(response.Forwarded(/*drop_expect=*/false, close_after))) break;

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
    const BodyRead body_sent =
        go_on ? ReadHttpBody(&upstream, *response_framing, forward) : BodyRead::kStopped;
    if (body_sent != BodyRead::kComplete || client_gone || close_after) break;
  }
  client_fd.Reset();  // before `done`: the destructor's joins must find no descriptor open
  std::lock_guard<std::mutex> lock(mu_);
  self->done = true;
}

}  // namespace strata::test
