#include "rdbtool/report_html.h"

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "rdbtool/report_assets.h"

namespace strata::rdbtool {
namespace {

using Json = nlohmann::ordered_json;

constexpr char kHexDigits[] = "0123456789abcdef";

// The length of the well-formed UTF-8 sequence at the start of `s` (1 to 4) with its code
// point in *cp, or 0 when it is not well-formed (Unicode's table 3-7: no overlong forms, no
// surrogates, nothing above U+10FFFF, no cut sequences).
size_t DecodeUtf8(std::string_view s, uint32_t* cp) {
  const auto byte = [&](size_t i) { return static_cast<uint8_t>(s[i]); };
  const uint8_t b0 = byte(0);
  if (b0 < 0x80) {
    *cp = b0;
    return 1;
  }
  size_t n;
  uint8_t lo = 0x80, hi = 0xBF;  // the allowed range of the second byte
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    n = 2;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    n = 3;
    if (b0 == 0xE0) lo = 0xA0;  // overlong below
    if (b0 == 0xED) hi = 0x9F;  // surrogates above
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    n = 4;
    if (b0 == 0xF0) lo = 0x90;  // overlong below
    if (b0 == 0xF4) hi = 0x8F;  // beyond U+10FFFF above
  } else {
    return 0;
  }
  if (s.size() < n || byte(1) < lo || byte(1) > hi) return 0;
  uint32_t value = b0 & (0x7F >> n);
  for (size_t i = 1; i < n; i++) {
    if ((byte(i) & 0xC0) != 0x80) return 0;
    value = (value << 6) | (byte(i) & 0x3F);
  }
  *cp = value;
  return n;
}

// Code points that show nothing, or show as something else: controls, separators that end a
// line in JavaScript, spaces other than U+0020 (a key with a no-break space must not pass for
// one with a space), zero-width and bidirectional formatting characters, fillers, tags.
// Variation selectors stay: they belong to the emoji or ideograph before them.
bool IsInvisible(uint32_t cp) {
  struct Range {
    uint32_t first, last;
  };
  static constexpr Range kInvisible[] = {
      {0x0000, 0x001F}, {0x007F, 0x00A0}, {0x00AD, 0x00AD},   {0x034F, 0x034F}, {0x061C, 0x061C},
      {0x115F, 0x1160}, {0x1680, 0x1680}, {0x180E, 0x180E},   {0x2000, 0x200F}, {0x2028, 0x202F},
      {0x205F, 0x206F}, {0x3000, 0x3000}, {0x3164, 0x3164},   {0xFEFF, 0xFEFF}, {0xFFA0, 0xFFA0},
      {0xFFF0, 0xFFFB}, {0xFFFE, 0xFFFF}, {0xE0000, 0xE007F},
  };
  for (const Range& r : kInvisible) {
    if (cp >= r.first && cp <= r.last) return true;
  }
  return false;
}

void AppendHexEscape(uint8_t b, std::string* out) {
  out->append("\\x");
  out->push_back(kHexDigits[b >> 4]);
  out->push_back(kHexDigits[b & 0xF]);
}

// Text for HTML element content and attribute values.
std::string HtmlEscape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out.push_back(c);
    }
  }
  return out;
}

// The JSON text with '<', '>' and '&' as \u escapes, so that it can sit inside a <script>
// element: no "</script>" can end the block and no "<!--" can change how the HTML parser reads
// it. Those characters only occur inside JSON strings, where the escape means the same.
// U+2028/U+2029 arrive as \u escapes already (the JSON is dumped as ASCII).
std::string ScriptSafe(const std::string& json) {
  std::string out;
  out.reserve(json.size());
  for (const char c : json) {
    switch (c) {
      case '<':
        out += "\\u003c";
        break;
      case '>':
        out += "\\u003e";
        break;
      case '&':
        out += "\\u0026";
        break;
      default:
        out.push_back(c);
    }
  }
  return out;
}

Json TotalsJson(const ReportTotals& t) {
  return Json{{"keys", t.keys},
              {"memory_bytes", t.memory_bytes},
              {"rdb_bytes", t.rdb_bytes},
              {"expiring_keys", t.expiring_keys}};
}

Json GroupsJson(const std::vector<ReportGroup>& groups) {
  Json rows = Json::array();
  for (const ReportGroup& g : groups) {
    Json row = TotalsJson(g.totals);
    row["name"] = DisplayText(g.name);
    rows.push_back(std::move(row));
  }
  return rows;
}

// JavaScript numbers hold integers exactly up to 2^53: beyond that (no real expiry, but the
// field is any int64) the time goes as a decimal string, which the page shows as it is.
Json ExpiryJson(const std::optional<int64_t>& ms) {
  constexpr int64_t kMaxExact = (int64_t{1} << 53) - 1;
  if (!ms) return nullptr;
  if (*ms >= -kMaxExact && *ms <= kMaxExact) return *ms;
  return std::to_string(*ms);
}

Json KeysJson(const std::vector<ReportKey>& keys) {
  Json rows = Json::array();
  for (const ReportKey& k : keys) {
    rows.push_back(Json{
        {"instance", DisplayText(k.instance)},
        {"db", k.db},
        {"key", DisplayText(k.key)},
        {"type", DisplayText(k.type)},
        {"encoding", DisplayText(k.encoding)},
        {"members", k.member_count},
        {"memory_bytes", k.memory},
        {"rdb_bytes", k.rdb_size},
        {"expire_at_ms", ExpiryJson(k.expire_at_ms)},
    });
  }
  return rows;
}

