#include "objstore/s3_time.h"

#include <ctime>
#include <string>

#include "base/escape.h"

namespace strata::objstore {

namespace {

// Reads exactly `digits` decimal digits at text[*pos].
bool ReadNumber(std::string_view text, size_t* pos, int digits, int* out) {
  if (*pos + static_cast<size_t>(digits) > text.size()) return false;
  int v = 0;
  for (int i = 0; i < digits; i++) {
    const char c = text[*pos + static_cast<size_t>(i)];
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  *pos += static_cast<size_t>(digits);
  *out = v;
  return true;
}

bool Expect(std::string_view text, size_t* pos, std::string_view what) {
  if (text.substr(*pos, what.size()) != what) return false;
  *pos += what.size();
  return true;
}

// Milliseconds since the epoch of a UTC calendar time, with its fields range-checked (timegm
// would normalize the 31st of February into March).
Result<int64_t> ToMillis(int year, int month, int day, int hour, int minute, int second, int millis,
                         std::string_view text) {
  static constexpr int kDays[12] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month < 1 || month > 12 || day < 1 || day > kDays[month - 1] || hour > 23 || minute > 59 ||
      second > 60) {
    return Status::InvalidArgument("date out of range", QuoteBytes(text, 64));
  }
  std::tm tm{};
  tm.tm_year = year - 1900;
  tm.tm_mon = month - 1;
  tm.tm_mday = day;
  tm.tm_hour = hour;
  tm.tm_min = minute;
  tm.tm_sec = second;
  const time_t seconds = ::timegm(&tm);
  return static_cast<int64_t>(seconds) * 1000 + millis;
}

}  // namespace

Result<int64_t> ParseHttpDate(std::string_view text) {
  static constexpr std::string_view kMonths[12] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                   "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  // "Www, DD Mon YYYY HH:MM:SS GMT": the weekday is not checked against the date.
  size_t pos = 0;
  int day = 0, year = 0, hour = 0, minute = 0, second = 0;
  int month = 0;
  bool ok = text.size() >= 5 && text[3] == ',' && text[4] == ' ';
  pos = 5;
  ok = ok && ReadNumber(text, &pos, 2, &day) && Expect(text, &pos, " ");
  if (ok) {
    const std::string_view name = text.substr(pos, 3);
    for (int m = 0; m < 12; m++) {
      if (name == kMonths[m]) month = m + 1;
    }
    ok = month != 0;
    pos += 3;
  }
  ok = ok && Expect(text, &pos, " ") && ReadNumber(text, &pos, 4, &year) &&
       Expect(text, &pos, " ") && ReadNumber(text, &pos, 2, &hour) && Expect(text, &pos, ":") &&
       ReadNumber(text, &pos, 2, &minute) && Expect(text, &pos, ":") &&
       ReadNumber(text, &pos, 2, &second) && Expect(text, &pos, " GMT") && pos == text.size();
  if (!ok) return Status::InvalidArgument("not an HTTP date", QuoteBytes(text, 64));
  return ToMillis(year, month, day, hour, minute, second, 0, text);
}

Result<int64_t> ParseIso8601(std::string_view text) {
  // "YYYY-MM-DDTHH:MM:SS[.fff...]Z"; digits past milliseconds are dropped.
  size_t pos = 0;
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0, millis = 0;
  bool ok = ReadNumber(text, &pos, 4, &year) && Expect(text, &pos, "-") &&
            ReadNumber(text, &pos, 2, &month) && Expect(text, &pos, "-") &&
            ReadNumber(text, &pos, 2, &day) && Expect(text, &pos, "T") &&
            ReadNumber(text, &pos, 2, &hour) && Expect(text, &pos, ":") &&
            ReadNumber(text, &pos, 2, &minute) && Expect(text, &pos, ":") &&
            ReadNumber(text, &pos, 2, &second);
  if (ok && pos < text.size() && text[pos] == '.') {
    pos++;
    int digits = 0;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
      if (digits < 3) millis = millis * 10 + (text[pos] - '0');
      digits++;
      pos++;
    }
    ok = digits > 0;
    for (; digits < 3; digits++) millis *= 10;
  }
  ok = ok && Expect(text, &pos, "Z") && pos == text.size();
  if (!ok) return Status::InvalidArgument("not an ISO 8601 UTC time", QuoteBytes(text, 64));
  return ToMillis(year, month, day, hour, minute, second, millis, text);
}

}  // namespace strata::objstore
