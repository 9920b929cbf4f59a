#include "parquet/delta_binary_packed.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "base/random.h"
#include "parquet/bit_packing.h"
#include "support/test_util.h"

namespace strata::parquet {
namespace {

// Expected encodings are worked out by hand from the specification (Encodings.md, "Delta
// Encoding"), with the default layout of 128-value blocks of 4 miniblocks of 32 values.
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

template <typename T>
std::string Encode(const std::vector<T>& values, DeltaBinaryPackedOptions options = {}) {
  std::string out;
  Status s = DeltaBinaryPackedEncode(values.data(), values.size(), &out, options);
  EXPECT_TRUE(s.ok()) << s.ToString();
  return out;
}

template <typename T>
Result<std::vector<T>> Decode(const std::string& data, size_t batch = 1000,
                              size_t* encoded_size = nullptr) {
  ExactBuffer buf(data);
  DeltaBinaryPackedDecoder<T> d;
  Status s = d.Init(buf.data.get(), buf.size);
  if (!s.ok()) return s;
  if (encoded_size != nullptr) *encoded_size = d.encoded_size();
  std::vector<T> out;
  std::vector<T> chunk(batch);
  for (;;) {
    Result<size_t> r = d.GetBatch(chunk.data(), batch);
    if (!r.ok()) return r.status();
    if (*r == 0) break;
    out.insert(out.end(), chunk.begin(), chunk.begin() + *r);
  }
  return out;
}

// 1, 2, 3, 4, 5 (the specification's first example, with a legal block size):
//   header: 128 = 0x80 0x01, 4 miniblocks, 5 values, first value zigzag(1) = 2;
//   deltas 1,1,1,1; min delta 1 -> zigzag 2; relative deltas all 0 -> miniblock 0 has
//   width 0 and no bytes; miniblocks 1-3 are unneeded but keep their width bytes (0).
const std::string kExample1 = Bytes({0x80, 0x01, 0x04, 0x05, 0x02, 0x02, 0x00, 0x00, 0x00, 0x00});

// 7, 5, 3, 1, 2, 3, 4, 5 (the second example):
//   header: 0x80 0x01, 4, 8 values, zigzag(7) = 14 = 0x0E;
//   deltas -2,-2,-2,1,1,1,1; min -2 -> zigzag 3; relative 0,0,0,3,3,3,3 -> width 2;
//   the miniblock is padded to 32 values = 8 bytes: values 0-3 (0,0,0,3) give 0b11000000,
//   values 4-7 (3,3,3,0) give 0b00111111, then six zero bytes.
const std::string kExample2 = Bytes({0x80, 0x01, 0x04, 0x08, 0x0E, 0x03, 0x02, 0x00, 0x00, 0x00,
                                     0xC0, 0x3F, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00});

TEST(DeltaBinaryPackedTest, SpecExamples) {
  EXPECT_EQ(Hex(Encode(std::vector<int32_t>{1, 2, 3, 4, 5})), Hex(kExample1));
  EXPECT_EQ(Hex(Encode(std::vector<int64_t>{1, 2, 3, 4, 5})), Hex(kExample1));
  EXPECT_EQ(Hex(Encode(std::vector<int32_t>{7, 5, 3, 1, 2, 3, 4, 5})), Hex(kExample2));

  size_t size = 0;
  Result<std::vector<int32_t>> r = Decode<int32_t>(kExample1, 1000, &size);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(*r, std::vector<int32_t>({1, 2, 3, 4, 5}));
  EXPECT_EQ(size, kExample1.size());
  Result<std::vector<int64_t>> r2 = Decode<int64_t>(kExample2, 3, &size);
  ASSERT_TRUE(r2.ok()) << r2.status().ToString();
  EXPECT_EQ(*r2, std::vector<int64_t>({7, 5, 3, 1, 2, 3, 4, 5}));
  EXPECT_EQ(size, kExample2.size());
}

TEST(DeltaBinaryPackedTest, EmptyAndSingleValue) {
  // No values: header only, first value 0. One value -1: zigzag(-1) = 1, no blocks.
  EXPECT_EQ(Hex(Encode(std::vector<int32_t>{})), Hex(Bytes({0x80, 0x01, 0x04, 0x00, 0x00})));
  EXPECT_EQ(Hex(Encode(std::vector<int64_t>{-1})), Hex(Bytes({0x80, 0x01, 0x04, 0x01, 0x01})));
  Result<std::vector<int64_t>> r = Decode<int64_t>(Bytes({0x80, 0x01, 0x04, 0x01, 0x01}));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, std::vector<int64_t>({-1}));
}

TEST(DeltaBinaryPackedTest, Int32DeltasWrapAt32Bits) {
  // INT32_MAX then INT32_MIN: the delta wraps to +1 in 32-bit arithmetic, so min delta 1
  // (zigzag 2) and width 0. zigzag(2^31 - 1) = 2^32 - 2 = ULEB128 FE FF FF FF 0F.
  const std::string expected =
      Bytes({0x80, 0x01, 0x04, 0x02, 0xFE, 0xFF, 0xFF, 0xFF, 0x0F, 0x02, 0x00, 0x00, 0x00, 0x00});
  const std::vector<int32_t> values = {std::numeric_limits<int32_t>::max(),
                                       std::numeric_limits<int32_t>::min()};
  EXPECT_EQ(Hex(Encode(values)), Hex(expected));
  Result<std::vector<int32_t>> r = Decode<int32_t>(expected);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(*r, values);
}

TEST(DeltaBinaryPackedTest, AcceptsOtherLegalLayouts) {
  // One miniblock of 128 values: 10, 11, 12 -> header 0x80 0x01, 1, 3, zigzag(10) = 0x14;
  // block: min delta 1 (0x02), one width byte 0.
  const std::string one_miniblock = Bytes({0x80, 0x01, 0x01, 0x03, 0x14, 0x02, 0x00});
  size_t size = 0;
  Result<std::vector<int32_t>> r = Decode<int32_t>(one_miniblock, 1000, &size);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(*r, std::vector<int32_t>({10, 11, 12}));
  EXPECT_EQ(size, one_miniblock.size());

  // Encoder and decoder agree on every legal layout.
  Random rnd(8);
  const DeltaBinaryPackedOptions layouts[] = {{128, 1}, {128, 2},  {128, 4},  {256, 1}, {256, 8},
                                              {384, 3}, {512, 16}, {1024, 4}, {4096, 2}};
  for (const DeltaBinaryPackedOptions& o : layouts) {
    for (size_t n : {0, 1, 2, 100, 1000, 5000}) {
      std::vector<int64_t> values(n);
      for (int64_t& v : values) v = static_cast<int64_t>(rnd.Skewed(20)) - 1000;
      const std::string enc = Encode(values, o);
      Result<std::vector<int64_t>> got = Decode<int64_t>(enc, 1 + rnd.Uniform(300));
      ASSERT_TRUE(got.ok()) << got.status().ToString();
      ASSERT_EQ(*got, values) << o.block_size << "/" << o.miniblocks_per_block << " n " << n;
    }
  }
}

TEST(DeltaBinaryPackedTest, RejectsIllegalLayouts) {
  struct Case {
    std::string data;
    const char* what;
  };
  const Case cases[] = {
      // The specification's own examples use block size 8, which it calls invalid.
      {Bytes({0x08, 0x01, 0x05, 0x02, 0x02, 0x00}), "block size 8"},
      {Bytes({0x00, 0x01, 0x05, 0x02}), "block size 0"},
      {Bytes({0xC8, 0x01, 0x01, 0x05, 0x02}), "block size 200"},
      {Bytes({0x80, 0x01, 0x00, 0x05, 0x02}), "0 miniblocks"},
      {Bytes({0x80, 0x01, 0x03, 0x05, 0x02}), "128 / 3 is not whole"},
      {Bytes({0x80, 0x01, 0x08, 0x05, 0x02}), "miniblocks of 16 values"},
      {Bytes({0x80, 0x80, 0x80, 0x80, 0x10, 0x01, 0x05, 0x02}), "block size 2^32"},
  };
  for (const Case& c : cases) {
    ExactBuffer buf(c.data);
    DeltaBinaryPackedDecoder<int32_t> d;
    Status s = d.Init(buf.data.get(), buf.size);
    EXPECT_TRUE(s.IsCorruption()) << c.what << ": " << s.ToString();
    int32_t out;
    Result<size_t> r = d.GetBatch(&out, 1);  // a failed Init leaves no values
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(*r, 0u);
  }
  std::string out;
  const int32_t v[] = {1, 2};
  EXPECT_TRUE(DeltaBinaryPackedEncode(v, 2, &out, {100, 1}).IsInvalidArgument());
  EXPECT_TRUE(DeltaBinaryPackedEncode(v, 2, &out, {128, 8}).IsInvalidArgument());
  EXPECT_TRUE(out.empty());
}

TEST(DeltaBinaryPackedTest, RejectsWidthsBeyond64) {
  // Two values with a miniblock width of 33 are legal for INT64, and for INT32 too (see
  // Int32AcceptsDeltasPackedWiderThan32Bits).
  std::string data = Bytes({0x80, 0x01, 0x04, 0x02, 0x00, 0x00, 33, 0, 0, 0});
  data.append(33 * 4, '\0');
  ExactBuffer buf(data);
  DeltaBinaryPackedDecoder<int32_t> d32;
  EXPECT_TRUE(d32.Init(buf.data.get(), buf.size).ok());
  DeltaBinaryPackedDecoder<int64_t> d64;
  EXPECT_TRUE(d64.Init(buf.data.get(), buf.size).ok());

  // Width 65 fits neither: the width byte is at offset 6.
  std::string data65 = Bytes({0x80, 0x01, 0x04, 0x02, 0x00, 0x00, 65, 0, 0, 0});
  data65.append(65 * 4, '\0');
  ExactBuffer buf65(data65);
  Status s = d32.Init(buf65.data.get(), buf65.size);
  ASSERT_TRUE(s.IsCorruption());
  EXPECT_NE(s.message().find("byte offset 6"), std::string::npos) << s.ToString();
  EXPECT_TRUE(d64.Init(buf65.data.get(), buf65.size).IsCorruption());

  // A first value that is neither an int32 nor a uint32: 2^32, zigzag 2^33 = ULEB128
  // 80 80 80 80 20.
  ExactBuffer big(Bytes({0x80, 0x01, 0x04, 0x01, 0x80, 0x80, 0x80, 0x80, 0x20}));
  EXPECT_TRUE(d32.Init(big.data.get(), big.size).IsCorruption());
  EXPECT_TRUE(d64.Init(big.data.get(), big.size).ok());
  // 2^31 and 2^32 - 1 are uint32 readings of 32-bit patterns, as DuckDB writes UINT_32
  // columns: zigzag(2^31) = 2^32 = ULEB128 80 80 80 80 10.
  Result<std::vector<int32_t>> r =
      Decode<int32_t>(Bytes({0x80, 0x01, 0x04, 0x01, 0x80, 0x80, 0x80, 0x80, 0x10}));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(*r, std::vector<int32_t>{std::numeric_limits<int32_t>::min()});
  // zigzag(2^32 - 1) = 2^33 - 2 = ULEB128 FE FF FF FF 1F.
  r = Decode<int32_t>(Bytes({0x80, 0x01, 0x04, 0x01, 0xFE, 0xFF, 0xFF, 0xFF, 0x1F}));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(*r, std::vector<int32_t>{-1});
}

// INT32 values encoded the way DuckDB's writer (PARQUET_VERSION V2) does: deltas and the
// min delta computed in 64 bits, so a column spanning the int32 range needs 33-bit
// miniblocks. The format asks readers to accept these (PARQUET-2435); the 32-bit sum of the
// low bits restores the values. One block of 128 values, 4 miniblocks of 32.
std::string EncodeInt32With64BitDeltas(const std::vector<int32_t>& values) {
  auto uleb = [](uint64_t v, std::string* out) {
    do {
      out->push_back(static_cast<char>((v & 0x7F) | (v > 0x7F ? 0x80 : 0)));
      v >>= 7;
    } while (v > 0);
  };
  auto zigzag = [](int64_t v) { return (static_cast<uint64_t>(v) << 1) ^ (v >> 63); };
  std::string out;
  uleb(128, &out);
  uleb(4, &out);
  uleb(values.size(), &out);
  uleb(zigzag(values[0]), &out);
  for (size_t block = 1; block < values.size(); block += 128) {
    const size_t end = std::min(values.size(), block + 128);
    std::vector<int64_t> deltas;
    for (size_t i = block; i < end; i++) deltas.push_back(int64_t{values[i]} - values[i - 1]);
    const int64_t min_delta = *std::min_element(deltas.begin(), deltas.end());
    uleb(zigzag(min_delta), &out);
    std::vector<uint64_t> relative(128, 0);
    for (size_t i = 0; i < deltas.size(); i++) {
      relative[i] = static_cast<uint64_t>(deltas[i] - min_delta);
    }
    const size_t widths_at = out.size();
    out.append(4, '\0');
    for (size_t m = 0; m * 32 < deltas.size(); m++) {
      const int width =
          BitWidthOf(*std::max_element(relative.begin() + m * 32, relative.begin() + (m + 1) * 32));
      out[widths_at + m] = static_cast<char>(width);
      std::string packed(BitPackedSize(32, width), '\0');
      Pack64(relative.data() + m * 32, 32, width, reinterpret_cast<uint8_t*>(packed.data()));
      out += packed;
    }
  }
  return out;
}

TEST(DeltaBinaryPackedTest, Int32AcceptsDeltasPackedWiderThan32Bits) {
  // The sequence of apache/arrow#20374: one miniblock at width 33.
  const std::vector<int32_t> small = {863490391, -816295192, 1613070492, -1166045478, 1856530847};
  const std::string encoded = EncodeInt32With64BitDeltas(small);
  // The first width byte follows a 9-byte header (4 bytes, then the first value's 5) and the
  // min delta's 5 bytes.
  ASSERT_EQ(encoded[14], 33) << Hex(encoded);
  Result<std::vector<int32_t>> r = Decode<int32_t>(encoded);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(*r, small);

  // Several blocks of values spanning the int32 range, read in batches of 1 (through the
  // decoder's group buffer) and of 100 (unpacked in place).
  Random rnd(2435);
  std::vector<int32_t> values(1000);
  for (int32_t& v : values) v = static_cast<int32_t>(rnd.Next());
  values[1] = std::numeric_limits<int32_t>::min();
  values[2] = std::numeric_limits<int32_t>::max();
  const std::string wide = EncodeInt32With64BitDeltas(values);
  for (size_t batch : {size_t{1}, size_t{100}}) {
    size_t encoded_size = 0;
    Result<std::vector<int32_t>> got = Decode<int32_t>(wide, batch, &encoded_size);
    ASSERT_TRUE(got.ok()) << got.status().ToString();
    EXPECT_EQ(*got, values);
    EXPECT_EQ(encoded_size, wide.size());
  }
}

TEST(DeltaBinaryPackedTest, UnneededMiniblockWidthsAreIgnored) {
  // Example 1 with garbage in the width bytes of the three unneeded miniblocks: the reader
  // must accept any value there.
  std::string data = kExample1;
  data[7] = static_cast<char>(0xFF);
  data[8] = 77;
  data[9] = 3;
  Result<std::vector<int32_t>> r = Decode<int32_t>(data);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(*r, std::vector<int32_t>({1, 2, 3, 4, 5}));
}

TEST(DeltaBinaryPackedTest, ReportsWhereTheStreamEnds) {
  const std::vector<int32_t> values = {5, 9, -3, 100000, 7, 7, 7};
  std::string data = Encode(values);
  const size_t size = data.size();
  data += "trailing bytes of the next stream";
  size_t encoded_size = 0;
  Result<std::vector<int32_t>> r = Decode<int32_t>(data, 2, &encoded_size);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, values);
  EXPECT_EQ(encoded_size, size);
}

