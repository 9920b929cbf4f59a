// The canonical JSON rendering of Parquet values that the interop fixture and the node test
// scripts (tests/interop/lib/canonical.mjs) share. Both sides bring their values to this
// form and compare the text, so the rules must stay identical on both sides:
//
//   null                       SQL NULL
//   true / false               BOOLEAN
//   "-128", "18446744073709551615"
//                              every integer (INT32, INT64, INTEGER(n, signed or not), plain
//                              INT32/INT64) as a decimal string: JSON numbers lose precision
//                              past 2^53, strings never do
//   "19724"                    DATE: days since 1970-01-01, decimal string
//   "1704164645123000000"      TIMESTAMP (any unit): nanoseconds since the epoch, decimal
//                              string, so a millisecond column and a reader that widened it
//                              to microseconds render alike
//   "NaN", "Infinity", "-Infinity", "-0", "1.5", "1e+300"
//                              FLOAT and DOUBLE: the non-finite values and negative zero by
//                              name, others as a decimal that parses back to the same double
//                              (a FLOAT is widened to double first, exactly); the node side
//                              compares with Object.is(Number(a), Number(b)), not as text
//   "héllo"                    STRING: the UTF-8 text
//   "00ff10"                   BYTE_ARRAY without annotation and FIXED_LEN_BYTE_ARRAY: lower
//                              case hex of the bytes
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "parquet/column_batch.h"
#include "parquet/schema.h"

namespace strata::interop {

// Appends s as a JSON string literal (quotes included). Bytes that are not valid UTF-8 are
// rendered as "<invalid utf-8: HEX>", which compares unequal to any real value.
void AppendJsonString(std::string_view s, std::string* out);

std::string Hex(std::string_view bytes);

// The canonical form of a FLOAT or DOUBLE (see above), without quotes.
std::string FloatText(double d);

// The canonical JSON of a column's value at row i (null when the row is null).
void AppendCanonicalValue(const parquet::ColumnSpec& column, const parquet::ColumnVector& values,
                          size_t i, std::string* out);

// A decimal integer rendered as the canonical timestamp in nanoseconds.
std::string TimestampNanos(int64_t value, parquet::TimeUnit unit);

// Small builders for the manifest: each takes and returns JSON text.
std::string JsonString(std::string_view s);
std::string JsonArray(const std::vector<std::string>& items);
std::string JsonObject(const std::vector<std::pair<std::string, std::string>>& fields);

}  // namespace strata::interop
