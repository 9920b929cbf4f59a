#include "parquet/rle_bit_packed.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "base/random.h"
#include "support/test_util.h"

namespace strata::parquet {
namespace {

// Expected encodings are worked out by hand from the specification (Encodings.md, "Run Length
// Encoding / Bit-Packing Hybrid"), never produced by the encoder under test.
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

std::string Encode(const std::vector<uint32_t>& values, int width) {
  std::string out;
  Status s = RleBitPackedEncode(values.data(), values.size(), width, &out);
  EXPECT_TRUE(s.ok()) << s.ToString();
  return out;
}

// Decodes everything in data with batches of the given size.
std::vector<uint32_t> DecodeAll(const std::string& data, int width, size_t batch,
                                size_t limit = 1 << 22) {
  ExactBuffer buf(data);
  RleBitPackedDecoder d;
  EXPECT_TRUE(d.Init(buf.data.get(), buf.size, width).ok());
  std::vector<uint32_t> out;
  std::vector<uint32_t> chunk(batch);
  while (out.size() < limit) {
    Result<size_t> r = d.GetBatch(chunk.data(), batch);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    if (!r.ok() || *r == 0) break;
    out.insert(out.end(), chunk.begin(), chunk.begin() + *r);
  }
  return out;
}

TEST(RleBitPackedTest, EncodesSpecExampleAsOneBitPackedGroup) {
  // 0..7 at width 3 repeat nothing: header (1 group << 1) | 1 = 0x03, then the
  // specification's packed bytes 0x88 0xC6 0xFA.
  EXPECT_EQ(Hex(Encode({0, 1, 2, 3, 4, 5, 6, 7}, 3)), Hex(Bytes({0x03, 0x88, 0xC6, 0xFA})));
}

TEST(RleBitPackedTest, EncodesRepeatsAsRleRuns) {
  // Eight 5s at width 3: header 8 << 1 = 0x10, value in one byte.
  EXPECT_EQ(Hex(Encode(std::vector<uint32_t>(8, 5), 3)), Hex(Bytes({0x10, 0x05})));
  // A hundred 0x1234 at width 13: header 200 = ULEB128 0xC8 0x01, value in two bytes LE.
  EXPECT_EQ(Hex(Encode(std::vector<uint32_t>(100, 0x1234), 13)),
            Hex(Bytes({0xC8, 0x01, 0x34, 0x12})));
  // Width 0: twenty zeros are header 20 << 1 = 0x28 and no value bytes.
  EXPECT_EQ(Hex(Encode(std::vector<uint32_t>(20, 0), 0)), Hex(Bytes({0x28})));
  // Width 32: the value takes four bytes.
  EXPECT_EQ(Hex(Encode(std::vector<uint32_t>(9, 0xFFFFFFFF), 32)),
            Hex(Bytes({0x12, 0xFF, 0xFF, 0xFF, 0xFF})));
}

TEST(RleBitPackedTest, EncodesMixedRuns) {
  // 1..7,0 then ten 7s at width 3. The group: v0=1 -> bit 0; v1=2 -> bit 4; v2=3 -> bits 6,7;
  // v3=4 -> bit 11; v4=5 -> bits 12,14; v5=6 -> bits 16,17; v6=7 -> bits 18,19,20; v7=0.
  // Bytes: 0b11010001 = 0xD1, 0b01011000 = 0x58, 0b00011111 = 0x1F. Then 10 << 1 = 0x14, 7.
  std::vector<uint32_t> values = {1, 2, 3, 4, 5, 6, 7, 0};
  values.insert(values.end(), 10, 7);
  EXPECT_EQ(Hex(Encode(values, 3)), Hex(Bytes({0x03, 0xD1, 0x58, 0x1F, 0x14, 0x07})));
}

TEST(RleBitPackedTest, BorrowsFromARepeatToCompleteAGroup) {
  // 1,2,3 then thirteen 4s: five 4s complete the group (1,2,3,4,4,4,4,4) and eight remain
  // for an RLE run. Group bits: v0=1 -> bit 0, v1=2 -> bit 4, v2=3 -> bits 6,7, then 4s set
  // bits 11, 14, 17, 20, 23: bytes 0xD1, 0b01001000 = 0x48, 0b10010010 = 0x92.
  std::vector<uint32_t> values = {1, 2, 3};
  values.insert(values.end(), 13, 4);
  EXPECT_EQ(Hex(Encode(values, 3)), Hex(Bytes({0x03, 0xD1, 0x48, 0x92, 0x10, 0x04})));

  // With twelve 4s only seven would remain: everything stays bit-packed, 15 values in two
  // groups, the last padded with a zero.
  values.pop_back();
  const std::string enc = Encode(values, 3);
  EXPECT_EQ(enc.size(), 1u + 6u);
  EXPECT_EQ(static_cast<uint8_t>(enc[0]), 0x05);  // 2 groups
  EXPECT_EQ(DecodeAll(enc, 3, 100).size(), 16u);  // 15 values and the padding
}

TEST(RleBitPackedTest, ShortRepeatStaysBitPacked) {
  // Seven 1s at width 1: one group, padded with a zero: 0b01111111.
  EXPECT_EQ(Hex(Encode(std::vector<uint32_t>(7, 1), 1)), Hex(Bytes({0x03, 0x7F})));
}

TEST(RleBitPackedTest, LengthPrefixedForm) {
  std::string out = "xy";
  const std::vector<uint32_t> values(8, 5);
  ASSERT_TRUE(RleBitPackedEncodeWithLength(values.data(), values.size(), 3, &out).ok());
  EXPECT_EQ(Hex(out), Hex("xy" + Bytes({0x02, 0, 0, 0, 0x10, 0x05})));

  const std::string prefixed = Bytes({0x02, 0, 0, 0, 0x10, 0x05, 0xEE});
  ExactBuffer buf(prefixed);
  Result<size_t> len = ParseRleLengthPrefix(buf.data.get(), buf.size);
  ASSERT_TRUE(len.ok());
  EXPECT_EQ(*len, 2u);
  EXPECT_FALSE(ParseRleLengthPrefix(buf.data.get(), 3).ok());
  EXPECT_FALSE(ParseRleLengthPrefix(buf.data.get(), 5).ok());  // claims 2, 1 follows

  // uint8 input (levels, booleans) gives the same bytes.
  const std::vector<uint8_t> levels(8, 5);
  std::string out8;
  ASSERT_TRUE(RleBitPackedEncodeWithLength(levels.data(), levels.size(), 3, &out8).ok());
  EXPECT_EQ(Hex(out8), Hex(Bytes({0x02, 0, 0, 0, 0x10, 0x05})));
}

TEST(RleBitPackedTest, EncoderRejectsBadArguments) {
  std::string out = "keep";
  const std::vector<uint32_t> values = {1, 8, 2};
  EXPECT_TRUE(RleBitPackedEncode(values.data(), 3, 3, &out).IsInvalidArgument());
  EXPECT_TRUE(RleBitPackedEncode(values.data(), 3, 33, &out).IsInvalidArgument());
  EXPECT_TRUE(RleBitPackedEncode(values.data(), 3, -1, &out).IsInvalidArgument());
  EXPECT_TRUE(RleBitPackedEncodeWithLength(values.data(), 3, 2, &out).IsInvalidArgument());
  EXPECT_EQ(out, "keep");
  EXPECT_TRUE(RleBitPackedDecoder().Init(nullptr, 0, 33).IsInvalidArgument());
}

TEST(RleBitPackedTest, DecodesHandWrittenRuns) {
  // An RLE run of eight 5s, the specification's bit-packed group, then a run of 300 2s
  // (header 600 = 0xD8 0x04).
  const std::string data = Bytes({0x10, 0x05, 0x03, 0x88, 0xC6, 0xFA, 0xD8, 0x04, 0x02});
  std::vector<uint32_t> expected(8, 5);
  for (uint32_t i = 0; i < 8; i++) expected.push_back(i);
  expected.insert(expected.end(), 300, 2);
  for (size_t batch : {1, 2, 3, 7, 8, 9, 31, 32, 33, 1000}) {
    EXPECT_EQ(DecodeAll(data, 3, batch), expected) << "batch " << batch;
  }
}

TEST(RleBitPackedTest, DecodesIndicesWithinTheDictionary) {
  const std::string data = Bytes({0x03, 0x88, 0xC6, 0xFA});  // 0..7
  ExactBuffer buf(data);
  RleBitPackedDecoder d;
  std::vector<uint32_t> out(8);
  ASSERT_TRUE(d.Init(buf.data.get(), buf.size, 3).ok());
  Result<size_t> r = d.GetIndices(out.data(), 8, 8);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, 8u);

