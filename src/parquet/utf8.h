// UTF-8 validation, shared by the CSV importer (STRING columns must hold UTF-8) and the value
// formatter (JSON output must be valid UTF-8 whatever a file holds).
#pragma once

#include <cstddef>
#include <string_view>

namespace strata::parquet {

// Length (1-4) of the well-formed UTF-8 sequence at the start of s, or 0 if s does not start
// with one. Well-formed as the Unicode standard defines it: shortest form only, no surrogate
// code points, nothing above U+10FFFF.
size_t Utf8SequenceLength(std::string_view s);

// Whether all of s is well-formed UTF-8.
bool IsValidUtf8(std::string_view s);

}  // namespace strata::parquet
