#include "parquet/value_format.h"

#include <charconv>
#include <cmath>
#include <cstring>

#include "parquet/utf8.h"

namespace strata::parquet {

namespace {

constexpr char kHexDigits[] = "0123456789ABCDEF";
constexpr int64_t kSecondsPerDay = 86400;
// Julian day number of 1970-01-01, the epoch INT96 timestamps count from.
constexpr int64_t kJulianDayOfEpoch = 2440588;

// Floor division and the matching non-negative remainder, for instants before 1970.
template <typename T>
T FloorDiv(T a, T b) {
  T q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) q--;
  return q;
}

struct CivilDate {
  int64_t year;
  int month;
  int day;
};

// The inverse of DaysFromCivil (value_parse.h): 400-year eras starting on March 1st.
CivilDate CivilFromDays(int64_t days) {
  const int64_t z = days + 719468;
  const int64_t era = FloorDiv<int64_t>(z, 146097);
  const int64_t day_of_era = z - era * 146097;  // 0..146096
  const int64_t year_of_era =
      (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
  const int64_t day_of_year =
      day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
  const int64_t shifted_month = (5 * day_of_year + 2) / 153;  // March = 0
  CivilDate d;
  d.day = static_cast<int>(day_of_year - (153 * shifted_month + 2) / 5 + 1);
  d.month = static_cast<int>(shifted_month < 10 ? shifted_month + 3 : shifted_month - 9);
  d.year = year_of_era + era * 400 + (d.month <= 2 ? 1 : 0);
  return d;
}

void AppendPadded(uint64_t v, int width, std::string* out) {
  char buf[24];
  auto [end, ec] = std::to_chars(buf, buf + sizeof(buf), v);
  for (int i = static_cast<int>(end - buf); i < width; i++) out->push_back('0');
  out->append(buf, end);
}

// value counts units of which per_second make a second; digits = log10(per_second).
void AppendInstant(__int128 value, int64_t per_second, int digits, std::string* out) {
  const __int128 seconds = FloorDiv<__int128>(value, per_second);
  const auto fraction = static_cast<uint64_t>(value - seconds * per_second);
  const auto days = static_cast<int64_t>(FloorDiv<__int128>(seconds, kSecondsPerDay));
  const auto second_of_day = static_cast<int64_t>(seconds - __int128{days} * kSecondsPerDay);
  AppendDate(days, out);
  out->push_back(' ');
  AppendPadded(second_of_day / 3600, 2, out);
  out->push_back(':');
  AppendPadded(second_of_day / 60 % 60, 2, out);
  out->push_back(':');
  AppendPadded(second_of_day % 60, 2, out);
  if (digits > 0) {
    out->push_back('.');
    AppendPadded(fraction, digits, out);
  }
}

template <typename T>
void AppendInteger(T v, std::string* out) {
  char buf[24];
  auto [end, ec] = std::to_chars(buf, buf + sizeof(buf), v);
  out->append(buf, end);
}

// NaN and the infinities as words; false for finite values.
bool AppendNonFinite(double v, ValueStyle style, std::string* out) {
  const char* word = nullptr;
  if (std::isnan(v)) {
    word = "NaN";
  } else if (std::isinf(v)) {
    word = v > 0 ? "Infinity" : "-Infinity";
  } else {
    return false;
  }
  if (style == ValueStyle::kJson) out->push_back('"');
  out->append(word);
  if (style == ValueStyle::kJson) out->push_back('"');
  return true;
}

// Appends text rendered by fn, as a JSON string in kJson style.
template <typename Fn>
void AppendAsString(ValueStyle style, std::string* out, Fn fn) {
  if (style == ValueStyle::kText) {
    fn(out);
    return;
  }
  std::string text;
  fn(&text);
  AppendJsonString(text, out);
}

void AppendInt96(std::string_view bytes, ValueStyle style, std::string* out) {
  int64_t nanos_of_day = 0;
  int32_t julian_day = 0;
  std::memcpy(&nanos_of_day, bytes.data(), 8);
  std::memcpy(&julian_day, bytes.data() + 8, 4);
  const __int128 nanos =
      (__int128{julian_day} - kJulianDayOfEpoch) * kSecondsPerDay * 1000000000 + nanos_of_day;
  AppendAsString(style, out, [&](std::string* o) { AppendInstant(nanos, 1000000000, 9, o); });
}

}  // namespace

void AppendDate(int64_t days_since_epoch, std::string* out) {
  const CivilDate d = CivilFromDays(days_since_epoch);
  if (d.year < 0) out->push_back('-');
  AppendPadded(static_cast<uint64_t>(d.year < 0 ? -d.year : d.year), 4, out);
  out->push_back('-');
  AppendPadded(d.month, 2, out);
  out->push_back('-');
  AppendPadded(d.day, 2, out);
}

void AppendTimestamp(int64_t value, TimeUnit unit, std::string* out) {
  switch (unit) {
    case TimeUnit::kMillis:
      return AppendInstant(value, 1000, 3, out);
    case TimeUnit::kMicros:
      return AppendInstant(value, 1000000, 6, out);
    case TimeUnit::kNanos:
      return AppendInstant(value, 1000000000, 9, out);
  }
  AppendInstant(value, 1000, 3, out);
}

void AppendDouble(double v, std::string* out) {
  if (AppendNonFinite(v, ValueStyle::kText, out)) return;
  char buf[32];
  auto [end, ec] = std::to_chars(buf, buf + sizeof(buf), v);
  out->append(buf, end);
}

void AppendFloat(float v, std::string* out) {
  if (AppendNonFinite(v, ValueStyle::kText, out)) return;
  // The float overload: the shortest text that reads back to this float, not to the double
  // the float widens to (0.1f prints as 0.1, not 0.10000000149011612).
  char buf[32];
  auto [end, ec] = std::to_chars(buf, buf + sizeof(buf), v);
  out->append(buf, end);
}

void AppendEscapedBinary(std::string_view bytes, std::string* out) {
  for (const char ch : bytes) {
    const auto c = static_cast<unsigned char>(ch);
    if (c >= 0x20 && c <= 0x7E && c != '\\' && c != '\'' && c != '"') {
      out->push_back(ch);
    } else {
      out->append("\\x");
      out->push_back(kHexDigits[c >> 4]);
      out->push_back(kHexDigits[c & 0xF]);
    }
  }
}

void AppendJsonString(std::string_view text, std::string* out) {
  out->push_back('"');
  size_t i = 0;
  while (i < text.size()) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c >= 0x80) {
      const size_t n = Utf8SequenceLength(text.substr(i));
      if (n == 0) {
        out->append("\xEF\xBF\xBD");  // U+FFFD REPLACEMENT CHARACTER
        i++;
      } else {
        out->append(text.substr(i, n));
        i += n;
      }
      continue;
    }
    switch (c) {
      case '"':
        out->append("\\\"");
        break;
      case '\\':
        out->append("\\\\");
        break;
      case '\n':
        out->append("\\n");
        break;
      case '\r':
        out->append("\\r");
        break;
      case '\t':
        out->append("\\t");
        break;
      default:
        if (c < 0x20) {
          out->append("\\u00");
          out->push_back(kHexDigits[c >> 4]);
          out->push_back(kHexDigits[c & 0xF]);
        } else {
          out->push_back(static_cast<char>(c));
        }
    }
    i++;
  }
  out->push_back('"');
}