template <typename T>
std::vector<T> MakeValues(Random* rnd, size_t n, int pattern) {
  using Limits = std::numeric_limits<T>;
  std::vector<T> v(n);
  T x = static_cast<T>(rnd->Next());
  for (size_t i = 0; i < n; i++) {
    switch (pattern) {
      case 0:  // uniformly random over the type: deltas of every size, wrapping
        v[i] = static_cast<T>(rnd->Next());
        break;
      case 1:  // small steps
        x = static_cast<T>(static_cast<std::make_unsigned_t<T>>(x) + rnd->Uniform(20) - 10);
        v[i] = x;
        break;
      case 2:  // sorted timestamps
        x = static_cast<T>(static_cast<std::make_unsigned_t<T>>(x) + rnd->Skewed(16));
        v[i] = x;
        break;
      case 3:  // constant
        v[i] = 42;
        break;
      case 4:  // extremes: deltas of +-(2^bits - 1) and overflow in both directions
        v[i] = rnd->OneIn(2) ? Limits::min() : Limits::max();
        if (rnd->OneIn(5)) v[i] = 0;
        break;
      case 5:  // mostly small with rare huge outliers, so miniblock widths vary
        v[i] = rnd->OneIn(50) ? static_cast<T>(rnd->Next()) : static_cast<T>(rnd->Uniform(100));
        break;
    }
  }
  return v;
}

