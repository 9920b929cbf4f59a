#include "base/random.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

namespace strata {
namespace {

TEST(RandomTest, SplitMix64PublishedOutputs) {
  // The first outputs of SplitMix64 from state 0, as published with the algorithm's
  // reference implementations.
  uint64_t state = 0;
  EXPECT_EQ(SplitMix64(&state), 0xE220A8397B1DCDAFull);
  EXPECT_EQ(SplitMix64(&state), 0x6E789E6AA1B965F4ull);
  EXPECT_EQ(SplitMix64(&state), 0x06C45D188009454Full);
  EXPECT_EQ(SplitMix64(&state), 0xF88BB8A8724C81ECull);
}

TEST(RandomTest, Xoshiro256StarStarPublishedOutputs) {
  // The reference implementation's outputs from the state {1, 2, 3, 4}.
  Random r = Random::FromState({1, 2, 3, 4});
  const uint64_t expected[] = {11520ull,
                               0ull,
                               1509978240ull,
                               1215971899390074240ull,
                               1216172134540287360ull,
                               607988272756665600ull,
                               16172922978634559625ull,
                               8476171486693032832ull,
                               10595114339597558777ull,
                               2904607092377533576ull};
  for (uint64_t e : expected) EXPECT_EQ(r.Next(), e);
}

TEST(RandomTest, SameSeedSameSequence) {
  Random a(42);
  Random b(42);
  Random c(43);
  bool differs = false;
  for (int i = 0; i < 1000; i++) {
    const uint64_t x = a.Next();
    EXPECT_EQ(x, b.Next());
    if (x != c.Next()) differs = true;
  }
  EXPECT_TRUE(differs);
}

TEST(RandomTest, ZeroSeedWorks) {
  Random r(0);
  uint64_t ored = 0;
  for (int i = 0; i < 10; i++) ored |= r.Next();
  EXPECT_NE(ored, 0u);
}

TEST(RandomTest, UniformStaysInRangeAndCoversIt) {
  Random r(7);
  for (uint32_t n : {1u, 2u, 3u, 7u, 10u, 1000u}) {
    std::vector<int> seen(n, 0);
    for (uint32_t i = 0; i < 100 * n; i++) {
      const uint32_t v = r.Uniform(n);
      ASSERT_LT(v, n);
      seen[v]++;
    }
    for (uint32_t v = 0; v < n; v++) EXPECT_GT(seen[v], 0) << "n=" << n << " v=" << v;
  }
  for (int i = 0; i < 1000; i++) EXPECT_LT(r.Uniform(0xFFFFFFFFu), 0xFFFFFFFFu);
}

TEST(RandomTest, UniformIsRoughlyFlat) {
  // Chi-square over 10 cells with 100000 draws; 9 degrees of freedom put the 99.99th
  // percentile near 33.7, so a correct generator fails this essentially never (and the seed
  // is fixed anyway).
  Random r(12345);
  constexpr int kCells = 10;
  constexpr int kDraws = 100000;
  int counts[kCells] = {};
  for (int i = 0; i < kDraws; i++) counts[r.Uniform(kCells)]++;
  double chi2 = 0;
  const double expected = static_cast<double>(kDraws) / kCells;
  for (int c : counts) chi2 += (c - expected) * (c - expected) / expected;
  EXPECT_LT(chi2, 33.7);
}

TEST(RandomTest, OneIn) {
  Random r(99);
  for (int i = 0; i < 100; i++) EXPECT_TRUE(r.OneIn(1));
  int hits = 0;
  constexpr int kDraws = 100000;
  for (int i = 0; i < kDraws; i++) hits += r.OneIn(10) ? 1 : 0;
  // Binomial(100000, 0.1): standard deviation ~95; allow more than 5 of them.
  EXPECT_NEAR(hits, kDraws / 10, 500);
}

TEST(RandomTest, SkewedFavoursSmallValues) {
  Random r(5);
  constexpr int kMaxLog = 10;
  int small = 0;  // below 2^5
  constexpr int kDraws = 100000;
  for (int i = 0; i < kDraws; i++) {
    const uint32_t v = r.Skewed(kMaxLog);
    ASSERT_LT(v, 1u << kMaxLog);
    if (v < 32) small++;
  }
  // Widths 0..5 (6 of 11) always give a value below 32; the others rarely. A uniform draw
  // would put only 32/1024 of the values there.
  EXPECT_GT(small, kDraws / 2);
  for (int i = 0; i < 100; i++) EXPECT_EQ(r.Skewed(0), 0u);
}

}  // namespace
}  // namespace strata
