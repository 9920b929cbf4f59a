// Parquet's metadata structures, as parquet.thrift defines them, for a flat-schema writer and
// reader, with their Thrift compact encoding.
//
// Field comments give the Thrift field id. Required fields are plain members; optional ones
// are std::optional, so a reader sees exactly what the file held (e.g. "null_count absent"
// is not "null_count 0"). Fields Strata does not model (encryption, size and geospatial
// statistics, level histograms) are skipped when read and never written.
//
// Five structures are whole messages in a file, and only they have Serialize/Deserialize:
// FileMetaData (the footer), PageHeader (before each page), ColumnIndex and OffsetIndex (the
// page index) and BloomFilterHeader (before each bloom filter's bitset).
//
// Enums are `enum class` over int32_t, the wire type of Thrift enums. A reader keeps values
// the enum does not name (a newer writer may use them); consumers must treat such values as
// unsupported, not as corruption. Each enum's names, as parquet.thrift spells them, are its
// EnumNameTable (base/enum_names.h): EnumName prints them, and a value without a name prints
// as its number. Unions whose members are all empty are stored as the
// member's field id, with the same rule for ids this code does not know.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/enum_names.h"
#include "strata/slice.h"
#include "strata/status.h"

namespace strata::parquet {

// Physical types.
enum class Type : int32_t {
  kBoolean = 0,
  kInt32 = 1,
  kInt64 = 2,
  kInt96 = 3,  // deprecated
  kFloat = 4,
  kDouble = 5,
  kByteArray = 6,
  kFixedLenByteArray = 7,
};

// Bytes one value of the type takes: in PLAIN encoding, and in a ColumnVector, which also
// gives BOOLEAN a whole byte per value where PLAIN packs bits. type_length is the width of a
// FIXED_LEN_BYTE_ARRAY. 0 for BYTE_ARRAY (its values vary in length) and for types this code
// does not know.
constexpr size_t FixedWidth(Type physical, int32_t type_length) {
  switch (physical) {
    case Type::kBoolean:
      return 1;
    case Type::kInt32:
    case Type::kFloat:
      return 4;
    case Type::kInt64:
    case Type::kDouble:
      return 8;
    case Type::kInt96:
      return 12;
    case Type::kFixedLenByteArray:
      return static_cast<size_t>(type_length);
    case Type::kByteArray:
      return 0;
  }
  return 0;
}

constexpr auto EnumNameTable(Type) {
  return std::to_array<EnumNameEntry<Type>>({
      {Type::kBoolean, "BOOLEAN"},
      {Type::kInt32, "INT32"},
      {Type::kInt64, "INT64"},
      {Type::kInt96, "INT96"},
      {Type::kFloat, "FLOAT"},
      {Type::kDouble, "DOUBLE"},
      {Type::kByteArray, "BYTE_ARRAY"},
      {Type::kFixedLenByteArray, "FIXED_LEN_BYTE_ARRAY"},
  });
}

// The deprecated annotations LogicalType replaced; writers still set them for old readers.
enum class ConvertedType : int32_t {
  kUtf8 = 0,
  kMap = 1,
  kMapKeyValue = 2,
  kList = 3,
  kEnum = 4,
  kDecimal = 5,
  kDate = 6,
  kTimeMillis = 7,
  kTimeMicros = 8,
  kTimestampMillis = 9,
  kTimestampMicros = 10,
  kUint8 = 11,
  kUint16 = 12,
  kUint32 = 13,
  kUint64 = 14,
  kInt8 = 15,
  kInt16 = 16,
  kInt32 = 17,
  kInt64 = 18,
  kJson = 19,
  kBson = 20,
  kInterval = 21,
};

constexpr auto EnumNameTable(ConvertedType) {
  return std::to_array<EnumNameEntry<ConvertedType>>({
      {ConvertedType::kUtf8, "UTF8"},
      {ConvertedType::kMap, "MAP"},
      {ConvertedType::kMapKeyValue, "MAP_KEY_VALUE"},
      {ConvertedType::kList, "LIST"},
      {ConvertedType::kEnum, "ENUM"},
      {ConvertedType::kDecimal, "DECIMAL"},
      {ConvertedType::kDate, "DATE"},
      {ConvertedType::kTimeMillis, "TIME_MILLIS"},
      {ConvertedType::kTimeMicros, "TIME_MICROS"},
      {ConvertedType::kTimestampMillis, "TIMESTAMP_MILLIS"},
      {ConvertedType::kTimestampMicros, "TIMESTAMP_MICROS"},
      {ConvertedType::kUint8, "UINT_8"},
      {ConvertedType::kUint16, "UINT_16"},
      {ConvertedType::kUint32, "UINT_32"},
      {ConvertedType::kUint64, "UINT_64"},
      {ConvertedType::kInt8, "INT_8"},
      {ConvertedType::kInt16, "INT_16"},
      {ConvertedType::kInt32, "INT_32"},
      {ConvertedType::kInt64, "INT_64"},
      {ConvertedType::kJson, "JSON"},
      {ConvertedType::kBson, "BSON"},
      {ConvertedType::kInterval, "INTERVAL"},
  });
}

enum class FieldRepetitionType : int32_t {
  kRequired = 0,
  kOptional = 1,
  kRepeated = 2,
};

constexpr auto EnumNameTable(FieldRepetitionType) {
  return std::to_array<EnumNameEntry<FieldRepetitionType>>({
      {FieldRepetitionType::kRequired, "REQUIRED"},
      {FieldRepetitionType::kOptional, "OPTIONAL"},
      {FieldRepetitionType::kRepeated, "REPEATED"},
  });
}

enum class Encoding : int32_t {
  kPlain = 0,
  // 1 was GROUP_VAR_INT, never used.
  kPlainDictionary = 2,  // deprecated: RLE_DICTIONARY in data pages, PLAIN in dictionary pages
  kRle = 3,
  kBitPacked = 4,  // deprecated
  kDeltaBinaryPacked = 5,
  kDeltaLengthByteArray = 6,
  kDeltaByteArray = 7,
  kRleDictionary = 8,
  kByteStreamSplit = 9,
};

constexpr auto EnumNameTable(Encoding) {
  return std::to_array<EnumNameEntry<Encoding>>({
      {Encoding::kPlain, "PLAIN"},
      {Encoding::kPlainDictionary, "PLAIN_DICTIONARY"},
      {Encoding::kRle, "RLE"},
      {Encoding::kBitPacked, "BIT_PACKED"},
      {Encoding::kDeltaBinaryPacked, "DELTA_BINARY_PACKED"},
      {Encoding::kDeltaLengthByteArray, "DELTA_LENGTH_BYTE_ARRAY"},
      {Encoding::kDeltaByteArray, "DELTA_BYTE_ARRAY"},
      {Encoding::kRleDictionary, "RLE_DICTIONARY"},
      {Encoding::kByteStreamSplit, "BYTE_STREAM_SPLIT"},
  });
}

enum class CompressionCodec : int32_t {
  kUncompressed = 0,
  kSnappy = 1,
  kGzip = 2,
  kLzo = 3,
  kBrotli = 4,
  kLz4 = 5,  // deprecated (Hadoop framing); LZ4_RAW is the plain block format
  kZstd = 6,
  kLz4Raw = 7,
};

// With the aliases the command line takes: "none" for UNCOMPRESSED, and "lz4" for LZ4_RAW.
// The alias comes before the deprecated LZ4's own entry, so parsing "lz4" in any case gives
// LZ4_RAW (ParseEnum takes the first match), while LZ4 still prints as "LZ4".
constexpr auto EnumNameTable(CompressionCodec) {
  return std::to_array<EnumNameEntry<CompressionCodec>>({
      {CompressionCodec::kUncompressed, "UNCOMPRESSED"},
      {CompressionCodec::kUncompressed, "none"},
      {CompressionCodec::kSnappy, "SNAPPY"},
      {CompressionCodec::kGzip, "GZIP"},
      {CompressionCodec::kLzo, "LZO"},
      {CompressionCodec::kBrotli, "BROTLI"},
      {CompressionCodec::kZstd, "ZSTD"},
      {CompressionCodec::kLz4Raw, "LZ4_RAW"},
      {CompressionCodec::kLz4Raw, "lz4"},
      {CompressionCodec::kLz4, "LZ4"},
  });
}

enum class PageType : int32_t {
  kDataPage = 0,
  kIndexPage = 1,
  kDictionaryPage = 2,
  kDataPageV2 = 3,
};

constexpr auto EnumNameTable(PageType) {
  return std::to_array<EnumNameEntry<PageType>>({
      {PageType::kDataPage, "DATA_PAGE"},
      {PageType::kIndexPage, "INDEX_PAGE"},
      {PageType::kDictionaryPage, "DICTIONARY_PAGE"},
      {PageType::kDataPageV2, "DATA_PAGE_V2"},
  });
}

enum class BoundaryOrder : int32_t {
  kUnordered = 0,
  kAscending = 1,
  kDescending = 2,
};

// Statistics of a page or a column chunk. Values are PLAIN-encoded, without the length
// prefix for BYTE_ARRAY.
struct Statistics {
  std::optional<std::string> max;          // 1, deprecated: signed comparison only
  std::optional<std::string> min;          // 2, deprecated
  std::optional<int64_t> null_count;       // 3
  std::optional<int64_t> distinct_count;   // 4
  std::optional<std::string> max_value;    // 5, in the column's ColumnOrder
  std::optional<std::string> min_value;    // 6
  std::optional<bool> is_max_value_exact;  // 7
  std::optional<bool> is_min_value_exact;  // 8
  std::optional<int64_t> nan_count;        // 9, FLOAT/DOUBLE/FLOAT16 only

