#include "rdb/redis_connection.h"

#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>

namespace strata::rdb {

namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

// Owns a file descriptor; closes it on destruction.
class UniqueFd {
 public:
  UniqueFd() = default;
  explicit UniqueFd(int fd) : fd_(fd) {}
  ~UniqueFd() { Reset(); }
  UniqueFd(UniqueFd&& other) noexcept : fd_(other.Release()) {}
  UniqueFd& operator=(UniqueFd&& other) noexcept {
    if (this != &other) {
      Reset();
      fd_ = other.Release();
    }
    return *this;
  }
  int get() const { return fd_; }
  int Release() {
    const int fd = fd_;
    fd_ = -1;
    return fd;
  }
  void Reset() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }

 private:
  int fd_ = -1;
};

std::string ErrnoText(int err) { return std::strerror(err); }

std::string Seconds(milliseconds ms) {
  char text[32];
  std::snprintf(text, sizeof(text), "%.1f s", static_cast<double>(ms.count()) / 1000.0);
  return text;
}

// Milliseconds left until deadline, for poll(): at least 0, at most INT_MAX.
int PollTimeout(Clock::time_point deadline) {
  const auto left = std::chrono::duration_cast<milliseconds>(deadline - Clock::now()).count();
  return static_cast<int>(std::clamp<long long>(left, 0, 0x7fffffff));
}

// Waits until fd is ready for events or the deadline passes. Returns the revents, 0 on
// timeout, or -errno.
int WaitFor(int fd, short events, Clock::time_point deadline) {
  while (true) {
    pollfd p{fd, events, 0};
    const int n = ::poll(&p, 1, PollTimeout(deadline));
    if (n > 0) return p.revents;
    if (n == 0) return 0;
    if (errno != EINTR) return -errno;
  }
}

// The part of a command safe and useful to name in a message: the command, and for
// commands with subcommands the subcommand. Never an argument (AUTH carries a password).
std::string CommandLabel(const std::vector<std::string>& args) {
  if (args.empty()) return "(empty command)";
  std::string label = args[0];
  static constexpr const char* kWithSubcommand[] = {"CLUSTER", "REPLCONF", "CONFIG", "CLIENT",
                                                    "ACL"};
  if (args.size() > 1) {
    for (const char* command : kWithSubcommand) {
      if (::strcasecmp(args[0].c_str(), command) == 0) {
        label += " " + args[1];
        break;
      }
    }
  }
  return label;
}

std::string EncodeCommand(const std::vector<std::string>& args) {
  std::string out = "*" + std::to_string(args.size()) + "\r\n";
  for (const std::string& arg : args) {
    out += "$" + std::to_string(arg.size()) + "\r\n";
    out += arg;
    out += "\r\n";
  }
  return out;
}

bool ParsePort(std::string_view text, uint16_t* port) {
  if (text.empty() || text.size() > 5) return false;
  uint32_t value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
    value = value * 10 + static_cast<uint32_t>(c - '0');
  }
  if (value == 0 || value > 65535) return false;
  *port = static_cast<uint16_t>(value);
  return true;
}

// One non-blocking connect to one resolved address, bounded by deadline.
Result<UniqueFd> ConnectOne(const addrinfo& ai, Clock::time_point deadline) {
  UniqueFd fd(
      ::socket(ai.ai_family, ai.ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, ai.ai_protocol));
  if (fd.get() < 0) return Status::IOError("socket", ErrnoText(errno));
  if (::connect(fd.get(), ai.ai_addr, ai.ai_addrlen) != 0) {
    if (errno != EINPROGRESS) return Status::IOError(ErrnoText(errno));
    const int ready = WaitFor(fd.get(), POLLOUT, deadline);
    if (ready < 0) return Status::IOError("poll", ErrnoText(-ready));
    if (ready == 0) return Status::IOError("timed out");
    int err = 0;
    socklen_t len = sizeof(err);
    if (::getsockopt(fd.get(), SOL_SOCKET, SO_ERROR, &err, &len) != 0) err = errno;
    if (err != 0) return Status::IOError(ErrnoText(err));
  }
  // Commands are small and answered one at a time: do not let Nagle delay them. Keepalive
  // lets the kernel notice a peer that vanished during a long transfer.
  const int on = 1;
  ::setsockopt(fd.get(), IPPROTO_TCP, TCP_NODELAY, &on, sizeof(on));
  ::setsockopt(fd.get(), SOL_SOCKET, SO_KEEPALIVE, &on, sizeof(on));
  return fd;
}

std::string NumericHost(const addrinfo& ai) {
  char host[NI_MAXHOST];
  if (::getnameinfo(ai.ai_addr, ai.ai_addrlen, host, sizeof(host), nullptr, 0, NI_NUMERICHOST) !=
      0) {
    return "?";
  }
  return host;
}

