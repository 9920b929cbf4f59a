// Random: a small, fast, deterministic pseudo-random generator for tests and benchmarks.
// Not for anything that needs unpredictability.
//
// The generator is xoshiro256** (Blackman and Vigna), whose 256-bit state is filled from the
// seed with SplitMix64 (Steele, Lea and Flood), as its authors recommend. The same seed gives
// the same sequence on every platform and compiler, so a failing seed can be replayed.
#pragma once

#include <array>
#include <cassert>
#include <cstdint>

namespace strata {

// One SplitMix64 step: advances *state and returns its next output. Any 64-bit seed,
// including 0, gives well-mixed, distinct outputs, which is why it expands seeds below.
inline uint64_t SplitMix64(uint64_t* state) {
  uint64_t z = (*state += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

class Random {
 public:
  explicit Random(uint64_t seed) {
    // Four outputs of SplitMix64 are never all zero (it is a bijection of a counter), so the
    // state is valid for every seed.
    for (uint64_t& word : s_) word = SplitMix64(&seed);
  }

  // A generator with the given raw state, which must not be all zero. Exists to check the
  // implementation against the published xoshiro256** output sequences.
  static Random FromState(const std::array<uint64_t, 4>& state) {
    assert((state[0] | state[1] | state[2] | state[3]) != 0);
    Random r(0);
    r.s_ = state;
    return r;
  }

  // 64 uniformly distributed bits.
  uint64_t Next() {
    const uint64_t result = Rotl(s_[1] * 5, 7) * 9;
    const uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = Rotl(s_[3], 45);
    return result;
  }

  // Uniform in [0, n), without bias; n must be positive. Uses Lemire's multiply-and-shift
  // with rejection: the high half of a 32x32-bit product is the result, and the rare low
  // halves that would favour some results are redrawn.
  uint32_t Uniform(uint32_t n) {
    assert(n > 0);
    uint64_t product = uint64_t{Next32()} * n;
    auto low = static_cast<uint32_t>(product);
    if (low < n) {
      const uint32_t threshold = (0u - n) % n;  // 2^32 mod n
      while (low < threshold) {
        product = uint64_t{Next32()} * n;
        low = static_cast<uint32_t>(product);
      }
    }
    return static_cast<uint32_t>(product >> 32);
  }

  // True with probability 1/n; n must be positive.
  bool OneIn(int n) {
    assert(n > 0);
    return Uniform(static_cast<uint32_t>(n)) == 0;
  }

  // Picks a bit width b uniformly in [0, max_log], then a value uniformly in [0, 2^b): small
  // values are exponentially more likely than large ones, like key and value sizes in real
  // workloads. max_log must be in [0, 31].
  uint32_t Skewed(int max_log) {
    assert(max_log >= 0 && max_log <= 31);
    const uint32_t bits = Uniform(static_cast<uint32_t>(max_log) + 1);
    return Uniform(uint32_t{1} << bits);
  }

 private:
  static uint64_t Rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  // The high half of Next(): the best-mixed bits of the output.
  uint32_t Next32() { return static_cast<uint32_t>(Next() >> 32); }

  std::array<uint64_t, 4> s_;
};

}  // namespace strata
