// Byte sizes on the command line: "4096", "64K", "64M", "2G", "1T" (powers of 1024; "KiB",
// "MB" and "MiB" spellings too, all binary).
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace strata::cli {

// nullopt for anything else, and for sizes beyond 2^64.
std::optional<uint64_t> ParseByteSize(std::string_view text);

}  // namespace strata::cli
