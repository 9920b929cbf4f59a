// Slice::compare against std::string's (memcmp-based) order: lengths around the word size
// and on both sides of the inline limit, bytes above 0x7f, equal prefixes.
#include "strata/slice.h"

#include <gtest/gtest.h>

#include <random>
#include <string>

namespace strata {
namespace {

int Sign(int x) { return (x > 0) - (x < 0); }

std::string RandomBytes(std::mt19937* rng, size_t n) {
  static constexpr unsigned char kAlphabet[] = {0x00, 0x01, 'k', 'z', 0x7f, 0x80, 0xfe, 0xff};
  std::string s(n, '\0');
  for (auto& c : s) c = static_cast<char>(kAlphabet[(*rng)() % sizeof(kAlphabet)]);
  return s;
}

TEST(SliceTest, CompareAgreesWithStringCompare) {
  std::mt19937 rng(11);
  const size_t longest = Slice::kInlineCompareBytes + 16;
  for (int round = 0; round < 200000; round++) {
    const size_t n = rng() % (longest + 1);
    const std::string a = RandomBytes(&rng, n);
    std::string b = a;
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
    ASSERT_EQ(Sign(Slice(a).compare(Slice(b))), Sign(a.compare(b))) << round;
    ASSERT_EQ(Sign(Slice(b).compare(Slice(a))), Sign(b.compare(a))) << round;
  }
}

TEST(SliceTest, HighBytesOrderAfterLowOnes) {
  EXPECT_LT(Slice("abcdefgh\x01").compare(Slice("abcdefgh\xff")), 0);
  EXPECT_GT(Slice("\x80").compare(Slice("\x7f")), 0);
  EXPECT_LT(Slice("").compare(Slice("\x00", 1)), 0);
  EXPECT_EQ(Slice("").compare(Slice("")), 0);
}

}  // namespace
}  // namespace strata
