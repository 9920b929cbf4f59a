#include "net/socket.h"

#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstring>
#include <memory>

namespace strata::net {

namespace {

std::string ErrnoText(int err) { return std::strerror(err); }

void SetNoDelayAndKeepalive(int fd) {
  // Best effort: a socket without them still works, only slower or slower to notice a loss.
  const int on = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof(on));
  ::setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &on, sizeof(on));
}

// One non-blocking connect to one resolved address, bounded by deadline. The message of a
// failure is the reason alone; the caller adds the address.
Result<UniqueFd> ConnectOne(const addrinfo& ai, Deadline deadline, const std::string& name) {
  UniqueFd fd(
      ::socket(ai.ai_family, ai.ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, ai.ai_protocol));
  if (!fd.valid()) return Status::IOError("socket", ErrnoText(errno));
  if (::connect(fd.get(), ai.ai_addr, ai.ai_addrlen) != 0) {
    if (errno != EINPROGRESS) return Status::IOError(ErrnoText(errno));
    Result<bool> ready = WaitReady(fd.get(), POLLOUT, deadline, name);
    if (!ready.ok()) return ready.status();
    if (!*ready) return Status::IOError("timed out");
    int err = 0;
    socklen_t len = sizeof(err);
    if (::getsockopt(fd.get(), SOL_SOCKET, SO_ERROR, &err, &len) != 0) err = errno;
    if (err != 0) return Status::IOError(ErrnoText(err));
  }
  SetNoDelayAndKeepalive(fd.get());
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

}  // namespace

Result<Socket> Socket::Connect(const HostPort& peer, Deadline deadline) {
  const std::string name = peer.ToString();
  const Clock::time_point start = Clock::now();
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* resolved = nullptr;
  const std::string port = std::to_string(peer.port);
  const int rc = ::getaddrinfo(peer.host.c_str(), port.c_str(), &hints, &resolved);
  if (rc != 0) {
    return Status::IOError(name + ": cannot resolve \"" + peer.host + "\"",
                           rc == EAI_SYSTEM ? ErrnoText(errno) : ::gai_strerror(rc));
  }
  std::unique_ptr<addrinfo, decltype(&::freeaddrinfo)> owner(resolved, &::freeaddrinfo);

  std::string failures;
  for (const addrinfo* ai = resolved; ai != nullptr; ai = ai->ai_next) {
    Result<UniqueFd> fd = ConnectOne(*ai, deadline, name);
    if (fd.ok()) return Socket(std::move(fd).value(), name);
    if (!failures.empty()) failures += "; ";
    // A single address needs no naming: it is the one in the prefix.
    if (resolved->ai_next != nullptr) failures += NumericHost(*ai) + ": ";
    failures += fd.status().message();
    if (Clock::now() >= deadline) break;
  }
  std::string timeout_note;
  if (Clock::now() >= deadline) timeout_note = " (within " + SecondsText(deadline - start) + ")";
  return Status::IOError(name + ": connect" + timeout_note, failures);
}

Socket::Socket(UniqueFd fd, std::string name) : fd_(std::move(fd)), name_(std::move(name)) {
  const int flags = ::fcntl(fd_.get(), F_GETFL);
  if (flags >= 0 && (flags & O_NONBLOCK) == 0) ::fcntl(fd_.get(), F_SETFL, flags | O_NONBLOCK);
}

Result<size_t> Socket::Read(char* dst, size_t n, Deadline deadline) {
  const Clock::time_point start = Clock::now();
  while (true) {
    const ssize_t got = ::recv(fd_.get(), dst, n, 0);
    if (got >= 0) return static_cast<size_t>(got);
    if (errno == EINTR) continue;
    if (errno != EAGAIN && errno != EWOULDBLOCK) {
      return Status::IOError(name_ + ": receiving", ErrnoText(errno));
    }
    Result<bool> ready = WaitReady(fd_.get(), POLLIN, deadline, name_);
    if (!ready.ok()) return ready.status();
    if (!*ready) {
      return Status::IOError(name_ + ": no data received for " + SecondsText(deadline - start));
    }
  }
}

Status Socket::WriteAll(Slice bytes, Deadline deadline) {
  const Clock::time_point start = Clock::now();
  const size_t total = bytes.size();
  while (!bytes.empty()) {
    const ssize_t put = ::send(fd_.get(), bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (put > 0) {
      bytes.remove_prefix(static_cast<size_t>(put));
      continue;
    }
    if (put < 0 && errno == EINTR) continue;
    if (put < 0 && errno != EAGAIN && errno != EWOULDBLOCK) {
      return Status::IOError(name_ + ": sending", ErrnoText(errno));
    }
    Result<bool> ready = WaitReady(fd_.get(), POLLOUT, deadline, name_);
    if (!ready.ok()) return ready.status();
    if (!*ready) {
      return Status::IOError(name_ + ": sending timed out after " + SecondsText(deadline - start) +
                             " (" + std::to_string(total - bytes.size()) + " of " +
                             std::to_string(total) + " bytes sent)");
    }
  }
  return Status::OK();
}

Status Socket::ShutdownWrite() {
  if (::shutdown(fd_.get(), SHUT_WR) != 0) {
    return Status::IOError(name_ + ": shutdown", ErrnoText(errno));
  }
  return Status::OK();
}

}  // namespace strata::net
