// Ordering the rows of a ColumnBatch: comparing two values of a column, sorting a batch by
// some of its columns, and copying rows between vectors (to apply an order or a filter).
//
// Values compare in the column's order, the one its statistics use (statistics.h): signed or
// unsigned integers by their annotation, byte arrays as unsigned bytes, false < true, floats
// numerically. NULL sorts before every value. For sorting to be total, NaN sorts after every
// number and equal to another NaN, and -0.0 equals +0.0.
#pragma once

#include <cstddef>
#include <vector>

#include "parquet/column_batch.h"
#include "parquet/schema.h"

namespace strata::parquet {

// <0, 0 or >0 as row i of a is before, with or after row j of b; both vectors hold
// column's type.
int CompareValues(const ColumnSpec& column, const ColumnVector& a, size_t i, const ColumnVector& b,
                  size_t j);

// Row indexes of batch ordered by the given columns (indexes into the batch's schema), each
// ascending with NULLs first; rows that compare equal keep their order.
std::vector<size_t> SortedRowOrder(const ColumnBatch& batch, const std::vector<int>& columns);

// Appends row i of src (a value or a NULL) to dst, which holds the same physical type.
void AppendRow(const ColumnVector& src, size_t i, ColumnVector* dst);

}  // namespace strata::parquet
