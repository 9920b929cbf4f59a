// CsvReader: RFC 4180 records and fields, line numbers, and errors, from inputs written out
// by hand.
#include "parquet/csv_reader.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace strata::parquet {
namespace {

struct Parsed {
  std::vector<std::vector<std::string>> records;
  std::vector<std::vector<int>> quoted;
  std::vector<uint64_t> lines;
  Status status;
};

// Reads all of text, chunk bytes at a time (small chunks put every boundary inside a field,
// a quote pair or a CRLF somewhere).
Parsed ReadAll(const std::string& text, size_t chunk = 1 << 20, char delimiter = ',') {
  CsvOptions options;
  options.read_chunk_bytes = chunk;
  options.delimiter = delimiter;
  auto reader = CsvReader::FromString(text, "in.csv", options);
  Parsed out;
  CsvRecord record;
  while (true) {
    Result<bool> more = reader->Next(&record);
    if (!more.ok()) {
      out.status = more.status();
      break;
    }
    if (!*more) break;
    out.records.emplace_back(record.fields.begin(), record.fields.end());
    out.quoted.emplace_back(record.quoted.begin(), record.quoted.end());
    out.lines.push_back(record.line);
  }
  return out;
}

using Records = std::vector<std::vector<std::string>>;

// Every test input is also read one byte at a time and in chunks of 2 and 3 bytes: the
// result must not depend on where reads split the input.
void ExpectRecords(const std::string& text, const Records& want) {
  for (size_t chunk : {size_t{1} << 20, size_t{1}, size_t{2}, size_t{3}}) {
    Parsed got = ReadAll(text, chunk);
    ASSERT_TRUE(got.status.ok()) << "chunk " << chunk << ": " << got.status.ToString();
    EXPECT_EQ(got.records, want) << "chunk " << chunk;
  }
}

TEST(CsvReader, PlainRecords) {
  ExpectRecords("a,b,c\n1,2,3\n", {{"a", "b", "c"}, {"1", "2", "3"}});
}

TEST(CsvReader, LastRecordWithoutLineEnd) { ExpectRecords("a,b\n1,2", {{"a", "b"}, {"1", "2"}}); }

TEST(CsvReader, EmptyInputHasNoRecords) {
  ExpectRecords("", {});
  ExpectRecords("\xEF\xBB\xBF", {});
}

TEST(CsvReader, CrLfAndLoneCrEndRecords) {
  ExpectRecords("a,b\r\n1,2\r\n", {{"a", "b"}, {"1", "2"}});
  ExpectRecords("a,b\r1,2\r", {{"a", "b"}, {"1", "2"}});
  ExpectRecords("a\r\n\r\nb\r\n", {{"a"}, {""}, {"b"}});
}

TEST(CsvReader, EmptyFields) {
  ExpectRecords("a,,c\n", {{"a", "", "c"}});
  // An empty trailing field is a field.
  ExpectRecords("a,b,\n1,2,\n", {{"a", "b", ""}, {"1", "2", ""}});
  ExpectRecords(",\n", {{"", ""}});
  // An empty line in the middle is a record of one empty field.
  ExpectRecords("a\n\nb\n", {{"a"}, {""}, {"b"}});
}

TEST(CsvReader, QuotedFields) {
  ExpectRecords("\"a,b\",\"say \"\"hi\"\"\",\"\"\n", {{"a,b", "say \"hi\"", ""}});
  ExpectRecords("\"\"\"\"\n", {{"\""}});
  // A quoted field may hold line ends, CR and CRLF included, kept as they are.
  ExpectRecords("\"line1\nline2\",x\n\"a\r\nb\",y\r\n", {{"line1\nline2", "x"}, {"a\r\nb", "y"}});
  // The last field may be quoted without a line end after it.
  ExpectRecords("1,\"two\"", {{"1", "two"}});
}

TEST(CsvReader, QuotedFlagTellsEmptyStringFromNothing) {
  Parsed got = ReadAll("\"\",,\"x\",y\n");
  ASSERT_TRUE(got.status.ok());
  ASSERT_EQ(got.quoted.size(), 1u);
  EXPECT_EQ(got.quoted[0], (std::vector<int>{1, 0, 1, 0}));
}

TEST(CsvReader, ByteOrderMarkIsSkippedOnlyAtTheStart) {
  ExpectRecords("\xEF\xBB\xBFid,name\n1,x\n", {{"id", "name"}, {"1", "x"}});
  ExpectRecords("\xEF\xBB\xBF\"id\"\n", {{"id"}});
  ExpectRecords("a\n\xEF\xBB\xBF\n", {{"a"}, {"\xEF\xBB\xBF"}});
}

TEST(CsvReader, OtherDelimiters) {
  Parsed got = ReadAll("a\tb,c\t\"d\te\"\n", 1 << 20, '\t');
  ASSERT_TRUE(got.status.ok());
  EXPECT_EQ(got.records, (Records{{"a", "b,c", "d\te"}}));
  got = ReadAll("a;b\n", 1 << 20, ';');
  EXPECT_EQ(got.records, (Records{{"a", "b"}}));
}

TEST(CsvReader, FieldBytesAreKeptAsTheyAre) {
  ExpectRecords(" a , b \n", {{" a ", " b "}});
  ExpectRecords("caf\xC3\xA9,\xFF\n", {{"caf\xC3\xA9", "\xFF"}});
}

TEST(CsvReader, LineNumbersCountLineEndsInsideQuotes) {
  Parsed got = ReadAll("h\n\"a\nb\nc\"\nx\r\ny\n");
  ASSERT_TRUE(got.status.ok());
  EXPECT_EQ(got.lines, (std::vector<uint64_t>{1, 2, 5, 6}));
}

TEST(CsvReader, QuoteInsideUnquotedFieldIsAnErrorNamingTheLine) {
  Parsed got = ReadAll("a,b\n1,x\"y\n");
  EXPECT_TRUE(got.status.IsInvalidArgument());
  EXPECT_EQ(got.status.message(),
            "in.csv: line 2: quote inside an unquoted field 2 (quote the whole field and double "
            "the quote)");
}

TEST(CsvReader, TextAfterClosingQuoteIsAnError) {
  Parsed got = ReadAll("a\n\"x\"y\n");
  EXPECT_TRUE(got.status.IsInvalidArgument());
  EXPECT_EQ(got.status.message(),
            "in.csv: line 2: unexpected character after the closing quote of field 1");
}

TEST(CsvReader, UnclosedQuoteIsAnErrorNamingWhereItOpened) {
  for (size_t chunk : {size_t{1} << 20, size_t{1}}) {
    Parsed got = ReadAll("a,b\n1,\"open\n\nmore", chunk);
    EXPECT_TRUE(got.status.IsInvalidArgument());
    EXPECT_EQ(got.status.message(),
              "in.csv: line 2: quoted field not closed before the end of the input");
  }
}

TEST(CsvReader, MissingFileIsAnError) {
  auto reader = CsvReader::Open(Env::Default(), "/nonexistent/dir/in.csv", CsvOptions());
  ASSERT_FALSE(reader.ok());
  EXPECT_NE(reader.status().ToString().find("/nonexistent/dir/in.csv"), std::string::npos);
}

}  // namespace
}  // namespace strata::parquet
