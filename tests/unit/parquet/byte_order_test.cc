// The inline byte comparisons against the standard library's (memcmp-based) string order,
// on every length around the word sizes and on bytes above 0x7f.
#include "parquet/byte_order.h"

#include <gtest/gtest.h>

#include <string>

#include "support/byte_pairs.h"

namespace strata::parquet {
namespace {

using test::Sign;

TEST(ByteOrderTest, AgreesWithStringCompare) {
  test::ForEachBytePair(7, 24, 200000, [](const std::string& a, const std::string& b) {
    EXPECT_EQ(Sign(CompareBytes(a, b)), Sign(a.compare(b)));
    EXPECT_EQ(Sign(CompareBytes(b, a)), Sign(b.compare(a)));
    EXPECT_EQ(EqualBytes(a, b), a == b);
    return !::testing::Test::HasFailure();
  });
}

TEST(ByteOrderTest, HighBytesOrderAfterLowOnes) {
  EXPECT_LT(CompareBytes("abcdefgh\x01", "abcdefgh\xff"), 0);
  EXPECT_GT(CompareBytes("\x80", "\x7f"), 0);
  EXPECT_LT(CompareBytes("abcdefghij", "abcdefghijk"), 0);
  EXPECT_EQ(CompareBytes("", ""), 0);
  EXPECT_TRUE(EqualBytes("", ""));
  EXPECT_FALSE(EqualBytes("abcdefghi", "abcdefghj"));
  EXPECT_FALSE(EqualBytes("abcde", "abcdf"));
}

}  // namespace
}  // namespace strata::parquet
