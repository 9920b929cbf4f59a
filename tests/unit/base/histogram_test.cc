#include "base/histogram.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

namespace strata {
namespace {

// The exact percentile of a sample by the nearest-rank definition: the smallest value with
// at least p percent of the sample at or below it.
double ExactPercentile(std::vector<double> values, double p) {
  std::sort(values.begin(), values.end());
  const auto rank = static_cast<size_t>(std::ceil(p / 100.0 * static_cast<double>(values.size())));
  return values[std::max<size_t>(rank, 1) - 1];
}

void ExpectWithinRelative(double actual, double expected, double tolerance, const char* what) {
  EXPECT_LE(std::abs(actual - expected), tolerance * std::abs(expected))
      << what << ": got " << actual << ", expected " << expected;
}

TEST(HistogramTest, EmptyReturnsZeros) {
  Histogram h;
  EXPECT_EQ(h.Count(), 0u);
  EXPECT_EQ(h.Min(), 0);
  EXPECT_EQ(h.Max(), 0);
  EXPECT_EQ(h.Average(), 0);
  EXPECT_EQ(h.Percentile(50), 0);
  EXPECT_EQ(h.Percentile(99.9), 0);
  EXPECT_FALSE(h.ToString().empty());
}

TEST(HistogramTest, SingleValue) {
  Histogram h;
  h.Add(123.5);
  EXPECT_EQ(h.Count(), 1u);
  EXPECT_EQ(h.Min(), 123.5);
  EXPECT_EQ(h.Max(), 123.5);
  EXPECT_EQ(h.Average(), 123.5);
  // Clamping to [min, max] makes every percentile of one value exact.
  for (double p : {0.0, 1.0, 50.0, 99.0, 100.0}) EXPECT_EQ(h.Percentile(p), 123.5) << p;
}

TEST(HistogramTest, UniformOneToTenThousand) {
  Histogram h;
  for (int i = 1; i <= 10000; i++) h.Add(i);
  EXPECT_EQ(h.Count(), 10000u);
  EXPECT_EQ(h.Min(), 1);
  EXPECT_EQ(h.Max(), 10000);
  EXPECT_DOUBLE_EQ(h.Average(), 5000.5);
  ExpectWithinRelative(h.Percentile(50), 5000, 0.02, "p50");
  ExpectWithinRelative(h.Percentile(99), 9900, 0.02, "p99");
  ExpectWithinRelative(h.Percentile(99.9), 9990, 0.02, "p99.9");
  EXPECT_EQ(h.Percentile(0), 1);
  EXPECT_EQ(h.Percentile(100), 10000);
  // Out-of-range p is clamped.
  EXPECT_EQ(h.Percentile(-5), 1);
  EXPECT_EQ(h.Percentile(150), 10000);
}

TEST(HistogramTest, MatchesExactPercentilesOfSkewedSamples) {
  // Exponential and log-normal latencies span several orders of magnitude; the histogram
  // must track the exact sample percentiles within 2% everywhere.
  std::mt19937_64 rng(2024);
  std::exponential_distribution<double> exponential(1.0 / 250.0);
  std::lognormal_distribution<double> lognormal(3.0, 2.5);
  for (int dist = 0; dist < 2; dist++) {
    Histogram h;
    std::vector<double> values;
    for (int i = 0; i < 100000; i++) {
      const double v = dist == 0 ? exponential(rng) : lognormal(rng);
      values.push_back(v);
      h.Add(v);
    }
    for (double p : {1.0, 10.0, 50.0, 90.0, 99.0, 99.9, 99.99}) {
      const double exact = ExactPercentile(values, p);
      EXPECT_LE(std::abs(h.Percentile(p) - exact), 0.02 * exact)
          << "distribution " << dist << " p" << p << ": got " << h.Percentile(p) << ", exact "
          << exact;
    }
    EXPECT_EQ(h.Min(), *std::min_element(values.begin(), values.end()));
    EXPECT_EQ(h.Max(), *std::max_element(values.begin(), values.end()));
  }
}

TEST(HistogramTest, PercentileIsMonotonic) {
  Histogram h;
  std::mt19937_64 rng(1);
  std::lognormal_distribution<double> lognormal(2.0, 1.5);
  for (int i = 0; i < 10000; i++) h.Add(lognormal(rng));
  double last = h.Percentile(0);
  for (double p = 0.5; p <= 100; p += 0.5) {
    const double v = h.Percentile(p);
    EXPECT_GE(v, last) << p;
    last = v;
  }
}

TEST(HistogramTest, MergeEqualsAddingAll) {
  // Integer values keep every sum exact, so the merged average equals the direct one.
  std::mt19937_64 rng(77);
  std::uniform_int_distribution<int> small(1, 500);
  std::uniform_int_distribution<int> large(1000, 2000000);
  Histogram a;
  Histogram b;
  Histogram all;
  for (int i = 0; i < 20000; i++) {
    const double v = i % 3 == 0 ? large(rng) : small(rng);
    (i % 2 == 0 ? a : b).Add(v);
    all.Add(v);
  }
  a.Merge(b);
  EXPECT_EQ(a.Count(), all.Count());
  EXPECT_EQ(a.Min(), all.Min());
  EXPECT_EQ(a.Max(), all.Max());
  EXPECT_EQ(a.Average(), all.Average());
  for (double p : {0.0, 25.0, 50.0, 75.0, 90.0, 99.0, 99.9, 100.0}) {
    EXPECT_EQ(a.Percentile(p), all.Percentile(p)) << p;
  }
  EXPECT_EQ(a.ToString(), all.ToString());
}

TEST(HistogramTest, MergeWithEmpty) {
  Histogram a;
  a.Add(10);
  a.Add(20);
  Histogram empty;
  a.Merge(empty);
  EXPECT_EQ(a.Count(), 2u);
  EXPECT_EQ(a.Min(), 10);
  EXPECT_EQ(a.Max(), 20);
  empty.Merge(a);
  EXPECT_EQ(empty.Count(), 2u);
  EXPECT_EQ(empty.Min(), 10);
  EXPECT_EQ(empty.Max(), 20);
}

TEST(HistogramTest, Clear) {
  Histogram h;
  for (int i = 0; i < 100; i++) h.Add(i);
  h.Clear();
  EXPECT_EQ(h.Count(), 0u);
  EXPECT_EQ(h.Max(), 0);
  EXPECT_EQ(h.Percentile(50), 0);
  h.Add(7);
  EXPECT_EQ(h.Min(), 7);
  EXPECT_EQ(h.Percentile(50), 7);
}

TEST(HistogramTest, ValuesOutsideTheBucketRange) {
  // Below 2^-10 and above 2^40 the buckets are open-ended; clamping to the observed min and
  // max still bounds the answers.
  Histogram h;
  h.Add(0);
  h.Add(1e-6);
  h.Add(1e15);
  h.Add(2e15);
  EXPECT_EQ(h.Percentile(0), 0);
  EXPECT_EQ(h.Percentile(100), 2e15);
  EXPECT_GE(h.Percentile(75), 1e15);
  EXPECT_LE(h.Percentile(75), 2e15);
  // Inside the underflow bucket only its edges are known: [min, 2^-10].
  EXPECT_LE(h.Percentile(25), 1.0 / 1024);
}

TEST(HistogramTest, BadValuesRecordedAsZero) {
  Histogram h;
  h.Add(-5);
  h.Add(std::nan(""));
  EXPECT_EQ(h.Count(), 2u);
  EXPECT_EQ(h.Min(), 0);
  EXPECT_EQ(h.Max(), 0);
  EXPECT_EQ(h.Percentile(50), 0);
}

TEST(HistogramTest, ToStringNamesTheFigures) {
  Histogram h;
  for (int i = 1; i <= 100; i++) h.Add(i);
  const std::string s = h.ToString();
  for (const char* field :
       {"count=100", "avg=50.500", "min=1.000", "p50=", "p99=", "p99.9=", "max=100.000"}) {
    EXPECT_NE(s.find(field), std::string::npos) << field << " missing in " << s;
  }
}

}  // namespace
}  // namespace strata
