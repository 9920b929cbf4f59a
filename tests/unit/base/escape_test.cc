// QuoteBytes: expectations written out by hand.
#include "base/escape.h"

#include <gtest/gtest.h>

#include <string>

namespace strata {
namespace {

TEST(QuoteBytes, PrintableAsciiAsItIsEverythingElseAsHex) {
  EXPECT_EQ(QuoteBytes("user:42"), "\"user:42\"");
  EXPECT_EQ(QuoteBytes(""), "\"\"");
  EXPECT_EQ(QuoteBytes(std::string("a\0b", 3)), "\"a\\x00b\"");
  EXPECT_EQ(QuoteBytes("say \"hi\" \\ bye"), "\"say \\x22hi\\x22 \\x5c bye\"");
  EXPECT_EQ(QuoteBytes("\x7f\x80\xff\n\x1f "), "\"\\x7f\\x80\\xff\\x0a\\x1f \"");
  EXPECT_EQ(QuoteBytes("~"), "\"~\"");
}

TEST(EscapeBytes, TheSameRulesWithoutQuotes) {
  EXPECT_EQ(EscapeBytes("user:42"), "user:42");
  EXPECT_EQ(EscapeBytes(std::string("a\0\"b\\", 5)), "a\\x00\\x22b\\x5c");
  EXPECT_EQ(EscapeBytes("abcdef", 2), "ab...(6 bytes)");
  EXPECT_EQ(EscapeBytes(""), "");
}

TEST(QuoteBytes, ACutValueSaysHowLongItIs) {
  EXPECT_EQ(QuoteBytes("abcdef", 3), "\"abc\"...(6 bytes)");
  EXPECT_EQ(QuoteBytes("abc", 3), "\"abc\"");
  EXPECT_EQ(QuoteBytes("\x01\x02", 1), "\"\\x01\"...(2 bytes)");
  EXPECT_EQ(QuoteBytes("abc", 0), "\"\"...(3 bytes)");
}

}  // namespace
}  // namespace strata
