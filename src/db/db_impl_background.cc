// DBImpl's background work: flushing the immutable memtable to a level-0 table, compacting
// level 0 into level 1, and deleting files no Version needs.
#include <algorithm>

#include "db/db_impl.h"
#include "db/filename.h"
#include "db/obsolete_version_filter.h"
#include "merge/merging_iterator.h"
#include "sst/table_builder.h"

namespace strata {

void DBImpl::MaybeScheduleWork() { bg_cv_.notify_all(); }

bool DBImpl::NeedsCompaction() const {
  return manual_compaction_ || versions_->current()->NumFiles(0) >= kL0CompactionTrigger;
}

void DBImpl::BackgroundLoop() {
  std::unique_lock lock(mu_);
  while (true) {
    bg_cv_.wait(lock, [this] {
      return shutting_down_ || (bg_error_.ok() && (!imms_.empty() || NeedsCompaction()));
    });
    if (shutting_down_) break;
    bg_active_ = true;
    // A flush first: writers may be waiting for the memtable.
    Status s = !imms_.empty() ? FlushImmutable(lock) : CompactLevel0(lock);
    bg_active_ = false;
    if (!s.ok() && bg_error_.ok()) bg_error_ = s;
    bg_cv_.notify_all();
  }
}

Status DBImpl::WriteTable(Iterator* input, uint64_t number, ObsoleteVersionFilter* filter,
                          FileMetaData* meta) {
  const std::string path = TableFileName(path_, number);
  meta->number = number;
  meta->file_size = 0;
  std::unique_ptr<WritableFile> file;
  Status s = env_->NewWritableFile(path, {}, &file);
  if (!s.ok()) return s;
  sst::TableBuilder builder(table_options_, file.get());
  for (input->SeekToFirst(); s.ok() && input->Valid(); input->Next()) {
    if (filter != nullptr) {
      ParsedInternalKey k;
      if (!ParseInternalKey(input->key(), &k)) {
        s = Status::Corruption(path, "malformed internal key from the memtable");
        break;
      }
      if (filter->Drop(k)) continue;
    }
    s = builder.Add(input->key(), input->value());
  }
  if (s.ok()) s = input->status();
  const bool empty = builder.NumEntries() == 0;
  if (s.ok() && !empty) {
    s = builder.Finish();
  } else {
    builder.Abandon();
  }
  if (s.ok() && !empty) s = file->Sync();
  Status c = file->Close();
  if (s.ok()) s = c;
  // The MANIFEST will name this file: its directory entry must be durable first.
  if (s.ok() && !empty) s = env_->SyncDir(path_);
  if (!s.ok() || empty) {
    (void)env_->DeleteFile(path);
    return s;
  }
  const sst::TableProperties& props = builder.properties();
  meta->file_size = builder.FileSize();
  meta->smallest = props.smallest_key;
  meta->largest = props.largest_key;
  meta->smallest_sequence = props.min_sequence;
  meta->largest_sequence = props.max_sequence;
  return Status::OK();
}

Status DBImpl::FlushImmutable(std::unique_lock<std::mutex>& lock) {
  // The oldest first: a log can be dropped only once every memtable with its writes is out.
  MemTable* imm = imms_.front().mem;
  const uint64_t number = versions_->NewFileNumber();
  pending_outputs_.insert(number);
  // Versions shadowed within the memtable and invisible to every snapshot go now; deletions
  // stay, since older data below may still need hiding.
  ObsoleteVersionFilter filter(options_.comparator, SnapshotList(), /*bottommost=*/false);
  lock.unlock();
  FileMetaData meta;
  Status s;
  {
    std::unique_ptr<Iterator> it = imm->NewIterator();
    s = WriteTable(it.get(), number, &filter, &meta);
  }
  lock.lock();
  pending_outputs_.erase(number);
  if (s.ok()) {
    VersionEdit edit;
    if (meta.file_size > 0) edit.AddFile(0, meta);
    // Every write in logs before next_log is now in tables.
    edit.SetLogNumber(imms_.front().next_log);
    s = versions_->LogAndApply(&edit);
  }
  if (!s.ok()) return s;
  imm->Unref();
  imms_.pop_front();
  flushes_++;
  DeleteObsoleteFiles();
  return Status::OK();
}

Status DBImpl::CompactLevel0(std::unique_lock<std::mutex>& lock) {
  const bool manual = manual_compaction_;
  // Released before obsolete files are deleted: while held, it keeps the inputs "live".
  std::shared_ptr<const Version> version = versions_->current();
  const Comparator* ucmp = options_.comparator;
  std::vector<std::shared_ptr<const FileMetaData>> inputs[2];
  inputs[0] = version->files[0];
  if (inputs[0].empty() && !manual) return Status::OK();

  // The user-key range of the level-0 inputs picks the overlapping level-1 files; a manual
  // compaction takes all of level 1.
  std::string lo;
  std::string hi;
  for (const auto& f : inputs[0]) {
    const Slice s = ExtractUserKey(f->smallest);
    const Slice l = ExtractUserKey(f->largest);
    if (lo.empty() && hi.empty()) {
      lo = s.ToString();
      hi = l.ToString();
    }
    if (ucmp->Compare(s, lo) < 0) lo = s.ToString();
    if (ucmp->Compare(l, hi) > 0) hi = l.ToString();
  }
  for (const auto& f : version->files[1]) {
    const bool overlaps = !inputs[0].empty() &&
                          ucmp->Compare(ExtractUserKey(f->largest), lo) >= 0 &&
                          ucmp->Compare(ExtractUserKey(f->smallest), hi) <= 0;
    if (manual || overlaps) inputs[1].push_back(f);
  }
  if (inputs[0].empty() && inputs[1].size() <= 1) {  // nothing to merge
    manual_compaction_ = false;
    return Status::OK();
  }
  // Deeper levels stay empty until leveled compaction arrives; checked rather than assumed.
  bool bottommost = true;
  for (int level = 2; level < kNumLevels; level++)
    bottommost = bottommost && version->NumFiles(level) == 0;
  std::vector<SequenceNumber> snapshots = SnapshotList();
  version.reset();
  lock.unlock();

  std::vector<std::unique_ptr<Iterator>> children;
  std::vector<std::shared_ptr<sst::TableReader>> tables;
  Status s;
  for (const auto& level : inputs) {
    for (const auto& f : level) {
      std::shared_ptr<sst::TableReader> table;
      s = table_cache_->Find(f->number, f->file_size, &table);
      if (!s.ok()) break;
      children.push_back(table->NewIterator({true, false}));
      tables.push_back(std::move(table));
    }
  }
  std::vector<FileMetaData> outputs;
  if (s.ok()) {
    std::unique_ptr<Iterator> merged = NewMergingIterator(&icmp_, std::move(children));
    // Drops versions no snapshot can see and, at the bottom, deletions no snapshot needs.
    // Output files end only between user keys.
    ObsoleteVersionFilter filter(ucmp, std::move(snapshots), bottommost);
    std::string current_user_key;
    bool has_current = false;
    std::unique_ptr<WritableFile> file;
    std::unique_ptr<sst::TableBuilder> builder;
    uint64_t out_number = 0;
    auto finish_output = [&]() -> Status {
      Status fs = builder->Finish();
      if (fs.ok()) fs = file->Sync();
      Status c = file->Close();
      if (fs.ok()) fs = c;
      if (fs.ok()) {
        FileMetaData meta;
        meta.number = out_number;
        meta.file_size = builder->FileSize();
        meta.smallest = builder->properties().smallest_key;
        meta.largest = builder->properties().largest_key;
        meta.smallest_sequence = builder->properties().min_sequence;
        meta.largest_sequence = builder->properties().max_sequence;
        outputs.push_back(std::move(meta));
      }
      builder.reset();
      file.reset();
      return fs;
    };
    for (merged->SeekToFirst(); s.ok() && merged->Valid(); merged->Next()) {
      ParsedInternalKey k;
      if (!ParseInternalKey(merged->key(), &k)) {
        s = Status::Corruption("compaction", "malformed internal key");
        break;
      }
      const bool new_user_key = !has_current || ucmp->Compare(k.user_key, current_user_key) != 0;
      if (new_user_key) {
        current_user_key = k.user_key.ToString();
        has_current = true;
        if (builder && builder->FileSize() >= options_.target_file_size) s = finish_output();
        if (!s.ok()) break;
      }
      if (filter.Drop(k)) continue;
      if (!builder) {
        lock.lock();
        out_number = versions_->NewFileNumber();
        pending_outputs_.insert(out_number);
        lock.unlock();
        s = env_->NewWritableFile(TableFileName(path_, out_number), {}, &file);
        if (!s.ok()) break;
        builder = std::make_unique<sst::TableBuilder>(table_options_, file.get());
      }
      s = builder->Add(merged->key(), merged->value());
    }
    if (s.ok()) s = merged->status();
    if (s.ok() && builder) s = finish_output();
    if (builder) builder->Abandon();
    if (s.ok() && !outputs.empty()) s = env_->SyncDir(path_);
  }
  tables.clear();

  lock.lock();
  for (const auto& f : outputs) pending_outputs_.erase(f.number);
  if (s.ok()) {
    VersionEdit edit;
    for (int which = 0; which < 2; which++) {
      for (const auto& f : inputs[which]) edit.DeleteFile(which, f->number);
    }
    for (const auto& f : outputs) edit.AddFile(1, f);
    s = versions_->LogAndApply(&edit);
  }
  if (manual) manual_compaction_ = false;
  if (!s.ok()) {
    pending_outputs_.clear();  // the outputs are garbage now; obsolete-file deletion takes them
    DeleteObsoleteFiles();
    return s;
  }
  compactions_++;
  DeleteObsoleteFiles();
  return Status::OK();
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

Status DBImpl::CompactRange(const Slice* /*begin*/, const Slice* /*end*/) {
  // Until leveled compaction (the next issue) this compacts all of level 0 and level 1,
  // which covers any range.
  Status s = Flush();
  if (!s.ok()) return s;
  std::unique_lock lock(mu_);
  manual_compaction_ = true;
  bg_cv_.notify_all();
  bg_cv_.wait(lock, [this] { return !manual_compaction_ || !bg_error_.ok() || shutting_down_; });
  return bg_error_;
}

}  // namespace strata
