// Parser: an incremental RESP2/RESP3 parser that the caller pushes bytes into.
//
// The caller appends whatever bytes arrived (Feed) and takes complete values out (Next):
//
//   resp::Parser parser("10.0.0.7:6379");
//   parser.Feed(bytes_from_the_socket);
//   while (true) {
//     Result<std::optional<resp::Value>> v = parser.Next();
//     if (!v.ok()) { /* protocol error: drop the connection */ }
//     if (!v->has_value()) break;  // the bytes end inside a value: feed more
//     Use(**v);
//   }
//
// Nothing in here blocks or reads: an event loop feeds what a socket gave it, a blocking
// client feeds what it read, a test feeds bytes one at a time. Bytes split at any point give
// the same values. Work is linear in the bytes fed: a value that arrives in many pieces is
// resumed where it stopped, not re-parsed.
//
// Both protocol versions are accepted at once (every type byte of RESP2 and RESP3); which one
// the peer speaks is the caller's business (HELLO). RESP3's streamed strings and aggregates
// ("$?", "*?") are refused: Redis never sends them.
//
// The bytes come from a peer we do not trust. Every length is checked against Limits before
// anything is reserved, a bulk string is taken only once all its bytes have arrived, and an
// aggregate reserves at most a small number of elements up front, so memory follows the bytes
// that actually arrived. A violation, like any malformed input, is Corruption
//   "<name>: protocol error at byte <offset>: <what>"
// where offset counts from the first byte ever fed. Errors are sticky: the stream is out of
// step and cannot be trusted past that point.
//
// Between values the parser can hand over the unparsed bytes (pending, Skip), for a peer
// that switches to another framing mid-stream: a Redis master sends its RDB snapshot after
// the RESP answer to PSYNC.
//
// Not thread-safe: one owner feeds and takes values.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/result.h"
#include "resp/value.h"
#include "strata/slice.h"

namespace strata::resp {

// Bounds on what one peer may make the parser hold. Each violation is its own error.
struct Limits {
  // Bytes in one bulk string, bulk error or verbatim string. Redis's proto-max-bulk-len
  // default, which is also the largest string Redis stores.
  uint64_t max_bulk_length = 512ull << 20;
  // Elements of one aggregate, a map's keys and values both counted (so a map of n pairs
  // needs 2n, as the flat array Redis sends a RESP2 client does).
  uint64_t max_aggregate_length = 1ull << 20;
  // Aggregates open inside one another (attributes count). Values are destroyed, compared
  // and encoded recursively, so depth is also stack depth.
  int max_depth = 32;
  // Bytes of one line after its type byte, without CRLF: a simple string or error, an
  // integer, a double, a big number, a length.
  size_t max_line_length = 64 << 10;
};

class Parser {
 public:
  // name prefixes error messages (the peer's "host:port", a file name).
  explicit Parser(std::string name, Limits limits = Limits());
  Parser(const Parser&) = delete;
  Parser& operator=(const Parser&) = delete;

  // Appends bytes that arrived. Cheap to call with any amount, including none.
  void Feed(Slice bytes);

  // The next complete value; nullopt when the bytes fed so far end inside one (a partly
  // parsed aggregate is kept, not parsed again); or the protocol error, for good.
  Result<std::optional<Value>> Next();

  // Stream offset of the first byte not yet consumed by a value.
  uint64_t offset() const { return base_offset_ + begin_; }
  // Bytes fed and not yet consumed.
  size_t buffered_bytes() const { return buffer_.size() - begin_; }
  // True when no value is partly parsed: pending() then starts where the next value would.
  bool idle() const { return stack_.empty() && top_attribute_ == nullptr; }
  // The bytes fed and not yet consumed. Valid until the next Feed, Next or Skip.
  Slice pending() const { return Slice(buffer_.data() + begin_, buffered_bytes()); }
  // Consumes n bytes of pending() without parsing them. Only when idle(), n <= their size.
  void Skip(size_t n);

  const std::string& name() const { return name_; }

 private:
  // An aggregate being filled.
  struct Frame {
    Value value;
    uint64_t remaining = 0;            // elements still to come, > 0
    std::unique_ptr<Value> attribute;  // an attribute read inside, waiting for its value
  };
  enum class Step { kNeedMore, kValue, kOpened, kError };

  // Parses the token at begin_: a complete leaf value or empty aggregate (kValue, into *out),
  // the header of a non-empty aggregate (kOpened, pushed on stack_), too few bytes
  // (kNeedMore, nothing consumed), or a protocol error (kError, in error_).
  Step ParseToken(Value* out);
  Step ParseBulk(char type, int64_t length, size_t body, Value* out);
  Step OpenAggregate(char type, int64_t count, size_t next, Value* out);
  // The error of a line longer than max_line_length, starting at pos.
  Step LineTooLong(size_t pos);
  // Records the error at stream position pos (an index into buffer_) and returns kError.
  Step Fail(size_t pos, const std::string& what);

  const std::string name_;
  const Limits limits_;
  std::string buffer_;  // bytes [begin_, size()) are fed and not consumed
  size_t begin_ = 0;
  uint64_t base_offset_ = 0;              // stream offset of buffer_[0]
  size_t scanned_ = 0;                    // bytes after begin_ known to hold no '\n'
  std::vector<Frame> stack_;              // open aggregates, outermost first
  std::unique_ptr<Value> top_attribute_;  // an attribute waiting for a top-level value
  Status error_;
};

}  // namespace strata::resp
