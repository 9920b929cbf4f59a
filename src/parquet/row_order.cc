#include "parquet/row_order.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <numeric>

namespace strata::parquet {

namespace {

template <typename T>
int Compare3(T x, T y) {
  return x < y ? -1 : (y < x ? 1 : 0);
}

// NaN after every number; equal to itself so the order stays a strict weak one.
template <typename T>
int CompareFloating(T x, T y) {
  const bool x_nan = std::isnan(x);
  const bool y_nan = std::isnan(y);
  if (x_nan || y_nan) return static_cast<int>(x_nan) - static_cast<int>(y_nan);
  return Compare3(x, y);  // -0.0 == +0.0
}

int CompareBytes(std::string_view x, std::string_view y) {
  const size_t n = std::min(x.size(), y.size());
  const int c = n == 0 ? 0 : std::memcmp(x.data(), y.data(), n);  // memcmp: unsigned bytes
  if (c != 0) return c < 0 ? -1 : 1;
  return Compare3(x.size(), y.size());
}

}  // namespace

int CompareValues(const ColumnSpec& column, const ColumnVector& a, size_t i, const ColumnVector& b,
                  size_t j) {
  const bool a_valid = a.IsValid(i);
  const bool b_valid = b.IsValid(j);
  if (!a_valid || !b_valid) return static_cast<int>(a_valid) - static_cast<int>(b_valid);
  const bool is_unsigned = column.logical == LogicalKind::kInteger && !column.is_signed;
  switch (a.physical()) {
    case Type::kBoolean:
      return Compare3(a.Value<uint8_t>(i), b.Value<uint8_t>(j));
    case Type::kInt32:
      if (is_unsigned) {
        return Compare3(static_cast<uint32_t>(a.Value<int32_t>(i)),
                        static_cast<uint32_t>(b.Value<int32_t>(j)));
      }
      return Compare3(a.Value<int32_t>(i), b.Value<int32_t>(j));
    case Type::kInt64:
      if (is_unsigned) {
        return Compare3(static_cast<uint64_t>(a.Value<int64_t>(i)),
                        static_cast<uint64_t>(b.Value<int64_t>(j)));
      }
      return Compare3(a.Value<int64_t>(i), b.Value<int64_t>(j));
    case Type::kFloat:
      return CompareFloating(a.Value<float>(i), b.Value<float>(j));
    case Type::kDouble:
      return CompareFloating(a.Value<double>(i), b.Value<double>(j));
    case Type::kByteArray:
    case Type::kFixedLenByteArray:
      return CompareBytes(a.Bytes(i), b.Bytes(j));
    case Type::kInt96: {
      // Legacy timestamps: nanoseconds of the day, then the Julian day, little-endian; the
      // day is the more significant part.
      const uint8_t* x = a.data<uint8_t>() + i * 12;
      const uint8_t* y = b.data<uint8_t>() + j * 12;
      int32_t x_day, y_day;
      int64_t x_nanos, y_nanos;
      std::memcpy(&x_day, x + 8, 4);
      std::memcpy(&y_day, y + 8, 4);
      std::memcpy(&x_nanos, x, 8);
      std::memcpy(&y_nanos, y, 8);
      const int c = Compare3(x_day, y_day);
      return c != 0 ? c : Compare3(x_nanos, y_nanos);
    }
  }
  return 0;
}

std::vector<size_t> SortedRowOrder(const ColumnBatch& batch, const std::vector<int>& columns) {
  std::vector<size_t> order(batch.num_rows());
  std::iota(order.begin(), order.end(), size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](size_t x, size_t y) {
    for (const int c : columns) {
      const ColumnVector& v = batch.column(c);
      const int cmp = CompareValues(batch.schema().column(c), v, x, v, y);
      if (cmp != 0) return cmp < 0;
    }
    return false;
  });
  return order;
}

void AppendRow(const ColumnVector& src, size_t i, ColumnVector* dst) {
  if (!src.IsValid(i)) {
    dst->AppendNull();
    return;
  }
  switch (src.physical()) {
    case Type::kByteArray:
    case Type::kFixedLenByteArray:
      dst->AppendBytes(src.Bytes(i));
      return;
    case Type::kBoolean:
      dst->AppendBool(src.Value<uint8_t>(i) != 0);
      return;
    case Type::kInt32:
    case Type::kFloat:
      std::memcpy(dst->ExtendFixed(1), src.data<uint8_t>() + i * 4, 4);
      return;
    case Type::kInt64:
    case Type::kDouble:
      std::memcpy(dst->ExtendFixed(1), src.data<uint8_t>() + i * 8, 8);
      return;
    case Type::kInt96:
      std::memcpy(dst->ExtendFixed(1), src.data<uint8_t>() + i * 12, 12);
      return;
  }
}

}  // namespace strata::parquet
