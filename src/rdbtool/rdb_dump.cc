#include "rdbtool/rdb_dump.h"

#include <algorithm>
#include <chrono>
#include <cinttypes>
#include <condition_variable>
#include <cstdio>
#include <mutex>

#include "base/escape.h"
#include "base/thread_pool.h"
#include "parquet/metadata.h"
#include "parquet/parquet_writer.h"
#include "rdb/rdb_parser.h"
#include "rdbtool/batch_publisher.h"
#include "rdbtool/key_slots.h"
#include "rdbtool/key_summary.h"
#include "rdbtool/memory_estimate.h"
#include "sort/external_sorter.h"

namespace strata::rdbtool {

using parquet::ColumnBatch;

namespace {

double SecondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// Feeds parsed keys into the sorter's run buffer, the instance's summary and the progress
// counters.
class RowVisitor final : public rdb::RdbVisitor {
 public:
  RowVisitor(sort::ExternalSorter* sorter, SlotColumns slots, KeySummary* summary,
             DumpProgress* progress)
      : sorter_(sorter), slots_(slots), summary_(summary), progress_(progress) {}

  Status OnHeader(const rdb::RdbHeader& header) override {
    version_ = header.version;
    return Status::OK();
  }
  Status OnKey(const rdb::KeyRecord& record) override {
    const DerivedColumns derived = DeriveColumns(record, slots_);
    AppendKeyRecord(record, derived, sorter_->buffer());
    summary_->Add(record, derived.memory_estimate, derived.redis_slot, derived.codis_slot);
    keys_++;
    if (progress_ != nullptr) progress_->keys.fetch_add(1, std::memory_order_relaxed);
    return sorter_->AddBuffered();
  }

  uint64_t keys() const { return keys_; }
  int version() const { return version_; }

 private:
  sort::ExternalSorter* const sorter_;
  const SlotColumns slots_;
  KeySummary* const summary_;
  DumpProgress* const progress_;
  uint64_t keys_ = 0;
  int version_ = 0;
};

// Wraps a source to publish how many bytes were read.
class CountingSource final : public ByteSource {
 public:
  CountingSource(std::unique_ptr<ByteSource> inner, DumpProgress* progress)
      : inner_(std::move(inner)), progress_(progress) {}
  Result<size_t> Read(char* dst, size_t n) override {
    auto got = inner_->Read(dst, n);
    if (got.ok()) {
      bytes_ += *got;
      if (progress_ != nullptr) progress_->bytes_read.fetch_add(*got, std::memory_order_relaxed);
    }
    return got;
  }
  uint64_t bytes() const { return bytes_; }

