#include "base/crc64.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <string>

#include "base/crc64_pclmul.h"
#include "base/random.h"
#include "support/test_util.h"

namespace strata {
namespace {

constexpr uint64_t kNormalPoly = 0xad93d23594c935a9ull;  // P without its x^64 term

uint64_t Reflect64(uint64_t v) {
  uint64_t out = 0;
  for (int i = 0; i < 64; i++) out |= ((v >> i) & 1) << (63 - i);
  return out;
}

// Bit-at-a-time reference written from the definition, deliberately in the other
// orientation from the code under test: bytes are reflected and shifted MSB-first through a
// register with the normal-form polynomial, then the register is reflected at the end.
uint64_t ReferenceCrc64(const std::string& s) {
  uint64_t reg = 0;
  for (unsigned char byte : s) {
    for (int bit = 0; bit < 8; bit++) {  // reflected input: least significant bit first
      // Plain integer arithmetic on purpose: g++ 12.2 at -O1 and above miscompiles the
      // same step written with `bool in, top; if (in != top)`.
      const uint64_t feedback = ((byte >> bit) & 1u) ^ (reg >> 63);
      reg = (reg << 1) ^ (feedback != 0 ? kNormalPoly : 0);
    }
  }
  return Reflect64(reg);
}

// A copy of s in a heap block of exactly offset + s.size() bytes, so that under ASan a read
// past the end of the input is caught, and so the input starts at any alignment.
class ExactBuffer {
 public:
  ExactBuffer(const std::string& s, size_t offset)
      : block_(std::make_unique<char[]>(offset + s.size())), data_(block_.get() + offset) {
    std::copy(s.begin(), s.end(), data_);
  }
  const char* data() const { return data_; }

