// CRC-16/XMODEM: polynomial 0x1021, initial value 0, not reflected, no final xor. Redis
// Cluster maps a key to its hash slot as Value(key) % 16384 (after extracting a {hash tag}).
#pragma once

#include <cstddef>
#include <cstdint>

namespace strata::crc16 {

uint16_t Value(const char* data, size_t n);

}  // namespace strata::crc16