  bool operator==(const Statistics&) const = default;
};

// The TimeUnit union: its member's field id (each member is an empty struct).
enum class TimeUnit : int16_t {
  kMillis = 1,
  kMicros = 2,
  kNanos = 3,
};

constexpr auto EnumNameTable(TimeUnit) {
  return std::to_array<EnumNameEntry<TimeUnit>>({
      {TimeUnit::kMillis, "MILLIS"},
      {TimeUnit::kMicros, "MICROS"},
      {TimeUnit::kNanos, "NANOS"},
  });
}

// The LogicalType union. `kind` is the field id of the member that is set; only the members
// with parameters use the fields below it (DECIMAL: scale and precision; TIME and TIMESTAMP:
// is_adjusted_to_utc and unit; INTEGER: bit_width and is_signed), and the others stay at
// their defaults. A member this code does not know keeps its id and loses its contents; a
// union with no member set reads as kind 0.
struct LogicalType {
  enum class Kind : int16_t {
    kString = 1,
    kMap = 2,
    kList = 3,
    kEnum = 4,
    kDecimal = 5,
    kDate = 6,
    kTime = 7,
    kTimestamp = 8,
    // 9 is reserved for INTERVAL.
    kInteger = 10,
    kNull = 11,  // UNKNOWN in parquet.thrift (NullType): a column that is always null
    kJson = 12,
    kBson = 13,
    kUuid = 14,
    kFloat16 = 15,
  };

