#include "parquet_inspect_document.h"

#include <optional>
#include <string>

#include "parquet/metadata.h"
#include "parquet/value_format.h"

namespace strata::cli {

namespace {

using nlohmann::ordered_json;
namespace pq = parquet;

// An optional footer field: its value, or JSON null when the file does not set it.
template <typename T>
ordered_json OrNull(const std::optional<T>& v) {
  return v ? ordered_json(*v) : ordered_json(nullptr);
}

// Names as parquet.thrift spells them (the tables beside the enums in parquet/metadata.h); a
// value this code does not know, which a newer writer may use, prints as "<what> <number>".
template <typename E>
std::string NameOr(E value, const char* what) {
  if (const auto name = FindEnumName(value)) return std::string(*name);
  return std::string(what) + " " + EnumName(value);
}

std::string LogicalTypeText(const pq::LogicalType& l) {
  using Kind = pq::LogicalType::Kind;
  const std::string name = NameOr(l.kind, "logical type");
  const std::string unit(FindEnumName(l.unit).value_or("UNKNOWN_UNIT"));
  switch (l.kind) {
    case Kind::kDecimal:
      return name + "(" + std::to_string(l.precision) + "," + std::to_string(l.scale) + ")";
    case Kind::kTime:
    case Kind::kTimestamp:
      return name + "(" + unit + (l.is_adjusted_to_utc ? ",UTC)" : ",local)");
    case Kind::kInteger:
      return name + "(" + std::to_string(l.bit_width) + (l.is_signed ? ",signed)" : ",unsigned)");
    default:
      return name;
  }
}

ordered_json StatisticsJson(const pq::ColumnSpec& column, const pq::Statistics& s) {
  ordered_json j;
  j["null_count"] = OrNull(s.null_count);
  j["nan_count"] = OrNull(s.nan_count);
  j["distinct_count"] = OrNull(s.distinct_count);
  // The deprecated fields were written in signed order only; show them when nothing better is
  // there, and say where they came from.
  const bool deprecated = !s.min_value && !s.max_value && (s.min || s.max);
  const std::optional<std::string>& min = deprecated ? s.min : s.min_value;
  const std::optional<std::string>& max = deprecated ? s.max : s.max_value;
  j["min"] = min ? ordered_json(pq::FormatPlainValue(column, *min)) : ordered_json(nullptr);
  j["max"] = max ? ordered_json(pq::FormatPlainValue(column, *max)) : ordered_json(nullptr);
  j["min_exact"] = OrNull(s.is_min_value_exact);
  j["max_exact"] = OrNull(s.is_max_value_exact);
  j["deprecated_min_max"] = deprecated;
  return j;
}

ordered_json ColumnChunkJson(const pq::ColumnSpec& column, const pq::ColumnChunk& chunk) {
  ordered_json j;
  j["name"] = column.name;
  // Open() checked that every chunk has its metadata; a missing one still renders.
  const pq::ColumnMetaData meta = chunk.meta_data.value_or(pq::ColumnMetaData());
  j["codec"] = EnumName(meta.codec);
  ordered_json encodings = ordered_json::array();
  for (const pq::Encoding e : meta.encodings) encodings.push_back(NameOr(e, "encoding"));
  j["encodings"] = encodings;
  if (meta.encoding_stats) {
    ordered_json stats = ordered_json::array();
    for (const pq::PageEncodingStats& s : *meta.encoding_stats) {
      stats.push_back({{"page_type", NameOr(s.page_type, "page type")},
                       {"encoding", NameOr(s.encoding, "encoding")},
                       {"count", s.count}});
    }
    j["encoding_stats"] = stats;
  } else {
    j["encoding_stats"] = nullptr;
  }
  j["num_values"] = meta.num_values;
  j["total_compressed_size"] = meta.total_compressed_size;
  j["total_uncompressed_size"] = meta.total_uncompressed_size;
  j["data_page_offset"] = meta.data_page_offset;
  j["dictionary_page_offset"] = OrNull(meta.dictionary_page_offset);
  j["index_page_offset"] = OrNull(meta.index_page_offset);
  j["statistics"] =
      meta.statistics ? StatisticsJson(column, *meta.statistics) : ordered_json(nullptr);
  j["bloom_filter_offset"] = OrNull(meta.bloom_filter_offset);
  j["bloom_filter_length"] = OrNull(meta.bloom_filter_length);
  j["column_index_offset"] = OrNull(chunk.column_index_offset);
  j["column_index_length"] = OrNull(chunk.column_index_length);
  j["offset_index_offset"] = OrNull(chunk.offset_index_offset);
  j["offset_index_length"] = OrNull(chunk.offset_index_length);
  return j;
}

}  // namespace

ordered_json InspectDocument(const pq::ParquetReader& reader) {
  const pq::FileMetaData& meta = reader.metadata();
  const pq::Schema& schema = reader.schema();
  ordered_json doc;
  doc["file"] = reader.name();
  doc["file_size"] = reader.file_size();
  doc["footer_length"] = reader.footer_length();
  doc["created_by"] = OrNull(meta.created_by);
  doc["version"] = meta.version;
  doc["num_rows"] = meta.num_rows;
  doc["num_row_groups"] = meta.row_groups.size();
  if (meta.key_value_metadata) {
    ordered_json kvs = ordered_json::array();
    for (const pq::KeyValue& kv : *meta.key_value_metadata) {
      kvs.push_back({{"key", kv.key}, {"value", OrNull(kv.value)}});
    }
    doc["key_value_metadata"] = kvs;
  } else {
    doc["key_value_metadata"] = nullptr;
  }

  ordered_json columns = ordered_json::array();
  // The footer's list: the root, then one leaf per column (Open refuses anything else).
  for (size_t i = 0; i < schema.num_columns(); i++) {
    const pq::SchemaElement& e = meta.schema[i + 1];
    ordered_json c;
    c["index"] = i;
    c["name"] = e.name;
    c["type"] = pq::Schema::TypeName(schema.column(i));
    c["physical_type"] = e.type ? NameOr(*e.type, "type") : "none";
    c["logical_type"] =
        e.logical_type ? ordered_json(LogicalTypeText(*e.logical_type)) : ordered_json(nullptr);
    c["converted_type"] = e.converted_type
                              ? ordered_json(NameOr(*e.converted_type, "converted type"))
                              : ordered_json(nullptr);
    c["repetition"] = e.repetition_type ? ordered_json(NameOr(*e.repetition_type, "repetition"))
                                        : ordered_json(nullptr);
    c["type_length"] = OrNull(e.type_length);
    if (meta.column_orders && i < meta.column_orders->size()) {
      c["column_order"] = NameOr((*meta.column_orders)[i], "column order");
    } else {
      c["column_order"] = nullptr;
    }
    columns.push_back(std::move(c));
  }
  doc["columns"] = columns;

  ordered_json groups = ordered_json::array();
  for (size_t g = 0; g < meta.row_groups.size(); g++) {
    const pq::RowGroup& rg = meta.row_groups[g];
    ordered_json j;
    j["index"] = g;
    j["num_rows"] = rg.num_rows;
    j["total_byte_size"] = rg.total_byte_size;
    j["total_compressed_size"] = OrNull(rg.total_compressed_size);
    j["file_offset"] = OrNull(rg.file_offset);
    j["ordinal"] = OrNull(rg.ordinal);
    if (rg.sorting_columns) {
      ordered_json sorting = ordered_json::array();
      for (const pq::SortingColumn& sc : *rg.sorting_columns) {
        const bool known =
            sc.column_idx >= 0 && static_cast<size_t>(sc.column_idx) < schema.num_columns();
        sorting.push_back({{"column_idx", sc.column_idx},
                           {"column", known ? ordered_json(schema.column(sc.column_idx).name)
                                            : ordered_json(nullptr)},
                           {"descending", sc.descending},
                           {"nulls_first", sc.nulls_first}});
      }
      j["sorting_columns"] = sorting;
    } else {
      j["sorting_columns"] = nullptr;
    }
    ordered_json chunks = ordered_json::array();
    for (size_t c = 0; c < rg.columns.size() && c < schema.num_columns(); c++) {
      chunks.push_back(ColumnChunkJson(schema.column(c), rg.columns[c]));
    }
    j["columns"] = chunks;
    groups.push_back(std::move(j));
  }
  doc["row_groups"] = groups;
  return doc;
}

}  // namespace strata::cli
