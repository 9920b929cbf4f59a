#include "objstore/md5.h"

#include <cstring>

namespace strata::objstore {

namespace {

// RFC 1321 section 3.4: T[i] = floor(2^32 * |sin(i + 1)|), the additive constant of step i.
constexpr uint32_t kSine[64] = {
    0xd76aa478, 0xe8c7b756, 0x242070db, 0xc1bdceee, 0xf57c0faf, 0x4787c62a, 0xa8304613, 0xfd469501,
    0x698098d8, 0x8b44f7af, 0xffff5bb1, 0x895cd7be, 0x6b901122, 0xfd987193, 0xa679438e, 0x49b40821,
    0xf61e2562, 0xc040b340, 0x265e5a51, 0xe9b6c7aa, 0xd62f105d, 0x02441453, 0xd8a1e681, 0xe7d3fbc8,
    0x21e1cde6, 0xc33707d6, 0xf4d50d87, 0x455a14ed, 0xa9e3e905, 0xfcefa3f8, 0x676f02d9, 0x8d2a4c8a,
    0xfffa3942, 0x8771f681, 0x6d9d6122, 0xfde5380c, 0xa4beea44, 0x4bdecfa9, 0xf6bb4b60, 0xbebfbc70,
    0x289b7ec6, 0xeaa127fa, 0xd4ef3085, 0x04881d05, 0xd9d4d039, 0xe6db99e5, 0x1fa27cf8, 0xc4ac5665,
    0xf4292244, 0x432aff97, 0xab9423a7, 0xfc93a039, 0x655b59c3, 0x8f0ccc92, 0xffeff47d, 0x85845dd1,
    0x6fa87e4f, 0xfe2ce6e0, 0xa3014314, 0x4e0811a1, 0xf7537e82, 0xbd3af235, 0x2ad7d2bb, 0xeb86d391};

// Left-rotation amounts, four per round (each round's steps cycle through its four).
constexpr int kShift[4][4] = {{7, 12, 17, 22}, {5, 9, 14, 20}, {4, 11, 16, 23}, {6, 10, 15, 21}};

inline uint32_t Rotl(uint32_t x, int n) { return (x << n) | (x >> (32 - n)); }

inline uint32_t LoadLE32(const uint8_t* p) {
  return uint32_t{p[0]} | uint32_t{p[1]} << 8 | uint32_t{p[2]} << 16 | uint32_t{p[3]} << 24;
}

inline void StoreLE32(uint32_t v, uint8_t* p) {
  p[0] = static_cast<uint8_t>(v);
  p[1] = static_cast<uint8_t>(v >> 8);
  p[2] = static_cast<uint8_t>(v >> 16);
  p[3] = static_cast<uint8_t>(v >> 24);
}

}  // namespace

// The initial chaining values of RFC 1321 section 3.3 (the words 01 23 45 67 ... little-endian).
Md5::Md5() : state_{0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476} {}

void Md5::Transform(const uint8_t* block) {
  uint32_t x[16];
  for (int i = 0; i < 16; i++) x[i] = LoadLE32(block + 4 * i);
  uint32_t a = state_[0], b = state_[1], c = state_[2], d = state_[3];
  for (int i = 0; i < 64; i++) {
    const int round = i / 16;
    uint32_t f;
    int word;
    switch (round) {
      case 0:  // F(b, c, d) = bc | ~b d, words in order
        f = (b & c) | (~b & d);
        word = i;
        break;
      case 1:  // G(b, c, d) = bd | c ~d, words 1, 6, 11, ... (5i + 1 mod 16)
        f = (b & d) | (c & ~d);
        word = (5 * i + 1) % 16;
        break;
      case 2:  // H(b, c, d) = b ^ c ^ d, words 5, 8, 11, ... (3i + 5 mod 16)
        f = b ^ c ^ d;
        word = (3 * i + 5) % 16;
        break;
      default:  // I(b, c, d) = c ^ (b | ~d), words 0, 7, 14, ... (7i mod 16)
        f = c ^ (b | ~d);
        word = (7 * i) % 16;
        break;
    }
    const uint32_t rotated = Rotl(a + f + kSine[i] + x[word], kShift[round][i % 4]);
    a = d;
    d = c;
    c = b;
    b = b + rotated;
  }
  state_[0] += a;
  state_[1] += b;
  state_[2] += c;
  state_[3] += d;
}

void Md5::Update(const void* data, size_t n) {
  const auto* p = static_cast<const uint8_t*>(data);
  length_ += n;
  if (buffered_ > 0) {
    const size_t take = std::min(n, buffer_.size() - buffered_);
    std::memcpy(buffer_.data() + buffered_, p, take);
    buffered_ += take;
    p += take;
    n -= take;
    if (buffered_ < buffer_.size()) return;
    Transform(buffer_.data());
    buffered_ = 0;
  }
  for (; n >= 64; p += 64, n -= 64) Transform(p);
  std::memcpy(buffer_.data(), p, n);
  buffered_ = n;
}

Md5::Digest Md5::Finish() {
  // RFC 1321 sections 3.1 and 3.2: a 1 bit, zeros up to 56 bytes mod 64, then the message
  // length in bits as a 64-bit little-endian number.
  const uint64_t bits = length_ * 8;
  uint8_t pad[72] = {0x80};
  const size_t pad_len = buffered_ < 56 ? 56 - buffered_ : 120 - buffered_;
  uint8_t length_le[8];
  for (int i = 0; i < 8; i++) length_le[i] = static_cast<uint8_t>(bits >> (8 * i));
  Update(pad, pad_len);
  Update(length_le, sizeof(length_le));
  Digest digest;
  for (int i = 0; i < 4; i++) StoreLE32(state_[i], digest.data() + 4 * i);
  return digest;
}

Md5::Digest Md5::Of(std::string_view bytes) {
  Md5 md5;
  md5.Update(bytes);
  return md5.Finish();
}

std::string Md5Hex(const Md5::Digest& digest) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(32);
  for (uint8_t b : digest) {
    out += kHex[b >> 4];
    out += kHex[b & 15];
  }
  return out;
}

}  // namespace strata::objstore