const size_t kSizes[] = {0, 1, 7, 8, 9, 127, 128, 129, 1000, 100000};

template <typename T>
void RoundTrips() {
  Random rnd(sizeof(T));
  for (size_t n : kSizes) {
    for (int pattern = 0; pattern < 6; pattern++) {
      const std::vector<T> values = MakeValues<T>(&rnd, n, pattern);
      const std::string enc = Encode(values);
      ExactBuffer buf(enc);
      DeltaBinaryPackedDecoder<T> d;
      ASSERT_TRUE(d.Init(buf.data.get(), buf.size).ok());
      EXPECT_EQ(d.total_values(), n);
      EXPECT_EQ(d.encoded_size(), enc.size());
      std::vector<T> got(n);
      size_t done = 0;
      while (done < n) {
        const size_t want = std::min<size_t>(n - done, 1 + rnd.Uniform(rnd.OneIn(3) ? 500 : 40));
        Result<size_t> r = d.GetBatch(got.data() + done, want);
        ASSERT_TRUE(r.ok()) << r.status().ToString();
        ASSERT_EQ(*r, want);
        done += want;
      }
      ASSERT_EQ(got, values) << "n " << n << " pattern " << pattern;
      T extra;
      EXPECT_EQ(*d.GetBatch(&extra, 1), 0u);
    }
  }
}

