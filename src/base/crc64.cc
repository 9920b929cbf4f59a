#include "base/crc64.h"

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

constexpr auto kTables = crc_internal::MakeSlicingTables<uint64_t>(kReflectedPolynomial);

}  // namespace

uint64_t Extend(uint64_t crc, const char* data, size_t n) {
  // Redis's CRC64 has no initial complement and no final xor: the CRC is the register.
  return crc_internal::ExtendRegister(kTables, crc, data, n);
}

}  // namespace strata::crc64
