#include "rdbtool/dump_schema.h"

#include "rdbtool/key_slots.h"
#include "rdbtool/memory_estimate.h"

namespace strata::rdbtool {

using parquet::ColumnBatch;
using parquet::Schema;
using parquet::TimeUnit;

namespace {

// Run column indexes.
enum RunColumn : size_t {
  kDb = 0,
  kKey,
  kType,
  kMemberCount,
  kRdbSize,
  kEncoding,
  kExpireAt,
  kIdleSeconds,
  kFreq,
  kCodisSlot,
  kRedisSlot,
  kMemoryEstimate,
  kRunColumns,
};

}  // namespace

Schema RunSchema() {
  return Schema({parquet::IntColumn("db", 64, false), parquet::BinaryColumn("key"),
                 parquet::StringColumn("type"), parquet::IntColumn("member_count", 64, false),
                 parquet::IntColumn("rdb_size", 64, false), parquet::StringColumn("encoding"),
                 parquet::TimestampColumn("expire_at", TimeUnit::kMillis, /*optional=*/true),
                 parquet::IntColumn("idle_seconds", 64, false, /*optional=*/true),
                 parquet::IntColumn("freq", 8, false, /*optional=*/true),
                 parquet::IntColumn("codis_slot", 16, false, /*optional=*/true),
                 parquet::IntColumn("redis_slot", 16, false, /*optional=*/true),
                 parquet::IntColumn("memory_estimate", 64, false)});
}

Schema FinalSchema() {
  std::vector<parquet::ColumnSpec> columns = {parquet::StringColumn("cluster"),
                                              parquet::TimestampColumn("batch", TimeUnit::kNanos),
                                              parquet::StringColumn("instance")};
  const Schema run = RunSchema();
  for (const auto& c : run.columns()) columns.push_back(c);
  return Schema(std::move(columns));
}

DerivedColumns DeriveColumns(const rdb::KeyRecord& r, const SlotColumns& slots) {
  DerivedColumns d;
  // Redis 7.0 with its default limits (memory_estimate.h).
  d.memory_estimate = EstimateMemory(r);
  if (slots.redis) d.redis_slot = RedisSlot(r.key);
  if (slots.codis) d.codis_slot = CodisSlot(r.key);
  return d;
}

void AppendKeyRecord(const rdb::KeyRecord& r, const DerivedColumns& d, ColumnBatch* b) {
  b->column(kDb).AppendInt64(static_cast<int64_t>(r.db));
  b->column(kKey).AppendBytes(r.key);
  b->column(kType).AppendBytes(EnumName(r.type));
  b->column(kMemberCount).AppendInt64(static_cast<int64_t>(r.member_count));
  b->column(kRdbSize).AppendInt64(static_cast<int64_t>(r.rdb_size));
  b->column(kEncoding).AppendBytes(r.encoding);
  if (r.expire_at_ms) {
    b->column(kExpireAt).AppendInt64(*r.expire_at_ms);
  } else {
    b->column(kExpireAt).AppendNull();
  }
  if (r.idle_seconds) {
    b->column(kIdleSeconds).AppendInt64(static_cast<int64_t>(*r.idle_seconds));
  } else {
    b->column(kIdleSeconds).AppendNull();
  }
  if (r.freq) {
    b->column(kFreq).AppendInt32(*r.freq);
  } else {
    b->column(kFreq).AppendNull();
  }
  if (d.codis_slot) {
    b->column(kCodisSlot).AppendInt32(*d.codis_slot);
  } else {
    b->column(kCodisSlot).AppendNull();
  }
  if (d.redis_slot) {
    b->column(kRedisSlot).AppendInt32(*d.redis_slot);
  } else {
    b->column(kRedisSlot).AppendNull();
  }
  b->column(kMemoryEstimate).AppendInt64(static_cast<int64_t>(d.memory_estimate));
}

void ToFinalBatch(const ColumnBatch& run_batch, const std::string& cluster, int64_t batch_ns,
                  const std::string& instance, ColumnBatch* out) {
  if (out->num_columns() != kConstantColumns + kRunColumns) *out = ColumnBatch(FinalSchema());
  out->Clear();
  const size_t rows = run_batch.num_rows();
  for (size_t i = 0; i < rows; i++) {
    out->column(0).AppendBytes(cluster);
    out->column(1).AppendInt64(batch_ns);
    out->column(2).AppendBytes(instance);
  }
  for (size_t c = 0; c < kRunColumns; c++) out->column(kConstantColumns + c) = run_batch.column(c);
}

}  // namespace strata::rdbtool
