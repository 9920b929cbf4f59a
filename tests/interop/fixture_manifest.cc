#include "fixture_manifest.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <optional>
#include <set>

#include "fixture_json.h"

namespace strata::interop {

using parquet::ColumnSpec;
using parquet::ColumnVector;
using parquet::CompressionCodec;
using parquet::Encoding;
using parquet::LogicalKind;
using parquet::TimeUnit;
using parquet::Type;

namespace {

// The annotations the format prescribes for the column (LogicalTypes.md), from the
// fixture's own spec: the converted type (null when there is none) and the logical type.
std::pair<std::string, std::string> Annotations(const ColumnSpec& c) {
  switch (c.logical) {
    case LogicalKind::kString:
      return {JsonString("UTF8"), JsonObject({{"type", JsonString("STRING")}})};
    case LogicalKind::kInteger: {
      const std::string converted = (c.is_signed ? "INT_" : "UINT_") + std::to_string(c.bit_width);
      return {JsonString(converted), JsonObject({{"type", JsonString("INTEGER")},
                                                 {"bit_width", std::to_string(c.bit_width)},
                                                 {"is_signed", c.is_signed ? "true" : "false"}})};
    }
    case LogicalKind::kDate:
      return {JsonString("DATE"), JsonObject({{"type", JsonString("DATE")}})};
    case LogicalKind::kTimestamp: {
      // NANOS has no converted type.
      const std::string converted =
          c.unit == TimeUnit::kNanos ? "null" : JsonString("TIMESTAMP_" + EnumName(c.unit));
      return {converted, JsonObject({{"type", JsonString("TIMESTAMP")},
                                     {"unit", JsonString(EnumName(c.unit))},
                                     {"is_adjusted_to_utc", "true"}})};
    }
    default:
      return {"null", "null"};
  }
}

// The kind the node scripts convert readers' values by.
std::string Kind(const ColumnSpec& c) {
  switch (c.logical) {
    case LogicalKind::kString:
      return "string";
    case LogicalKind::kInteger:
      return c.is_signed ? "int" : "uint";
    case LogicalKind::kDate:
      return "date";
    case LogicalKind::kTimestamp:
      return "timestamp";
    default:
      break;
  }
  switch (c.physical) {
    case Type::kBoolean:
      return "bool";
    case Type::kFloat:
    case Type::kDouble:
      return "float";
    case Type::kByteArray:
    case Type::kFixedLenByteArray:
      return "binary";
    default:
      return "int";
  }
}

int CompareBytes(std::string_view a, std::string_view b) {
  const size_t n = std::min(a.size(), b.size());
  for (size_t i = 0; i < n; i++) {
    const auto x = static_cast<uint8_t>(a[i]);
    const auto y = static_cast<uint8_t>(b[i]);
    if (x != y) return x < y ? -1 : 1;
  }
  return a.size() < b.size() ? -1 : (a.size() > b.size() ? 1 : 0);
}

// The bounds of one column chunk, as canonical JSON, and their exactness.
struct Bounds {
  std::string min = "null";
  std::string max = "null";
  bool min_exact = true;
  bool max_exact = true;
};

// The canonical text of one value held in a one-row vector.
template <typename Fill>
std::string Render(const ColumnSpec& c, Fill fill) {
  ColumnVector v(c.physical, c.type_length);
  fill(&v);
  std::string out;
  AppendCanonicalValue(c, v, 0, &out);
  return out;
}

// Signed or unsigned integer bounds: compares in the column's order, renders the stored bits.
template <typename Stored, typename Ordered>
void IntBounds(const ColumnSpec& c, const ColumnVector& v, size_t begin, size_t end, Bounds* b) {
  std::optional<Stored> lo, hi;
  for (size_t i = begin; i < end; i++) {
    if (!v.IsValid(i)) continue;
    const Stored x = v.Value<Stored>(i);
    if (!lo || static_cast<Ordered>(x) < static_cast<Ordered>(*lo)) lo = x;
    if (!hi || static_cast<Ordered>(x) > static_cast<Ordered>(*hi)) hi = x;
  }
  if (!lo) return;
  auto put = [&](Stored x) {
    return Render(c, [&](ColumnVector* out) {
      if constexpr (sizeof(Stored) == 4) {
        out->AppendInt32(static_cast<int32_t>(x));
      } else {
        out->AppendInt64(static_cast<int64_t>(x));
      }
    });
  };
  b->min = put(*lo);
  b->max = put(*hi);
}

// NaN is never a bound; a zero minimum is -0.0 and a zero maximum +0.0 (the format's rule,
// so readers that order -0.0 before +0.0 still find every zero inside the bounds).
template <typename F>
void FloatBounds(const ColumnVector& v, size_t begin, size_t end, Bounds* b) {
  std::optional<F> lo, hi;
  for (size_t i = begin; i < end; i++) {
    if (!v.IsValid(i)) continue;
    const F x = v.Value<F>(i);
    if (std::isnan(x)) continue;
    if (!lo || x < *lo) lo = x;
    if (!hi || x > *hi) hi = x;
  }
  if (!lo) return;
  if (*lo == 0) lo = F(-0.0);
  if (*hi == 0) hi = F(0.0);
  b->min = "\"" + FloatText(static_cast<double>(*lo)) + "\"";
  b->max = "\"" + FloatText(static_cast<double>(*hi)) + "\"";
}

// Byte arrays: unsigned lexicographic order. Past `truncate` bytes the minimum becomes its
// prefix and the maximum its prefix with the last byte below 0xFF incremented (trailing
// 0xFF bytes dropped), both inexact; a prefix of only 0xFF bytes has no shorter upper bound,
// so that maximum stays whole and exact.
void BytesBounds(const ColumnSpec& c, const ColumnVector& v, size_t begin, size_t end,
                 size_t truncate, Bounds* b) {
  std::optional<std::string_view> lo, hi;
  for (size_t i = begin; i < end; i++) {
    if (!v.IsValid(i)) continue;
    const std::string_view x = v.Bytes(i);
    if (!lo || CompareBytes(x, *lo) < 0) lo = x;
    if (!hi || CompareBytes(x, *hi) > 0) hi = x;
  }
  if (!lo) return;
  std::string min(*lo);
  std::string max(*hi);
  if (truncate > 0 && min.size() > truncate) {
    min.resize(truncate);
    b->min_exact = false;
  }
  if (truncate > 0 && max.size() > truncate) {
    std::string bound = max.substr(0, truncate);
    while (!bound.empty() && static_cast<uint8_t>(bound.back()) == 0xFF) bound.pop_back();
    if (!bound.empty()) {
      bound.back() = static_cast<char>(static_cast<uint8_t>(bound.back()) + 1);
      max = bound;
      b->max_exact = false;
    }
  }
  // FIXED_LEN_BYTE_ARRAY values are never longer than truncate here (16 bytes).
  ColumnSpec as_bytes = c;
  if (c.physical == Type::kFixedLenByteArray) as_bytes.physical = Type::kByteArray;
  b->min = Render(as_bytes, [&](ColumnVector* out) { out->AppendBytes(min); });
  b->max = Render(as_bytes, [&](ColumnVector* out) { out->AppendBytes(max); });
}

Bounds ComputeBounds(const ColumnSpec& c, const ColumnVector& v, size_t begin, size_t end,
                     size_t truncate) {
  Bounds b;
  const bool is_unsigned = c.logical == LogicalKind::kInteger && !c.is_signed;
  switch (c.physical) {
    case Type::kBoolean: {
      bool any = false, any_false = false, any_true = false;
      for (size_t i = begin; i < end; i++) {
        if (!v.IsValid(i)) continue;
        any = true;
        (v.Value<uint8_t>(i) != 0 ? any_true : any_false) = true;
      }
      if (any) {
        b.min = any_false ? "false" : "true";
        b.max = any_true ? "true" : "false";
      }
      break;
    }
    case Type::kInt32:
      if (is_unsigned) {
        IntBounds<int32_t, uint32_t>(c, v, begin, end, &b);
      } else {
        IntBounds<int32_t, int32_t>(c, v, begin, end, &b);
      }
      break;
    case Type::kInt64:
      if (is_unsigned) {
        IntBounds<int64_t, uint64_t>(c, v, begin, end, &b);
      } else {
        IntBounds<int64_t, int64_t>(c, v, begin, end, &b);
      }
      break;
    case Type::kFloat:
      FloatBounds<float>(v, begin, end, &b);
      break;
    case Type::kDouble:
      FloatBounds<double>(v, begin, end, &b);
      break;
    default:
      BytesBounds(c, v, begin, end, truncate, &b);
      break;
  }
  return b;
}

std::string ChunkEntry(const FixtureFile& file, const FixtureColumn& col, const ColumnVector& v,
                       size_t begin, size_t end) {
  const ColumnSpec& c = col.spec;
  int64_t nulls = 0;
  int64_t nans = 0;
  bool any_value_in_first_page = false;
  const size_t first_page_end = std::min(end, begin + file.options.page_rows);
  for (size_t i = begin; i < end; i++) {
    if (!v.IsValid(i)) {
      nulls++;
      continue;
    }
    if (i < first_page_end) any_value_in_first_page = true;
    if (c.physical == Type::kFloat && std::isnan(v.Value<float>(i))) nans++;
    if (c.physical == Type::kDouble && std::isnan(v.Value<double>(i))) nans++;
  }
  const Bounds b = ComputeBounds(c, v, begin, end, file.options.statistics_truncate_length);

  // Encodings. A dictionary is kept when it pays on the chunk's first page: the catalog
  // uses dictionaries only on pool values (few distinct values), where it always does,
  // unless that page holds no value at all. Booleans are never dictionary encoded.
  const bool dictionary =
      col.options.dictionary && c.physical != Type::kBoolean && any_value_in_first_page;
  const bool fallback =
      dictionary && col.mode == ValueMode::kPoolThenUnique && end - begin > kPoolRowsPerGroup;
  std::set<std::string> encodings;
  if (dictionary) {
    encodings.insert("PLAIN");  // the dictionary page
    encodings.insert("RLE_DICTIONARY");
  }
  if (!dictionary || fallback) encodings.insert(EnumName(col.options.encoding));
  if (c.optional) encodings.insert("RLE");  // definition levels
  std::vector<std::string> names;
  for (const std::string& e : encodings) names.push_back(JsonString(e));

  // Pages are cut by row count (page_bytes is huge), except where a full dictionary cuts
  // one early.
  const size_t rows = end - begin;
  const std::string pages =
      fallback ? "null"
               : std::to_string((rows + file.options.page_rows - 1) / file.options.page_rows);
  std::vector<std::pair<std::string, std::string>> fields = {
      {"null_count", std::to_string(nulls)},
      {"min", b.min},
      {"max", b.max},
      {"min_exact", b.min_exact ? "true" : "false"},
      {"max_exact", b.max_exact ? "true" : "false"},
      {"encodings", JsonArray(names)},
      {"dictionary", dictionary ? "true" : "false"},
      {"pages", pages},
  };
  if (c.physical == Type::kFloat || c.physical == Type::kDouble) {
    fields.push_back({"nan_count", std::to_string(nans)});
  }
  return JsonObject(fields);
}

std::string ColumnEntry(const FixtureFile& file, const FixtureColumn& col) {
  const ColumnSpec& c = col.spec;
  const auto [converted, logical] = Annotations(c);
  return JsonObject({
      {"name", JsonString(c.name)},
      {"kind", JsonString(Kind(c))},
      {"physical", JsonString(EnumName(c.physical))},
      {"type_length",
       c.physical == Type::kFixedLenByteArray ? std::to_string(c.type_length) : "null"},
      {"repetition", JsonString(c.optional ? "OPTIONAL" : "REQUIRED")},
      {"converted_type", converted},
      {"logical_type", logical},
      {"bloom_filter", col.options.bloom_filter ? "true" : "false"},
      {"bloom_filter_fpp",
       col.options.bloom_filter ? FloatText(file.options.bloom_filter_fpp) : "null"},
      {"value_mode", JsonString(EnumName(col.mode))},
  });
}

}  // namespace

std::string ManifestEntry(const FixtureFile& file, const parquet::ColumnBatch& values) {
  std::vector<std::string> columns;
  for (const FixtureColumn& col : file.columns) columns.push_back(ColumnEntry(file, col));

  // Row groups are cut at row_group_rows (row_group_bytes is far above these files' sizes).
  std::vector<std::string> row_groups;
  for (size_t begin = 0; begin < file.rows; begin += file.options.row_group_rows) {
    const size_t end = std::min(file.rows, begin + file.options.row_group_rows);
    std::vector<std::string> chunks;
    for (size_t c = 0; c < file.columns.size(); c++) {
      chunks.push_back(ChunkEntry(file, file.columns[c], values.column(c), begin, end));
    }
    row_groups.push_back(JsonObject({{"first_row", std::to_string(begin)},
                                     {"num_rows", std::to_string(end - begin)},
                                     {"columns", JsonArray(chunks)}}));
  }

  std::vector<std::string> kv;
  for (const parquet::KeyValue& e : file.options.key_value_metadata) {
    kv.push_back(JsonObject(
        {{"key", JsonString(e.key)}, {"value", e.value ? JsonString(*e.value) : "null"}}));
  }
  std::vector<std::string> sorting;
  for (const parquet::SortingColumn& s : file.options.sorting_columns) {
    sorting.push_back(JsonObject({{"column_idx", std::to_string(s.column_idx)},
                                  {"descending", s.descending ? "true" : "false"},
                                  {"nulls_first", s.nulls_first ? "true" : "false"}}));
  }
  return JsonObject({
      {"name", JsonString(file.name)},
      {"file", JsonString(file.name + ".parquet")},
      {"expected_rows", JsonString(file.name + ".rows.jsonl")},
      {"purpose", JsonString(file.purpose)},
      {"num_rows", std::to_string(file.rows)},
      {"codec", JsonString(EnumName(file.options.compression))},
      {"data_page_version", std::to_string(file.options.data_page_version)},
      {"page_crc", file.options.page_crc ? "true" : "false"},
      {"key_value_metadata", JsonArray(kv)},
      {"sorting_columns", JsonArray(sorting)},
      {"columns", JsonArray(columns)},
      {"row_groups", JsonArray(row_groups)},
  });
}

}  // namespace strata::interop