// A Status of s's code carrying message.
Status SameCode(const Status& s, const std::string& message) {
  switch (s.code()) {
    case Status::Code::kOk:
      break;
    case Status::Code::kNotFound:
      return Status::NotFound(message);
    case Status::Code::kCorruption:
      return Status::Corruption(message);
    case Status::Code::kIOError:
      return Status::IOError(message);
    case Status::Code::kInvalidArgument:
      return Status::InvalidArgument(message);
    case Status::Code::kNotSupported:
      return Status::NotSupported(message);
    case Status::Code::kBusy:
      return Status::Busy(message);
    case Status::Code::kAborted:
      return Status::Aborted(message);
  }
  return Status::IOError(message);
}

}  // namespace

Status InStep(const Status& s, const std::string& name, std::string_view step) {
  const std::string prefix = name + ": ";
  const std::string& message = s.message();
  const std::string_view rest = message.starts_with(prefix)
                                    ? std::string_view(message).substr(prefix.size())
                                    : std::string_view(message);
  return SameCode(s, prefix + std::string(step) + ": " + std::string(rest));
}

std::string RedisAddress::ToString() const {
  const std::string port_text = std::to_string(port);
  if (host.find(':') != std::string::npos) return "[" + host + "]:" + port_text;
  return host + ":" + port_text;
}

Result<RedisAddress> RedisAddress::Parse(std::string_view text) {
  RedisAddress address;
  std::string_view port_text;
  if (!text.empty() && text[0] == '[') {
    const size_t close = text.find(']');
    if (close == std::string_view::npos || close + 1 >= text.size() || text[close + 1] != ':') {
      return Status::InvalidArgument("address \"" + std::string(text) + "\": expected [ipv6]:port");
    }
    address.host = std::string(text.substr(1, close - 1));
    port_text = text.substr(close + 2);
  } else {
    const size_t colon = text.rfind(':');
    if (colon == std::string_view::npos) {
      return Status::InvalidArgument("address \"" + std::string(text) + "\": expected host:port");
    }
    address.host = std::string(text.substr(0, colon));
    port_text = text.substr(colon + 1);
  }
  if (address.host.empty() || address.host.find_first_of(" \t\r\n,[]@") != std::string::npos) {
    return Status::InvalidArgument("address \"" + std::string(text) + "\": bad host");
  }
  if (!ParsePort(port_text, &address.port)) {
    return Status::InvalidArgument("address \"" + std::string(text) +
                                   "\": the port must be a number from 1 to 65535");
  }
  return address;
}

// The socket, as the byte stream under the RespReader. Waits up to timeout_ for each read
// and for each send to progress.
class RedisConnection::SocketStream final : public ByteStream {
 public:
  SocketStream(UniqueFd fd, std::string name, milliseconds timeout)
      : fd_(std::move(fd)), name_(std::move(name)), timeout_(timeout) {}

  Result<size_t> ReadSome(char* dst, size_t n) override {
    const Clock::time_point deadline = Clock::now() + timeout_;
    while (true) {
      const ssize_t got = ::recv(fd_.get(), dst, n, 0);
      if (got >= 0) return static_cast<size_t>(got);
      if (errno == EINTR) continue;
      if (errno != EAGAIN && errno != EWOULDBLOCK) {
        return Status::IOError(name_ + ": receiving", ErrnoText(errno));
      }
      const int ready = WaitFor(fd_.get(), POLLIN, deadline);
      if (ready < 0) return Status::IOError(name_ + ": poll", ErrnoText(-ready));
      if (ready == 0) {
        return Status::IOError(name_ + ": no data from the server for " + Seconds(timeout_));
      }
      // POLLERR / POLLHUP: the next recv() reports what happened.
    }
  }

  Status WriteAll(std::string_view bytes) {
    Clock::time_point deadline = Clock::now() + timeout_;
    while (!bytes.empty()) {
      const ssize_t put = ::send(fd_.get(), bytes.data(), bytes.size(), MSG_NOSIGNAL);
      if (put > 0) {
        bytes.remove_prefix(static_cast<size_t>(put));
        deadline = Clock::now() + timeout_;
        continue;
      }
      if (put < 0 && errno == EINTR) continue;
      if (put < 0 && errno != EAGAIN && errno != EWOULDBLOCK) {
        return Status::IOError(name_ + ": sending", ErrnoText(errno));
      }
      const int ready = WaitFor(fd_.get(), POLLOUT, deadline);
      if (ready < 0) return Status::IOError(name_ + ": poll", ErrnoText(-ready));
      if (ready == 0) {
        return Status::IOError(name_ + ": the server accepted no data for " + Seconds(timeout_));
      }
    }
    return Status::OK();
  }

