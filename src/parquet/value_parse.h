// Parsing text into a column's values: CSV fields for `strata parquet from-csv` and literals
// for `cat --where`. The syntax is what value_format.h prints, so what `cat` shows reads back
// unchanged:
//  - bool: true or false, in any case;
//  - integers: an optional sign and decimal digits, within the range of the declared width
//    and signedness (uint64 up to 18446744073709551615);
//  - float, double: decimal or scientific notation, NaN, Infinity, -Infinity or inf (any
//    case), rounded once to the column's precision;
//  - string: any well-formed UTF-8, as is;
//  - binary: the bytes as they are, except that \xHH (two hex digits) stands for one byte; a
//    backslash not starting such an escape is an error, so a literal backslash is \x5C;
//  - date: [-]YYYY-MM-DD (proleptic Gregorian, years of 4 to 7 digits);
//  - timestamp: a date, then optionally ' ' or 'T' and HH:MM:SS with up to 9 fraction digits,
//    then optionally 'Z'. Always UTC; other offsets are refused. A fraction finer than the
//    unit is an error unless the extra digits are zeros.
// Spaces and tabs around a value are ignored for every type but string and binary.
//
// Errors are InvalidArgument whose message quotes the text and names the type, e.g.
// `"300" is out of range for int8 (-128..127)`; callers prefix where the text came from.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "parquet/column_batch.h"
#include "parquet/schema.h"
#include "strata/status.h"

namespace strata::parquet {

// A timestamp split into whole seconds since the epoch (floor) and nanoseconds within the
// second, before it is scaled to a unit.
struct TimestampParts {
  int64_t seconds = 0;
  int32_t nanos = 0;        // 0..999999999
  int fraction_digits = 0;  // as written, trailing zeros included
  bool has_time = false;    // false for a date alone (midnight)
};

Status ParseBool(std::string_view text, bool* out);
// *out holds the value; for uint64 the bit pattern (values above INT64_MAX are negative).
Status ParseInteger(std::string_view text, int bit_width, bool is_signed, int64_t* out);
Status ParseDouble(std::string_view text, double* out);
Status ParseFloat(std::string_view text, float* out);
// Days since 1970-01-01.
Status ParseDate(std::string_view text, int32_t* days);
Status ParseTimestampParts(std::string_view text, TimestampParts* out);
// Scales parts to unit; an error if the value does not fit in int64 or the fraction is finer
// than the unit. `text` is only for the message.
Status TimestampToUnits(const TimestampParts& parts, TimeUnit unit, std::string_view text,
                        int64_t* out);
Status ParseTimestamp(std::string_view text, TimeUnit unit, int64_t* out);
Status ParseBinary(std::string_view text, std::string* out);

// Appends the value text denotes to out, which must hold column's physical type. Never
// appends a null: callers decide which texts are nulls. NotSupported for columns Strata
// cannot write (INT96, annotations it does not interpret).
Status AppendParsedValue(const ColumnSpec& column, std::string_view text, ColumnVector* out);

// Days since 1970-01-01 of a proleptic Gregorian date (month 1..12, day 1..31).
int64_t DaysFromCivil(int64_t year, int month, int day);

}  // namespace strata::parquet
