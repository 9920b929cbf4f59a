#include "base/crc32c.h"

#include <gtest/gtest.h>

#include <cstring>
#include <string>

#include "support/test_util.h"

namespace strata {
namespace {

TEST(Crc32cTest, CheckValue) { EXPECT_EQ(crc32c::Value("123456789", 9), 0xE3069283u); }

// The iSCSI test vectors of RFC 3720, appendix B.4.
TEST(Crc32cTest, Rfc3720Vectors) {
  std::string buf(32, '\0');
  EXPECT_EQ(crc32c::Value(buf.data(), buf.size()), 0x8A9136AAu);

  buf.assign(32, '\xff');
  EXPECT_EQ(crc32c::Value(buf.data(), buf.size()), 0x62A8AB43u);

  for (int i = 0; i < 32; i++) buf[i] = static_cast<char>(i);
  EXPECT_EQ(crc32c::Value(buf.data(), buf.size()), 0x46DD794Eu);
}

TEST(Crc32cTest, PortableMatchesPublishedValues) {
  EXPECT_EQ(crc32c::ExtendPortable(0, "123456789", 9), 0xE3069283u);
  const std::string zeros(32, '\0');
  EXPECT_EQ(crc32c::ExtendPortable(0, zeros.data(), zeros.size()), 0x8A9136AAu);
}

TEST(Crc32cTest, HardwareAndPortableAgree) {
  if (!crc32c::IsHardwareAccelerated()) {
    GTEST_SKIP() << "no hardware CRC32C on this CPU; Extend is the portable code";
  }
  const std::string buf = test::RandomBytes(2024, 1000 + 16);
  for (size_t n = 0; n <= 1000; n++) {
    for (size_t offset : {1, 3, 5, 7}) {
      const char* p = buf.data() + offset;
      ASSERT_EQ(crc32c::Extend(0, p, n), crc32c::ExtendPortable(0, p, n))
          << "length " << n << " offset " << offset;
    }
  }
}

// Inputs of 768 bytes and more take the three-stream path: every length around its round
// size, and long ones, must match the byte-at-a-time tables.
TEST(Crc32cTest, ThreeStreamPathAgreesWithPortable) {
  const std::string buf = test::RandomBytes(77, 20000);
  for (size_t n : {767, 768, 769, 775, 776, 1535, 1536, 1537, 2304, 4096, 4117, 4122, 19990}) {
    for (size_t offset : {0, 1, 4}) {
      const char* p = buf.data() + offset;
      ASSERT_EQ(crc32c::Extend(0, p, n), crc32c::ExtendPortable(0, p, n)) << n << " " << offset;
      ASSERT_EQ(crc32c::Extend(0x12345678, p, n), crc32c::ExtendPortable(0x12345678, p, n));
    }
  }
}

TEST(Crc32cTest, ExtendOverSplitInputEqualsOneShot) {
  const std::string s = test::RandomBytes(5, 1500);
  const uint32_t whole = crc32c::Value(s.data(), s.size());
  for (size_t split = 0; split <= s.size(); split += 31) {
    const uint32_t first = crc32c::Value(s.data(), split);
    EXPECT_EQ(crc32c::Extend(first, s.data() + split, s.size() - split), whole) << split;
    EXPECT_EQ(crc32c::ExtendPortable(first, s.data() + split, s.size() - split), whole) << split;
  }
}

TEST(Crc32cTest, MaskRoundTrips) {
  const uint32_t crc = crc32c::Value("foo", 3);
  EXPECT_NE(crc32c::Mask(crc), crc);
  EXPECT_NE(crc32c::Mask(crc32c::Mask(crc)), crc);
  EXPECT_EQ(crc32c::Unmask(crc32c::Mask(crc)), crc);
  EXPECT_EQ(crc32c::Unmask(crc32c::Unmask(crc32c::Mask(crc32c::Mask(crc)))), crc);

  const std::string r = test::RandomBytes(11, 4 * 1000);
  for (size_t i = 0; i < r.size(); i += 4) {
    uint32_t x;
    std::memcpy(&x, r.data() + i, 4);
    EXPECT_NE(crc32c::Mask(x), x);
    EXPECT_EQ(crc32c::Unmask(crc32c::Mask(x)), x);
  }
  for (uint32_t x : {0u, 1u, 0xFFFFFFFFu, 0x80000000u}) {
    EXPECT_NE(crc32c::Mask(x), x);
    EXPECT_EQ(crc32c::Unmask(crc32c::Mask(x)), x);
  }
}

}  // namespace
}  // namespace strata
