#include "base/crc16.h"

#include <array>

namespace strata::crc16 {

namespace {

constexpr uint16_t kPolynomial = 0x1021;  // x^16 + x^12 + x^5 + 1, MSB-first

// kTable[b] is the CRC register after shifting byte b (placed in the high byte) through
// eight steps, so one lookup processes one input byte. Keys are short (tens of bytes), so a
// single table is as fast as slicing here and keeps the cache footprint at 512 bytes.
constexpr std::array<uint16_t, 256> MakeTable() {
  std::array<uint16_t, 256> t{};
  for (uint32_t b = 0; b < 256; b++) {
    uint32_t crc = b << 8;
    for (int i = 0; i < 8; i++) crc = (crc << 1) ^ ((crc & 0x8000) ? kPolynomial : 0);
    t[b] = static_cast<uint16_t>(crc);
  }
  return t;
}

constexpr std::array<uint16_t, 256> kTable = MakeTable();

}  // namespace

uint16_t Value(const char* data, size_t n) {
  uint16_t crc = 0;
  const auto* p = reinterpret_cast<const unsigned char*>(data);
  for (size_t i = 0; i < n; i++) {
    crc = static_cast<uint16_t>((crc << 8) ^ kTable[((crc >> 8) ^ p[i]) & 0xff]);
  }
  return crc;
}

}  // namespace strata::crc16
