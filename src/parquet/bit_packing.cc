#include "parquet/bit_packing.h"

#include <array>
#include <cassert>
#include <cstring>
#include <utility>

namespace strata::parquet {

namespace {

// A group of 32 values at width W is exactly W 32-bit little-endian words, so the group
// routines work on words. Value I starts at bit I*W: word (I*W)/32, shift (I*W)%32. Every
// position is a template argument, so each routine compiles to straight-line shifts and masks.
constexpr size_t kGroup = 32;

template <int W>
constexpr uint32_t Mask32() {
  if constexpr (W >= 32) {
    return ~uint32_t{0};
  } else {
    return (uint32_t{1} << W) - 1;
  }
}

template <int W>
constexpr uint64_t Mask64() {
  if constexpr (W >= 64) {
    return ~uint64_t{0};
  } else {
    return (uint64_t{1} << W) - 1;
  }
}

// The words are copied to a local array first: out may alias in as far as the compiler knows
// (both are byte-accessible), and a local copy lets it keep the words in registers.
template <int W, size_t I>
inline void UnpackOne32(const uint32_t* words, uint32_t* out) {
  constexpr int kBit = static_cast<int>(I) * W;
  constexpr int kWord = kBit / 32;
  constexpr int kShift = kBit % 32;
  uint32_t v = words[kWord] >> kShift;
  if constexpr (kShift + W > 32) v |= words[kWord + 1] << (32 - kShift);
  out[I] = v & Mask32<W>();
}

template <int W, size_t... I>
inline void UnpackGroup32Impl(const uint8_t* in, uint32_t* out, std::index_sequence<I...>) {
  uint32_t words[W];
  std::memcpy(words, in, sizeof(words));
  (UnpackOne32<W, I>(words, out), ...);
}

template <int W>
void UnpackGroup32(const uint8_t* in, uint32_t* out) {
  if constexpr (W == 0) {
    std::memset(out, 0, kGroup * sizeof(uint32_t));
  } else {
    UnpackGroup32Impl<W>(in, out, std::make_index_sequence<kGroup>());
  }
}

// A 64-bit value at shift s spans up to three words when s + W > 64.
template <int W, size_t I>
inline void UnpackOne64(const uint32_t* words, uint64_t* out) {
  constexpr int kBit = static_cast<int>(I) * W;
  constexpr int kWord = kBit / 32;
  constexpr int kShift = kBit % 32;
  uint64_t v = uint64_t{words[kWord]} >> kShift;
  if constexpr (kShift + W > 32) v |= uint64_t{words[kWord + 1]} << (32 - kShift);
  if constexpr (kShift + W > 64) v |= uint64_t{words[kWord + 2]} << (64 - kShift);
  out[I] = v & Mask64<W>();
}

template <int W, size_t... I>
inline void UnpackGroup64Impl(const uint8_t* in, uint64_t* out, std::index_sequence<I...>) {
  uint32_t words[W];
  std::memcpy(words, in, sizeof(words));
  (UnpackOne64<W, I>(words, out), ...);
}

template <int W>
void UnpackGroup64(const uint8_t* in, uint64_t* out) {
  if constexpr (W == 0) {
    std::memset(out, 0, kGroup * sizeof(uint64_t));
  } else {
    UnpackGroup64Impl<W>(in, out, std::make_index_sequence<kGroup>());
  }
}

template <int W, size_t I>
inline void PackOne32(const uint32_t* in, uint32_t* words) {
  constexpr int kBit = static_cast<int>(I) * W;
  constexpr int kWord = kBit / 32;
  constexpr int kShift = kBit % 32;
  const uint32_t v = in[I] & Mask32<W>();
  words[kWord] |= v << kShift;
  if constexpr (kShift + W > 32) words[kWord + 1] |= v >> (32 - kShift);
}

template <int W, size_t... I>
inline void PackGroup32Impl(const uint32_t* in, uint8_t* out, std::index_sequence<I...>) {
  uint32_t words[W] = {};
  (PackOne32<W, I>(in, words), ...);
  std::memcpy(out, words, sizeof(words));
}

template <int W>
void PackGroup32(const uint32_t* in, uint8_t* out) {
  if constexpr (W > 0) PackGroup32Impl<W>(in, out, std::make_index_sequence<kGroup>());
}

template <int W, size_t I>
inline void PackOne64(const uint64_t* in, uint32_t* words) {
  constexpr int kBit = static_cast<int>(I) * W;
  constexpr int kWord = kBit / 32;
  constexpr int kShift = kBit % 32;
  const uint64_t v = in[I] & Mask64<W>();
  words[kWord] |= static_cast<uint32_t>(v << kShift);
  if constexpr (kShift + W > 32) words[kWord + 1] |= static_cast<uint32_t>(v >> (32 - kShift));
  if constexpr (kShift + W > 64) words[kWord + 2] |= static_cast<uint32_t>(v >> (64 - kShift));
}

template <int W, size_t... I>
inline void PackGroup64Impl(const uint64_t* in, uint8_t* out, std::index_sequence<I...>) {
  uint32_t words[W] = {};
  (PackOne64<W, I>(in, words), ...);
  std::memcpy(out, words, sizeof(words));
}

template <int W>
void PackGroup64(const uint64_t* in, uint8_t* out) {
  if constexpr (W > 0) PackGroup64Impl<W>(in, out, std::make_index_sequence<kGroup>());
}

// Dispatch tables indexed by bit width.
using UnpackGroup32Fn = void (*)(const uint8_t*, uint32_t*);
using UnpackGroup64Fn = void (*)(const uint8_t*, uint64_t*);
using PackGroup32Fn = void (*)(const uint32_t*, uint8_t*);
using PackGroup64Fn = void (*)(const uint64_t*, uint8_t*);

template <size_t... W>
constexpr std::array<UnpackGroup32Fn, sizeof...(W)> MakeUnpack32(std::index_sequence<W...>) {
  return {&UnpackGroup32<static_cast<int>(W)>...};
}
template <size_t... W>
constexpr std::array<UnpackGroup64Fn, sizeof...(W)> MakeUnpack64(std::index_sequence<W...>) {
  return {&UnpackGroup64<static_cast<int>(W)>...};
}
template <size_t... W>
constexpr std::array<PackGroup32Fn, sizeof...(W)> MakePack32(std::index_sequence<W...>) {
  return {&PackGroup32<static_cast<int>(W)>...};
}
template <size_t... W>
constexpr std::array<PackGroup64Fn, sizeof...(W)> MakePack64(std::index_sequence<W...>) {
  return {&PackGroup64<static_cast<int>(W)>...};
}

constexpr auto kUnpack32 = MakeUnpack32(std::make_index_sequence<kMaxBitWidth32 + 1>());
constexpr auto kUnpack64 = MakeUnpack64(std::make_index_sequence<kMaxBitWidth64 + 1>());
constexpr auto kPack32 = MakePack32(std::make_index_sequence<kMaxBitWidth32 + 1>());
constexpr auto kPack64 = MakePack64(std::make_index_sequence<kMaxBitWidth64 + 1>());

template <typename T, typename Fn>
void UnpackImpl(Fn group, const uint8_t* in, size_t n, int bit_width, T* out) {
  const size_t group_bytes = 4 * static_cast<size_t>(bit_width);
  for (; n >= kGroup; n -= kGroup) {
    group(in, out);
    in += group_bytes;
    out += kGroup;
  }
  if (n == 0) return;
  // The tail: copy only the bytes that belong to it into a zeroed group, unpack the whole
  // group, keep the first n values.
  uint8_t scratch[4 * kMaxBitWidth64] = {};
  if (bit_width > 0) std::memcpy(scratch, in, BitPackedSize(n, bit_width));
  T values[kGroup];
  group(scratch, values);
  std::memcpy(out, values, n * sizeof(T));
}

template <typename T, typename Fn>
void PackImpl(Fn group, const T* in, size_t n, int bit_width, uint8_t* out) {
  const size_t group_bytes = 4 * static_cast<size_t>(bit_width);
  for (; n >= kGroup; n -= kGroup) {
    group(in, out);
    in += kGroup;
    out += group_bytes;
  }
  if (n == 0) return;
  // The tail: pad with zero values, pack a whole group, keep the bytes the tail owns. The
  // padding values are zero, so the unused bits of the last byte are zero too.
  T values[kGroup] = {};
  std::memcpy(values, in, n * sizeof(T));
  uint8_t scratch[4 * kMaxBitWidth64];
  group(values, scratch);
  if (bit_width > 0) std::memcpy(out, scratch, BitPackedSize(n, bit_width));
}

// kExpandBits[b] holds bit i of b in byte i, so a packed byte of width-1 values becomes eight
// 0/1 bytes with a single 8-byte store.
constexpr std::array<uint64_t, 256> MakeExpandBits() {
  std::array<uint64_t, 256> table{};
  for (size_t b = 0; b < 256; b++) {
    uint64_t v = 0;
    for (int bit = 0; bit < 8; bit++) v |= static_cast<uint64_t>((b >> bit) & 1) << (8 * bit);
    table[b] = v;
  }
  return table;
}
constexpr std::array<uint64_t, 256> kExpandBits = MakeExpandBits();

}  // namespace

void Unpack32(const uint8_t* in, size_t n, int bit_width, uint32_t* out) {
  assert(bit_width >= 0 && bit_width <= kMaxBitWidth32);
  UnpackImpl(kUnpack32[bit_width], in, n, bit_width, out);
}

void Unpack64(const uint8_t* in, size_t n, int bit_width, uint64_t* out) {
  assert(bit_width >= 0 && bit_width <= kMaxBitWidth64);
  UnpackImpl(kUnpack64[bit_width], in, n, bit_width, out);
}

void Pack32(const uint32_t* in, size_t n, int bit_width, uint8_t* out) {
  assert(bit_width >= 0 && bit_width <= kMaxBitWidth32);
  PackImpl(kPack32[bit_width], in, n, bit_width, out);
}

void Pack64(const uint64_t* in, size_t n, int bit_width, uint8_t* out) {
  assert(bit_width >= 0 && bit_width <= kMaxBitWidth64);
  PackImpl(kPack64[bit_width], in, n, bit_width, out);
}

void UnpackBits(const uint8_t* in, size_t n, uint8_t* out) {
  const size_t whole = n / 8;
  for (size_t i = 0; i < whole; i++) std::memcpy(out + 8 * i, &kExpandBits[in[i]], 8);
  for (size_t i = whole * 8; i < n; i++) out[i] = (in[whole] >> (i % 8)) & 1;
}

void PackBits(const uint8_t* in, size_t n, uint8_t* out) {
  const size_t whole = n / 8;
  for (size_t i = 0; i < whole; i++) {
    const uint8_t* v = in + 8 * i;
    out[i] = static_cast<uint8_t>((v[0] != 0) | (v[1] != 0) << 1 | (v[2] != 0) << 2 |
                                  (v[3] != 0) << 3 | (v[4] != 0) << 4 | (v[5] != 0) << 5 |
                                  (v[6] != 0) << 6 | (v[7] != 0) << 7);
  }
  if (whole * 8 == n) return;
  uint8_t last = 0;
  for (size_t i = whole * 8; i < n; i++) last |= static_cast<uint8_t>((in[i] != 0) << (i % 8));
  out[whole] = last;
}

}  // namespace strata::parquet
