// Listener: a listening TCP socket that hands out accepted connections as Sockets.
//
// For tests that play a server (a scripted Redis master) today, and the server's accept
// path later. Blocking accept with a deadline; no event loop here. Move-only; the
// descriptor closes with the object.
#pragma once

#include <cstdint>
#include <string>

#include "base/result.h"
#include "net/deadline.h"
#include "net/host_port.h"
#include "net/socket.h"
#include "net/unique_fd.h"

namespace strata::net {

class Listener {
 public:
  // Binds address.host (a numeric IPv4 or IPv6 address) on address.port, 0 for a port the
  // kernel picks, and listens with the given backlog. Errors name the address.
  static Result<Listener> Bind(const HostPort& address, int backlog = 128);

  // Waits until deadline for a connection. The Socket's name is the peer's "host:port".
  Result<Socket> Accept(Deadline deadline);

  // The bound address, with the port the kernel picked.
  const HostPort& address() const { return address_; }
  uint16_t port() const { return address_.port; }

 private:
  Listener(UniqueFd fd, HostPort address) : fd_(std::move(fd)), address_(std::move(address)) {}

  UniqueFd fd_;
  HostPort address_;
};

}  // namespace strata::net
