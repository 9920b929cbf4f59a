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

namespace strata::sort {

// Order-preserving 64-bit images of a row's first two key columns: comparing heads decides
// most comparisons without touching the rows (see RowOrder::CompareWithHeads).
struct RowHead {
  uint64_t a = 0;  // image of the first key column
  uint64_t b = 0;  // image of the second (0 when there is none)
  uint64_t c = 0;  // bytes 8-15 of the second, when it is a byte string
};

// A row of one of several batches.
struct RowRef {
  uint32_t source;
  uint32_t row;
};

class RowOrder {
 public:
  // key_columns: indexes into the schema, most significant first.
  RowOrder(const parquet::Schema& schema, std::vector<int> key_columns);

  const std::vector<int>& key_columns() const { return key_columns_; }

  // <0, 0, >0 as row i of a orders before, with, or after row j of b (same schema).
  int Compare(const parquet::ColumnBatch& a, size_t i, const parquet::ColumnBatch& b,
              size_t j) const;

  // The head of a row. Images are order-preserving: a smaller image means a smaller key, and
  // equal images may hide different keys (two byte strings with the same first 8 bytes).
  RowHead Head(const parquet::ColumnBatch& batch, size_t row) const;
  // Whether equal first images of rows of this batch mean equal first keys (an integer key
  // column without nulls): only then may the second image decide.
  bool FirstImageExact(const parquet::ColumnBatch& batch) const;
  // As Compare, deciding from the heads when they can. exact: FirstImageExact of both batches.
  int CompareWithHeads(const parquet::ColumnBatch& a, size_t i, const RowHead& ha,
                       const parquet::ColumnBatch& b, size_t j, const RowHead& hb,
                       bool exact) const {
    if (ha.a != hb.a) return ha.a < hb.a ? -1 : 1;
    if (exact) {
      // Zero-padded byte images order as the bytes do, so c may decide once b ties.
      if (ha.b != hb.b) return ha.b < hb.b ? -1 : 1;
      if (ha.c != hb.c) return ha.c < hb.c ? -1 : 1;
    }
    return Compare(a, i, b, j);
  }

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
  uint64_t Image(const Key& k, const parquet::ColumnVector& v, size_t row) const;

  std::vector<int> key_columns_;
  std::vector<Key> keys_;
};

// Appends row i of src to dst (same schema), column by column.
void AppendRow(const parquet::ColumnBatch& src, size_t i, parquet::ColumnBatch* dst);
// Appends the rows of sources that rows names, in that order, to dst (same schema). Column
// by column: one type dispatch per column, not per value.
void GatherRows(const std::vector<const parquet::ColumnBatch*>& sources,
                const std::vector<RowRef>& rows, parquet::ColumnBatch* dst);
// dst gets the rows of src in the order perm lists them.
void Gather(const parquet::ColumnBatch& src, const std::vector<uint32_t>& perm,
            parquet::ColumnBatch* dst);

}  // namespace strata::sort
