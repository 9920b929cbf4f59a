// Sizes of the allocations Redis 7 makes for the things an RDB file holds, on 64-bit Linux
// with jemalloc 5 (Debian's redis-server 7.0): jemalloc's size classes, sds strings, and
// listpack entries. Cheap integer arithmetic, so the parser can apply them to every element
// it walks (see ValueShape) and the memory model (memory_estimate.h) to whole values.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

namespace strata::rdb {

// The usable size jemalloc hands out for a request of n bytes (what zmalloc_size() reports):
// 8, then multiples of the 16-byte quantum up to 64; above that every power-of-two range
// (base, 2 * base] holds four classes spaced base / 4 apart (80, 96, 112, 128, 160, 192, 224,
// 256, 320, ...). Large and huge classes follow the same rule. malloc(0) takes 8 bytes.
constexpr uint64_t JemallocSizeClass(uint64_t n) {
  if (n <= 8) return 8;
  if (n <= 64) return (n + 15) & ~uint64_t{15};
  const int lg_base = 63 - __builtin_clzll(n - 1);  // n is in (2^lg_base, 2^(lg_base + 1)]
  const uint64_t delta = uint64_t{1} << (lg_base - 2);
  return (n + delta - 1) & ~(delta - 1);
}

// The header of an sds string of len bytes as sdsnewlen() picks it: sdshdr5 (1 byte) below
// 32 bytes, then sdshdr8/16/32/64 (3, 5, 9, 17 bytes). An empty sds takes sdshdr8.
constexpr uint64_t SdsHeaderBytes(uint64_t len) {
  if (len == 0) return 3;
  if (len < (uint64_t{1} << 5)) return 1;
  if (len < (uint64_t{1} << 8)) return 3;
  if (len < (uint64_t{1} << 16)) return 5;
  if (len < (uint64_t{1} << 32)) return 9;
  return 17;
}

namespace internal {
// SdsAllocSize() of the lengths most elements have, looked up: the parser prices every
// element it walks.
constexpr size_t kSdsTableSize = 256;
constexpr std::array<uint16_t, kSdsTableSize> MakeSdsAllocTable() {
  std::array<uint16_t, kSdsTableSize> t{};
  for (size_t len = 0; len < kSdsTableSize; len++) {
    t[len] = static_cast<uint16_t>(JemallocSizeClass(SdsHeaderBytes(len) + len + 1));
  }
  return t;
}
inline constexpr std::array<uint16_t, kSdsTableSize> kSdsAllocTable = MakeSdsAllocTable();
}  // namespace internal

// The allocation of an sds holding len bytes, as loading creates it (exact length, no spare
// room): header, the bytes, the terminating NUL, rounded to a size class.
inline uint64_t SdsAllocSize(uint64_t len) {
  if (len < internal::kSdsTableSize) return internal::kSdsAllocTable[len];
  return JemallocSizeClass(SdsHeaderBytes(len) + len + 1);
}

// The back-length field of a listpack entry whose encoding and data take entry_bytes: 7 bits
// per byte.
constexpr uint64_t ListpackBacklenBytes(uint64_t entry_bytes) {
  if (entry_bytes <= 127) return 1;
  if (entry_bytes < 16383) return 2;
  if (entry_bytes < 2097151) return 3;
  if (entry_bytes < 268435455) return 4;
  return 5;
}

// A listpack entry holding a string of len bytes: 1-, 2- or 5-byte encoding, the bytes, the
// back-length.
inline uint64_t ListpackStringEntryBytes(uint64_t len) {
  if (len < 64) return len + 2;  // the common case: 1-byte encoding and back-length
  const uint64_t encoded = (len < 64 ? 1 : len < 4096 ? 2 : 5) + len;
  return encoded + ListpackBacklenBytes(encoded);
}

// A listpack entry holding an integer: 7-bit unsigned (1 byte), 13-bit (2), 16/24/32/64-bit
// (3, 4, 5, 9), plus a one-byte back-length.
inline uint64_t ListpackIntEntryBytes(int64_t v) {
  if (v >= 0 && v <= 127) return 2;
  if (v >= -4096 && v <= 4095) return 3;
  if (v >= -32768 && v <= 32767) return 4;
  if (v >= -8388608 && v <= 8388607) return 5;
  if (v >= INT32_MIN && v <= INT32_MAX) return 6;
  return 10;
}

// Bytes per integer of the narrowest intset encoding that holds v: 2, 4 or 8.
inline uint8_t IntsetWidth(int64_t v) {
  if (v >= INT16_MIN && v <= INT16_MAX) return 2;
  if (v >= INT32_MIN && v <= INT32_MAX) return 4;
  return 8;
}

// Header (total bytes u32, count u16) and end byte of a listpack.
constexpr uint64_t kListpackOverheadBytes = 7;

}  // namespace strata::rdb
