#include "base/coding.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

namespace strata {
namespace {

// Values around every 7-bit boundary, where a varint gains a byte: 2^(7k) - 1, 2^(7k),
// 2^(7k) + 1, plus 0, 1 and the type's maximum.
template <typename T>
std::vector<T> BoundaryValues() {
  std::vector<T> v = {0, 1, std::numeric_limits<T>::max(), std::numeric_limits<T>::max() - 1};
  for (int shift = 7; shift < std::numeric_limits<T>::digits; shift += 7) {
    const T p = T{1} << shift;
    v.push_back(p - 1);
    v.push_back(p);
    v.push_back(p + 1);
  }
  for (int shift = 0; shift < std::numeric_limits<T>::digits; shift++) {
    v.push_back(T{1} << shift);
    v.push_back((T{1} << shift) - 1);
  }
  return v;
}

// The number of bytes an unsigned LEB128 varint of v takes, from the definition.
int ExpectedLength(uint64_t v) {
  int bytes = 1;
  for (; v >= 128; v /= 128) bytes++;
  return bytes;
}

std::string Bytes(std::initializer_list<int> bytes) {
  std::string s;
  for (int b : bytes) s.push_back(static_cast<char>(b));
  return s;
}

TEST(CodingTest, Fixed32IsLittleEndian) {
  std::string s;
  PutFixed32(&s, 0x04030201u);
  EXPECT_EQ(s, Bytes({1, 2, 3, 4}));
  EXPECT_EQ(DecodeFixed32(s.data()), 0x04030201u);
}

TEST(CodingTest, Fixed64IsLittleEndian) {
  std::string s;
  PutFixed64(&s, 0x0807060504030201ull);
  EXPECT_EQ(s, Bytes({1, 2, 3, 4, 5, 6, 7, 8}));
  EXPECT_EQ(DecodeFixed64(s.data()), 0x0807060504030201ull);
}

TEST(CodingTest, Fixed16RoundTrip) {
  char buf[2];
  for (uint32_t v = 0; v <= 0xFFFF; v += 97) {
    EncodeFixed16(buf, static_cast<uint16_t>(v));
    EXPECT_EQ(DecodeFixed16(buf), v);
  }
}

TEST(CodingTest, Fixed32RoundTrip) {
  std::string s;
  for (uint32_t v = 0; v < 100000; v++) PutFixed32(&s, v * 40503u);
  Slice in(s);
  for (uint32_t v = 0; v < 100000; v++) {
    uint32_t got;
    ASSERT_TRUE(GetFixed32(&in, &got));
    ASSERT_EQ(got, v * 40503u);
  }
  EXPECT_TRUE(in.empty());
  uint32_t unused;
  EXPECT_FALSE(GetFixed32(&in, &unused));
}

TEST(CodingTest, Fixed64RoundTrip) {
  std::string s;
  for (int power = 0; power <= 63; power++) {
    const uint64_t v = uint64_t{1} << power;
    PutFixed64(&s, v - 1);
    PutFixed64(&s, v);
    PutFixed64(&s, v + 1);
  }
  Slice in(s);
  for (int power = 0; power <= 63; power++) {
    const uint64_t v = uint64_t{1} << power;
    uint64_t got;
    ASSERT_TRUE(GetFixed64(&in, &got));
    EXPECT_EQ(got, v - 1);
    ASSERT_TRUE(GetFixed64(&in, &got));
    EXPECT_EQ(got, v);
    ASSERT_TRUE(GetFixed64(&in, &got));
    EXPECT_EQ(got, v + 1);
  }
  EXPECT_TRUE(in.empty());
}

TEST(CodingTest, FixedRejectsShortInput) {
  const std::string s = "abc";
  Slice in(s);
  uint32_t v32;
  EXPECT_FALSE(GetFixed32(&in, &v32));
  EXPECT_EQ(in.size(), 3u);
  const std::string s7 = "abcdefg";
  Slice in7(s7);
  uint64_t v64;
  EXPECT_FALSE(GetFixed64(&in7, &v64));
  EXPECT_EQ(in7.size(), 7u);
}

TEST(CodingTest, VarintKnownEncodings) {
  // 300 = 0b10_0101100: low seven bits first with the continuation bit set.
  std::string s;
  PutVarint32(&s, 300);
  EXPECT_EQ(s, Bytes({0xAC, 0x02}));
  s.clear();
  PutVarint32(&s, 127);
  EXPECT_EQ(s, Bytes({0x7F}));
  s.clear();
  PutVarint32(&s, 128);
  EXPECT_EQ(s, Bytes({0x80, 0x01}));
  s.clear();
  PutVarint32(&s, 0xFFFFFFFFu);
  EXPECT_EQ(s, Bytes({0xFF, 0xFF, 0xFF, 0xFF, 0x0F}));
  s.clear();
  PutVarint64(&s, std::numeric_limits<uint64_t>::max());
  EXPECT_EQ(s, Bytes({0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01}));
}

TEST(CodingTest, Varint32RoundTrip) {
  std::vector<uint32_t> values = BoundaryValues<uint32_t>();
  for (uint32_t i = 0; i < 32 * 32; i++) values.push_back((i / 32) << (i % 32));
  std::string s;
  for (uint32_t v : values) PutVarint32(&s, v);
  Slice in(s);
  for (uint32_t v : values) {
    const size_t before = in.size();
    uint32_t got;
    ASSERT_TRUE(GetVarint32(&in, &got)) << v;
    EXPECT_EQ(got, v);
    EXPECT_EQ(static_cast<int>(before - in.size()), ExpectedLength(v)) << v;
    EXPECT_EQ(VarintLength(v), ExpectedLength(v)) << v;
  }
  EXPECT_TRUE(in.empty());
}

TEST(CodingTest, Varint64RoundTrip) {
  std::vector<uint64_t> values = BoundaryValues<uint64_t>();
  std::string s;
  for (uint64_t v : values) PutVarint64(&s, v);
  Slice in(s);
  for (uint64_t v : values) {
    const size_t before = in.size();
    uint64_t got;
    ASSERT_TRUE(GetVarint64(&in, &got)) << v;
    EXPECT_EQ(got, v);
    EXPECT_EQ(static_cast<int>(before - in.size()), ExpectedLength(v)) << v;
    EXPECT_EQ(VarintLength(v), ExpectedLength(v)) << v;
  }
  EXPECT_TRUE(in.empty());
}

TEST(CodingTest, EncodeVarintReturnsTheEnd) {
  char buf[kMaxVarint64Bytes];
  for (uint64_t v : BoundaryValues<uint64_t>()) {
    const char* end = EncodeVarint64(buf, v);
    ASSERT_EQ(end - buf, ExpectedLength(v));
    uint64_t got;
    EXPECT_EQ(GetVarint64Ptr(buf, end, &got), end);
    EXPECT_EQ(got, v);
  }
  for (uint32_t v : BoundaryValues<uint32_t>()) {
    const char* end = EncodeVarint32(buf, v);
    ASSERT_EQ(end - buf, ExpectedLength(v));
    uint32_t got;
    EXPECT_EQ(GetVarint32Ptr(buf, end, &got), end);
    EXPECT_EQ(got, v);
  }
}

TEST(CodingTest, TruncatedVarintsFail) {
  for (uint64_t v : BoundaryValues<uint64_t>()) {
    std::string s;
    PutVarint64(&s, v);
    for (size_t len = 0; len < s.size(); len++) {
      uint64_t got;
      EXPECT_EQ(GetVarint64Ptr(s.data(), s.data() + len, &got), nullptr) << v << " " << len;
      Slice in(s.data(), len);
      EXPECT_FALSE(GetVarint64(&in, &got));
      EXPECT_EQ(in.size(), len);  // input unchanged on failure
    }
  }
  for (uint32_t v : BoundaryValues<uint32_t>()) {
    std::string s;
    PutVarint32(&s, v);
    for (size_t len = 0; len < s.size(); len++) {
      uint32_t got;
      EXPECT_EQ(GetVarint32Ptr(s.data(), s.data() + len, &got), nullptr) << v << " " << len;
      Slice in(s.data(), len);
      EXPECT_FALSE(GetVarint32(&in, &got));
      EXPECT_EQ(in.size(), len);
    }
  }
}

TEST(CodingTest, OverlongVarint64Rejected) {
  // Ten continuation bytes and a terminator: 11 bytes, longer than any uint64 needs.
  std::string eleven(10, static_cast<char>(0x80));
  eleven.push_back(0);
  uint64_t v;
  EXPECT_EQ(GetVarint64Ptr(eleven.data(), eleven.data() + eleven.size(), &v), nullptr);
  Slice in(eleven);
  EXPECT_FALSE(GetVarint64(&in, &v));
  EXPECT_EQ(in.size(), eleven.size());

  // Ten bytes whose last one carries bits beyond bit 63.
  std::string ten(9, static_cast<char>(0xFF));
  ten.push_back(0x02);
  EXPECT_EQ(GetVarint64Ptr(ten.data(), ten.data() + ten.size(), &v), nullptr);
  // ...while 0x01 there is exactly 2^64 - 1.
  ten.back() = 0x01;
  ASSERT_NE(GetVarint64Ptr(ten.data(), ten.data() + ten.size(), &v), nullptr);
  EXPECT_EQ(v, std::numeric_limits<uint64_t>::max());
}

TEST(CodingTest, Varint32OverflowRejected) {
  uint32_t v;
  // 2^32: five bytes whose last one has bit 4 set.
  const std::string too_big = Bytes({0x80, 0x80, 0x80, 0x80, 0x10});
  EXPECT_EQ(GetVarint32Ptr(too_big.data(), too_big.data() + too_big.size(), &v), nullptr);
  Slice in(too_big);
  EXPECT_FALSE(GetVarint32(&in, &v));
  EXPECT_EQ(in.size(), too_big.size());

  // Six bytes: longer than any uint32 needs.
  const std::string six = Bytes({0x80, 0x80, 0x80, 0x80, 0x80, 0x00});
  EXPECT_EQ(GetVarint32Ptr(six.data(), six.data() + six.size(), &v), nullptr);

  // A valid 64-bit varint beyond 32 bits is not a varint32.
  std::string s;
  PutVarint64(&s, uint64_t{1} << 40);
  EXPECT_EQ(GetVarint32Ptr(s.data(), s.data() + s.size(), &v), nullptr);
}

TEST(CodingTest, LengthPrefixedSliceRoundTrip) {
  const std::vector<std::string> values = {"", "a", std::string("nul\0inside", 10),
                                           std::string(200, 'x'), std::string(100000, 'y')};
  std::string s;
  for (const std::string& v : values) PutLengthPrefixedSlice(&s, v);
  Slice in(s);
  for (const std::string& v : values) {
    Slice got;
    ASSERT_TRUE(GetLengthPrefixedSlice(&in, &got));
    EXPECT_EQ(got.ToString(), v);
  }
  EXPECT_TRUE(in.empty());
}

TEST(CodingTest, LengthPrefixedSliceRejectsLengthBeyondInput) {
  std::string s;
  PutVarint32(&s, 10);
  s.append("only nine");  // 9 bytes
  Slice in(s);
  Slice got("untouched");
  EXPECT_FALSE(GetLengthPrefixedSlice(&in, &got));
  EXPECT_EQ(in.size(), s.size());
  EXPECT_EQ(got, Slice("untouched"));

  // A huge length must not wrap around.
  std::string huge;
  PutVarint32(&huge, 0xFFFFFFFFu);
  huge.append("x");
  Slice in2(huge);
  EXPECT_FALSE(GetLengthPrefixedSlice(&in2, &got));

  // A truncated length prefix is rejected too.
  const std::string bad_prefix = Bytes({0x80});
  Slice in3(bad_prefix);
  EXPECT_FALSE(GetLengthPrefixedSlice(&in3, &got));

  // Exactly enough is fine.
  s.push_back('!');
  Slice in4(s);
  ASSERT_TRUE(GetLengthPrefixedSlice(&in4, &got));
  EXPECT_EQ(got, Slice("only nine!"));
  EXPECT_TRUE(in4.empty());
}

}  // namespace
}  // namespace strata
