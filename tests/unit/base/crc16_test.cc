#include "base/crc16.h"

#include <gtest/gtest.h>

#include <string>

#include "support/test_util.h"

namespace strata {
namespace {

constexpr uint16_t kClusterSlots = 16384;

// Bit-at-a-time reference of CRC-16/XMODEM written from its definition.
uint16_t ReferenceCrc16(const std::string& s) {
  uint32_t reg = 0;
  for (unsigned char byte : s) {
    for (int bit = 7; bit >= 0; bit--) {  // not reflected: most significant bit first
      const uint32_t feedback = ((byte >> bit) & 1u) ^ ((reg >> 15) & 1u);
      reg = ((reg << 1) & 0xFFFF) ^ (feedback != 0 ? 0x1021u : 0);
    }
  }
  return static_cast<uint16_t>(reg);
}

uint16_t Slot(const std::string& key) {
  return crc16::Value(key.data(), key.size()) % kClusterSlots;
}

TEST(Crc16Test, CheckValue) {
  // The check value given in the Redis Cluster specification.
  EXPECT_EQ(crc16::Value("123456789", 9), 0x31C3);
  EXPECT_EQ(ReferenceCrc16("123456789"), 0x31C3);
}

TEST(Crc16Test, EmptyIsZero) { EXPECT_EQ(crc16::Value("", 0), 0); }

TEST(Crc16Test, RedisClusterSlotsFromDocumentation) {
  // Slots printed by CLUSTER KEYSLOT in the Redis command documentation. Hash tags are not
  // this module's business, so the tag content is hashed directly.
  EXPECT_EQ(Slot("somekey"), 11058);
  EXPECT_EQ(Slot("hash_tag"), 2515);  // foo{hash_tag} and bar{hash_tag}
  EXPECT_EQ(Slot("user1"), 8106);     // {user1}.following
}

TEST(Crc16Test, MatchesReferenceOnRandomInputs) {
  for (size_t n = 0; n <= 200; n++) {
    const std::string s = test::RandomBytes(500 + n, n);
    ASSERT_EQ(crc16::Value(s.data(), s.size()), ReferenceCrc16(s)) << "length " << n;
  }
}

TEST(Crc16Test, SlotsOfShortKeysMatchReference) {
  for (int i = 0; i < 1000; i++) {
    const std::string key = "key:" + std::to_string(i);
    ASSERT_EQ(Slot(key), ReferenceCrc16(key) % kClusterSlots) << key;
  }
}

}  // namespace
}  // namespace strata
