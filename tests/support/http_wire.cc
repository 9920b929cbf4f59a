#include "support/http_wire.h"

#include <poll.h>
#include <sys/socket.h>

#include <algorithm>
#include <cerrno>

#include "base/enum_names.h"

namespace strata::test {

namespace {

using std::chrono::milliseconds;

constexpr size_t kMaxHeadBytes = 64 << 10;
constexpr size_t kMaxChunkLine = 4 << 10;
// Bigger chunk sizes or lengths are refused: nothing here sends them, and it keeps every
// sum of lengths far from overflowing.
constexpr uint64_t kMaxLength = 1ull << 50;
constexpr size_t kReadBytes = 64 << 10;

// Header names and tokens compare without regard to case.
bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  return internal::EqualIgnoringCase(a, b);
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// Splits s at each comma into trimmed items ("close, Upgrade" -> "close", "Upgrade").
std::vector<std::string_view> CommaList(std::string_view s) {
  std::vector<std::string_view> items;
  while (true) {
    const size_t comma = s.find(',');
    items.push_back(Trim(s.substr(0, comma)));
    if (comma == std::string_view::npos) return items;
    s.remove_prefix(comma + 1);
  }
}

// A decimal number of at most 15 digits (Content-Length, status code); nullopt otherwise.
std::optional<uint64_t> ParseDecimal(std::string_view s) {
  if (s.empty() || s.size() > 15) return std::nullopt;
  uint64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + static_cast<uint64_t>(c - '0');
  }
  return v;
}

bool IsHopByHop(std::string_view name) {
  return EqualsIgnoreCase(name, "Connection") || EqualsIgnoreCase(name, "Keep-Alive") ||
         EqualsIgnoreCase(name, "Proxy-Connection");
}

}  // namespace

void HttpPeer::Consume(size_t n) {
  pos_ += n;
  if (pos_ == in_.size()) {
    in_.clear();
    pos_ = 0;
  }
}

bool HttpPeer::Fill() {
  if (eof_) return false;
  if (pos_ > 0 && pos_ >= in_.size() / 2) {  // keep the buffer from growing without bound
    in_.erase(0, pos_);
    pos_ = 0;
  }
  while (true) {
    if (!Wait(POLLIN)) return false;
    const size_t old_size = in_.size();
    in_.resize(old_size + kReadBytes);
    const ssize_t got = ::recv(fd_, in_.data() + old_size, kReadBytes, MSG_DONTWAIT);
    in_.resize(old_size + static_cast<size_t>(std::max<ssize_t>(got, 0)));
    if (got > 0) return true;
    if (got == 0) {
      eof_ = true;
      return false;
    }
    if (errno != EINTR && errno != EAGAIN && errno != EWOULDBLOCK) return false;
  }
}

bool HttpPeer::Send(std::string_view bytes) {
  while (!bytes.empty()) {
    const ssize_t put = ::send(fd_, bytes.data(), bytes.size(), MSG_DONTWAIT | MSG_NOSIGNAL);
    if (put > 0) {
      bytes.remove_prefix(static_cast<size_t>(put));
      continue;
    }
    if (put < 0 && errno != EINTR && errno != EAGAIN && errno != EWOULDBLOCK) return false;
    if (!Wait(POLLOUT)) return false;
  }
  return true;
}

bool HttpPeer::Sleep(milliseconds d) {
  pollfd stop{stop_fd_, POLLIN, 0};
  const auto until = std::chrono::steady_clock::now() + d;
  while (true) {
    const auto left =
        std::chrono::ceil<milliseconds>(until - std::chrono::steady_clock::now()).count();
    if (left <= 0) return true;
    const int n = ::poll(&stop, 1, static_cast<int>(std::min<int64_t>(left, 1 << 30)));
    if (n > 0) return false;
    if (n < 0 && errno != EINTR) return false;
  }
}

bool HttpPeer::Wait(short events) {
  while (true) {
    pollfd p[2] = {{fd_, events, 0}, {stop_fd_, POLLIN, 0}};
    const int n = ::poll(p, 2, -1);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    return p[1].revents == 0;
  }
}

