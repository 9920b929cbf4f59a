// Statistics in TYPE_ORDER, with expected bounds worked out by hand from the values.
#include "parquet/statistics.h"

#include <gtest/gtest.h>

#include <cstring>
#include <limits>
#include <string>

namespace strata::parquet {
namespace {

template <typename T>
std::string Bytes(T v) {
  return std::string(reinterpret_cast<const char*>(&v), sizeof(T));
}

TEST(StatisticsTest, SignedInt32) {
  const ColumnSpec c = IntColumn("x", 32, true);
  ColumnVector v(Type::kInt32);
  for (int32_t x : {5, -3, 7}) v.AppendInt32(x);
  StatisticsBuilder s(c, 64);
  s.Update(v, 0, v.size());
  const Statistics t = s.ToThrift();
  EXPECT_EQ(*t.min_value, Bytes<int32_t>(-3));
  EXPECT_EQ(*t.max_value, Bytes<int32_t>(7));
  EXPECT_EQ(*t.null_count, 0);
  EXPECT_TRUE(*t.is_min_value_exact && *t.is_max_value_exact);
  EXPECT_FALSE(t.nan_count.has_value());
}

TEST(StatisticsTest, UnsignedColumnsCompareUnsigned) {
  // uint32 stored in INT32: -1 is 4294967295, the largest value.
  ColumnVector v32(Type::kInt32);
  for (int32_t x : {-1, 1, 7}) v32.AppendInt32(x);
  StatisticsBuilder s32(IntColumn("u", 32, false), 64);
  s32.Update(v32, 0, v32.size());
  EXPECT_EQ(s32.EncodedMin(), Bytes<int32_t>(1));
  EXPECT_EQ(s32.EncodedMax(), Bytes<int32_t>(-1));
  // uint64: 0 is the smallest, all-ones the largest.
  ColumnVector v64(Type::kInt64);
  for (int64_t x : {int64_t{-1}, int64_t{0}, std::numeric_limits<int64_t>::min()}) {
    v64.AppendInt64(x);
  }
  StatisticsBuilder s64(IntColumn("u", 64, false), 64);
  s64.Update(v64, 0, v64.size());
  EXPECT_EQ(s64.EncodedMin(), Bytes<int64_t>(0));
  EXPECT_EQ(s64.EncodedMax(), Bytes<int64_t>(-1));
}

TEST(StatisticsTest, NaNIsCountedNeverABound) {
  ColumnVector v(Type::kDouble);
  for (double x : {std::numeric_limits<double>::quiet_NaN(), 2.5, -1.0}) v.AppendDouble(x);
  StatisticsBuilder s(DoubleColumn("d"), 64);
  s.Update(v, 0, v.size());
  const Statistics t = s.ToThrift();
  EXPECT_EQ(*t.min_value, Bytes(-1.0));
  EXPECT_EQ(*t.max_value, Bytes(2.5));
  EXPECT_EQ(*t.nan_count, 1);

  ColumnVector only_nan(Type::kFloat);
  only_nan.AppendFloat(std::numeric_limits<float>::quiet_NaN());
  only_nan.AppendFloat(std::numeric_limits<float>::quiet_NaN());
  StatisticsBuilder n(FloatColumn("f"), 64);
  n.Update(only_nan, 0, only_nan.size());
  const Statistics u = n.ToThrift();
  EXPECT_FALSE(u.min_value.has_value());
  EXPECT_FALSE(u.max_value.has_value());
  EXPECT_EQ(*u.nan_count, 2);
}

TEST(StatisticsTest, ZeroBoundsAreSignedZeros) {
  // A zero minimum is written as -0.0, a zero maximum as +0.0, whichever zero was seen.
  ColumnVector a(Type::kDouble);
  a.AppendDouble(0.0);
  a.AppendDouble(1.0);
  StatisticsBuilder s(DoubleColumn("d"), 64);
  s.Update(a, 0, a.size());
  const uint64_t neg_zero = uint64_t{1} << 63;
  EXPECT_EQ(s.EncodedMin(), Bytes(neg_zero));
  ColumnVector b(Type::kFloat);
  b.AppendFloat(-5.0f);
  b.AppendFloat(-0.0f);
  StatisticsBuilder f(FloatColumn("f"), 64);
  f.Update(b, 0, b.size());
  EXPECT_EQ(f.EncodedMax(), Bytes(uint32_t{0}));
}

TEST(StatisticsTest, ByteArraysCompareAsUnsignedBytes) {
  ColumnVector v(Type::kByteArray);
  v.AppendBytes("\xff");
  v.AppendBytes("a");
  v.AppendBytes("ab");
  v.AppendNull();
  StatisticsBuilder s(BinaryColumn("b", true), 64);
  s.Update(v, 0, v.size());
  const Statistics t = s.ToThrift();
  EXPECT_EQ(*t.min_value, "a");
  EXPECT_EQ(*t.max_value, "\xff");
  EXPECT_EQ(*t.null_count, 1);
}

TEST(StatisticsTest, LongByteArraysAreTruncatedAndMarkedInexact) {
  ColumnVector v(Type::kByteArray);
  v.AppendBytes(std::string(70, 'a'));
  StatisticsBuilder s(StringColumn("s"), 64);
  s.Update(v, 0, v.size());
  const Statistics t = s.ToThrift();
  EXPECT_EQ(*t.min_value, std::string(64, 'a'));
  EXPECT_EQ(*t.max_value, std::string(63, 'a') + "b");
  EXPECT_FALSE(*t.is_min_value_exact);
  EXPECT_FALSE(*t.is_max_value_exact);

  // A prefix of 0xFF bytes cannot be incremented: the maximum stays whole and exact.
  ColumnVector w(Type::kByteArray);
  w.AppendBytes(std::string(70, '\xff'));
  StatisticsBuilder m(BinaryColumn("b"), 64);
  m.Update(w, 0, w.size());
  EXPECT_EQ(m.EncodedMax(), std::string(70, '\xff'));
  EXPECT_TRUE(m.max_exact());
  // "ab\xff\xff..." truncated to 4 bytes: the trailing 0xFF go, then 'b' becomes 'c'.
  ColumnVector x(Type::kByteArray);
  x.AppendBytes(std::string("ab") + std::string(10, '\xff'));
  StatisticsBuilder k(BinaryColumn("b"), 4);
  k.Update(x, 0, x.size());
  EXPECT_EQ(k.EncodedMax(), "ac");
  EXPECT_EQ(k.EncodedMin(), std::string("ab\xff\xff"));
}

TEST(StatisticsTest, MergeTakesTheWiderBoundsAndAddsCounts) {
  const ColumnSpec c = IntColumn("x", 64, true, true);
  ColumnVector a(Type::kInt64);
  a.AppendInt64(10);
  a.AppendNull();
  ColumnVector b(Type::kInt64);
  b.AppendInt64(-4);
  b.AppendInt64(3);
  StatisticsBuilder sa(c, 64), sb(c, 64), all(c, 64);
  sa.Update(a, 0, a.size());
  sb.Update(b, 0, b.size());
  all.Merge(sa);
  all.Merge(sb);
  EXPECT_EQ(all.EncodedMin(), Bytes<int64_t>(-4));
  EXPECT_EQ(all.EncodedMax(), Bytes<int64_t>(10));
  EXPECT_EQ(all.null_count(), 1);
}

}  // namespace
}  // namespace strata::parquet
