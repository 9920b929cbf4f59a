// RespReader: decodes RESP2 replies (the Redis protocol) from a byte stream.
//
// RESP2 has five reply types, each introduced by one byte and ended by CRLF:
//   +simple string    -error    :integer    $<len> bulk string (len bytes, then CRLF)
//   *<count> array of <count> replies (nested to any depth)
// and two nulls: "$-1" and "*-1". RESP3 types (%, _, #, ...) are rejected: we never send
// HELLO 3, so a server speaking them is not one we understand.
//
// The bytes come from a peer we do not trust, so every length and count is checked against
// RespLimits before anything is allocated, and memory grows only as the announced bytes
// actually arrive: a peer that announces a 60 MiB bulk string and sends 10 bytes costs 10 bytes.
//
// The reader also serves the replication stream, which is not RESP: ReadLine() reads the
// master's preamble lines (which may be bare "\n" keepalives) and ReadRaw() the RDB payload,
// draining whatever the reader buffered first.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace strata::rdb {

// Where a RespReader pulls its bytes from: a socket, or a buffer in tests.
class ByteStream {
 public:
  virtual ~ByteStream() = default;
  // Reads at least one and at most n (> 0) bytes into dst, waiting as the stream sees fit;
  // returns 0 only when the peer has closed the stream.
  virtual Result<size_t> ReadSome(char* dst, size_t n) = 0;
};

enum class RespType : uint8_t {
  kSimpleString,  // +OK
  kError,         // -ERR unknown command
  kInteger,       // :42
  kBulkString,    // $3 foo
  kArray,         // *2 ...
  kNull,          // $-1 or *-1
};

// "simple string", "error", "integer", "bulk string", "array", "null".
std::string_view RespTypeName(RespType type);

struct RespValue {
  RespType type = RespType::kNull;
  std::string text;                 // simple string, error (without the '-') or bulk bytes
  int64_t integer = 0;              // kInteger only
  std::vector<RespValue> elements;  // kArray only

  bool is_error() const { return type == RespType::kError; }
  bool is_null() const { return type == RespType::kNull; }
  // True for a simple or bulk string equal to s.
  bool IsString(std::string_view s) const;
  // One line for messages: +OK, -ERR ..., :42, "bytes", [array of 3], (nil). Long text is
  // cut and control bytes are escaped, so a hostile reply cannot flood or garble a log.
  std::string Summary() const;
};

// Bounds on one reply. The defaults fit every ordinary reply (CLUSTER NODES of a 1000-node
// cluster is a few hundred KiB); the RDB payload is never read as a reply.
struct RespLimits {
  size_t max_line_bytes = 64 << 10;       // a header line: +..., -..., :..., $len, *count
  uint64_t max_bulk_bytes = 64ull << 20;  // one bulk string
  uint64_t max_elements = 1ull << 20;     // elements of all arrays in one reply, together
  int max_depth = 16;                     // array nesting
};

class RespReader {
 public:
  // stream must outlive the reader. name prefixes error messages (a "host:port").
  RespReader(ByteStream* stream, std::string name, RespLimits limits = RespLimits());
  RespReader(const RespReader&) = delete;
  RespReader& operator=(const RespReader&) = delete;

  // Reads one complete reply. An error reply is a value (type kError), not a failed Result;
  // a failed Result means the stream is unusable: an I/O error, the peer closed it (IOError),
  // or bytes that are not RESP2 or break a limit (Corruption).
  Result<RespValue> ReadValue();

  // Reads one line ended by "\n" (a "\r" before it is dropped) and returns it without the
  // terminator; an empty string for a bare "\n". Fails past max_bytes without a newline.
  Result<std::string> ReadLine(size_t max_bytes);

  // Reads up to n (> 0) bytes: buffered ones first, then straight from the stream. Returns 0
  // when the peer has closed the stream and nothing is buffered.
  Result<size_t> ReadRaw(char* dst, size_t n);

  // Bytes read from the stream but not yet consumed.
  size_t buffered_bytes() const { return buffer_.size() - begin_; }
  const std::string& name() const { return name_; }

 private:
  Result<RespValue> ReadValueAtDepth(int depth, uint64_t* elements_left);
  Status ReadBulkBody(uint64_t length, std::string* out);
  // The next CRLF-ended line without its terminator, consumed. Valid until the next read.
  Result<std::string_view> ReadCrlfLine();
  // Appends at least one byte from the stream to the buffer; IOError at end of stream.
  Status Fill();
  Status Malformed(std::string_view what) const;

  ByteStream* const stream_;
  const std::string name_;
  const RespLimits limits_;
  std::string buffer_;  // bytes [begin_, size()) are read from the stream and unconsumed
  size_t begin_ = 0;
};

}  // namespace strata::rdb