  Kind kind = Kind::kString;
  int32_t scale = 0;                  // DECIMAL field 1
  int32_t precision = 0;              // DECIMAL field 2
  bool is_adjusted_to_utc = false;    // TIME/TIMESTAMP field 1
  TimeUnit unit = TimeUnit::kMillis;  // TIME/TIMESTAMP field 2
  int8_t bit_width = 0;               // INTEGER field 1: 8, 16, 32 or 64
  bool is_signed = false;             // INTEGER field 2

  bool operator==(const LogicalType&) const = default;
};

// Found by argument-dependent lookup through LogicalType, which Kind is a member of.
constexpr auto EnumNameTable(LogicalType::Kind) {
  using Kind = LogicalType::Kind;
  return std::to_array<EnumNameEntry<Kind>>({
      {Kind::kString, "STRING"},
      {Kind::kMap, "MAP"},
      {Kind::kList, "LIST"},
      {Kind::kEnum, "ENUM"},
      {Kind::kDecimal, "DECIMAL"},
      {Kind::kDate, "DATE"},
      {Kind::kTime, "TIME"},
      {Kind::kTimestamp, "TIMESTAMP"},
      {Kind::kInteger, "INTEGER"},
      {Kind::kNull, "UNKNOWN"},
      {Kind::kJson, "JSON"},
      {Kind::kBson, "BSON"},
      {Kind::kUuid, "UUID"},
      {Kind::kFloat16, "FLOAT16"},
  });
}

// One node of the schema; the schema is a depth-first list of them, the root first.
struct SchemaElement {
  std::optional<Type> type;                            // 1, leaves only
  std::optional<int32_t> type_length;                  // 2, FIXED_LEN_BYTE_ARRAY width
  std::optional<FieldRepetitionType> repetition_type;  // 3, absent on the root
  std::string name;                                    // 4, required
  std::optional<int32_t> num_children;                 // 5, groups only
  std::optional<ConvertedType> converted_type;         // 6
  std::optional<int32_t> scale;                        // 7, DECIMAL
  std::optional<int32_t> precision;                    // 8, DECIMAL
  std::optional<int32_t> field_id;                     // 9
  std::optional<LogicalType> logical_type;             // 10

  bool operator==(const SchemaElement&) const = default;
};

struct DataPageHeader {
  int32_t num_values = 0;                               // 1, nulls included
  Encoding encoding = Encoding::kPlain;                 // 2
  Encoding definition_level_encoding = Encoding::kRle;  // 3
  Encoding repetition_level_encoding = Encoding::kRle;  // 4
  std::optional<Statistics> statistics;                 // 5

