#include "fixture_json.h"

#include <charconv>
#include <cmath>

#include "parquet/utf8.h"
#include "parquet/value_format.h"

namespace strata::interop {

using parquet::ColumnSpec;
using parquet::ColumnVector;
using parquet::LogicalKind;
using parquet::TimeUnit;
using parquet::Type;

namespace {

int64_t NanosPerUnit(TimeUnit unit) {
  switch (unit) {
    case TimeUnit::kMillis:
      return 1000000;
    case TimeUnit::kMicros:
      return 1000;
    case TimeUnit::kNanos:
      return 1;
  }
  return 1;
}

// Decimal text of a signed 128-bit value (timestamps widened to nanoseconds need it).
std::string Int128Text(__int128 v) {
  if (v == 0) return "0";
  const bool negative = v < 0;
  // Digits of the magnitude, built from the low end; v is far from the 128-bit minimum.
  unsigned __int128 m = negative ? static_cast<unsigned __int128>(-v) : v;
  std::string digits;
  while (m > 0) {
    digits.push_back(static_cast<char>('0' + static_cast<int>(m % 10)));
    m /= 10;
  }
  if (negative) digits.push_back('-');
  return std::string(digits.rbegin(), digits.rend());
}

}  // namespace

void AppendJsonString(std::string_view s, std::string* out) {
  // Not UTF-8: text no reader's value equals. The formatter's U+FFFD for each bad byte could
  // equal what a reader's lossy decoding produces, and hide a difference.
  if (!parquet::IsValidUtf8(s)) {
    out->append("\"<invalid utf-8: " + Hex(s) + ">\"");
    return;
  }
  parquet::AppendJsonString(s, out);
}

std::string Hex(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(bytes.size() * 2);
  for (const char ch : bytes) {
    const auto c = static_cast<uint8_t>(ch);
    hex.push_back(kDigits[c >> 4]);
    hex.push_back(kDigits[c & 0xF]);
  }
  return hex;
}

std::string FloatText(double d) {
  if (std::isnan(d)) return "NaN";
  if (std::isinf(d)) return d > 0 ? "Infinity" : "-Infinity";
  if (d == 0) return std::signbit(d) ? "-0" : "0";
  // Shortest text that parses back to the same double: JS Number() reads it exactly.
  char buf[64];
  const auto r = std::to_chars(buf, buf + sizeof(buf), d);
  return std::string(buf, r.ptr);
}

std::string TimestampNanos(int64_t value, TimeUnit unit) {
  return Int128Text(static_cast<__int128>(value) * NanosPerUnit(unit));
}

void AppendCanonicalValue(const ColumnSpec& column, const ColumnVector& values, size_t i,
                          std::string* out) {
  if (!values.IsValid(i)) {
    out->append("null");
    return;
  }
  const bool is_unsigned = column.logical == LogicalKind::kInteger && !column.is_signed;
  switch (column.physical) {
    case Type::kBoolean:
      out->append(values.Value<uint8_t>(i) != 0 ? "true" : "false");
      return;
    case Type::kInt32: {
      const int32_t v = values.Value<int32_t>(i);
      out->append("\"" +
                  (is_unsigned ? std::to_string(static_cast<uint32_t>(v)) : std::to_string(v)) +
                  "\"");
      return;
    }
    case Type::kInt64: {
      const int64_t v = values.Value<int64_t>(i);
      std::string text;
      if (column.logical == LogicalKind::kTimestamp) {
        text = TimestampNanos(v, column.unit);
      } else {
        text = is_unsigned ? std::to_string(static_cast<uint64_t>(v)) : std::to_string(v);
      }
      out->append("\"" + text + "\"");
      return;
    }
    case Type::kFloat:
      out->append("\"" + FloatText(values.Value<float>(i)) + "\"");
      return;
    case Type::kDouble:
      out->append("\"" + FloatText(values.Value<double>(i)) + "\"");
      return;
    case Type::kByteArray:
      if (column.logical == LogicalKind::kString) {
        AppendJsonString(values.Bytes(i), out);
      } else {
        out->append("\"" + Hex(values.Bytes(i)) + "\"");
      }
      return;
    case Type::kFixedLenByteArray:
      out->append("\"" + Hex(values.Bytes(i)) + "\"");
      return;
    case Type::kInt96:
      break;
  }
  out->append("\"<unsupported physical type>\"");
}

std::string JsonString(std::string_view s) {
  std::string out;
  AppendJsonString(s, &out);
  return out;
}

std::string JsonArray(const std::vector<std::string>& items) {
  std::string out = "[";
  for (size_t i = 0; i < items.size(); i++) {
    if (i > 0) out += ",";
    out += items[i];
  }
  return out + "]";
}

std::string JsonObject(const std::vector<std::pair<std::string, std::string>>& fields) {
  std::string out = "{";
  for (size_t i = 0; i < fields.size(); i++) {
    if (i > 0) out += ",";
    out += JsonString(fields[i].first) + ":" + fields[i].second;
  }
  return out + "}";
}

}  // namespace strata::interop
