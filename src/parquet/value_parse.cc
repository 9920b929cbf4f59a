#include "parquet/value_parse.h"

#include <charconv>
#include <cmath>
#include <limits>

#include "parquet/utf8.h"

namespace strata::parquet {

namespace {

constexpr int64_t kSecondsPerDay = 86400;
constexpr int64_t kNanosPerSecond = 1000000000;
// Longest quoted text in an error message; CSV fields can be megabytes long.
constexpr size_t kMaxQuotedText = 48;

// `"text"` for a message, shortened, with control bytes escaped so the message stays one
// line.
std::string Quote(std::string_view text) {
  std::string out = "\"";
  const size_t n = std::min(text.size(), kMaxQuotedText);
  for (size_t i = 0; i < n; i++) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x20 || c == 0x7F) {
      static constexpr char kHex[] = "0123456789ABCDEF";
      out += "\\x";
      out += kHex[c >> 4];
      out += kHex[c & 0xF];
    } else {
      out += static_cast<char>(c);
    }
  }
  if (n < text.size()) out += "...";
  out += "\"";
  return out;
}

Status Invalid(std::string_view text, const std::string& why) {
  return Status::InvalidArgument(Quote(text) + " " + why);
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); i++) {
    char x = a[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (x != b[i]) return false;
  }
  return true;
}

// from_chars refuses a leading '+'; people write it.
std::string_view StripPlus(std::string_view s) {
  if (s.size() > 1 && s[0] == '+' && s[1] != '-' && s[1] != '+') s.remove_prefix(1);
  return s;
}