  bool operator==(const DataPageHeader&) const = default;
};

struct IndexPageHeader {
  bool operator==(const IndexPageHeader&) const = default;
};

struct DictionaryPageHeader {
  int32_t num_values = 0;                // 1
  Encoding encoding = Encoding::kPlain;  // 2
  std::optional<bool> is_sorted;         // 3

  bool operator==(const DictionaryPageHeader&) const = default;
};

// Levels come first and uncompressed; only the values may be compressed.
struct DataPageHeaderV2 {
  int32_t num_values = 0;                     // 1, nulls included
  int32_t num_nulls = 0;                      // 2
  int32_t num_rows = 0;                       // 3
  Encoding encoding = Encoding::kPlain;       // 4
  int32_t definition_levels_byte_length = 0;  // 5
  int32_t repetition_levels_byte_length = 0;  // 6
  std::optional<bool> is_compressed;          // 7, absent means true
  std::optional<Statistics> statistics;       // 8

  bool compressed() const { return is_compressed.value_or(true); }
  bool operator==(const DataPageHeaderV2&) const = default;
};

// The header before every page. Exactly one of the *_header members matches `type`; the
// structure itself does not enforce that (a reader checks it when it uses the page).
struct PageHeader {
  PageType type = PageType::kDataPage;                         // 1
  int32_t uncompressed_page_size = 0;                          // 2, header excluded
  int32_t compressed_page_size = 0;                            // 3, header excluded
  std::optional<int32_t> crc;                                  // 4, CRC-32 of the page bytes
  std::optional<DataPageHeader> data_page_header;              // 5
  std::optional<IndexPageHeader> index_page_header;            // 6
  std::optional<DictionaryPageHeader> dictionary_page_header;  // 7
  std::optional<DataPageHeaderV2> data_page_header_v2;         // 8

  // Appends the compact encoding to *dst.
  void Serialize(std::string* dst) const;
  // Decodes one PageHeader from the front of input, which may continue past it (with the
  // page itself). *consumed, if given, receives the header's length. Errors are Corruption
  // "<context>: <what> at byte <base_offset + offset>"; on error *this is unchanged.
  Status Deserialize(Slice input, std::string_view context, uint64_t base_offset,
                     size_t* consumed = nullptr);

  bool operator==(const PageHeader&) const = default;
};

struct KeyValue {
  std::string key;                   // 1, required
  std::optional<std::string> value;  // 2

  bool operator==(const KeyValue&) const = default;
};

struct SortingColumn {
  int32_t column_idx = 0;    // 1
  bool descending = false;   // 2
  bool nulls_first = false;  // 3

  bool operator==(const SortingColumn&) const = default;
};

struct PageEncodingStats {
  PageType page_type = PageType::kDataPage;  // 1
  Encoding encoding = Encoding::kPlain;      // 2
  int32_t count = 0;                         // 3

  bool operator==(const PageEncodingStats&) const = default;
};

struct ColumnMetaData {
  Type type = Type::kBoolean;                                    // 1
  std::vector<Encoding> encodings;                               // 2
  std::vector<std::string> path_in_schema;                       // 3
  CompressionCodec codec = CompressionCodec::kUncompressed;      // 4
  int64_t num_values = 0;                                        // 5
  int64_t total_uncompressed_size = 0;                           // 6, page headers included
  int64_t total_compressed_size = 0;                             // 7, page headers included
  std::optional<std::vector<KeyValue>> key_value_metadata;       // 8
  int64_t data_page_offset = 0;                                  // 9
  std::optional<int64_t> index_page_offset;                      // 10
  std::optional<int64_t> dictionary_page_offset;                 // 11
  std::optional<Statistics> statistics;                          // 12
  std::optional<std::vector<PageEncodingStats>> encoding_stats;  // 13
  std::optional<int64_t> bloom_filter_offset;                    // 14
  std::optional<int32_t> bloom_filter_length;                    // 15, header included
  // 16 size_statistics and 17 geospatial_statistics are skipped.

  bool operator==(const ColumnMetaData&) const = default;
};

struct ColumnChunk {
  std::optional<std::string> file_path;        // 1, absent: this file
  int64_t file_offset = 0;                     // 2, required but deprecated: write 0
  std::optional<ColumnMetaData> meta_data;     // 3, optional in the IDL, always written
  std::optional<int64_t> offset_index_offset;  // 4
  std::optional<int32_t> offset_index_length;  // 5
  std::optional<int64_t> column_index_offset;  // 6
  std::optional<int32_t> column_index_length;  // 7
  // 8 crypto_metadata and 9 encrypted_column_metadata are skipped.