  ASSERT_TRUE(d.Init(buf.data.get(), buf.size, 3).ok());
  r = d.GetIndices(out.data(), 8, 7);  // index 7 is one past a 7-entry dictionary
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(r.status().IsCorruption());
  EXPECT_NE(r.status().message().find("index 7 of value 7"), std::string::npos)
      << r.status().ToString();

  ASSERT_TRUE(d.Init(buf.data.get(), buf.size, 3).ok());
  EXPECT_FALSE(d.GetIndices(out.data(), 1, 0).ok());  // empty dictionary: nothing is valid
}

TEST(RleBitPackedTest, DictionaryIndicesStartWithTheirWidth) {
  // Width byte 3, then the specification's group 0..7.
  const std::string data = Bytes({0x03, 0x03, 0x88, 0xC6, 0xFA});
  ExactBuffer buf(data);
  RleBitPackedDecoder d;
  ASSERT_TRUE(d.InitDictionaryIndices(buf.data.get(), buf.size).ok());
  EXPECT_EQ(d.bit_width(), 3);
  std::vector<uint32_t> out(8);
  Result<size_t> r = d.GetIndices(out.data(), 8, 8);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(out, std::vector<uint32_t>({0, 1, 2, 3, 4, 5, 6, 7}));

  // An index out of range names the run's offset, 1 (after the width byte).
  ASSERT_TRUE(d.InitDictionaryIndices(buf.data.get(), buf.size).ok());
  r = d.GetIndices(out.data(), 8, 5);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("index 5 of value 5"), std::string::npos)
      << r.status().ToString();
  EXPECT_NE(r.status().message().find("byte offset 1"), std::string::npos) << r.status().ToString();

