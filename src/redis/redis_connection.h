// RedisConnection: a small blocking client of one Redis server.
//
// Commands go out as arrays of bulk strings; replies come back through a resp::Parser fed
// from a net::Socket, each wait for bytes bounded by io_timeout. The connection also hands
// out the raw byte stream for the replication transfer (replication_source.h), which is not
// RESP past the answer to PSYNC. One connection, one thread.
//
// The connection speaks RESP2 unless the caller sends HELLO 3; the parser understands both,
// so replies are read either way (a RESP3 push arrives from ReadReply() like any reply).
//
// Every error message starts with the server's "host:port" and says what failed:
//   "10.0.0.7:6379: connect: Connection refused"
//   "10.0.0.7:6379: PSYNC: no data received for 10.0 s"
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "net/host_port.h"
#include "net/socket.h"
#include "resp/parser.h"
#include "resp/value.h"

namespace strata::redis {

struct RedisConnectionOptions {
  // For the TCP handshake with each address the host name resolves to, together.
  std::chrono::milliseconds connect_timeout{10'000};
  // The longest wait for the next bytes of a reply, and for a command to be sent.
  std::chrono::milliseconds io_timeout{10'000};
  resp::Limits limits;
};

// s (not OK) with step named after the "name: " its message starts with, keeping its code:
// InStep(<IOError "h:1: no data">, "h:1", "PSYNC") is IOError "h:1: PSYNC: no data". A
// message without the prefix gets it: InStep(<"boom">, "h:1", "PSYNC") is "h:1: PSYNC: boom".
Status InStep(const Status& s, const std::string& name, std::string_view step);

class RedisConnection {
 public:
  // Resolves address.host and connects to the first of its addresses that accepts.
  static Result<std::unique_ptr<RedisConnection>> Connect(const net::HostPort& address,
                                                          const RedisConnectionOptions& options);
  RedisConnection(const RedisConnection&) = delete;
  RedisConnection& operator=(const RedisConnection&) = delete;

  // Sends a command and reads its reply. An error reply (-ERR ...) is a value (is_error());
  // a failed Result means the connection is unusable (I/O error, timeout, malformed reply)
  // and names the command.
  Result<resp::Value> Call(const std::vector<std::string>& args);
  // Call() for commands whose success is "+OK": any other reply is a failed Status (an error
  // reply becomes InvalidArgument carrying the server's message).
  Status CallExpectOk(const std::vector<std::string>& args);

  // AUTH password, or AUTH user password (Redis 6+ ACL) when user is not empty. A rejected
  // password is InvalidArgument with the server's reason; the password is never in a
  // message.
  Status Authenticate(const std::string& user, const std::string& password);

  // The pieces of Call(), for protocols that are not request-reply (pipelining, replication).
  Status Send(const std::vector<std::string>& args);
  Result<resp::Value> ReadReply();

  // For the replication stream, between replies only. ReadLine() reads one line ended by
  // "\n" (a "\r" before it is dropped) and returns it without the terminator, an empty string
  // for a bare "\n" (the master's keepalive); longer than max_bytes is Corruption. ReadRaw()
  // reads up to n (> 0) bytes: those already received first, then from the socket; 0 when
  // the server has closed the connection.
  Result<std::string> ReadLine(size_t max_bytes);
  Result<size_t> ReadRaw(char* dst, size_t n);

  // Changes the longest wait for the next bytes (and for a send) from now on.
  void set_io_timeout(std::chrono::milliseconds timeout) { io_timeout_ = timeout; }
  std::chrono::milliseconds io_timeout() const { return io_timeout_; }

  const net::HostPort& address() const { return address_; }
  // "host:port", the prefix of every message.
  const std::string& name() const { return socket_.name(); }

 private:
  RedisConnection(net::HostPort address, net::Socket socket, const RedisConnectionOptions& options);
  // Reads what the socket has (waiting up to io_timeout_) into the parser. The end of the
  // stream is IOError.
  Status Fill();

  const net::HostPort address_;
  net::Socket socket_;
  resp::Parser parser_;  // every byte read from socket_ goes through it
  std::chrono::milliseconds io_timeout_;
  std::string read_buffer_;  // scratch for one socket read
};

}  // namespace strata::redis
