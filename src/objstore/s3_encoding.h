// The text encodings S3 requests and responses use: percent-encoding of keys in URLs (the
// SigV4 rules), the form-style decoding of keys in encoding-type=url listings, and base64 for
// Content-MD5.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "base/result.h"

namespace strata::objstore {

// SigV4's URI encoding: every byte except the unreserved A-Z a-z 0-9 '-' '.' '_' '~' becomes
// %XX with uppercase hex; '/' is kept when keep_slash (object keys in a path) and encoded
// otherwise (query names and values). S3 signs the path encoded exactly once this way, so the
// URL sent and the canonical request agree only when keys are encoded by this function.
std::string UriEncode(std::string_view bytes, bool keep_slash);

// Decodes %XX escapes and '+' (a space), as S3 encodes keys in a listing requested with
// encoding-type=url. InvalidArgument for a '%' not followed by two hex digits.
Result<std::string> FormUrlDecode(std::string_view text);

// Standard base64 with '=' padding (RFC 4648 section 4).
std::string Base64Encode(const uint8_t* data, size_t n);

}  // namespace strata::objstore
