// RowOrder: the order of rows of a ColumnBatch by some of its columns, ascending, nulls
// first: integers by value (signed or unsigned as the column's logical type says), floating
// point numerically (NaN last), byte arrays as unsigned bytes.
//
// Used by the external sorter to sort a run in memory and to merge runs. Comparing two rows
// costs one switch per key column, no allocation.
#pragma once

#include <cstdint>
#include <vector>

#include "parquet/column_batch.h"
#include "parquet/metadata.h"
#include "parquet/schema.h"

namespace strata {

class RowOrder {
 public:
  // key_columns: indexes into the schema, most significant first.
  RowOrder(const parquet::Schema& schema, std::vector<int> key_columns);

  const std::vector<int>& key_columns() const { return key_columns_; }

  // <0, 0, >0 as row i of a orders before, with, or after row j of b (same schema).
  int Compare(const parquet::ColumnBatch& a, size_t i, const parquet::ColumnBatch& b,
              size_t j) const;

  // A permutation of [0, batch.num_rows()) that lists the rows in order (stable).
  std::vector<uint32_t> SortedPermutation(const parquet::ColumnBatch& batch) const;

  // The Parquet sorting_columns that describe this order.
  std::vector<parquet::SortingColumn> SortingColumns() const;

 private:
  enum class Kind : uint8_t { kSigned, kUnsigned, kFloat, kDouble, kBytes, kBool };
  struct Key {
    int column;
    Kind kind;
  };
  int CompareKey(const Key& k, const parquet::ColumnVector& a, size_t i,
                 const parquet::ColumnVector& b, size_t j) const;

  std::vector<int> key_columns_;
  std::vector<Key> keys_;
};

// Appends row i of src to dst (same schema), column by column.
void AppendRow(const parquet::ColumnBatch& src, size_t i, parquet::ColumnBatch* dst);
// dst gets the rows of src in the order perm lists them.
void Gather(const parquet::ColumnBatch& src, const std::vector<uint32_t>& perm,
            parquet::ColumnBatch* dst);

}  // namespace strata
