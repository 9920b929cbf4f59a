// How Strata shows bytes that may not be text (keys above all) in one line, in error
// messages, dumps and tool output alike, so a key reads the same wherever it appears:
//
//   user:42              printable ASCII as it is,
//   a\x00b\x22\x5c        every other byte, '"' and '\' included, as \xNN (lowercase hex),
//   abc...(1000 bytes)   at most max_bytes bytes shown; a cut value says how long it is.
//
// QuoteBytes puts the shown bytes in double quotes ("abc"...(1000 bytes)); EscapeBytes leaves
// them bare, for formats that quote differently (redis-check-rdb's 'value'). The output is
// plain ASCII, so a hostile key can neither break the line nor smuggle terminal escapes into
// a log, and it reads back unambiguously.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace strata {

std::string EscapeBytes(std::string_view bytes, size_t max_bytes = std::string_view::npos);
std::string QuoteBytes(std::string_view bytes, size_t max_bytes = std::string_view::npos);

}  // namespace strata
