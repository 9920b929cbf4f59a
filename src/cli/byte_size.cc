#include "byte_size.h"

#include <cctype>
#include <string_view>

namespace strata::cli {

Result<uint64_t> ParseByteSize(const std::string& text) {
  const Status bad = Status::InvalidArgument("not a size (e.g. 64M, 8MiB, 1G)", text);
  size_t digits = 0;
  while (digits < text.size() && text[digits] >= '0' && text[digits] <= '9') digits++;
  if (digits == 0 || digits > 15) return bad;
  uint64_t value = std::stoull(text.substr(0, digits));
  // The unit, case aside: "", "b", or k/m/g/t alone or followed by "b" or "ib".
  std::string unit;
  for (char c : text.substr(digits)) {
    unit += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  if (unit.empty() || unit == "b") return value;
  const size_t power = std::string_view("kmgt").find(unit[0]);
  const std::string rest = unit.substr(1);
  if (power == std::string_view::npos || !(rest.empty() || rest == "b" || rest == "ib")) {
    return bad;
  }
  for (size_t i = 0; i <= power; i++) {
    if (value > (UINT64_MAX >> 10)) return Status::InvalidArgument("size too large", text);
    value *= 1024;
  }
  return value;
}

}  // namespace strata::cli
