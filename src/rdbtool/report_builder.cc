#include "rdbtool/report_builder.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <map>
#include <memory>
#include <set>

#include "merge/loser_tree.h"
#include "parquet/parquet_reader.h"
#include "rdbtool/batch_layout.h"
#include "rdbtool/key_summary.h"
#include "rdbtool/prefix_aggregator.h"

namespace strata::rdbtool {

namespace {

using parquet::ColumnBatch;
using parquet::ParquetReader;

struct InstanceFile {
  std::string path;
  std::unique_ptr<ParquetReader> reader;
  KeySummary summary;
};

// The rows of one database of one instance file, in key order.
class DbCursor {
 public:
  DbCursor(ParquetReader* reader, uint64_t db, size_t batch_rows)
      : reader_(reader), db_(db), batch_rows_(batch_rows) {}

  Status Open() {
    const parquet::Schema& schema = reader_->schema();
    for (const char* name : {"db", "key", "rdb_size"}) {
      if (schema.IndexOf(name) < 0) {
        return Status::Corruption(reader_->name(),
                                  std::string("no column ") + name + ": not an RDB dump file");
      }
    }
    parquet::ScanOptions scan;
    scan.columns = {"db", "key", "rdb_size"};
    has_memory_ = schema.IndexOf("memory_estimate") >= 0;
    if (has_memory_) scan.columns.push_back("memory_estimate");
    scan.predicates.push_back(
        parquet::Predicate::Compare("db", parquet::Predicate::Op::kEq, parquet::Value::UInt(db_)));
    scan.batch_rows = batch_rows_;
    auto batches = reader_->Scan(scan);
    if (!batches.ok()) return batches.status();
    batches_ = std::move(*batches);
    return Advance();
  }

  bool valid() const { return valid_; }
  std::string_view key() const { return batch_.column(1).Bytes(pos_); }
  uint64_t rdb() const { return batch_.column(2).Value<uint64_t>(pos_); }
  uint64_t memory() const { return has_memory_ ? batch_.column(3).Value<uint64_t>(pos_) : 0; }

  // Moves to the next row of this database (the first on the first call).
  Status Advance() {
    if (started_) pos_++;
    started_ = true;
    while (true) {
      if (pos_ >= batch_.num_rows()) {
        auto more = batches_->Next(&batch_);
        if (!more.ok()) return more.status();
        if (!*more) {
          valid_ = false;
          return Status::OK();
        }
        pos_ = 0;
        continue;
      }
      const uint64_t db = batch_.column(0).Value<uint64_t>(pos_);
      if (db == db_) {
        valid_ = true;
        return Status::OK();
      }
      if (db > db_) {  // sorted by (db, key): this database is done
        valid_ = false;
        return Status::OK();
      }
      pos_++;
    }
  }

