// CRC-64/Jones by carry-less multiplication folding; see crc64_pclmul.h for the mathematics.
// Functions carry __attribute__((target(...))) so the build needs no -m flags; crc64.cc calls
// them only after CPUID reported the instructions. Besides PCLMULQDQ (and VPCLMULQDQ/AVX2 in
// the wide path) everything used here is SSE2, part of x86-64.
#include "base/crc64_pclmul.h"

#if defined(__x86_64__)
#include <immintrin.h>

#define STRATA_PCLMUL __attribute__((target("pclmul")))
#define STRATA_VPCLMUL __attribute__((target("pclmul,avx2,vpclmulqdq")))

namespace strata::crc64::internal {

namespace {

// Blocks folded in parallel by the main loops: 8 blocks = 128 bytes per round, each folded
// 1024 bits forward onto the block at the same position of the next round. A fold is a
// dependency chain of a carry-less multiply (latency 4-7 cycles) and two xors; eight
// independent chains keep the multiplier busy on every cycle it can accept one. The loops are
// then bound by multiplier throughput: on Zen 4 one PCLMULQDQ per 2 cycles, 4 bytes per cycle,
// which is why a VPCLMULQDQ path, with two blocks per instruction at the same rate, exists.
constexpr size_t kLanes = 8;
constexpr size_t kRoundBytes = kLanes * kBlockBytes;
static_assert(kFoldBy.size() == kLanes, "the main loops fold by kFoldBy[kLanes - 1]");

STRATA_PCLMUL inline __m128i Constants(uint64_t low, uint64_t high) {
  return _mm_set_epi64x(static_cast<long long>(high), static_cast<long long>(low));
}

STRATA_PCLMUL inline __m128i Constants(const FoldConstants& k) {
  return Constants(k.first, k.second);
}

STRATA_PCLMUL inline __m128i LoadBlock(const char* p) {
  return _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
}

// A 16-byte value that, xored into the block k's distance further on, leaves the CRC
// unchanged: the block's first 8 bytes times k.first plus its last 8 bytes times k.second.
STRATA_PCLMUL inline __m128i Fold(__m128i block, __m128i k) {
  return _mm_xor_si128(_mm_clmulepi64_si128(block, k, 0x00), _mm_clmulepi64_si128(block, k, 0x11));
}

// The next accumulator: block folded forward by k's distance onto the block at p.
STRATA_PCLMUL inline __m128i FoldInto(__m128i block, __m128i k, const char* p) {
  return _mm_xor_si128(Fold(block, k), LoadBlock(p));
}

STRATA_PCLMUL inline uint64_t LowQword(__m128i v) {
  return static_cast<uint64_t>(_mm_cvtsi128_si64(v));
}

STRATA_PCLMUL inline uint64_t HighQword(__m128i v) { return LowQword(_mm_unpackhi_epi64(v, v)); }

// Folds eight consecutive blocks x[0..7] into one 16-byte value with the same CRC.
STRATA_PCLMUL inline __m128i MergeLanes(const __m128i (&x)[kLanes]) {
  // Block i lies 7 - i blocks before the last one; kFoldBy[j] moves a block j + 1 blocks on.
  // The seven folds are independent, so they overlap like the main loop's.
  __m128i acc = x[kLanes - 1];
  for (size_t i = 0; i + 1 < kLanes; i++) {
    acc = _mm_xor_si128(acc, Fold(x[i], Constants(kFoldBy[kLanes - 2 - i])));
  }
  return acc;
}

// Both paths end here. Given an accumulated block acc followed by the blocks data[p, p + n)
// (n a multiple of kBlockBytes, possibly 0), returns the CRC register of the whole, started
// at 0.
STRATA_PCLMUL inline uint64_t Finish(__m128i acc, const char* p, size_t n) {
  const __m128i by_block = Constants(kFoldBy[0]);
  for (; n > 0; p += kBlockBytes, n -= kBlockBytes) acc = FoldInto(acc, by_block, p);

  // Nothing follows acc = H*x^64 + L, so the CRC is acc*x^64 mod P = (H*x^128 + L*x^64) mod P.
  // H*x^128 is congruent to H*(x^127 mod P)*x, one PCLMULQDQ (kFoldBy[0].second is x^127);
  // L*x^64 is L moved to the high-order (low) qword. The sum V has degree < 128.
  const __m128i v = _mm_xor_si128(_mm_clmulepi64_si128(acc, Constants(kFoldBy[0].second, 0), 0x00),
                                  _mm_srli_si128(acc, 8));
  // Barrett: q = floor(Vh*mu / x^64) is t1's low qword; V mod P = Vl + q*P mod x^64, where
  // q*P mod x^64 is t2's high qword plus q (S(P) lacks P's constant term).
  const __m128i barrett = Constants(kBarrettMu, kBarrettPoly);
  const __m128i t1 = _mm_clmulepi64_si128(v, barrett, 0x00);   // Vh * S(mu)
  const __m128i t2 = _mm_clmulepi64_si128(t1, barrett, 0x10);  // q * S(P)
  return HighQword(_mm_xor_si128(v, t2)) ^ LowQword(t1);
}

// The 256-bit counterparts: each register holds two consecutive blocks, and VPCLMULQDQ
// multiplies both with one instruction, twice the work per instruction of PCLMULQDQ.
STRATA_VPCLMUL inline __m256i LoadPair(const char* p) {
  return _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p));
}

