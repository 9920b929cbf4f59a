// CRC32C (Castagnoli, reflected polynomial 0x82F63B78), the checksum of every WAL record,
// SSTable block and MANIFEST record. Uses the SSE4.2 crc32 instruction when the CPU has it
// and a table-driven loop otherwise; both give identical values.
#pragma once

#include <cstddef>
#include <cstdint>

namespace strata::crc32c {

// The CRC of data[0, n) appended to a message whose CRC is crc. Extend(0, ...) == Value(...).
uint32_t Extend(uint32_t crc, const char* data, size_t n);
inline uint32_t Value(const char* data, size_t n) { return Extend(0, data, n); }

// The table-driven implementation, exposed so tests can compare it with the hardware one.
uint32_t ExtendPortable(uint32_t crc, const char* data, size_t n);
bool IsHardwareAccelerated();

// A CRC stored next to the data it covers is masked: computing the CRC of a string that
// itself contains CRCs is otherwise prone to degenerate results (the CRC of data followed by
// its own CRC is a constant).
constexpr uint32_t kMaskDelta = 0xa282ead8u;
inline uint32_t Mask(uint32_t crc) { return ((crc >> 15) | (crc << 17)) + kMaskDelta; }
inline uint32_t Unmask(uint32_t masked) {
  const uint32_t rot = masked - kMaskDelta;
  return (rot >> 17) | (rot << 15);
}

}  // namespace strata::crc32c
