#include "byte_size.h"

#include <charconv>

namespace strata::cli {

std::optional<uint64_t> ParseByteSize(std::string_view text) {
  uint64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end == text.data()) return std::nullopt;
  std::string_view unit = text.substr(static_cast<size_t>(end - text.data()));
  int shift = 0;
  if (!unit.empty()) {
    switch (unit.front() | 0x20) {  // lower case
      case 'k':
        shift = 10;
        break;
      case 'm':
        shift = 20;
        break;
      case 'g':
        shift = 30;
        break;
      case 't':
        shift = 40;
        break;
      default:
        break;
    }
    if (shift != 0) unit.remove_prefix(1);
  }
  const bool unit_ok = unit.empty() || unit == "B" || (shift != 0 && unit == "iB");
  if (!unit_ok) return std::nullopt;
  if (shift > 0 && value > (UINT64_MAX >> shift)) return std::nullopt;
  return value << shift;
}

}  // namespace strata::cli
