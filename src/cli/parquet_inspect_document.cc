#include "parquet_inspect_document.h"

#include <optional>
#include <string>

#include "parquet/codec.h"
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

// Names as parquet.thrift spells them; numbers for values this code does not know (a newer
// writer may use them).
std::string PhysicalTypeName(pq::Type t) {
  switch (t) {
    case pq::Type::kBoolean:
      return "BOOLEAN";
    case pq::Type::kInt32:
      return "INT32";
    case pq::Type::kInt64:
      return "INT64";
    case pq::Type::kInt96:
      return "INT96";
    case pq::Type::kFloat:
      return "FLOAT";
    case pq::Type::kDouble:
      return "DOUBLE";
    case pq::Type::kByteArray:
      return "BYTE_ARRAY";
    case pq::Type::kFixedLenByteArray:
      return "FIXED_LEN_BYTE_ARRAY";
  }
  return "type " + std::to_string(static_cast<int32_t>(t));
}

std::string ConvertedTypeName(pq::ConvertedType t) {
  static const char* const kNames[] = {"UTF8",
                                       "MAP",
                                       "MAP_KEY_VALUE",
                                       "LIST",
                                       "ENUM",
                                       "DECIMAL",
                                       "DATE",
                                       "TIME_MILLIS",
                                       "TIME_MICROS",
                                       "TIMESTAMP_MILLIS",
                                       "TIMESTAMP_MICROS",
                                       "UINT_8",
                                       "UINT_16",
                                       "UINT_32",
                                       "UINT_64",
                                       "INT_8",
                                       "INT_16",
                                       "INT_32",
                                       "INT_64",
                                       "JSON",
                                       "BSON",
                                       "INTERVAL"};
  const auto i = static_cast<int32_t>(t);
  if (i >= 0 && i < static_cast<int32_t>(std::size(kNames))) return kNames[i];
  return "converted type " + std::to_string(i);
}

const char* UnitName(pq::TimeUnit unit) {
  switch (unit) {
    case pq::TimeUnit::kMillis:
      return "MILLIS";
    case pq::TimeUnit::kMicros:
      return "MICROS";
    case pq::TimeUnit::kNanos:
      return "NANOS";
  }
  return "UNKNOWN_UNIT";
}

std::string LogicalTypeText(const pq::LogicalType& l) {
  using Kind = pq::LogicalType::Kind;
  switch (l.kind) {
    case Kind::kString:
      return "STRING";
    case Kind::kMap:
      return "MAP";
    case Kind::kList:
      return "LIST";
    case Kind::kEnum:
      return "ENUM";
    case Kind::kDecimal:
      return "DECIMAL(" + std::to_string(l.precision) + "," + std::to_string(l.scale) + ")";
    case Kind::kDate:
      return "DATE";
    case Kind::kTime:
      return std::string("TIME(") + UnitName(l.unit) + (l.is_adjusted_to_utc ? ",UTC)" : ",local)");
    case Kind::kTimestamp:
      return std::string("TIMESTAMP(") + UnitName(l.unit) +
             (l.is_adjusted_to_utc ? ",UTC)" : ",local)");
    case Kind::kInteger:
      return "INTEGER(" + std::to_string(l.bit_width) + (l.is_signed ? ",signed)" : ",unsigned)");
    case Kind::kNull:
      return "UNKNOWN";
    case Kind::kJson:
      return "JSON";
    case Kind::kBson:
      return "BSON";
    case Kind::kUuid:
      return "UUID";
    case Kind::kFloat16:
      return "FLOAT16";
  }
  return "logical type " + std::to_string(static_cast<int16_t>(l.kind));
}

std::string RepetitionName(pq::FieldRepetitionType r) {
  switch (r) {
    case pq::FieldRepetitionType::kRequired:
      return "REQUIRED";
    case pq::FieldRepetitionType::kOptional:
      return "OPTIONAL";
    case pq::FieldRepetitionType::kRepeated:
      return "REPEATED";
  }
  return "repetition " + std::to_string(static_cast<int32_t>(r));
}

std::string EncodingName(pq::Encoding e) {
  switch (e) {
    case pq::Encoding::kPlain:
      return "PLAIN";
    case pq::Encoding::kPlainDictionary:
      return "PLAIN_DICTIONARY";
    case pq::Encoding::kRle:
      return "RLE";
    case pq::Encoding::kBitPacked:
      return "BIT_PACKED";
    case pq::Encoding::kDeltaBinaryPacked:
      return "DELTA_BINARY_PACKED";
    case pq::Encoding::kDeltaLengthByteArray:
      return "DELTA_LENGTH_BYTE_ARRAY";
    case pq::Encoding::kDeltaByteArray:
      return "DELTA_BYTE_ARRAY";
    case pq::Encoding::kRleDictionary:
      return "RLE_DICTIONARY";
    case pq::Encoding::kByteStreamSplit:
      return "BYTE_STREAM_SPLIT";
  }
  return "encoding " + std::to_string(static_cast<int32_t>(e));
}

std::string PageTypeName(pq::PageType t) {
  switch (t) {
    case pq::PageType::kDataPage:
      return "DATA_PAGE";
    case pq::PageType::kIndexPage:
      return "INDEX_PAGE";
    case pq::PageType::kDictionaryPage:
      return "DICTIONARY_PAGE";
    case pq::PageType::kDataPageV2:
      return "DATA_PAGE_V2";
  }
  return "page type " + std::to_string(static_cast<int32_t>(t));
}

std::string ColumnOrderName(pq::ColumnOrder o) {
  switch (o) {
    case pq::ColumnOrder::kTypeOrder:
      return "TYPE_ORDER";
    case pq::ColumnOrder::kIeee754TotalOrder:
      return "IEEE_754_TOTAL_ORDER";
    case pq::ColumnOrder::kInt96TimestampOrder:
      return "INT96_TIMESTAMP_ORDER";
  }
  return "column order " + std::to_string(static_cast<int16_t>(o));
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
  j["codec"] = pq::CodecName(meta.codec);
  ordered_json encodings = ordered_json::array();
  for (const pq::Encoding e : meta.encodings) encodings.push_back(EncodingName(e));
  j["encodings"] = encodings;
  if (meta.encoding_stats) {
    ordered_json stats = ordered_json::array();
    for (const pq::PageEncodingStats& s : *meta.encoding_stats) {
      stats.push_back({{"page_type", PageTypeName(s.page_type)},
                       {"encoding", EncodingName(s.encoding)},
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
    c["physical_type"] = e.type ? PhysicalTypeName(*e.type) : "none";
    c["logical_type"] =
        e.logical_type ? ordered_json(LogicalTypeText(*e.logical_type)) : ordered_json(nullptr);
    c["converted_type"] = e.converted_type ? ordered_json(ConvertedTypeName(*e.converted_type))
                                           : ordered_json(nullptr);
    c["repetition"] = e.repetition_type ? ordered_json(RepetitionName(*e.repetition_type))
                                        : ordered_json(nullptr);
    c["type_length"] = OrNull(e.type_length);
    if (meta.column_orders && i < meta.column_orders->size()) {
      c["column_order"] = ColumnOrderName((*meta.column_orders)[i]);
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
