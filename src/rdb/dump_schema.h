// The columns of the RDB dump.
//
// The final file of an instance has exactly these columns, in this order (queries written
// against the layout elsewhere depend on them):
//   cluster (string), batch (timestamp ns UTC), instance (string), db (uint64), key (binary),
//   type (string), member_count (uint64), rdb_size (uint64), encoding (string),
//   expire_at (timestamp ms UTC, nullable), idle_seconds (uint64, nullable),
//   freq (uint8, nullable), codis_slot (uint16, nullable), redis_slot (uint16, nullable),
//   memory_estimate (uint64: the key's bytes in a Redis 7.0 that loads the file, as MEMORY
//   USAGE counts them; memory_estimate.h)
// sorted by (db, key). Run files of the external sort hold the same columns without the
// first three, which are constant per instance.
#pragma once

#include <cstdint>
#include <string>

#include "parquet/column_batch.h"
#include "parquet/schema.h"
#include "rdb/key_record.h"

namespace strata::rdb {

// Columns that precede the run columns in the final file.
constexpr int kConstantColumns = 3;
// Positions of db and key: in the run schema, and in the final schema.
constexpr int kRunDbColumn = 0;
constexpr int kRunKeyColumn = 1;

parquet::Schema RunSchema();
parquet::Schema FinalSchema();

struct SlotColumns {
  bool redis = false;  // fill redis_slot
  bool codis = false;  // fill codis_slot
};

// Appends one row for record to a batch of RunSchema().
void AppendKeyRecord(const KeyRecord& record, const SlotColumns& slots,
                     parquet::ColumnBatch* run_batch);

// A batch of FinalSchema(): the constant columns repeated for every row, then the rows of a
// RunSchema() batch.
void ToFinalBatch(const parquet::ColumnBatch& run_batch, const std::string& cluster,
                  int64_t batch_ns, const std::string& instance, parquet::ColumnBatch* out);

}  // namespace strata::rdb