 private:
  ParquetReader* reader_;
  const uint64_t db_;
  const size_t batch_rows_;
  std::unique_ptr<parquet::BatchReader> batches_;
  ColumnBatch batch_;
  size_t pos_ = 0;
  bool started_ = false;
  bool valid_ = false;
  bool has_memory_ = false;
};

std::vector<ReportGroup> Groups(const std::map<std::string, ReportTotals>& m) {
  std::vector<ReportGroup> out;
  for (const auto& [name, t] : m) out.push_back({name, t});
  return out;
}

std::optional<ReportSlots> SlotReport(
    const std::string& scheme, uint32_t total_slots, const std::vector<InstanceFile>& files,
    const std::map<uint32_t, std::pair<uint64_t, uint64_t>>& (KeySummary::*slots)() const) {
  std::map<uint32_t, ReportSlot> all;
  for (const InstanceFile& f : files) {
    for (const auto& [slot, v] : (f.summary.*slots)()) {
      ReportSlot& s = all[slot];
      s.slot = slot;
      s.keys += v.first;
      s.memory_bytes += v.second;
      s.instances.push_back(f.summary.instance());
    }
  }
  if (all.empty()) return std::nullopt;
  ReportSlots r;
  r.scheme = scheme;
  r.total_slots = total_slots;
  r.slots_seen = static_cast<uint32_t>(all.size());
  std::vector<ReportSlot> by_memory;
  double sum = 0, sum_sq = 0;
  r.min_memory = UINT64_MAX;
  for (const auto& [slot, s] : all) {
    if (s.instances.size() > 1) r.on_several_instances.push_back(s);
    by_memory.push_back(s);
    r.min_memory = std::min(r.min_memory, s.memory_bytes);
    r.max_memory = std::max(r.max_memory, s.memory_bytes);
    sum += static_cast<double>(s.memory_bytes);
    sum_sq += static_cast<double>(s.memory_bytes) * static_cast<double>(s.memory_bytes);
  }
  const double n = static_cast<double>(all.size());
  r.mean_memory = sum / n;
  r.stddev_memory = std::sqrt(std::max(0.0, sum_sq / n - r.mean_memory * r.mean_memory));
  std::sort(by_memory.begin(), by_memory.end(), [](const ReportSlot& a, const ReportSlot& b) {
    return a.memory_bytes != b.memory_bytes ? a.memory_bytes > b.memory_bytes : a.slot < b.slot;
  });
  if (by_memory.size() > 20) by_memory.resize(20);
  r.largest = std::move(by_memory);
  return r;
}

}  // namespace

Result<std::string> LatestBatch(Env* env, const std::string& dir, const std::string& cluster) {
  const std::string cluster_dir = dir + "/cluster=" + SafePathComponent(cluster);
  std::vector<std::string> children;
  Status s = env->GetChildren(cluster_dir, &children);
  if (!s.ok()) return Status::NotFound(cluster_dir, "no such cluster in the lake");
  std::string latest;
  for (const std::string& c : children) {
    if (c.rfind("batch=", 0) == 0 && c.substr(6) > latest) latest = c.substr(6);
  }
  if (latest.empty()) return Status::NotFound(cluster_dir, "no committed batch");
  return latest;
}

Result<ReportData> BuildReport(const ReportOptions& in) {
  ReportData report;
  ReportData* out = &report;
  ReportOptions options = in;
  Env* env = options.env != nullptr ? options.env : Env::Default();
  if (options.batch.empty()) {
    auto latest = LatestBatch(env, options.dir, options.cluster);
    if (!latest.ok()) return latest.status();
    options.batch = *latest;
  }
  const BatchPaths paths = MakeBatchPaths(options.dir, options.cluster, options.batch);
  std::vector<std::string> names;
  Status s = env->GetChildren(paths.final_dir, &names);
  if (!s.ok()) return Status::NotFound(paths.final_dir, "no such batch");
  std::sort(names.begin(), names.end());

  std::vector<InstanceFile> files;
  KeySummary total;
  for (const std::string& name : names) {
    if (name.size() < 8 || name.compare(name.size() - 8, 8, ".parquet") != 0) continue;
    InstanceFile f;
    f.path = paths.final_dir + "/" + name;
    auto reader = ParquetReader::Open(env, f.path);
    if (!reader.ok()) return reader.status();
    f.reader = std::move(*reader);
    const auto& kv = f.reader->metadata().key_value_metadata;
    const parquet::KeyValue* found = nullptr;
    if (kv) {
      for (const auto& e : *kv) {
        if (e.key == kSummaryMetadataKey && e.value) found = &e;
      }
    }
    if (found == nullptr) {
      return Status::Corruption(f.path, "no " + std::string(kSummaryMetadataKey) +
                                            " metadata: not written by strata rdb dump");
    }
    auto summary = KeySummary::FromJson(*found->value);
    if (!summary.ok()) return Status::Corruption(f.path, summary.status().ToString());
    f.summary = std::move(*summary);
    total.Merge(f.summary);
    files.push_back(std::move(f));
  }
  if (files.empty()) return Status::NotFound(paths.final_dir, "the batch has no instance file");

  out->cluster = options.cluster;
  out->batch = options.batch;
  out->generated_at = options.generated_at;
  out->min_prefix_share = options.min_prefix_share;
  out->total = total.totals();
  out->by_db = Groups(total.by_db());
  // Databases sort as numbers, not as text.
  std::sort(out->by_db.begin(), out->by_db.end(), [](const ReportGroup& a, const ReportGroup& b) {
    return a.name.size() != b.name.size() ? a.name.size() < b.name.size() : a.name < b.name;
  });
  out->by_type = Groups(total.by_type());
  out->by_encoding = Groups(total.by_encoding());
  out->by_instance.clear();
  for (const InstanceFile& f : files) {
    out->by_instance.push_back({f.summary.instance(), f.summary.totals()});
  }
  out->top_keys = total.TopKeys();
  out->big_keys = total.big_keys();
  std::sort(out->big_keys.begin(), out->big_keys.end(),
            [](const ReportKey& a, const ReportKey& b) { return a.memory > b.memory; });
  out->expiry = total.expiry();
  out->redis_slots = SlotReport("redis", 16384, files, &KeySummary::redis_slots);
  out->codis_slots = SlotReport("codis", 1024, files, &KeySummary::codis_slots);

  // The prefix pass: one cursor per (file, database), merged by key.
  const bool by_memory = total.totals().memory_bytes > 0;
  const uint64_t weight = by_memory ? total.totals().memory_bytes : total.totals().rdb_bytes;
  const auto min_bytes =
      static_cast<uint64_t>(std::ceil(static_cast<double>(weight) * options.min_prefix_share));
  PrefixAggregator prefixes(std::max<uint64_t>(1, min_bytes), by_memory);
  std::vector<std::unique_ptr<DbCursor>> cursors;
  for (InstanceFile& f : files) {
    for (const auto& [db, t] : f.summary.by_db()) {
      cursors.push_back(
          std::make_unique<DbCursor>(f.reader.get(), std::stoull(db), options.cursor_batch_rows));
    }
  }
  for (auto& cursor : cursors) {
    s = cursor->Open();
    if (!s.ok()) return s;
  }
  merge::LoserTree tree(
      cursors.size(), merge::AscendingStable([&](int c) { return cursors[c]->valid(); },
                                             [&](int a, int b) {
                                               return cursors[a]->key().compare(cursors[b]->key());
                                             }));
  tree.Rebuild();
  for (int w = tree.winner(); w >= 0 && cursors[w]->valid(); w = tree.winner()) {
    DbCursor& c = *cursors[w];
    prefixes.Add(c.key(), c.memory(), c.rdb());
    s = c.Advance();
    if (!s.ok()) return s;
    tree.Replay();
  }
  out->prefixes = prefixes.Finish();
  return report;
}

}  // namespace strata::rdbtool