Json PrefixJson(const ReportPrefix& p) {
  Json children = Json::array();
  for (const ReportPrefix& c : p.children) children.push_back(PrefixJson(c));
  return Json{{"prefix", DisplayText(p.prefix)},
              {"keys", p.keys},
              {"memory_bytes", p.memory_bytes},
              {"rdb_bytes", p.rdb_bytes},
              {"children", std::move(children)}};
}

Json SlotListJson(const std::vector<ReportSlot>& slots) {
  Json rows = Json::array();
  for (const ReportSlot& s : slots) {
    Json instances = Json::array();
    for (const std::string& i : s.instances) instances.push_back(DisplayText(i));
    rows.push_back(Json{{"slot", s.slot},
                        {"keys", s.keys},
                        {"memory_bytes", s.memory_bytes},
                        {"instances", std::move(instances)}});
  }
  return rows;
}

Json SlotsJson(const std::optional<ReportSlots>& slots) {
  if (!slots) return nullptr;
  return Json{{"scheme", DisplayText(slots->scheme)},
              {"total_slots", slots->total_slots},
              {"slots_seen", slots->slots_seen},
              {"on_several_instances", SlotListJson(slots->on_several_instances)},
              {"largest", SlotListJson(slots->largest)},
              {"min_memory", slots->min_memory},
              {"max_memory", slots->max_memory},
              // Not finite (nothing to average) dumps as null; the page shows a dash.
              {"mean_memory", slots->mean_memory},
              {"stddev_memory", slots->stddev_memory}};
}

Json ReportJson(const ReportData& data) {
  Json expiry = Json::array();
  for (const ReportExpiryBucket& b : data.expiry) {
    expiry.push_back(
        Json{{"label", DisplayText(b.label)}, {"keys", b.keys}, {"memory_bytes", b.memory_bytes}});
  }
  return Json{
      {"format_version", 1},
      {"cluster", DisplayText(data.cluster)},
      {"batch", DisplayText(data.batch)},
      {"generated_at", DisplayText(data.generated_at)},
      {"strata_version", DisplayText(data.strata_version)},
      {"min_prefix_share", data.min_prefix_share},
      {"total", TotalsJson(data.total)},
      {"by_db", GroupsJson(data.by_db)},
      {"by_type", GroupsJson(data.by_type)},
      {"by_encoding", GroupsJson(data.by_encoding)},
      {"by_instance", GroupsJson(data.by_instance)},
      {"top_keys", KeysJson(data.top_keys)},
      {"big_keys", KeysJson(data.big_keys)},
      {"prefixes", PrefixJson(data.prefixes)},
      {"redis_slots", SlotsJson(data.redis_slots)},
      {"codis_slots", SlotsJson(data.codis_slots)},
      {"expiry", std::move(expiry)},
  };
}

}  // namespace

std::string DisplayText(std::string_view bytes) {
  std::string out;
  out.reserve(bytes.size());
  size_t i = 0;
  while (i < bytes.size()) {
    uint32_t cp = 0;
    const size_t n = DecodeUtf8(bytes.substr(i), &cp);
    if (n == 0) {
      AppendHexEscape(static_cast<uint8_t>(bytes[i]), &out);  // not UTF-8: one byte
      i++;
      continue;
    }
    if (cp == '\\' || IsInvisible(cp)) {
      for (size_t j = 0; j < n; j++) AppendHexEscape(static_cast<uint8_t>(bytes[i + j]), &out);
    } else {
      out.append(bytes.substr(i, n));
    }
    i += n;
  }
  return out;
}

std::string RenderReportHtml(const ReportData& data) {
  // ASCII only (ensure_ascii); DisplayText made every string valid UTF-8, and "replace" keeps
  // dump() from throwing should that ever not hold.
  const std::string json = ScriptSafe(
      ReportJson(data).dump(-1, ' ', /*ensure_ascii=*/true, Json::error_handler_t::replace));
  const std::string title =
      HtmlEscape("Redis RDB report: " + DisplayText(data.cluster) + ", " + DisplayText(data.batch));

  std::string html;
  html.reserve(json.size() + kReportStyle.size() + kReportScriptLib.size() +
               kReportScriptPrefixes.size() + kReportScriptPage.size() + 1024);
  html += "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
  html += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  // Nothing may be fetched: not by a bug in the page, nor by anything the data could smuggle in.
  html +=
      "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
      "style-src 'unsafe-inline'; script-src 'unsafe-inline'\">\n";
  html += "<meta name=\"generator\" content=\"strata " +
          HtmlEscape(DisplayText(data.strata_version)) + "\">\n";
  html += "<title>" + title + "</title>\n";
  html += "<style>\n";
  html += kReportStyle;
  html += "</style>\n</head>\n<body>\n";
  html +=
      "<noscript><p class=\"noscript\">This report builds its tables and charts from the data "
      "in the page with JavaScript: please allow JavaScript for this file.</p></noscript>\n";
  html += "<div id=\"app\"></div>\n<div id=\"tooltip\" role=\"tooltip\" hidden></div>\n";
  html += "<script type=\"application/json\" id=\"report-data\">";
  html += json;
  html += "</script>\n<script>\n\"use strict\";\n(() => {\n";
  html += kReportScriptLib;
  html += kReportScriptPrefixes;
  html += kReportScriptPage;
  html += "})();\n</script>\n</body>\n</html>\n";
  return html;
}

}  // namespace strata::rdbtool
