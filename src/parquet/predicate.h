// Predicate: a condition on one column that lets a reader skip row groups (and, with a page
// index, pages) that cannot hold a matching row, judged from their statistics and bloom
// filters. Rows are not filtered: a kept row group is read whole.
//
// Operators: =, <, <=, >, >=, BETWEEN (inclusive), IN and IS NULL. Values are typed loosely
// (Value) and compared in the column's order: integers exactly, whatever their width and
// signedness; FLOAT and DOUBLE columns as doubles; byte arrays as unsigned bytes. A value
// that cannot be compared with the column (a string against an integer column) never prunes.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "parquet/metadata.h"
#include "parquet/schema.h"
#include "parquet/split_block_bloom_filter.h"

namespace strata::parquet {

struct Value {
  enum class Kind : uint8_t { kInt, kUInt, kDouble, kBytes, kBool };
  Kind kind = Kind::kInt;
  int64_t i = 0;
  uint64_t u = 0;
  double d = 0;
  std::string bytes;
  bool b = false;

  static Value Int(int64_t v);
  static Value UInt(uint64_t v);
  static Value Double(double v);
  static Value Bytes(std::string v);
  static Value Bool(bool v);
  std::string ToString() const;
};

struct Predicate {
  enum class Op : uint8_t { kEq, kLt, kLe, kGt, kGe, kBetween, kIn, kIsNull };
  std::string column;
  Op op = Op::kEq;
  std::vector<Value> values;  // one for comparisons, two for BETWEEN, any number for IN

  static Predicate Compare(std::string column, Op op, Value v);
  static Predicate Between(std::string column, Value lo, Value hi);
  static Predicate In(std::string column, std::vector<Value> values);
  static Predicate IsNull(std::string column);
  std::string ToString() const;
};

// Whether a part of a column (a chunk or a page) with these statistics may hold a row
// satisfying p. rows: rows in that part. False only when the statistics prove no row can.
bool StatisticsMayMatch(const Predicate& p, const ColumnSpec& column, const Statistics* stats,
                        int64_t rows);
// Same for a bloom filter: false only when no value p accepts with = or IN is in it.
// Other operators always may match.
bool BloomFilterMayMatch(const Predicate& p, const ColumnSpec& column,
                         const SplitBlockBloomFilter& filter);

}  // namespace strata::parquet
