// HostPort: a TCP endpoint as people write it, "host:port".
//
// Parse() accepts "host:port" (a name or an IPv4 address), "[ipv6]:port", and, as Redis's
// CLUSTER NODES prints them, "ipv6:port" without brackets (the last colon starts the port).
// The port must be 1-65535. Errors are InvalidArgument quoting the text. Nothing is resolved
// here: Socket::Connect() does that.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace strata::net {

struct HostPort {
  std::string host;  // a host name, an IPv4 address, or an IPv6 address without brackets
  uint16_t port = 0;

  // "host:port"; an IPv6 address in brackets: "[::1]:6379".
  std::string ToString() const;
  static Result<HostPort> Parse(std::string_view text);

  bool operator==(const HostPort&) const = default;
};

// Parses a comma-separated list, "a:1,[::1]:2,10.0.0.1:3". An empty item is an error.
Result<std::vector<HostPort>> ParseHostPortList(std::string_view text);

}  // namespace strata::net
