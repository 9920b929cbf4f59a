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
#include <optional>
#include <string>

#include "parquet/column_batch.h"
#include "parquet/schema.h"
#include "rdb/key_record.h"

namespace strata::rdbtool {

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

// The columns computed from a record rather than read from the file. Computed once per key:
// the run row and the instance's summary both use them.
struct DerivedColumns {
  uint64_t memory_estimate = 0;
  std::optional<uint16_t> redis_slot;
  std::optional<uint16_t> codis_slot;
};
DerivedColumns DeriveColumns(const rdb::KeyRecord& record, const SlotColumns& slots);

// Appends one row for record to a batch of RunSchema().
void AppendKeyRecord(const rdb::KeyRecord& record, const DerivedColumns& derived,
                     parquet::ColumnBatch* run_batch);

// A batch of FinalSchema(): the constant columns repeated for every row, then the rows of a
// RunSchema() batch.
void ToFinalBatch(const parquet::ColumnBatch& run_batch, const std::string& cluster,
                  int64_t batch_ns, const std::string& instance, parquet::ColumnBatch* out);

}  // namespace strata::rdbtool
