// The errors every codec reports, worded alike: each names the codec first.
#pragma once

#include <cstddef>
#include <string_view>

#include "strata/status.h"

namespace strata::codec {

// Corruption "<codec>: <what>": damaged input.
Status CodecCorruption(std::string_view codec, std::string_view what);

// Corruption: the input decoded to `got` bytes where the caller expected `expected`.
Status WrongDecodedSize(std::string_view codec, size_t got, size_t expected);

// InvalidArgument: the caller's output space is below the codec's bound for the input.
Status OutputTooSmall(std::string_view codec, size_t capacity, size_t bound);

// InvalidArgument: the input is larger than the codec (or its size fields) can take.
Status InputTooLarge(std::string_view codec, size_t n);

}  // namespace strata::codec
