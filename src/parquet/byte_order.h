// Equality and unsigned lexicographic order of byte strings, inline.
//
// The writer compares every value of a byte-array column with the previous one and with the
// page's bounds, and probes the dictionary with another comparison. Values are mostly short
// (ids, keys), where a call into the C library's memcmp costs more than the comparison:
// equality compares 8 bytes at a time in registers, and the order is Slice::compare's.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

#include "strata/slice.h"

namespace strata::parquet {

namespace internal {

inline uint64_t LoadWord(const char* p) {
  uint64_t v;
  std::memcpy(&v, p, 8);
  return v;
}

inline uint32_t LoadHalf(const char* p) {
  uint32_t v;
  std::memcpy(&v, p, 4);
  return v;
}

}  // namespace internal

inline bool EqualBytes(std::string_view a, std::string_view b) {
  using internal::LoadHalf;
  using internal::LoadWord;
  const size_t n = a.size();
  if (n != b.size()) return false;
  const char* p = a.data();
  const char* q = b.data();
  if (n >= 8) {
    // Whole words, then the last 8 bytes (overlapping the previous word when n % 8 != 0).
    for (size_t i = 0; i + 8 < n; i += 8) {
      if (LoadWord(p + i) != LoadWord(q + i)) return false;
    }
    return LoadWord(p + n - 8) == LoadWord(q + n - 8);
  }
  if (n >= 4) return LoadHalf(p) == LoadHalf(q) && LoadHalf(p + n - 4) == LoadHalf(q + n - 4);
  for (size_t i = 0; i < n; i++) {
    if (p[i] != q[i]) return false;
  }
  return true;
}

// Negative, zero or positive as a orders before, with or after b (bytes unsigned; a proper
// prefix first). Slice::compare already runs inline, word by word, for short values.
inline int CompareBytes(std::string_view a, std::string_view b) { return Slice(a).compare(b); }

}  // namespace strata::parquet
