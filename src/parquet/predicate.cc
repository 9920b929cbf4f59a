#include "parquet/predicate.h"

#include <cmath>
#include <cstring>
#include <limits>

#include "parquet/byte_order.h"

namespace strata::parquet {

namespace {

using Int128 = __int128;

// The domain statistics of a column are compared in.
enum class Domain : uint8_t { kInteger, kFloating, kBytes, kBool, kNone };

Domain DomainOf(const ColumnSpec& c) {
  switch (c.physical) {
    case Type::kInt32:
    case Type::kInt64:
      return Domain::kInteger;
    case Type::kFloat:
    case Type::kDouble:
      return Domain::kFloating;
    case Type::kByteArray:
    case Type::kFixedLenByteArray:
      return Domain::kBytes;
    case Type::kBoolean:
      return Domain::kBool;
    default:
      return Domain::kNone;
  }
}

bool Unsigned(const ColumnSpec& c) { return c.logical == LogicalKind::kInteger && !c.is_signed; }

// A statistics bound decoded into the column's domain.
struct Bound {
  Int128 i = 0;
  double d = 0;
  std::string_view bytes;
  bool b = false;
};

bool DecodeBound(const ColumnSpec& c, const std::string& s, Bound* out) {
  switch (c.physical) {
    case Type::kInt32: {
      if (s.size() != 4) return false;
      int32_t v;
      std::memcpy(&v, s.data(), 4);
      out->i = Unsigned(c) ? Int128(static_cast<uint32_t>(v)) : Int128(v);
      return true;
    }
    case Type::kInt64: {
      if (s.size() != 8) return false;
      int64_t v;
      std::memcpy(&v, s.data(), 8);
      out->i = Unsigned(c) ? Int128(static_cast<uint64_t>(v)) : Int128(v);
      return true;
    }
    case Type::kFloat: {
      if (s.size() != 4) return false;
      float v;
      std::memcpy(&v, s.data(), 4);
      out->d = v;
      return !std::isnan(out->d);
    }
    case Type::kDouble: {
      if (s.size() != 8) return false;
      std::memcpy(&out->d, s.data(), 8);
      return !std::isnan(out->d);
    }
    case Type::kBoolean:
      if (s.size() != 1) return false;
      out->b = s[0] != 0;
      return true;
    case Type::kByteArray:
    case Type::kFixedLenByteArray:
      out->bytes = s;
      return true;
    default:
      return false;
  }
}

// A predicate value in the column's domain; false if it cannot be compared.
bool ValueIn(const ColumnSpec& c, const Value& v, Bound* out) {
  switch (DomainOf(c)) {
    case Domain::kInteger:
      if (v.kind == Value::Kind::kInt)
        out->i = v.i;
      else if (v.kind == Value::Kind::kUInt)
        out->i = v.u;
      else
        return false;
      return true;
    case Domain::kFloating:
      if (v.kind == Value::Kind::kInt)
        out->d = static_cast<double>(v.i);
      else if (v.kind == Value::Kind::kUInt)
        out->d = static_cast<double>(v.u);
      else if (v.kind == Value::Kind::kDouble)
        out->d = v.d;
      else
        return false;
      return !std::isnan(out->d);
    case Domain::kBytes:
      if (v.kind != Value::Kind::kBytes) return false;
      out->bytes = v.bytes;
      return true;
    case Domain::kBool:
      if (v.kind != Value::Kind::kBool) return false;
      out->b = v.b;
      return true;
    case Domain::kNone:
      return false;
  }
  return false;
}

int Compare(Domain d, const Bound& a, const Bound& b) {
  switch (d) {
    case Domain::kInteger:
      return a.i < b.i ? -1 : (a.i > b.i ? 1 : 0);
    case Domain::kFloating:
      return a.d < b.d ? -1 : (a.d > b.d ? 1 : 0);
    case Domain::kBytes:
      return CompareBytes(a.bytes, b.bytes);
    case Domain::kBool:
      return int(a.b) - int(b.b);
    case Domain::kNone:
      return 0;
  }
  return 0;
}

// The PLAIN bytes a bloom filter hashed for v in this column, or nothing if v cannot be a
// value of the column (then no row equals it).
std::optional<std::string> PlainBytes(const ColumnSpec& c, const Value& v, bool* impossible) {
  *impossible = false;
  Bound b;
  if (!ValueIn(c, v, &b)) return std::nullopt;
  auto fixed = [](auto x) { return std::string(reinterpret_cast<const char*>(&x), sizeof(x)); };
  switch (c.physical) {
    case Type::kInt32: {
      const Int128 lo = Unsigned(c) ? 0 : std::numeric_limits<int32_t>::min();
      const Int128 hi = Unsigned(c) ? Int128(std::numeric_limits<uint32_t>::max())
                                    : std::numeric_limits<int32_t>::max();
      if (b.i < lo || b.i > hi) {
        *impossible = true;
        return std::nullopt;
      }
      return fixed(static_cast<int32_t>(static_cast<uint32_t>(static_cast<uint64_t>(b.i))));
    }
    case Type::kInt64: {
      const Int128 lo = Unsigned(c) ? 0 : std::numeric_limits<int64_t>::min();
      const Int128 hi = Unsigned(c) ? Int128(std::numeric_limits<uint64_t>::max())
                                    : std::numeric_limits<int64_t>::max();
      if (b.i < lo || b.i > hi) {
        *impossible = true;
        return std::nullopt;
      }
      return fixed(static_cast<int64_t>(static_cast<uint64_t>(b.i)));
    }
    case Type::kFloat: {
      if (b.d == 0) return std::nullopt;  // -0.0 and +0.0 are equal but hash differently
      const auto f = static_cast<float>(b.d);
      if (static_cast<double>(f) != b.d) {
        *impossible = true;
        return std::nullopt;
      }
      return fixed(f);
    }
    case Type::kDouble:
      if (b.d == 0) return std::nullopt;  // as for FLOAT
      return fixed(b.d);
    case Type::kByteArray:
      return std::string(b.bytes);
    case Type::kFixedLenByteArray:
      if (b.bytes.size() != static_cast<size_t>(c.type_length)) {
        *impossible = true;
        return std::nullopt;
      }
      return std::string(b.bytes);
    default:
      return std::nullopt;
  }
}

}  // namespace

Value Value::Int(int64_t v) {
  Value x;
  x.kind = Kind::kInt;
  x.i = v;
  return x;
}
Value Value::UInt(uint64_t v) {
  Value x;
  x.kind = Kind::kUInt;
  x.u = v;
  return x;
}
Value Value::Double(double v) {
  Value x;
  x.kind = Kind::kDouble;
  x.d = v;
  return x;
}
Value Value::Bytes(std::string v) {
  Value x;
  x.kind = Kind::kBytes;
  x.bytes = std::move(v);
  return x;
}
Value Value::Bool(bool v) {
  Value x;
  x.kind = Kind::kBool;
  x.b = v;
  return x;
}

std::string Value::ToString() const {
  switch (kind) {
    case Kind::kInt:
      return std::to_string(i);
    case Kind::kUInt:
      return std::to_string(u);
    case Kind::kDouble:
      return std::to_string(d);
    case Kind::kBytes:
      return "'" + bytes + "'";
    case Kind::kBool:
      return b ? "true" : "false";
  }
  return "?";
}

Predicate Predicate::Compare(std::string column, Op op, Value v) {
  Predicate p;
  p.column = std::move(column);
  p.op = op;
  p.values.push_back(std::move(v));
  return p;
}

Predicate Predicate::Between(std::string column, Value lo, Value hi) {
  Predicate p;
  p.column = std::move(column);
  p.op = Op::kBetween;
  p.values.push_back(std::move(lo));
  p.values.push_back(std::move(hi));
  return p;
}

Predicate Predicate::In(std::string column, std::vector<Value> values) {
  Predicate p;
  p.column = std::move(column);
  p.op = Op::kIn;
  p.values = std::move(values);
  return p;
}

Predicate Predicate::IsNull(std::string column) {
  Predicate p;
  p.column = std::move(column);
  p.op = Op::kIsNull;
  return p;
}

std::string Predicate::ToString() const {
  static const char* kOps[] = {"=", "<", "<=", ">", ">=", "BETWEEN", "IN", "IS NULL"};
  std::string s = column + " " + kOps[static_cast<int>(op)];
  if (op == Op::kBetween && values.size() == 2) {
    return s + " " + values[0].ToString() + " AND " + values[1].ToString();
  }
  if (op == Op::kIn) {
    s += " (";
    for (size_t i = 0; i < values.size(); i++) s += (i ? ", " : "") + values[i].ToString();
    return s + ")";
  }
  if (!values.empty()) s += " " + values[0].ToString();
  return s;
}

bool StatisticsMayMatch(const Predicate& p, const ColumnSpec& column, const Statistics* stats,
                        int64_t rows) {
  if (stats == nullptr) return true;
  if (p.op == Predicate::Op::kIsNull) {
    return !stats->null_count || *stats->null_count > 0;
  }
  // Comparisons are never true of a null.
  if (stats->null_count && *stats->null_count >= rows) return false;
  // min_value/max_value follow the column's order. The deprecated min/max were compared as
  // signed values; they are trusted only where signed order is the column's order.
  const std::string* lo_s = stats->min_value ? &*stats->min_value : nullptr;
  const std::string* hi_s = stats->max_value ? &*stats->max_value : nullptr;
  if (lo_s == nullptr && hi_s == nullptr && !column.UnsignedOrder()) {
    lo_s = stats->min ? &*stats->min : nullptr;
    hi_s = stats->max ? &*stats->max : nullptr;
  }
  if (lo_s == nullptr || hi_s == nullptr) return true;
  const Domain d = DomainOf(column);
  Bound lo, hi;
  if (d == Domain::kNone || !DecodeBound(column, *lo_s, &lo) || !DecodeBound(column, *hi_s, &hi)) {
    return true;
  }
  // Bounds are bounds even when inexact (truncated): min <= every value <= max.
  auto in_range = [&](const Value& v) {
    Bound x;
    if (!ValueIn(column, v, &x)) return true;
    return Compare(d, x, lo) >= 0 && Compare(d, x, hi) <= 0;
  };
  Bound x;
  switch (p.op) {
    case Predicate::Op::kEq:
      return p.values.empty() || in_range(p.values[0]);
    case Predicate::Op::kIn:
      for (const Value& v : p.values) {
        if (in_range(v)) return true;
      }
      return false;
    case Predicate::Op::kLt:
      return p.values.empty() || !ValueIn(column, p.values[0], &x) || Compare(d, lo, x) < 0;
    case Predicate::Op::kLe:
      return p.values.empty() || !ValueIn(column, p.values[0], &x) || Compare(d, lo, x) <= 0;
    case Predicate::Op::kGt:
      return p.values.empty() || !ValueIn(column, p.values[0], &x) || Compare(d, hi, x) > 0;
    case Predicate::Op::kGe:
      return p.values.empty() || !ValueIn(column, p.values[0], &x) || Compare(d, hi, x) >= 0;
    case Predicate::Op::kBetween: {
      if (p.values.size() != 2) return true;
      Bound a, b;
      if (!ValueIn(column, p.values[0], &a) || !ValueIn(column, p.values[1], &b)) return true;
      return Compare(d, hi, a) >= 0 && Compare(d, lo, b) <= 0;
    }
    case Predicate::Op::kIsNull:
      return true;
  }
  return true;
}

bool BloomFilterMayMatch(const Predicate& p, const ColumnSpec& column,
                         const SplitBlockBloomFilter& filter) {
  if (p.op != Predicate::Op::kEq && p.op != Predicate::Op::kIn) return true;
  for (const Value& v : p.values) {
    bool impossible = false;
    const std::optional<std::string> bytes = PlainBytes(column, v, &impossible);
    if (impossible) continue;
    if (!bytes) return true;  // not comparable: cannot rule it out
    if (filter.MightContain(SplitBlockBloomFilter::Hash(*bytes))) return true;
  }
  return false;
}

}  // namespace strata::parquet
