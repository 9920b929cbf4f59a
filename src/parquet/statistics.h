// StatisticsBuilder: min, max, null and NaN counts of a page or a column chunk, in the order
// Parquet's TYPE_ORDER defines for the column:
//  - signed integers compare as signed, unsigned ones (UINT_8..UINT_64) as unsigned;
//  - BYTE_ARRAY and FIXED_LEN_BYTE_ARRAY compare as unsigned bytes, lexicographically;
//  - FLOAT and DOUBLE compare numerically with NaN left out (counted in nan_count): a NaN is
//    never a bound. A zero minimum is written as -0.0 and a zero maximum as +0.0, so readers
//    that treat the two zeros as distinct still see every zero inside the bounds;
//  - BOOLEAN: false < true.
// Byte-array bounds longer than the truncation length are shortened: the minimum to its
// prefix, the maximum to its prefix with the last byte that can be incremented incremented
// (so it still bounds every value), each with its exactness flag set false.
#pragma once

#include <cstdint>
#include <string>

#include "parquet/column_batch.h"
#include "parquet/metadata.h"
#include "parquet/schema.h"

namespace strata::parquet {

class StatisticsBuilder {
 public:
  // truncate_length: longest byte-array bound written as is (0: never truncate).
  StatisticsBuilder(const ColumnSpec& column, size_t truncate_length);

  // Takes rows [begin, end) of values, skipping nulls.
  void Update(const ColumnVector& values, size_t begin, size_t end);
  // Takes another builder's counts and bounds (a page's, into the chunk's).
  void Merge(const StatisticsBuilder& other);
  void Reset();

  bool has_bounds() const { return has_bounds_; }
  int64_t null_count() const { return null_count_; }
  int64_t nan_count() const { return nan_count_; }
  // PLAIN-encoded bounds, byte arrays without a length prefix and possibly truncated; empty
  // strings without bounds.
  std::string EncodedMin() const;
  std::string EncodedMax() const;
  bool min_exact() const;
  bool max_exact() const;

  // The Thrift Statistics of what was seen: null_count always, bounds when there are any,
  // nan_count for floating-point columns.
  Statistics ToThrift() const;

  // Orders two PLAIN-encoded values of this column (as EncodedMin returns them): <0, 0, >0.
  // Used for the page index's boundary order.
  int CompareEncoded(const std::string& a, const std::string& b) const;

 private:
  enum class Kind : uint8_t { kBool, kInt32, kUInt32, kInt64, kUInt64, kFloat, kDouble, kBytes };

  template <typename T>
  void UpdateFixed(const ColumnVector& values, size_t begin, size_t end);
  template <typename T>
  void UpdateFloat(const ColumnVector& values, size_t begin, size_t end);
  void UpdateBytes(const ColumnVector& values, size_t begin, size_t end);
  // Widens the bounds to take [lo, hi] (both raw, already ordered).
  void TakeBounds(const std::string& lo, const std::string& hi);
  bool Less(const std::string& a, const std::string& b) const;

  Kind kind_;
  size_t truncate_length_;
  bool has_bounds_ = false;
  // Raw values: the native bytes of fixed-width values, the bytes of byte arrays.
  std::string min_;
  std::string max_;
  int64_t null_count_ = 0;
  int64_t nan_count_ = 0;
};

}  // namespace strata::parquet
