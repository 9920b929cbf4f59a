// Row-group pruning decisions from statistics and bloom filters.
#include "parquet/predicate.h"

#include <gtest/gtest.h>

#include <cstring>
#include <string>

namespace strata::parquet {
namespace {

template <typename T>
std::string Bytes(T v) {
  return std::string(reinterpret_cast<const char*>(&v), sizeof(T));
}

Statistics IntStats(int32_t lo, int32_t hi, int64_t nulls) {
  Statistics s;
  s.min_value = Bytes(lo);
  s.max_value = Bytes(hi);
  s.null_count = nulls;
  return s;
}

using Op = Predicate::Op;

TEST(PredicateTest, ComparisonsAgainstBounds) {
  const ColumnSpec c = IntColumn("x", 32, true, true);
  const Statistics s = IntStats(10, 20, 0);
  auto may = [&](const Predicate& p) { return StatisticsMayMatch(p, c, &s, 100); };
  EXPECT_FALSE(may(Predicate::Compare("x", Op::kEq, Value::Int(5))));
  EXPECT_TRUE(may(Predicate::Compare("x", Op::kEq, Value::Int(15))));
  EXPECT_TRUE(may(Predicate::Compare("x", Op::kEq, Value::Int(20))));
  EXPECT_FALSE(may(Predicate::Compare("x", Op::kLt, Value::Int(10))));
  EXPECT_TRUE(may(Predicate::Compare("x", Op::kLe, Value::Int(10))));
  EXPECT_FALSE(may(Predicate::Compare("x", Op::kGt, Value::Int(20))));
  EXPECT_TRUE(may(Predicate::Compare("x", Op::kGe, Value::Int(20))));
  EXPECT_FALSE(may(Predicate::Between("x", Value::Int(1), Value::Int(9))));
  EXPECT_TRUE(may(Predicate::Between("x", Value::Int(5), Value::Int(10))));
  EXPECT_FALSE(may(Predicate::In("x", {Value::Int(1), Value::Int(2), Value::Int(30)})));
  EXPECT_TRUE(may(Predicate::In("x", {Value::Int(1), Value::Int(15)})));
  EXPECT_FALSE(may(Predicate::IsNull("x")));
  // A value that cannot be compared with the column never prunes.
  EXPECT_TRUE(may(Predicate::Compare("x", Op::kEq, Value::Bytes("abc"))));
  // No statistics: nothing is known.
  EXPECT_TRUE(StatisticsMayMatch(Predicate::Compare("x", Op::kEq, Value::Int(5)), c, nullptr, 1));
}

TEST(PredicateTest, NullsDecideIsNullAndAllNullChunks) {
  const ColumnSpec c = IntColumn("x", 32, true, true);
  Statistics some = IntStats(1, 2, 3);
  EXPECT_TRUE(StatisticsMayMatch(Predicate::IsNull("x"), c, &some, 10));
  Statistics all;
  all.null_count = 10;  // no bounds: every row is null
  EXPECT_FALSE(StatisticsMayMatch(Predicate::Compare("x", Op::kGe, Value::Int(0)), c, &all, 10));
  Statistics unknown;  // no null_count: may hold nulls
  EXPECT_TRUE(StatisticsMayMatch(Predicate::IsNull("x"), c, &unknown, 10));
}

TEST(PredicateTest, UnsignedAndByteArrayOrders) {
  // uint64 bounds 5 .. 2^64-1 (stored as -1).
  const ColumnSpec u = IntColumn("u", 64, false);
  Statistics s;
  s.min_value = Bytes<int64_t>(5);
  s.max_value = Bytes<int64_t>(-1);
  s.null_count = 0;
  EXPECT_TRUE(
      StatisticsMayMatch(Predicate::Compare("u", Op::kEq, Value::UInt(UINT64_MAX)), u, &s, 1));
  EXPECT_FALSE(StatisticsMayMatch(Predicate::Compare("u", Op::kLt, Value::Int(5)), u, &s, 1));
  EXPECT_FALSE(StatisticsMayMatch(Predicate::Compare("u", Op::kEq, Value::Int(-1)), u, &s, 1));

  const ColumnSpec b = BinaryColumn("k");
  Statistics k;
  k.min_value = "user:100";
  k.max_value = "user:199";
  k.null_count = 0;
  EXPECT_TRUE(
      StatisticsMayMatch(Predicate::Compare("k", Op::kEq, Value::Bytes("user:150")), b, &k, 1));
  EXPECT_FALSE(
      StatisticsMayMatch(Predicate::Compare("k", Op::kEq, Value::Bytes("user:2")), b, &k, 1));
  EXPECT_FALSE(
      StatisticsMayMatch(Predicate::Compare("k", Op::kGt, Value::Bytes("user:199")), b, &k, 1));
  // 0xFF sorts after ASCII as an unsigned byte.
  EXPECT_FALSE(
      StatisticsMayMatch(Predicate::Compare("k", Op::kEq, Value::Bytes("\xff")), b, &k, 1));
}

TEST(PredicateTest, BloomFilterProbesPlainBytes) {
  const ColumnSpec c = IntColumn("x", 32, true);
  SplitBlockBloomFilter f(SplitBlockBloomFilter::OptimalBytes(3, 0.01));
  for (int32_t v : {1, 2, 3}) f.Insert(SplitBlockBloomFilter::HashValue(v));
  EXPECT_TRUE(BloomFilterMayMatch(Predicate::Compare("x", Op::kEq, Value::Int(2)), c, f));
  // A value outside INT32 cannot be in the column at all.
  EXPECT_FALSE(
      BloomFilterMayMatch(Predicate::Compare("x", Op::kEq, Value::Int(int64_t{1} << 40)), c, f));
  int excluded = 0;
  for (int32_t v = 1000; v < 2000; v++) {
    if (!BloomFilterMayMatch(Predicate::Compare("x", Op::kEq, Value::Int(v)), c, f)) excluded++;
  }
  EXPECT_GT(excluded, 950);
  EXPECT_TRUE(BloomFilterMayMatch(Predicate::In("x", {Value::Int(5000), Value::Int(3)}), c, f));
  // Other operators are not decided by a bloom filter.
  EXPECT_TRUE(BloomFilterMayMatch(Predicate::Compare("x", Op::kLt, Value::Int(0)), c, f));
}

}  // namespace
}  // namespace strata::parquet
