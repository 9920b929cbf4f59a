#include "net/listener.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstring>

namespace strata::net {

namespace {

// The numeric "host:port" of a socket address.
HostPort FromSockaddr(const sockaddr_storage& addr) {
  char host[INET6_ADDRSTRLEN] = "?";
  uint16_t port = 0;
  if (addr.ss_family == AF_INET) {
    const auto* in = reinterpret_cast<const sockaddr_in*>(&addr);
    ::inet_ntop(AF_INET, &in->sin_addr, host, sizeof(host));
    port = ntohs(in->sin_port);
  } else if (addr.ss_family == AF_INET6) {
    const auto* in6 = reinterpret_cast<const sockaddr_in6*>(&addr);
    ::inet_ntop(AF_INET6, &in6->sin6_addr, host, sizeof(host));
    port = ntohs(in6->sin6_port);
  }
  return HostPort{host, port};
}

}  // namespace

Result<Listener> Listener::Bind(const HostPort& address, int backlog) {
  const std::string name = address.ToString();
  sockaddr_storage addr{};
  socklen_t len = 0;
  auto* in = reinterpret_cast<sockaddr_in*>(&addr);
  auto* in6 = reinterpret_cast<sockaddr_in6*>(&addr);
  if (::inet_pton(AF_INET, address.host.c_str(), &in->sin_addr) == 1) {
    in->sin_family = AF_INET;
    in->sin_port = htons(address.port);
    len = sizeof(sockaddr_in);
  } else if (::inet_pton(AF_INET6, address.host.c_str(), &in6->sin6_addr) == 1) {
    in6->sin6_family = AF_INET6;
    in6->sin6_port = htons(address.port);
    len = sizeof(sockaddr_in6);
  } else {
    return Status::InvalidArgument("listen on " + name + ": not a numeric IPv4 or IPv6 address");
  }
  UniqueFd fd(::socket(addr.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
  if (!fd.valid()) return Status::IOError("listen on " + name + ": socket", std::strerror(errno));
  // A restarted server can take its port back while old connections sit in TIME_WAIT.
  const int on = 1;
  ::setsockopt(fd.get(), SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on));
  if (::bind(fd.get(), reinterpret_cast<const sockaddr*>(&addr), len) != 0) {
    return Status::IOError("listen on " + name + ": bind", std::strerror(errno));
  }
  if (::listen(fd.get(), backlog) != 0) {
    return Status::IOError("listen on " + name + ": listen", std::strerror(errno));
  }
  sockaddr_storage bound{};
  socklen_t bound_len = sizeof(bound);
  if (::getsockname(fd.get(), reinterpret_cast<sockaddr*>(&bound), &bound_len) != 0) {
    return Status::IOError("listen on " + name + ": getsockname", std::strerror(errno));
  }
  return Listener(std::move(fd), FromSockaddr(bound));
}

Result<Socket> Listener::Accept(Deadline deadline) {
  const std::string name = address_.ToString();
  const Clock::time_point start = Clock::now();
  while (true) {
    sockaddr_storage peer{};
    socklen_t len = sizeof(peer);
    const int fd = ::accept4(fd_.get(), reinterpret_cast<sockaddr*>(&peer), &len,
                             SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd >= 0) {
      const int on = 1;
      ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof(on));
      return Socket(UniqueFd(fd), FromSockaddr(peer).ToString());
    }
    if (errno == EINTR || errno == ECONNABORTED) continue;
    if (errno != EAGAIN && errno != EWOULDBLOCK) {
      return Status::IOError(name + ": accept", std::strerror(errno));
    }
    Result<bool> ready = WaitReady(fd_.get(), POLLIN, deadline, name);
    if (!ready.ok()) return ready.status();
    if (!*ready) {
      return Status::IOError(name + ": no connection within " + SecondsText(deadline - start));
    }
  }
}

}  // namespace strata::net
