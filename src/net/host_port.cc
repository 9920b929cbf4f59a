#include "net/host_port.h"

namespace strata::net {

namespace {

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

Status Invalid(std::string_view text, const char* why) {
  return Status::InvalidArgument("address \"" + std::string(text) + "\": " + why);
}

}  // namespace

std::string HostPort::ToString() const {
  const std::string port_text = std::to_string(port);
  if (host.find(':') != std::string::npos) return "[" + host + "]:" + port_text;
  return host + ":" + port_text;
}

Result<HostPort> HostPort::Parse(std::string_view text) {
  HostPort address;
  std::string_view port_text;
  if (!text.empty() && text[0] == '[') {
    const size_t close = text.find(']');
    if (close == std::string_view::npos || close + 1 >= text.size() || text[close + 1] != ':') {
      return Invalid(text, "expected [ipv6]:port");
    }
    address.host = std::string(text.substr(1, close - 1));
    port_text = text.substr(close + 2);
  } else {
    const size_t colon = text.rfind(':');
    if (colon == std::string_view::npos) return Invalid(text, "expected host:port");
    address.host = std::string(text.substr(0, colon));
    port_text = text.substr(colon + 1);
  }
  if (address.host.empty() || address.host.find_first_of(" \t\r\n,[]@") != std::string::npos) {
    return Invalid(text, "bad host");
  }
  if (!ParsePort(port_text, &address.port)) {
    return Invalid(text, "the port must be a number from 1 to 65535");
  }
  return address;
}

Result<std::vector<HostPort>> ParseHostPortList(std::string_view text) {
  std::vector<HostPort> addresses;
  while (true) {
    const size_t comma = text.find(',');
    Result<HostPort> address = HostPort::Parse(text.substr(0, comma));
    if (!address.ok()) return address.status();
    addresses.push_back(std::move(address).value());
    if (comma == std::string_view::npos) break;
    text.remove_prefix(comma + 1);
  }
  return addresses;
}

}  // namespace strata::net
