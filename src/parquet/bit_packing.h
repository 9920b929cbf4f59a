// Bit packing as Parquet uses it: values of a fixed bit width stored back to back, starting at
// the least significant bit of each byte (value i occupies stream bits [i*w, (i+1)*w), and
// stream bit b is bit b%8 of byte b/8). The RLE/bit-packed hybrid, PLAIN booleans and
// DELTA_BINARY_PACKED miniblocks all use this layout.
//
// These functions trust their arguments: the decoders that call them check bit widths and
// buffer sizes against the input first. Every width has a specialized routine that handles
// 32 values (exactly 4 * bit_width bytes) at a time; a tail of fewer than 32 values goes
// through a zero-padded scratch group, so no function reads or writes a byte outside
// [p, p + BitPackedSize(n, bit_width)).
#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>

namespace strata::parquet {

constexpr int kMaxBitWidth32 = 32;
constexpr int kMaxBitWidth64 = 64;

// Bytes that n values of bit_width bits take when packed back to back (the last byte is
// padded with zero bits). n * bit_width must not overflow, which holds for n < 2^57.
constexpr size_t BitPackedSize(size_t n, int bit_width) {
  return (n * static_cast<size_t>(bit_width) + 7) / 8;
}

// The fewest bits that hold v: 0 for 0, 1 for 1, 2 for 2..3, ...
constexpr int BitWidthOf(uint64_t v) { return static_cast<int>(std::bit_width(v)); }

// Unpacks n values of bit_width bits from in into out. Reads exactly
// BitPackedSize(n, bit_width) bytes. Requires 0 <= bit_width <= 32 (Unpack32) or <= 64
// (Unpack64).
void Unpack32(const uint8_t* in, size_t n, int bit_width, uint32_t* out);
void Unpack64(const uint8_t* in, size_t n, int bit_width, uint64_t* out);

// Packs n values into exactly BitPackedSize(n, bit_width) bytes at out; bits of a value above
// bit_width are dropped and the padding bits of the last byte are zero. Same width limits.
void Pack32(const uint32_t* in, size_t n, int bit_width, uint8_t* out);
void Pack64(const uint64_t* in, size_t n, int bit_width, uint8_t* out);

// Width 1 into bytes, for booleans and the levels of nullable columns: out[i] is 0 or 1.
// Reads exactly BitPackedSize(n, 1) bytes. Whole bytes expand through a table, eight values
// with one store.
void UnpackBits(const uint8_t* in, size_t n, uint8_t* out);
// Packs n bytes (any non-zero byte is a 1 bit) into exactly BitPackedSize(n, 1) bytes.
void PackBits(const uint8_t* in, size_t n, uint8_t* out);

}  // namespace strata::parquet