STRATA_VPCLMUL inline __m256i FoldPairInto(__m256i pair, __m256i k, const char* p) {
  const __m256i folded = _mm256_xor_si256(_mm256_clmulepi64_epi128(pair, k, 0x00),
                                          _mm256_clmulepi64_epi128(pair, k, 0x11));
  return _mm256_xor_si256(folded, LoadPair(p));
}

}  // namespace

STRATA_PCLMUL uint64_t ExtendPclmulBlocks(uint64_t crc, const char* p, size_t n) {
  // The register I enters the CRC as I*x^m, exactly like message bits at the first 64
  // positions, so it is xored into the first 8 bytes and folding runs from a zero register.
  const __m128i initial = _mm_cvtsi64_si128(static_cast<long long>(crc));
  if (n < kRoundBytes) {
    return Finish(_mm_xor_si128(LoadBlock(p), initial), p + kBlockBytes, n - kBlockBytes);
  }
  // Named lanes rather than a loop over an array: g++ -O2 neither unrolls that loop nor keeps
  // the array in registers, which puts a store and a reload into every chain.
  __m128i x0 = _mm_xor_si128(LoadBlock(p), initial);
  __m128i x1 = LoadBlock(p + 1 * kBlockBytes);
  __m128i x2 = LoadBlock(p + 2 * kBlockBytes);
  __m128i x3 = LoadBlock(p + 3 * kBlockBytes);
  __m128i x4 = LoadBlock(p + 4 * kBlockBytes);
  __m128i x5 = LoadBlock(p + 5 * kBlockBytes);
  __m128i x6 = LoadBlock(p + 6 * kBlockBytes);
  __m128i x7 = LoadBlock(p + 7 * kBlockBytes);
  p += kRoundBytes;
  n -= kRoundBytes;
  // Invariant: the CRC of the input equals the CRC, from register 0, of x0..x7 followed by
  // data[p, p + n).
  const __m128i by_round = Constants(kFoldBy[kLanes - 1]);
  for (; n >= kRoundBytes; p += kRoundBytes, n -= kRoundBytes) {
    x0 = FoldInto(x0, by_round, p);
    x1 = FoldInto(x1, by_round, p + 1 * kBlockBytes);
    x2 = FoldInto(x2, by_round, p + 2 * kBlockBytes);
    x3 = FoldInto(x3, by_round, p + 3 * kBlockBytes);
    x4 = FoldInto(x4, by_round, p + 4 * kBlockBytes);
    x5 = FoldInto(x5, by_round, p + 5 * kBlockBytes);
    x6 = FoldInto(x6, by_round, p + 6 * kBlockBytes);
    x7 = FoldInto(x7, by_round, p + 7 * kBlockBytes);
  }
  const __m128i x[kLanes] = {x0, x1, x2, x3, x4, x5, x6, x7};
  return Finish(MergeLanes(x), p, n);
}

STRATA_VPCLMUL uint64_t ExtendVpclmulBlocks(uint64_t crc, const char* p, size_t n) {
  if (n < kRoundBytes) return ExtendPclmulBlocks(crc, p, n);
  // The same rounds of eight blocks as ExtendPclmulBlocks, two blocks per register: y0 holds
  // blocks 0 and 1 of the round, y1 blocks 2 and 3, and so on. Each block still moves 1024 bits
  // forward per round, so both halves of every register use kFoldBy[kLanes - 1].
  __m256i y0 = _mm256_xor_si256(
      LoadPair(p), _mm256_zextsi128_si256(_mm_cvtsi64_si128(static_cast<long long>(crc))));
  __m256i y1 = LoadPair(p + 2 * kBlockBytes);
  __m256i y2 = LoadPair(p + 4 * kBlockBytes);
  __m256i y3 = LoadPair(p + 6 * kBlockBytes);
  p += kRoundBytes;
  n -= kRoundBytes;
  const FoldConstants& k = kFoldBy[kLanes - 1];
  const __m256i by_round =
      _mm256_set_epi64x(static_cast<long long>(k.second), static_cast<long long>(k.first),
                        static_cast<long long>(k.second), static_cast<long long>(k.first));
  for (; n >= kRoundBytes; p += kRoundBytes, n -= kRoundBytes) {
    y0 = FoldPairInto(y0, by_round, p);
    y1 = FoldPairInto(y1, by_round, p + 2 * kBlockBytes);
    y2 = FoldPairInto(y2, by_round, p + 4 * kBlockBytes);
    y3 = FoldPairInto(y3, by_round, p + 6 * kBlockBytes);
  }
  const __m128i x[kLanes] = {
      _mm256_castsi256_si128(y0), _mm256_extracti128_si256(y0, 1),
      _mm256_castsi256_si128(y1), _mm256_extracti128_si256(y1, 1),
      _mm256_castsi256_si128(y2), _mm256_extracti128_si256(y2, 1),
      _mm256_castsi256_si128(y3), _mm256_extracti128_si256(y3, 1),
  };
  return Finish(MergeLanes(x), p, n);
}

}  // namespace strata::crc64::internal

#undef STRATA_PCLMUL
#undef STRATA_VPCLMUL

#endif  // defined(__x86_64__)
