#include "parquet_where.h"

#include <cmath>
#include <cstring>

#include "parquet/value_parse.h"

namespace strata::cli {

namespace {

using parquet::Predicate;
using parquet::Type;
using parquet::Value;

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

template <typename T>
int Compare3(T x, T y) {
  return x < y ? -1 : (y < x ? 1 : 0);
}

// <0, 0, >0 as row i of a orders before, with or after row j of b, both present and not
// NaN, in the order the column's statistics use (the order pruning judges by).
int CompareValues(const parquet::ColumnSpec& column, const parquet::ColumnVector& a, size_t i,
                  const parquet::ColumnVector& b, size_t j) {
  const bool is_unsigned = column.logical == parquet::LogicalKind::kInteger && !column.is_signed;
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
      return Compare3(a.Value<float>(i), b.Value<float>(j));  // -0.0 == +0.0
    case Type::kDouble:
      return Compare3(a.Value<double>(i), b.Value<double>(j));
    default: {  // byte arrays, as unsigned bytes; a prefix first
      const std::string_view x = a.Bytes(i);
      const std::string_view y = b.Bytes(j);
      const size_t n = std::min(x.size(), y.size());
      const int c = n == 0 ? 0 : std::memcmp(x.data(), y.data(), n);
      return c != 0 ? c : Compare3(x.size(), y.size());
    }
  }
}

bool IsNaN(const parquet::ColumnVector& v, size_t i) {
  if (v.physical() == Type::kFloat) return std::isnan(v.Value<float>(i));
  if (v.physical() == Type::kDouble) return std::isnan(v.Value<double>(i));
  return false;
}

// The literal as predicate.h's loosely typed Value, in the domain statistics compare in.
Value PredicateValue(const parquet::ColumnSpec& column, const parquet::ColumnVector& literal) {
  const bool is_unsigned = column.logical == parquet::LogicalKind::kInteger && !column.is_signed;
  switch (literal.physical()) {
    case Type::kBoolean:
      return Value::Bool(literal.Value<uint8_t>(0) != 0);
    case Type::kInt32:
      return is_unsigned ? Value::UInt(static_cast<uint32_t>(literal.Value<int32_t>(0)))
                         : Value::Int(literal.Value<int32_t>(0));
    case Type::kInt64:
      return is_unsigned ? Value::UInt(static_cast<uint64_t>(literal.Value<int64_t>(0)))
                         : Value::Int(literal.Value<int64_t>(0));
    case Type::kFloat:
      return Value::Double(literal.Value<float>(0));
    case Type::kDouble:
      return Value::Double(literal.Value<double>(0));
    default:
      return Value::Bytes(std::string(literal.Bytes(0)));
  }
}

}  // namespace

Result<WhereFilter> WhereFilter::Parse(const std::string& text, const parquet::Schema& schema) {
  const size_t at = text.find_first_of("<>=");
  if (at == std::string::npos || at == 0) {
    return Status::InvalidArgument("--where", "\"" + text +
                                                  "\" is not column<op>value with op one of = < "
                                                  "<= > >=");
  }
  WhereFilter f;
  const std::string name(Trim(std::string_view(text).substr(0, at)));
  std::string_view rest = std::string_view(text).substr(at);
  if (rest.starts_with("<=")) {
    f.op_ = Predicate::Op::kLe;
    rest.remove_prefix(2);
  } else if (rest.starts_with(">=")) {
    f.op_ = Predicate::Op::kGe;
    rest.remove_prefix(2);
  } else if (rest.starts_with("<")) {
    f.op_ = Predicate::Op::kLt;
    rest.remove_prefix(1);
  } else if (rest.starts_with(">")) {
    f.op_ = Predicate::Op::kGt;
    rest.remove_prefix(1);
  } else {
    f.op_ = Predicate::Op::kEq;
    rest.remove_prefix(rest.starts_with("==") ? 2 : 1);
  }
  rest = Trim(rest);
  if (rest.size() >= 2 && (rest.front() == '\'' || rest.front() == '"') &&
      rest.back() == rest.front()) {
    rest = rest.substr(1, rest.size() - 2);
  }
  const int index = schema.IndexOf(name);
  if (index < 0) return Status::InvalidArgument("--where", "no column named \"" + name + "\"");
  f.column_ = schema.column(index);
  f.literal_ = parquet::ColumnVector(f.column_.physical, f.column_.type_length);
  Status s = parquet::AppendParsedValue(f.column_, rest, &f.literal_);
  if (!s.ok()) return Status::InvalidArgument("--where: column " + name, s.message());
  f.predicate_ = Predicate::Compare(name, f.op_, PredicateValue(f.column_, f.literal_));
  return f;
}

bool WhereFilter::Matches(const parquet::ColumnVector& values, size_t i) const {
  if (!values.IsValid(i) || IsNaN(values, i) || IsNaN(literal_, 0)) return false;
  const int c = CompareValues(column_, values, i, literal_, 0);
  switch (op_) {
    case Predicate::Op::kEq:
      return c == 0;
    case Predicate::Op::kLt:
      return c < 0;
    case Predicate::Op::kLe:
      return c <= 0;
    case Predicate::Op::kGt:
      return c > 0;
    case Predicate::Op::kGe:
      return c >= 0;
    default:
      return false;
  }
}

}  // namespace strata::cli
