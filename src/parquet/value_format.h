// Formatting one value of a ColumnVector as text, the way `strata parquet cat` prints it (and
// `inspect` its statistics). value_parse.h reads every kText rendering back to the same value.
//
// kText, for CSV (the caller adds CSV quoting; see AppendCsvField):
//  - null: nothing (an empty CSV field);
//  - bool: true / false;
//  - integers in decimal, unsigned columns as unsigned (a uint64 holding the bits of -1 is
//    18446744073709551615);
//  - float and double: the shortest text that reads back to the same value (std::to_chars),
//    e.g. 0.1, 1e+20, -0; NaN, Infinity and -Infinity as those words;
//  - string: the bytes as they are (UTF-8);
//  - binary and fixed-length binary: printable ASCII bytes as they are, except backslash,
//    ' and "; every other byte as \xHH (two upper-case hex digits), as DuckDB shows BLOBs;
//  - date: YYYY-MM-DD; years outside 0000..9999 with their sign and at least four digits;
//  - timestamp: YYYY-MM-DD HH:MM:SS.fff (ms), .ffffff (us) or .fffffffff (ns), UTC, with
//    trailing zeros kept; INT96 timestamps as nanoseconds;
//  - other annotations (DECIMAL, UUID, ...): as their physical type.
// kJson, one JSON value: null; true / false; integers and finite floats as JSON numbers
// (integers beyond 2^53 too, exactly as in kText: a reader that parses numbers as doubles
// rounds them); NaN, Infinity and -Infinity, dates, timestamps, strings and binary as JSON
// strings holding the kText rendering. Strings that are not well-formed UTF-8 get U+FFFD for
// each bad byte, so the output is always valid JSON.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "parquet/column_batch.h"
#include "parquet/schema.h"

namespace strata::parquet {

enum class ValueStyle : uint8_t { kText, kJson };

// Appends value `row` of `values`, a column described by `column`, to *out.
void AppendValue(const ColumnSpec& column, const ColumnVector& values, size_t row, ValueStyle style,
                 std::string* out);

// A PLAIN-encoded value of the column (as statistics hold them: byte arrays without their
// length prefix) in kText style. Values of the wrong size render as their bytes in hex,
// prefixed "0x", so damaged statistics still show.
std::string FormatPlainValue(const ColumnSpec& column, std::string_view plain);

// The pieces, for callers that format values they hold outside a ColumnVector.
void AppendDate(int64_t days_since_epoch, std::string* out);
void AppendTimestamp(int64_t value, TimeUnit unit, std::string* out);
void AppendDouble(double v, std::string* out);
void AppendFloat(float v, std::string* out);
void AppendEscapedBinary(std::string_view bytes, std::string* out);
// A JSON string literal, quotes included.
void AppendJsonString(std::string_view text, std::string* out);
// text as one CSV field: quoted (with quotes doubled) when it holds the delimiter, a quote,
// CR or LF, or when force_quotes is set (cat quotes empty strings, so they differ from NULL).
void AppendCsvField(std::string_view text, char delimiter, bool force_quotes, std::string* out);

}  // namespace strata::parquet
