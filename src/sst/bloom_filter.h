// A cache-local Bloom filter: one per table, over the table's "filter keys".
//
// The bit array is split into 64-byte (512-bit) blocks and all k probes of a key fall into
// one block, so a lookup touches one cache line. From the 64-bit XXH3 hash of the key, the
// low 32 bits choose the block (multiply-shift range reduction) and the high 32 bits seed
// the probes: each probe takes the top 9 bits of the seed as a bit index within the block,
// then the seed is multiplied by an odd constant (0x9e3779b9) for the next probe.
//
// Serialized: bit array (num_blocks * 64 bytes) | fixed32 num_blocks | uint8 num_probes.
// The reader checks that the parameters agree with the size before using the array.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "strata/slice.h"
#include "strata/status.h"

namespace strata::sst {

constexpr size_t kBloomBlockBytes = 64;
constexpr size_t kBloomTrailerSize = 5;
constexpr int kMaxBloomProbes = 30;

// The hash every filter key goes through (XXH3_64bits, seed 0).
uint64_t BloomHash(const Slice& key);

class BloomFilterBuilder {
 public:
  // bits_per_key >= 1.
  explicit BloomFilterBuilder(int bits_per_key);

  void AddKey(const Slice& key) { hashes_.push_back(BloomHash(key)); }
  size_t num_keys() const { return hashes_.size(); }

  // Serializes a filter over every key added so far.
  std::string Finish() const;

 private:
  const int bits_per_key_;
  std::vector<uint64_t> hashes_;
};

class BloomFilterReader {
 public:
  // An invalid reader (no Init) matches every key.
  BloomFilterReader() = default;

  // Parses a serialized filter, which must outlive this reader. Corruption if its parameters
  // do not match its size.
  Status Init(const Slice& filter);

  // False only if the key was certainly not added.
  bool KeyMayMatch(const Slice& key) const { return HashMayMatch(BloomHash(key)); }
  // The same for a key whose BloomHash() the caller computed once for several filters.
  bool HashMayMatch(uint64_t hash) const;
  // Starts loading the one cache line HashMayMatch(hash) reads, so that the probes of several
  // filters overlap their memory latency.
  void Prefetch(uint64_t hash) const;

  uint32_t num_blocks() const { return num_blocks_; }
  int num_probes() const { return num_probes_; }

 private:
  const char* bits_ = nullptr;
  uint32_t num_blocks_ = 0;  // 0 means "no filter": everything may match
  int num_probes_ = 0;
};

}  // namespace strata::sst
