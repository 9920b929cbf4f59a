// DisplayText on hand-picked bytes (every kind of ill-formed UTF-8, invisible characters) and on
// random bytes (it maps back to them one way only), and the safety of the page RenderReportHtml
// writes around data that tries to end its <script> block. What the page shows in a browser is
// tests/interop/report_in_chromium.mjs.
#include "rdbtool/report_html.h"

#include <gtest/gtest.h>

#include <random>
#include <string>

namespace strata::rdbtool {
namespace {

using std::string_literals::operator""s;

// Reads each \xNN back as one byte: the inverse DisplayText promises.
std::string Unescape(const std::string& text) {
  std::string out;
  for (size_t i = 0; i < text.size(); i++) {
    if (text[i] == '\\') {
      EXPECT_LE(i + 4, text.size());
      EXPECT_EQ(text[i + 1], 'x');
      out.push_back(static_cast<char>(std::stoi(text.substr(i + 2, 2), nullptr, 16)));
      i += 3;
    } else {
      out.push_back(text[i]);
    }
  }
  return out;
}

size_t Count(const std::string& haystack, const std::string& needle) {
  size_t n = 0;
  for (size_t at = haystack.find(needle); at != std::string::npos;
       at = haystack.find(needle, at + 1)) {
    n++;
  }
  return n;
}

TEST(DisplayTextTest, KeepsVisibleText) {
  EXPECT_EQ(DisplayText("user:1234 session/\"x\" <b>&'"), "user:1234 session/\"x\" <b>&'");
  EXPECT_EQ(DisplayText(""), "");
  // Two, three and four bytes, up to the last code point.
  const std::string kept = "\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80 \xf4\x8f\xbf\xbf";
  EXPECT_EQ(DisplayText(kept), kept);
}

TEST(DisplayTextTest, EscapesControlsAndTheBackslash) {
  EXPECT_EQ(DisplayText("a\\b"), "a\\x5cb");
  EXPECT_EQ(DisplayText("\x00\x01\n\t\x1b\x7f"s), "\\x00\\x01\\x0a\\x09\\x1b\\x7f");
  EXPECT_EQ(DisplayText("\xc2\x85"), "\\xc2\\x85");  // NEL, a C1 control
}

TEST(DisplayTextTest, EscapesIllFormedUtf8ByteByByte) {
  EXPECT_EQ(DisplayText("\x80"), "\\x80");                             // lone continuation
  EXPECT_EQ(DisplayText("\xc0\xaf"), "\\xc0\\xaf");                    // overlong '/'
  EXPECT_EQ(DisplayText("\xe0\x80\xaf"), "\\xe0\\x80\\xaf");           // overlong, 3 bytes
  EXPECT_EQ(DisplayText("\xf0\x80\x80\xaf"), "\\xf0\\x80\\x80\\xaf");  // overlong, 4 bytes
  EXPECT_EQ(DisplayText("\xed\xa0\x80"), "\\xed\\xa0\\x80");           // a surrogate
  EXPECT_EQ(DisplayText("\xf4\x90\x80\x80"), "\\xf4\\x90\\x80\\x80");  // above U+10FFFF
  EXPECT_EQ(DisplayText("\xf5\xff"), "\\xf5\\xff");
  EXPECT_EQ(DisplayText("\xe2\x82"), "\\xe2\\x82");           // cut at the end
  EXPECT_EQ(DisplayText("\xe2\x82"s + "A"), "\\xe2\\x82A");   // cut before an ASCII byte
  EXPECT_EQ(DisplayText("\xc3(\xc3\xa9"), "\\xc3(\xc3\xa9");  // resynchronizes
}

TEST(DisplayTextTest, EscapesInvisibleCharacters) {
  EXPECT_EQ(DisplayText("a\xe2\x80\xa8z"), "a\\xe2\\x80\\xa8z");       // U+2028
  EXPECT_EQ(DisplayText("a\xe2\x80\xa9z"), "a\\xe2\\x80\\xa9z");       // U+2029
  EXPECT_EQ(DisplayText("abc\xe2\x80\xae"), "abc\\xe2\\x80\\xae");     // right-to-left override
  EXPECT_EQ(DisplayText("\xe2\x80\x8b"), "\\xe2\\x80\\x8b");           // zero-width space
  EXPECT_EQ(DisplayText("\xef\xbb\xbf"), "\\xef\\xbb\\xbf");           // byte order mark
  EXPECT_EQ(DisplayText("a\xc2\xa0z"), "a\\xc2\\xa0z");                // no-break space
  EXPECT_EQ(DisplayText("\xf3\xa0\x81\x81"), "\\xf3\\xa0\\x81\\x81");  // tag 'A'
}

TEST(DisplayTextTest, RandomBytesMapBackExactly) {
  std::mt19937 rng(20261130);
  for (int round = 0; round < 2000; round++) {
    std::string bytes(rng() % 24, '\0');
    for (char& c : bytes) {
      // Mostly the interesting bytes: ASCII, the backslash, lead and continuation bytes.
      const char kPool[] = {'a', '\\', 'x', '\0', '\x80', '\xbf', '\xc3', '\xe2', '\xf0', '\xf4'};
      c = rng() % 3 == 0 ? static_cast<char>(rng() % 256) : kPool[rng() % sizeof(kPool)];
    }
    const std::string text = DisplayText(bytes);
    ASSERT_EQ(Unescape(text), bytes) << "round " << round;
    for (const char c : text) ASSERT_GE(static_cast<unsigned char>(c), 0x20);
  }
}

TEST(RenderReportHtmlTest, DataCannotLeaveTheScriptBlock) {
  ReportData data;
  data.cluster = "</title><script>alert(1)</script>";
  data.batch = "b\xe2\x80\xa8";
  data.top_keys.push_back(ReportKey{"i", 0, "</script><!--<script>", "string", "raw", 1, 2, 3, {}});
  data.prefixes.prefix = "</SCRIPT>";
  const std::string html = RenderReportHtml(data);

  EXPECT_EQ(Count(html, "</script>"), 2u);  // the data block's and the script's own
  EXPECT_EQ(Count(html, "<script"), 2u);
  EXPECT_EQ(Count(html, "</title>"), 1u);
  EXPECT_EQ(Count(html, "\xe2\x80\xa8"), 0u);
  EXPECT_NE(html.find("\\u003c/script\\u003e\\u003c!--\\u003cscript\\u003e"), std::string::npos);
  EXPECT_NE(
      html.find("<title>Redis RDB report: &lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt;, "
                "b\\xe2\\x80\\xa8</title>"),
      std::string::npos);
}

TEST(RenderReportHtmlTest, LargeExpiryTimesStayExact) {
  ReportData data;
  data.top_keys.push_back(ReportKey{"i", 0, "k", "string", "raw", 1, 2, 3, INT64_MAX});
  data.top_keys.push_back(ReportKey{"i", 0, "k", "string", "raw", 1, 2, 3, (int64_t{1} << 53) - 1});
  const std::string html = RenderReportHtml(data);
  EXPECT_NE(html.find("\"expire_at_ms\":\"9223372036854775807\""), std::string::npos);
  EXPECT_NE(html.find("\"expire_at_ms\":9007199254740991"), std::string::npos);
}

}  // namespace
}  // namespace strata::rdbtool