 private:
  std::unique_ptr<char[]> block_;
  char* data_;
};

bool CpuHasPclmul() {
#if defined(__x86_64__)
  return __builtin_cpu_supports("pclmul");
#else
  return false;
#endif
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

TEST(Crc64Test, PortableMatchesReference) {
  EXPECT_EQ(crc64::ExtendPortable(0, "123456789", 9), 0xe9c6d914c4b8d9caull);
  for (size_t n = 0; n <= 300; n++) {
    const std::string s = test::RandomBytes(n + 1000, n);
    ASSERT_EQ(crc64::ExtendPortable(0, s.data(), s.size()), ReferenceCrc64(s)) << "length " << n;
  }
}

TEST(Crc64Test, UsesHardwareWhenTheCpuHasIt) {
  EXPECT_EQ(crc64::IsHardwareAccelerated(), CpuHasPclmul());
}

// Every length from 0 to 4096 (Extend starts folding at 32 bytes, folds eight blocks at a
// time from 128, and leaves a tail of 0..15 bytes to the tables), at a random alignment, from
// a random starting CRC.
TEST(Crc64Test, MatchesPortableForEveryLengthAndAlignment) {
  Random rnd(64);
  const std::string buf = test::RandomBytes(9, 4096);
  for (size_t n = 0; n <= buf.size(); n++) {
    const ExactBuffer in(buf.substr(0, n), rnd.Uniform(64));
    const uint64_t start = rnd.OneIn(4) ? 0 : rnd.Next();
    ASSERT_EQ(crc64::Extend(start, in.data(), n), crc64::ExtendPortable(start, buf.data(), n))
        << "length " << n << " start " << start;
  }
}

#if defined(__x86_64__)
bool CpuHasVpclmul() {
  return CpuHasPclmul() && __builtin_cpu_supports("avx2") && __builtin_cpu_supports("vpclmulqdq");
}

// The two folding paths called directly, so each is covered whichever one Extend picks.
void CheckBlocksMatchPortable(uint64_t (*extend_blocks)(uint64_t, const char*, size_t)) {
  Random rnd(128);
  const std::string buf = test::RandomBytes(10, 4096);
  for (size_t n = crc64::internal::kBlockBytes; n <= buf.size();
       n += crc64::internal::kBlockBytes) {
    const ExactBuffer in(buf.substr(0, n), rnd.Uniform(64));
    const uint64_t start = rnd.OneIn(4) ? 0 : rnd.Next();
    ASSERT_EQ(extend_blocks(start, in.data(), n), crc64::ExtendPortable(start, buf.data(), n))
        << "length " << n << " start " << start;
  }
}

TEST(Crc64Test, PclmulBlocksMatchPortable) {
  if (!CpuHasPclmul()) GTEST_SKIP() << "this CPU has no PCLMULQDQ";
  CheckBlocksMatchPortable(crc64::internal::ExtendPclmulBlocks);
}

TEST(Crc64Test, VpclmulBlocksMatchPortable) {
  if (!CpuHasVpclmul()) GTEST_SKIP() << "this CPU has no AVX2 with VPCLMULQDQ";
  CheckBlocksMatchPortable(crc64::internal::ExtendVpclmulBlocks);
}
#endif  // defined(__x86_64__)

// A streaming reader hands Extend pieces of every size; chunks are mostly small with some up
// to 1 MiB, so the folding paths start and stop at arbitrary offsets of the input.
void CheckLargeInputInRandomChunks(size_t size, uint64_t seed, bool against_reference) {
  const std::string s = test::RandomBytes(seed, size);
  const uint64_t whole = crc64::Value(s.data(), s.size());
  ASSERT_EQ(whole, crc64::ExtendPortable(0, s.data(), s.size())) << "size " << size;
  if (against_reference) {
    ASSERT_EQ(whole, ReferenceCrc64(s)) << "size " << size;
  }
  Random rnd(seed);
  for (int round = 0; round < 3; round++) {
    uint64_t crc = 0;
    size_t pos = 0;
    while (pos < s.size()) {
      const size_t len = std::min<size_t>(rnd.Skewed(20), s.size() - pos);
      crc = crc64::Extend(crc, s.data() + pos, len);
      pos += len;
    }
    ASSERT_EQ(crc, whole) << "size " << size << " round " << round;
  }
}

TEST(Crc64Test, OneMebibyteInRandomChunks) { CheckLargeInputInRandomChunks(1 << 20, 1, true); }

TEST(Crc64Test, SixteenMebibytesInRandomChunks) {
  CheckLargeInputInRandomChunks(16 << 20, 2, false);
}

// Recomputes every folding and Barrett constant the slow way, and checks them against the
// CRC's own definition: x^k mod P is the CRC of a message of k - 63 bits whose first bit is 1.
uint64_t SlowXPowModP(int k) {
  uint64_t r = 1;  // x^0 in normal form: bit i is the coefficient of x^i
  for (int i = 0; i < k; i++) r = (r << 1) ^ ((r >> 63) != 0 ? kNormalPoly : 0);
  return Reflect64(r);  // the register form, bit i = coefficient of x^(63 - i)
}

uint64_t XPowModPFromCrc(int k) {
  EXPECT_EQ((k - 63) % 8, 0);
  std::string message(static_cast<size_t>((k - 63) / 8), '\0');
  message[0] = 1;  // reflected input: bit 0 of the first byte is the first message bit
  return ReferenceCrc64(message);
}

TEST(Crc64Test, FoldConstantsMatchSlowDerivation) {
  for (size_t j = 0; j < crc64::internal::kFoldBy.size(); j++) {
    const int d = 128 * static_cast<int>(j + 1);
    const crc64::internal::FoldConstants& k = crc64::internal::kFoldBy[j];
    EXPECT_EQ(k.first, SlowXPowModP(d + 63)) << "d = " << d;
    EXPECT_EQ(k.second, SlowXPowModP(d - 1)) << "d = " << d;
    EXPECT_EQ(k.first, XPowModPFromCrc(d + 63)) << "d = " << d;
    EXPECT_EQ(k.second, XPowModPFromCrc(d - 1)) << "d = " << d;
  }
}

TEST(Crc64Test, BarrettConstantsMatchSlowDerivation) {
  // mu = floor(x^128 / P) = x^64 + floor(x^64 * P' / P), where P' = P - x^64 (which is what
  // x^128 - x^64 * P leaves). Schoolbook long division, one quotient bit per step.
  using U128 = unsigned __int128;
  const U128 p = (U128{1} << 64) | kNormalPoly;
  U128 rem = U128{kNormalPoly} << 64;
  uint64_t mu_low = 0;  // mu without its x^64 term
  for (int bit = 127; bit >= 64; bit--) {
    if (((rem >> bit) & 1) != 0) {
      mu_low |= uint64_t{1} << (bit - 64);
      rem ^= p << (bit - 64);
    }
  }
  ASSERT_LT(rem, U128{1} << 64);  // a remainder of degree < 64: the division is complete
  // S(f) = R64(floor(f / x)) keeps x^64..x^1 of a degree-64 polynomial: x^64 becomes bit 63
  // of the normal form before reflection.
  const auto s_form = [](uint64_t low) { return Reflect64((uint64_t{1} << 63) | (low >> 1)); };
  EXPECT_EQ(crc64::internal::kBarrettMu, s_form(mu_low));
  EXPECT_EQ(crc64::internal::kBarrettPoly, s_form(kNormalPoly));
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
