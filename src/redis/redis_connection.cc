#include "redis/redis_connection.h"

#include <strings.h>

#include <algorithm>
#include <cstring>

#include "base/escape.h"
#include "resp/encoder.h"

namespace strata::redis {

namespace {

using std::chrono::milliseconds;

// Bytes asked of the socket per read. Replies are small; the RDB payload bypasses the parser.
constexpr size_t kReadBytes = 64 << 10;

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
    case Status::Code::kPreconditionFailed:
      return Status::PreconditionFailed(message);
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

Result<std::unique_ptr<RedisConnection>> RedisConnection::Connect(
    const net::HostPort& address, const RedisConnectionOptions& options) {
  Result<net::Socket> socket =
      net::Socket::Connect(address, net::DeadlineAfter(options.connect_timeout));
  if (!socket.ok()) return socket.status();
  return std::unique_ptr<RedisConnection>(
      new RedisConnection(address, std::move(socket).value(), options));
}

RedisConnection::RedisConnection(net::HostPort address, net::Socket socket,
                                 const RedisConnectionOptions& options)
    : address_(std::move(address)),
      socket_(std::move(socket)),
      parser_(socket_.name(), options.limits),
      io_timeout_(options.io_timeout),
      read_buffer_(kReadBytes, '\0') {}

Status RedisConnection::Send(const std::vector<std::string>& args) {
  std::string bytes;
  resp::EncodeCommand(args, &bytes);
  Status s = socket_.WriteAll(bytes, net::DeadlineAfter(io_timeout_));
  if (!s.ok()) return InStep(s, name(), CommandLabel(args));
  return Status::OK();
}

Status RedisConnection::Fill() {
  Result<size_t> got =
      socket_.Read(read_buffer_.data(), read_buffer_.size(), net::DeadlineAfter(io_timeout_));
  if (!got.ok()) return got.status();
  if (*got == 0) {
    const std::string where = parser_.idle() && parser_.buffered_bytes() == 0
                                  ? ""
                                  : " in the middle of a reply, at byte " +
                                        std::to_string(parser_.offset() + parser_.buffered_bytes());
    return Status::IOError(name() + ": connection closed by the server" + where);
  }
  parser_.Feed(Slice(read_buffer_.data(), *got));
  return Status::OK();
}

Result<resp::Value> RedisConnection::ReadReply() {
  while (true) {
    Result<std::optional<resp::Value>> value = parser_.Next();
    if (!value.ok()) return value.status();
    if (value->has_value()) return std::move(**value);
    Status s = Fill();
    if (!s.ok()) return s;
  }
}

Result<resp::Value> RedisConnection::Call(const std::vector<std::string>& args) {
  Status s = Send(args);
  if (!s.ok()) return s;
  Result<resp::Value> reply = ReadReply();
  if (!reply.ok()) return InStep(reply.status(), name(), CommandLabel(args));
  return reply;
}

Status RedisConnection::CallExpectOk(const std::vector<std::string>& args) {
  Result<resp::Value> reply = Call(args);
  if (!reply.ok()) return reply.status();
  if (reply->IsString("OK")) return Status::OK();
  const std::string what = name() + ": " + CommandLabel(args);
  if (reply->is_error()) return Status::InvalidArgument(what + " failed", reply->text);
  return Status::Corruption(what + ": expected +OK, got " + reply->Summary());
}

Status RedisConnection::Authenticate(const std::string& user, const std::string& password) {
  std::vector<std::string> args = {"AUTH"};
  if (!user.empty()) args.push_back(user);
  args.push_back(password);
  Result<resp::Value> reply = Call(args);
  if (!reply.ok()) return reply.status();
  if (reply->IsString("OK")) return Status::OK();
  const std::string who = user.empty() ? "" : " as user \"" + user + "\"";
  if (reply->is_error()) {
    return Status::InvalidArgument(name() + ": AUTH" + who + " failed", reply->text);
  }
  return Status::Corruption(name() + ": AUTH: expected +OK, got " + reply->Summary());
}

Result<std::string> RedisConnection::ReadLine(size_t max_bytes) {
  size_t scanned = 0;  // bytes of pending() known to hold no '\n'
  while (true) {
    const Slice pending = parser_.pending();
    const std::string_view bytes(pending.data(), pending.size());
    const size_t newline = bytes.find('\n', scanned);
    if (newline != std::string_view::npos && newline <= max_bytes + 1) {
      size_t length = newline;
      if (length > 0 && bytes[length - 1] == '\r') length--;
      std::string line(bytes.substr(0, length));
      parser_.Skip(newline + 1);
      return line;
    }
    if (bytes.size() > max_bytes + 1) {
      return Status::Corruption(name() + ": protocol error at byte " +
                                std::to_string(parser_.offset()) + ": a line longer than " +
                                std::to_string(max_bytes) + " bytes, starting " +
                                QuoteBytes(bytes, 64));
    }
    scanned = bytes.size();
    Status s = Fill();
    if (!s.ok()) return s;
  }
}

Result<size_t> RedisConnection::ReadRaw(char* dst, size_t n) {
  const size_t buffered = parser_.buffered_bytes();
  if (buffered > 0) {
    const size_t take = std::min(n, buffered);
    std::memcpy(dst, parser_.pending().data(), take);
    parser_.Skip(take);
    return take;
  }
  return socket_.Read(dst, n, net::DeadlineAfter(io_timeout_));
}

}  // namespace strata::redis
