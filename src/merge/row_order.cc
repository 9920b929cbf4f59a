#include "merge/row_order.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <numeric>

namespace strata {

using parquet::ColumnBatch;
using parquet::ColumnVector;
using parquet::Type;

namespace {

template <typename T>
int Three(T a, T b) {
  return a < b ? -1 : (b < a ? 1 : 0);
}

int CompareBytes(std::string_view a, std::string_view b) {
  const size_t n = std::min(a.size(), b.size());
  const int c = n == 0 ? 0 : std::memcmp(a.data(), b.data(), n);
  if (c != 0) return c;
  return a.size() < b.size() ? -1 : (a.size() > b.size() ? 1 : 0);
}

template <typename T>
int CompareFloat(T a, T b) {
  const bool an = std::isnan(a), bn = std::isnan(b);
  if (an || bn) return int(an) - int(bn);  // NaN after every number
  return Three(a, b);
}

// The first 8 bytes of a byte string, big-endian, zero-padded: orders like the bytes do
// for strings that differ in their first 8 bytes.
inline uint64_t Prefix(std::string_view s) {
  uint8_t buf[8] = {0};
  std::memcpy(buf, s.data(), std::min<size_t>(8, s.size()));
  uint64_t v = 0;
  for (uint8_t b : buf) v = (v << 8) | b;
  return v;
}

}  // namespace

RowOrder::RowOrder(const parquet::Schema& schema, std::vector<int> key_columns)
    : key_columns_(std::move(key_columns)) {
  for (int c : key_columns_) {
    const parquet::ColumnSpec& spec = schema.column(static_cast<size_t>(c));
    Kind kind = Kind::kBytes;
    switch (spec.physical) {
      case Type::kBoolean:
        kind = Kind::kBool;
        break;
      case Type::kInt32:
      case Type::kInt64:
        kind = spec.logical == parquet::LogicalKind::kInteger && !spec.is_signed ? Kind::kUnsigned
                                                                                 : Kind::kSigned;
        break;
      case Type::kFloat:
        kind = Kind::kFloat;
        break;
      case Type::kDouble:
        kind = Kind::kDouble;
        break;
      default:
        kind = Kind::kBytes;
        break;
    }
    keys_.push_back({c, kind});
  }
}

int RowOrder::CompareKey(const Key& k, const ColumnVector& a, size_t i, const ColumnVector& b,
                         size_t j) const {
  const bool av = a.IsValid(i), bv = b.IsValid(j);
  if (!av || !bv) return int(av) - int(bv);  // nulls first
  switch (k.kind) {
    case Kind::kBool:
      return Three(a.Value<uint8_t>(i), b.Value<uint8_t>(j));
    case Kind::kSigned:
      if (a.physical() == Type::kInt32) return Three(a.Value<int32_t>(i), b.Value<int32_t>(j));
      return Three(a.Value<int64_t>(i), b.Value<int64_t>(j));
    case Kind::kUnsigned:
      if (a.physical() == Type::kInt32) return Three(a.Value<uint32_t>(i), b.Value<uint32_t>(j));
      return Three(a.Value<uint64_t>(i), b.Value<uint64_t>(j));
    case Kind::kFloat:
      return CompareFloat(a.Value<float>(i), b.Value<float>(j));
    case Kind::kDouble:
      return CompareFloat(a.Value<double>(i), b.Value<double>(j));
    case Kind::kBytes:
      return CompareBytes(a.Bytes(i), b.Bytes(j));
  }
  return 0;
}

int RowOrder::Compare(const ColumnBatch& a, size_t i, const ColumnBatch& b, size_t j) const {
  for (const Key& k : keys_) {
    const int c = CompareKey(k, a.column(static_cast<size_t>(k.column)), i,
                             b.column(static_cast<size_t>(k.column)), j);
    if (c != 0) return c;
  }
  return 0;
}

std::vector<uint32_t> RowOrder::SortedPermutation(const ColumnBatch& batch) const {
  const size_t n = batch.num_rows();
  // Most comparisons are decided by the first key's cheap form: a whole integer, or the first
  // 8 bytes of a byte string (with the validity folded in). Sort (first key, index) pairs, and
  // fall back to the full comparison only on ties.
  struct Entry {
    uint64_t head;  // order-preserving image of the first key
    uint32_t row;
  };
  std::vector<Entry> entries(n);
  const Key* first = keys_.empty() ? nullptr : &keys_[0];
  for (size_t r = 0; r < n; r++) {
    uint64_t head = 0;
    if (first != nullptr) {
      const ColumnVector& v = batch.column(static_cast<size_t>(first->column));
      if (!v.IsValid(r)) {
        head = 0;  // nulls first: below every image (values are offset by one below)
      } else {
        switch (first->kind) {
          case Kind::kSigned:
            head = (v.physical() == Type::kInt32
                        ? static_cast<uint64_t>(static_cast<int64_t>(v.Value<int32_t>(r)))
                        : static_cast<uint64_t>(v.Value<int64_t>(r))) ^
                   (uint64_t{1} << 63);
            break;
          case Kind::kUnsigned:
            head = v.physical() == Type::kInt32 ? v.Value<uint32_t>(r) : v.Value<uint64_t>(r);
            break;
          case Kind::kBytes:
            head = Prefix(v.Bytes(r));
            break;
          default:
            head = 0;  // decided by the full comparison
            break;
        }
        // Keep 0 for nulls: a present value of image 0 ties with nulls here and the full
        // comparison then orders them.
      }
    }
    entries[r] = {head, static_cast<uint32_t>(r)};
  }
  std::stable_sort(entries.begin(), entries.end(), [&](const Entry& x, const Entry& y) {
    if (x.head != y.head) return x.head < y.head;
    return Compare(batch, x.row, batch, y.row) < 0;
  });
  std::vector<uint32_t> perm(n);
  for (size_t r = 0; r < n; r++) perm[r] = entries[r].row;
  return perm;
}

std::vector<parquet::SortingColumn> RowOrder::SortingColumns() const {
  std::vector<parquet::SortingColumn> out;
  for (int c : key_columns_) out.push_back({c, /*descending=*/false, /*nulls_first=*/true});
  return out;
}

void AppendRow(const ColumnBatch& src, size_t i, ColumnBatch* dst) {
  for (size_t c = 0; c < src.num_columns(); c++) {
    const ColumnVector& s = src.column(c);
    ColumnVector& d = dst->column(c);
    if (!s.IsValid(i)) {
      d.AppendNull();
      continue;
    }
    switch (s.physical()) {
      case Type::kBoolean:
        d.AppendBool(s.Value<uint8_t>(i) != 0);
        break;
      case Type::kInt32:
        d.AppendInt32(s.Value<int32_t>(i));
        break;
      case Type::kInt64:
        d.AppendInt64(s.Value<int64_t>(i));
        break;
      case Type::kFloat:
        d.AppendFloat(s.Value<float>(i));
        break;
      case Type::kDouble:
        d.AppendDouble(s.Value<double>(i));
        break;
      default:
        d.AppendBytes(s.Bytes(i));
        break;
    }
  }
}

void Gather(const ColumnBatch& src, const std::vector<uint32_t>& perm, ColumnBatch* dst) {
  for (uint32_t r : perm) AppendRow(src, r, dst);
}

}  // namespace strata
