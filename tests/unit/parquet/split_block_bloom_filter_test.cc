// The split-block bloom filter against values worked out by hand from BloomFilter.md.
#include "parquet/split_block_bloom_filter.h"

#include <gtest/gtest.h>

#include <cstring>

namespace strata::parquet {
namespace {

TEST(SplitBlockBloomFilterTest, HashIsXxh64WithSeedZero) {
  // XXH64 of the empty input with seed 0, the published check value.
  EXPECT_EQ(SplitBlockBloomFilter::Hash(""), 0xef46db3751d8e999ull);
}

TEST(SplitBlockBloomFilterTest, InsertSetsOneBitPerWordFromTheSalts) {
  // One block; hash 1: block 0, key 1, so word i gets bit (salt[i] >> 27):
  // 0x47b6137b -> 8, 0x44974d91 -> 8, 0x8824ad5b -> 17, 0xa2b7289d -> 20,
  // 0x705495c7 -> 14, 0x2df1424b -> 5, 0x9efc4947 -> 19, 0x5c6bfb31 -> 11.
  SplitBlockBloomFilter f(32);
  f.Insert(1);
  const int expected_bits[8] = {8, 8, 17, 20, 14, 5, 19, 11};
  for (int i = 0; i < 8; i++) {
    uint32_t word;
    std::memcpy(&word, f.bitset().data() + 4 * i, 4);
    EXPECT_EQ(word, uint32_t{1} << expected_bits[i]) << "word " << i;
  }
  EXPECT_TRUE(f.MightContain(1));
}

TEST(SplitBlockBloomFilterTest, UpperHashBitsPickTheBlock) {
  // Four blocks: (hash >> 32) * 4 >> 32 is the block; 0xC0000000'00000001 -> block 3.
  SplitBlockBloomFilter f(128);
  f.Insert(0xC000000000000001ull);
  for (int b = 0; b < 4; b++) {
    bool any = false;
    for (int i = 0; i < 32; i++) any = any || f.bitset()[b * 32 + i] != 0;
    EXPECT_EQ(any, b == 3) << "block " << b;
  }
}

TEST(SplitBlockBloomFilterTest, OptimalBytes) {
  // 1e6 values at 1%: -8e6 / ln(1 - 0.01^(1/8)) = 9.68e6 bits = 1.21 MB, rounded up to 2 MiB.
  EXPECT_EQ(SplitBlockBloomFilter::OptimalBytes(1000000, 0.01), size_t{2} << 20);
  EXPECT_EQ(SplitBlockBloomFilter::OptimalBytes(0, 0.01), 32u);
  EXPECT_EQ(SplitBlockBloomFilter::OptimalBytes(uint64_t{1} << 40, 0.01), size_t{128} << 20);
}

TEST(SplitBlockBloomFilterTest, FalsePositiveRateNearTheTarget) {
  const int n = 20000;
  SplitBlockBloomFilter f(SplitBlockBloomFilter::OptimalBytes(n, 0.01));
  for (int64_t i = 0; i < n; i++) f.Insert(SplitBlockBloomFilter::HashValue(i));
  for (int64_t i = 0; i < n; i++) ASSERT_TRUE(f.MightContain(SplitBlockBloomFilter::HashValue(i)));
  const int probes = 10 * n;
  int fp = 0;
  for (int64_t i = n; i < n + probes; i++)
    fp += f.MightContain(SplitBlockBloomFilter::HashValue(i));
  // Sized for 1% and rounded up to a power of two, so at most about 1%.
  EXPECT_LT(fp, probes / 100);
  EXPECT_GT(fp, 0);  // a filter that never errs would be suspiciously large
}

}  // namespace
}  // namespace strata::parquet
