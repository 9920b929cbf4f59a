#include "parquet/metadata.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "base/coding.h"
#include "base/random.h"
#include "support/test_util.h"

namespace strata::parquet {
namespace {

// Expected encodings are written out byte by byte from the compact protocol specification
// and parquet.thrift's field ids, never produced by the code under test.
std::string Bytes(std::initializer_list<int> bytes) {
  std::string s;
  for (int b : bytes) s.push_back(static_cast<char>(b));
  return s;
}

std::string Hex(const std::string& s) {
  static const char* kDigits = "0123456789abcdef";
  std::string out;
  for (unsigned char c : s) {
    out.push_back(kDigits[c >> 4]);
    out.push_back(kDigits[c & 0xF]);
    out.push_back(' ');
  }
  return out;
}

template <typename T>
std::string Serialized(const T& message) {
  std::string bytes;
  message.Serialize(&bytes);
  return bytes;
}

// Serializes, deserializes and checks that every byte was consumed.
template <typename T>
T RoundTrip(const T& in) {
  const std::string bytes = Serialized(in);
  T out;
  size_t consumed = 0;
  Status s = out.Deserialize(bytes, "test", 0, &consumed);
  EXPECT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(consumed, bytes.size());
  return out;
}

LogicalType Logical(LogicalType::Kind kind) {
  LogicalType t;
  t.kind = kind;
  return t;
}

// One LogicalType of every kind, the parameterized ones with non-default parameters.
std::vector<LogicalType> EveryLogicalType() {
  using Kind = LogicalType::Kind;
  std::vector<LogicalType> types;
  for (Kind k : {Kind::kString, Kind::kMap, Kind::kList, Kind::kEnum, Kind::kDate, Kind::kNull,
                 Kind::kJson, Kind::kBson, Kind::kUuid, Kind::kFloat16}) {
    types.push_back(Logical(k));
  }
  LogicalType decimal = Logical(Kind::kDecimal);
  decimal.scale = 2;
  decimal.precision = 10;
  types.push_back(decimal);
  for (TimeUnit unit : {TimeUnit::kMillis, TimeUnit::kMicros, TimeUnit::kNanos}) {
    LogicalType time = Logical(Kind::kTime);
    time.is_adjusted_to_utc = unit != TimeUnit::kMicros;
    time.unit = unit;
    types.push_back(time);
    LogicalType ts = Logical(Kind::kTimestamp);
    ts.is_adjusted_to_utc = unit == TimeUnit::kMicros;
    ts.unit = unit;
    types.push_back(ts);
  }
  for (int8_t width : {8, 16, 32, 64}) {
    LogicalType integer = Logical(Kind::kInteger);
    integer.bit_width = width;
    integer.is_signed = width != 32;
    types.push_back(integer);
  }
  return types;
}

Statistics FullStatistics(int seed) {
  Statistics s;
  s.max = "max" + std::to_string(seed);
  s.min = "min" + std::to_string(seed);
  s.null_count = seed;
  s.distinct_count = 1000 + seed;
  s.max_value = std::string("\xff\x00\x01", 3);
  s.min_value = "";  // present but empty differs from absent
  s.is_max_value_exact = true;
  s.is_min_value_exact = false;
  s.nan_count = 2;
  return s;
}

ColumnMetaData FullColumnMetaData(int rg, int col) {
  ColumnMetaData m;
  m.type = static_cast<Type>(col % 8);
  m.encodings = {Encoding::kPlain, Encoding::kRle, Encoding::kRleDictionary};
  m.path_in_schema = {"col" + std::to_string(col)};
  m.codec = CompressionCodec::kZstd;
  m.num_values = 1000000 + rg;
  m.total_uncompressed_size = 5000000 + col;
  m.total_compressed_size = 2000000 + col;
  m.key_value_metadata = std::vector<KeyValue>{{"k", "v"}, {"only-key", std::nullopt}};
  m.data_page_offset = int64_t{1} << 35;
  m.index_page_offset = 17;
  m.dictionary_page_offset = 4;
  m.statistics = FullStatistics(col);
  m.encoding_stats =
      std::vector<PageEncodingStats>{{PageType::kDictionaryPage, Encoding::kPlain, 1},
                                     {PageType::kDataPage, Encoding::kRleDictionary, 30}};
  m.bloom_filter_offset = 123456;
  m.bloom_filter_length = 4096;
  return m;
}

ColumnChunk FullColumnChunk(int rg, int col) {
  ColumnChunk c;
  c.file_path = "other.parquet";
  c.file_offset = 0;
  c.meta_data = FullColumnMetaData(rg, col);
  c.offset_index_offset = 1000 + col;
  c.offset_index_length = 50;
  c.column_index_offset = 2000 + col;
  c.column_index_length = 70;
  return c;
}

FileMetaData FullFileMetaData(int row_groups, int columns) {
  FileMetaData md;
  md.version = 2;
  SchemaElement root;
  root.name = "schema";
  root.num_children = columns;
  md.schema.push_back(root);
  const std::vector<LogicalType> logical = EveryLogicalType();
  for (int col = 0; col < columns; col++) {
    SchemaElement e;
    e.type = static_cast<Type>(col % 8);
    e.type_length = 16;
    e.repetition_type = static_cast<FieldRepetitionType>(col % 3);
    e.name = "col" + std::to_string(col);
    e.num_children = 0;
    e.converted_type = static_cast<ConvertedType>(col % 22);
    e.scale = 2;
    e.precision = 10;
    e.field_id = col;
    e.logical_type = logical[col % logical.size()];
    md.schema.push_back(e);
  }
  md.num_rows = int64_t{3} << 33;
  for (int rg = 0; rg < row_groups; rg++) {
    RowGroup g;
    for (int col = 0; col < columns; col++) g.columns.push_back(FullColumnChunk(rg, col));
    g.total_byte_size = 1 << 20;
    g.num_rows = 10000;
    g.sorting_columns = std::vector<SortingColumn>{{0, true, false}, {1, false, true}};
    g.file_offset = 4;
    g.total_compressed_size = 1 << 19;
    g.ordinal = static_cast<int16_t>(rg);
    md.row_groups.push_back(g);
  }
  md.key_value_metadata = std::vector<KeyValue>{{"ARROW:schema", "xyz"}, {"empty", ""}};
  md.created_by = "strata version 0.1";
  md.column_orders = std::vector<ColumnOrder>(columns, ColumnOrder::kTypeOrder);
  return md;
}

// Only the required fields, at their defaults.
FileMetaData MinimalFileMetaData() {
  FileMetaData md;
  SchemaElement root;
  root.name = "r";
  md.schema.push_back(root);
  RowGroup without_metadata;
  without_metadata.columns.emplace_back();
  md.row_groups.push_back(without_metadata);
  RowGroup with_minimal_metadata;
  ColumnChunk chunk;
  chunk.meta_data.emplace();
  with_minimal_metadata.columns.push_back(chunk);
  md.row_groups.push_back(with_minimal_metadata);
  return md;
}

std::vector<PageHeader> EveryPageHeader() {
  std::vector<PageHeader> headers;
  PageHeader v1;
  v1.type = PageType::kDataPage;
  v1.uncompressed_page_size = 100;
  v1.compressed_page_size = 50;
  v1.data_page_header.emplace();
  v1.data_page_header->num_values = 10;
  headers.push_back(v1);  // no crc, no statistics
  v1.crc = -123456789;
  v1.data_page_header->encoding = Encoding::kDeltaBinaryPacked;
  v1.data_page_header->definition_level_encoding = Encoding::kBitPacked;
  v1.data_page_header->repetition_level_encoding = Encoding::kRle;
  v1.data_page_header->statistics = FullStatistics(1);
  headers.push_back(v1);

  PageHeader dict;
  dict.type = PageType::kDictionaryPage;
  dict.uncompressed_page_size = 1 << 20;
  dict.compressed_page_size = 1 << 19;
  dict.dictionary_page_header.emplace();
  dict.dictionary_page_header->num_values = 77;
  headers.push_back(dict);
  dict.dictionary_page_header->encoding = Encoding::kPlainDictionary;
  dict.dictionary_page_header->is_sorted = true;
  headers.push_back(dict);

  PageHeader v2;
  v2.type = PageType::kDataPageV2;
  v2.data_page_header_v2.emplace();
  headers.push_back(v2);
  v2.crc = 7;
  v2.data_page_header_v2 = DataPageHeaderV2{.num_values = 100,
                                            .num_nulls = 5,
                                            .num_rows = 90,
                                            .encoding = Encoding::kByteStreamSplit,
                                            .definition_levels_byte_length = 12,
                                            .repetition_levels_byte_length = 3,
                                            .is_compressed = false,
                                            .statistics = FullStatistics(2)};
  headers.push_back(v2);

  PageHeader index;
  index.type = PageType::kIndexPage;
  index.index_page_header.emplace();
  headers.push_back(index);

  // Every sub-header at once: the structure does not enforce "exactly one".
  PageHeader all = v1;
  all.index_page_header.emplace();
  all.dictionary_page_header = dict.dictionary_page_header;
  all.data_page_header_v2 = v2.data_page_header_v2;
  headers.push_back(all);
  return headers;
}

// ---- Byte-exact encodings ----

TEST(MetadataTest, BloomFilterHeaderBytes) {
  BloomFilterHeader h;
  h.num_bytes = 32;
  // 1: i32 32 (zigzag 64); 2, 3, 4: a union struct holding member 1, an empty struct.
  const std::string expected = Bytes(
      {0x15, 0x40, 0x1C, 0x1C, 0x00, 0x00, 0x1C, 0x1C, 0x00, 0x00, 0x1C, 0x1C, 0x00, 0x00, 0x00});
  EXPECT_EQ(Hex(expected), Hex(Serialized(h)));
  BloomFilterHeader decoded;
  decoded.num_bytes = 1;
  ASSERT_TRUE(decoded.Deserialize(expected, "test", 0).ok());
  EXPECT_EQ(decoded, h);
}

TEST(MetadataTest, PageHeaderBytes) {
  PageHeader h;
  h.type = PageType::kDataPage;
  h.uncompressed_page_size = 100;
  h.compressed_page_size = 50;
  h.data_page_header = DataPageHeader{.num_values = 10,
                                      .encoding = Encoding::kPlain,
                                      .definition_level_encoding = Encoding::kRle,
                                      .repetition_level_encoding = Encoding::kRle,
                                      .statistics = std::nullopt};
  // clang-format off
  const std::string expected = Bytes({
      0x15, 0x00,        // 1: type DATA_PAGE
      0x15, 0xC8, 0x01,  // 2: uncompressed_page_size 100 (zigzag 200)
      0x15, 0x64,        // 3: compressed_page_size 50 (zigzag 100)
      0x2C,              // 5 (delta 2): data_page_header {
      0x15, 0x14,        //   1: num_values 10
      0x15, 0x00,        //   2: encoding PLAIN
      0x15, 0x06,        //   3: RLE (3, zigzag 6)
      0x15, 0x06,        //   4: RLE
      0x00,              // }
      0x00,
  });
  // clang-format on
  EXPECT_EQ(Hex(expected), Hex(Serialized(h)));
  PageHeader decoded;
  ASSERT_TRUE(decoded.Deserialize(expected, "test", 0).ok());
  EXPECT_EQ(decoded, h);
}

TEST(MetadataTest, StatisticsBytes) {
  PageHeader h;
  h.uncompressed_page_size = 1;
  h.compressed_page_size = 1;
  // Built apart and then assigned: g++ 12 at -O1 under ASan wrongly warns that a string
  // inside the optional may be uninitialized when the members are set in place.
  Statistics s;
  s.null_count = 0;
  s.max_value = "z";
  s.is_max_value_exact = true;
  s.nan_count = 3;
  DataPageHeader d;
  d.num_values = 1;
  d.statistics = s;
  h.data_page_header = d;
  // clang-format off
  const std::string expected = Bytes({
      0x15, 0x00, 0x15, 0x02, 0x15, 0x02,  // 1, 2, 3: DATA_PAGE, sizes 1 and 1
      0x2C,                                // 5: data_page_header {
      0x15, 0x02, 0x15, 0x00,              //   1: num_values 1, 2: PLAIN
      0x15, 0x06, 0x15, 0x06,              //   3, 4: RLE
      0x1C,                                //   5: statistics {
      0x36, 0x00,                          //     3 (delta 3): null_count 0
      0x28, 0x01, 'z',                     //     5: max_value "z"
      0x21,                                //     7: is_max_value_exact true
      0x26, 0x06,                          //     9: nan_count 3
      0x00, 0x00, 0x00,                    // } } STOP
  });
  // clang-format on
  EXPECT_EQ(Hex(expected), Hex(Serialized(h)));
  PageHeader decoded;
  ASSERT_TRUE(decoded.Deserialize(expected, "test", 0).ok());
  EXPECT_EQ(decoded, h);
}

TEST(MetadataTest, ColumnIndexBytes) {
  ColumnIndex ci;
  ci.null_pages = {false, true};
  ci.min_values = {"a", ""};
  ci.max_values = {"b", ""};
  ci.boundary_order = BoundaryOrder::kAscending;
  ci.null_counts = std::vector<int64_t>{0, 5};
  // clang-format off
  const std::string expected = Bytes({
      0x19, 0x21, 0x02, 0x01,       // 1: list<bool> [false (2), true (1)]
      0x19, 0x28, 0x01, 'a', 0x00,  // 2: list<binary> ["a", ""]
      0x19, 0x28, 0x01, 'b', 0x00,  // 3: list<binary> ["b", ""]
      0x15, 0x02,                   // 4: ASCENDING
      0x19, 0x26, 0x00, 0x0A,       // 5: list<i64> [0, 5]
      0x00,
  });
  // clang-format on
  EXPECT_EQ(Hex(expected), Hex(Serialized(ci)));
  ColumnIndex decoded;
  ASSERT_TRUE(decoded.Deserialize(expected, "test", 0).ok());
  EXPECT_EQ(decoded, ci);

  // Readers also accept 0 for false, as older writers wrote it.
  std::string zero_false = expected;
  zero_false[2] = 0x00;
  ASSERT_TRUE(decoded.Deserialize(zero_false, "test", 0).ok());
  EXPECT_EQ(decoded, ci);
}

TEST(MetadataTest, MinimalFileMetaDataBytes) {
  FileMetaData md;
  md.version = 1;
  md.schema.resize(1);
  md.schema[0].name = "r";
  // clang-format off
  const std::string expected = Bytes({
      0x15, 0x02,             // 1: version 1
      0x19, 0x1C,             // 2: list of 1 struct
      0x48, 0x01, 'r', 0x00,  //    {4: name "r"}
      0x16, 0x00,             // 3: num_rows 0
      0x19, 0x0C,             // 4: empty list of structs
      0x00,
  });
  // clang-format on
  EXPECT_EQ(Hex(expected), Hex(Serialized(md)));
  FileMetaData decoded;
  ASSERT_TRUE(decoded.Deserialize(expected, "test", 0).ok());
  EXPECT_EQ(decoded, md);
}

TEST(MetadataTest, LogicalTypeBytes) {
  // A leaf with logicalType TIMESTAMP(isAdjustedToUTC=true, unit=MICROS) and one with
  // INTEGER(8, signed).
  FileMetaData md;
  md.schema.resize(2);
  md.schema[0].name = "t";
  md.schema[0].logical_type = Logical(LogicalType::Kind::kTimestamp);
  md.schema[0].logical_type->is_adjusted_to_utc = true;
  md.schema[0].logical_type->unit = TimeUnit::kMicros;
  md.schema[1].name = "i";
  md.schema[1].logical_type = Logical(LogicalType::Kind::kInteger);
  md.schema[1].logical_type->bit_width = 8;
  md.schema[1].logical_type->is_signed = true;
  // clang-format off
  const std::string expected = Bytes({
      0x15, 0x02,              // 1: version 1
      0x19, 0x2C,              // 2: list of 2 structs
      0x48, 0x01, 't',         //    4: name "t"
      0x6C,                    //    10: logicalType {
      0x8C,                    //      8: TIMESTAMP {
      0x11,                    //        1: isAdjustedToUTC true
      0x1C, 0x2C, 0x00, 0x00,  //        2: unit {2: MICROS {}}
      0x00,                    //      }
      0x00,                    //    }
      0x00,                    //    end of element
      0x48, 0x01, 'i',         //    4: name "i"
      0x6C,                    //    10: logicalType {
      0x0C, 0x14,              //      10: INTEGER { (long form, zigzag 20; see below)
      0x13, 0x08,              //        1: bitWidth 8 (i8)
      0x11,                    //        2: isSigned true
      0x00, 0x00, 0x00,        //      } } end of element
      0x16, 0x00,              // 3: num_rows 0
      0x19, 0x0C,              // 4: no row groups
      0x00,
  });
  // clang-format on
  // The writer uses the short form for INTEGER (id 10, the first field of its union: delta
  // 10, header 0xAC); the long form above is just as valid, and both must decode the same.
  std::string short_form = expected;
  const size_t at = short_form.find(std::string("\x0c\x14", 2));
  ASSERT_NE(at, std::string::npos);
  short_form.replace(at, 2, std::string("\xac", 1));
  EXPECT_EQ(Hex(short_form), Hex(Serialized(md)));
  // Both forms decode to the same value.
  for (const std::string& bytes : {expected, short_form}) {
    FileMetaData decoded;
    Status s = decoded.Deserialize(bytes, "test", 0);
    ASSERT_TRUE(s.ok()) << s.ToString();
    EXPECT_EQ(decoded, md);
  }
}

// ---- Round trips ----

TEST(MetadataTest, FileMetaDataRoundTripsWithEveryOptionalField) {
  const FileMetaData md = FullFileMetaData(3, 25);
  EXPECT_EQ(RoundTrip(md), md);
}

TEST(MetadataTest, FileMetaDataRoundTripsWithOnlyRequiredFields) {
  const FileMetaData md = MinimalFileMetaData();
  const FileMetaData out = RoundTrip(md);
  EXPECT_EQ(out, md);
  EXPECT_FALSE(out.row_groups[0].columns[0].meta_data.has_value());
  EXPECT_FALSE(out.row_groups[1].columns[0].meta_data->statistics.has_value());
  EXPECT_FALSE(out.key_value_metadata.has_value());
  EXPECT_FALSE(out.created_by.has_value());
}

TEST(MetadataTest, OptionalListsDistinguishAbsentFromEmpty) {
  FileMetaData md = MinimalFileMetaData();
  md.key_value_metadata.emplace();
  md.column_orders.emplace();
  md.row_groups[1].sorting_columns.emplace();
  md.row_groups[1].columns[0].meta_data->encoding_stats.emplace();
  const FileMetaData out = RoundTrip(md);
  EXPECT_EQ(out, md);
  ASSERT_TRUE(out.key_value_metadata.has_value());
  EXPECT_TRUE(out.key_value_metadata->empty());
}

TEST(MetadataTest, EveryLogicalTypeRoundTrips) {
  FileMetaData md = MinimalFileMetaData();
  for (const LogicalType& t : EveryLogicalType()) {
    SchemaElement e;
    e.name = "x";
    e.logical_type = t;
    md.schema.push_back(e);
  }
  EXPECT_EQ(RoundTrip(md), md);
}

TEST(MetadataTest, EveryPageHeaderRoundTrips) {
  for (const PageHeader& h : EveryPageHeader()) EXPECT_EQ(RoundTrip(h), h);
}

TEST(MetadataTest, DataPageHeaderV2IsCompressedDefaultsToTrue) {
  DataPageHeaderV2 v2;
  EXPECT_TRUE(v2.compressed());
  v2.is_compressed = false;
  EXPECT_FALSE(v2.compressed());
}

TEST(MetadataTest, OffsetIndexRoundTrips) {
  OffsetIndex oi;
  EXPECT_EQ(RoundTrip(oi), oi);
  for (int i = 0; i < 40; i++) {
    oi.page_locations.push_back({int64_t{1} << (i % 40), 1000 + i, int64_t{i} * 1000});
  }
  EXPECT_EQ(RoundTrip(oi), oi);
}

TEST(MetadataTest, ColumnIndexRoundTrips) {
  ColumnIndex ci;
  ci.boundary_order = BoundaryOrder::kDescending;
  EXPECT_EQ(RoundTrip(ci), ci);
  for (int i = 0; i < 20; i++) {
    ci.null_pages.push_back(i % 3 == 0);
    ci.min_values.push_back(i % 3 == 0 ? "" : std::string(i, 'a'));
    ci.max_values.push_back(i % 3 == 0 ? "" : std::string(i, 'z'));
  }
  EXPECT_EQ(RoundTrip(ci), ci);
  ci.null_counts = std::vector<int64_t>(20, 3);
  EXPECT_EQ(RoundTrip(ci), ci);
}

TEST(MetadataTest, BloomFilterHeaderRoundTrips) {
  BloomFilterHeader h;
  h.num_bytes = 1 << 20;
  EXPECT_EQ(RoundTrip(h), h);
}

TEST(MetadataTest, LargeFooterRoundTrips) {
  // 100 row groups x 20 columns: the size a footer decode must handle quickly.
  const FileMetaData md = FullFileMetaData(100, 20);
  const FileMetaData out = RoundTrip(md);
  EXPECT_EQ(out, md);
  EXPECT_EQ(out.row_groups.size(), 100u);
  EXPECT_EQ(out.row_groups[99].columns.size(), 20u);
}

TEST(MetadataTest, DeserializeReportsBytesConsumed) {
  // A page header followed by its page: only the header is consumed.
  const PageHeader h = EveryPageHeader()[1];
  std::string bytes = Serialized(h);
  const size_t header_size = bytes.size();
  bytes.append(h.compressed_page_size, 'p');
  PageHeader decoded;
  size_t consumed = 0;
  ASSERT_TRUE(decoded.Deserialize(bytes, "test", 0, &consumed).ok());
  EXPECT_EQ(consumed, header_size);
  EXPECT_EQ(decoded, h);
}

TEST(MetadataTest, UnknownEnumValuesAreKept) {
  FileMetaData md = FullFileMetaData(1, 2);
  md.schema[1].type = static_cast<Type>(99);
  md.schema[1].converted_type = static_cast<ConvertedType>(-7);
  md.schema[1].repetition_type = static_cast<FieldRepetitionType>(3);  // VECTOR, newer spec
  md.row_groups[0].columns[0].meta_data->codec = static_cast<CompressionCodec>(1000);
  md.row_groups[0].columns[0].meta_data->encodings.push_back(static_cast<Encoding>(1 << 30));
  md.column_orders->at(0) = static_cast<ColumnOrder>(2);
  md.column_orders->at(1) = static_cast<ColumnOrder>(77);
  EXPECT_EQ(RoundTrip(md), md);

  PageHeader h;
  h.type = static_cast<PageType>(42);
  EXPECT_EQ(RoundTrip(h), h);
}

TEST(MetadataTest, UnknownLogicalTypeMemberKeepsItsId) {
  // logicalType {16: VARIANT {1: i8 1}}: a member this code does not know, with a field.
  // clang-format off
  const std::string bytes = Bytes({
      0x15, 0x02,              // 1: version 1
      0x19, 0x1C,              // 2: list of 1 struct
      0x48, 0x01, 'v',         //    4: name "v"
      0x6C,                    //    10: logicalType {
      0x0C, 0x20,              //      16 (long form): struct {
      0x13, 0x01, 0x00,        //        1: i8 1 }
      0x00, 0x00,              //    } end of element
      0x16, 0x00, 0x19, 0x0C,  // 3: num_rows 0, 4: no row groups
      0x00,
  });
  // clang-format on
  FileMetaData md;
  Status s = md.Deserialize(bytes, "test", 0);
  ASSERT_TRUE(s.ok()) << s.ToString();
  ASSERT_TRUE(md.schema[0].logical_type.has_value());
  EXPECT_EQ(static_cast<int>(md.schema[0].logical_type->kind), 16);
  // Written back as the same member, without the contents it could not model.
  EXPECT_EQ(RoundTrip(md), md);
}

TEST(MetadataTest, EmptyUnionsReadAsNoMember) {
  // column_orders [{}]: a ColumnOrder union with no member set.
  const std::string bytes = Bytes({0x15, 0x02, 0x19, 0x0C, 0x16, 0x00, 0x19, 0x0C, 0x39, 0x1C,
                                   0x00,  // 7 (delta 3): list [{}]
                                   0x00});
  FileMetaData md;
  Status s = md.Deserialize(bytes, "test", 0);
  ASSERT_TRUE(s.ok()) << s.ToString();
  ASSERT_EQ(md.column_orders->size(), 1u);
  EXPECT_EQ(static_cast<int>(md.column_orders->at(0)), 0);
  EXPECT_EQ(Hex(Serialized(md)), Hex(bytes));
}

// ---- Unknown fields ----

// Fields no top-level message has, in long-form headers so they can be spliced in after any
// field: 18 {1: {1: binary "p"}}, 19 binary "key", 100 list<double> [1.0], 17 map<binary,
// list<i32>> {"k": [1]}, 26 list<i64> [1, 2], 27 list<i64> [1], 3000 bool true.
std::string UnknownFields() {
  return Bytes({0x0C, 0x24, 0x1C, 0x18, 0x01, 'p',  0x00, 0x00,  //
                0x08, 0x26, 0x03, 'k',  'e',  'y',               //
                0x09, 0xC8, 0x01, 0x17, 0,    0,    0,    0,    0,    0,
                0xF0, 0x3F, 0x0B, 0x22, 0x01, 0x89, 0x01, 'k',  0x15, 0x02,  //
                0x09, 0x34, 0x26, 0x02, 0x04,                                //
                0x09, 0x36, 0x16, 0x02,                                      //
                0x01, 0xF0, 0x2E});
}

// Inserts extra bytes just before a message's final STOP.
std::string WithExtraFields(std::string bytes, const std::string& extra) {
  bytes.insert(bytes.size() - 1, extra);
  return bytes;
}

template <typename T>
void ExpectUnknownFieldsSkipped(const T& message, const std::string& extra = UnknownFields()) {
  const std::string bytes = WithExtraFields(Serialized(message), extra);
  T decoded;
  size_t consumed = 0;
  Status s = decoded.Deserialize(bytes, "test", 0, &consumed);
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(consumed, bytes.size());
  EXPECT_EQ(decoded, message);
}

TEST(MetadataTest, UnknownTopLevelFieldsAreSkipped) {
  ExpectUnknownFieldsSkipped(FullFileMetaData(2, 3));
  ExpectUnknownFieldsSkipped(MinimalFileMetaData());
  for (const PageHeader& h : EveryPageHeader()) ExpectUnknownFieldsSkipped(h);
  OffsetIndex oi;
  oi.page_locations.push_back({4, 100, 0});
  ExpectUnknownFieldsSkipped(oi);
  ColumnIndex ci;
  ci.null_pages = {true};
  ci.min_values = {""};
  ci.max_values = {""};
  ExpectUnknownFieldsSkipped(ci);
  ExpectUnknownFieldsSkipped(BloomFilterHeader{});
}

TEST(MetadataTest, SpecFieldsStrataDoesNotModelAreSkipped) {
  // FileMetaData 8 encryption_algorithm {1: AES_GCM_V1 {1: aad_prefix "p", 3: true}} and
  // 9 footer_signing_key_metadata "key".
  ExpectUnknownFieldsSkipped(FullFileMetaData(1, 2),
                             Bytes({0x0C, 0x10, 0x1C, 0x18, 0x01, 'p', 0x21, 0x00, 0x00,  //
                                    0x08, 0x12, 0x03, 'k', 'e', 'y'}));
  // ColumnIndex 6, 7 level histograms and 8 nan_counts, all list<i64>.
  ColumnIndex ci;
  ci.null_pages = {false};
  ci.min_values = {"a"};
  ci.max_values = {"b"};
  ExpectUnknownFieldsSkipped(ci, Bytes({0x09, 0x0C, 0x26, 0x02, 0x04,  //
                                        0x09, 0x0E, 0x16, 0x02,        //
                                        0x09, 0x10, 0x16, 0x00}));
  // OffsetIndex 2 unencoded_byte_array_data_bytes.
  OffsetIndex oi;
  oi.page_locations.push_back({4, 100, 0});
  ExpectUnknownFieldsSkipped(oi, Bytes({0x09, 0x04, 0x16, 0x0A}));
}

// The encoding of an i32 field with a short header (delta 1) and value v.
std::string I32FieldAfterPrevious(int32_t v) {
  std::string s = Bytes({0x15});
  PutVarint32(&s, (static_cast<uint32_t>(v) << 1) ^ static_cast<uint32_t>(v >> 31));
  return s;
}

TEST(MetadataTest, UnknownNestedFieldsAreSkipped) {
  // One column chunk whose last written fields have distinctive values, so the test can find
  // where ColumnMetaData and ColumnChunk end and splice fields in there.
  FileMetaData md = FullFileMetaData(1, 1);
  ColumnChunk& chunk = md.row_groups[0].columns[0];
  chunk.meta_data->bloom_filter_length = 123456789;  // field 15, last of ColumnMetaData
  chunk.column_index_length = 987654321;             // field 7, last of ColumnChunk
  std::string bytes = Serialized(md);

  // ColumnChunk: 8 crypto_metadata {1: ENCRYPTION_WITH_FOOTER_KEY {}}, 9 binary.
  const std::string chunk_end = I32FieldAfterPrevious(987654321);
  size_t at = bytes.find(chunk_end);
  ASSERT_NE(at, std::string::npos);
  bytes.insert(at + chunk_end.size(), Bytes({0x1C, 0x1C, 0x00, 0x00, 0x18, 0x02, 'e', 'k'}));

  // ColumnMetaData: 16 size_statistics {1: i64 5, 3: list<i64> [1]} and 17
  // geospatial_statistics {1: bbox {1..4: double}, 2: list<i32> [1]}.
  std::string stats = Bytes({0x1C, 0x16, 0x0A, 0x29, 0x16, 0x02, 0x00});
  stats += Bytes({0x1C, 0x1C});
  for (int i = 0; i < 4; i++) stats += Bytes({0x17, 0, 0, 0, 0, 0, 0, 0xF0, 0x3F});
  stats += Bytes({0x00, 0x19, 0x15, 0x02, 0x00});
  const std::string metadata_end = I32FieldAfterPrevious(123456789);
  at = bytes.find(metadata_end);
  ASSERT_NE(at, std::string::npos);
  bytes.insert(at + metadata_end.size(), stats);

  FileMetaData decoded;
  Status s = decoded.Deserialize(bytes, "test", 0);
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(decoded, md);
}

// ---- Errors ----

TEST(MetadataTest, MissingRequiredFieldNamesStructAndField) {
  // FileMetaData without num_rows (3).
  const std::string no_num_rows = Bytes({0x15, 0x02, 0x19, 0x0C, 0x29, 0x0C, 0x00});
  FileMetaData md;
  Status s = md.Deserialize(no_num_rows, "parquet footer of /x/y.parquet", 500);
  EXPECT_TRUE(s.IsCorruption());
  EXPECT_EQ(s.message(),
            "parquet footer of /x/y.parquet: required field 3 (num_rows) missing from "
            "FileMetaData starting at byte 500");

  // A KeyValue without its key, nested in the footer.
  const std::string no_key = Bytes(
      {0x15, 0x02, 0x19, 0x0C, 0x16, 0x00, 0x19, 0x0C, 0x19, 0x1C, 0x28, 0x01, 'v', 0x00, 0x00});
  s = md.Deserialize(no_key, "f", 0);
  EXPECT_TRUE(s.IsCorruption());
  EXPECT_EQ(s.message(), "f: required field 1 (key) missing from KeyValue starting at byte 10");

  // A PageHeader without compressed_page_size.
  PageHeader h;
  s = h.Deserialize(Bytes({0x15, 0x00, 0x15, 0x02, 0x00}), "page", 0);
  EXPECT_TRUE(s.IsCorruption());
  EXPECT_NE(s.message().find("compressed_page_size"), std::string::npos) << s.ToString();

  // A BloomFilterHeader without hash (3) and compression (4).
  BloomFilterHeader b;
  s = b.Deserialize(Bytes({0x15, 0x40, 0x1C, 0x1C, 0x00, 0x00, 0x00}), "bloom", 0);
  EXPECT_TRUE(s.IsCorruption());
  EXPECT_NE(s.message().find("required field 3 (hash) missing from BloomFilterHeader"),
            std::string::npos)
      << s.ToString();

  // A DecimalType without precision.
  const std::string no_precision = Bytes({0x15, 0x02, 0x19, 0x1C, 0x48, 0x01, 'd', 0x6C, 0x5C, 0x15,
                                          0x04, 0x00, 0x00, 0x00, 0x16, 0x00, 0x19, 0x0C, 0x00});
  s = md.Deserialize(no_precision, "f", 0);
  EXPECT_TRUE(s.IsCorruption());
  EXPECT_NE(s.message().find("required field 2 (precision) missing from DecimalType"),
            std::string::npos)
      << s.ToString();
}

TEST(MetadataTest, WrongFieldTypeIsCorruption) {
  // FileMetaData.num_rows written as binary.
  const std::string bytes = Bytes({0x15, 0x02, 0x19, 0x0C, 0x18, 0x01, 'x', 0x19, 0x0C, 0x00});
  FileMetaData md;
  Status s = md.Deserialize(bytes, "f", 0);
  EXPECT_TRUE(s.IsCorruption());
  EXPECT_EQ(s.message(), "f: field 3 of FileMetaData has type binary, expected i64 at byte 4");
}

TEST(MetadataTest, FailedDeserializeLeavesTheObjectUnchanged) {
  const FileMetaData original = FullFileMetaData(1, 2);
  FileMetaData md = original;
  const std::string bytes = Serialized(MinimalFileMetaData());
  Status s = md.Deserialize(Slice(bytes.data(), bytes.size() - 1), "f", 0);
  EXPECT_TRUE(s.IsCorruption());
  EXPECT_EQ(md, original);
}

// ---- Robustness against hostile bytes ----

TEST(MetadataRobustnessTest, EveryTruncationOfAFooterIsCorruption) {
  const std::string bytes = Serialized(FullFileMetaData(2, 3));
  for (size_t n = 0; n < bytes.size(); n++) {
    // Copied to its own allocation so a sanitizer catches any read past the n bytes.
    const std::string prefix = bytes.substr(0, n);
    FileMetaData md;
    Status s = md.Deserialize(prefix, "parquet footer of /x/y.parquet", 1000);
    ASSERT_TRUE(s.IsCorruption()) << "prefix of " << n << " bytes: " << s.ToString();
    ASSERT_EQ(s.message().rfind("parquet footer of /x/y.parquet: ", 0), 0u) << s.ToString();
    // The offset named is inside the bytes that were there.
    const size_t at = s.message().rfind(" at byte ");
    ASSERT_NE(at, std::string::npos) << s.ToString();
    const uint64_t offset = std::stoull(s.message().substr(at + 9));
    EXPECT_GE(offset, 1000u);
    EXPECT_LE(offset, 1000u + n);
  }
}

TEST(MetadataRobustnessTest, EveryTruncationOfOtherMessagesIsCorruption) {
  for (const PageHeader& h : EveryPageHeader()) {
    const std::string bytes = Serialized(h);
    for (size_t n = 0; n < bytes.size(); n++) {
      PageHeader decoded;
      EXPECT_TRUE(decoded.Deserialize(bytes.substr(0, n), "page", 0).IsCorruption()) << n;
    }
  }
  ColumnIndex ci;
  ci.null_pages = {false, true, false};
  ci.min_values = {"aa", "", "c"};
  ci.max_values = {"bb", "", "d"};
  ci.null_counts = std::vector<int64_t>{0, 9, 1};
  const std::string bytes = Serialized(ci);
  for (size_t n = 0; n < bytes.size(); n++) {
    ColumnIndex decoded;
    EXPECT_TRUE(decoded.Deserialize(bytes.substr(0, n), "ci", 0).IsCorruption()) << n;
  }
}

// Decodes a mutated message; if it still decodes, writing it back and decoding again must
// give the same value (nothing decoded is lost or invented by the writer).
// Returns whether the bytes decoded.
template <typename T>
bool ExpectStableIfValid(const std::string& bytes) {
  T decoded;
  if (!decoded.Deserialize(bytes, "fuzz", 0).ok()) return false;
  const std::string rewritten = Serialized(decoded);
  T again;
  Status s = again.Deserialize(rewritten, "fuzz", 0);
  EXPECT_TRUE(s.ok()) << s.ToString();
  EXPECT_TRUE(again == decoded);
  return true;
}

TEST(MetadataRobustnessTest, RandomByteFlipsNeverCrash) {
  const std::string footer = Serialized(FullFileMetaData(2, 4));
  std::vector<std::string> pages;
  for (const PageHeader& h : EveryPageHeader()) pages.push_back(Serialized(h));
  Random rnd(301);
  const int iterations = test::Iterations(3000, 300000);
  int decoded = 0;
  for (int i = 0; i < iterations; i++) {
    std::string bytes = i % 2 == 0 ? footer : pages[rnd.Uniform(pages.size())];
    const int flips = 1 + rnd.Uniform(4);
    for (int f = 0; f < flips; f++) {
      bytes[rnd.Uniform(bytes.size())] = static_cast<char>(rnd.Uniform(256));
    }
    decoded += ExpectStableIfValid<FileMetaData>(bytes);
    decoded += ExpectStableIfValid<PageHeader>(bytes);
    ExpectStableIfValid<ColumnIndex>(bytes);
    ExpectStableIfValid<OffsetIndex>(bytes);
    ExpectStableIfValid<BloomFilterHeader>(bytes);
  }
  // Many flips land in values (sizes, offsets, strings) and still decode; those must have
  // gone through the write-and-reread check above.
  EXPECT_GT(decoded, iterations / 10);
}

TEST(MetadataRobustnessTest, RandomBytesNeverCrash) {
  Random rnd(17);
  const int iterations = test::Iterations(3000, 300000);
  for (int i = 0; i < iterations; i++) {
    const std::string bytes = test::RandomBytes(rnd.Next(), 1 + rnd.Uniform(64));
    ExpectStableIfValid<FileMetaData>(bytes);
    ExpectStableIfValid<PageHeader>(bytes);
  }
}

TEST(MetadataRobustnessTest, HugeListCountInATenByteFooterIsRejected) {
  // version 1, then schema: a list of structs claiming 2^31 elements.
  const std::string bytes = Bytes({0x15, 0x02, 0x19, 0xFC, 0x80, 0x80, 0x80, 0x80, 0x08, 0x00});
  ASSERT_EQ(bytes.size(), 10u);
  FileMetaData md;
  Status s = md.Deserialize(bytes, "f", 0);
  EXPECT_TRUE(s.IsCorruption());
  EXPECT_NE(s.message().find("list of 2147483648 struct elements but only 1 bytes remain"),
            std::string::npos)
      << s.ToString();
}

TEST(MetadataRobustnessTest, DepthBombIsRejected) {
  // An unknown field 8 holding a million nested structs.
  std::string bytes = Bytes({0x15, 0x02, 0x19, 0x0C, 0x16, 0x00, 0x19, 0x0C, 0x4C});
  bytes.append(1000000, static_cast<char>(0x1C));
  bytes.append(1000002, '\0');
  FileMetaData md;
  Status s = md.Deserialize(bytes, "f", 0);
  EXPECT_TRUE(s.IsCorruption());
  EXPECT_NE(s.message().find("nesting deeper than 64 levels"), std::string::npos);
}

}  // namespace
}  // namespace strata::parquet
