#include "rdb/resp_reader.h"

#include <algorithm>
#include <cstring>

namespace strata::rdb {

namespace {

// Bytes asked of the stream per fill. Replies are small; the RDB payload bypasses the buffer.
constexpr size_t kFillBytes = 64 << 10;
// Consumed bytes at the front of the buffer are dropped once they pass this.
constexpr size_t kCompactBytes = 64 << 10;
// A bulk string grows by at most this much ahead of the bytes that arrived.
constexpr size_t kBulkGrowBytes = 1 << 20;
// An array reserves at most this many elements ahead of the ones that arrived.
constexpr size_t kArrayReserve = 1024;
// Summary() shows at most this many bytes of a string.
constexpr size_t kSummaryBytes = 200;

// Printable ASCII as is, everything else as \xHH; at most kSummaryBytes of input.
std::string Escaped(std::string_view s) {
  std::string out;
  const size_t shown = std::min(s.size(), kSummaryBytes);
  for (size_t i = 0; i < shown; i++) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c < 0x7f && c != '\\') {
      out.push_back(static_cast<char>(c));
    } else {
      static constexpr char kHex[] = "0123456789abcdef";
      out += "\\x";
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 0xf]);
    }
  }
  if (shown < s.size()) out += "... (" + std::to_string(s.size()) + " bytes)";
  return out;
}

// Parses a whole decimal int64: an optional '-', then digits. Anything else is nullopt.
bool ParseInt64(std::string_view s, int64_t* out) {
  bool negative = false;
  if (!s.empty() && s[0] == '-') {
    negative = true;
    s.remove_prefix(1);
  }
  if (s.empty() || s.size() > 19) return false;
  uint64_t magnitude = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    magnitude = magnitude * 10 + static_cast<uint64_t>(c - '0');  // 19 digits cannot wrap
  }
  const uint64_t limit = negative ? (1ull << 63) : (1ull << 63) - 1;
  if (magnitude > limit) return false;
  *out = negative ? static_cast<int64_t>(0 - magnitude) : static_cast<int64_t>(magnitude);
  return true;
}

}  // namespace

std::string_view RespTypeName(RespType type) {
  switch (type) {
    case RespType::kSimpleString:
      return "simple string";
    case RespType::kError:
      return "error";
    case RespType::kInteger:
      return "integer";
    case RespType::kBulkString:
      return "bulk string";
    case RespType::kArray:
      return "array";
    case RespType::kNull:
      return "null";
  }
  return "unknown";
}

bool RespValue::IsString(std::string_view s) const {
  return (type == RespType::kSimpleString || type == RespType::kBulkString) && text == s;
}

std::string RespValue::Summary() const {
  switch (type) {
    case RespType::kSimpleString:
      return "+" + Escaped(text);
    case RespType::kError:
      return "-" + Escaped(text);
    case RespType::kInteger:
      return ":" + std::to_string(integer);
    case RespType::kBulkString:
      return "\"" + Escaped(text) + "\"";
    case RespType::kArray:
      return "[array of " + std::to_string(elements.size()) + "]";
    case RespType::kNull:
      return "(nil)";
  }
  return "?";
}

RespReader::RespReader(ByteStream* stream, std::string name, RespLimits limits)
    : stream_(stream), name_(std::move(name)), limits_(limits) {}

Result<RespValue> RespReader::ReadValue() {
  uint64_t elements_left = limits_.max_elements;
  return ReadValueAtDepth(0, &elements_left);
}

Result<RespValue> RespReader::ReadValueAtDepth(int depth, uint64_t* elements_left) {
  Result<std::string_view> line = ReadCrlfLine();
  if (!line.ok()) return line.status();
  if (line->empty()) return Malformed("an empty line where a reply was expected");
  const char type = (*line)[0];
  const std::string_view body = line->substr(1);

  RespValue value;
  switch (type) {
    case '+':
    case '-':
      if (body.find('\r') != std::string_view::npos) {
        return Malformed("a carriage return inside the line \"" + Escaped(*line) + "\"");
      }
      value.type = type == '+' ? RespType::kSimpleString : RespType::kError;
      value.text.assign(body);
      return value;
    case ':':
      if (!ParseInt64(body, &value.integer)) {
        return Malformed("integer reply \"" + Escaped(body) + "\" is not a decimal int64");
      }
      value.type = RespType::kInteger;
      return value;
    case '$':
    case '*':
      break;
    default: {
      std::string what = "unexpected type byte \"" + Escaped(line->substr(0, 1)) +
                         "\" at the start of \"" + Escaped(*line) + "\"";
      if (std::strchr("_,#!=(%~>|", type) != nullptr) what += " (a RESP3 type; we speak RESP2)";
      return Malformed(what);
    }
  }

  // A bulk string or an array: body is a length, -1 for null.
  const char* noun = type == '$' ? "bulk string length" : "array length";
  int64_t length = 0;
  if (!ParseInt64(body, &length)) {
    return Malformed(std::string(noun) + " \"" + Escaped(body) + "\" is not a decimal number");
  }
  if (length == -1) {
    value.type = RespType::kNull;
    return value;
  }
  if (length < 0) return Malformed(std::string(noun) + " " + std::to_string(length));
  const auto count = static_cast<uint64_t>(length);

  if (type == '$') {
    if (count > limits_.max_bulk_bytes) {
      return Malformed("a bulk string of " + std::to_string(count) +
                       " bytes exceeds the limit of " + std::to_string(limits_.max_bulk_bytes));
    }
    value.type = RespType::kBulkString;
    Status s = ReadBulkBody(count, &value.text);
    if (!s.ok()) return s;
    return value;
  }

  if (depth + 1 > limits_.max_depth) {
    return Malformed("arrays nested deeper than " + std::to_string(limits_.max_depth));
  }
  if (count > *elements_left) {
    return Malformed("an array of " + std::to_string(count) + " elements exceeds the limit of " +
                     std::to_string(limits_.max_elements) + " elements per reply");
  }
  *elements_left -= count;
  value.type = RespType::kArray;
  value.elements.reserve(std::min<uint64_t>(count, kArrayReserve));
  for (uint64_t i = 0; i < count; i++) {
    Result<RespValue> element = ReadValueAtDepth(depth + 1, elements_left);
    if (!element.ok()) return element.status();
    value.elements.push_back(std::move(element).value());
  }
  return value;
}

