#include "db/compaction_job.h"

#include <chrono>

#include "db/filename.h"
#include "db/obsolete_version_filter.h"
#include "db/table_output.h"
#include "merge/merging_iterator.h"

namespace strata {

CompactionJob::CompactionJob(const CompactionJobContext& ctx, const Compaction& c,
                             std::vector<memtable::SequenceNumber> snapshots)
    : ctx_(ctx), c_(c), snapshots_(std::move(snapshots)) {}

Status CompactionJob::FinishOutput(TableOutput* out) {
  FileMetaData meta;
  Status s = out->Finish(&meta);
  if (s.ok() && meta.file_size > 0) {
    stats_.bytes_written += meta.file_size;
    outputs_.push_back(std::move(meta));
  }
  return s;
}

Status CompactionJob::Run() {
  const auto start = std::chrono::steady_clock::now();
  const Comparator* ucmp = ctx_.icmp->user_comparator();
  std::vector<std::unique_ptr<Iterator>> children;
  // Tables stay open (and in the table cache's hands) while their iterators live.
  std::vector<std::shared_ptr<sst::TableReader>> tables;
  // Compaction reads every block once: verify them, and keep them out of the block cache.
  const sst::TableReadOptions read_options{/*verify_checksums=*/true, /*fill_cache=*/false};
  Status s;
  for (int which = 0; which < 2 && s.ok(); which++) {
    for (const auto& f : c_.inputs[which]) {
      auto table = ctx_.table_cache->Find(*f);
      if (!table.ok()) {
        s = table.status();
        break;
      }
      children.push_back((*table)->NewIterator(read_options));
      tables.push_back(std::move(*table));
      stats_.bytes_read[which] += f->file_size;
    }
  }
  TableOutput out(ctx_.env, ctx_.db, *ctx_.table_options, ctx_.rate_limiter);
  if (s.ok()) {
    std::unique_ptr<Iterator> merged = merge::NewMergingIterator(ctx_.icmp, std::move(children));
    DeeperLevels deeper(c_, ucmp);
    ObsoleteVersionFilter filter(ucmp, std::move(snapshots_),
                                 [&deeper](const Slice& k) { return deeper.MayHoldKey(k); });
    OutputCutter cutter(c_, ctx_.icmp);
    std::string current_user_key;
    bool has_current = false;
    std::string zeroed_key;  // an entry's internal key rewritten with sequence zero
    for (merged->SeekToFirst(); s.ok() && merged->Valid(); merged->Next()) {
      if (ctx_.shutting_down != nullptr && ctx_.shutting_down->load(std::memory_order_relaxed)) {
        s = Status::Aborted("compaction", "the DB is closing");
        break;
      }
      stats_.entries_in++;
      memtable::ParsedInternalKey k;
      if (!memtable::ParseInternalKey(merged->key(), &k)) {
        s = Status::Corruption("compaction input", "malformed internal key");
        break;
      }
      // Outputs end only between user keys: all versions of a key stay in one file, so a
      // level's files never share a user key.
      if (!has_current || ucmp->Compare(k.user_key, current_user_key) != 0) {
        current_user_key.assign(k.user_key.data(), k.user_key.size());
        has_current = true;
        if (cutter.ShouldCutBefore(merged->key(), out.FileSize()) && out.is_open()) {
          s = FinishOutput(&out);
          if (!s.ok()) break;
        }
      }
      if (filter.Drop(k)) {
        stats_.entries_dropped++;
        continue;
      }
      if (!out.is_open()) {
        s = out.Open(ctx_.new_file_number());
        if (!s.ok()) break;
      }
      if (filter.CanZeroSequence(k)) {
        zeroed_key.clear();
        memtable::AppendInternalKey(&zeroed_key, {k.user_key, 0, k.type});
        s = out.Add(zeroed_key, merged->value());
      } else {
        s = out.Add(merged->key(), merged->value());
      }
    }
    if (s.ok()) s = merged->status();
    if (s.ok() && out.is_open()) s = FinishOutput(&out);
  }
  out.Abandon();
  tables.clear();
  if (s.ok() && !outputs_.empty()) s = ctx_.env->SyncDir(ctx_.db);
  if (!s.ok()) {
    for (const FileMetaData& f : outputs_)
      (void)ctx_.env->DeleteFile(TableFileName(ctx_.db, f.number));
    outputs_.clear();
  }
  stats_.micros = static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::microseconds>(
                                            std::chrono::steady_clock::now() - start)
                                            .count());
  return s;
}

}  // namespace strata
