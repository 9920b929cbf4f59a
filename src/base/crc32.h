// CRC-32/ISO-HDLC, the CRC of zlib's crc32(), gzip, PNG and Ethernet: reflected polynomial
// 0xEDB88320, initial value ~0, final xor ~0. Not to be confused with CRC32C (crc32c.h),
// which Strata's own formats use; this one exists for formats defined by others.
#pragma once

#include <cstddef>
#include <cstdint>

namespace strata::crc32 {

// The CRC of data[0, n) appended to a message whose CRC is crc, with the same convention as
// zlib: Extend(0, ...) == Value(...) and Extend(Value(a), b) == Value(a + b).
uint32_t Extend(uint32_t crc, const char* data, size_t n);
inline uint32_t Value(const char* data, size_t n) { return Extend(0, data, n); }

}  // namespace strata::crc32
