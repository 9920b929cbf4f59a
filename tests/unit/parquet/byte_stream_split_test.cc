#include "parquet/byte_stream_split.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "base/random.h"

namespace strata::parquet {
namespace {

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

TEST(ByteStreamSplitTest, SpecExample) {
  // Three 4-byte values AA BB CC DD, 00 11 22 33, A3 B4 C5 D6 become the streams
  // AA 00 A3 | BB 11 B4 | CC 22 C5 | DD 33 D6 (Encodings.md, "Byte Stream Split").
  const std::string values =
      Bytes({0xAA, 0xBB, 0xCC, 0xDD, 0x00, 0x11, 0x22, 0x33, 0xA3, 0xB4, 0xC5, 0xD6});
  const std::string expected =
      Bytes({0xAA, 0x00, 0xA3, 0xBB, 0x11, 0xB4, 0xCC, 0x22, 0xC5, 0xDD, 0x33, 0xD6});
  std::string out;
  ByteStreamSplitEncode(reinterpret_cast<const uint8_t*>(values.data()), 3, 4, &out);
  EXPECT_EQ(out, expected);

  // As floats: the same bytes, since the host is little-endian.
  float f[3];
  std::memcpy(f, values.data(), sizeof(f));
  std::string out_f;
  ByteStreamSplitEncode(f, 3, &out_f);
  EXPECT_EQ(out_f, expected);

  ExactBuffer buf(expected);
  ByteStreamSplitDecoder d;
  ASSERT_TRUE(d.Init(buf.data.get(), buf.size, 4).ok());
  EXPECT_EQ(d.num_values(), 3u);
  float got[3];
  Result<size_t> r = d.GetBatch(got, 3);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, 3u);
  EXPECT_EQ(std::memcmp(got, values.data(), sizeof(got)), 0);
}

TEST(ByteStreamSplitTest, HandWrittenDoubleAndFixedLength) {
  // 1.0 = 00 00 00 00 00 00 F0 3F and -2.0 = 00 00 00 00 00 00 00 C0: stream 6 is F0 00 and
  // stream 7 is 3F C0.
  const double values[2] = {1.0, -2.0};
  std::string out;
  ByteStreamSplitEncode(values, 2, &out);
  EXPECT_EQ(out, Bytes({0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xF0, 0x00, 0x3F, 0xC0}));

  // Width 3: "abc" "def" -> "ad" "be" "cf".
  out.clear();
  ByteStreamSplitEncode(reinterpret_cast<const uint8_t*>("abcdef"), 2, 3, &out);
  EXPECT_EQ(out, "adbecf");
}

void RoundTrip(Random* rnd, size_t width, size_t n) {
  std::string values(n * width, '\0');
  for (char& c : values) c = static_cast<char>(rnd->Next());
  std::string enc;
  ByteStreamSplitEncode(reinterpret_cast<const uint8_t*>(values.data()), n, width, &enc);
  ASSERT_EQ(enc.size(), values.size());
  // Check the layout from the definition: byte k of value i is at k * n + i.
  for (size_t i = 0; i < n; i += 1 + n / 50) {
    for (size_t k = 0; k < width; k++) ASSERT_EQ(enc[k * n + i], values[i * width + k]);
  }
  ExactBuffer buf(enc);
  ByteStreamSplitDecoder d;
  ASSERT_TRUE(d.Init(buf.data.get(), buf.size, width).ok());
  ASSERT_EQ(d.num_values(), n);
  std::string got(n * width + 1, '\x5A');
  size_t done = 0;
  while (done < n) {
    const size_t want = 1 + rnd->Uniform(200);
    Result<size_t> r = d.GetBatch(reinterpret_cast<uint8_t*>(got.data()) + done * width, want);
    ASSERT_TRUE(r.ok());
    ASSERT_EQ(*r, std::min(want, n - done));
    done += *r;
  }
  EXPECT_EQ(got.back(), '\x5A') << "wrote past the end";
  got.pop_back();
  ASSERT_EQ(got, values) << "width " << width << " n " << n;
  uint8_t extra[64];
  EXPECT_EQ(*d.GetBatch(extra, 1), 0u);
}

TEST(ByteStreamSplitTest, RoundTripsEveryWidth) {
  Random rnd(9);
  for (size_t width : {1, 2, 3, 4, 5, 7, 8, 12, 16, 17, 33}) {
    for (size_t n : {0, 1, 7, 8, 9, 127, 128, 129, 1000, 100000}) RoundTrip(&rnd, width, n);
  }
}

TEST(ByteStreamSplitTest, TypedRoundTripsKeepBitPatterns) {
  const double doubles[] = {0.0,
                            -0.0,
                            std::numeric_limits<double>::quiet_NaN(),
                            std::numeric_limits<double>::infinity(),
                            std::numeric_limits<double>::denorm_min(),
                            1e308};
  std::string enc;
  ByteStreamSplitEncode(doubles, 6, &enc);
  ExactBuffer buf(enc);
  ByteStreamSplitDecoder d;
  ASSERT_TRUE(d.Init(buf.data.get(), buf.size, 8).ok());
  double got[6];
  ASSERT_EQ(*d.GetBatch(got, 6), 6u);
  EXPECT_EQ(std::memcmp(got, doubles, sizeof(got)), 0);

  const int64_t ints[] = {INT64_MIN, -1, 0, 1, INT64_MAX};
  enc.clear();
  ByteStreamSplitEncode(ints, 5, &enc);
  ExactBuffer ibuf(enc);
  ASSERT_TRUE(d.Init(ibuf.data.get(), ibuf.size, 8).ok());
  int64_t igot[5];
  ASSERT_EQ(*d.GetBatch(igot, 5), 5u);
  EXPECT_EQ(std::memcmp(igot, ints, sizeof(igot)), 0);

  const int32_t i32[] = {INT32_MIN, 7, INT32_MAX};
  enc.clear();
  ByteStreamSplitEncode(i32, 3, &enc);
  ExactBuffer i32buf(enc);
  ASSERT_TRUE(d.Init(i32buf.data.get(), i32buf.size, 4).ok());
  int32_t i32got[3];
  ASSERT_EQ(*d.GetBatch(i32got, 3), 3u);
  EXPECT_EQ(std::memcmp(i32got, i32, sizeof(i32got)), 0);
}

TEST(ByteStreamSplitTest, RejectsBadSizes) {
  ExactBuffer buf(std::string(10, 'x'));
  ByteStreamSplitDecoder d;
  Status s = d.Init(buf.data.get(), buf.size, 4);
  EXPECT_TRUE(s.IsCorruption()) << s.ToString();
  uint8_t out[16];
  EXPECT_EQ(*d.GetBatch(out, 4), 0u);  // a failed Init leaves no values
  EXPECT_TRUE(d.Init(buf.data.get(), buf.size, 0).IsInvalidArgument());
  ASSERT_TRUE(d.Init(buf.data.get(), buf.size, 5).ok());
  double wrong[2];
  EXPECT_TRUE(d.GetBatch(wrong, 2).status().IsInvalidArgument());
  // Every size that is a whole number of values decodes; no other does.
  for (size_t size = 0; size <= 10; size++) {
    EXPECT_EQ(d.Init(buf.data.get(), size, 5).ok(), size % 5 == 0) << size;
  }
}

}  // namespace
}  // namespace strata::parquet