void AppendCsvField(std::string_view text, char delimiter, bool force_quotes, std::string* out) {
  bool quote = force_quotes;
  for (const char c : text) {
    if (c == delimiter || c == '"' || c == '\n' || c == '\r') {
      quote = true;
      break;
    }
  }
  if (!quote) {
    out->append(text);
    return;
  }
  out->push_back('"');
  for (const char c : text) {
    if (c == '"') out->push_back('"');
    out->push_back(c);
  }
  out->push_back('"');
}

void AppendValue(const ColumnSpec& column, const ColumnVector& values, size_t row, ValueStyle style,
                 std::string* out) {
  const bool json = style == ValueStyle::kJson;
  if (!values.IsValid(row)) {
    if (json) out->append("null");
    return;
  }
  const bool is_unsigned = column.logical == LogicalKind::kInteger && !column.is_signed;
  switch (values.physical()) {
    case Type::kBoolean:
      out->append(values.Value<uint8_t>(row) != 0 ? "true" : "false");
      return;
    case Type::kInt32: {
      const int32_t v = values.Value<int32_t>(row);
      if (column.logical == LogicalKind::kDate) {
        AppendAsString(style, out, [&](std::string* o) { AppendDate(v, o); });
      } else if (is_unsigned) {
        AppendInteger(static_cast<uint32_t>(v), out);
      } else {
        AppendInteger(v, out);
      }
      return;
    }
    case Type::kInt64: {
      const int64_t v = values.Value<int64_t>(row);
      if (column.logical == LogicalKind::kTimestamp) {
        AppendAsString(style, out, [&](std::string* o) { AppendTimestamp(v, column.unit, o); });
      } else if (is_unsigned) {
        AppendInteger(static_cast<uint64_t>(v), out);
      } else {
        AppendInteger(v, out);
      }
      return;
    }
    case Type::kFloat: {
      const float v = values.Value<float>(row);
      if (!AppendNonFinite(v, style, out)) AppendFloat(v, out);
      return;
    }
    case Type::kDouble: {
      const double v = values.Value<double>(row);
      if (!AppendNonFinite(v, style, out)) AppendDouble(v, out);
      return;
    }
    case Type::kInt96: {
      std::string_view bytes(reinterpret_cast<const char*>(values.data<uint8_t>()) + row * 12, 12);
      AppendInt96(bytes, style, out);
      return;
    }
    case Type::kByteArray:
    case Type::kFixedLenByteArray: {
      const std::string_view bytes = values.Bytes(row);
      if (column.logical == LogicalKind::kString) {
        if (json) {
          AppendJsonString(bytes, out);
        } else {
          out->append(bytes);
        }
      } else {
        AppendAsString(style, out, [&](std::string* o) { AppendEscapedBinary(bytes, o); });
      }
      return;
    }
  }
}

