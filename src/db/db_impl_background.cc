// DBImpl's background work: flushing full memtables to level-0 tables, running the
// compactions the CompactionPicker chooses (and manual ones, in the caller's thread), and
// deleting files no Version needs.
#include <algorithm>

#include "db/compaction_job.h"
#include "db/db_impl.h"
#include "db/filename.h"
#include "db/obsolete_version_filter.h"
#include "db/table_output.h"

namespace strata {

namespace {

uint64_t MicrosSince(std::chrono::steady_clock::time_point start) {
  return static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::microseconds>(
                                   std::chrono::steady_clock::now() - start)
                                   .count());
}

}  // namespace

void DBImpl::MaybeScheduleWork() { bg_cv_.notify_all(); }

int DBImpl::MaxBackgroundCompactions() const {
  // One thread stays free for flushes, so a long compaction never blocks a memtable switch.
  return std::max(options_.max_background_jobs - 1, 1);
}

void DBImpl::BackgroundLoop() {
  std::unique_lock lock(mu_);
  while (!shutting_down_) {
    if (bg_error_.ok() && !imms_.empty() && !flush_running_) {
      // Flushes first: writers may be waiting for a memtable.
      flush_running_ = true;
      Status s = FlushImmutable(lock);
      flush_running_ = false;
      if (!s.ok() && bg_error_.ok()) bg_error_ = s;
      bg_cv_.notify_all();
      continue;
    }
    if (bg_error_.ok() && compactions_running_ < MaxBackgroundCompactions()) {
      std::unique_ptr<Compaction> c = picker_->Pick(versions_->current());
      if (c) {
        compactions_running_++;
        Status s = RunCompaction(lock, c.get());
        picker_->Release(*c);
        compactions_running_--;
        if (!s.ok() && !s.IsAborted() && bg_error_.ok()) bg_error_ = s;
        bg_cv_.notify_all();
        continue;
      }
    }
    // Every change that could give work (a full memtable, a new Version, a finished job, an
    // error cleared by nothing: errors are sticky) notifies bg_cv_ under mu_.
    bg_cv_.wait(lock);
  }
}

Status DBImpl::WriteTable(Iterator* input, uint64_t number, ObsoleteVersionFilter* filter,
                          FileMetaData* meta) {
  TableOutput out(env_, path_, table_options_);
  Status s = out.Open(number);
  for (input->SeekToFirst(); s.ok() && input->Valid(); input->Next()) {
    if (filter != nullptr) {
      memtable::ParsedInternalKey k;
      if (!memtable::ParseInternalKey(input->key(), &k)) {
        s = Status::Corruption(TableFileName(path_, number),
                               "malformed internal key from the memtable");
        break;
      }
      if (filter->Drop(k)) continue;
    }
    s = out.Add(input->key(), input->value());
  }
  if (s.ok()) s = input->status();
  if (s.ok()) s = out.Finish(meta);
  if (!s.ok()) {
    out.Abandon();
    meta->file_size = 0;
    return s;
  }
  // The MANIFEST will name this file: its directory entry must be durable first.
  if (meta->file_size > 0) {
    s = env_->SyncDir(path_);
    if (!s.ok()) {
      (void)env_->DeleteFile(TableFileName(path_, number));
      meta->file_size = 0;
    }
  }
  return s;
}

Status DBImpl::FlushImmutable(std::unique_lock<std::mutex>& lock) {
  // The oldest first: a log can be dropped only once every memtable with its writes is out.
  memtable::MemTable* imm = imms_.front().mem;
  const uint64_t number = versions_->NewFileNumber();
  pending_outputs_.insert(number);
  // Versions shadowed within the memtable and invisible to every snapshot go now; deletions
  // stay, since older data below may still need hiding.
  ObsoleteVersionFilter filter(options_.comparator, SnapshotList(), /*bottommost=*/false);
  const auto start = std::chrono::steady_clock::now();
  lock.unlock();
  FileMetaData meta;
  Status s;
  {
    std::unique_ptr<Iterator> it = imm->NewIterator();
    s = WriteTable(it.get(), number, &filter, &meta);
  }
  lock.lock();
  if (s.ok()) {
    VersionEdit edit;
    if (meta.file_size > 0) edit.AddFile(0, meta);
    // Every write in logs before next_log is now in tables.
    edit.SetLogNumber(imms_.front().next_log);
    s = versions_->LogAndApply(&edit);
    // After a failed MANIFEST write the table stays pending (never deleted while open): the
    // MANIFEST on disk may name it.
    if (s.ok()) pending_outputs_.erase(number);
  } else {
    pending_outputs_.erase(number);
  }
  if (!s.ok()) return s;
  LevelWriteStats& l0 = stats_.level[0];
  l0.runs++;
  l0.bytes_read_upper += imm->ApproximateMemoryUsage();
  l0.bytes_written += meta.file_size;
  l0.micros += MicrosSince(start);
  imm->Unref();
  imms_.pop_front();
  InstallSuperVersion();
  DeleteObsoleteFiles();
  return Status::OK();
}

