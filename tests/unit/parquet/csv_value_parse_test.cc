// Text to values (value_parse.h), as from-csv converts CSV fields: every type, its limits and
// its errors. Expected day and instant counts were worked out by hand from the calendar (and
// checked against Python's datetime), never by the code under test.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <string>

#include "parquet/value_parse.h"

namespace strata::parquet {
namespace {

int64_t Int(std::string_view text, int bits, bool is_signed) {
  int64_t v = 0;
  Status s = ParseInteger(text, bits, is_signed, &v);
  EXPECT_TRUE(s.ok()) << text << ": " << s.ToString();
  return v;
}

std::string IntError(std::string_view text, int bits, bool is_signed) {
  int64_t v = 0;
  Status s = ParseInteger(text, bits, is_signed, &v);
  EXPECT_TRUE(s.IsInvalidArgument()) << text;
  return s.message();
}

TEST(CsvValueParse, SignedIntegerLimits) {
  EXPECT_EQ(Int("-128", 8, true), -128);
  EXPECT_EQ(Int("127", 8, true), 127);
  EXPECT_EQ(IntError("128", 8, true), "\"128\" is out of range for int8 (-128..127)");
  EXPECT_EQ(IntError("-129", 8, true), "\"-129\" is out of range for int8 (-128..127)");
  EXPECT_EQ(Int("-32768", 16, true), -32768);
  EXPECT_EQ(Int("32767", 16, true), 32767);
  EXPECT_EQ(IntError("32768", 16, true), "\"32768\" is out of range for int16 (-32768..32767)");
  EXPECT_EQ(Int("-2147483648", 32, true), INT32_MIN);
  EXPECT_EQ(Int("2147483647", 32, true), INT32_MAX);
  EXPECT_EQ(IntError("2147483648", 32, true),
            "\"2147483648\" is out of range for int32 (-2147483648..2147483647)");
  EXPECT_EQ(Int("-9223372036854775808", 64, true), INT64_MIN);
  EXPECT_EQ(Int("9223372036854775807", 64, true), INT64_MAX);
  EXPECT_EQ(IntError("9223372036854775808", 64, true),
            "\"9223372036854775808\" is out of range for int64 "
            "(-9223372036854775808..9223372036854775807)");
}

TEST(CsvValueParse, UnsignedIntegerLimits) {
  EXPECT_EQ(Int("0", 8, false), 0);
  EXPECT_EQ(Int("255", 8, false), 255);
  EXPECT_EQ(IntError("256", 8, false), "\"256\" is out of range for uint8 (0..255)");
  EXPECT_EQ(IntError("-1", 8, false), "\"-1\" is out of range for uint8 (0..255)");
  EXPECT_EQ(Int("65535", 16, false), 65535);
  EXPECT_EQ(Int("4294967295", 32, false), 4294967295);
  EXPECT_EQ(IntError("4294967296", 32, false),
            "\"4294967296\" is out of range for uint32 (0..4294967295)");
  // uint64 keeps its bit pattern in int64: the maximum is the pattern of -1.
  EXPECT_EQ(Int("18446744073709551615", 64, false), -1);
  EXPECT_EQ(Int("9223372036854775808", 64, false), INT64_MIN);
  EXPECT_EQ(IntError("18446744073709551616", 64, false),
            "\"18446744073709551616\" is out of range for uint64 (0..18446744073709551615)");
  EXPECT_EQ(Int("-0", 64, false), 0);
}

TEST(CsvValueParse, IntegerSyntax) {
  EXPECT_EQ(Int("+42", 64, true), 42);
  EXPECT_EQ(Int("  7\t", 64, true), 7);  // spaces around numbers are ignored
  EXPECT_EQ(Int("007", 64, true), 7);
  EXPECT_EQ(IntError("1.5", 64, true), "\"1.5\" is not an integer (int64)");
  EXPECT_EQ(IntError("12abc", 32, true), "\"12abc\" is not an integer (int32)");
  EXPECT_EQ(IntError("", 64, true), "\"\" is not an integer (int64)");
  EXPECT_EQ(IntError("-", 64, false), "\"-\" is not an integer (uint64)");
  EXPECT_EQ(IntError("0x10", 64, true), "\"0x10\" is not an integer (int64)");
  EXPECT_EQ(IntError("1 2", 64, true), "\"1 2\" is not an integer (int64)");
}

TEST(CsvValueParse, Doubles) {
  double d = 0;
  ASSERT_TRUE(ParseDouble("0.1", &d).ok());
  EXPECT_EQ(d, 0.1);
  ASSERT_TRUE(ParseDouble("-2.5e-3", &d).ok());
  EXPECT_EQ(d, -0.0025);
  ASSERT_TRUE(ParseDouble("+1E10", &d).ok());
  EXPECT_EQ(d, 1e10);
  ASSERT_TRUE(ParseDouble("1.7976931348623157e308", &d).ok());
  EXPECT_EQ(d, std::numeric_limits<double>::max());
  ASSERT_TRUE(ParseDouble("-0", &d).ok());
  EXPECT_TRUE(d == 0 && std::signbit(d));
  for (const char* nan : {"NaN", "nan", "NAN"}) {
    ASSERT_TRUE(ParseDouble(nan, &d).ok()) << nan;
    EXPECT_TRUE(std::isnan(d)) << nan;
  }
  for (const char* inf : {"Infinity", "inf", "INF", "+Infinity"}) {
    ASSERT_TRUE(ParseDouble(inf, &d).ok()) << inf;
    EXPECT_EQ(d, std::numeric_limits<double>::infinity()) << inf;
  }
  for (const char* inf : {"-Infinity", "-inf"}) {
    ASSERT_TRUE(ParseDouble(inf, &d).ok()) << inf;
    EXPECT_EQ(d, -std::numeric_limits<double>::infinity()) << inf;
  }
  Status s = ParseDouble("1e400", &d);
  EXPECT_EQ(s.message(), "\"1e400\" is out of range for double");
  s = ParseDouble("1,5", &d);  // no locale: a comma is never a decimal point
  EXPECT_EQ(s.message(), "\"1,5\" is not a number (double)");
  s = ParseDouble("", &d);
  EXPECT_EQ(s.message(), "\"\" is not a number (double)");
}

TEST(CsvValueParse, FloatsRoundOnceToFloat) {
  float f = 0;
  ASSERT_TRUE(ParseFloat("0.1", &f).ok());
  EXPECT_EQ(f, 0.1f);
  ASSERT_TRUE(ParseFloat("3.4028235e38", &f).ok());
  EXPECT_EQ(f, std::numeric_limits<float>::max());
  ASSERT_TRUE(ParseFloat("-inf", &f).ok());
  EXPECT_EQ(f, -std::numeric_limits<float>::infinity());
  EXPECT_EQ(ParseFloat("1e39", &f).message(), "\"1e39\" is out of range for float");
}

TEST(CsvValueParse, Bools) {
  bool b = false;
  for (const char* t : {"true", "TRUE", "True", " true "}) {
    ASSERT_TRUE(ParseBool(t, &b).ok()) << t;
    EXPECT_TRUE(b);
  }
  ASSERT_TRUE(ParseBool("False", &b).ok());
  EXPECT_FALSE(b);
  EXPECT_EQ(ParseBool("1", &b).message(), "\"1\" is not a bool (true or false)");
  EXPECT_EQ(ParseBool("yes", &b).message(), "\"yes\" is not a bool (true or false)");
}

TEST(CsvValueParse, Dates) {
  int32_t days = 0;
  auto date = [&](std::string_view text) {
    Status s = ParseDate(text, &days);
    EXPECT_TRUE(s.ok()) << text << ": " << s.ToString();
    return days;
  };
  EXPECT_EQ(date("1970-01-01"), 0);
  EXPECT_EQ(date("1970-01-02"), 1);
  EXPECT_EQ(date("1969-12-31"), -1);
  EXPECT_EQ(date("2000-02-29"), 11016);  // 30 years of 365 days and 7 leap days, + 59
  EXPECT_EQ(date("2026-11-21"), 20778);
  EXPECT_EQ(date("1900-01-01"), -25567);
  EXPECT_EQ(date("0001-01-01"), -719162);
  EXPECT_EQ(date("9999-12-31"), 2932896);
  EXPECT_EQ(ParseDate("2023-02-29", &days).message(), "\"2023-02-29\" is not a date (YYYY-MM-DD)");
  EXPECT_EQ(ParseDate("1900-02-29", &days).message(), "\"1900-02-29\" is not a date (YYYY-MM-DD)");
  EXPECT_EQ(ParseDate("2024-13-01", &days).message(), "\"2024-13-01\" is not a date (YYYY-MM-DD)");
  EXPECT_EQ(ParseDate("2024-1-01", &days).message(), "\"2024-1-01\" is not a date (YYYY-MM-DD)");
  EXPECT_EQ(ParseDate("24-01-01", &days).message(), "\"24-01-01\" is not a date (YYYY-MM-DD)");
  EXPECT_EQ(ParseDate("2024-01-01 00:00:00", &days).message(),
            "\"2024-01-01 00:00:00\" is not a date (YYYY-MM-DD)");
}

int64_t Ts(std::string_view text, TimeUnit unit) {
  int64_t v = 0;
  Status s = ParseTimestamp(text, unit, &v);
  EXPECT_TRUE(s.ok()) << text << ": " << s.ToString();
  return v;
}

TEST(CsvValueParse, Timestamps) {
  // 2026-11-21 is day 20778: 20778 * 86400 + 12 * 3600 = 1795262400 seconds.
  EXPECT_EQ(Ts("2026-11-21 12:00:00.123", TimeUnit::kMillis), 1795262400123);
  EXPECT_EQ(Ts("2026-11-21T12:00:00.123Z", TimeUnit::kMillis), 1795262400123);
  EXPECT_EQ(Ts("2026-11-21 12:00:00", TimeUnit::kMillis), 1795262400000);
  EXPECT_EQ(Ts("2026-11-21 12:00:00.5", TimeUnit::kMicros), 1795262400500000);
  EXPECT_EQ(Ts("2026-11-21 12:00:00.000000001", TimeUnit::kNanos), 1795262400000000001);
  // A date alone is midnight.
  EXPECT_EQ(Ts("2026-11-21", TimeUnit::kMillis), 1795219200000);
  EXPECT_EQ(Ts("1970-01-01 00:00:00", TimeUnit::kNanos), 0);
  // Trailing zeros beyond the unit lose nothing.
  EXPECT_EQ(Ts("1970-01-01 00:00:01.250000", TimeUnit::kMillis), 1250);
}

TEST(CsvValueParse, TimestampsBefore1970) {
  EXPECT_EQ(Ts("1969-12-31 23:59:59.999", TimeUnit::kMillis), -1);
  EXPECT_EQ(Ts("1969-12-31 23:59:59", TimeUnit::kMicros), -1000000);
  EXPECT_EQ(Ts("1969-12-31 23:59:59.999999999", TimeUnit::kNanos), -1);
  EXPECT_EQ(Ts("1900-01-01 00:00:00", TimeUnit::kMillis), -2208988800000);
  EXPECT_EQ(Ts("0001-01-01 00:00:00", TimeUnit::kMicros), -62135596800000000);
}

TEST(CsvValueParse, TimestampLimitsAndErrors) {
  // Nanoseconds in int64 span 1677-09-21 00:12:43.145224192 .. 2262-04-11 23:47:16.854775807.
  EXPECT_EQ(Ts("2262-04-11 23:47:16.854775807", TimeUnit::kNanos), INT64_MAX);
  EXPECT_EQ(Ts("1677-09-21 00:12:43.145224192", TimeUnit::kNanos), INT64_MIN);
  int64_t v = 0;
  EXPECT_EQ(ParseTimestamp("2262-04-11 23:47:16.854775808", TimeUnit::kNanos, &v).message(),
            "\"2262-04-11 23:47:16.854775808\" is out of range for timestamp_ns");
  EXPECT_EQ(ParseTimestamp("2026-01-01 00:00:00.1234", TimeUnit::kMillis, &v).message(),
            "\"2026-01-01 00:00:00.1234\" has a finer fraction than timestamp_ms holds");
  const std::string bad = " is not a timestamp (YYYY-MM-DD[ HH:MM:SS[.fffffffff]][Z], UTC)";
  EXPECT_EQ(ParseTimestamp("2026-01-01 24:00:00", TimeUnit::kMillis, &v).message(),
            "\"2026-01-01 24:00:00\"" + bad);
  EXPECT_EQ(ParseTimestamp("2026-01-01 12:00", TimeUnit::kMillis, &v).message(),
            "\"2026-01-01 12:00\"" + bad);
  EXPECT_EQ(ParseTimestamp("2026-01-01 12:00:00.", TimeUnit::kMillis, &v).message(),
            "\"2026-01-01 12:00:00.\"" + bad);
  EXPECT_EQ(ParseTimestamp("2026-01-01 12:00:00+02:00", TimeUnit::kMillis, &v).message(),
            "\"2026-01-01 12:00:00+02:00\"" + bad);
  EXPECT_EQ(ParseTimestamp("2026-01-01 12:00:00.1234567891", TimeUnit::kNanos, &v).message(),
            "\"2026-01-01 12:00:00.1234567891\" has more than 9 fraction digits");
}

TEST(CsvValueParse, BinaryEscapes) {
  std::string out;
  ASSERT_TRUE(ParseBinary("ab\\x00\\xFF\\x5c\\x22", &out).ok());
  EXPECT_EQ(out, std::string("ab\0\xFF\\\"", 6));
  ASSERT_TRUE(ParseBinary("", &out).ok());
  EXPECT_EQ(out, "");
  EXPECT_EQ(ParseBinary("a\\b", &out).message(),
            "\"a\\b\" has a backslash that does not start a \\xHH escape (binary; write a "
            "backslash as \\x5C)");
  EXPECT_FALSE(ParseBinary("\\x1", &out).ok());
  EXPECT_FALSE(ParseBinary("\\xZZ", &out).ok());
}

TEST(CsvValueParse, AppendParsedValueUsesTheColumnType) {
  ColumnVector u32(Type::kInt32);
  ASSERT_TRUE(AppendParsedValue(IntColumn("u", 32, false), "4294967295", &u32).ok());
  EXPECT_EQ(u32.Value<int32_t>(0), -1);  // the bit pattern
  ColumnVector date(Type::kInt32);
  ASSERT_TRUE(AppendParsedValue(DateColumn("d"), "1969-12-31", &date).ok());
  EXPECT_EQ(date.Value<int32_t>(0), -1);
  ColumnVector ts(Type::kInt64);
  ASSERT_TRUE(
      AppendParsedValue(TimestampColumn("t", TimeUnit::kMicros), "1970-01-01 00:00:01", &ts).ok());
  EXPECT_EQ(ts.Value<int64_t>(0), 1000000);
  ColumnVector str(Type::kByteArray);
  ASSERT_TRUE(AppendParsedValue(StringColumn("s"), " caf\xC3\xA9 ", &str).ok());
  EXPECT_EQ(str.Bytes(0), " caf\xC3\xA9 ");  // strings are not trimmed
  EXPECT_EQ(AppendParsedValue(StringColumn("s"), "\xC3(", &str).message(),
            "\"\xC3(\" is not valid UTF-8 (string)");
  ColumnVector bin(Type::kByteArray);
  ASSERT_TRUE(AppendParsedValue(BinaryColumn("b"), "\\xC3(", &bin).ok());
  EXPECT_EQ(bin.Bytes(0), "\xC3(");
  ColumnVector fixed(Type::kFixedLenByteArray, 2);
  ASSERT_TRUE(AppendParsedValue(FixedBinaryColumn("f", 2), "a\\x00", &fixed).ok());
  EXPECT_EQ(fixed.Bytes(0), std::string("a\0", 2));
  EXPECT_EQ(AppendParsedValue(FixedBinaryColumn("f", 2), "abc", &fixed).message(),
            "\"abc\" is 3 bytes, the column holds 2");
  ColumnVector i8(Type::kInt32);
  EXPECT_EQ(AppendParsedValue(IntColumn("i", 8, true), "200", &i8).message(),
            "\"200\" is out of range for int8 (-128..127)");
  EXPECT_EQ(i8.size(), 0u);  // nothing appended on error
}

}  // namespace
}  // namespace strata::parquet
