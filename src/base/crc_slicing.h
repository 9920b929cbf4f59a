// Table-driven reflected CRCs, eight input bytes per step ("slicing-by-8"). CRC32 (zlib),
// CRC32C and Redis's CRC64 are all reflected (they shift right, least significant bit
// first), so one implementation serves them; each supplies its width and polynomial.
//
// tables[k][b] is the CRC contribution of byte b followed by k zero bytes, so a step folds
// eight bytes with eight independent lookups instead of a chain of eight dependent ones.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>

namespace strata::internal {

template <typename T>
using SlicingTables = std::array<std::array<T, 256>, 8>;

// reflected_polynomial: the polynomial with its bits reversed (0xEDB88320 for CRC32).
template <typename T>
constexpr SlicingTables<T> MakeSlicingTables(T reflected_polynomial) {
  SlicingTables<T> t{};
  for (unsigned b = 0; b < 256; b++) {
    T crc = b;
    for (int i = 0; i < 8; i++) crc = (crc >> 1) ^ ((crc & 1) ? reflected_polynomial : T{0});
    t[0][b] = crc;
  }
  for (int k = 1; k < 8; k++) {
    for (unsigned b = 0; b < 256; b++) t[k][b] = (t[k - 1][b] >> 8) ^ t[0][t[k - 1][b] & 0xff];
  }
  return t;
}

// Advances the CRC register over data[0, n). The register is the raw shift register: any
// initial value or final xor of a particular CRC is the caller's business.
template <typename T>
T ExtendRegister(const SlicingTables<T>& t, T reg, const char* data, size_t n) {
  static_assert(sizeof(T) <= 8);
  const auto* p = reinterpret_cast<const unsigned char*>(data);
  while (n >= 8) {
    uint64_t w;
    std::memcpy(&w, p, sizeof(w));  // little-endian host: p[0] is the low byte
    w ^= reg;
    reg = t[7][w & 0xff] ^ t[6][(w >> 8) & 0xff] ^ t[5][(w >> 16) & 0xff] ^ t[4][(w >> 24) & 0xff] ^
          t[3][(w >> 32) & 0xff] ^ t[2][(w >> 40) & 0xff] ^ t[1][(w >> 48) & 0xff] ^ t[0][w >> 56];
    p += 8;
    n -= 8;
  }
  while (n > 0) {
    reg = t[0][(reg ^ *p++) & 0xff] ^ (reg >> 8);
    n--;
  }
  return reg;
}

}  // namespace strata::internal
