// `strata parquet cat --where`: one comparison of a column with a literal, "col<op>value" with
// op one of = < <= > >=. It prunes row groups through their statistics and bloom filters
// (parquet/predicate.h) and then filters the rows that are read.
//
// The literal is parsed as the column's type, with the syntax `cat` prints (value_parse.h);
// spaces around the column, operator and literal are ignored, and one pair of surrounding
// quotes ('...' or "...") is removed. Rows that are NULL never match, nor NaN (as in SQL
// comparisons), and values compare in the column's order (unsigned integers as unsigned,
// strings as unsigned bytes), the order the statistics that prune use.
#pragma once

#include <string>

#include "base/result.h"
#include "parquet/column_batch.h"
#include "parquet/predicate.h"
#include "parquet/schema.h"

namespace strata::cli {

class WhereFilter {
 public:
  // InvalidArgument "--where: ..." for a text that is not col<op>value, a column the schema
  // lacks, or a literal that is not a value of the column's type.
  static Result<WhereFilter> Parse(const std::string& text, const parquet::Schema& schema);

  const std::string& column() const { return column_.name; }
  // The same condition for row-group pruning.
  const parquet::Predicate& predicate() const { return predicate_; }
  // Whether row i of values (the column's values) satisfies the condition.
  bool Matches(const parquet::ColumnVector& values, size_t i) const;

 private:
  WhereFilter() = default;

  parquet::ColumnSpec column_;
  parquet::Predicate::Op op_ = parquet::Predicate::Op::kEq;
  parquet::ColumnVector literal_;  // one value, of the column's type
  parquet::Predicate predicate_;
};

}  // namespace strata::cli
