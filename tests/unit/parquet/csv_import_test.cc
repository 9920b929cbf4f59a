// ImportCsv end to end: CSV files written by hand, converted, and read back with
// ParquetReader; errors that name the file, line and column; sorting.
#include "parquet/csv_import.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "parquet/csv_schema.h"
#include "parquet/parquet_reader.h"
#include "parquet/value_format.h"
#include "support/test_util.h"

namespace strata::parquet {
namespace {

class CsvImportTest : public ::testing::Test {
 protected:
  std::string WriteCsv(const std::string& text) {
    const std::string path = dir_.File("in.csv");
    std::ofstream(path, std::ios::binary) << text;
    return path;
  }

  Result<CsvImportSummary> Import(const std::string& text, CsvImportOptions options = {}) {
    return ImportCsv(Env::Default(), WriteCsv(text), out(), options);
  }

  std::string out() const { return dir_.File("out.parquet"); }

  // The file's rows as cat prints them in CSV, NULLs as "NULL" so they stand out.
  std::vector<std::string> ReadRows() {
    auto reader = ParquetReader::Open(Env::Default(), out());
    EXPECT_TRUE(reader.ok()) << reader.status().ToString();
    if (!reader.ok()) return {};
    auto batches = (*reader)->Scan(ScanOptions());
    EXPECT_TRUE(batches.ok());
    std::vector<std::string> rows;
    ColumnBatch batch;
    while (true) {
      Result<bool> more = (*batches)->Next(&batch);
      EXPECT_TRUE(more.ok()) << more.status().ToString();
      if (!more.ok() || !*more) break;
      for (size_t r = 0; r < batch.num_rows(); r++) {
        std::string row;
        for (size_t c = 0; c < batch.num_columns(); c++) {
          if (c > 0) row += "|";
          if (!batch.column(c).IsValid(r)) {
            row += "NULL";
          } else {
            AppendValue(batch.schema().column(c), batch.column(c), r, ValueStyle::kText, &row);
          }
        }
        rows.push_back(row);
      }
    }
    return rows;
  }

  Schema ReadSchema() {
    auto reader = ParquetReader::Open(Env::Default(), out());
    EXPECT_TRUE(reader.ok()) << reader.status().ToString();
    return reader.ok() ? (*reader)->schema() : Schema();
  }

  std::string ImportError(const std::string& text, CsvImportOptions options = {}) {
    Result<CsvImportSummary> r = Import(text, options);
    EXPECT_FALSE(r.ok());
    // A failed import leaves neither the output nor its temporary file.
    EXPECT_FALSE(Env::Default()->FileExists(out()));
    EXPECT_FALSE(Env::Default()->FileExists(out() + ".tmp"));
    return r.ok() ? "" : r.status().ToString();
  }

  std::string in() const { return dir_.File("in.csv"); }

  test::TempDir dir_;
};

// A RowSorter for the tests: every row in memory, ordered by key columns of types INT64
// (signed or unsigned) and BYTE_ARRAY only, NULLs first. The real one is merge's
// ExternalSorter, which the CLI passes (and tests/cli covers).
class InMemorySorter : public RowSorter {
 public:
  InMemorySorter(const Schema& schema, std::vector<int> keys)
      : rows_(schema), keys_(std::move(keys)) {}

  Status Add(const ColumnBatch& batch) override {
    for (size_t r = 0; r < batch.num_rows(); r++) CopyRow(batch, r, &rows_);
    return Status::OK();
  }

  Status Finish(const std::function<Status(const ColumnBatch&)>& sink) override {
    std::vector<size_t> order(rows_.num_rows());
    for (size_t i = 0; i < order.size(); i++) order[i] = i;
    std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
      for (int k : keys_) {
        const ColumnVector& v = rows_.column(k);
        if (v.IsValid(a) != v.IsValid(b)) return !v.IsValid(a);
        if (!v.IsValid(a)) continue;
        if (v.physical() == Type::kByteArray) {
          if (v.Bytes(a) != v.Bytes(b)) return v.Bytes(a) < v.Bytes(b);
          continue;
        }
        const ColumnSpec& spec = rows_.schema().column(k);
        const auto x = v.Value<int64_t>(a), y = v.Value<int64_t>(b);
        if (x == y) continue;
        return spec.is_signed ? x < y : static_cast<uint64_t>(x) < static_cast<uint64_t>(y);
      }
      return false;
    });
    ColumnBatch sorted(rows_.schema());
    for (size_t i : order) CopyRow(rows_, i, &sorted);
    return sink(sorted);
  }

