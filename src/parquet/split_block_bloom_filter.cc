#include "parquet/split_block_bloom_filter.h"

#include <xxhash.h>

#include <bit>
#include <cassert>
#include <cmath>
#include <cstring>

namespace strata::parquet {

namespace {

// The eight salts of the specification: odd constants for multiply-shift hashing.
constexpr uint32_t kSalt[8] = {0x47b6137bu, 0x44974d91u, 0x8824ad5bu, 0xa2b7289du,
                               0x705495c7u, 0x2df1424bu, 0x9efc4947u, 0x5c6bfb31u};

// Bit i of the mask sets one bit in word i of a block.
inline uint32_t MaskBit(uint32_t key, int i) { return uint32_t{1} << ((key * kSalt[i]) >> 27); }

}  // namespace

size_t SplitBlockBloomFilter::OptimalBytes(uint64_t ndv, double fpp) {
  if (ndv == 0) return kMinBytes;
  // m bits = -8 ndv / ln(1 - fpp^(1/8)), the sizing for eight bits set per value in blocks.
  const double bits = -8.0 * static_cast<double>(ndv) / std::log(1.0 - std::pow(fpp, 1.0 / 8.0));
  double bytes = bits / 8.0;
  if (!(bytes >= kMinBytes)) bytes = kMinBytes;
  if (bytes > kMaxBytes) bytes = kMaxBytes;
  return std::bit_ceil(static_cast<size_t>(std::ceil(bytes)));
}

SplitBlockBloomFilter::SplitBlockBloomFilter(size_t num_bytes) : bitset_(num_bytes, '\0') {
  assert(num_bytes >= kBlockBytes && num_bytes % kBlockBytes == 0);
}

SplitBlockBloomFilter SplitBlockBloomFilter::FromBitset(std::string bitset) {
  assert(bitset.size() >= kBlockBytes && bitset.size() % kBlockBytes == 0);
  SplitBlockBloomFilter f;
  f.bitset_ = std::move(bitset);
  return f;
}

uint64_t SplitBlockBloomFilter::Hash(std::string_view plain_bytes) {
  return XXH64(plain_bytes.data(), plain_bytes.size(), 0);
}

size_t SplitBlockBloomFilter::BlockOffset(uint64_t hash) const {
  const uint64_t blocks = bitset_.size() / kBlockBytes;
  return static_cast<size_t>(((hash >> 32) * blocks) >> 32) * kBlockBytes;
}

void SplitBlockBloomFilter::Insert(uint64_t hash) {
  char* block = bitset_.data() + BlockOffset(hash);
  const auto key = static_cast<uint32_t>(hash);
  for (int i = 0; i < 8; i++) {
    uint32_t word;
    std::memcpy(&word, block + 4 * i, 4);
    word |= MaskBit(key, i);
    std::memcpy(block + 4 * i, &word, 4);
  }
}

bool SplitBlockBloomFilter::MightContain(uint64_t hash) const {
  const char* block = bitset_.data() + BlockOffset(hash);
  const auto key = static_cast<uint32_t>(hash);
  for (int i = 0; i < 8; i++) {
    uint32_t word;
    std::memcpy(&word, block + 4 * i, 4);
    if ((word & MaskBit(key, i)) == 0) return false;
  }
  return true;
}

}  // namespace strata::parquet
