#include "base/crc64.h"

#include <array>
#include <cstring>

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

using Tables = std::array<std::array<uint64_t, 256>, 8>;

// Slicing-by-8: kTables[k][b] is the CRC contribution of byte b followed by k zero bytes,
// so a step folds eight input bytes with eight independent lookups instead of a chain of
// eight dependent ones. Built at compile time, so there is no initialisation race.
constexpr Tables MakeTables() {
  Tables t{};
  for (uint64_t b = 0; b < 256; b++) {
    uint64_t crc = b;
    for (int i = 0; i < 8; i++) crc = (crc >> 1) ^ ((crc & 1) ? kReflectedPolynomial : 0);
    t[0][b] = crc;
  }
  for (int k = 1; k < 8; k++) {
    for (int b = 0; b < 256; b++) t[k][b] = (t[k - 1][b] >> 8) ^ t[0][t[k - 1][b] & 0xff];
  }
  return t;
}

constexpr Tables kTables = MakeTables();

}  // namespace

uint64_t Extend(uint64_t crc, const char* data, size_t n) {
  uint64_t c = crc;
  const auto* p = reinterpret_cast<const unsigned char*>(data);
  while (n >= 8) {
    uint64_t word;
    std::memcpy(&word, p, sizeof(word));  // little-endian host: p[0] is the low byte
    c ^= word;
    c = kTables[7][c & 0xff] ^ kTables[6][(c >> 8) & 0xff] ^ kTables[5][(c >> 16) & 0xff] ^
        kTables[4][(c >> 24) & 0xff] ^ kTables[3][(c >> 32) & 0xff] ^ kTables[2][(c >> 40) & 0xff] ^
        kTables[1][(c >> 48) & 0xff] ^ kTables[0][c >> 56];
    p += 8;
    n -= 8;
  }
  while (n > 0) {
    c = kTables[0][(c ^ *p++) & 0xff] ^ (c >> 8);
    n--;
  }
  return c;
}

}  // namespace strata::crc64