std::vector<std::string_view> HttpHead::Values(std::string_view name) const {
  std::vector<std::string_view> out;
  for (const auto& [n, v] : fields) {
    if (EqualsIgnoreCase(n, name)) out.push_back(v);
  }
  return out;
}

bool HttpHead::HasToken(std::string_view name, std::string_view token) const {
  for (std::string_view v : Values(name)) {
    for (std::string_view item : CommaList(v)) {
      if (EqualsIgnoreCase(item, token)) return true;
    }
  }
  return false;
}

std::optional<int> HttpHead::StatusCode() const {
  // "HTTP/1.x 503 ...": the code is the three digits after the version and a space.
  if (!start_line.starts_with("HTTP/1.") || start_line.size() < 12 || start_line[8] != ' ') {
    return std::nullopt;
  }
  const std::optional<uint64_t> code = ParseDecimal(std::string_view(start_line).substr(9, 3));
  if (!code || *code < 100) return std::nullopt;
  return static_cast<int>(*code);
}

std::string HttpHead::Forwarded(bool drop_expect, bool add_close) const {
  std::string out = start_line + "\r\n";
  for (const auto& [name, value] : fields) {
    if (IsHopByHop(name) || (drop_expect && EqualsIgnoreCase(name, "Expect"))) continue;
    out += name + ": " + value + "\r\n";
  }
  if (add_close) out += "Connection: close\r\n";
  out += "\r\n";
  return out;
}

HeadRead ReadHttpHead(HttpPeer* peer, HttpHead* head) {
  size_t end = std::string_view::npos;  // the head's length, its final empty line included
  while (true) {
    const std::string_view b = peer->buffered();
    // The head ends at an empty line: "\r\n\r\n", or "\n\n" from a lax peer.
    for (size_t i = b.find('\n'); i != std::string_view::npos; i = b.find('\n', i + 1)) {
      if (i + 1 < b.size() && b[i + 1] == '\n') {
        end = i + 2;
        break;
      }
      if (i + 2 < b.size() && b[i + 1] == '\r' && b[i + 2] == '\n') {
        end = i + 3;
        break;
      }
    }
    if (end != std::string_view::npos) break;
    if (b.size() > kMaxHeadBytes) return HeadRead::kMalformed;
    const bool had_bytes = !b.empty();
    if (!peer->Fill()) {
      if (peer->at_eof() && !had_bytes) return HeadRead::kEndOfStream;
      return HeadRead::kBroken;
    }
  }
  if (end > kMaxHeadBytes) return HeadRead::kMalformed;
  std::string_view text = peer->buffered().substr(0, end);
  bool first = true;
  while (!text.empty()) {
    const size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text.remove_prefix(nl + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty()) {
      if (first) return HeadRead::kMalformed;  // a head without a start line
      break;
    }
    if (first) {
      head->start_line = std::string(line);
      first = false;
      continue;
    }
    // "name: value". Folded continuation lines (leading whitespace) are obsolete and refused,
    // as is whitespace inside or after the name: each is a classic request-smuggling vector.
    const size_t colon = line.find(':');
    if (colon == 0 || colon == std::string_view::npos) return HeadRead::kMalformed;
    const std::string_view name = line.substr(0, colon);
    if (name.find_first_of(" \t") != std::string_view::npos) return HeadRead::kMalformed;
    head->fields.emplace_back(std::string(name), std::string(Trim(line.substr(colon + 1))));
  }
  peer->Consume(end);
  return HeadRead::kOk;
}

std::optional<HttpFraming> FramingOf(const HttpHead& head, bool is_request) {
  const std::vector<std::string_view> te = head.Values("Transfer-Encoding");
  if (!te.empty()) {
    const std::vector<std::string_view> codings = CommaList(te.back());
    if (EqualsIgnoreCase(codings.back(), "chunked"))
      return HttpFraming{HttpFraming::Kind::kChunked, 0};
    if (is_request) return std::nullopt;
    return HttpFraming{HttpFraming::Kind::kUntilClose, 0};
  }
  std::optional<uint64_t> length;
  for (std::string_view v : head.Values("Content-Length")) {
    for (std::string_view item : CommaList(v)) {
      const std::optional<uint64_t> n = ParseDecimal(item);
      if (!n || *n > kMaxLength || (length && *length != *n)) return std::nullopt;
      length = n;
    }
  }
  if (length) return HttpFraming{HttpFraming::Kind::kLength, *length};
  return HttpFraming{is_request ? HttpFraming::Kind::kNone : HttpFraming::Kind::kUntilClose, 0};
}

