#include "base/crc32.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "support/test_util.h"

namespace strata {
namespace {

// Bit-at-a-time reference written from the definition in the MSB-first orientation: reflect
// each input byte, run the normal polynomial 0x04C11DB7 with init ~0, reflect the register
// and xor it with ~0.
uint32_t ReferenceCrc32(const std::string& s) {
  constexpr uint32_t kNormalPoly = 0x04C11DB7u;
  uint32_t reg = 0xFFFFFFFFu;
  for (unsigned char byte : s) {
    for (int bit = 0; bit < 8; bit++) {
      const uint32_t feedback = ((byte >> bit) & 1u) ^ (reg >> 31);
      reg = (reg << 1) ^ (feedback != 0 ? kNormalPoly : 0);
    }
  }
  uint32_t out = 0;
  for (int i = 0; i < 32; i++) out |= ((reg >> i) & 1u) << (31 - i);
  return out ^ 0xFFFFFFFFu;
}

TEST(Crc32Test, CheckValue) { EXPECT_EQ(crc32::Value("123456789", 9), 0xCBF43926u); }

TEST(Crc32Test, PublishedVectors) {
  const std::string fox = "The quick brown fox jumps over the lazy dog";
  EXPECT_EQ(crc32::Value(fox.data(), fox.size()), 0x414FA339u);
  EXPECT_EQ(crc32::Value("", 0), 0u);
  EXPECT_EQ(crc32::Value("a", 1), 0xE8B7BE43u);
}

TEST(Crc32Test, ReferenceCheckValue) { EXPECT_EQ(ReferenceCrc32("123456789"), 0xCBF43926u); }

TEST(Crc32Test, MatchesReferenceOnRandomInputs) {
  for (size_t n = 0; n <= 300; n++) {
    const std::string s = test::RandomBytes(1000 + n, n);
    ASSERT_EQ(crc32::Value(s.data(), s.size()), ReferenceCrc32(s)) << "length " << n;
  }
}

TEST(Crc32Test, UnalignedInputs) {
  const std::string buf = test::RandomBytes(9, 1100);
  for (size_t offset = 0; offset < 16; offset++) {
    const std::string s = buf.substr(offset, 1000 + offset % 5);
    EXPECT_EQ(crc32::Value(buf.data() + offset, s.size()), ReferenceCrc32(s)) << offset;
  }
}

TEST(Crc32Test, ExtendOverSplitInputEqualsOneShot) {
  const std::string s = test::RandomBytes(77, 2048 + 5);
  const uint32_t whole = crc32::Value(s.data(), s.size());
  for (size_t split = 0; split <= s.size(); split += 29) {
    const uint32_t first = crc32::Value(s.data(), split);
    EXPECT_EQ(crc32::Extend(first, s.data() + split, s.size() - split), whole) << split;
  }
}

}  // namespace
}  // namespace strata