  ExactBuffer wide(Bytes({33, 0x02, 0x00}));
  EXPECT_TRUE(d.InitDictionaryIndices(wide.data.get(), wide.size).IsCorruption());
  EXPECT_TRUE(d.InitDictionaryIndices(wide.data.get(), 0).IsCorruption());
  // Width 0: every index is 0 (one RLE run of 4, no value bytes).
  ExactBuffer zero(Bytes({0x00, 0x08}));
  ASSERT_TRUE(d.InitDictionaryIndices(zero.data.get(), zero.size).ok());
  EXPECT_EQ(*d.GetIndices(out.data(), 8, 1), 4u);
}

TEST(RleBitPackedTest, DecodesDefinitionLevelsOfMaxLevelOne) {
  // Width 1: a group 0b00001101 (1,0,1,1,0,0,0,0), then 20 ones (header 0x28, value 1),
  // then 9 zeros (header 0x12, value 0).
  const std::string data = Bytes({0x03, 0x0D, 0x28, 0x01, 0x12, 0x00});
  std::vector<uint8_t> expected = {1, 0, 1, 1, 0, 0, 0, 0};
  expected.insert(expected.end(), 20, 1);
  expected.insert(expected.end(), 9, 0);
  for (size_t batch : {1, 3, 8, 16, 100}) {
    ExactBuffer buf(data);
    RleBitPackedDecoder d;
    ASSERT_TRUE(d.Init(buf.data.get(), buf.size, 1).ok());
    std::vector<uint8_t> got;
    std::vector<uint8_t> chunk(batch);
    size_t non_null = 0;
    for (;;) {
      Result<size_t> r = d.GetLevels(chunk.data(), batch, 1, &non_null);
      ASSERT_TRUE(r.ok()) << r.status().ToString();
      if (*r == 0) break;
      got.insert(got.end(), chunk.begin(), chunk.begin() + *r);
    }
    EXPECT_EQ(got, expected);
    EXPECT_EQ(non_null, 23u);
  }
}

TEST(RleBitPackedTest, RejectsLevelsAboveTheMaximum) {
  // Width 2, max level 2: an RLE run of 3s.
  const std::string data = Bytes({0x10, 0x03});
  ExactBuffer buf(data);
  RleBitPackedDecoder d;
  ASSERT_TRUE(d.Init(buf.data.get(), buf.size, 2).ok());
  std::vector<uint8_t> out(8);
  Result<size_t> r = d.GetLevels(out.data(), 8, 2, nullptr);
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(r.status().IsCorruption());
  // Width 9 cannot be levels.
  ASSERT_TRUE(d.Init(buf.data.get(), buf.size, 9).ok());
  EXPECT_TRUE(d.GetLevels(out.data(), 8, 2, nullptr).status().IsInvalidArgument());
}

