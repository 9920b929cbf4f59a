// How the command line shows sizes and times to people.
#pragma once

#include <cstdint>
#include <string>

namespace strata::cli {

// Decimal units, as transfer rates are read: "999 B", "1.50 KB", "2.00 GB".
std::string HumanBytes(double bytes);
// UTC in ISO 8601 to the second: "2026-11-30T16:05:09Z".
std::string UtcIso8601(int64_t unix_seconds);

}  // namespace strata::cli
