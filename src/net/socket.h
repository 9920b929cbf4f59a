// Socket: one connected TCP stream, with reads, writes and connects bounded by deadlines.
//
// The descriptor is non-blocking underneath; each call waits (poll) until its deadline at
// the latest, so a peer that stops answering costs a bounded wait, never a hung thread.
// Every error message starts with name(), the peer's "host:port":
//   "10.0.0.7:6379: connect: Connection refused"
//   "10.0.0.7:6379: no data received for 10.0 s"
//
// Move-only; the descriptor closes with the object. One thread at a time: a Socket has no
// locking, and interleaved reads (or writes) from two threads would interleave bytes.
// Not supported: TLS, Unix sockets. Name resolution (getaddrinfo) blocks and is not bounded
// by the connect deadline.
#pragma once

#include <cstddef>
#include <string>

#include "base/result.h"
#include "net/deadline.h"
#include "net/host_port.h"
#include "net/unique_fd.h"
#include "strata/slice.h"

namespace strata::net {

class Socket {
 public:
  // Resolves peer.host and connects to the first of its addresses that accepts, trying them
  // in order until deadline. The connection has TCP_NODELAY (requests are small and answered
  // one at a time) and SO_KEEPALIVE (the kernel notices a peer that vanished during a long
  // transfer).
  static Result<Socket> Connect(const HostPort& peer, Deadline deadline);

  // Adopts a connected descriptor (made non-blocking here). name prefixes every message.
  Socket(UniqueFd fd, std::string name);
  Socket(Socket&&) noexcept = default;
  Socket& operator=(Socket&&) noexcept = default;

  // Reads what has arrived, up to n (> 0) bytes, waiting until deadline for at least one.
  // Returns 0 when the peer has closed its end. Passing the deadline is IOError
  // "<name>: no data received for <time since the call>".
  Result<size_t> Read(char* dst, size_t n, Deadline deadline);

  // Sends every byte, waiting until deadline for the peer to take them. A write to a peer
  // that has gone away is IOError, not SIGPIPE.
  Status WriteAll(Slice bytes, Deadline deadline);

  // Ends the sending direction: the peer reads the end of the stream; reading goes on.
  Status ShutdownWrite();

  const std::string& name() const { return name_; }
  int fd() const { return fd_.get(); }

 private:
  UniqueFd fd_;
  std::string name_;  // "host:port" of the peer
};

}  // namespace strata::net
