#include "strata/comparator.h"

#include <gtest/gtest.h>

#include <random>
#include <string>

namespace strata {
namespace {

std::string RandomKey(std::mt19937_64& rng) {
  // Short keys over a small alphabet with 0x00 and 0xff, so prefixes and edge bytes are common.
  static constexpr char kBytes[] = {'\x00', '\x01', 'a', 'b', '\xfe', '\xff'};
  std::string k(rng() % 6, '\0');
  for (char& c : k) c = kBytes[rng() % sizeof(kBytes)];
  return k;
}

TEST(BytewiseComparator, OrdersAsUnsignedBytes) {
  const Comparator* c = BytewiseComparator();
  EXPECT_LT(c->Compare("a", "b"), 0);
  EXPECT_LT(c->Compare("a", "ab"), 0);
  EXPECT_LT(c->Compare("", "a"), 0);
  EXPECT_EQ(c->Compare("abc", "abc"), 0);
  EXPECT_LT(c->Compare(Slice("\x7f", 1), Slice("\x80", 1)), 0);  // unsigned, not signed char
  EXPECT_STREQ(c->Name(), "strata.BytewiseComparator");
}

TEST(BytewiseComparator, ShortestSeparatorStaysInRange) {
  const Comparator* c = BytewiseComparator();
  std::mt19937_64 rng(5);
  for (int i = 0; i < 200000; i++) {
    std::string a = RandomKey(rng);
    std::string b = RandomKey(rng);
    if (c->Compare(a, b) >= 0) std::swap(a, b);
    if (a == b) continue;
    std::string sep = a;
    c->FindShortestSeparator(&sep, b);
    ASSERT_GE(c->Compare(sep, a), 0) << "separator below start";
    ASSERT_LT(c->Compare(sep, b), 0) << "separator not below limit";
    ASSERT_LE(sep.size(), a.size());
  }
  std::string s = "abcdefgh";
  c->FindShortestSeparator(&s, "abzzz");
  EXPECT_EQ(s, "abd");
  // The first differing bytes are neighbours ('c' then 'd'): the first later byte that can
  // be bumped is, and the rest dropped.
  s = "abc\xff\xff"
      "0000";
  c->FindShortestSeparator(&s, "abd000");
  EXPECT_EQ(s,
            "abc\xff\xff"
            "1");
  // Nothing after the differing byte can be bumped: unchanged.
  s = "abc\xff";
  c->FindShortestSeparator(&s, "abd");
  EXPECT_EQ(s, "abc\xff");
}

TEST(BytewiseComparator, ShortSuccessorIsNotSmaller) {
  const Comparator* c = BytewiseComparator();
  std::mt19937_64 rng(6);
  for (int i = 0; i < 100000; i++) {
    const std::string k = RandomKey(rng);
    std::string succ = k;
    c->FindShortSuccessor(&succ);
    ASSERT_GE(c->Compare(succ, k), 0);
    ASSERT_LE(succ.size(), k.size());
  }
  std::string s =
      "\xff\xff"
      "abc";
  c->FindShortSuccessor(&s);
  EXPECT_EQ(s,
            "\xff\xff"
            "b");
}

}  // namespace
}  // namespace strata
