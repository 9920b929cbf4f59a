// RedisConnection: a small blocking TCP client of a Redis server, speaking RESP2.
//
// It sends commands as arrays of bulk strings and reads replies through a RespReader, with a
// timeout on connecting and on every wait for bytes; it also hands out the raw byte stream
// for the replication transfer (see replication_source.h). One connection, one thread.
//
// Every error message starts with the server's "host:port" and says what failed:
//   "10.0.0.7:6379: connect: Connection refused"
//   "10.0.0.7:6379: PSYNC: no data from the server for 10.0 s"
//
// Not supported: TLS, Unix sockets, RESP3. Name resolution (getaddrinfo) is blocking and not
// bounded by the connect timeout.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "rdb/resp_reader.h"

namespace strata::rdb {

struct RedisAddress {
  std::string host;  // a host name, an IPv4 address, or an IPv6 address without brackets
  uint16_t port = 0;

  // "host:port"; an IPv6 address in brackets: "[::1]:6379".
  std::string ToString() const;
  // Accepts "host:port", "[ipv6]:port" and, as CLUSTER NODES prints them, "ipv6:port" (the
  // last colon starts the port). The port must be 1-65535.
  static Result<RedisAddress> Parse(std::string_view text);

  bool operator==(const RedisAddress&) const = default;
};

struct RedisConnectionOptions {
  // For the TCP handshake with each address the host name resolves to, together.
  std::chrono::milliseconds connect_timeout{10'000};
  // The longest wait for the next byte of a reply, and for a send to make progress.
  std::chrono::milliseconds io_timeout{10'000};
  RespLimits limits;
};

// s (not OK) with step named after the "name: " its message starts with, keeping its code:
// InStep(<IOError "h:1: no data">, "h:1", "PSYNC") is IOError "h:1: PSYNC: no data". A
// message without the prefix gets it: InStep(<"boom">, "h:1", "PSYNC") is "h:1: PSYNC: boom".
Status InStep(const Status& s, const std::string& name, std::string_view step);

class RedisConnection {
 public:
  // Resolves address.host and connects to the first of its addresses that accepts.
  static Result<std::unique_ptr<RedisConnection>> Connect(const RedisAddress& address,
                                                          const RedisConnectionOptions& options);
  ~RedisConnection();
  RedisConnection(const RedisConnection&) = delete;
  RedisConnection& operator=(const RedisConnection&) = delete;

  // Sends a command and reads its reply. An error reply (-ERR ...) is returned as a value of
  // type kError; a failed Result means the connection is unusable (I/O error, timeout,
  // malformed reply) and names the command.
  Result<RespValue> Call(const std::vector<std::string>& args);
  // Call() for commands whose success is "+OK": any other reply is a failed Status (an error
  // reply becomes InvalidArgument carrying the server's message).
  Status CallExpectOk(const std::vector<std::string>& args);

  // AUTH password, or AUTH user password (Redis 6+ ACL) when user is not empty. A rejected
  // password is InvalidArgument with the server's reason.
  Status Authenticate(const std::string& user, const std::string& password);

  // The pieces of Call(), for protocols that are not request-reply (replication).
  Status Send(const std::vector<std::string>& args);
  Result<RespValue> ReadReply();
  // See RespReader::ReadLine() and RespReader::ReadRaw().
  Result<std::string> ReadLine(size_t max_bytes);
  Result<size_t> ReadRaw(char* dst, size_t n);

  // Changes the longest wait for the next byte (and for a send to progress) from now on.
  void set_io_timeout(std::chrono::milliseconds timeout);
  std::chrono::milliseconds io_timeout() const;

  const RedisAddress& address() const { return address_; }
  // "host:port", the prefix of every message.
  const std::string& name() const { return name_; }

 private:
  class SocketStream;
  RedisConnection(RedisAddress address, std::unique_ptr<SocketStream> socket,
                  const RespLimits& limits);

  const RedisAddress address_;
  const std::string name_;
  std::unique_ptr<SocketStream> socket_;
  RespReader reader_;  // reads from *socket_
};

}  // namespace strata::rdb