TEST(DeltaBinaryPackedTest, RoundTripsInt32) { RoundTrips<int32_t>(); }
TEST(DeltaBinaryPackedTest, RoundTripsInt64) { RoundTrips<int64_t>(); }

TEST(DeltaBinaryPackedTest, Int64ExtremeDeltasUseWidth64) {
  // INT64_MIN, INT64_MAX, INT64_MIN: deltas -1 (wrapped from 2^64 - 1) and +1, min -1;
  // relative deltas 0 and 2. INT64_MIN, 0, INT64_MAX, INT64_MIN: deltas 2^63 (wraps to
  // INT64_MIN), 2^63 - 1, 1: min INT64_MIN, relative 0, 2^64 - 1, 2^63 + 1 -> width 64.
  for (const std::vector<int64_t>& values :
       {std::vector<int64_t>{INT64_MIN, INT64_MAX, INT64_MIN},
        std::vector<int64_t>{INT64_MIN, 0, INT64_MAX, INT64_MIN}}) {
    const std::string enc = Encode(values);
    Result<std::vector<int64_t>> r = Decode<int64_t>(enc);
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    EXPECT_EQ(*r, values);
  }
  const std::string enc = Encode(std::vector<int64_t>{INT64_MIN, 0, INT64_MAX, INT64_MIN});
  // Header 5 bytes (zigzag(INT64_MIN) = 2^64 - 1 takes 10 bytes): 0x80 0x01, 4, 4, then 10;
  // min delta zigzag(INT64_MIN) 10 bytes; width byte of miniblock 0 follows.
  ASSERT_GT(enc.size(), 24u);
  EXPECT_EQ(static_cast<uint8_t>(enc[14 + 10]), 64);
}

