// The column types of a CSV import: parsed from a --schema text, or inferred from the values.
//
// Schema text: "name:type,name:type?,..." — a trailing '?' makes the column OPTIONAL
// (nullable), without it the column is REQUIRED: the notation Schema::TypeName prints, so
// `strata parquet inspect` output can be pasted back. Types: bool, int8, int16, int32,
// int64, uint8, uint16, uint32, uint64, float, double, string, binary, fixed[N] (N bytes),
// date, timestamp_ms, timestamp_us, timestamp_ns. Spaces around names and types are ignored;
// a name ends at its last ':', so names may hold ':' but not ','.
//
// Inference looks at every non-empty field of a column (empty ones say nothing: they become
// NULLs) and picks the first type all of them parse as (value_parse.h), in this order:
//   bool (true/false), int64, double, date, timestamp, string.
// A timestamp column gets the unit its longest fraction needs (up to 3 digits: ms, up to 6:
// us, else ns), so every value and its trailing zeros survive. Integers too large for int64
// make the column a string rather than a double that would silently round them. A column of
// bytes that are not well-formed UTF-8 becomes binary, and one with no value at all string.
// Inferred columns are always OPTIONAL.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "parquet/schema.h"

namespace strata::parquet {

// InvalidArgument "--schema: ..." naming the entry for an unknown type, a missing name or
// type, or a name given twice.
Result<Schema> ParseSchemaText(std::string_view text);

// One type name of the schema text ("int8", "timestamp_ms?", ...) as a column called name.
Result<ColumnSpec> ParseColumnType(std::string name, std::string_view type);

// Watches the values of every column of a CSV file, then names each column's type.
class CsvTypeInference {
 public:
  explicit CsvTypeInference(size_t num_columns) : columns_(num_columns) {}

  // Takes one field of a column; empty fields are ignored.
  void Observe(size_t column, std::string_view field);
  // The inferred type of a column, named name.
  ColumnSpec Infer(size_t column, std::string name) const;

 private:
  // What the fields seen so far might all be. Each flag only ever turns false.
  struct Candidates {
    bool any_value = false;
    bool can_bool = true;
    bool can_int = true;
    bool can_double = true;
    bool can_date = true;
    bool can_timestamp = true;
    bool utf8 = true;
    int fraction_digits = 0;  // the most any timestamp had
    int64_t min_seconds = INT64_MAX;
    int64_t max_seconds = INT64_MIN;
  };
  std::vector<Candidates> columns_;
};

}  // namespace strata::parquet