Status RespReader::ReadBulkBody(uint64_t length, std::string* out) {
  out->clear();
  out->reserve(std::min<uint64_t>(length, kBulkGrowBytes));
  const size_t from_buffer = std::min<uint64_t>(length, buffered_bytes());
  out->append(buffer_, begin_, from_buffer);
  begin_ += from_buffer;
  // The rest goes straight from the stream into the string, growing as bytes arrive.
  while (out->size() < length) {
    const size_t want = std::min<uint64_t>(length - out->size(), kBulkGrowBytes);
    const size_t old_size = out->size();
    out->resize(old_size + want);
    Result<size_t> got = stream_->ReadSome(out->data() + old_size, want);
    if (!got.ok()) return got.status();
    out->resize(old_size + *got);
    if (*got == 0) {
      return Status::IOError(name_ + ": connection closed by the server after " +
                             std::to_string(old_size) + " of the " + std::to_string(length) +
                             " bytes of a bulk string");
    }
  }
  while (buffered_bytes() < 2) {
    Status s = Fill();
    if (!s.ok()) return s;
  }
  if (buffer_[begin_] != '\r' || buffer_[begin_ + 1] != '\n') {
    return Malformed("a bulk string of " + std::to_string(length) + " bytes not followed by CRLF");
  }
  begin_ += 2;
  return Status::OK();
}

Result<std::string_view> RespReader::ReadCrlfLine() {
  size_t scanned = 0;  // bytes after begin_ known to hold no '\n'
  while (true) {
    const size_t newline = buffer_.find('\n', begin_ + scanned);
    if (newline != std::string::npos) {
      const size_t length = newline - begin_;  // with the '\r'
      if (length > limits_.max_line_bytes + 1) break;
      if (length == 0 || buffer_[newline - 1] != '\r') {
        return Malformed("a line ended by a bare LF: \"" +
                         Escaped(std::string_view(buffer_).substr(begin_, length)) + "\"");
      }
      const std::string_view line(buffer_.data() + begin_, length - 1);
      begin_ = newline + 1;
      return line;
    }
    scanned = buffered_bytes();
    if (scanned > limits_.max_line_bytes + 1) break;
    Status s = Fill();
    if (!s.ok()) return s;
  }
  return Malformed("a line longer than " + std::to_string(limits_.max_line_bytes) +
                   " bytes, starting \"" + Escaped(std::string_view(buffer_).substr(begin_, 64)) +
                   "\"");
}

Result<std::string> RespReader::ReadLine(size_t max_bytes) {
  size_t scanned = 0;
  while (true) {
    const size_t newline = buffer_.find('\n', begin_ + scanned);
    if (newline != std::string::npos && newline - begin_ <= max_bytes + 1) {
      size_t length = newline - begin_;
      if (length > 0 && buffer_[newline - 1] == '\r') length--;
      std::string line = buffer_.substr(begin_, length);
      begin_ = newline + 1;
      return line;
    }
    scanned = buffered_bytes();
    if (scanned > max_bytes + 1) {
      return Status::Corruption(name_ + ": protocol error: a line longer than " +
                                std::to_string(max_bytes) + " bytes, starting \"" +
                                Escaped(std::string_view(buffer_).substr(begin_, 64)) + "\"");
    }
    Status s = Fill();
    if (!s.ok()) return s;
  }
}

Result<size_t> RespReader::ReadRaw(char* dst, size_t n) {
  if (buffered_bytes() > 0) {
    const size_t take = std::min(n, buffered_bytes());
    std::memcpy(dst, buffer_.data() + begin_, take);
    begin_ += take;
    return take;
  }
  return stream_->ReadSome(dst, n);
}

Status RespReader::Fill() {
  if (begin_ == buffer_.size()) {
    buffer_.clear();
    begin_ = 0;
  } else if (begin_ >= kCompactBytes) {
    buffer_.erase(0, begin_);
    begin_ = 0;
  }
  const size_t old_size = buffer_.size();
  buffer_.resize(old_size + kFillBytes);
  Result<size_t> got = stream_->ReadSome(buffer_.data() + old_size, kFillBytes);
  buffer_.resize(old_size + (got.ok() ? *got : 0));
  if (!got.ok()) return got.status();
  if (*got == 0) return Status::IOError(name_ + ": connection closed by the server");
  return Status::OK();
}

Status RespReader::Malformed(std::string_view what) const {
  return Status::Corruption(name_ + ": protocol error", what);
}

}  // namespace strata::rdb
