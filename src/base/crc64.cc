#include "base/crc64.h"

#include "base/crc64_pclmul.h"
#include "base/crc_slicing.h"

namespace strata::crc64 {

namespace {

constexpr uint64_t kPolynomial = 0xad93d23594c935a9ull;  // Jones, normal (MSB-first) form

// The reflected algorithm shifts right, so it needs the polynomial with its bits reversed.
constexpr uint64_t Reverse64(uint64_t v) {
  uint64_t r = 0;
  for (int i = 0; i < 64; i++) {
    r = (r << 1) | (v & 1);
    v >>= 1;
  }
  return r;
}

constexpr uint64_t kReflectedPolynomial = Reverse64(kPolynomial);
static_assert(kReflectedPolynomial == 0x95ac9329ac4bc9b5ull);
// The Barrett constant S(P) is the reflected polynomial with P's x^64 term shifted in.
static_assert(internal::kBarrettPoly == ((kReflectedPolynomial << 1) | 1));

constexpr auto kTables = strata::internal::MakeSlicingTables<uint64_t>(kReflectedPolynomial);

enum class Impl { kPortable, kPclmul, kVpclmul };

Impl DetectImpl() {
#if defined(__x86_64__)
  // Needed when this runs before the constructor that normally initializes the CPU model.
  // The avx2 check also covers the operating system saving the ymm registers.
  __builtin_cpu_init();
  if (!__builtin_cpu_supports("pclmul")) return Impl::kPortable;
  if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("vpclmulqdq")) {
    return Impl::kVpclmul;
  }
  return Impl::kPclmul;
#else
  return Impl::kPortable;
#endif
}

// kPortable (zero) until dynamic initialization runs, so an Extend from another file's static
// initializer takes the portable path, which gives the same value.
const Impl kImpl = DetectImpl();

}  // namespace

uint64_t ExtendPortable(uint64_t crc, const char* data, size_t n) {
  // Redis's CRC64 has no initial complement and no final xor: the CRC is the register.
  return strata::internal::ExtendRegister(kTables, crc, data, n);
}

bool IsHardwareAccelerated() { return kImpl != Impl::kPortable; }

uint64_t Extend(uint64_t crc, const char* data, size_t n) {
#if defined(__x86_64__)
  // Below this length the table loop wins: folding pays a fixed reduction of three dependent
  // carry-less multiplies after the last fold, and the 0..15-byte tail still goes through the
  // tables. Measured with a throwaway benchmark on an AMD EPYC (Zen 4).
  constexpr size_t kMinPclmulBytes = 32;
  if (kImpl != Impl::kPortable && n >= kMinPclmulBytes) {
    const size_t blocks = n - n % internal::kBlockBytes;
    crc = kImpl == Impl::kVpclmul ? internal::ExtendVpclmulBlocks(crc, data, blocks)
                                  : internal::ExtendPclmulBlocks(crc, data, blocks);
    data += blocks;
    n -= blocks;
  }
#endif
  return ExtendPortable(crc, data, n);
}

}  // namespace strata::crc64
