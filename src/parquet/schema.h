// Schema: the columns of a flat Parquet file, as the writer is given them and the reader
// finds them.
//
// A column is a leaf directly under the root: a physical type, an optional logical
// annotation, and REQUIRED or OPTIONAL. Nested groups and REPEATED fields are out of scope;
// the reader refuses files that have them, naming the column.
//
// ToSchemaElements/FromSchemaElements convert to and from the footer's flattened list
// (the root first, then one element per column). Both the LogicalType and the deprecated
// ConvertedType are written, so old and new readers see the same annotation.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "parquet/metadata.h"

namespace strata::parquet {

// The logical annotation of a column, or kNone for a plain physical type.
enum class LogicalKind : uint8_t {
  kNone,
  kString,     // BYTE_ARRAY, UTF-8
  kInteger,    // INT32/INT64 with a bit width (8, 16, 32, 64) and signedness
  kDate,       // INT32, days since 1970-01-01
  kTimestamp,  // INT64, UTC, in `unit` since the epoch
  kOther,      // read from a file: an annotation Strata carries but does not interpret
};

struct ColumnSpec {
  std::string name;
  Type physical = Type::kInt64;
  LogicalKind logical = LogicalKind::kNone;
  int bit_width = 0;                  // kInteger: 8, 16, 32 or 64
  bool is_signed = true;              // kInteger
  TimeUnit unit = TimeUnit::kMillis;  // kTimestamp
  int32_t type_length = 0;            // FIXED_LEN_BYTE_ARRAY only: bytes per value
  bool optional = false;              // OPTIONAL (nullable) or REQUIRED

  // Unsigned integers and byte arrays order their statistics as unsigned values.
  bool UnsignedOrder() const {
    return (logical == LogicalKind::kInteger && !is_signed) || physical == Type::kByteArray ||
           physical == Type::kFixedLenByteArray;
  }
  bool operator==(const ColumnSpec&) const = default;
};

// Shorthands for the common columns.
ColumnSpec BoolColumn(std::string name, bool optional = false);
ColumnSpec IntColumn(std::string name, int bit_width, bool is_signed, bool optional = false);
ColumnSpec FloatColumn(std::string name, bool optional = false);
ColumnSpec DoubleColumn(std::string name, bool optional = false);
ColumnSpec StringColumn(std::string name, bool optional = false);
ColumnSpec BinaryColumn(std::string name, bool optional = false);
ColumnSpec FixedBinaryColumn(std::string name, int32_t length, bool optional = false);
ColumnSpec DateColumn(std::string name, bool optional = false);
ColumnSpec TimestampColumn(std::string name, TimeUnit unit, bool optional = false);

class Schema {
 public:
  Schema() = default;
  explicit Schema(std::vector<ColumnSpec> columns) : columns_(std::move(columns)) {}

  const std::vector<ColumnSpec>& columns() const { return columns_; }
  size_t num_columns() const { return columns_.size(); }
  const ColumnSpec& column(size_t i) const { return columns_[i]; }
  // Index of the column with this name, or -1.
  int IndexOf(std::string_view name) const;

  // InvalidArgument naming the column if a spec is inconsistent (an INTEGER annotation on
  // a BYTE_ARRAY, a bit width that does not fit the physical type, a FIXED_LEN_BYTE_ARRAY
  // without a length, duplicate or empty names).
  Status Validate() const;

  // The footer's schema list: the root ("schema", num_children) then one leaf per column.
  std::vector<SchemaElement> ToSchemaElements() const;
  // The reverse; Corruption or NotSupported naming the element for nested or repeated
  // fields, a missing physical type, or a child count that does not match the list.
  static Result<Schema> FromSchemaElements(const std::vector<SchemaElement>& elements,
                                           std::string_view context);

  // "name: type" per column, e.g. "db: uint64", "key: binary", "expire_at: timestamp_ms?"
  // (a trailing '?' for OPTIONAL); the names strata parquet from-csv --schema accepts.
  static std::string TypeName(const ColumnSpec& column);
  // The parts of TypeName that name an INTEGER or a TIMESTAMP type ("uint16", "timestamp_us";
  // "timestamp" for a unit Parquet does not define), also for messages about such values.
  static std::string IntegerTypeName(int bit_width, bool is_signed);
  static std::string TimestampTypeName(TimeUnit unit);

  bool operator==(const Schema&) const = default;

 private:
  std::vector<ColumnSpec> columns_;
};

}  // namespace strata::parquet
