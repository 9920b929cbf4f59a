#include "resp/parser.h"

#include <algorithm>
#include <cassert>
#include <charconv>
#include <cstring>
#include <string_view>

#include "base/escape.h"

namespace strata::resp {

namespace {

// Consumed bytes at the front of the buffer are dropped once they pass this and half the
// buffer, so compaction costs O(1) per byte.
constexpr size_t kCompactBytes = 64 << 10;
// An aggregate reserves at most this many elements ahead of the ones that arrived.
constexpr uint64_t kReserveElements = 1024;
// Messages quote at most this much of a line.
constexpr size_t kQuoteBytes = 64;

bool IsTypeByte(char c) { return std::strchr("+-:$*_#,(!=%~|>", c) != nullptr && c != '\0'; }

std::string Quoted(std::string_view s) { return QuoteBytes(s, kQuoteBytes); }

// A whole decimal int64: an optional '-', then 1-19 digits. Anything else is false.
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

// RESP3's double: [+|-]digits[.digits][e[+|-]digits], "inf", "-inf" or "nan".
bool ParseDouble(std::string_view s, double* out) {
  if (!s.empty() && s[0] == '+') {
    s.remove_prefix(1);
    if (!s.empty() && s[0] == '-') return false;
  }
  if (s.empty()) return false;
  const char* end = s.data() + s.size();
  const auto [ptr, ec] = std::from_chars(s.data(), end, *out, std::chars_format::general);
  return ec == std::errc() && ptr == end;
}

// RESP3's big number: an optional '-', then at least one digit.
bool IsBigNumber(std::string_view s) {
  if (!s.empty() && s[0] == '-') s.remove_prefix(1);
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

Type AggregateType(char c) {
  switch (c) {
    case '%':
      return Type::kMap;
    case '~':
      return Type::kSet;
    case '|':
      return Type::kAttribute;
    case '>':
      return Type::kPush;
    default:
      return Type::kArray;
  }
}

Type BulkType(char c) {
  switch (c) {
    case '!':
      return Type::kBulkError;
    case '=':
      return Type::kVerbatimString;
    default:
      return Type::kBulkString;
  }
}

}  // namespace

Parser::Parser(std::string name, Limits limits) : name_(std::move(name)), limits_(limits) {}

void Parser::Feed(Slice bytes) {
  if (begin_ == buffer_.size()) {
    base_offset_ += begin_;
    buffer_.clear();
    begin_ = 0;
  } else if (begin_ >= kCompactBytes && begin_ * 2 >= buffer_.size()) {
    base_offset_ += begin_;
    buffer_.erase(0, begin_);
    begin_ = 0;
  }
  buffer_.append(bytes.data(), bytes.size());
}

void Parser::Skip(size_t n) {
  assert(idle() && n <= buffered_bytes());
  begin_ += std::min(n, buffered_bytes());
  scanned_ = 0;
}

Result<std::optional<Value>> Parser::Next() {
  if (!error_.ok()) return error_;
  while (true) {
    Value v;
    const Step step = ParseToken(&v);
    if (step == Step::kNeedMore) return std::optional<Value>();
    if (step == Step::kError) return error_;
    if (step == Step::kOpened) continue;
    // v is complete: hand it to the aggregate it belongs to, closing every aggregate it
    // completes, up to the top level.
    while (true) {
      std::unique_ptr<Value>& waiting = stack_.empty() ? top_attribute_ : stack_.back().attribute;
      // An attribute annotates the value after it, even when that is another attribute.
      if (waiting != nullptr) v.attribute = std::move(waiting);
      if (v.type == Type::kAttribute) {
        waiting = std::make_unique<Value>(std::move(v));
        break;
      }
      if (stack_.empty()) return std::optional<Value>(std::move(v));
      Frame& frame = stack_.back();
      frame.value.elements.push_back(std::move(v));
      if (--frame.remaining > 0) break;
      v = std::move(frame.value);
      stack_.pop_back();
    }
  }
}

Parser::Step Parser::ParseToken(Value* out) {
  const size_t p = begin_;
  if (p == buffer_.size()) return Step::kNeedMore;
  const char type = buffer_[p];
  if (!IsTypeByte(type)) {
    return Fail(p, "unexpected type byte " + Quoted(std::string_view(&buffer_[p], 1)));
  }
  const size_t lf = buffer_.find('\n', p + 1 + scanned_);
  if (lf == std::string::npos) {
    // A line of max_line_length bytes plus its '\r' fits after the type byte.
    const size_t after_type = buffer_.size() - p - 1;
    if (after_type > limits_.max_line_length + 1) return LineTooLong(p);
    scanned_ = after_type;
    return Step::kNeedMore;
  }
  if (buffer_[lf - 1] != '\r') {
    return Fail(
        lf, "a line ended by a bare LF: " + Quoted(std::string_view(buffer_).substr(p, lf - p)));
  }
  const std::string_view line(buffer_.data() + p + 1, lf - 1 - (p + 1));
  if (line.size() > limits_.max_line_length) return LineTooLong(p);
  if (const size_t cr = line.find('\r'); cr != std::string_view::npos) {
    return Fail(p + 1 + cr, "a carriage return inside the line " + Quoted(line));
  }
  const size_t next = lf + 1;
  auto leaf = [&](Value v) {
    *out = std::move(v);
    begin_ = next;
    scanned_ = 0;
    return Step::kValue;
  };

  switch (type) {
    case '+':
      return leaf(Value::SimpleString(std::string(line)));
    case '-':
      return leaf(Value::SimpleError(std::string(line)));
    case ':': {
      int64_t i = 0;
      if (!ParseInt64(line, &i))
        return Fail(p, "integer " + Quoted(line) + " is not a decimal int64");
      return leaf(Value::Integer(i));
    }
    case '_':
      if (!line.empty()) return Fail(p, "a null with content " + Quoted(line));
      return leaf(Value::Null());
    case '#':
      if (line != "t" && line != "f") return Fail(p, "boolean " + Quoted(line) + " is not t or f");
      return leaf(Value::Boolean(line == "t"));
    case ',': {
      double d = 0;
      if (!ParseDouble(line, &d)) return Fail(p, "double " + Quoted(line) + " is not a number");
      return leaf(Value::Double(d));
    }
    case '(':
      if (!IsBigNumber(line)) {
        return Fail(p, "big number " + Quoted(line) + " is not a decimal integer");
      }
      return leaf(Value::BigNumber(std::string(line)));
    default:
      break;
  }

  // A length: of a bulk string, bulk error or verbatim string, or of an aggregate.
  const bool bulk = type == '$' || type == '!' || type == '=';
  const std::string noun(EnumName(bulk ? BulkType(type) : AggregateType(type)));
  if (line == "?") {
    return Fail(p, "a streamed " + noun + " (length \"?\"), which this parser does not support");
  }
  int64_t length = 0;
  if (!ParseInt64(line, &length)) {
    return Fail(p, noun + " length " + Quoted(line) + " is not a decimal number");
  }
  if (length < -1 || (length == -1 && type != '$' && type != '*')) {
    return Fail(p, noun + " length " + std::to_string(length));
  }
  return bulk ? ParseBulk(type, length, next, out) : OpenAggregate(type, length, next, out);
}

Parser::Step Parser::ParseBulk(char type, int64_t length, size_t body, Value* out) {
  const size_t p = begin_;
  if (length == -1) {  // "$-1": RESP2's null bulk string
    *out = Value::Null();
    begin_ = body;
    scanned_ = 0;
    return Step::kValue;
  }
  const Type bulk_type = BulkType(type);
  const std::string noun(EnumName(bulk_type));
  const auto size = static_cast<uint64_t>(length);
  if (size > limits_.max_bulk_length) {
    return Fail(p, TypeNameWithArticle(bulk_type) + " of " + std::to_string(size) +
                       " bytes exceeds the limit of " + std::to_string(limits_.max_bulk_length) +
                       " bytes");
  }
  if (type == '=' && size < 4) {
    return Fail(p, "a verbatim string of " + std::to_string(size) +
                       " bytes, too short for its \"fmt:\" prefix");
  }
  // Wait for the whole body: the buffer holds what arrived, nothing is reserved ahead of it.
  if (buffer_.size() - body < size + 2) return Step::kNeedMore;
  const size_t end = body + size;
  if (buffer_[end] != '\r' || buffer_[end + 1] != '\n') {
    return Fail(end, TypeNameWithArticle(bulk_type) + " of " + std::to_string(size) +
                         " bytes not followed by CRLF");
  }
  if (type == '=') {
    if (buffer_[body + 3] != ':') {
      return Fail(body + 3, "a verbatim string without ':' after its 3-byte format");
    }
    *out = Value::Verbatim(buffer_.substr(body, 3), buffer_.substr(body + 4, size - 4));
  } else {
    std::string text = buffer_.substr(body, size);
    *out = type == '!' ? Value::BulkError(std::move(text)) : Value::BulkString(std::move(text));
  }
  begin_ = end + 2;
  scanned_ = 0;
  return Step::kValue;
}

Parser::Step Parser::OpenAggregate(char type, int64_t count, size_t next, Value* out) {
  const size_t p = begin_;
  const Type aggregate = AggregateType(type);
  const std::string noun(EnumName(aggregate));
  if (count == -1) {  // "*-1": RESP2's null array
    *out = Value::NullArray();
    begin_ = next;
    scanned_ = 0;
    return Step::kValue;
  }
  const bool pairs = aggregate == Type::kMap || aggregate == Type::kAttribute;
  const auto n = static_cast<uint64_t>(count);
  if (pairs ? n > limits_.max_aggregate_length / 2 : n > limits_.max_aggregate_length) {
    return Fail(p, TypeNameWithArticle(aggregate) + " of " + std::to_string(n) +
                       (pairs ? " pairs" : " elements") + " exceeds the limit of " +
                       std::to_string(limits_.max_aggregate_length) + " elements");
  }
  if (stack_.size() >= static_cast<size_t>(std::max(limits_.max_depth, 0))) {
    return Fail(p, "aggregates nested deeper than " + std::to_string(limits_.max_depth));
  }
  const uint64_t elements = pairs ? 2 * n : n;
  begin_ = next;
  scanned_ = 0;
  Value v;
  v.type = aggregate;
  if (elements == 0) {
    *out = std::move(v);
    return Step::kValue;
  }
  v.elements.reserve(std::min(elements, kReserveElements));
  stack_.push_back(Frame{std::move(v), elements, nullptr});
  return Step::kOpened;
}

Parser::Step Parser::LineTooLong(size_t pos) {
  // Quote only bytes that are there whether or not the line's end has arrived, so that the
  // message does not depend on how the stream was split.
  const size_t quoted = std::min(kQuoteBytes, limits_.max_line_length + 2);
  return Fail(pos, "a line longer than " + std::to_string(limits_.max_line_length) +
                       " bytes, starting " + Quoted(std::string_view(buffer_).substr(pos, quoted)));
}

Parser::Step Parser::Fail(size_t pos, const std::string& what) {
  error_ = Status::Corruption(
      name_ + ": protocol error at byte " + std::to_string(base_offset_ + pos), what);
  return Step::kError;
}

}  // namespace strata::resp