  bool operator==(const ColumnChunk&) const = default;
};

struct RowGroup {
  std::vector<ColumnChunk> columns;                           // 1, in schema leaf order
  int64_t total_byte_size = 0;                                // 2, uncompressed
  int64_t num_rows = 0;                                       // 3
  std::optional<std::vector<SortingColumn>> sorting_columns;  // 4
  std::optional<int64_t> file_offset;                         // 5
  std::optional<int64_t> total_compressed_size;               // 6
  std::optional<int16_t> ordinal;                             // 7

  bool operator==(const RowGroup&) const = default;
};

// The ColumnOrder union: its member's field id. 0 means a union with no member set.
enum class ColumnOrder : int16_t {
  kTypeOrder = 1,
  kIeee754TotalOrder = 2,
  kInt96TimestampOrder = 3,
};

constexpr auto EnumNameTable(ColumnOrder) {
  return std::to_array<EnumNameEntry<ColumnOrder>>({
      {ColumnOrder::kTypeOrder, "TYPE_ORDER"},
      {ColumnOrder::kIeee754TotalOrder, "IEEE_754_TOTAL_ORDER"},
      {ColumnOrder::kInt96TimestampOrder, "INT96_TIMESTAMP_ORDER"},
  });
}

struct FileMetaData {
  int32_t version = 1;                                      // 1; 1 is what readers expect
  std::vector<SchemaElement> schema;                        // 2, root first
  int64_t num_rows = 0;                                     // 3
  std::vector<RowGroup> row_groups;                         // 4
  std::optional<std::vector<KeyValue>> key_value_metadata;  // 5
  std::optional<std::string> created_by;                    // 6
  std::optional<std::vector<ColumnOrder>> column_orders;    // 7, one per leaf
  // 8 encryption_algorithm and 9 footer_signing_key_metadata are skipped.

  // As PageHeader::Serialize / Deserialize; input is the footer's bytes.
  void Serialize(std::string* dst) const;
  Status Deserialize(Slice input, std::string_view context, uint64_t base_offset,
                     size_t* consumed = nullptr);

  bool operator==(const FileMetaData&) const = default;
};

struct PageLocation {
  int64_t offset = 0;                // 1
  int32_t compressed_page_size = 0;  // 2, header included
  int64_t first_row_index = 0;       // 3, within the row group

  bool operator==(const PageLocation&) const = default;
};

struct OffsetIndex {
  std::vector<PageLocation> page_locations;  // 1
  // 2 unencoded_byte_array_data_bytes is skipped.

  void Serialize(std::string* dst) const;
  Status Deserialize(Slice input, std::string_view context, uint64_t base_offset,
                     size_t* consumed = nullptr);

  bool operator==(const OffsetIndex&) const = default;
};

struct ColumnIndex {
  std::vector<bool> null_pages;                              // 1
  std::vector<std::string> min_values;                       // 2, empty for null pages
  std::vector<std::string> max_values;                       // 3
  BoundaryOrder boundary_order = BoundaryOrder::kUnordered;  // 4
  std::optional<std::vector<int64_t>> null_counts;           // 5
  // 6 and 7 (level histograms) and 8 nan_counts are skipped.

  void Serialize(std::string* dst) const;
  Status Deserialize(Slice input, std::string_view context, uint64_t base_offset,
                     size_t* consumed = nullptr);

  bool operator==(const ColumnIndex&) const = default;
};

// The members of the bloom-filter unions (each an empty struct), by field id.
enum class BloomFilterAlgorithm : int16_t { kBlock = 1 };  // split-block
enum class BloomFilterHash : int16_t { kXxHash = 1 };      // XXH64, seed 0
enum class BloomFilterCompression : int16_t { kUncompressed = 1 };

struct BloomFilterHeader {
  int32_t num_bytes = 0;                                                       // 1, bitset size
  BloomFilterAlgorithm algorithm = BloomFilterAlgorithm::kBlock;               // 2
  BloomFilterHash hash = BloomFilterHash::kXxHash;                             // 3
  BloomFilterCompression compression = BloomFilterCompression::kUncompressed;  // 4

  void Serialize(std::string* dst) const;
  Status Deserialize(Slice input, std::string_view context, uint64_t base_offset,
                     size_t* consumed = nullptr);

  bool operator==(const BloomFilterHeader&) const = default;
};

}  // namespace strata::parquet
