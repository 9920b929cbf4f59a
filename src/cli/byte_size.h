// Byte sizes on the command line: "4096", "64K", "64M", "8MiB", "2G", "1T"; K, M, G, T are
// powers of 1024, case aside, alone or followed by "B" or "iB".
#pragma once

#include <cstdint>
#include <string>

#include "base/result.h"

namespace strata::cli {

// InvalidArgument naming the text for anything else, and for sizes of 2^64 or more.
Result<uint64_t> ParseByteSize(const std::string& text);

}  // namespace strata::cli