namespace {

// Consumes one line (up to and including '\n', at most kMaxChunkLine bytes) and passes it to
// sink; *line is the line without its end.
BodyRead ReadLine(HttpPeer* peer, const HttpBodySink& sink, std::string* line) {
  while (true) {
    const std::string_view b = peer->buffered();
    const size_t nl = b.find('\n');
    if (nl != std::string_view::npos && nl < kMaxChunkLine) {
      std::string_view text = b.substr(0, nl);
      if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
      *line = std::string(text);
      const bool go_on = sink(b.substr(0, nl + 1));
      peer->Consume(nl + 1);
      return go_on ? BodyRead::kComplete : BodyRead::kStopped;
    }
    if (b.size() >= kMaxChunkLine) return BodyRead::kMalformed;
    if (!peer->Fill()) return BodyRead::kBroken;
  }
}

// Passes the next n bytes to sink as they arrive.
BodyRead ReadBytes(HttpPeer* peer, uint64_t n, const HttpBodySink& sink) {
  while (n > 0) {
    if (peer->buffered().empty() && !peer->Fill()) return BodyRead::kBroken;
    const std::string_view b = peer->buffered();
    const size_t take = static_cast<size_t>(std::min<uint64_t>(n, b.size()));
    const bool go_on = sink(b.substr(0, take));
    peer->Consume(take);
    n -= take;
    if (!go_on) return BodyRead::kStopped;
  }
  return BodyRead::kComplete;
}

// The size of a chunk-size line ("1a3f", "1a3f;ext=v"); nullopt when malformed.
std::optional<uint64_t> ChunkSize(std::string_view line) {
  line = Trim(line.substr(0, line.find(';')));
  if (line.empty() || line.size() > 13) return std::nullopt;  // 13 hex digits < kMaxLength
  uint64_t v = 0;
  for (char c : line) {
    int d;
    if (c >= '0' && c <= '9') {
      d = c - '0';
    } else if (c >= 'a' && c <= 'f') {
      d = c - 'a' + 10;
    } else if (c >= 'A' && c <= 'F') {
      d = c - 'A' + 10;
    } else {
      return std::nullopt;
    }
    v = v * 16 + static_cast<uint64_t>(d);
  }
  return v;
}

}  // namespace

BodyRead ReadHttpBody(HttpPeer* peer, const HttpFraming& framing, const HttpBodySink& sink) {
  switch (framing.kind) {
    case HttpFraming::Kind::kNone:
      return BodyRead::kComplete;
    case HttpFraming::Kind::kLength:
      return ReadBytes(peer, framing.length, sink);
    case HttpFraming::Kind::kUntilClose:
      while (true) {
        const std::string_view b = peer->buffered();
        if (!b.empty()) {
          const bool go_on = sink(b);
          peer->Consume(b.size());
          if (!go_on) return BodyRead::kStopped;
        }
        if (!peer->Fill()) return peer->at_eof() ? BodyRead::kComplete : BodyRead::kBroken;
      }
    case HttpFraming::Kind::kChunked:
      break;
  }
  std::string line;
  while (true) {
    BodyRead r = ReadLine(peer, sink, &line);
    if (r != BodyRead::kComplete) return r;
    const std::optional<uint64_t> size = ChunkSize(line);
    if (!size) return BodyRead::kMalformed;
    if (*size == 0) break;
    r = ReadBytes(peer, *size, sink);
    if (r != BodyRead::kComplete) return r;
    r = ReadLine(peer, sink, &line);  // the CRLF after the chunk's data
    if (r != BodyRead::kComplete) return r;
    if (!line.empty()) return BodyRead::kMalformed;
  }
  // Trailer fields, up to the empty line that ends the body.
  for (int fields = 0;; fields++) {
    const BodyRead r = ReadLine(peer, sink, &line);
    if (r != BodyRead::kComplete) return r;
    if (line.empty()) return BodyRead::kComplete;
    if (fields > 100) return BodyRead::kMalformed;
  }
}

}  // namespace strata::test
