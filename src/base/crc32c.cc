#include "base/crc32c.h"

#include <cstring>

#include "base/crc_slicing.h"

#if defined(__x86_64__)
#include <nmmintrin.h>
#endif

namespace strata::crc32c {

namespace {

constexpr uint32_t kPolynomial = 0x82F63B78u;  // reflected Castagnoli

constexpr auto kTables = internal::MakeSlicingTables<uint32_t>(kPolynomial);

#if defined(__x86_64__)
// The crc32 instruction has a latency of 3 cycles but a throughput of one per cycle: one
// dependency chain uses a third of it. Long inputs are therefore processed in rounds of three
// 256-byte streams with independent chains, joined by the linearity of CRCs: the register
// after A||B equals Shift(register after A, |B|) ^ (register of B alone, started at 0), where
// Shift feeds zero bytes. Feeding 256 zero bytes is a linear map of the 32-bit register,
// applied here as four table lookups (one per register byte).
constexpr size_t kStream = 256;

__attribute__((target("sse4.2"))) uint32_t FeedZeros(uint32_t reg, size_t n) {
  uint64_t c = reg;
  for (size_t i = 0; i < n / 8; i++) c = _mm_crc32_u64(c, 0);
  return static_cast<uint32_t>(c);
}

struct ShiftTables {
  uint32_t t[4][256];
};

__attribute__((target("sse4.2"))) ShiftTables MakeShiftTables() {
  ShiftTables tables{};
  for (int b = 0; b < 4; b++) {
    for (uint32_t v = 0; v < 256; v++) tables.t[b][v] = FeedZeros(v << (8 * b), kStream);
  }
  return tables;
}

inline uint32_t Shift(const ShiftTables& s, uint32_t reg) {
  return s.t[0][reg & 0xff] ^ s.t[1][(reg >> 8) & 0xff] ^ s.t[2][(reg >> 16) & 0xff] ^
         s.t[3][reg >> 24];
}

__attribute__((target("sse4.2"))) uint32_t ExtendHardware(uint32_t crc, const char* data,
                                                          size_t n) {
  uint64_t c = ~crc;
  const auto* p = reinterpret_cast<const unsigned char*>(data);
  if (n >= 3 * kStream) {
    static const ShiftTables shift = MakeShiftTables();
    while (n >= 3 * kStream) {
      uint64_t c1 = 0;
      uint64_t c2 = 0;
      for (size_t i = 0; i < kStream; i += 8) {
        uint64_t w0, w1, w2;
        std::memcpy(&w0, p + i, 8);
        std::memcpy(&w1, p + kStream + i, 8);
        std::memcpy(&w2, p + 2 * kStream + i, 8);
        c = _mm_crc32_u64(c, w0);
        c1 = _mm_crc32_u64(c1, w1);
        c2 = _mm_crc32_u64(c2, w2);
      }
      const uint32_t joined = Shift(shift, static_cast<uint32_t>(c)) ^ static_cast<uint32_t>(c1);
      c = Shift(shift, joined) ^ static_cast<uint32_t>(c2);
      p += 3 * kStream;
      n -= 3 * kStream;
    }
  }
  while (n >= 8) {
    uint64_t word;
    std::memcpy(&word, p, sizeof(word));
    c = _mm_crc32_u64(c, word);
    p += 8;
    n -= 8;
  }
  auto c32 = static_cast<uint32_t>(c);
  while (n > 0) {
    c32 = _mm_crc32_u8(c32, *p++);
    n--;
  }
  return ~c32;
}

bool DetectHardware() { return __builtin_cpu_supports("sse4.2"); }
#else
uint32_t ExtendHardware(uint32_t crc, const char* data, size_t n) {
  return ExtendPortable(crc, data, n);
}
bool DetectHardware() { return false; }
#endif

const bool kHasHardware = DetectHardware();

}  // namespace

uint32_t ExtendPortable(uint32_t crc, const char* data, size_t n) {
  return ~internal::ExtendRegister(kTables, ~crc, data, n);
}

bool IsHardwareAccelerated() { return kHasHardware; }

uint32_t Extend(uint32_t crc, const char* data, size_t n) {
  return kHasHardware ? ExtendHardware(crc, data, n) : ExtendPortable(crc, data, n);
}

}  // namespace strata::crc32c
