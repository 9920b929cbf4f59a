// CRC-64/Jones exactly as Redis computes it: polynomial 0xad93d23594c935a9 (normal form),
// input and output reflected, initial value 0, no final xor. It is the trailing checksum of
// every RDB file and DUMP payload, so values must match Redis bit for bit.
//
// On x86-64 CPUs with PCLMULQDQ, inputs of 32 bytes or more are folded 16 bytes at a time
// with carry-less multiplication (crc64_pclmul.h; 256-bit VPCLMULQDQ when the CPU also has it
// and AVX2). Other CPUs, shorter inputs and the last 0..15 bytes use a table-driven loop. All
// paths give identical values; the choice is made once, at start-up, from CPUID.
#pragma once

#include <cstddef>
#include <cstdint>

namespace strata::crc64 {

// The CRC of data[0, n) appended to a message whose CRC is crc. Because the initial value
// is 0 and there is no final xor, Extend(Extend(0, a), b) == Value(a + b) and a running
// CRC can be carried across reads of any size.
uint64_t Extend(uint64_t crc, const char* data, size_t n);
inline uint64_t Value(const char* data, size_t n) { return Extend(0, data, n); }

// The table-driven implementation, exposed so tests and benchmarks can compare it with the
// carry-less multiplication one.
uint64_t ExtendPortable(uint64_t crc, const char* data, size_t n);
// True when Extend uses carry-less multiplication on this CPU.
bool IsHardwareAccelerated();

}  // namespace strata::crc64
