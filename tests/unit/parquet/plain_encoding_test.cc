#include "parquet/plain_encoding.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/random.h"
#include "support/test_util.h"

namespace strata::parquet {
namespace {

// Expected encodings are written out by hand from the specification (Encodings.md, "Plain").
std::string Bytes(std::initializer_list<int> bytes) {
  std::string s;
  for (int b : bytes) s.push_back(static_cast<char>(b));
  return s;
}

// A heap copy of exactly the given bytes, so that ASan reports any read past the end.
struct ExactBuffer {
  explicit ExactBuffer(const std::string& s)
      : data(std::make_unique<uint8_t[]>(s.size())), size(s.size()) {
    if (!s.empty()) std::memcpy(data.get(), s.data(), s.size());
  }
  std::unique_ptr<uint8_t[]> data;
  size_t size;
};

TEST(PlainEncodingTest, FixedWidthTypesAreLittleEndian) {
  std::string out;
  const int32_t i32[] = {1, -2};
  PlainEncode(i32, 2, &out);
  EXPECT_EQ(out, Bytes({0x01, 0, 0, 0, 0xFE, 0xFF, 0xFF, 0xFF}));

  out.clear();
  const int64_t i64[] = {0x0102030405060708};
  PlainEncode(i64, 1, &out);
  EXPECT_EQ(out, Bytes({8, 7, 6, 5, 4, 3, 2, 1}));

  // IEEE 754: 1.0f = 0x3F800000, 1.0 = 0x3FF0000000000000, -2.5f = 0xC0200000.
  out.clear();
  const float f[] = {1.0f, -2.5f};
  PlainEncode(f, 2, &out);
  EXPECT_EQ(out, Bytes({0, 0, 0x80, 0x3F, 0, 0, 0x20, 0xC0}));

  out.clear();
  const double d[] = {1.0};
  PlainEncode(d, 1, &out);
  EXPECT_EQ(out, Bytes({0, 0, 0, 0, 0, 0, 0xF0, 0x3F}));
}

TEST(PlainEncodingTest, BooleansAreBitPackedLsbFirst) {
  // 1,0,1,1,0,0,0,0 -> 0b00001101; the ninth value, 1, is bit 0 of the second byte.
  const uint8_t values[] = {1, 0, 1, 1, 0, 0, 0, 0, 1};
  std::string out;
  PlainEncodeBooleans(values, 9, &out);
  EXPECT_EQ(out, Bytes({0x0D, 0x01}));

  ExactBuffer buf(out);
  PlainDecoder d(buf.data.get(), buf.size);
  uint8_t got[9];
  ASSERT_TRUE(d.GetBooleans(got, 9).ok());
  EXPECT_EQ(std::vector<uint8_t>(got, got + 9), std::vector<uint8_t>(values, values + 9));
  EXPECT_EQ(d.position(), 2u);
  // The 7 padding bits of the last byte are all that is left.
  EXPECT_TRUE(d.GetBooleans(got, 7).ok());
  EXPECT_TRUE(d.GetBooleans(got, 1).IsCorruption());
}

TEST(PlainEncodingTest, ByteArraysHaveFourByteLengths) {
  const std::string_view values[] = {"ab", "", "xyz"};
  std::string out;
  ASSERT_TRUE(PlainEncodeByteArrays(values, 3, &out).ok());
  EXPECT_EQ(out, Bytes({2, 0, 0, 0, 'a', 'b', 0, 0, 0, 0, 3, 0, 0, 0, 'x', 'y', 'z'}));

  ExactBuffer buf(out);
  PlainDecoder d(buf.data.get(), buf.size);
  std::string_view got[3];
  ASSERT_TRUE(d.GetByteArrays(got, 3).ok());
  EXPECT_EQ(got[0], "ab");
  EXPECT_EQ(got[1], "");
  EXPECT_EQ(got[2], "xyz");
  // Views point into the buffer: nothing was copied.
  EXPECT_EQ(reinterpret_cast<const uint8_t*>(got[0].data()), buf.data.get() + 4);
  EXPECT_EQ(d.position(), out.size());
}

TEST(PlainEncodingTest, FixedLenByteArrays) {
  const std::string_view values[] = {"abc", "def"};
  std::string out;
  ASSERT_TRUE(PlainEncodeFixedLenByteArrays(values, 2, 3, &out).ok());
  EXPECT_EQ(out, "abcdef");
  const std::string_view bad[] = {"abc", "de"};
  EXPECT_TRUE(PlainEncodeFixedLenByteArrays(bad, 2, 3, &out).IsInvalidArgument());
  EXPECT_EQ(out, "abcdef");

  ExactBuffer buf(out);
  PlainDecoder d(buf.data.get(), buf.size);
  std::string_view got[2];
  ASSERT_TRUE(d.GetFixedLenByteArrays(got, 2, 3).ok());
  EXPECT_EQ(got[0], "abc");
  EXPECT_EQ(got[1], "def");
  EXPECT_TRUE(d.GetFixedLenByteArrays(got, 1, 0).IsInvalidArgument());
  EXPECT_TRUE(d.GetFixedLenByteArrays(got, 1, 3).IsCorruption());
}

template <typename T>
void RoundTripFixed(Random* rnd, size_t n) {
  std::vector<T> values(n);
  for (size_t i = 0; i < n; i++) {
    uint64_t bits = rnd->Next();
    std::memcpy(&values[i], &bits, sizeof(T));
  }
  if (n > 2) {
    values[0] = std::numeric_limits<T>::max();
    values[1] = std::numeric_limits<T>::lowest();
  }
  std::string out;
  PlainEncode(values.data(), n, &out);
  ASSERT_EQ(out.size(), n * sizeof(T));
  ExactBuffer buf(out);
  PlainDecoder d(buf.data.get(), buf.size);
  std::vector<T> got(n);
  size_t done = 0;
  while (done < n) {
    const size_t k = std::min<size_t>(n - done, 1 + rnd->Uniform(50));
    ASSERT_TRUE(d.Get(got.data() + done, k).ok());
    done += k;
  }
  // Compare bit patterns: NaNs must survive unchanged.
  ASSERT_EQ(n == 0 ? 0 : std::memcmp(got.data(), values.data(), n * sizeof(T)), 0);
  T extra;
  EXPECT_TRUE(d.Get(&extra, 1).IsCorruption());
}

const size_t kSizes[] = {0, 1, 7, 8, 9, 127, 128, 129, 1000, 100000};

TEST(PlainEncodingTest, RoundTrips) {
  Random rnd(1);
  for (size_t n : kSizes) {
    RoundTripFixed<int32_t>(&rnd, n);
    RoundTripFixed<int64_t>(&rnd, n);
    RoundTripFixed<float>(&rnd, n);
    RoundTripFixed<double>(&rnd, n);

    std::vector<uint8_t> bools(n);
    for (uint8_t& b : bools) b = rnd.OneIn(3);
    std::string out;
    PlainEncodeBooleans(bools.data(), n, &out);
    ASSERT_EQ(out.size(), (n + 7) / 8);
    ExactBuffer buf(out);
    PlainDecoder d(buf.data.get(), buf.size);
    std::vector<uint8_t> got(n);
    for (size_t done = 0; done < n;) {
      // Batches that start and end in the middle of bytes.
      const size_t k = std::min<size_t>(n - done, 1 + rnd.Uniform(30));
      ASSERT_TRUE(d.GetBooleans(got.data() + done, k).ok());
      done += k;
    }
    ASSERT_EQ(got, bools);

    std::vector<std::string> strings(n);
    for (std::string& s : strings) {
      s.resize(rnd.Uniform(rnd.OneIn(10) ? 1000 : 20));
      for (char& c : s) c = static_cast<char>(rnd.Next());
    }
    std::vector<std::string_view> views(strings.begin(), strings.end());
    std::string encoded;
    ASSERT_TRUE(PlainEncodeByteArrays(views.data(), n, &encoded).ok());
    ExactBuffer sbuf(encoded);
    PlainDecoder sd(sbuf.data.get(), sbuf.size);
    std::vector<std::string_view> decoded(n);
    for (size_t done = 0; done < n;) {
      const size_t k = std::min<size_t>(n - done, 1 + rnd.Uniform(100));
      ASSERT_TRUE(sd.GetByteArrays(decoded.data() + done, k).ok());
      done += k;
    }
    ASSERT_EQ(decoded, views);
    EXPECT_EQ(sd.position(), encoded.size());
  }
}

TEST(PlainEncodingTest, ByteArrayTruncationAtEveryOffset) {
  const std::string_view values[] = {"hello", "", "parquet", "x"};
  std::string enc;
  ASSERT_TRUE(PlainEncodeByteArrays(values, 4, &enc).ok());
  for (size_t len = 0; len < enc.size(); len++) {
    ExactBuffer buf(enc.substr(0, len));
    PlainDecoder d(buf.data.get(), buf.size);
    std::string_view got[4];
    Status s = d.GetByteArrays(got, 4);
    EXPECT_TRUE(s.IsCorruption()) << "length " << len;
    EXPECT_NE(s.message().find("byte offset"), std::string::npos) << s.ToString();
  }
}

TEST(PlainEncodingTest, RejectsAbsurdLengthsAndCounts) {
  // A length of 2^32 - 1 with 3 bytes behind it.
  ExactBuffer buf(Bytes({0xFF, 0xFF, 0xFF, 0xFF, 'a', 'b', 'c'}));
  PlainDecoder d(buf.data.get(), buf.size);
  std::string_view got[4];
  Status s = d.GetByteArrays(got, 1);
  ASSERT_TRUE(s.IsCorruption());
  EXPECT_NE(s.message().find("length 4294967295"), std::string::npos) << s.ToString();

  // 2^40 values asked of 7 bytes fail before anything is written (out has room for one).
  // volatile: a constant count makes the compiler warn about the memcpy it cannot rule out.
  volatile uint64_t huge = uint64_t{1} << 40;
  PlainDecoder d2(buf.data.get(), buf.size);
  int64_t one;
  EXPECT_TRUE(d2.Get(&one, huge).IsCorruption());
  uint8_t bit;
  EXPECT_TRUE(d2.GetBooleans(&bit, huge).IsCorruption());
  EXPECT_TRUE(d2.GetFixedLenByteArrays(got, huge, 16).IsCorruption());
}

TEST(PlainEncodingTest, RandomBytesNeverReadOutOfBounds) {
  Random rnd(3);
  for (int iter = 0; iter < test::Iterations(3000, 100000); iter++) {
    std::string noise(rnd.Uniform(80), '\0');
    for (char& c : noise) c = static_cast<char>(rnd.Uniform(4) == 0 ? rnd.Next() : rnd.Uniform(6));
    ExactBuffer buf(noise);
    PlainDecoder d(buf.data.get(), buf.size);
    std::string_view got[32];
    const size_t n = 1 + rnd.Uniform(32);
    Status s = d.GetByteArrays(got, n);
    if (s.ok()) {
      for (size_t i = 0; i < n; i++) {
        // Every view lies inside the buffer.
        const auto* p = reinterpret_cast<const uint8_t*>(got[i].data());
        ASSERT_GE(p, buf.data.get());
        ASSERT_LE(p + got[i].size(), buf.data.get() + buf.size);
      }
    }
  }
}

TEST(PlainEncodingTest, RejectsOverlongByteArraysWhenEncoding) {
  // A view of 2^31 bytes is never read: the length check comes first.
  static const char kByte = 'x';
  const std::string_view huge(&kByte, kMaxByteArrayLength + 1);
  std::string out = "keep";
  EXPECT_TRUE(PlainEncodeByteArrays(&huge, 1, &out).IsInvalidArgument());
  EXPECT_EQ(out, "keep");
}

}  // namespace
}  // namespace strata::parquet