// Reads exactly `digits` decimal digits at s[*pos].
bool ReadDigits(std::string_view s, size_t* pos, int digits, int* out) {
  if (*pos + digits > s.size()) return false;
  int v = 0;
  for (int i = 0; i < digits; i++) {
    const char c = s[*pos + i];
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  *pos += digits;
  *out = v;
  return true;
}

bool IsLeapYear(int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int DaysInMonth(int64_t year, int month) {
  static constexpr int kDays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month == 2 && IsLeapYear(year) ? 29 : kDays[month - 1];
}

// Parses [-]YYYY-MM-DD at the front of s; *pos receives where it ended.
bool ParseDatePrefix(std::string_view s, size_t* pos, int64_t* days) {
  size_t i = 0;
  bool negative = false;
  if (i < s.size() && s[i] == '-') {
    negative = true;
    i++;
  }
  // Years of 4 to 7 digits: enough for every int32 date, short enough not to overflow.
  const size_t year_start = i;
  int64_t year = 0;
  while (i < s.size() && s[i] >= '0' && s[i] <= '9' && i - year_start < 7) {
    year = year * 10 + (s[i] - '0');
    i++;
  }
  if (i - year_start < 4 || i >= s.size() || s[i] != '-') return false;
  i++;
  int month = 0;
  int day = 0;
  if (!ReadDigits(s, &i, 2, &month) || i >= s.size() || s[i] != '-') return false;
  i++;
  if (!ReadDigits(s, &i, 2, &day)) return false;
  if (negative) year = -year;
  if (month < 1 || month > 12 || day < 1 || day > DaysInMonth(year, month)) return false;
  *days = DaysFromCivil(year, month, day);
  *pos = i;
  return true;
}

int64_t UnitsPerSecond(TimeUnit unit) {
  switch (unit) {
    case TimeUnit::kMillis:
      return 1000;
    case TimeUnit::kMicros:
      return 1000000;
    case TimeUnit::kNanos:
      return kNanosPerSecond;
  }
  return 1000;
}

}  // namespace

int64_t DaysFromCivil(int64_t year, int month, int day) {
  // Counts in 400-year eras that start on March 1st, so the leap day ends its year and
  // every month's offset within a year is a fixed formula.
  const int64_t y = month <= 2 ? year - 1 : year;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t year_of_era = y - era * 400;                        // 0..399
  const int64_t shifted_month = month > 2 ? month - 3 : month + 9;  // March = 0
  const int64_t day_of_year = (153 * shifted_month + 2) / 5 + day - 1;
  const int64_t day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
  // 719468 days separate 0000-03-01 from 1970-01-01.
  return era * 146097 + day_of_era - 719468;
}

Status ParseBool(std::string_view text, bool* out) {
  const std::string_view t = Trim(text);
  if (EqualsIgnoreCase(t, "true")) {
    *out = true;
    return Status::OK();
  }
  if (EqualsIgnoreCase(t, "false")) {
    *out = false;
    return Status::OK();
  }
  return Invalid(text, "is not a bool (true or false)");
}

Status ParseInteger(std::string_view text, int bit_width, bool is_signed, int64_t* out) {
  const std::string_view t = StripPlus(Trim(text));
  const std::string type = Schema::IntegerTypeName(bit_width, is_signed);
  const char* end = t.data() + t.size();
  // The range is checked after parsing at full width, so "300" for an int8 is "out of
  // range", not "not an integer".
  if (is_signed) {
    const int64_t lo =
        bit_width == 64 ? std::numeric_limits<int64_t>::min() : -(int64_t{1} << (bit_width - 1));
    const int64_t hi =
        bit_width == 64 ? std::numeric_limits<int64_t>::max() : (int64_t{1} << (bit_width - 1)) - 1;
    int64_t v = 0;
    auto [p, ec] = std::from_chars(t.data(), end, v);
    if (t.empty() || p != end) return Invalid(text, "is not an integer (" + type + ")");
    if (ec == std::errc::result_out_of_range || v < lo || v > hi) {
      return Invalid(text, "is out of range for " + type + " (" + std::to_string(lo) + ".." +
                               std::to_string(hi) + ")");
    }
    *out = v;
    return Status::OK();
  }
  const uint64_t hi = bit_width == 64 ? UINT64_MAX : (uint64_t{1} << bit_width) - 1;
  const std::string range = " (0.." + std::to_string(hi) + ")";
  // from_chars into an unsigned type refuses any '-'; a negative number is out of range.
  const bool negative = !t.empty() && t[0] == '-';
  uint64_t v = 0;
  auto [p, ec] = std::from_chars(t.data() + (negative ? 1 : 0), end, v);
  if (t.size() == (negative ? 1u : 0u) || p != end) {
    return Invalid(text, "is not an integer (" + type + ")");
  }
  if (negative && v == 0) {
    *out = 0;  // "-0"
    return Status::OK();
  }
  if (negative || ec == std::errc::result_out_of_range || v > hi) {
    return Invalid(text, "is out of range for " + type + range);
  }
  // The bit pattern: a uint64 above INT64_MAX, or a uint32 above INT32_MAX once the caller
  // narrows it to int32, is stored as the negative number with the same bits.
  *out = static_cast<int64_t>(v);
  return Status::OK();
}

Status ParseDouble(std::string_view text, double* out) {
  const std::string_view t = StripPlus(Trim(text));
  const char* end = t.data() + t.size();
  auto [p, ec] = std::from_chars(t.data(), end, *out, std::chars_format::general);
  if (p != end || t.empty()) return Invalid(text, "is not a number (double)");
  if (ec == std::errc::result_out_of_range) return Invalid(text, "is out of range for double");
  return Status::OK();
}

Status ParseFloat(std::string_view text, float* out) {
  const std::string_view t = StripPlus(Trim(text));
  const char* end = t.data() + t.size();
  // Straight to float: going through double would round twice.
  auto [p, ec] = std::from_chars(t.data(), end, *out, std::chars_format::general);
  if (p != end || t.empty()) return Invalid(text, "is not a number (float)");
  if (ec == std::errc::result_out_of_range) return Invalid(text, "is out of range for float");
  return Status::OK();
}

Status ParseDate(std::string_view text, int32_t* days) {
  const std::string_view t = Trim(text);
  size_t pos = 0;
  int64_t d = 0;
  if (!ParseDatePrefix(t, &pos, &d) || pos != t.size()) {
    return Invalid(text, "is not a date (YYYY-MM-DD)");
  }
  if (d < std::numeric_limits<int32_t>::min() || d > std::numeric_limits<int32_t>::max()) {
    return Invalid(text, "is out of range for date");
  }
  *days = static_cast<int32_t>(d);
  return Status::OK();
}

Status ParseTimestampParts(std::string_view text, TimestampParts* out) {
  const std::string_view t = Trim(text);
  auto bad = [&] {
    return Invalid(text, "is not a timestamp (YYYY-MM-DD[ HH:MM:SS[.fffffffff]][Z], UTC)");
  };
  size_t i = 0;
  int64_t days = 0;
  if (!ParseDatePrefix(t, &i, &days)) return bad();
  TimestampParts parts;
  int64_t second_of_day = 0;
  if (i < t.size() && (t[i] == ' ' || t[i] == 'T')) {
    i++;
    int hour = 0, minute = 0, second = 0;
    if (!ReadDigits(t, &i, 2, &hour) || i >= t.size() || t[i++] != ':' ||
        !ReadDigits(t, &i, 2, &minute) || i >= t.size() || t[i++] != ':' ||
        !ReadDigits(t, &i, 2, &second)) {
      return bad();
    }
    // No leap seconds: Parquet timestamps count seconds as POSIX does.
    if (hour > 23 || minute > 59 || second > 59) return bad();
    second_of_day = hour * 3600 + minute * 60 + second;
    parts.has_time = true;
    if (i < t.size() && t[i] == '.') {
      i++;
      int64_t nanos = 0;
      int digits = 0;
      while (i < t.size() && t[i] >= '0' && t[i] <= '9') {
        if (digits == 9) return Invalid(text, "has more than 9 fraction digits");
        nanos = nanos * 10 + (t[i] - '0');
        digits++;
        i++;
      }
      if (digits == 0) return bad();
      for (int k = digits; k < 9; k++) nanos *= 10;
      parts.nanos = static_cast<int32_t>(nanos);
      parts.fraction_digits = digits;
    }
  }
  if (i < t.size() && t[i] == 'Z') i++;
  if (i != t.size()) return bad();
  parts.seconds = days * kSecondsPerDay + second_of_day;
  *out = parts;
  return Status::OK();
}

Status TimestampToUnits(const TimestampParts& parts, TimeUnit unit, std::string_view text,
                        int64_t* out) {
  const int64_t per_second = UnitsPerSecond(unit);
  const int64_t nanos_per_unit = kNanosPerSecond / per_second;
  if (parts.nanos % nanos_per_unit != 0) {
    return Invalid(text, "has a finer fraction than " + Schema::TimestampTypeName(unit) + " holds");
  }
  const __int128 v =
      static_cast<__int128>(parts.seconds) * per_second + parts.nanos / nanos_per_unit;
  if (v < std::numeric_limits<int64_t>::min() || v > std::numeric_limits<int64_t>::max()) {
    return Invalid(text, "is out of range for " + Schema::TimestampTypeName(unit));
  }
  *out = static_cast<int64_t>(v);
  return Status::OK();
}

Status ParseTimestamp(std::string_view text, TimeUnit unit, int64_t* out) {
  TimestampParts parts;
  Status s = ParseTimestampParts(text, &parts);
  if (!s.ok()) return s;
  return TimestampToUnits(parts, unit, text, out);
}

Status ParseBinary(std::string_view text, std::string* out) {
  out->clear();
  out->reserve(text.size());
  auto hex = [](char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  for (size_t i = 0; i < text.size(); i++) {
    if (text[i] != '\\') {
      out->push_back(text[i]);
      continue;
    }
    if (i + 3 < text.size() && text[i + 1] == 'x' && hex(text[i + 2]) >= 0 &&
        hex(text[i + 3]) >= 0) {
      out->push_back(static_cast<char>(hex(text[i + 2]) * 16 + hex(text[i + 3])));
      i += 3;
      continue;
    }
    return Invalid(text,
                   "has a backslash that does not start a \\xHH escape (binary; write a "
                   "backslash as \\x5C)");
  }
  return Status::OK();
}

Status AppendParsedValue(const ColumnSpec& column, std::string_view text, ColumnVector* out) {
  switch (column.physical) {
    case Type::kBoolean: {
      bool v = false;
      Status s = ParseBool(text, &v);
      if (s.ok()) out->AppendBool(v);
      return s;
    }
    case Type::kInt32: {
      int64_t v = 0;
      Status s;
      if (column.logical == LogicalKind::kDate) {
        int32_t days = 0;
        s = ParseDate(text, &days);
        v = days;
      } else if (column.logical == LogicalKind::kInteger) {
        s = ParseInteger(text, column.bit_width, column.is_signed, &v);
      } else if (column.logical == LogicalKind::kNone) {
        s = ParseInteger(text, 32, true, &v);
      } else {
        return Status::NotSupported("column " + column.name +
                                    " has an annotation Strata cannot "
                                    "parse text for");
      }
      // Narrowing keeps the bit pattern, which is how uint32 values above INT32_MAX live.
      if (s.ok()) out->AppendInt32(static_cast<int32_t>(v));
      return s;
    }
    case Type::kInt64: {
      int64_t v = 0;
      Status s;
      if (column.logical == LogicalKind::kTimestamp) {
        s = ParseTimestamp(text, column.unit, &v);
      } else if (column.logical == LogicalKind::kInteger) {
        s = ParseInteger(text, column.bit_width, column.is_signed, &v);
      } else if (column.logical == LogicalKind::kNone) {
        s = ParseInteger(text, 64, true, &v);
      } else {
        return Status::NotSupported("column " + column.name +
                                    " has an annotation Strata cannot "
                                    "parse text for");
      }
      if (s.ok()) out->AppendInt64(v);
      return s;
    }
    case Type::kFloat: {
      float v = 0;
      Status s = ParseFloat(text, &v);
      if (s.ok()) out->AppendFloat(v);
      return s;
    }
    case Type::kDouble: {
      double v = 0;
      Status s = ParseDouble(text, &v);
      if (s.ok()) out->AppendDouble(v);
      return s;
    }
    case Type::kByteArray: {
      if (column.logical == LogicalKind::kString) {
        if (!IsValidUtf8(text)) return Invalid(text, "is not valid UTF-8 (string)");
        out->AppendBytes(text);
        return Status::OK();
      }
      std::string bytes;
      Status s = ParseBinary(text, &bytes);
      if (s.ok()) out->AppendBytes(bytes);
      return s;
    }
    case Type::kFixedLenByteArray: {
      std::string bytes;
      Status s = ParseBinary(text, &bytes);
      if (!s.ok()) return s;
      if (bytes.size() != static_cast<size_t>(column.type_length)) {
        return Invalid(text, "is " + std::to_string(bytes.size()) + " bytes, the column holds " +
                                 std::to_string(column.type_length));
      }
      out->AppendBytes(bytes);
      return Status::OK();
    }
    case Type::kInt96:
      break;
  }
  return Status::NotSupported("column " + column.name + ": cannot parse text for its type");
}

}  // namespace strata::parquet
