// The bloom filter: no false negatives, a measured false-positive rate within bounds, and
// validation of serialized parameters.
#include "sst/bloom_filter.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <string>

#include "base/coding.h"

namespace strata::sst {
namespace {

std::string Key(uint64_t i) {
  std::string k = "user-key-";
  PutFixed64(&k, i);
  return k;
}

double MeasureFalsePositiveRate(int bits_per_key, int num_keys, int num_probes) {
  BloomFilterBuilder builder(bits_per_key);
  for (int i = 0; i < num_keys; i++) builder.AddKey(Key(i));
  const std::string filter = builder.Finish();
  BloomFilterReader reader;
  EXPECT_TRUE(reader.Init(filter).ok());
  for (int i = 0; i < num_keys; i++) {
    if (!reader.KeyMayMatch(Key(i))) {
      ADD_FAILURE() << "false negative for key " << i;
      break;
    }
  }
  int false_positives = 0;
  for (int i = 0; i < num_probes; i++) {
    if (reader.KeyMayMatch(Key(1'000'000'000ull + i))) false_positives++;
  }
  return static_cast<double>(false_positives) / num_probes;
}

TEST(BloomFilterTest, FalsePositiveRateAtTenBitsPerKey) {
  const double rate = MeasureFalsePositiveRate(10, 100000, 100000);
  std::printf("bloom filter, 10 bits/key, 100000 keys: measured false-positive rate %.3f%%\n",
              rate * 100);
  EXPECT_LE(rate, 0.012);
}

TEST(BloomFilterTest, RateFallsWithMoreBits) {
  const double at6 = MeasureFalsePositiveRate(6, 20000, 50000);
  const double at16 = MeasureFalsePositiveRate(16, 20000, 50000);
  std::printf("6 bits/key: %.3f%%, 16 bits/key: %.4f%%\n", at6 * 100, at16 * 100);
  EXPECT_LT(at16, at6);
  EXPECT_LE(at16, 0.002);
}

TEST(BloomFilterTest, SmallAndEmptyFilters) {
  for (int n : {0, 1, 2, 10, 51, 52}) {
    BloomFilterBuilder builder(10);
    for (int i = 0; i < n; i++) builder.AddKey(Key(i));
    const std::string filter = builder.Finish();
    EXPECT_EQ((filter.size() - kBloomTrailerSize) % kBloomBlockBytes, 0u);
    BloomFilterReader reader;
    ASSERT_TRUE(reader.Init(filter).ok());
    EXPECT_EQ(reader.num_probes(), 6);
    for (int i = 0; i < n; i++) EXPECT_TRUE(reader.KeyMayMatch(Key(i)));
    if (n == 0) {
      EXPECT_FALSE(reader.KeyMayMatch(Key(5)));
    }
  }
}

TEST(BloomFilterTest, BadParametersAreCorruption) {
  BloomFilterBuilder builder(10);
  for (int i = 0; i < 100; i++) builder.AddKey(Key(i));
  const std::string good = builder.Finish();
  BloomFilterReader reader;
  EXPECT_TRUE(reader.Init(Slice(good.data(), 4)).IsCorruption());
  EXPECT_TRUE(reader.Init(Slice(good.data(), good.size() - 1)).IsCorruption());
  std::string bad_blocks = good;
  EncodeFixed32(bad_blocks.data() + bad_blocks.size() - 5, 1000);
  EXPECT_TRUE(reader.Init(bad_blocks).IsCorruption());
  std::string zero_probes = good;
  zero_probes.back() = 0;
  EXPECT_TRUE(reader.Init(zero_probes).IsCorruption());
  std::string many_probes = good;
  many_probes.back() = static_cast<char>(kMaxBloomProbes + 1);
  EXPECT_TRUE(reader.Init(many_probes).IsCorruption());
  // An uninitialized reader is "no filter".
  BloomFilterReader none;
  EXPECT_TRUE(none.KeyMayMatch("anything"));
}

}  // namespace
}  // namespace strata::sst
