#include "base/escape.h"

#include <algorithm>

namespace strata {

namespace {

void AppendEscaped(std::string_view bytes, std::string* out) {
  static constexpr char kHex[] = "0123456789abcdef";
  for (const char ch : bytes) {
    const auto c = static_cast<unsigned char>(ch);
    if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
      out->push_back(static_cast<char>(c));
    } else {
      *out += "\\x";
      out->push_back(kHex[c >> 4]);
      out->push_back(kHex[c & 0xf]);
    }
  }
}

std::string CutMarker(std::string_view bytes, size_t shown) {
  return shown < bytes.size() ? "...(" + std::to_string(bytes.size()) + " bytes)" : "";
}

}  // namespace

std::string EscapeBytes(std::string_view bytes, size_t max_bytes) {
  const size_t shown = std::min(bytes.size(), max_bytes);
  std::string out;
  out.reserve(shown);
  AppendEscaped(bytes.substr(0, shown), &out);
  return out + CutMarker(bytes, shown);
}

std::string QuoteBytes(std::string_view bytes, size_t max_bytes) {
  const size_t shown = std::min(bytes.size(), max_bytes);
  std::string out = "\"";
  out.reserve(shown + 2);
  AppendEscaped(bytes.substr(0, shown), &out);
  out.push_back('"');
  return out + CutMarker(bytes, shown);
}

}  // namespace strata
