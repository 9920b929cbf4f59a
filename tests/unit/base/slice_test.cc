// Slice::compare against std::string's (memcmp-based) order: lengths around the word size
// and on both sides of the inline limit, bytes above 0x7f, equal prefixes.
#include "strata/slice.h"

#include <gtest/gtest.h>

#include <string>

#include "support/byte_pairs.h"

namespace strata {
namespace {

using test::Sign;

TEST(SliceTest, CompareAgreesWithStringCompare) {
  test::ForEachBytePair(11, Slice::kInlineCompareBytes + 16, 200000,
                        [](const std::string& a, const std::string& b) {
                          EXPECT_EQ(Sign(Slice(a).compare(Slice(b))), Sign(a.compare(b)));
                          EXPECT_EQ(Sign(Slice(b).compare(Slice(a))), Sign(b.compare(a)));
                          return !::testing::Test::HasFailure();
                        });
}

TEST(SliceTest, HighBytesOrderAfterLowOnes) {
  EXPECT_LT(Slice("abcdefgh\x01").compare(Slice("abcdefgh\xff")), 0);
  EXPECT_GT(Slice("\x80").compare(Slice("\x7f")), 0);
  EXPECT_LT(Slice("").compare(Slice("\x00", 1)), 0);
  EXPECT_EQ(Slice("").compare(Slice("")), 0);
}

}  // namespace
}  // namespace strata