  void set_timeout(milliseconds timeout) { timeout_ = timeout; }
  milliseconds timeout() const { return timeout_; }

 private:
  UniqueFd fd_;
  const std::string name_;  // prefixes every message
  milliseconds timeout_;
};

Result<std::unique_ptr<RedisConnection>> RedisConnection::Connect(
    const RedisAddress& address, const RedisConnectionOptions& options) {
  const std::string name = address.ToString();
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* resolved = nullptr;
  const std::string port = std::to_string(address.port);
  const int rc = ::getaddrinfo(address.host.c_str(), port.c_str(), &hints, &resolved);
  if (rc != 0) {
    return Status::IOError(name + ": cannot resolve \"" + address.host + "\"",
                           rc == EAI_SYSTEM ? ErrnoText(errno) : ::gai_strerror(rc));
  }
  std::unique_ptr<addrinfo, decltype(&::freeaddrinfo)> owner(resolved, &::freeaddrinfo);

  const Clock::time_point deadline = Clock::now() + options.connect_timeout;
  std::string failures;
  for (const addrinfo* ai = resolved; ai != nullptr; ai = ai->ai_next) {
    Result<UniqueFd> fd = ConnectOne(*ai, deadline);
    if (fd.ok()) {
      auto socket = std::make_unique<SocketStream>(std::move(fd).value(), name, options.io_timeout);
      return std::unique_ptr<RedisConnection>(
          new RedisConnection(address, std::move(socket), options.limits));
    }
    if (!failures.empty()) failures += "; ";
    // A single address needs no naming: it is the one in the prefix.
    if (resolved->ai_next != nullptr) failures += NumericHost(*ai) + ": ";
    failures += fd.status().message();
    if (Clock::now() >= deadline) break;
  }
  std::string timeout_note;
  if (Clock::now() >= deadline) timeout_note = " (within " + Seconds(options.connect_timeout) + ")";
  return Status::IOError(name + ": connect" + timeout_note, failures);
}

RedisConnection::RedisConnection(RedisAddress address, std::unique_ptr<SocketStream> socket,
                                 const RespLimits& limits)
    : address_(std::move(address)),
      name_(address_.ToString()),
      socket_(std::move(socket)),
      reader_(socket_.get(), name_, limits) {}

RedisConnection::~RedisConnection() = default;

Status RedisConnection::Send(const std::vector<std::string>& args) {
  Status s = socket_->WriteAll(EncodeCommand(args));
  if (!s.ok()) return InStep(s, name_, CommandLabel(args));
  return Status::OK();
}

Result<RespValue> RedisConnection::ReadReply() { return reader_.ReadValue(); }

Result<RespValue> RedisConnection::Call(const std::vector<std::string>& args) {
  Status s = Send(args);
  if (!s.ok()) return s;
  Result<RespValue> reply = reader_.ReadValue();
  if (!reply.ok()) return InStep(reply.status(), name_, CommandLabel(args));
  return reply;
}

Status RedisConnection::CallExpectOk(const std::vector<std::string>& args) {
  Result<RespValue> reply = Call(args);
  if (!reply.ok()) return reply.status();
  if (reply->IsString("OK")) return Status::OK();
  const std::string what = name_ + ": " + CommandLabel(args);
  if (reply->is_error()) return Status::InvalidArgument(what + " failed", reply->text);
  return Status::Corruption(what + ": expected +OK, got " + reply->Summary());
}

Status RedisConnection::Authenticate(const std::string& user, const std::string& password) {
  std::vector<std::string> args = {"AUTH"};
  if (!user.empty()) args.push_back(user);
  args.push_back(password);
  Result<RespValue> reply = Call(args);
  if (!reply.ok()) return reply.status();
  if (reply->IsString("OK")) return Status::OK();
  const std::string who = user.empty() ? "" : " as user \"" + user + "\"";
  if (reply->is_error()) {
    return Status::InvalidArgument(name_ + ": AUTH" + who + " failed", reply->text);
  }
  return Status::Corruption(name_ + ": AUTH: expected +OK, got " + reply->Summary());
}

Result<std::string> RedisConnection::ReadLine(size_t max_bytes) {
  return reader_.ReadLine(max_bytes);
}

Result<size_t> RedisConnection::ReadRaw(char* dst, size_t n) { return reader_.ReadRaw(dst, n); }

void RedisConnection::set_io_timeout(milliseconds timeout) { socket_->set_timeout(timeout); }

milliseconds RedisConnection::io_timeout() const { return socket_->timeout(); }

}  // namespace strata::rdb
