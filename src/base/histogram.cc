#include "base/histogram.h"

#include <algorithm>
#include <bit>
#include <cinttypes>
#include <cstdio>
#include <limits>

namespace strata {

namespace {

constexpr int kMantissaBits = 52;  // IEEE 754 binary64
constexpr int kExponentBias = 1023;

constexpr double Pow2(int e) {
  double v = 1;
  for (; e > 0; e--) v *= 2;
  for (; e < 0; e++) v /= 2;
  return v;
}

}  // namespace

Histogram::Histogram() : buckets_(kNumBuckets, 0) { Clear(); }

void Histogram::Clear() {
  std::fill(buckets_.begin(), buckets_.end(), 0);
  count_ = 0;
  sum_ = 0;
  min_ = std::numeric_limits<double>::infinity();
  max_ = -std::numeric_limits<double>::infinity();
}

// For a positive normal double, the biased exponent and the top kSubBucketBits mantissa bits
// read as one integer grow with the value, and each step of that integer is one bucket: the
// exponent picks the power of two, the mantissa bits the linear slice within it.
int Histogram::BucketIndex(double value) {
  constexpr double kSmallest = Pow2(kMinExponent);
  constexpr double kOverflow = Pow2(kMaxExponent);
  if (!(value >= kSmallest)) return 0;  // also catches NaN
  if (value >= kOverflow) return kNumBuckets - 1;
  constexpr uint64_t kFirstKey = uint64_t{kExponentBias + kMinExponent} << kSubBucketBits;
  const uint64_t key = std::bit_cast<uint64_t>(value) >> (kMantissaBits - kSubBucketBits);
  return static_cast<int>(key - kFirstKey) + 1;
}

double Histogram::UpperBound(int i) {
  if (i >= kNumBuckets - 1) return std::numeric_limits<double>::infinity();
  return LowerBound(i + 1);
}

double Histogram::LowerBound(int i) {
  if (i <= 0) return 0;
  if (i >= kNumBuckets - 1) return Pow2(kMaxExponent);
  constexpr uint64_t kFirstKey = uint64_t{kExponentBias + kMinExponent} << kSubBucketBits;
  const uint64_t key = kFirstKey + static_cast<uint64_t>(i - 1);
  return std::bit_cast<double>(key << (kMantissaBits - kSubBucketBits));
}

void Histogram::Add(double value) {
  if (!(value >= 0)) value = 0;  // negative or NaN
  // Infinity would turn the interpolation in Percentile into inf * 0.
  value = std::min(value, std::numeric_limits<double>::max());
  buckets_[BucketIndex(value)]++;
  count_++;
  sum_ += value;
  min_ = std::min(min_, value);
  max_ = std::max(max_, value);
}

void Histogram::Merge(const Histogram& other) {
  for (int i = 0; i < kNumBuckets; i++) buckets_[i] += other.buckets_[i];
  count_ += other.count_;
  sum_ += other.sum_;
  min_ = std::min(min_, other.min_);
  max_ = std::max(max_, other.max_);
}

double Histogram::Percentile(double p) const {
  if (count_ == 0) return 0;
  p = std::clamp(p, 0.0, 100.0);
  // The rank, counted from 1, of the value asked for; fractional ranks interpolate.
  const double rank = p / 100.0 * static_cast<double>(count_);
  uint64_t below = 0;  // values in the buckets before i
  for (int i = 0; i < kNumBuckets; i++) {
    const uint64_t n = buckets_[i];
    if (n == 0) continue;
    if (static_cast<double>(below + n) >= rank) {
      // Assume the bucket's values are spread evenly over the part of it that was observed.
      const double lo = std::max(LowerBound(i), min_);
      const double hi = std::min(UpperBound(i), max_);
      const double fraction = (rank - static_cast<double>(below)) / static_cast<double>(n);
      return std::clamp(lo + (hi - lo) * fraction, min_, max_);
    }
    below += n;
  }
  return max_;
}

std::string Histogram::ToString() const {
  char buf[256];
  std::snprintf(buf, sizeof(buf),
                "count=%" PRIu64 " avg=%.3f min=%.3f p50=%.3f p99=%.3f p99.9=%.3f max=%.3f (us)",
                count_, Average(), Min(), Percentile(50), Percentile(99), Percentile(99.9), Max());
  return buf;
}

}  // namespace strata