TEST(RleBitPackedTest, RejectsMalformedRunHeaders) {
  struct Case {
    std::string data;
    int width;
    const char* what;
  };
  const Case cases[] = {
      {Bytes({0x00, 0x05}), 3, "RLE run of 0 values"},
      {Bytes({0x01}), 3, "bit-packed run of 0 groups"},
      {Bytes({0x10}), 3, "RLE run value missing"},
      {Bytes({0x10, 0x34}), 13, "RLE run value of width 13 needs two bytes"},
      {Bytes({0x10, 0x08}), 3, "RLE run value 8 does not fit width 3"},
      {Bytes({0x80}), 3, "truncated varint header"},
      {Bytes({0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01}), 3, "overlong varint header"},
      {Bytes({0x03}), 3, "bit-packed run with no byte present"},
      {Bytes({0x03, 0x88}), 17, "bit-packed run at width 17 with no whole value"},
      // 2^28 groups (header 2^29 + 1) exceed the 2^31 - 1 value limit.
      {Bytes({0x81, 0x80, 0x80, 0x80, 0x02}), 1, "bit-packed run too long"},
  };
  for (const Case& c : cases) {
    ExactBuffer buf(c.data);
    RleBitPackedDecoder d;
    ASSERT_TRUE(d.Init(buf.data.get(), buf.size, c.width).ok());
    std::vector<uint32_t> out(64);
    Result<size_t> r = d.GetBatch(out.data(), out.size());
    ASSERT_FALSE(r.ok()) << c.what;
    EXPECT_TRUE(r.status().IsCorruption()) << c.what;
    EXPECT_NE(r.status().message().find("byte offset 0"), std::string::npos)
        << c.what << ": " << r.status().ToString();
  }
}

TEST(RleBitPackedTest, RleValuesUseWholeBytes) {
  // Width 15: the value takes two bytes, 0x0100 = 256 fits; then the data ends.
  ExactBuffer buf(Bytes({0x10, 0x00, 0x01}));
  RleBitPackedDecoder d;
  ASSERT_TRUE(d.Init(buf.data.get(), buf.size, 15).ok());
  std::vector<uint32_t> out(64);
  Result<size_t> r = d.GetBatch(out.data(), out.size());
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(*r, 8u);
  EXPECT_EQ(out[0], 256u);
  EXPECT_EQ(out[7], 256u);
}

TEST(RleBitPackedTest, ErrorsNameTheByteOffset) {
  // A valid RLE run (2 bytes), then a zero-length run at offset 2.
  const std::string data = Bytes({0x10, 0x01, 0x00, 0x01});
  ExactBuffer buf(data);
  RleBitPackedDecoder d;
  ASSERT_TRUE(d.Init(buf.data.get(), buf.size, 1).ok());
  std::vector<uint32_t> out(20);
  Result<size_t> r = d.GetBatch(out.data(), 20);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("byte offset 2"), std::string::npos) << r.status().ToString();
}

TEST(RleBitPackedTest, UnpaddedFinalGroupYieldsOnlyPresentValues) {
  // One group claimed at width 3 but only 2 of its 3 bytes present: 16 bits hold 5 values.
  const std::string data = Bytes({0x03, 0x88, 0xC6});
  EXPECT_EQ(DecodeAll(data, 3, 3), std::vector<uint32_t>({0, 1, 2, 3, 4}));
  // After a cut-short run nothing more is read, even if more bytes follow the header claim
  // (they cannot: the run was cut by the end of the data).
}