 private:
  static void CopyRow(const ColumnBatch& from, size_t r, ColumnBatch* to) {
    for (size_t c = 0; c < from.num_columns(); c++) {
      const ColumnVector& v = from.column(c);
      if (!v.IsValid(r)) {
        to->column(c).AppendNull();
      } else if (v.physical() == Type::kByteArray) {
        to->column(c).AppendBytes(v.Bytes(r));
      } else {
        to->column(c).AppendInt64(v.Value<int64_t>(r));
      }
    }
  }

  ColumnBatch rows_;
  std::vector<int> keys_;
};

RowSorterFactory InMemorySorterFactory() {
  return
      [](const Schema& schema, const std::vector<int>& keys) -> Result<std::unique_ptr<RowSorter>> {
        return std::unique_ptr<RowSorter>(std::make_unique<InMemorySorter>(schema, keys));
      };
}

CsvImportOptions WithSchema(std::string_view text) {
  CsvImportOptions options;
  Result<Schema> schema = ParseSchemaText(text);
  EXPECT_TRUE(schema.ok()) << schema.status().ToString();
  if (schema.ok()) options.schema = *schema;
  return options;
}

TEST_F(CsvImportTest, InfersTypesAndKeepsValues) {
  Result<CsvImportSummary> r = Import(
      "id,name,score,day,at,ok\r\n"
      "1,alice,1.5,2026-11-21,2026-11-21 12:00:00.123,true\r\n"
      "2,\"bob, \"\"jr\"\"\",-0.25,1969-12-31,1969-12-31T23:59:59.999Z,false\r\n"
      "3,,NaN,,,\r\n");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->rows, 3u);
  EXPECT_EQ(r->row_groups, 1u);
  const Schema want({IntColumn("id", 64, true, true), StringColumn("name", true),
                     DoubleColumn("score", true), DateColumn("day", true),
                     TimestampColumn("at", TimeUnit::kMillis, true), BoolColumn("ok", true)});
  EXPECT_EQ(r->schema, want);
  EXPECT_EQ(ReadSchema(), want);
  EXPECT_EQ(ReadRows(), (std::vector<std::string>{
                            "1|alice|1.5|2026-11-21|2026-11-21 12:00:00.123|true",
                            "2|bob, \"jr\"|-0.25|1969-12-31|1969-12-31 23:59:59.999|false",
                            "3|NULL|NaN|NULL|NULL|NULL",
                        }));
}

TEST_F(CsvImportTest, DeclaredSchemaWithEveryType) {
  CsvImportOptions options = WithSchema(
      "b:bool,i8:int8,i16:int16,i32:int32,i64:int64,u8:uint8,u16:uint16,u32:uint32,u64:uint64,"
      "f:float,d:double,s:string,bin:binary,day:date,ms:timestamp_ms,us:timestamp_us,"
      "ns:timestamp_ns");
  options.header = false;
  Result<CsvImportSummary> r = Import(
      "true,-128,-32768,-2147483648,-9223372036854775808,0,0,0,0,0.1,-Infinity,caf\xC3\xA9,"
      "\\x00\\xFF,1969-12-31,1969-12-31 23:59:59.999,1970-01-01 00:00:00.000001,"
      "1677-09-21 00:12:43.145224192\n"
      "false,127,32767,2147483647,9223372036854775807,255,65535,4294967295,"
      "18446744073709551615,3.4028235e38,1e-300,\"\",,2262-04-11,2262-04-11 23:47:16.854,"
      "9999-12-31 23:59:59.999999,2262-04-11 23:47:16.854775807\n",
      options);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(ReadRows(),
            (std::vector<std::string>{
                "true|-128|-32768|-2147483648|-9223372036854775808|0|0|0|0|0.1|-Infinity|"
                "caf\xC3\xA9|\\x00\\xFF|1969-12-31|1969-12-31 23:59:59.999|"
                "1970-01-01 00:00:00.000001|1677-09-21 00:12:43.145224192",
                "false|127|32767|2147483647|9223372036854775807|255|65535|4294967295|"
                "18446744073709551615|3.4028235e+38|1e-300|||2262-04-11|"
                "2262-04-11 23:47:16.854|9999-12-31 23:59:59.999999|"
                "2262-04-11 23:47:16.854775807",
            }));
}

