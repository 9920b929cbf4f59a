// SplitBlockBloomFilter: Parquet's bloom filter (BloomFilter.md of the format): a bitset of
// 32-byte blocks, each eight 32-bit words. A value's 64-bit XXH64 hash (seed 0) of its PLAIN
// encoding (byte arrays without the length prefix) picks one block with its upper 32 bits
// (multiply-shift onto the block count) and sets one bit in each word of that block from its
// lower 32 bits, multiplied by eight fixed odd salts and shifted down to a bit index.
//
// The bitset is stored in the file after a BloomFilterHeader, little-endian words.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace strata::parquet {

class SplitBlockBloomFilter {
 public:
  static constexpr size_t kBlockBytes = 32;
  static constexpr size_t kMinBytes = kBlockBytes;
  static constexpr size_t kMaxBytes = 128 << 20;

  // Bytes for ndv distinct values at false-positive probability fpp (0 < fpp < 1): the
  // block filter's formula, rounded up to a power of two within [kMinBytes, kMaxBytes].
  static size_t OptimalBytes(uint64_t ndv, double fpp);

  // An empty filter of num_bytes (a multiple of kBlockBytes, at least one block).
  explicit SplitBlockBloomFilter(size_t num_bytes);
  // A filter over an existing bitset, e.g. read from a file (size as above).
  static SplitBlockBloomFilter FromBitset(std::string bitset);

  static uint64_t Hash(std::string_view plain_bytes);
  template <typename T>
  static uint64_t HashValue(T v) {
    return Hash(std::string_view(reinterpret_cast<const char*>(&v), sizeof(T)));
  }

  void Insert(uint64_t hash);
  bool MightContain(uint64_t hash) const;

  const std::string& bitset() const { return bitset_; }
  size_t num_bytes() const { return bitset_.size(); }

 private:
  SplitBlockBloomFilter() = default;
  size_t BlockOffset(uint64_t hash) const;

  std::string bitset_;
};

}  // namespace strata::parquet