TEST(RleBitPackedTest, HugeRunsNeedNoMemory) {
  // An RLE run of 2^31 - 1 sevens in six bytes: header 0xFFFFFFFE as ULEB128.
  const std::string data = Bytes({0xFE, 0xFF, 0xFF, 0xFF, 0x0F, 0x07});
  ExactBuffer buf(data);
  RleBitPackedDecoder d;
  ASSERT_TRUE(d.Init(buf.data.get(), buf.size, 3).ok());
  std::vector<uint32_t> out(1000);
  Result<size_t> r = d.GetBatch(out.data(), out.size());
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, 1000u);
  EXPECT_EQ(out[999], 7u);
  Result<size_t> skipped = d.Skip(kMaxRleRunLength);
  ASSERT_TRUE(skipped.ok());
  EXPECT_EQ(*skipped, kMaxRleRunLength - 1000u);
  EXPECT_EQ(*d.GetBatch(out.data(), 1), 0u);

  // The longest bit-packed run header, 2^28 - 1 groups, over 3 bytes: only what is present.
  const std::string packed = Bytes({0xFF, 0xFF, 0xFF, 0xFF, 0x01, 0x88, 0xC6, 0xFA});
  EXPECT_EQ(DecodeAll(packed, 3, 100), std::vector<uint32_t>({0, 1, 2, 3, 4, 5, 6, 7}));
}

// Value patterns for round trips.
std::vector<uint32_t> MakeValues(Random* rnd, size_t n, int width, int pattern) {
  const uint32_t mask = width == 32 ? ~uint32_t{0} : (uint32_t{1} << width) - 1;
  std::vector<uint32_t> v(n);
  for (size_t i = 0; i < n;) {
    uint32_t value = static_cast<uint32_t>(rnd->Next()) & mask;
    size_t run = 1;
    switch (pattern) {
      case 0:  // random: runs only by chance
        break;
      case 1:  // long runs
        run = 1 + rnd->Uniform(3000);
        break;
      case 2:  // runs around the RLE threshold
        run = 1 + rnd->Uniform(20);
        break;
      case 3:  // no runs at all: consecutive values differ
        value = static_cast<uint32_t>(i) & mask;
        break;
      case 4:  // extremes
        value = rnd->OneIn(2) ? mask : 0;
        run = 1 + rnd->Uniform(12);
        break;
    }
    for (size_t k = 0; k < run && i < n; k++) v[i++] = value;
  }
  return v;
}

const size_t kSizes[] = {0, 1, 7, 8, 9, 127, 128, 129, 1000, 100000};

TEST(RleBitPackedTest, RoundTripsEveryWidthAndSize) {
  Random rnd(301);
  for (int width = 0; width <= 32; width++) {
    for (size_t n : kSizes) {
      for (int pattern = 0; pattern < 5; pattern++) {
        const std::vector<uint32_t> values = MakeValues(&rnd, n, width, pattern);
        const std::string enc = Encode(values, width);
        ExactBuffer buf(enc);
        RleBitPackedDecoder d;
        ASSERT_TRUE(d.Init(buf.data.get(), buf.size, width).ok());
        std::vector<uint32_t> got(n + 8);
        size_t done = 0;
        // Random batch sizes, with skips mixed in.
        while (done < n) {
          const size_t want = std::min<size_t>(n - done, 1 + rnd.Uniform(rnd.OneIn(4) ? 300 : 20));
          if (rnd.OneIn(5)) {
            Result<size_t> s = d.Skip(want);
            ASSERT_TRUE(s.ok());
            ASSERT_EQ(*s, want);
            std::copy_n(values.begin() + done, want, got.begin() + done);
          } else {
            Result<size_t> r = d.GetBatch(got.data() + done, want);
            ASSERT_TRUE(r.ok()) << r.status().ToString();
            ASSERT_EQ(*r, want);
          }
          done += want;
        }
        got.resize(n);
        ASSERT_EQ(got, values) << "width " << width << " n " << n << " pattern " << pattern;
        EXPECT_EQ(d.values_read(), n);
        // All that may follow is the padding of the last group.
        std::vector<uint32_t> rest(16);
        Result<size_t> tail = d.GetBatch(rest.data(), rest.size());
        ASSERT_TRUE(tail.ok());
        EXPECT_LT(*tail, 8u);
        for (size_t i = 0; i < *tail; i++) EXPECT_EQ(rest[i], 0u);
      }
    }
  }
}

