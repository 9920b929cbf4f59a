#include "parquet/statistics.h"

#include <cmath>
#include <cstring>
#include <string_view>

#include "parquet/byte_order.h"

namespace strata::parquet {

namespace {

template <typename T>
T Load(const std::string& s) {
  T v;
  std::memcpy(&v, s.data(), sizeof(T));
  return v;
}

template <typename T>
std::string Store(T v) {
  std::string s(sizeof(T), '\0');
  std::memcpy(s.data(), &v, sizeof(T));
  return s;
}

template <typename T>
int Compare3(T a, T b) {
  return a < b ? -1 : (b < a ? 1 : 0);
}

}  // namespace

StatisticsBuilder::StatisticsBuilder(const ColumnSpec& column, size_t truncate_length)
    : truncate_length_(truncate_length) {
  const bool is_unsigned = column.logical == LogicalKind::kInteger && !column.is_signed;
  switch (column.physical) {
    case Type::kBoolean:
      kind_ = Kind::kBool;
      break;
    case Type::kInt32:
      kind_ = is_unsigned ? Kind::kUInt32 : Kind::kInt32;
      break;
    case Type::kInt64:
      kind_ = is_unsigned ? Kind::kUInt64 : Kind::kInt64;
      break;
    case Type::kFloat:
      kind_ = Kind::kFloat;
      break;
    case Type::kDouble:
      kind_ = Kind::kDouble;
      break;
    default:
      kind_ = Kind::kBytes;
      break;
  }
}

void StatisticsBuilder::Reset() {
  has_bounds_ = false;
  min_.clear();
  max_.clear();
  null_count_ = 0;
  nan_count_ = 0;
}

bool StatisticsBuilder::Less(const std::string& a, const std::string& b) const {
  switch (kind_) {
    case Kind::kBool:
      return Load<uint8_t>(a) < Load<uint8_t>(b);
    case Kind::kInt32:
      return Load<int32_t>(a) < Load<int32_t>(b);
    case Kind::kUInt32:
      return Load<uint32_t>(a) < Load<uint32_t>(b);
    case Kind::kInt64:
      return Load<int64_t>(a) < Load<int64_t>(b);
    case Kind::kUInt64:
      return Load<uint64_t>(a) < Load<uint64_t>(b);
    case Kind::kFloat:
      return Load<float>(a) < Load<float>(b);
    case Kind::kDouble:
      return Load<double>(a) < Load<double>(b);
    case Kind::kBytes:
      return CompareBytes(a, b) < 0;
  }
  return false;
}

void StatisticsBuilder::TakeBounds(const std::string& lo, const std::string& hi) {
  if (!has_bounds_) {
    min_ = lo;
    max_ = hi;
    has_bounds_ = true;
    return;
  }
  if (Less(lo, min_)) min_ = lo;
  if (Less(max_, hi)) max_ = hi;
}

template <typename T>
void StatisticsBuilder::UpdateFixed(const ColumnVector& values, size_t begin, size_t end) {
  // T is the comparison type (unsigned for UINT columns); the bits are the stored ones.
  const T* v = reinterpret_cast<const T*>(values.data<uint8_t>());
  const uint8_t* valid = values.validity();
  bool any = false;
  T lo{};
  T hi{};
  for (size_t i = begin; i < end; i++) {
    if (valid != nullptr && valid[i] == 0) continue;
    const T x = v[i];
    if (!any) {
      lo = hi = x;
      any = true;
      continue;
    }
    if (x < lo) lo = x;
    if (hi < x) hi = x;
  }
  if (any) TakeBounds(Store(lo), Store(hi));
}

template <typename T>
void StatisticsBuilder::UpdateFloat(const ColumnVector& values, size_t begin, size_t end) {
  const T* v = values.data<T>();
  const uint8_t* valid = values.validity();
  bool any = false;
  T lo{};
  T hi{};
  for (size_t i = begin; i < end; i++) {
    if (valid != nullptr && valid[i] == 0) continue;
    const T x = v[i];
    if (std::isnan(x)) {
      nan_count_++;
      continue;
    }
    if (!any) {
      lo = hi = x;
      any = true;
      continue;
    }
    if (x < lo) lo = x;
    if (hi < x) hi = x;
  }
  if (any) TakeBounds(Store(lo), Store(hi));
}

void StatisticsBuilder::UpdateBytes(const ColumnVector& values, size_t begin, size_t end) {
  bool any = false;
  std::string_view lo;
  std::string_view hi;
  for (size_t i = begin; i < end; i++) {
    if (!values.IsValid(i)) continue;
    const std::string_view x = values.Bytes(i);
    if (!any) {
      lo = hi = x;
      any = true;
      continue;
    }
    if (CompareBytes(x, lo) < 0) lo = x;
    if (CompareBytes(hi, x) < 0) hi = x;
  }
  if (any) TakeBounds(std::string(lo), std::string(hi));
}

void StatisticsBuilder::Update(const ColumnVector& values, size_t begin, size_t end) {
  if (const uint8_t* valid = values.validity(); valid != nullptr) {
    for (size_t i = begin; i < end; i++) null_count_ += valid[i] == 0;
  }
  switch (kind_) {
    case Kind::kBool:
      UpdateFixed<uint8_t>(values, begin, end);
      break;
    case Kind::kInt32:
      UpdateFixed<int32_t>(values, begin, end);
      break;
    case Kind::kUInt32:
      UpdateFixed<uint32_t>(values, begin, end);
      break;
    case Kind::kInt64:
      UpdateFixed<int64_t>(values, begin, end);
      break;
    case Kind::kUInt64:
      UpdateFixed<uint64_t>(values, begin, end);
      break;
    case Kind::kFloat:
      UpdateFloat<float>(values, begin, end);
      break;
    case Kind::kDouble:
      UpdateFloat<double>(values, begin, end);
      break;
    case Kind::kBytes:
      UpdateBytes(values, begin, end);
      break;
  }
}

void StatisticsBuilder::Merge(const StatisticsBuilder& other) {
  null_count_ += other.null_count_;
  nan_count_ += other.nan_count_;
  if (other.has_bounds_) TakeBounds(other.min_, other.max_);
}

bool StatisticsBuilder::min_exact() const {
  return kind_ != Kind::kBytes || truncate_length_ == 0 || min_.size() <= truncate_length_;
}

bool StatisticsBuilder::max_exact() const {
  if (kind_ != Kind::kBytes || truncate_length_ == 0 || max_.size() <= truncate_length_) {
    return true;
  }
  // A prefix of 0xFF bytes cannot be incremented: the full value is written, exactly.
  for (size_t i = 0; i < truncate_length_; i++) {
    if (static_cast<uint8_t>(max_[i]) != 0xFF) return false;
  }
  return true;
}

std::string StatisticsBuilder::EncodedMin() const {
  if (!has_bounds_) return {};
  if (kind_ == Kind::kFloat && Load<float>(min_) == 0.0f) return Store(-0.0f);
  if (kind_ == Kind::kDouble && Load<double>(min_) == 0.0) return Store(-0.0);
  if (!min_exact()) return min_.substr(0, truncate_length_);
  return min_;
}

std::string StatisticsBuilder::EncodedMax() const {
  if (!has_bounds_) return {};
  if (kind_ == Kind::kFloat && Load<float>(max_) == 0.0f) return Store(0.0f);
  if (kind_ == Kind::kDouble && Load<double>(max_) == 0.0) return Store(0.0);
  if (max_exact()) return max_;
  // The shortest bound above every value with this prefix: drop trailing 0xFF bytes, then
  // increment the last byte.
  std::string bound = max_.substr(0, truncate_length_);
  while (static_cast<uint8_t>(bound.back()) == 0xFF) bound.pop_back();
  bound.back() = static_cast<char>(static_cast<uint8_t>(bound.back()) + 1);
  return bound;
}

Statistics StatisticsBuilder::ToThrift() const {
  Statistics s;
  s.null_count = null_count_;
  if (has_bounds_) {
    s.min_value = EncodedMin();
    s.max_value = EncodedMax();
    s.is_min_value_exact = min_exact();
    s.is_max_value_exact = max_exact();
  }
  if (kind_ == Kind::kFloat || kind_ == Kind::kDouble) s.nan_count = nan_count_;
  return s;
}

int StatisticsBuilder::CompareEncoded(const std::string& a, const std::string& b) const {
  switch (kind_) {
    case Kind::kBool:
      return Compare3(Load<uint8_t>(a), Load<uint8_t>(b));
    case Kind::kInt32:
      return Compare3(Load<int32_t>(a), Load<int32_t>(b));
    case Kind::kUInt32:
      return Compare3(Load<uint32_t>(a), Load<uint32_t>(b));
    case Kind::kInt64:
      return Compare3(Load<int64_t>(a), Load<int64_t>(b));
    case Kind::kUInt64:
      return Compare3(Load<uint64_t>(a), Load<uint64_t>(b));
    case Kind::kFloat:
      return Compare3(Load<float>(a), Load<float>(b));
    case Kind::kDouble:
      return Compare3(Load<double>(a), Load<double>(b));
    case Kind::kBytes:
      return CompareBytes(a, b);
  }
  return 0;
}

}  // namespace strata::parquet
