// --schema text and type inference (csv_schema.h).
#include "parquet/csv_schema.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace strata::parquet {
namespace {

TEST(CsvSchema, ParsesEveryType) {
  Result<Schema> schema = ParseSchemaText(
      "a:bool,b:int8,c:int16,d:int32,e:int64,f:uint8,g:uint16,h:uint32,i:uint64,j:float,"
      "k:double,l:string,m:binary,n:date,o:timestamp_ms,p:timestamp_us,q:timestamp_ns,"
      "r:fixed[16]");
  ASSERT_TRUE(schema.ok()) << schema.status().ToString();
  const std::vector<ColumnSpec> want = {
      BoolColumn("a"),
      IntColumn("b", 8, true),
      IntColumn("c", 16, true),
      IntColumn("d", 32, true),
      IntColumn("e", 64, true),
      IntColumn("f", 8, false),
      IntColumn("g", 16, false),
      IntColumn("h", 32, false),
      IntColumn("i", 64, false),
      FloatColumn("j"),
      DoubleColumn("k"),
      StringColumn("l"),
      BinaryColumn("m"),
      DateColumn("n"),
      TimestampColumn("o", TimeUnit::kMillis),
      TimestampColumn("p", TimeUnit::kMicros),
      TimestampColumn("q", TimeUnit::kNanos),
      FixedBinaryColumn("r", 16),
  };
  EXPECT_EQ(schema->columns(), want);
  EXPECT_TRUE(schema->Validate().ok());
}

TEST(CsvSchema, QuestionMarkMakesOptionalAndSpacesAreIgnored) {
  Result<Schema> schema = ParseSchemaText(" id : int64 , name:string? ,at: timestamp_ms ?");
  ASSERT_TRUE(schema.ok()) << schema.status().ToString();
  EXPECT_EQ(schema->columns(),
            (std::vector<ColumnSpec>{IntColumn("id", 64, true, false), StringColumn("name", true),
                                     TimestampColumn("at", TimeUnit::kMillis, true)}));
}

TEST(CsvSchema, TypeNamesReadBack) {
  // What inspect prints as a column's type is what --schema takes.
  const Schema schema({IntColumn("db", 64, false), BinaryColumn("key", true),
                       TimestampColumn("expire:at", TimeUnit::kNanos, true),
                       FixedBinaryColumn("id", 16)});
  std::string text;
  for (const ColumnSpec& c : schema.columns()) {
    if (!text.empty()) text += ",";
    text += c.name + ":" + Schema::TypeName(c);
  }
  EXPECT_EQ(text, "db:uint64,key:binary?,expire:at:timestamp_ns?,id:fixed[16]");
  Result<Schema> parsed = ParseSchemaText(text);
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  EXPECT_EQ(*parsed, schema);
}

std::string SchemaError(std::string_view text) {
  Result<Schema> schema = ParseSchemaText(text);
  EXPECT_FALSE(schema.ok()) << text;
  return schema.ok() ? "" : schema.status().ToString();
}

TEST(CsvSchema, Errors) {
  EXPECT_EQ(SchemaError("a:int64,b:int128"),
            "InvalidArgument: --schema: column b: unknown type \"int128\" (types: bool, int8, "
            "int16, int32, int64, uint8, uint16, uint32, uint64, float, double, string, binary, "
            "fixed[N], date, timestamp_ms, timestamp_us, timestamp_ns; a trailing ? makes a "
            "column OPTIONAL)");
  EXPECT_EQ(SchemaError("a:int64,b"),
            "InvalidArgument: --schema: entry 2 \"b\" is not name:type (e.g. "
            "\"id:int64,name:string?\")");
  EXPECT_EQ(SchemaError(""),
            "InvalidArgument: --schema: entry 1 \"\" is not name:type (e.g. "
            "\"id:int64,name:string?\")");
  EXPECT_EQ(SchemaError("a:int64,"),
            "InvalidArgument: --schema: entry 2 \"\" is not name:type (e.g. "
            "\"id:int64,name:string?\")");
  EXPECT_EQ(SchemaError(":int64"), "InvalidArgument: --schema: entry 1 has no column name");
  EXPECT_EQ(SchemaError("a:int64,a:string"), "InvalidArgument: --schema: column a appears twice");
  EXPECT_NE(SchemaError("a:"), "");
  EXPECT_NE(SchemaError("a:INT64"), "");  // type names are lower case
  EXPECT_NE(SchemaError("a:fixed[0]"), "");
  EXPECT_NE(SchemaError("a:fixed[x]"), "");
  EXPECT_NE(SchemaError("a:int64??"), "");
}

// The type inferred for one column holding these fields.
ColumnSpec InferOne(const std::vector<std::string>& fields) {
  CsvTypeInference inference(1);
  for (const std::string& f : fields) inference.Observe(0, f);
  return inference.Infer(0, "c");
}

TEST(CsvSchema, InferencePicksTheFirstTypeEveryValueFits) {
  constexpr bool kOptional = true;
  EXPECT_EQ(InferOne({"true", "FALSE", ""}), BoolColumn("c", kOptional));
  EXPECT_EQ(InferOne({"1", "-2", "", "+3", " 4 "}), IntColumn("c", 64, true, kOptional));
  EXPECT_EQ(InferOne({"1", "2.5"}), DoubleColumn("c", kOptional));
  EXPECT_EQ(InferOne({"1", "NaN", "-Infinity", "inf", "1e5"}), DoubleColumn("c", kOptional));
  EXPECT_EQ(InferOne({"2026-01-01", "1969-12-31"}), DateColumn("c", kOptional));
  EXPECT_EQ(InferOne({"2026-01-01", "2026-01-01 12:00:00"}),
            TimestampColumn("c", TimeUnit::kMillis, kOptional));
  EXPECT_EQ(InferOne({"2026-01-01T12:00:00.1Z", "1900-01-01 00:00:00.123"}),
            TimestampColumn("c", TimeUnit::kMillis, kOptional));
  EXPECT_EQ(InferOne({"2026-01-01 12:00:00.1234"}),
            TimestampColumn("c", TimeUnit::kMicros, kOptional));
  EXPECT_EQ(InferOne({"2026-01-01 12:00:00.000000", "2026-01-01 12:00:00"}),
            TimestampColumn("c", TimeUnit::kMicros, kOptional));
  EXPECT_EQ(InferOne({"2026-01-01 12:00:00.1234567"}),
            TimestampColumn("c", TimeUnit::kNanos, kOptional));
  EXPECT_EQ(InferOne({"hello", "1"}), StringColumn("c", kOptional));
  EXPECT_EQ(InferOne({"1", "true"}), StringColumn("c", kOptional));
  EXPECT_EQ(InferOne({"2026-01-01", "2026-13-01"}), StringColumn("c", kOptional));
  EXPECT_EQ(InferOne({"   "}), StringColumn("c", kOptional));
}

TEST(CsvSchema, InferenceKeepsWhatAValueCannotLose) {
  constexpr bool kOptional = true;
  // No value at all: string.
  EXPECT_EQ(InferOne({}), StringColumn("c", kOptional));
  EXPECT_EQ(InferOne({"", ""}), StringColumn("c", kOptional));
  // Integers past int64 would round as doubles: string, whatever came before them.
  EXPECT_EQ(InferOne({"18446744073709551615"}), StringColumn("c", kOptional));
  EXPECT_EQ(InferOne({"1.5", "99999999999999999999"}), StringColumn("c", kOptional));
  EXPECT_EQ(InferOne({"9223372036854775807", "-9223372036854775808"}),
            IntColumn("c", 64, true, kOptional));
  // Nanoseconds cannot hold a 9-digit fraction in year 1500: string.
  EXPECT_EQ(InferOne({"1500-01-01 00:00:00.123456789"}), StringColumn("c", kOptional));
  // Bytes that are not UTF-8: binary.
  EXPECT_EQ(InferOne({"ok", "\xFF\xFE"}), BinaryColumn("c", kOptional));
}

TEST(CsvSchema, InferenceIsPerColumn) {
  CsvTypeInference inference(3);
  for (const auto& row : std::vector<std::vector<std::string>>{{"1", "x", "1.5"}, {"2", "", "2"}}) {
    for (size_t c = 0; c < row.size(); c++) inference.Observe(c, row[c]);
  }
  EXPECT_EQ(inference.Infer(0, "a"), IntColumn("a", 64, true, true));
  EXPECT_EQ(inference.Infer(1, "b"), StringColumn("b", true));
  EXPECT_EQ(inference.Infer(2, "c"), DoubleColumn("c", true));
}

}  // namespace
}  // namespace strata::parquet
