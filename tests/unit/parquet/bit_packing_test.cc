#include "parquet/bit_packing.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "base/random.h"

namespace strata::parquet {
namespace {

// Expected bytes are worked out by hand from the Parquet specification (Encodings.md, the
// RLE/bit-packing hybrid: values packed from the least significant bit of each byte), or
// produced by ReferencePack below, which follows that definition one bit at a time.
std::vector<uint8_t> Bytes(std::initializer_list<int> bytes) {
  std::vector<uint8_t> v;
  for (int b : bytes) v.push_back(static_cast<uint8_t>(b));
  return v;
}

// Bit j of value i is stream bit i * width + j, and stream bit b is bit b % 8 of byte b / 8.
std::vector<uint8_t> ReferencePack(const std::vector<uint64_t>& values, int width) {
  std::vector<uint8_t> out((values.size() * width + 7) / 8, 0);
  for (size_t i = 0; i < values.size(); i++) {
    for (int j = 0; j < width; j++) {
      if ((values[i] >> j) & 1) {
        const size_t bit = i * width + j;
        out[bit / 8] |= static_cast<uint8_t>(1u << (bit % 8));
      }
    }
  }
  return out;
}

uint64_t Mask(int width) { return width == 64 ? ~uint64_t{0} : (uint64_t{1} << width) - 1; }

// A heap copy of exactly the given bytes, so that ASan reports any read past the end.
std::unique_ptr<uint8_t[]> ExactCopy(const std::vector<uint8_t>& bytes) {
  auto copy = std::make_unique<uint8_t[]>(bytes.size());
  if (!bytes.empty()) std::memcpy(copy.get(), bytes.data(), bytes.size());
  return copy;
}

const size_t kSizes[] = {0, 1, 7, 8, 9, 31, 32, 33, 63, 64, 65, 127, 128, 129, 1000};

TEST(BitPackingTest, SpecExampleZeroToSevenAtWidth3) {
  // The specification's example: 0..7 at width 3 is 10001000 11000110 11111010.
  const uint32_t values[8] = {0, 1, 2, 3, 4, 5, 6, 7};
  uint8_t packed[3];
  Pack32(values, 8, 3, packed);
  EXPECT_EQ(std::vector<uint8_t>(packed, packed + 3), Bytes({0x88, 0xC6, 0xFA}));
  uint32_t unpacked[8];
  Unpack32(packed, 8, 3, unpacked);
  EXPECT_EQ(std::vector<uint32_t>(unpacked, unpacked + 8),
            std::vector<uint32_t>(values, values + 8));
}

TEST(BitPackingTest, HandComputedWidths) {
  {
    // Width 1: 1,0,1,1,0,0,0,0 sets bits 0, 2 and 3: 0b00001101.
    const uint32_t v[8] = {1, 0, 1, 1, 0, 0, 0, 0};
    uint8_t out[1];
    Pack32(v, 8, 1, out);
    EXPECT_EQ(out[0], 0x0D);
  }
  {
    // Width 5: 31 fills bits 0-4, 1 sets bit 5: 0b00111111, then bits 8-9 are zero.
    const uint32_t v[2] = {31, 1};
    uint8_t out[2];
    Pack32(v, 2, 5, out);
    EXPECT_EQ(std::vector<uint8_t>(out, out + 2), Bytes({0x3F, 0x00}));
  }
  {
    // Width 12: 0xABC in bits 0-11 (byte 0 = 0xBC, low nibble of byte 1 = 0xA), 0x123 in bits
    // 12-23 (high nibble of byte 1 = 0x3, byte 2 = 0x12).
    const uint32_t v[2] = {0xABC, 0x123};
    uint8_t out[3];
    Pack32(v, 2, 12, out);
    EXPECT_EQ(std::vector<uint8_t>(out, out + 3), Bytes({0xBC, 0x3A, 0x12}));
  }
  {
    // Width 32 is the little-endian image.
    const uint32_t v[1] = {0x01020304};
    uint8_t out[4];
    Pack32(v, 1, 32, out);
    EXPECT_EQ(std::vector<uint8_t>(out, out + 4), Bytes({0x04, 0x03, 0x02, 0x01}));
  }
  {
    // Width 33: 2^32 + 1 sets bits 0 and 32; 1 sets bit 33. 66 bits take 9 bytes.
    const uint64_t v[2] = {(uint64_t{1} << 32) + 1, 1};
    uint8_t out[9];
    Pack64(v, 2, 33, out);
    EXPECT_EQ(std::vector<uint8_t>(out, out + 9), Bytes({0x01, 0, 0, 0, 0x03, 0, 0, 0, 0}));
  }
  {
    const uint64_t v[1] = {0x0102030405060708ull};
    uint8_t out[8];
    Pack64(v, 1, 64, out);
    EXPECT_EQ(std::vector<uint8_t>(out, out + 8), Bytes({8, 7, 6, 5, 4, 3, 2, 1}));
  }
}

TEST(BitPackingTest, SizesAndWidths) {
  EXPECT_EQ(BitPackedSize(0, 7), 0u);
  EXPECT_EQ(BitPackedSize(8, 3), 3u);
  EXPECT_EQ(BitPackedSize(9, 3), 4u);
  EXPECT_EQ(BitPackedSize(32, 17), 68u);
  EXPECT_EQ(BitPackedSize(1000, 0), 0u);
  EXPECT_EQ(BitWidthOf(0), 0);
  EXPECT_EQ(BitWidthOf(1), 1);
  EXPECT_EQ(BitWidthOf(2), 2);
  EXPECT_EQ(BitWidthOf(3), 2);
  EXPECT_EQ(BitWidthOf(255), 8);
  EXPECT_EQ(BitWidthOf(256), 9);
  EXPECT_EQ(BitWidthOf(~uint64_t{0}), 64);
}

// Every width and many sizes against the bit-by-bit reference, from buffers of exactly the
// packed size (ASan catches a read or write past them).
TEST(BitPackingTest, MatchesReference32) {
  Random rnd(32);
  for (int width = 0; width <= 32; width++) {
    for (size_t n : kSizes) {
      std::vector<uint64_t> values(n);
      std::vector<uint32_t> values32(n);
      for (size_t i = 0; i < n; i++) {
        values32[i] = static_cast<uint32_t>(rnd.Next() & Mask(width));
        values[i] = values32[i];
      }
      const std::vector<uint8_t> expected = ReferencePack(values, width);
      ASSERT_EQ(expected.size(), BitPackedSize(n, width));

      auto packed = std::make_unique<uint8_t[]>(expected.size());
      Pack32(values32.data(), n, width, packed.get());
      ASSERT_EQ(std::vector<uint8_t>(packed.get(), packed.get() + expected.size()), expected)
          << "width " << width << " n " << n;

      auto input = ExactCopy(expected);
      std::vector<uint32_t> unpacked(n + 1, 0xDEADBEEF);
      Unpack32(input.get(), n, width, unpacked.data());
      ASSERT_EQ(std::vector<uint32_t>(unpacked.begin(), unpacked.begin() + n), values32)
          << "width " << width << " n " << n;
      EXPECT_EQ(unpacked[n], 0xDEADBEEF) << "wrote past the end";
    }
  }
}

TEST(BitPackingTest, MatchesReference64) {
  Random rnd(64);
  for (int width = 0; width <= 64; width++) {
    for (size_t n : kSizes) {
      std::vector<uint64_t> values(n);
      for (uint64_t& v : values) v = rnd.Next() & Mask(width);
      // Make sure the extremes appear.
      if (n >= 2) {
        values[0] = Mask(width);
        values[n - 1] = 0;
      }
      const std::vector<uint8_t> expected = ReferencePack(values, width);
      auto packed = std::make_unique<uint8_t[]>(expected.size());
      Pack64(values.data(), n, width, packed.get());
      ASSERT_EQ(std::vector<uint8_t>(packed.get(), packed.get() + expected.size()), expected)
          << "width " << width << " n " << n;

      auto input = ExactCopy(expected);
      std::vector<uint64_t> unpacked(n + 1, 0xDEADBEEF);
      Unpack64(input.get(), n, width, unpacked.data());
      ASSERT_EQ(std::vector<uint64_t>(unpacked.begin(), unpacked.begin() + n), values)
          << "width " << width << " n " << n;
      EXPECT_EQ(unpacked[n], 0xDEADBEEFu) << "wrote past the end";
    }
  }
}

TEST(BitPackingTest, PackDropsBitsAboveTheWidth) {
  for (int width = 1; width < 32; width++) {
    std::vector<uint32_t> values(40, ~uint32_t{0});
    std::vector<uint8_t> packed(BitPackedSize(40, width));
    Pack32(values.data(), 40, width, packed.data());
    std::vector<uint32_t> unpacked(40);
    Unpack32(packed.data(), 40, width, unpacked.data());
    for (uint32_t v : unpacked) ASSERT_EQ(v, static_cast<uint32_t>(Mask(width)));
    // 40 values leave no partial byte at any width; check a count that does.
    std::vector<uint8_t> odd(BitPackedSize(3, width));
    Pack32(values.data(), 3, width, odd.data());
    const int used_bits = (3 * width) % 8;
    if (used_bits != 0) {
      EXPECT_EQ(odd.back() >> used_bits, 0) << "padding bits must be zero, width " << width;
    }
  }
}

TEST(BitPackingTest, LargeUnalignedBatches) {
  // 100000 values start no group on a 32-value boundary after the first.
  Random rnd(7);
  for (int width : {1, 2, 3, 5, 8, 13, 17, 24, 31, 32}) {
    const size_t n = 100000 + 5;
    std::vector<uint32_t> values(n);
    for (uint32_t& v : values) v = static_cast<uint32_t>(rnd.Next() & Mask(width));
    std::vector<uint8_t> packed(BitPackedSize(n, width));
    Pack32(values.data(), n, width, packed.data());
    std::vector<uint64_t> wide(values.begin(), values.end());
    ASSERT_EQ(packed, ReferencePack(wide, width));
    std::vector<uint32_t> unpacked(n);
    Unpack32(packed.data(), n, width, unpacked.data());
    ASSERT_EQ(unpacked, values);
  }
}

TEST(BitPackingTest, BitsToBytes) {
  // 0x0D = bits 0, 2, 3; 0x80 = bit 15 overall; the third byte holds one value: bit 16.
  const std::vector<uint8_t> packed = Bytes({0x0D, 0x80, 0x01});
  auto input = ExactCopy(packed);
  std::vector<uint8_t> out(17);
  UnpackBits(input.get(), 17, out.data());
  const std::vector<uint8_t> expected = {1, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1};
  EXPECT_EQ(out, expected);

  // Any non-zero byte packs as a 1.
  const std::vector<uint8_t> bools = {7, 0, 255, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 9};
  std::vector<uint8_t> repacked(3, 0xFF);
  PackBits(bools.data(), 17, repacked.data());
  EXPECT_EQ(repacked, packed);

  Random rnd(11);
  for (size_t n : kSizes) {
    std::vector<uint8_t> v(n);
    std::vector<uint64_t> wide(n);
    for (size_t i = 0; i < n; i++) wide[i] = v[i] = rnd.Next() & 1;
    std::vector<uint8_t> p(BitPackedSize(n, 1));
    PackBits(v.data(), n, p.data());
    ASSERT_EQ(p, ReferencePack(wide, 1));
    auto exact = ExactCopy(p);
    std::vector<uint8_t> back(n);
    UnpackBits(exact.get(), n, back.data());
    ASSERT_EQ(back, v);
  }
}

}  // namespace
}  // namespace strata::parquet