TEST_F(CsvImportTest, EmptyFieldsByColumnKind) {
  // OPTIONAL: unquoted empty is NULL; "" is the empty string in string and binary columns.
  // REQUIRED string: any empty field is the empty string.
  CsvImportOptions options = WithSchema("s:string?,b:binary?,r:string,n:int64?");
  ASSERT_TRUE(Import("s,b,r,n\n,,,\n\"\",\"\",\"\",\"\"\n", options).ok());
  EXPECT_EQ(ReadRows(), (std::vector<std::string>{"NULL|NULL||NULL", "|||NULL"}));
}

TEST_F(CsvImportTest, ErrorsNameFileLineAndColumn) {
  EXPECT_EQ(
      ImportError("id,age\n1,40\n2,forty\n", WithSchema("id:int64,age:int8")),
      "InvalidArgument: " + in() + ": line 3, column 2 (age): \"forty\" is not an integer (int8)");
  EXPECT_EQ(ImportError("id,age\n1,400\n", WithSchema("id:int64,age:int8")),
            "InvalidArgument: " + in() +
                ": line 2, column 2 (age): \"400\" is out of range for int8 (-128..127)");
  EXPECT_EQ(ImportError("id,age\n1,\n", WithSchema("id:int64,age:int8")),
            "InvalidArgument: " + in() +
                ": line 2, column 2 (age): empty field in a REQUIRED int8 column (mark it "
                "OPTIONAL with a trailing ? in --schema)");
  // Line numbers count the line ends inside quoted fields.
  EXPECT_EQ(ImportError("note,n\n\"a\nb\",1\nc,x\n", WithSchema("note:string,n:int64")),
            "InvalidArgument: " + in() + ": line 4, column 2 (n): \"x\" is not an integer (int64)");
}

TEST_F(CsvImportTest, FieldCountMustMatchTheHeader) {
  EXPECT_EQ(ImportError("a,b,c\n1,2,3\n4,5\n"),
            "InvalidArgument: " + in() + ": line 3: 2 fields, expected 3 (as in the header)");
  EXPECT_EQ(ImportError("a,b\n1,2\n\n"),
            "InvalidArgument: " + in() + ": line 3: 1 fields, expected 2 (as in the header)");
  CsvImportOptions no_header;
  no_header.header = false;
  EXPECT_EQ(ImportError("1,2\n3\n", no_header),
            "InvalidArgument: " + in() + ": line 2: 1 fields, expected 2");
}

TEST_F(CsvImportTest, HeaderMustMatchTheSchema) {
  EXPECT_EQ(ImportError("id,nme\n1,x\n", WithSchema("id:int64,name:string")),
            "InvalidArgument: " + in() +
                ": line 1: header column 2 is \"nme\" but --schema names it \"name\"");
  EXPECT_EQ(ImportError("id\n1\n", WithSchema("id:int64,name:string")),
            "InvalidArgument: " + in() + ": line 1: the header has 1 columns, --schema 2");
  EXPECT_EQ(
      ImportError("id,,x\n1,2,3\n"),
      "InvalidArgument: " + in() + ": line 1: header field 2 is empty: every column needs a name");
  EXPECT_EQ(
      ImportError("id,id\n1,2\n"),
      "InvalidArgument: " + in() + ": line 1: column name \"id\" appears twice in the header");
  EXPECT_EQ(ImportError(""), "InvalidArgument: " + in() + ": empty file: no header line");
}

TEST_F(CsvImportTest, HeaderOnlyMakesAnEmptyFile) {
  Result<CsvImportSummary> r = Import("a,b\n");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->rows, 0u);
  EXPECT_EQ(ReadSchema(), Schema({StringColumn("a", true), StringColumn("b", true)}));
  EXPECT_TRUE(ReadRows().empty());
}