TEST(DeltaBinaryPackedTest, TruncationAtEveryOffset) {
  Random rnd(12);
  for (int pattern = 0; pattern < 6; pattern++) {
    const std::vector<int64_t> values = MakeValues<int64_t>(&rnd, 300, pattern);
    const std::string enc = Encode(values);
    // Every byte up to the end of the last (padded) miniblock is needed: any shorter prefix
    // fails in Init.
    for (size_t len = 0; len < enc.size(); len++) {
      ExactBuffer buf(enc.substr(0, len));
      DeltaBinaryPackedDecoder<int64_t> d;
      Status s = d.Init(buf.data.get(), buf.size);
      ASSERT_TRUE(s.IsCorruption()) << "pattern " << pattern << " length " << len;
      EXPECT_NE(s.message().find("byte offset"), std::string::npos);
    }
  }
}

TEST(DeltaBinaryPackedTest, RandomCorruption) {
  Random rnd(77);
  for (int iter = 0; iter < test::Iterations(3000, 200000); iter++) {
    std::string enc =
        Encode(MakeValues<int32_t>(&rnd, rnd.Uniform(700), iter % 6),
               iter % 2 ? DeltaBinaryPackedOptions{} : DeltaBinaryPackedOptions{256, 2});
    const int flips = 1 + static_cast<int>(rnd.Uniform(3));
    for (int f = 0; f < flips; f++) {
      enc[rnd.Uniform(static_cast<uint32_t>(enc.size()))] ^=
          static_cast<char>(1 + rnd.Uniform(255));
    }
    ExactBuffer buf(enc);
    DeltaBinaryPackedDecoder<int32_t> d;
    if (!d.Init(buf.data.get(), buf.size).ok()) continue;
    ASSERT_LE(d.encoded_size(), buf.size);
    std::vector<int32_t> out(333);
    for (size_t total = 0; total < (1 << 20);) {
      Result<size_t> r = d.GetBatch(out.data(), out.size());
      if (!r.ok() || *r == 0) break;
      total += *r;
    }
  }
}

