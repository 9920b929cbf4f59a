#include "parquet/delta_byte_array.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/arena.h"
#include "base/random.h"
#include "support/test_util.h"

namespace strata::parquet {
namespace {

// Expected encodings are worked out by hand from the specification (Encodings.md, "Delta-
// length byte array" and "Delta Strings"), with 128-value blocks of 4 miniblocks.
std::string Bytes(std::initializer_list<int> bytes) {
  std::string s;
  for (int b : bytes) s.push_back(static_cast<char>(b));
  return s;
}

std::string Hex(const std::string& s) {
  static const char* kDigits = "0123456789abcdef";
  std::string out;
  for (unsigned char c : s) {
    out.push_back(kDigits[c >> 4]);
    out.push_back(kDigits[c & 0xF]);
    out.push_back(' ');
  }
  return out;
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

// "Hello", "World", "Foobar", "ABCDEF": lengths 5,5,6,6 -> header 0x80 0x01, 4, 4, zigzag(5) =
// 0x0A; deltas 0,1,0, min 0 (0x00), relative 0,1,0 at width 1: widths 01 00 00 00 and a
// 32-bit miniblock whose bit 1 is set (0x02 0 0 0). Then the bytes.
const std::string kDeltaLengthExample =
    Bytes({0x80, 0x01, 0x04, 0x04, 0x0A, 0x00, 0x01, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00}) +
    "HelloWorldFoobarABCDEF";

// "axis", "axle", "babble", "babyhood":
//   prefix lengths 0,2,0,3: zigzag(0) first; deltas 2,-2,3, min -2 (zigzag 3), relative
//   4,0,5 at width 3: bits 2, 6 and 8 -> 0x44 0x01, padded to 12 bytes;
//   suffix lengths 4,2,6,5: zigzag(4) = 8 first; deltas -2,4,-1, min -2, relative 0,6,1 at
//   width 3: bits 4, 5 and 6 -> 0x70 0x00, padded to 12 bytes;
//   suffixes "axis" "le" "babble" "yhood".
const std::string kDeltaByteArrayExample =
    Bytes({0x80, 0x01, 0x04, 0x04, 0x00, 0x03, 0x03, 0x00, 0x00, 0x00, 0x44,
           0x01, 0,    0,    0,    0,    0,    0,    0,    0,    0,    0}) +
    Bytes({0x80, 0x01, 0x04, 0x04, 0x08, 0x03, 0x03, 0x00, 0x00, 0x00, 0x70,
           0x00, 0,    0,    0,    0,    0,    0,    0,    0,    0,    0}) +
    "axislebabbleyhood";

std::vector<std::string> DecodeDeltaLength(const std::string& data, size_t batch, Status* status) {
  ExactBuffer buf(data);
  DeltaLengthByteArrayDecoder d;
  std::vector<std::string> out;
  *status = d.Init(buf.data.get(), buf.size);
  if (!status->ok()) return out;
  std::vector<std::string_view> chunk(batch);
  for (;;) {
    Result<size_t> r = d.GetBatch(chunk.data(), batch);
    if (!r.ok()) {
      *status = r.status();
      return out;
    }
    if (*r == 0) return out;
    for (size_t i = 0; i < *r; i++) out.emplace_back(chunk[i]);
  }
}

// A fresh Arena per batch: the decoder must not depend on an earlier batch's memory.
std::vector<std::string> DecodeDeltaByteArray(const std::string& data, size_t batch, Status* status,
                                              size_t max_batch_bytes = 0) {
  ExactBuffer buf(data);
  DeltaByteArrayDecoder d;
  if (max_batch_bytes != 0) d.set_max_batch_bytes(max_batch_bytes);
  std::vector<std::string> out;
  *status = d.Init(buf.data.get(), buf.size);
  if (!status->ok()) return out;
  std::vector<std::string_view> chunk(batch);
  for (;;) {
    Arena arena;
    Result<size_t> r = d.GetBatch(chunk.data(), batch, &arena);
    if (!r.ok()) {
      *status = r.status();
      return out;
    }
    if (*r == 0) return out;
    for (size_t i = 0; i < *r; i++) out.emplace_back(chunk[i]);
  }
}

TEST(DeltaByteArrayTest, DeltaLengthSpecExample) {
  const std::vector<std::string_view> values = {"Hello", "World", "Foobar", "ABCDEF"};
  std::string enc;
  ASSERT_TRUE(DeltaLengthByteArrayEncode(values.data(), values.size(), &enc).ok());
  EXPECT_EQ(Hex(enc), Hex(kDeltaLengthExample));

  ExactBuffer buf(kDeltaLengthExample);
  DeltaLengthByteArrayDecoder d;
  ASSERT_TRUE(d.Init(buf.data.get(), buf.size).ok());
  EXPECT_EQ(d.total_values(), 4u);
  std::string_view got[4];
  Result<size_t> r = d.GetBatch(got, 4);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(*r, 4u);
  EXPECT_EQ(std::vector<std::string_view>(got, got + 4), values);
  // Views into the input: the first value starts right after the 14 bytes of lengths.
  EXPECT_EQ(reinterpret_cast<const uint8_t*>(got[0].data()), buf.data.get() + 14);
}

TEST(DeltaByteArrayTest, DeltaStringsSpecExample) {
  const std::vector<std::string_view> values = {"axis", "axle", "babble", "babyhood"};
  std::string enc;
  ASSERT_TRUE(DeltaByteArrayEncode(values.data(), values.size(), &enc).ok());
  EXPECT_EQ(Hex(enc), Hex(kDeltaByteArrayExample));
  for (size_t batch : {1, 2, 3, 4, 100}) {
    Status s;
    const std::vector<std::string> got = DecodeDeltaByteArray(kDeltaByteArrayExample, batch, &s);
    ASSERT_TRUE(s.ok()) << s.ToString();
    EXPECT_EQ(got, std::vector<std::string>(values.begin(), values.end()));
  }
}

TEST(DeltaByteArrayTest, DecodedValuesShareOneArenaAllocation) {
  ExactBuffer buf(kDeltaByteArrayExample);
  DeltaByteArrayDecoder d;
  ASSERT_TRUE(d.Init(buf.data.get(), buf.size).ok());
  Arena arena;
  std::string_view got[4];
  ASSERT_EQ(*d.GetBatch(got, 4, &arena), 4u);
  // Back to back: each value starts where the one before ends.
  for (int i = 1; i < 4; i++) EXPECT_EQ(got[i].data(), got[i - 1].data() + got[i - 1].size());
  EXPECT_EQ(got[3], "babyhood");
}

const size_t kSizes[] = {0, 1, 7, 8, 9, 127, 128, 129, 1000, 100000};

// Sorted strings over a small alphabet share long prefixes, the case front coding is for;
// some are empty, some repeat, a few are long.
std::vector<std::string> MakeStrings(Random* rnd, size_t n) {
  std::vector<std::string> v(n);
  for (std::string& s : v) {
    const size_t len = rnd->OneIn(100) ? rnd->Uniform(3000) : rnd->Uniform(24);
    s.resize(len);
    for (char& c : s) c = static_cast<char>('a' + rnd->Uniform(3));
  }
  std::sort(v.begin(), v.end());
  // Some unsorted stretches, so prefixes also shrink to zero.
  for (size_t i = 0; i + 1 < n; i += 17) std::swap(v[i], v[n - 1 - i]);
  return v;
}

TEST(DeltaByteArrayTest, RoundTrips) {
  Random rnd(21);
  for (size_t n : kSizes) {
    const std::vector<std::string> strings = MakeStrings(&rnd, n);
    const std::vector<std::string_view> views(strings.begin(), strings.end());
    const size_t batch = 1 + rnd.Uniform(300);

    std::string dlba;
    ASSERT_TRUE(DeltaLengthByteArrayEncode(views.data(), n, &dlba).ok());
    Status s;
    ASSERT_EQ(DecodeDeltaLength(dlba, batch, &s), strings) << "n " << n;
    ASSERT_TRUE(s.ok()) << s.ToString();

    std::string dba;
    ASSERT_TRUE(DeltaByteArrayEncode(views.data(), n, &dba).ok());
    ASSERT_EQ(DecodeDeltaByteArray(dba, batch, &s), strings) << "n " << n;
    ASSERT_TRUE(s.ok()) << s.ToString();
  }
}

TEST(DeltaByteArrayTest, RejectsBadLengths) {
  struct Case {
    std::string prefixes, suffixes, data;
    const char* what;
  };
  const std::string one_zero = Bytes({0x80, 0x01, 0x04, 0x01, 0x00});  // one length: 0
  const Case cases[] = {
      // One value whose prefix length is 1 (zigzag 2): there is no previous value.
      {Bytes({0x80, 0x01, 0x04, 0x01, 0x02}), one_zero, "", "exceeds the previous value"},
      // Prefix length -1 (zigzag 1).
      {Bytes({0x80, 0x01, 0x04, 0x01, 0x01}), one_zero, "", "negative length"},
      // Suffix length 5 (zigzag 10) with two bytes of data.
      {one_zero, Bytes({0x80, 0x01, 0x04, 0x01, 0x0A}), "ab", "exceeds the 2 bytes"},
      // Suffix length -3 (zigzag 5).
      {one_zero, Bytes({0x80, 0x01, 0x04, 0x01, 0x05}), "abc", "negative length"},
  };
  for (const Case& c : cases) {
    Status s;
    DecodeDeltaByteArray(c.prefixes + c.suffixes + c.data, 8, &s);
    ASSERT_TRUE(s.IsCorruption()) << c.what;
    EXPECT_NE(s.message().find(c.what), std::string::npos) << s.ToString();
  }
  // Two prefix lengths (0, 0: a block with min delta 0 and widths 0) but one suffix length.
  Status s;
  DecodeDeltaByteArray(
      Bytes({0x80, 0x01, 0x04, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00}) + one_zero, 8, &s);
  ASSERT_TRUE(s.IsCorruption());
  EXPECT_NE(s.message().find("2 prefix lengths but 1 suffix lengths"), std::string::npos)
      << s.ToString();

  // DELTA_LENGTH_BYTE_ARRAY: a negative length, and one past the end of the data.
  DecodeDeltaLength(Bytes({0x80, 0x01, 0x04, 0x01, 0x01}), 8, &s);
  EXPECT_TRUE(s.IsCorruption()) << s.ToString();
  DecodeDeltaLength(Bytes({0x80, 0x01, 0x04, 0x01, 0x0A}) + "ab", 8, &s);
  ASSERT_TRUE(s.IsCorruption());
  EXPECT_NE(s.message().find("byte offset 5"), std::string::npos) << s.ToString();
}

TEST(DeltaByteArrayTest, TruncationAtEveryOffset) {
  Random rnd(4);
  const std::vector<std::string> strings = MakeStrings(&rnd, 200);
  const std::vector<std::string_view> views(strings.begin(), strings.end());
  std::string dlba, dba;
  ASSERT_TRUE(DeltaLengthByteArrayEncode(views.data(), views.size(), &dlba).ok());
  ASSERT_TRUE(DeltaByteArrayEncode(views.data(), views.size(), &dba).ok());
  for (size_t len = 0; len < dlba.size(); len++) {
    Status s;
    const std::vector<std::string> got = DecodeDeltaLength(dlba.substr(0, len), 37, &s);
    EXPECT_FALSE(s.ok()) << "length " << len;
    ASSERT_LE(got.size(), strings.size());
    EXPECT_TRUE(std::equal(got.begin(), got.end(), strings.begin()));
  }
  for (size_t len = 0; len < dba.size(); len++) {
    Status s;
    const std::vector<std::string> got = DecodeDeltaByteArray(dba.substr(0, len), 37, &s);
    EXPECT_FALSE(s.ok()) << "length " << len;
    ASSERT_LE(got.size(), strings.size());
    EXPECT_TRUE(std::equal(got.begin(), got.end(), strings.begin()));
  }
}

TEST(DeltaByteArrayTest, RandomCorruption) {
  Random rnd(5);
  for (int iter = 0; iter < test::Iterations(2000, 50000); iter++) {
    const std::vector<std::string> strings = MakeStrings(&rnd, rnd.Uniform(150));
    const std::vector<std::string_view> views(strings.begin(), strings.end());
    std::string enc;
    const bool front_coded = iter % 2 == 0;
    if (front_coded) {
      ASSERT_TRUE(DeltaByteArrayEncode(views.data(), views.size(), &enc).ok());
    } else {
      ASSERT_TRUE(DeltaLengthByteArrayEncode(views.data(), views.size(), &enc).ok());
    }
    const int flips = 1 + static_cast<int>(rnd.Uniform(3));
    for (int f = 0; f < flips; f++) {
      enc[rnd.Uniform(static_cast<uint32_t>(enc.size()))] ^=
          static_cast<char>(1 + rnd.Uniform(255));
    }
    Status s;
    if (front_coded) {
      DecodeDeltaByteArray(enc, 1 + rnd.Uniform(64), &s, 1 << 20);
    } else {
      DecodeDeltaLength(enc, 1 + rnd.Uniform(64), &s);
    }
  }
}

TEST(DeltaByteArrayTest, HugeClaimedCountsAllocateNothing) {
  // Lengths: block size 2^31 in one miniblock, 2^31 values, all 0 (min delta 0, width 0).
  const std::string zeros =
      Bytes({0x80, 0x80, 0x80, 0x80, 0x08, 0x01, 0x80, 0x80, 0x80, 0x80, 0x08, 0x00, 0x00, 0x00});
  {
    ExactBuffer buf(zeros);
    std::vector<std::string_view> out(1000);
    const size_t before = test::HeapInUse();
    DeltaLengthByteArrayDecoder d;
    ASSERT_TRUE(d.Init(buf.data.get(), buf.size).ok());
    EXPECT_EQ(d.total_values(), uint64_t{1} << 31);
    for (int i = 0; i < 3; i++) ASSERT_EQ(*d.GetBatch(out.data(), out.size()), out.size());
    EXPECT_EQ(test::HeapInUse(), before);
  }
  {
    // 2^31 empty strings front coded: prefix and suffix lengths both all 0.
    ExactBuffer buf(zeros + zeros);
    std::vector<std::string_view> out(1000);
    Arena arena;
    const size_t before = test::HeapInUse();
    DeltaByteArrayDecoder d;
    ASSERT_TRUE(d.Init(buf.data.get(), buf.size).ok());
    for (int i = 0; i < 3; i++) ASSERT_EQ(*d.GetBatch(out.data(), out.size(), &arena), out.size());
    EXPECT_LT(test::HeapInUse() - before, 64 * 1024u);  // arena blocks for zero-byte chunks only
  }
}

TEST(DeltaByteArrayTest, RepeatedPrefixesStayWithinTheBatchBudget) {
  // One 1000-byte value, then 20000 values that repeat it whole (prefix 1000, suffix 0):
  // under 3 KB (the value, and two length streams of mostly width-0 blocks of about 5 bytes
  // per 128 values) that expand to 20 MB.
  const std::string first(1000, 'q');
  std::vector<std::string_view> views(20001, first);
  std::string enc;
  ASSERT_TRUE(DeltaByteArrayEncode(views.data(), views.size(), &enc).ok());
  ASSERT_LT(enc.size(), 3000u);

  ExactBuffer buf(enc);
  DeltaByteArrayDecoder d;
  d.set_max_batch_bytes(64 * 1024);
  ASSERT_TRUE(d.Init(buf.data.get(), buf.size).ok());
  std::vector<std::string_view> out(5000);
  size_t total = 0;
  while (d.values_left() > 0) {
    Arena arena;
    Result<size_t> r = d.GetBatch(out.data(), out.size(), &arena);
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    ASSERT_GT(*r, 0u);
    ASSERT_LE(*r * 1000, 64 * 1024u);
    EXPECT_LE(arena.MemoryUsage(), 64 * 1024u + 4096);
    for (size_t i = 0; i < *r; i++) ASSERT_EQ(out[i], first);
    total += *r;
  }
  EXPECT_EQ(total, views.size());

  // A budget smaller than one value still makes progress, one value at a time.
  d.set_max_batch_bytes(10);
  ASSERT_TRUE(d.Init(buf.data.get(), buf.size).ok());
  Arena arena;
  EXPECT_EQ(*d.GetBatch(out.data(), out.size(), &arena), 1u);
  EXPECT_EQ(*d.GetBatch(out.data(), out.size(), &arena), 1u);
  EXPECT_EQ(out[0], first);
}

TEST(DeltaByteArrayTest, RejectsOverlongValuesWhenEncoding) {
  static const char kByte = 'x';
  const std::string_view huge(&kByte, size_t{1} << 31);
  std::string out = "keep";
  EXPECT_TRUE(DeltaLengthByteArrayEncode(&huge, 1, &out).IsInvalidArgument());
  EXPECT_TRUE(DeltaByteArrayEncode(&huge, 1, &out).IsInvalidArgument());
  EXPECT_EQ(out, "keep");
}

}  // namespace
}  // namespace strata::parquet
