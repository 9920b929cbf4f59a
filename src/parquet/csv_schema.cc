#include "parquet/csv_schema.h"

#include <charconv>
#include <set>

#include "parquet/utf8.h"
#include "parquet/value_parse.h"

namespace strata::parquet {

namespace {

constexpr const char* kTypeList =
    "bool, int8, int16, int32, int64, uint8, uint16, uint32, uint64, float, double, string, "
    "binary, fixed[N], date, timestamp_ms, timestamp_us, timestamp_ns";

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// [+-]digits: text that means an integer, whether or not it fits.
bool LooksLikeInteger(std::string_view s) {
  s = Trim(s);
  if (!s.empty() && (s[0] == '+' || s[0] == '-')) s.remove_prefix(1);
  if (s.empty()) return false;
  for (const char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

}  // namespace

Result<ColumnSpec> ParseColumnType(std::string name, std::string_view type) {
  type = Trim(type);
  bool optional = false;
  if (!type.empty() && type.back() == '?') {
    optional = true;
    type = Trim(type.substr(0, type.size() - 1));
  }
  struct Named {
    std::string_view name;
    ColumnSpec (*make)(std::string, bool);
  };
  static const Named kSimple[] = {
      {"bool", BoolColumn},
      {"int8", [](std::string n, bool o) { return IntColumn(std::move(n), 8, true, o); }},
      {"int16", [](std::string n, bool o) { return IntColumn(std::move(n), 16, true, o); }},
      {"int32", [](std::string n, bool o) { return IntColumn(std::move(n), 32, true, o); }},
      {"int64", [](std::string n, bool o) { return IntColumn(std::move(n), 64, true, o); }},
      {"uint8", [](std::string n, bool o) { return IntColumn(std::move(n), 8, false, o); }},
      {"uint16", [](std::string n, bool o) { return IntColumn(std::move(n), 16, false, o); }},
      {"uint32", [](std::string n, bool o) { return IntColumn(std::move(n), 32, false, o); }},
      {"uint64", [](std::string n, bool o) { return IntColumn(std::move(n), 64, false, o); }},
      {"float", FloatColumn},
      {"double", DoubleColumn},
      {"string", StringColumn},
      {"binary", BinaryColumn},
      {"date", DateColumn},
      {"timestamp_ms",
       [](std::string n, bool o) { return TimestampColumn(std::move(n), TimeUnit::kMillis, o); }},
      {"timestamp_us",
       [](std::string n, bool o) { return TimestampColumn(std::move(n), TimeUnit::kMicros, o); }},
      {"timestamp_ns",
       [](std::string n, bool o) { return TimestampColumn(std::move(n), TimeUnit::kNanos, o); }},
  };
  for (const Named& t : kSimple) {
    if (t.name == type) return t.make(std::move(name), optional);
  }
  // fixed[N]
  constexpr std::string_view kFixed = "fixed[";
  if (type.starts_with(kFixed) && type.ends_with(']')) {
    const std::string_view digits = type.substr(kFixed.size(), type.size() - kFixed.size() - 1);
    int32_t length = 0;
    auto [p, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), length);
    if (ec == std::errc() && p == digits.data() + digits.size() && length > 0) {
      return FixedBinaryColumn(std::move(name), length, optional);
    }
  }
  return Status::InvalidArgument("--schema: column " + name,
                                 "unknown type \"" + std::string(type) + "\" (types: " + kTypeList +
                                     "; a trailing ? makes a column OPTIONAL)");
}

Result<Schema> ParseSchemaText(std::string_view text) {
  std::vector<ColumnSpec> columns;
  std::set<std::string, std::less<>> names;
  size_t index = 0;
  while (true) {
    const size_t comma = text.find(',');
    const std::string_view entry = Trim(text.substr(0, comma));
    index++;
    const size_t colon = entry.rfind(':');
    if (entry.empty() || colon == std::string_view::npos) {
      return Status::InvalidArgument("--schema",
                                     "entry " + std::to_string(index) + " \"" + std::string(entry) +
                                         "\" is not name:type (e.g. \"id:int64,name:string?\")");
    }
    std::string name(Trim(entry.substr(0, colon)));
    if (name.empty()) {
      return Status::InvalidArgument("--schema",
                                     "entry " + std::to_string(index) + " has no column name");
    }
    if (!names.insert(name).second) {
      return Status::InvalidArgument("--schema", "column " + name + " appears twice");
    }
    Result<ColumnSpec> column = ParseColumnType(name, entry.substr(colon + 1));
    if (!column.ok()) return column.status();
    columns.push_back(std::move(*column));
    if (comma == std::string_view::npos) break;
    text.remove_prefix(comma + 1);
  }
  return Schema(std::move(columns));
}

void CsvTypeInference::Observe(size_t column, std::string_view field) {
  if (field.empty()) return;
  Candidates& c = columns_[column];
  c.any_value = true;
  // Each check runs only while its type is still possible, so a column settles quickly on
  // string and then costs only the UTF-8 check per value.
  if (c.utf8 && !IsValidUtf8(field)) c.utf8 = false;
  if (c.can_bool) {
    bool b;
    c.can_bool = ParseBool(field, &b).ok();
  }
  if (c.can_int || c.can_double) {
    int64_t v;
    if (!LooksLikeInteger(field)) {
      c.can_int = false;
    } else if (!ParseInteger(field, 64, true, &v).ok()) {
      // Too large for int64: a double would round it; keep the digits as a string.
      c.can_int = c.can_double = false;
    }
  }
  if (c.can_double) {
    double d;
    c.can_double = ParseDouble(field, &d).ok();
  }
  if (c.can_date || c.can_timestamp) {
    TimestampParts parts;
    if (!ParseTimestampParts(field, &parts).ok()) {
      c.can_date = c.can_timestamp = false;
    } else {
      if (parts.has_time) c.can_date = false;
      int32_t days;
      if (c.can_date && !ParseDate(field, &days).ok()) c.can_date = false;
      c.fraction_digits = std::max(c.fraction_digits, parts.fraction_digits);
      c.min_seconds = std::min(c.min_seconds, parts.seconds);
      c.max_seconds = std::max(c.max_seconds, parts.seconds);
    }
  }
}

ColumnSpec CsvTypeInference::Infer(size_t column, std::string name) const {
  const Candidates& c = columns_[column];
  constexpr bool kOptional = true;
  if (!c.any_value) return StringColumn(std::move(name), kOptional);
  if (c.can_bool) return BoolColumn(std::move(name), kOptional);
  if (c.can_int) return IntColumn(std::move(name), 64, true, kOptional);
  if (c.can_double) return DoubleColumn(std::move(name), kOptional);
  if (c.can_date) return DateColumn(std::move(name), kOptional);
  if (c.can_timestamp) {
    const TimeUnit unit = c.fraction_digits <= 3   ? TimeUnit::kMillis
                          : c.fraction_digits <= 6 ? TimeUnit::kMicros
                                                   : TimeUnit::kNanos;
    // The extreme values must fit the unit (nanoseconds span only 1677..2262); the
    // fraction cannot push a value past the bound checked with one second of margin.
    TimestampParts lo, hi;
    lo.seconds = c.min_seconds - 1;
    hi.seconds = c.max_seconds + 1;
    int64_t v;
    if (TimestampToUnits(lo, unit, "", &v).ok() && TimestampToUnits(hi, unit, "", &v).ok()) {
      return TimestampColumn(std::move(name), unit, kOptional);
    }
  }
  if (!c.utf8) return BinaryColumn(std::move(name), kOptional);
  return StringColumn(std::move(name), kOptional);
}

}  // namespace strata::parquet
