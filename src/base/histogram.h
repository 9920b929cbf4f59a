// Histogram: the distribution of latencies (in microseconds) for benchmarks and statistics.
//
// Values fall into log-linear buckets: each power of two is split into 128 equal buckets,
// so a bucket spans under 0.8% of its values and a percentile, interpolated inside its
// bucket and clamped to [Min(), Max()], is within that of the exact sample percentile.
// Buckets cover 2^-10 us (about 1 ns) to 2^40 us (about 12 days); values outside land in an
// underflow or overflow bucket whose far edge is the observed Min() or Max().
//
// The buckets take about 50 KiB, on the heap. Not thread-safe: each thread records into its own
// Histogram and the results are Merged.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace strata {

class Histogram {
 public:
  Histogram();

  // Records one value. Negative and NaN values are recorded as 0, +infinity as the largest
  // finite double.
  void Add(double value);
  // Adds every value recorded in other, as if each had been Added here.
  void Merge(const Histogram& other);
  void Clear();

  uint64_t Count() const { return count_; }
  // Min, Max, Average and Percentile return 0 for an empty histogram.
  double Min() const { return count_ == 0 ? 0 : min_; }
  double Max() const { return count_ == 0 ? 0 : max_; }
  double Average() const { return count_ == 0 ? 0 : sum_ / static_cast<double>(count_); }
  // The value below which p percent of the values lie; p is clamped to [0, 100].
  double Percentile(double p) const;

  // One line: count, average, min, p50, p99, p99.9 and max.
  std::string ToString() const;

 private:
  static constexpr int kSubBucketBits = 7;  // 128 buckets per power of two
  static constexpr int kMinExponent = -10;  // smallest bucketed value: 2^-10
  static constexpr int kMaxExponent = 40;   // values >= 2^40 overflow
  // Underflow bucket, the log-linear buckets, overflow bucket.
  static constexpr int kNumBuckets = 2 + ((kMaxExponent - kMinExponent) << kSubBucketBits);

  static int BucketIndex(double value);
  // Bucket i holds values in [LowerBound(i), UpperBound(i)).
  static double LowerBound(int i);
  static double UpperBound(int i);

  std::vector<uint64_t> buckets_;
  uint64_t count_ = 0;
  double sum_ = 0;
  double min_;  // meaningful only when count_ > 0
  double max_;
};

}  // namespace strata