 private:
  std::unique_ptr<ByteSource> inner_;
  DumpProgress* const progress_;
  uint64_t bytes_ = 0;
};

std::string Describe(const ColumnBatch& run_batch, size_t row) {
  const std::string_view key = run_batch.column(kRunKeyColumn).Bytes(row);
  return "duplicate key (db " +
         std::to_string(run_batch.column(kRunDbColumn).Value<uint64_t>(row)) + ", " +
         QuoteBytes(key, rdb::kKeyBytesShown) + "): a valid RDB holds each key once";
}

Status DumpOne(const DumpInstance& instance, const DumpOptions& options, BatchPublisher* publisher,
               ThreadPool* pool, DumpProgress* progress, InstanceResult* out) {
  const BatchPaths& paths = publisher->local_paths();
  Env* env = options.env;
  const auto start = std::chrono::steady_clock::now();
  const std::string safe = SafePathComponent(instance.name);
  out->name = instance.name;
  out->path = paths.InstanceFile(instance.name);
  auto log = [&](const std::string& line) {
    if (options.log) options.log("[" + instance.name + "] " + line);
  };

  auto opened = instance.open();
  if (!opened.ok()) return opened.status();
  CountingSource source(std::move(*opened), progress);

  sort::ExternalSorterOptions so;
  so.env = env;
  so.run_dir = paths.runs_dir;
  so.run_prefix = safe;
  so.run_rows = options.run_rows;
  so.run_codec = options.intermediate_compression;
  so.fan_in = options.fan_in;
  so.pool = pool;
  so.unique_keys = true;
  so.duplicate_message = [&](const ColumnBatch& b, size_t row) {
    return instance.name + ": " + Describe(b, row);
  };
  so.log = log;
  sort::ExternalSorter sorter(RunSchema(), {kRunDbColumn, kRunKeyColumn}, so);

  KeySummary summary(instance.name, options.batch_ns / 1000000);
  RowVisitor visitor(&sorter, instance.slots, &summary, progress);
  rdb::RdbParserOptions po;
  po.verify_checksum = options.verify_checksum;
  rdb::RdbParser parser(&source, instance.name, po, &visitor);
  Status s = parser.Parse();
  out->rdb_bytes = source.bytes();
  out->rdb_version = visitor.version();
  if (!s.ok()) return s;
  if (!options.fail_instance_for_test.empty() && options.fail_instance_for_test == instance.name) {
    return Status::IOError("injected failure (test)");
  }

  // The final file: every sorted batch with the constant columns added.
  parquet::WriterOptions wo;
  wo.compression = options.compression;
  wo.row_group_rows = options.row_group_rows;
  // The report merges every (instance, db) of a batch at once and holds a decoded page per
  // column of each. 64 KiB pages instead of 1 MiB ones: a 40-instance batch of 270 million
  // keys reports in 144 MiB instead of 246 MiB; the file of the benchmark's 6.76 million keys
  // grows from 3.8 MB to 4.6 MB (its values compress so well that page headers show).
  wo.page_bytes = 64 << 10;
  wo.sorting_columns = {{kConstantColumns + kRunDbColumn, false, true},
                        {kConstantColumns + kRunKeyColumn, false, true}};
  wo.key_value_metadata = {{"strata.rdb.instance", instance.name},
                           {"strata.rdb.version", std::to_string(visitor.version())}};
  auto writer = parquet::ParquetWriter::Open(env, out->path, FinalSchema(), wo);
  if (!writer.ok()) return writer.status();
  const auto merge_start = std::chrono::steady_clock::now();
  ColumnBatch final_batch(FinalSchema());
  s = sorter.Finish([&](const ColumnBatch& sorted) {
    ToFinalBatch(sorted, options.cluster, options.batch_ns, instance.name, &final_batch);
    return (*writer)->Write(final_batch);
  });
  if (!s.ok()) return s;
  (*writer)->SetKeyValue(std::string(kSummaryMetadataKey), summary.ToJson());
  auto written = (*writer)->Close();
  if (!written.ok()) return written.status();
  out->keys = visitor.keys();
  out->file_bytes = written->file_bytes;
  s = publisher->AddInstance(instance.name, out->path, out->keys);
  if (!s.ok()) return s;
  out->runs = sorter.stats().runs;
  out->merge_passes = sorter.stats().merge_passes;
  out->seconds = SecondsSince(start);
  char line[512];
  std::snprintf(line, sizeof(line),
                "merge: fan-in %" PRIu64 ", %" PRIu64 " rows, %.3f s, %" PRIu64
                " bytes (%s), run bytes %" PRIu64 ", compression ratio %.2f",
                std::max<uint64_t>(1, out->runs), out->keys, SecondsSince(merge_start),
                out->file_bytes, EnumName(options.compression).c_str(), sorter.stats().run_bytes,
                out->file_bytes > 0 ? static_cast<double>(out->rdb_bytes) / out->file_bytes : 0.0);
  log(line);
  return Status::OK();
}

}  // namespace

Status DumpBatch(const std::vector<DumpInstance>& instances, const DumpOptions& in_options,
                 DumpProgress* progress, DumpResult* result) {
  DumpOptions options = in_options;
  if (options.env == nullptr) options.env = Env::Default();
  if (options.cluster.empty()) return Status::InvalidArgument("a cluster name is required");
  if (instances.empty()) return Status::InvalidArgument("no instance to dump");
  // Instance names must stay distinct once made path-safe: each is one file.
  for (size_t i = 0; i < instances.size(); i++) {
    for (size_t j = i + 1; j < instances.size(); j++) {
      if (SafePathComponent(instances[i].name) == SafePathComponent(instances[j].name)) {
        return Status::InvalidArgument(
            "two instances map to the file name " + SafePathComponent(instances[i].name) +
            ".parquet: " + instances[i].name + " and " + instances[j].name + " (use --instance)");
      }
    }
  }
  result->batch_id = FormatBatchId(options.batch_ns);
  result->instances.assign(instances.size(), InstanceResult());
  PublisherOptions po;
  po.env = options.env;
  po.lake = options.dir;
  po.staging_dir = options.staging_dir;
  po.store = options.store;
  po.cluster = options.cluster;
  po.batch_id = result->batch_id;
  auto publisher = BatchPublisher::Open(po);
  if (!publisher.ok()) return publisher.status();
  result->paths = (*publisher)->local_paths();
  result->location = (*publisher)->BatchLocation();
  Status s = (*publisher)->Begin();
  if (!s.ok()) return s;
  if (progress != nullptr) {
    progress->instances = static_cast<int>(instances.size());
    uint64_t total = 0;
    for (const auto& i : instances) total += i.total_bytes;
    progress->total_bytes = total;
  }

  // One pool runs the instances and sorts their runs: `concurrency` instance tasks at most,
  // plus one thread so a run being sorted never waits for an instance slot.
  const int concurrency = std::max(1, options.concurrency);
  ThreadPool pool(concurrency + 1);
  std::mutex mu;
  std::condition_variable slot_free;
  int running = 0;
  for (size_t i = 0; i < instances.size(); i++) {
    {
      std::unique_lock lock(mu);
      slot_free.wait(lock, [&] { return running < concurrency; });
      running++;
    }
    pool.Schedule([&, i] {
      InstanceResult& r = result->instances[i];
      Status st = DumpOne(instances[i], options, publisher->get(), &pool, progress, &r);
      if (!st.ok()) {
        r.status = Status::IOError("instance " + instances[i].name, st.ToString());
      }
      if (progress != nullptr) progress->instances_done.fetch_add(1);
      std::lock_guard lock(mu);
      running--;
      slot_free.notify_one();
    });
  }
  pool.Wait();
  // The first failure is the one to report; a staging directory that could not be removed is
  // only logged (it stays, as a local lake's _tmp_batch= does).
  auto abandon = [&](Status failure) {
    Status cleanup = (*publisher)->Abandon();
    if (!cleanup.ok() && options.log) options.log("staging left behind: " + cleanup.ToString());
    return failure;
  };
  for (const InstanceResult& r : result->instances) {
    if (!r.status.ok()) return abandon(r.status);
  }
  s = (*publisher)->Commit();
  if (!s.ok()) return abandon(s);
  for (InstanceResult& r : result->instances) {
    r.path = result->location + "/" + SafePathComponent(r.name) + ".parquet";
  }
  result->committed = true;
  return Status::OK();
}

}  // namespace strata::rdbtool
