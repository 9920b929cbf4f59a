// CRC-64/Jones exactly as Redis computes it: polynomial 0xad93d23594c935a9 (normal form),
// input and output reflected, initial value 0, no final xor. It is the trailing checksum of
// every RDB file and DUMP payload, so values must match Redis bit for bit.
#pragma once

#include <cstddef>
#include <cstdint>

namespace strata::crc64 {

// The CRC of data[0, n) appended to a message whose CRC is crc. Because the initial value
// is 0 and there is no final xor, Extend(Extend(0, a), b) == Value(a + b) and a running
// CRC can be carried across reads of any size.
uint64_t Extend(uint64_t crc, const char* data, size_t n);
inline uint64_t Value(const char* data, size_t n) { return Extend(0, data, n); }

}  // namespace strata::crc64