TEST_F(CsvImportTest, WithoutHeaderNamesComeFromTheSchemaOrAreNumbered) {
  CsvImportOptions options;
  options.header = false;
  ASSERT_TRUE(Import("1,x\n2,y\n", options).ok());
  EXPECT_EQ(ReadSchema(),
            Schema({IntColumn("column1", 64, true, true), StringColumn("column2", true)}));
  EXPECT_EQ(ReadRows(), (std::vector<std::string>{"1|x", "2|y"}));
  options = WithSchema("n:uint8,s:string");
  options.header = false;
  ASSERT_TRUE(Import("1,x\n", options).ok());
  EXPECT_EQ(ReadSchema(), Schema({IntColumn("n", 8, false), StringColumn("s")}));
}

TEST_F(CsvImportTest, RowGroupsAndDelimiter) {
  CsvImportOptions options;
  options.csv.delimiter = ';';
  options.writer.row_group_rows = 2;
  options.batch_rows = 3;  // batches and row groups do not line up
  Result<CsvImportSummary> r = Import("a;b\n1;x,y\n2;z\n3;\n4;w\n5;v\n", options);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->rows, 5u);
  EXPECT_EQ(r->row_groups, 3u);
  EXPECT_EQ(ReadRows(), (std::vector<std::string>{"1|x,y", "2|z", "3|NULL", "4|w", "5|v"}));
}

TEST_F(CsvImportTest, SortByOrdersRowsAndRecordsSortingColumns) {
  CsvImportOptions options = WithSchema("k:uint64?,v:string");
  options.sort_by = {"k", "v"};
  options.make_sorter = InMemorySorterFactory();
  options.writer.row_group_rows = 3;
  options.batch_rows = 2;
  ASSERT_TRUE(Import("k,v\n18446744073709551615,a\n5,b\n,c\n5,a\n0,z\n", options).ok());
  // What the sorter returned is what was written, in row groups that record the order.
  EXPECT_EQ(ReadRows(),
            (std::vector<std::string>{"NULL|c", "0|z", "5|a", "5|b", "18446744073709551615|a"}));
  auto reader = ParquetReader::Open(Env::Default(), out());
  ASSERT_TRUE(reader.ok());
  ASSERT_EQ((*reader)->num_row_groups(), 2u);
  const std::vector<SortingColumn> want = {{0, false, true}, {1, false, true}};
  for (const RowGroup& rg : (*reader)->metadata().row_groups) {
    ASSERT_TRUE(rg.sorting_columns.has_value());
    EXPECT_EQ(*rg.sorting_columns, want);
  }
}

TEST_F(CsvImportTest, UnknownColumnsInOptionsAreErrors) {
  CsvImportOptions options;
  options.sort_by = {"nope"};
  EXPECT_EQ(ImportError("a\n1\n", options),
            "InvalidArgument: sort column nope: is not a column of the CSV file");
  options.sort_by = {"a"};
  EXPECT_EQ(ImportError("a\n1\n", options),
            "InvalidArgument: sort_by: needs CsvImportOptions::make_sorter");
  options = {};
  options.writer.columns["nope"].bloom_filter = true;
  EXPECT_EQ(ImportError("a\n1\n", options),
            "InvalidArgument: column nope: is not a column of the CSV file");
}

TEST_F(CsvImportTest, BadCsvSyntaxIsAnErrorNamingTheLine) {
  EXPECT_EQ(
      ImportError("a,b\n1,\"x\n"),
      "InvalidArgument: " + in() + ": line 2: quoted field not closed before the end of the input");
}

TEST_F(CsvImportTest, MissingInputIsAnErrorNamingIt) {
  Result<CsvImportSummary> r =
      ImportCsv(Env::Default(), dir_.File("absent.csv"), out(), CsvImportOptions());
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().ToString().find(dir_.File("absent.csv")), std::string::npos);
}

TEST_F(CsvImportTest, FailureKeepsAnExistingOutput) {
  ASSERT_TRUE(Import("a\n1\n").ok());
  EXPECT_FALSE(Import("a\n1\n2,3\n").ok());
  EXPECT_EQ(ReadRows(), (std::vector<std::string>{"1"}));
}

}  // namespace
}  // namespace strata::parquet
