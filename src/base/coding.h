// Byte encodings shared by every on-disk format: fixed-width little-endian integers,
// LEB128-style varints (7 bits a byte, high bit = more), and length-prefixed byte strings.
//
// Decoders take the bytes that remain and never read past them: a truncated or overlong
// varint is reported (false / nullptr), never read beyond the input.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>

#include "strata/slice.h"

namespace strata {

constexpr int kMaxVarint32Bytes = 5;
constexpr int kMaxVarint64Bytes = 10;

// x86-64 and aarch64 are little-endian; the formats are little-endian, so these are copies.
static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__, "Strata assumes a little-endian host");

inline void EncodeFixed16(char* dst, uint16_t v) { std::memcpy(dst, &v, sizeof(v)); }
inline void EncodeFixed32(char* dst, uint32_t v) { std::memcpy(dst, &v, sizeof(v)); }
inline void EncodeFixed64(char* dst, uint64_t v) { std::memcpy(dst, &v, sizeof(v)); }

inline uint16_t DecodeFixed16(const char* p) {
  uint16_t v;
  std::memcpy(&v, p, sizeof(v));
  return v;
}
inline uint32_t DecodeFixed32(const char* p) {
  uint32_t v;
  std::memcpy(&v, p, sizeof(v));
  return v;
}
inline uint64_t DecodeFixed64(const char* p) {
  uint64_t v;
  std::memcpy(&v, p, sizeof(v));
  return v;
}

void PutFixed32(std::string* dst, uint32_t v);
void PutFixed64(std::string* dst, uint64_t v);
void PutVarint32(std::string* dst, uint32_t v);
void PutVarint64(std::string* dst, uint64_t v);
// Varint32 length, then the bytes.
void PutLengthPrefixedSlice(std::string* dst, const Slice& value);

// Writes v at dst (which has room for kMaxVarint*Bytes) and returns the byte after it.
char* EncodeVarint32(char* dst, uint32_t v);
char* EncodeVarint64(char* dst, uint64_t v);
int VarintLength(uint64_t v);

// Decode from [p, limit). Return the byte after the value, or nullptr if the input ends
// first or the varint is longer than its type allows.
// Inline for the one-byte case (lengths under 128), which is almost every block entry.
const char* GetVarint32PtrSlow(const char* p, const char* limit, uint32_t* v);
inline const char* GetVarint32Ptr(const char* p, const char* limit, uint32_t* v) {
  if (p < limit) {
    const uint32_t byte = static_cast<unsigned char>(*p);
    if ((byte & 0x80) == 0) {
      *v = byte;
      return p + 1;
    }
  }
  return GetVarint32PtrSlow(p, limit, v);
}
const char* GetVarint64Ptr(const char* p, const char* limit, uint64_t* v);

// Decode from the front of *input and advance it; false (input unchanged) on bad bytes.
bool GetFixed32(Slice* input, uint32_t* v);
bool GetFixed64(Slice* input, uint64_t* v);
bool GetVarint32(Slice* input, uint32_t* v);
bool GetVarint64(Slice* input, uint64_t* v);
// The length is checked against what remains before *result is set.
bool GetLengthPrefixedSlice(Slice* input, Slice* result);

}  // namespace strata
