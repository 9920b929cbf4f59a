#include "sst/bloom_filter.h"

#include <xxhash.h>

#include <algorithm>
#include <cmath>

#include "base/coding.h"

namespace strata::sst {

namespace {

constexpr uint32_t kProbeMultiplier = 0x9e3779b9u;  // odd, so the seed never collapses to 0

// floor(h * n / 2^32): maps a uniform 32-bit value onto [0, n) without a division.
uint32_t Reduce(uint32_t h, uint32_t n) {
  return static_cast<uint32_t>((static_cast<uint64_t>(h) * n) >> 32);
}

// Applies fn(byte_index, bit_mask) to every probe of hash within a filter of num_blocks.
template <typename Fn>
void ForEachProbe(uint64_t hash, uint32_t num_blocks, int num_probes, Fn fn) {
  const size_t base = size_t{Reduce(static_cast<uint32_t>(hash), num_blocks)} * kBloomBlockBytes;
  uint32_t seed = static_cast<uint32_t>(hash >> 32);
  for (int i = 0; i < num_probes; i++) {
    const uint32_t bit = seed >> 23;  // 9 bits: 0..511
    if (!fn(base + bit / 8, static_cast<uint8_t>(1u << (bit % 8)))) return;
    seed *= kProbeMultiplier;
  }
}

}  // namespace

uint64_t BloomHash(const Slice& key) { return XXH3_64bits(key.data(), key.size()); }

BloomFilterBuilder::BloomFilterBuilder(int bits_per_key)
    : bits_per_key_(std::max(1, bits_per_key)) {}

std::string BloomFilterBuilder::Finish() const {
  // k = bits_per_key * ln 2 is optimal for a classic filter; one block's uneven load makes
  // slightly fewer probes the better choice for a blocked one.
  const int num_probes =
      std::clamp(static_cast<int>(std::lround(bits_per_key_ * 0.69 - 0.5)), 1, kMaxBloomProbes);
  const uint64_t total_bits = std::max<uint64_t>(1, hashes_.size()) * bits_per_key_;
  const auto num_blocks = static_cast<uint32_t>(std::min<uint64_t>(
      UINT32_MAX, (total_bits + kBloomBlockBytes * 8 - 1) / (kBloomBlockBytes * 8)));
  std::string out(size_t{num_blocks} * kBloomBlockBytes, '\0');
  for (uint64_t h : hashes_) {
    ForEachProbe(h, num_blocks, num_probes, [&](size_t byte, uint8_t mask) {
      out[byte] = static_cast<char>(static_cast<uint8_t>(out[byte]) | mask);
      return true;
    });
  }
  PutFixed32(&out, num_blocks);
  out.push_back(static_cast<char>(num_probes));
  return out;
}

Status BloomFilterReader::Init(const Slice& filter) {
  if (filter.size() < kBloomTrailerSize) {
    return Status::Corruption("bloom filter of " + std::to_string(filter.size()) +
                              " bytes is too small for its trailer");
  }
  const char* trailer = filter.data() + filter.size() - kBloomTrailerSize;
  const uint32_t num_blocks = DecodeFixed32(trailer);
  const int num_probes = static_cast<uint8_t>(trailer[4]);
  if (num_blocks == 0 ||
      static_cast<uint64_t>(num_blocks) * kBloomBlockBytes != filter.size() - kBloomTrailerSize) {
    return Status::Corruption("bloom filter claims " + std::to_string(num_blocks) +
                              " blocks but holds " +
                              std::to_string(filter.size() - kBloomTrailerSize) + " bytes");
  }
  if (num_probes < 1 || num_probes > kMaxBloomProbes) {
    return Status::Corruption("bloom filter has " + std::to_string(num_probes) + " probes");
  }
  bits_ = filter.data();
  num_blocks_ = num_blocks;
  num_probes_ = num_probes;
  return Status::OK();
}

bool BloomFilterReader::HashMayMatch(uint64_t hash) const {
  if (num_blocks_ == 0) return true;
  bool match = true;
  ForEachProbe(hash, num_blocks_, num_probes_, [&](size_t byte, uint8_t mask) {
    match = (static_cast<uint8_t>(bits_[byte]) & mask) != 0;
    return match;
  });
  return match;
}

void BloomFilterReader::Prefetch(uint64_t hash) const {
  if (num_blocks_ == 0) return;
  __builtin_prefetch(bits_ +
                     size_t{Reduce(static_cast<uint32_t>(hash), num_blocks_)} * kBloomBlockBytes);
}

}  // namespace strata::sst
