// Values to text (value_format.h), as `strata parquet cat` prints them in CSV and JSON lines;
// and that what is printed parses back (value_parse.h) to the same value. Expected texts are
// written out by hand.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <limits>
#include <string>

#include "parquet/value_format.h"
#include "parquet/value_parse.h"

namespace strata::parquet {
namespace {

std::string Text(const ColumnSpec& column, const ColumnVector& v, size_t row = 0) {
  std::string out;
  AppendValue(column, v, row, ValueStyle::kText, &out);
  return out;
}

std::string Json(const ColumnSpec& column, const ColumnVector& v, size_t row = 0) {
  std::string out;
  AppendValue(column, v, row, ValueStyle::kJson, &out);
  return out;
}

// A one-value vector of column's type parsed from text, printed back in both styles.
struct Rendered {
  std::string text;
  std::string json;
};
Rendered RoundTrip(const ColumnSpec& column, std::string_view text) {
  ColumnVector v(column.physical, column.type_length);
  Status s = AppendParsedValue(column, text, &v);
  EXPECT_TRUE(s.ok()) << text << ": " << s.ToString();
  if (!s.ok()) return {};
  return {Text(column, v), Json(column, v)};
}

TEST(CsvValueFormat, Integers) {
  const ColumnSpec u64 = IntColumn("u", 64, false);
  ColumnVector v(Type::kInt64);
  v.AppendInt64(-1);
  EXPECT_EQ(Text(u64, v), "18446744073709551615");
  EXPECT_EQ(Json(u64, v), "18446744073709551615");  // beyond 2^53, printed exactly
  EXPECT_EQ(Text(IntColumn("i", 64, true), v), "-1");
  ColumnVector w(Type::kInt32);
  w.AppendInt32(-1);
  EXPECT_EQ(Text(IntColumn("u", 32, false), w), "4294967295");
  EXPECT_EQ(Text(IntColumn("i", 32, true), w), "-1");
  EXPECT_EQ(RoundTrip(IntColumn("i", 8, true), "-128").text, "-128");
  EXPECT_EQ(RoundTrip(IntColumn("u", 16, false), "65535").text, "65535");
  EXPECT_EQ(RoundTrip(IntColumn("i", 64, true), "-9223372036854775808").json,
            "-9223372036854775808");
}

TEST(CsvValueFormat, FloatsAreShortestAndReadBack) {
  EXPECT_EQ(RoundTrip(DoubleColumn("d"), "0.1").text, "0.1");
  EXPECT_EQ(RoundTrip(DoubleColumn("d"), "1.5").json, "1.5");
  EXPECT_EQ(RoundTrip(DoubleColumn("d"), "3.0").text, "3");
  EXPECT_EQ(RoundTrip(DoubleColumn("d"), "1e20").text, "1e+20");
  EXPECT_EQ(RoundTrip(DoubleColumn("d"), "-0").text, "-0");
  EXPECT_EQ(RoundTrip(DoubleColumn("d"), "0.30000000000000004").text, "0.30000000000000004");
  EXPECT_EQ(RoundTrip(DoubleColumn("d"), "5e-324").text, "5e-324");
  EXPECT_EQ(RoundTrip(DoubleColumn("d"), "1.7976931348623157e308").text, "1.7976931348623157e+308");
  // A float prints the shortest text for the float, not for the double it widens to.
  EXPECT_EQ(RoundTrip(FloatColumn("f"), "0.1").text, "0.1");
  EXPECT_EQ(RoundTrip(FloatColumn("f"), "16777217").text, "16777216");
  EXPECT_EQ(RoundTrip(FloatColumn("f"), "3.4028235e38").text, "3.4028235e+38");
}

TEST(CsvValueFormat, NonFiniteFloatsAreWords) {
  for (const ColumnSpec& column : {DoubleColumn("d"), FloatColumn("f")}) {
    EXPECT_EQ(RoundTrip(column, "nan").text, "NaN");
    EXPECT_EQ(RoundTrip(column, "nan").json, "\"NaN\"");
    EXPECT_EQ(RoundTrip(column, "inf").text, "Infinity");
    EXPECT_EQ(RoundTrip(column, "Infinity").json, "\"Infinity\"");
    EXPECT_EQ(RoundTrip(column, "-inf").text, "-Infinity");
    EXPECT_EQ(RoundTrip(column, "-Infinity").json, "\"-Infinity\"");
  }
}

TEST(CsvValueFormat, BoolsAndNulls) {
  ColumnVector v(Type::kBoolean);
  v.AppendBool(true);
  v.AppendNull();
  v.AppendBool(false);
  const ColumnSpec b = BoolColumn("b", true);
  EXPECT_EQ(Text(b, v, 0), "true");
  EXPECT_EQ(Json(b, v, 0), "true");
  EXPECT_EQ(Text(b, v, 1), "");
  EXPECT_EQ(Json(b, v, 1), "null");
  EXPECT_EQ(Text(b, v, 2), "false");
}

TEST(CsvValueFormat, Dates) {
  ColumnVector v(Type::kInt32);
  for (int32_t d : {0, -1, 20778, 11016, -719162, 2932896, -719163}) v.AppendInt32(d);
  const ColumnSpec date = DateColumn("d");
  EXPECT_EQ(Text(date, v, 0), "1970-01-01");
  EXPECT_EQ(Text(date, v, 1), "1969-12-31");
  EXPECT_EQ(Text(date, v, 2), "2026-11-21");
  EXPECT_EQ(Json(date, v, 2), "\"2026-11-21\"");
  EXPECT_EQ(Text(date, v, 3), "2000-02-29");
  EXPECT_EQ(Text(date, v, 4), "0001-01-01");
  EXPECT_EQ(Text(date, v, 5), "9999-12-31");
  EXPECT_EQ(Text(date, v, 6), "0000-12-31");  // year 0 is 1 BC
  EXPECT_EQ(RoundTrip(date, "-0044-03-15").text, "-0044-03-15");
  EXPECT_EQ(RoundTrip(date, "12345-06-07").text, "12345-06-07");
}

TEST(CsvValueFormat, TimestampsKeepTheirUnitsDigits) {
  ColumnVector v(Type::kInt64);
  v.AppendInt64(1795262400123);
  v.AppendInt64(-1);
  v.AppendInt64(0);
  const ColumnSpec ms = TimestampColumn("t", TimeUnit::kMillis);
  EXPECT_EQ(Text(ms, v, 0), "2026-11-21 12:00:00.123");
  EXPECT_EQ(Json(ms, v, 0), "\"2026-11-21 12:00:00.123\"");
  EXPECT_EQ(Text(ms, v, 1), "1969-12-31 23:59:59.999");
  EXPECT_EQ(Text(ms, v, 2), "1970-01-01 00:00:00.000");
  const ColumnSpec us = TimestampColumn("t", TimeUnit::kMicros);
  EXPECT_EQ(Text(us, v, 1), "1969-12-31 23:59:59.999999");
  EXPECT_EQ(Text(us, v, 2), "1970-01-01 00:00:00.000000");
  const ColumnSpec ns = TimestampColumn("t", TimeUnit::kNanos);
  EXPECT_EQ(Text(ns, v, 1), "1969-12-31 23:59:59.999999999");
  EXPECT_EQ(Text(ns, v, 0), "1970-01-01 00:29:55.262400123");
  ColumnVector limits(Type::kInt64);
  limits.AppendInt64(std::numeric_limits<int64_t>::min());
  limits.AppendInt64(std::numeric_limits<int64_t>::max());
  EXPECT_EQ(Text(ns, limits, 0), "1677-09-21 00:12:43.145224192");
  EXPECT_EQ(Text(ns, limits, 1), "2262-04-11 23:47:16.854775807");
  EXPECT_EQ(RoundTrip(ms, "1900-01-01 00:00:00.5").text, "1900-01-01 00:00:00.500");
  EXPECT_EQ(RoundTrip(us, "1969-07-20 20:17:40").text, "1969-07-20 20:17:40.000000");
}

TEST(CsvValueFormat, StringsAndBinary) {
  ColumnVector v(Type::kByteArray);
  v.AppendBytes("caf\xC3\xA9 \"q\"\n\\");
  v.AppendBytes(std::string("a\0\xFF'", 4));
  v.AppendBytes("bad \xFF utf8");
  const ColumnSpec s = StringColumn("s");
  EXPECT_EQ(Text(s, v, 0), "caf\xC3\xA9 \"q\"\n\\");
  EXPECT_EQ(Json(s, v, 0), "\"caf\xC3\xA9 \\\"q\\\"\\n\\\\\"");
  EXPECT_EQ(Json(s, v, 2), "\"bad \xEF\xBF\xBD utf8\"");  // U+FFFD for the bad byte
  const ColumnSpec b = BinaryColumn("b");
  EXPECT_EQ(Text(b, v, 1), "a\\x00\\xFF\\x27");
  EXPECT_EQ(Json(b, v, 1), "\"a\\\\x00\\\\xFF\\\\x27\"");
  EXPECT_EQ(Text(b, v, 0), "caf\\xC3\\xA9 \\x22q\\x22\\x0A\\x5C");
  // What binary prints reads back to the same bytes.
  ColumnVector back(Type::kByteArray);
  ASSERT_TRUE(AppendParsedValue(b, Text(b, v, 1), &back).ok());
  EXPECT_EQ(back.Bytes(0), v.Bytes(1));
}

TEST(CsvValueFormat, JsonStringEscapes) {
  std::string out;
  AppendJsonString(std::string("\x01\t\r\x1F", 4), &out);
  EXPECT_EQ(out, "\"\\u0001\\t\\r\\u001F\"");
}

TEST(CsvValueFormat, CsvFieldQuoting) {
  auto field = [](std::string_view text, bool force = false) {
    std::string out;
    AppendCsvField(text, ',', force, &out);
    return out;
  };
  EXPECT_EQ(field("plain"), "plain");
  EXPECT_EQ(field("a,b"), "\"a,b\"");
  EXPECT_EQ(field("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(field("two\nlines"), "\"two\nlines\"");
  EXPECT_EQ(field("cr\r"), "\"cr\r\"");
  EXPECT_EQ(field(""), "");
  EXPECT_EQ(field("", true), "\"\"");
  EXPECT_EQ(field(" spaced "), " spaced ");
}

TEST(CsvValueFormat, PlainStatisticsValues) {
  int64_t ts = -1;
  std::string plain(8, '\0');
  std::memcpy(plain.data(), &ts, 8);
  EXPECT_EQ(FormatPlainValue(TimestampColumn("t", TimeUnit::kMillis), plain),
            "1969-12-31 23:59:59.999");
  EXPECT_EQ(FormatPlainValue(IntColumn("u", 64, false), plain), "18446744073709551615");
  EXPECT_EQ(FormatPlainValue(StringColumn("s"), "apple"), "apple");
  EXPECT_EQ(FormatPlainValue(FixedBinaryColumn("f", 4), "ab"), "ab");  // a truncated bound
  // A bound of the wrong size shows as hex instead of being misread.
  EXPECT_EQ(FormatPlainValue(IntColumn("i", 32, true), "abc"), "0x616263");
}

}  // namespace
}  // namespace strata::parquet
