#include "sort/row_order.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <numeric>

namespace strata::sort {

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
  uint64_t v = 0;
  // An empty view may have a null data(): memcpy must not be handed one, even for 0 bytes.
  if (!s.empty()) std::memcpy(&v, s.data(), std::min<size_t>(8, s.size()));
  return __builtin_bswap64(v);  // big-endian: the first byte is the most significant
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

uint64_t RowOrder::Image(const Key& k, const ColumnVector& v, size_t r) const {
  // Nulls first: a null's image is 0, below or equal to every value's.
  if (!v.IsValid(r)) return 0;
  switch (k.kind) {
    case Kind::kSigned:
      return (v.physical() == Type::kInt32
                  ? static_cast<uint64_t>(static_cast<int64_t>(v.Value<int32_t>(r)))
                  : static_cast<uint64_t>(v.Value<int64_t>(r))) ^
             (uint64_t{1} << 63);
    case Kind::kUnsigned:
      return v.physical() == Type::kInt32 ? v.Value<uint32_t>(r) : v.Value<uint64_t>(r);
    case Kind::kBytes:
      return Prefix(v.Bytes(r));
    case Kind::kBool:
      return v.Value<uint8_t>(r);
    default:
      return 0;  // floating point: decided by the full comparison
  }
}

RowHead RowOrder::Head(const ColumnBatch& batch, size_t row) const {
  RowHead h;
  if (!keys_.empty())
    h.a = Image(keys_[0], batch.column(static_cast<size_t>(keys_[0].column)), row);
  if (keys_.size() > 1)
    h.b = Image(keys_[1], batch.column(static_cast<size_t>(keys_[1].column)), row);
  return h;
}

bool RowOrder::FirstImageExact(const ColumnBatch& batch) const {
  if (keys_.empty()) return false;
  const Kind k = keys_[0].kind;
  if (k != Kind::kSigned && k != Kind::kUnsigned && k != Kind::kBool) return false;
  // A null and the value whose image is 0 would share an image.
  return !batch.column(static_cast<size_t>(keys_[0].column)).has_nulls();
}

std::vector<uint32_t> RowOrder::SortedPermutation(const ColumnBatch& batch) const {
  const size_t n = batch.num_rows();
  // Sort (head, row) entries: the heads decide most comparisons without touching the rows.
  struct Entry {
    RowHead head;
    uint32_t row;
  };
  std::vector<Entry> entries(n);
  for (size_t r = 0; r < n; r++) entries[r] = {Head(batch, r), static_cast<uint32_t>(r)};
  const bool exact = FirstImageExact(batch);
  // Equal keys keep their input order (the row index breaks ties), so the sort is stable
  // without the cost of a stable sort.
  std::sort(entries.begin(), entries.end(), [&](const Entry& x, const Entry& y) {
    const int c = CompareWithHeads(batch, x.row, x.head, batch, y.row, y.head, exact);
    return c != 0 ? c < 0 : x.row < y.row;
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

void GatherRows(const std::vector<const ColumnBatch*>& sources, const std::vector<RowRef>& rows,
                ColumnBatch* dst) {
  for (size_t c = 0; c < dst->num_columns(); c++) {
    ColumnVector& d = dst->column(c);
    const Type t = d.physical();
    if (t == Type::kByteArray || t == Type::kFixedLenByteArray) {
      for (const RowRef& ref : rows) {
        const ColumnVector& s = sources[ref.source]->column(c);
        if (s.IsValid(ref.row)) {
          d.AppendBytes(s.Bytes(ref.row));
        } else {
          d.AppendNull();
        }
      }
      continue;
    }
    const size_t width = t == Type::kBoolean ? 1 : (t == Type::kInt32 || t == Type::kFloat) ? 4 : 8;
    for (const RowRef& ref : rows) {
      const ColumnVector& s = sources[ref.source]->column(c);
      if (s.IsValid(ref.row)) {
        std::memcpy(d.ExtendFixed(1), s.data<uint8_t>() + size_t{ref.row} * width, width);
      } else {
        d.AppendNull();
      }
    }
  }
}

void Gather(const ColumnBatch& src, const std::vector<uint32_t>& perm, ColumnBatch* dst) {
  std::vector<RowRef> rows(perm.size());
  for (size_t i = 0; i < perm.size(); i++) rows[i] = {0, perm[i]};
  GatherRows({&src}, rows, dst);
}

}  // namespace strata::sort
