// The two date formats of S3 responses, as milliseconds since the epoch (UTC):
//   Last-Modified and Date headers   RFC 1123 (RFC 9110's IMF-fixdate): "Wed, 21 Oct 2015 07:28:00
//   GMT" LastModified in listings         ISO 8601: "2015-10-21T07:28:00.000Z"
#pragma once

#include <cstdint>
#include <string_view>

#include "base/result.h"

namespace strata::objstore {

// InvalidArgument, quoting the text, when it is not such a date.
Result<int64_t> ParseHttpDate(std::string_view text);
Result<int64_t> ParseIso8601(std::string_view text);

}  // namespace strata::objstore
