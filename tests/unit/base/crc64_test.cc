#include "base/crc64.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "support/test_util.h"

namespace strata {
namespace {

// Bit-at-a-time reference written from the definition, deliberately in the other
// orientation from the code under test: bytes are reflected and shifted MSB-first through a
// register with the normal-form polynomial, then the register is reflected at the end.
uint64_t ReferenceCrc64(const std::string& s) {
  constexpr uint64_t kNormalPoly = 0xad93d23594c935a9ull;
  uint64_t reg = 0;
  for (unsigned char byte : s) {
    for (int bit = 0; bit < 8; bit++) {  // reflected input: least significant bit first
      // Plain integer arithmetic on purpose: g++ 12.2 at -O1 and above miscompiles the
      // same step written with `bool in, top; if (in != top)`.
      const uint64_t feedback = ((byte >> bit) & 1u) ^ (reg >> 63);
      reg = (reg << 1) ^ (feedback != 0 ? kNormalPoly : 0);
    }
  }
  uint64_t out = 0;
  for (int i = 0; i < 64; i++) out |= ((reg >> i) & 1) << (63 - i);
  return out;
}

TEST(Crc64Test, CheckValue) {
  // The published check value of CRC-64/Jones as Redis uses it.
  EXPECT_EQ(crc64::Value("123456789", 9), 0xe9c6d914c4b8d9caull);
}

TEST(Crc64Test, RedisLoremIpsumVector) {
  // Redis's own crc64 self-test hashes this text including its terminating NUL.
  const char li[] =
      "Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor "
      "incididunt ut labore et dolore magna aliqua. Ut enim ad minim veniam, quis nostrud "
      "exercitation ullamco laboris nisi ut aliquip ex ea commodo consequat. Duis aute irure "
      "dolor in reprehenderit in voluptate velit esse cillum dolore eu fugiat nulla pariatur. "
      "Excepteur sint occaecat cupidatat non proident, sunt in culpa qui officia deserunt "
      "mollit anim id est laborum.";
  EXPECT_EQ(crc64::Value(li, sizeof(li)), 0xc7794709e69683b3ull);
}

TEST(Crc64Test, EmptyIsZero) {
  EXPECT_EQ(crc64::Value("", 0), 0u);
  EXPECT_EQ(crc64::Extend(0x1234, "", 0), 0x1234u);
}

TEST(Crc64Test, ReferenceCheckValue) {
  // Guards the reference itself against the published value.
  EXPECT_EQ(ReferenceCrc64("123456789"), 0xe9c6d914c4b8d9caull);
}

TEST(Crc64Test, MatchesReferenceOnRandomInputs) {
  for (size_t n = 0; n <= 300; n++) {
    const std::string s = test::RandomBytes(n + 1, n);
    ASSERT_EQ(crc64::Value(s.data(), s.size()), ReferenceCrc64(s)) << "length " << n;
  }
}

TEST(Crc64Test, UnalignedInputs) {
  const std::string buf = test::RandomBytes(7, 1100);
  for (size_t offset = 0; offset < 16; offset++) {
    const std::string s = buf.substr(offset, 1000 + offset % 7);
    EXPECT_EQ(crc64::Value(buf.data() + offset, s.size()), ReferenceCrc64(s)) << offset;
  }
}

TEST(Crc64Test, ExtendOverSplitInputEqualsOneShot) {
  const std::string s = test::RandomBytes(42, 4096 + 13);
  const uint64_t whole = crc64::Value(s.data(), s.size());
  for (size_t split = 0; split <= s.size(); split += 37) {
    const uint64_t first = crc64::Value(s.data(), split);
    EXPECT_EQ(crc64::Extend(first, s.data() + split, s.size() - split), whole) << split;
  }
  // Many tiny pieces, as a streaming reader with odd buffer sizes would produce.
  uint64_t crc = 0;
  size_t pos = 0;
  for (size_t step = 1; pos < s.size(); step = step % 11 + 1) {
    const size_t len = std::min(step, s.size() - pos);
    crc = crc64::Extend(crc, s.data() + pos, len);
    pos += len;
  }
  EXPECT_EQ(crc, whole);
}

TEST(Crc64Test, DetectsSingleBitFlips) {
  std::string s = test::RandomBytes(3, 256);
  const uint64_t original = crc64::Value(s.data(), s.size());
  for (size_t i = 0; i < s.size() * 8; i += 13) {
    s[i / 8] ^= static_cast<char>(1 << (i % 8));
    EXPECT_NE(crc64::Value(s.data(), s.size()), original) << i;
    s[i / 8] ^= static_cast<char>(1 << (i % 8));
  }
}

}  // namespace
}  // namespace strata