Status DBImpl::RunCompaction(std::unique_lock<std::mutex>& lock, Compaction* c) {
  LevelWriteStats& l = stats_.level[c->output_level];
  if (c->IsTrivialMove()) {
    const auto& f = c->inputs[0][0];
    VersionEdit edit;
    edit.DeleteFile(c->level, f->number);
    edit.AddFile(c->output_level, *f);
    Status s = versions_->LogAndApply(&edit);
    if (s.ok()) {
      l.trivial_moves++;
      InstallSuperVersion();
    }
    return s;
  }
  CompactionJobContext ctx;
  ctx.env = env_;
  ctx.db = path_;
  ctx.icmp = &icmp_;
  ctx.table_cache = table_cache_.get();
  ctx.table_options = &table_options_;
  ctx.rate_limiter = rate_limiter_.get();
  ctx.shutting_down = &shutting_down_;
  std::vector<uint64_t> numbers;  // every number handed out, kept from deletion until the end
  ctx.new_file_number = [this, &numbers] {
    std::lock_guard guard(mu_);
    const uint64_t number = versions_->NewFileNumber();
    pending_outputs_.insert(number);
    numbers.push_back(number);
    return number;
  };
  CompactionJob job(ctx, *c, SnapshotList());
  const uint64_t limiter_waited_before = rate_limiter_ ? rate_limiter_->WaitedMicros() : 0;
  lock.unlock();
  Status s = job.Run();
  lock.lock();
  bool manifest_failed = false;
  if (s.ok()) {
    VersionEdit edit;
    for (int which = 0; which < 2; which++) {
      const int level = which == 0 ? c->level : c->output_level;
      for (const auto& f : c->inputs[which]) edit.DeleteFile(level, f->number);
    }
    for (const FileMetaData& f : job.outputs()) edit.AddFile(c->output_level, f);
    s = versions_->LogAndApply(&edit);
    manifest_failed = !s.ok();
    if (s.ok()) InstallSuperVersion();
  }
  // The outputs stop being pending once a Version lists them or they are garbage; after a
  // failed MANIFEST write they stay (never deleted while open): the MANIFEST may name them.
  if (!manifest_failed) {
    for (uint64_t number : numbers) pending_outputs_.erase(number);
  }
  if (s.ok()) {
    const CompactionJobStats& js = job.stats();
    l.runs++;
    l.bytes_read_upper += js.bytes_read[0];
    l.bytes_read_level += js.bytes_read[1];
    l.bytes_written += js.bytes_written;
    l.micros += js.micros;
  }
  if (rate_limiter_)
    stats_.rate_limit_micros += rate_limiter_->WaitedMicros() - limiter_waited_before;
  // The Version the compaction read from would keep its inputs "live".
  c->version.reset();
  // On failure the outputs are garbage, not named by any Version: deleted here too.
  DeleteObsoleteFiles();
  return s;
}

void DBImpl::DeleteObsoleteFiles() {
  std::set<uint64_t> live = pending_outputs_;
  versions_->AddLiveFiles(&live);
  std::vector<std::string> children;
  if (!env_->GetChildren(path_, &children).ok()) return;
  for (const std::string& name : children) {
    uint64_t number;
    FileType type;
    if (!ParseFileName(name, &number, &type)) continue;
    bool keep = true;
    switch (type) {
      case FileType::kLog:
        keep = number >= versions_->log_number() || number == wal_number_;
        break;
      case FileType::kTable:
        keep = live.count(number) > 0;
        break;
      case FileType::kManifest:
        keep = number >= versions_->manifest_number();
        break;
      case FileType::kTemp:
        keep = false;  // CURRENT's temp files are only alive inside SetCurrentFile()
        break;
      case FileType::kCurrent:
      case FileType::kLock:
        break;
    }
    if (keep) continue;
    if (type == FileType::kTable) table_cache_->Evict(number);
    (void)env_->DeleteFile(path_ + "/" + name);  // best effort: a leftover is retried later
  }
}

Status DBImpl::Flush() {
  Status s = Write(WriteOptions(), nullptr);  // switches the memtable
  if (!s.ok()) return s;
  std::unique_lock lock(mu_);
  bg_cv_.wait(lock, [this] { return imms_.empty() || !bg_error_.ok() || shutting_down_; });
  return bg_error_;
}

Status DBImpl::CompactRange(const Slice* begin, const Slice* end) {
  Status s = Flush();
  if (!s.ok()) return s;
  // Level by level, top down, every file overlapping the range moves one level deeper (level
  // 0 to the base level), and the last level's are rewritten in place, so the range ends up
  // in the last level with its obsolete versions and deletions gone. Each level is compacted
  // once: writes racing with this call cannot keep it going forever.
  std::unique_lock lock(mu_);
  for (int level = 0; level < kNumLevels; level++) {
    std::unique_ptr<Compaction> c;
    while (true) {
      if (!bg_error_.ok()) return bg_error_;
      if (shutting_down_) return Status::Aborted("CompactRange", "the DB is closing");
      bool busy = false;
      c = picker_->PickRange(versions_->current(), level, begin, end, &busy);
      if (c || !busy) break;
      bg_cv_.wait(lock);  // a background compaction holds some of the files
    }
    if (!c) continue;
    s = RunCompaction(lock, c.get());
    picker_->Release(*c);
    bg_cv_.notify_all();
    if (!s.ok()) {
      if (!s.IsAborted() && bg_error_.ok()) bg_error_ = s;
      return s;
    }
  }
  return Status::OK();
}

}  // namespace strata