std::string FormatPlainValue(const ColumnSpec& column, std::string_view plain) {
  // Byte arrays of any length render (FIXED_LEN_BYTE_ARRAY bounds may be truncated); a fixed
  // width type of another length is shown as hex.
  const bool any_length =
      column.physical == Type::kByteArray || column.physical == Type::kFixedLenByteArray;
  const size_t width = any_length ? plain.size() : FixedWidth(column.physical, column.type_length);
  std::string out;
  if (plain.size() != width) {
    out = "0x";
    for (const char ch : plain) {
      const auto c = static_cast<unsigned char>(ch);
      out.push_back(kHexDigits[c >> 4]);
      out.push_back(kHexDigits[c & 0xF]);
    }
    return out;
  }
  // Statistics bounds of a FIXED_LEN_BYTE_ARRAY may be truncated to fewer bytes than the
  // type length by other writers; as a one-row vector of the byte-array type they still
  // render.
  ColumnVector one(column.physical == Type::kFixedLenByteArray ? Type::kByteArray
                                                               : column.physical);
  if (one.physical() == Type::kByteArray) {
    one.AppendBytes(plain);
  } else {
    std::memcpy(one.ExtendFixed(1), plain.data(), plain.size());
  }
  AppendValue(column, one, 0, ValueStyle::kText, &out);
  return out;
}

}  // namespace strata::parquet
