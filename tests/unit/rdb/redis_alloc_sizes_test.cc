// The allocation sizes the memory model is built on, checked against hand-worked values:
// jemalloc's size classes (8, then 16-byte steps to 64, then four classes per doubling),
// sds headers, listpack entry encodings and intset widths.
#include "rdb/redis_alloc_sizes.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <utility>

namespace strata::rdb {
namespace {

TEST(RedisAllocSizesTest, JemallocSmallClasses) {
  // Request -> class, around every boundary of the small classes.
  const std::pair<uint64_t, uint64_t> cases[] = {
      {0, 8},       {1, 8},        {8, 8},         {9, 16},        {16, 16},     {17, 32},
      {32, 32},     {33, 48},      {48, 48},       {49, 64},       {64, 64},     {65, 80},
      {80, 80},     {81, 96},      {96, 96},       {97, 112},      {112, 112},   {113, 128},
      {128, 128},   {129, 160},    {160, 160},     {161, 192},     {192, 192},   {193, 224},
      {224, 224},   {225, 256},    {256, 256},     {257, 320},     {320, 320},   {321, 384},
      {384, 384},   {385, 448},    {448, 448},     {449, 512},     {512, 512},   {513, 640},
      {640, 640},   {641, 768},    {769, 896},     {897, 1024},    {1025, 1280}, {1281, 1536},
      {1537, 1792}, {1793, 2048},  {2049, 2560},   {3000, 3072},   {3585, 4096}, {4097, 5120},
      {7169, 8192}, {8193, 10240}, {14336, 14336}, {14337, 16384},
  };
  for (const auto& [request, size_class] : cases) {
    EXPECT_EQ(JemallocSizeClass(request), size_class) << request;
  }
}

TEST(RedisAllocSizesTest, JemallocLargeClassesFollowTheSameRule) {
  // Four classes per doubling, spaced a quarter of the group's base apart.
  EXPECT_EQ(JemallocSizeClass(16385), 20480u);
  EXPECT_EQ(JemallocSizeClass(20481), 24576u);
  EXPECT_EQ(JemallocSizeClass(28673), 32768u);
  EXPECT_EQ(JemallocSizeClass(1u << 20), 1u << 20);
  EXPECT_EQ(JemallocSizeClass((1u << 20) + 1), 1310720u);  // 1 MiB + 256 KiB
  EXPECT_EQ(JemallocSizeClass(3000000), 3145728u);         // 3 MiB
  EXPECT_EQ(JemallocSizeClass(uint64_t{5} << 30), uint64_t{5} << 30);
  // Every class is a fixed point, and the next byte moves to the next class.
  for (uint64_t n = 1; n < 100000; n++) {
    const uint64_t c = JemallocSizeClass(n);
    ASSERT_GE(c, n);
    ASSERT_EQ(JemallocSizeClass(c), c);
    // The waste stays below a quarter of the class (the 16-byte quantum for the smallest).
    ASSERT_LT(c - n, std::max<uint64_t>(16, c / 4)) << n;
  }
}

TEST(RedisAllocSizesTest, SdsAllocations) {
  // sdshdr5 below 32 bytes: header 1 + bytes + NUL.
  EXPECT_EQ(SdsAllocSize(1), 8u);    // 3
  EXPECT_EQ(SdsAllocSize(6), 8u);    // 8
  EXPECT_EQ(SdsAllocSize(7), 16u);   // 9
  EXPECT_EQ(SdsAllocSize(14), 16u);  // 16
  EXPECT_EQ(SdsAllocSize(15), 32u);  // 17
  EXPECT_EQ(SdsAllocSize(31), 48u);  // 33
  // sdshdr8 from 32 bytes (and for the empty string).
  EXPECT_EQ(SdsAllocSize(0), 8u);      // 4
  EXPECT_EQ(SdsAllocSize(32), 48u);    // 36
  EXPECT_EQ(SdsAllocSize(44), 48u);    // 48
  EXPECT_EQ(SdsAllocSize(45), 64u);    // 49
  EXPECT_EQ(SdsAllocSize(100), 112u);  // 104
  EXPECT_EQ(SdsAllocSize(255), 320u);  // 259
  // sdshdr16 from 256 bytes, sdshdr32 from 64 KiB.
  EXPECT_EQ(SdsAllocSize(256), 320u);      // 262
  EXPECT_EQ(SdsAllocSize(300), 320u);      // 306
  EXPECT_EQ(SdsAllocSize(315), 384u);      // 321
  EXPECT_EQ(SdsAllocSize(65535), 81920u);  // 65541
  EXPECT_EQ(SdsAllocSize(65536), 81920u);  // 65546
}

TEST(RedisAllocSizesTest, ListpackEntries) {
  // Text: 1-byte encoding below 64 bytes, 2 below 4096, else 5; back-length 1 byte up to
  // 127 bytes of encoding and data, 2 below 16383.
  EXPECT_EQ(ListpackStringEntryBytes(0), 2u);
  EXPECT_EQ(ListpackStringEntryBytes(1), 3u);
  EXPECT_EQ(ListpackStringEntryBytes(63), 65u);
  EXPECT_EQ(ListpackStringEntryBytes(64), 67u);    // 2 + 64, then 1
  EXPECT_EQ(ListpackStringEntryBytes(125), 128u);  // 127 encoded: 1-byte back-length
  EXPECT_EQ(ListpackStringEntryBytes(126), 130u);  // 128 encoded: 2-byte back-length
  EXPECT_EQ(ListpackStringEntryBytes(4095), 4099u);
  EXPECT_EQ(ListpackStringEntryBytes(4096), 4103u);  // 5 + 4096, then 2
  // Integers: 7-bit unsigned, 13-bit, 16-, 24-, 32-, 64-bit; one back-length byte.
  EXPECT_EQ(ListpackIntEntryBytes(0), 2u);
  EXPECT_EQ(ListpackIntEntryBytes(127), 2u);
  EXPECT_EQ(ListpackIntEntryBytes(128), 3u);
  EXPECT_EQ(ListpackIntEntryBytes(-1), 3u);
  EXPECT_EQ(ListpackIntEntryBytes(4095), 3u);
  EXPECT_EQ(ListpackIntEntryBytes(-4096), 3u);
  EXPECT_EQ(ListpackIntEntryBytes(4096), 4u);
  EXPECT_EQ(ListpackIntEntryBytes(-32768), 4u);
  EXPECT_EQ(ListpackIntEntryBytes(32768), 5u);
  EXPECT_EQ(ListpackIntEntryBytes(8388607), 5u);
  EXPECT_EQ(ListpackIntEntryBytes(8388608), 6u);
  EXPECT_EQ(ListpackIntEntryBytes(INT32_MIN), 6u);
  EXPECT_EQ(ListpackIntEntryBytes(int64_t{INT32_MAX} + 1), 10u);
  EXPECT_EQ(ListpackIntEntryBytes(INT64_MIN), 10u);
}

TEST(RedisAllocSizesTest, IntsetWidths) {
  EXPECT_EQ(IntsetWidth(0), 2);
  EXPECT_EQ(IntsetWidth(-32768), 2);
  EXPECT_EQ(IntsetWidth(32768), 4);
  EXPECT_EQ(IntsetWidth(INT32_MIN), 4);
  EXPECT_EQ(IntsetWidth(int64_t{INT32_MAX} + 1), 8);
}

}  // namespace
}  // namespace strata::rdb