TEST(DeltaBinaryPackedTest, HugeClaimedCountsAllocateNothing) {
  // Block size 2^31 (ULEB128 80 80 80 80 08) in one miniblock, 2^31 values, first value 0;
  // one block: min delta 0, width 0. Fourteen bytes that legally hold 2^31 zeros.
  const std::string data =
      Bytes({0x80, 0x80, 0x80, 0x80, 0x08, 0x01, 0x80, 0x80, 0x80, 0x80, 0x08, 0x00, 0x00, 0x00});
  ExactBuffer buf(data);
  const size_t before = test::HeapInUse();
  DeltaBinaryPackedDecoder<int64_t> d;
  ASSERT_TRUE(d.Init(buf.data.get(), buf.size).ok());
  EXPECT_EQ(d.total_values(), uint64_t{1} << 31);
  std::vector<int64_t> out(1000, -1);
  const size_t with_output = test::HeapInUse();
  for (int i = 0; i < 5; i++) {
    Result<size_t> r = d.GetBatch(out.data(), out.size());
    ASSERT_TRUE(r.ok());
    ASSERT_EQ(*r, out.size());
  }
  EXPECT_EQ(out[999], 0);
  EXPECT_EQ(test::HeapInUse(), with_output);
  EXPECT_LT(with_output - before, 16 * 1024u);

  // 2^31 values claimed over 128-value blocks that are not there: Init fails at once.
  ExactBuffer missing(
      Bytes({0x80, 0x01, 0x04, 0x80, 0x80, 0x80, 0x80, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00}));
  EXPECT_TRUE(d.Init(missing.data.get(), missing.size).IsCorruption());
}

}  // namespace
}  // namespace strata::parquet
