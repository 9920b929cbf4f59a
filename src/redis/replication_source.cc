#include "redis/replication_source.h"

#include <algorithm>
#include <charconv>
#include <cstring>
#include <string_view>

namespace strata::redis {

namespace {

// The diskless end-of-transfer mark (RDB_EOF_MARK_SIZE in Redis): 40 random characters.
constexpr size_t kMarkBytes = 40;
// Longest preamble line we accept: "+FULLRESYNC <40> <offset>", "$EOF:<40>", an error.
constexpr size_t kMaxPreambleLine = 4096;
// Staging buffer of a diskless transfer: what one Read() can hand out, plus the held mark.
constexpr size_t kStagingBytes = (256 << 10) + kMarkBytes;

bool StartsWith(std::string_view s, std::string_view prefix) { return s.starts_with(prefix); }

// The whole of s as a decimal number of type T (no sign for unsigned types, no spaces).
template <typename T>
bool ParseNumber(std::string_view s, T* out) {
  const char* end = s.data() + s.size();
  const auto [ptr, ec] = std::from_chars(s.data(), end, *out);
  return !s.empty() && ec == std::errc() && ptr == end;
}

// A REPLCONF whose failure the master tolerates from old replicas and we tolerate from old
// masters. Only a missing or refused authentication is fatal: PSYNC would fail the same way
// with a less clear message.
Status OptionalReplconf(RedisConnection* connection, const std::vector<std::string>& args) {
  Result<resp::Value> reply = connection->Call(args);
  if (!reply.ok()) return reply.status();
  if (reply->is_error() &&
      (StartsWith(reply->text, "NOAUTH") || StartsWith(reply->text, "NOPERM"))) {
    std::string hint;
    if (StartsWith(reply->text, "NOAUTH")) hint = " (the server needs a password)";
    return Status::InvalidArgument(connection->name() + ": REPLCONF refused" + hint, reply->text);
  }
  return Status::OK();
}

}  // namespace

Result<std::unique_ptr<ReplicationSource>> ReplicationSource::Open(
    const net::HostPort& master, const ReplicationOptions& options) {
  RedisConnectionOptions connection_options;
  connection_options.connect_timeout = options.connect_timeout;
  connection_options.io_timeout = options.handshake_timeout;
  Result<std::unique_ptr<RedisConnection>> connection =
      RedisConnection::Connect(master, connection_options);
  if (!connection.ok()) return connection.status();
  std::unique_ptr<ReplicationSource> source(new ReplicationSource(std::move(connection).value()));
  Status s = source->Handshake(options);
  if (!s.ok()) return s;
  source->connection_->set_io_timeout(options.stall_timeout);
  s = source->ReadPayloadHeader();
  if (!s.ok()) return s;
  return source;
}

ReplicationSource::ReplicationSource(std::unique_ptr<RedisConnection> connection)
    : connection_(std::move(connection)), name_(connection_->name()) {}

ReplicationSource::~ReplicationSource() = default;

Status ReplicationSource::Handshake(const ReplicationOptions& options) {
  RedisConnection* c = connection_.get();
  if (!options.password.empty()) {
    Status s = c->Authenticate(options.user, options.password);
    if (!s.ok()) return s;
  }
  if (options.announce_port != 0) {
    Status s =
        OptionalReplconf(c, {"REPLCONF", "listening-port", std::to_string(options.announce_port)});
    if (!s.ok()) return s;
  }
  // Without "capa eof" a diskless master falls back to a disk-based transfer for us; psync2
  // only matters for +CONTINUE, which a "PSYNC ?" never gets, but it is what replicas send.
  Status s = OptionalReplconf(c, {"REPLCONF", "capa", "eof", "capa", "psync2"});
  if (!s.ok()) return s;
  // Redis 7.0+: no write stream after the RDB, and none buffered for us while it is sent.
  // Older servers answer "-ERR Unrecognized REPLCONF option", which is fine.
  s = OptionalReplconf(c, {"REPLCONF", "rdb-only", "1"});
  if (!s.ok()) return s;
  return StartFullSync();
}

Status ReplicationSource::StartFullSync() {
  RedisConnection* c = connection_.get();
  Status s = c->Send({"PSYNC", "?", "-1"});
  if (!s.ok()) return s;
  // The answer is one line, possibly after "\n" keepalives (sent while the master waits for
  // a BGSAVE it can use). It is read as a line, not a RESP reply, for their sake.
  std::string line;
  do {
    Result<std::string> read = c->ReadLine(kMaxPreambleLine);
    if (!read.ok()) return InStep(read.status(), name_, "PSYNC");
    line = std::move(read).value();
  } while (line.empty());

  const std::string psync = name_ + ": PSYNC";
  if (StartsWith(line, "+FULLRESYNC ")) {
    // "+FULLRESYNC <replid> <offset>"
    const std::string_view rest = std::string_view(line).substr(strlen("+FULLRESYNC "));
    const size_t space = rest.find(' ');
    int64_t offset = 0;
    if (space == 0 || space == std::string_view::npos ||
        !ParseNumber(rest.substr(space + 1), &offset)) {
      return Status::Corruption(psync + ": malformed answer \"" + line + "\"");
    }
    replication_id_ = std::string(rest.substr(0, space));
    replication_offset_ = offset;
    return Status::OK();
  }
  if (StartsWith(line, "+CONTINUE")) {
    // Only a replica that named a replication id and offset may continue; we named none.
    return Status::Corruption(psync + ": the server offered a partial resync (\"" + line +
                              "\") to a request for a full one");
  }
  if (StartsWith(line, "-NOMASTERLINK") || StartsWith(line, "-LOADING")) {
    return Status::Busy(psync + ": the server cannot serve a full sync now, try again later",
                        line.substr(1));
  }
  if (StartsWith(line, "-ERR")) {
    // A server older than 2.8 knows SYNC only. (A newer one that failed PSYNC for another
    // reason will fail SYNC too, and the error below carries both answers.)
    psync_error_ = line.substr(1);
    return c->Send({"SYNC"});
  }
  if (StartsWith(line, "-")) return Status::InvalidArgument(psync + " failed", line.substr(1));
  return Status::Corruption(psync + ": unexpected answer \"" + line + "\"");
}

Status ReplicationSource::ReadPayloadHeader() {
  RedisConnection* c = connection_.get();
  std::string line;
  do {
    Result<std::string> read = c->ReadLine(kMaxPreambleLine);
    if (!read.ok()) return InStep(read.status(), name_, "waiting for the RDB payload");
    line = std::move(read).value();
  } while (line.empty());

  const std::string what = name_ + ": RDB transfer";
  if (line[0] == '-') {
    std::string message = line.substr(1);
    if (!psync_error_.empty()) message += " (PSYNC had answered: " + psync_error_ + ")";
    return Status::InvalidArgument(what + ": the server refused to send its snapshot", message);
  }
  if (line[0] != '$') {
    return Status::Corruption(what + ": expected \"$<length>\" or \"$EOF:<mark>\", got \"" +
                              line.substr(0, 100) + "\"");
  }
  const std::string_view header = std::string_view(line).substr(1);
  if (StartsWith(header, "EOF:")) {
    const std::string_view mark = header.substr(4);
    if (mark.size() != kMarkBytes) {
      return Status::Corruption(what + ": an end mark of " + std::to_string(mark.size()) +
                                " bytes, expected " + std::to_string(kMarkBytes));
    }
    mode_ = TransferMode::kDiskless;
    mark_ = std::string(mark);
    staging_.resize(kStagingBytes);
    return Status::OK();
  }
  uint64_t length = 0;
  if (!ParseNumber(header, &length)) {
    return Status::Corruption(what + ": bad payload length \"" + line.substr(0, 100) + "\"");
  }
  mode_ = TransferMode::kDiskBased;
  total_bytes_ = length;
  remaining_ = length;
  if (remaining_ == 0) Finish();
  return Status::OK();
}

Result<size_t> ReplicationSource::Read(char* dst, size_t n) {
  if (!failure_.ok()) return failure_;
  if (finished_ || n == 0) return size_t{0};
  return mode_ == TransferMode::kDiskBased ? ReadCounted(dst, n) : ReadUntilMark(dst, n);
}

Result<size_t> ReplicationSource::ReadCounted(char* dst, size_t n) {
  const size_t want = static_cast<size_t>(std::min<uint64_t>(n, remaining_));
  Result<size_t> got = connection_->ReadRaw(dst, want);
  const uint64_t so_far = bytes_read();
  if (!got.ok() || *got == 0) {
    const std::string where = "RDB transfer, after " + std::to_string(so_far) + " of " +
                              std::to_string(*total_bytes_) + " bytes";
    if (!got.ok()) return Fail(InStep(got.status(), name_, where));
    return Fail(Status::IOError(name_ + ": " + where + ": connection closed by the server"));
  }
  remaining_ -= *got;
  bytes_read_.store(so_far + *got, std::memory_order_relaxed);
  if (remaining_ == 0) Finish();
  return *got;
}

Result<size_t> ReplicationSource::ReadUntilMark(char* dst, size_t n) {
  while (true) {
    const size_t held = end_ - begin_;
    const size_t ready = mark_found_ ? held : (held > kMarkBytes ? held - kMarkBytes : 0);
    if (ready > 0) {
      const size_t take = std::min(n, ready);
      std::memcpy(dst, staging_.data() + begin_, take);
      begin_ += take;
      bytes_read_.fetch_add(take, std::memory_order_relaxed);
      return take;
    }
    if (mark_found_) {
      Finish();
      return size_t{0};
    }
    // At most kMarkBytes are held: move them to the front and read more behind them.
    std::memmove(staging_.data(), staging_.data() + begin_, held);
    begin_ = 0;
    end_ = held;
    Result<size_t> got = connection_->ReadRaw(staging_.data() + end_, staging_.size() - end_);
    if (!got.ok() || *got == 0) {
      const std::string where =
          "RDB transfer (diskless), after " + std::to_string(bytes_read()) + " bytes";
      if (!got.ok()) return Fail(InStep(got.status(), name_, where));
      return Fail(Status::IOError(name_ + ": " + where +
                                  ": connection closed by the server before the end mark"));
    }
    end_ += *got;
    if (end_ >= kMarkBytes &&
        std::memcmp(staging_.data() + end_ - kMarkBytes, mark_.data(), kMarkBytes) == 0) {
      mark_found_ = true;
      end_ -= kMarkBytes;
    }
  }
}

void ReplicationSource::Finish() {
  finished_ = true;
  connection_.reset();  // whatever follows the RDB (the write stream) is not ours to read
  staging_ = std::vector<char>();
}

Status ReplicationSource::Fail(const Status& s) {
  failure_ = s;
  connection_.reset();
  return s;
}

}  // namespace strata::redis