TEST(RleBitPackedTest, LevelsRoundTrip) {
  Random rnd(17);
  for (int width = 0; width <= 8; width++) {
    const int max_level = (1 << width) - 1;
    for (size_t n : kSizes) {
      for (int pattern = 0; pattern < 5; pattern++) {
        const std::vector<uint32_t> wide = MakeValues(&rnd, n, width, pattern);
        const std::vector<uint8_t> levels(wide.begin(), wide.end());
        std::string enc;
        ASSERT_TRUE(RleBitPackedEncode(levels.data(), n, width, &enc).ok());
        EXPECT_EQ(enc, Encode(wide, width)) << "uint8 and uint32 input must agree";
        ExactBuffer buf(enc);
        RleBitPackedDecoder d;
        ASSERT_TRUE(d.Init(buf.data.get(), buf.size, width).ok());
        std::vector<uint8_t> got(n);
        size_t at_max = 0;
        size_t done = 0;
        while (done < n) {
          const size_t want = std::min<size_t>(n - done, 1 + rnd.Uniform(100));
          Result<size_t> r = d.GetLevels(got.data() + done, want, max_level, &at_max);
          ASSERT_TRUE(r.ok()) << r.status().ToString();
          ASSERT_EQ(*r, want);
          done += want;
        }
        ASSERT_EQ(got, levels) << "width " << width << " n " << n;
        EXPECT_EQ(at_max, static_cast<size_t>(std::count(levels.begin(), levels.end(), max_level)));
      }
    }
  }
}

// Decodes up to `limit` values from data, whatever it holds; checks only that it neither
// crashes nor produces a value wider than the bit width.
void DecodeArbitrary(const std::string& data, int width, size_t limit) {
  ExactBuffer buf(data);
  RleBitPackedDecoder d;
  ASSERT_TRUE(d.Init(buf.data.get(), buf.size, width).ok());
  std::vector<uint32_t> out(97);
  size_t total = 0;
  while (total < limit) {
    Result<size_t> r = d.GetBatch(out.data(), out.size());
    if (!r.ok()) {
      EXPECT_TRUE(r.status().IsCorruption());
      return;
    }
    if (*r == 0) return;
    for (size_t i = 0; i < *r; i++) {
      if (width < 32) {
        ASSERT_LT(out[i], uint32_t{1} << width);
      }
    }
    total += *r;
  }
}

TEST(RleBitPackedTest, TruncationAtEveryOffset) {
  Random rnd(5);
  for (int width : {1, 3, 8, 13, 32}) {
    for (int pattern = 0; pattern < 5; pattern++) {
      const std::vector<uint32_t> values = MakeValues(&rnd, 300, width, pattern);
      const std::string enc = Encode(values, width);
      for (size_t len = 0; len <= enc.size(); len++) {
        const std::string prefix = enc.substr(0, len);
        DecodeArbitrary(prefix, width, 1 << 20);
        // A prefix decodes to a prefix of the values (then perhaps padding or an error).
        ExactBuffer buf(prefix);
        RleBitPackedDecoder d;
        ASSERT_TRUE(d.Init(buf.data.get(), buf.size, width).ok());
        std::vector<uint32_t> got(values.size());
        Result<size_t> r = d.GetBatch(got.data(), got.size());
        if (r.ok()) {
          got.resize(*r);
          ASSERT_TRUE(std::equal(got.begin(), got.end(), values.begin()))
              << "width " << width << " length " << len;
        }
      }
    }
  }
}

TEST(RleBitPackedTest, RandomCorruption) {
  Random rnd(99);
  for (int iter = 0; iter < test::Iterations(3000, 200000); iter++) {
    const int width = static_cast<int>(rnd.Uniform(33));
    std::string enc = Encode(MakeValues(&rnd, 1 + rnd.Uniform(500), width, iter % 5), width);
    const int flips = 1 + static_cast<int>(rnd.Uniform(4));
    for (int f = 0; f < flips && !enc.empty(); f++) {
      enc[rnd.Uniform(static_cast<uint32_t>(enc.size()))] ^=
          static_cast<char>(1 + rnd.Uniform(255));
    }
    DecodeArbitrary(enc, width, 1 << 16);
  }
  // Pure noise, too.
  for (int iter = 0; iter < test::Iterations(2000, 100000); iter++) {
    std::string noise(rnd.Uniform(64), '\0');
    for (char& c : noise) c = static_cast<char>(rnd.Next());
    DecodeArbitrary(noise, static_cast<int>(rnd.Uniform(33)), 1 << 16);
  }
}

}  // namespace
}  // namespace strata::parquet
