// The inline byte comparisons against the standard library's (memcmp-based) string order,
// on every length around the word sizes and on bytes above 0x7f.
#include "parquet/byte_order.h"

#include <gtest/gtest.h>

#include <random>
#include <string>

namespace strata::parquet {
namespace {

int Sign(int x) { return (x > 0) - (x < 0); }

std::string RandomBytes(std::mt19937* rng, size_t n) {
  // A small alphabet with high bytes, so equal prefixes and unsigned order both matter.
  static constexpr unsigned char kAlphabet[] = {0x00, 0x01, 'a', 'b', 0x7f, 0x80, 0xfe, 0xff};
  std::string s(n, '\0');
  for (auto& c : s) c = static_cast<char>(kAlphabet[(*rng)() % sizeof(kAlphabet)]);
  return s;
}

TEST(ByteOrderTest, AgreesWithStringCompare) {
  std::mt19937 rng(7);
  for (int round = 0; round < 200000; round++) {
    const size_t n = rng() % 25;
    std::string a = RandomBytes(&rng, n);
    std::string b = a;
    // Change, shorten or lengthen b at a random place, or keep it equal.
    switch (rng() % 4) {
      case 0:
        if (n > 0) b[rng() % n] = static_cast<char>(rng());
        break;
      case 1:
        b.resize(rng() % (n + 1));
        break;
      case 2:
        b += RandomBytes(&rng, 1 + rng() % 9);
        break;
      default:
        break;
    }
    ASSERT_EQ(Sign(CompareBytes(a, b)), Sign(a.compare(b))) << round;
    ASSERT_EQ(Sign(CompareBytes(b, a)), Sign(b.compare(a))) << round;
    ASSERT_EQ(EqualBytes(a, b), a == b) << round;
  }
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
