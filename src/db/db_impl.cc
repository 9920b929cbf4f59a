#include "db/db_impl.h"

#include <algorithm>
#include <chrono>
#include <thread>

#include "db/filename.h"
#include "db/memtable_inserter.h"
#include "db/write_batch_internal.h"
#include "wal/log_reader.h"

namespace strata {

namespace {

sst::CompressionType ToTableCompression(Compression c) {
  switch (c) {
    case Compression::kNone:
      return sst::CompressionType::kNone;
    case Compression::kSnappy:
      return sst::CompressionType::kSnappy;
    case Compression::kZstd:
      return sst::CompressionType::kZstd;
    case Compression::kLz4:
      return sst::CompressionType::kLz4;
  }
  return sst::CompressionType::kNone;
}

wal::RecoveryMode ToWalMode(WalRecoveryMode m) {
  switch (m) {
    case WalRecoveryMode::kTolerateCorruptedTail:
      return wal::RecoveryMode::kTolerateCorruptedTail;
    case WalRecoveryMode::kAbsoluteConsistency:
      return wal::RecoveryMode::kAbsoluteConsistency;
    case WalRecoveryMode::kSkipCorrupted:
      return wal::RecoveryMode::kSkipCorrupted;
    case WalRecoveryMode::kPointInTime:
      return wal::RecoveryMode::kPointInTime;
  }
  return wal::RecoveryMode::kTolerateCorruptedTail;
}

}  // namespace

DBImpl::DBImpl(const Options& options, std::string path)
    : options_(options), path_(std::move(path)), env_(options.env), icmp_(options.comparator) {
  if (options_.block_cache_bytes > 0) {
    block_cache_ = std::make_shared<sst::Cache>(options_.block_cache_bytes);
  }
  table_options_.comparator = &icmp_;
  table_options_.block_size = options_.block_size;
  table_options_.restart_interval = options_.block_restart_interval;
  table_options_.compression = ToTableCompression(options_.compression);
  table_options_.bloom_bits_per_key = options_.bloom_bits_per_key;
  table_options_.filter_key = [](const Slice& ikey) { return memtable::ExtractUserKey(ikey); };
  table_options_.user_key = [](const Slice& ikey) { return memtable::ExtractUserKey(ikey); };
  table_options_.user_comparator = options_.comparator;
  table_options_.sequence_of = [](const Slice& ikey) {
    memtable::ParsedInternalKey k;
    return memtable::ParseInternalKey(ikey, &k) ? k.sequence : 0;
  };
  table_options_.block_cache = block_cache_;
  table_cache_ = std::make_unique<TableCache>(
      env_, path_, table_options_, static_cast<size_t>(std::max(options_.max_open_files, 16)),
      options_.use_mmap_reads);
  versions_ = std::make_unique<VersionSet>(path_, env_, &icmp_);
  picker_options_.level0_trigger = options_.level0_file_num_compaction_trigger;
  picker_options_.max_bytes_for_level_base = options_.max_bytes_for_level_base;
  picker_options_.level_multiplier = options_.max_bytes_for_level_multiplier;
  picker_options_.target_file_size = options_.target_file_size;
  picker_ = std::make_unique<CompactionPicker>(&icmp_, picker_options_);
  if (options_.compaction_rate_limit_bytes_per_sec > 0) {
    rate_limiter_ = std::make_unique<RateLimiter>(options_.compaction_rate_limit_bytes_per_sec);
  }
}

DBImpl::~DBImpl() {
  {
    std::unique_lock lock(mu_);
    shutting_down_ = true;
    bg_cv_.notify_all();
  }
  for (std::thread& t : bg_threads_) t.join();
  if (wal_) (void)wal_->Close();
  if (super_version_) super_version_->Unref();
  if (mem_) mem_->Unref();
  for (const Immutable& imm : imms_) imm.mem->Unref();
}

void DBImpl::InstallSuperVersion() {
  std::vector<memtable::MemTable*> imms;
  for (auto it = imms_.rbegin(); it != imms_.rend(); ++it) imms.push_back(it->mem);
  SuperVersion* old = super_version_;
  super_version_ = new SuperVersion(mem_, std::move(imms), versions_->current());
  // After the new one is in place: a reader whose slot is emptied takes it.
  super_version_cache_.Invalidate();
  if (old != nullptr) old->Unref();
}

SuperVersion* DBImpl::GetSuperVersion(SuperVersionCache::Lease* lease) {
  *lease = super_version_cache_.Acquire();
  SuperVersion* sv = lease->cached;
  if (sv == nullptr) {
    std::lock_guard lock(mu_);
    sv = super_version_;
    sv->Ref();
  }
  return sv;
}

Status DBImpl::CheckDirectory() {
  std::vector<std::string> children;
  Status s = env_->GetChildren(path_, &children);
  const bool exists = s.ok();
  const bool has_current = exists && env_->FileExists(CurrentFileName(path_));
  if (has_current) {
    if (options_.error_if_exists) return Status::InvalidArgument(path_, "exists (error_if_exists)");
    return Status::OK();
  }
  if (!options_.create_if_missing) {
    return Status::InvalidArgument(path_, "is not a Strata DB (no CURRENT); set create_if_missing");
  }
  // Never write into a directory that holds something other than a Strata DB.
  for (const std::string& name : children) {
    uint64_t number;
    FileType type;
    if (!ParseFileName(name, &number, &type)) {
      return Status::InvalidArgument(path_,
                                     "is not empty and not a Strata DB (holds " + name + ")");
    }
  }
  return env_->CreateDirIfMissing(path_);
}

Status DBImpl::Open() {
  Status s = CheckDirectory();
  if (!s.ok()) return s;
  s = env_->LockFile(LockFileName(path_), &lock_);
  if (!s.ok()) return s;
  std::unique_lock lock(mu_);
  s = Recover();
  if (!s.ok()) return s;
  const int threads = std::max(options_.max_background_jobs, 1);
  for (int i = 0; i < threads; i++) bg_threads_.emplace_back([this] { BackgroundLoop(); });
  MaybeScheduleWork();
  return Status::OK();
}

Status DBImpl::Recover() {
  const bool fresh = !env_->FileExists(CurrentFileName(path_));
  Status s;
  if (!fresh) {
    s = versions_->Recover();
    if (!s.ok()) return s;
    s = CheckLiveTables();
    if (!s.ok()) return s;
  }
  // Replay every WAL at or above the MANIFEST's log number, oldest first, into a memtable,
  // and write it out as a level-0 table: the logs can then be deleted.
  std::vector<std::string> children;
  s = env_->GetChildren(path_, &children);
  if (!s.ok()) return s;
  std::vector<uint64_t> logs;
  for (const std::string& name : children) {
    uint64_t number;
    FileType type;
    if (!ParseFileName(name, &number, &type)) continue;
    versions_->MarkFileNumberUsed(number);
    if (type == FileType::kLog && number >= versions_->log_number()) logs.push_back(number);
  }
  std::sort(logs.begin(), logs.end());
  auto* mem = new memtable::MemTable(icmp_, MemTableArenaBlockSize());
  mem->Ref();
  memtable::SequenceNumber max_sequence = versions_->last_sequence();
  for (uint64_t number : logs) {
    s = ReplayLog(number, mem, &max_sequence);
    if (!s.ok()) break;
  }
  VersionEdit edit;
  if (s.ok() && mem->num_entries() > 0) {
    FileMetaData meta;
    meta.number = versions_->NewFileNumber();
    std::unique_ptr<Iterator> it = mem->NewIterator();
    // No snapshot exists during recovery: every shadowed version can go.
    ObsoleteVersionFilter filter(options_.comparator, {}, /*bottommost=*/false);
    s = WriteTable(it.get(), meta.number, &filter, &meta);
    if (s.ok() && meta.file_size > 0) edit.AddFile(0, meta);
  }
  mem->Unref();
  if (!s.ok()) return s;
  versions_->SetLastSequence(max_sequence);
  last_allocated_sequence_ = max_sequence;
  published_sequence_.store(max_sequence, std::memory_order_relaxed);

  // A fresh WAL for new writes, and a fresh MANIFEST describing everything (older logs are
  // now in the table just written).
  s = NewWal();
  if (!s.ok()) return s;
  edit.SetLogNumber(wal_number_);
  // No MANIFEST is open for appending yet, so this writes a new one with the whole state;
  // the old MANIFEST and the replayed logs become obsolete only once CURRENT names it.
  s = versions_->LogAndApply(&edit);
  if (!s.ok()) return s;
  mem_ = new memtable::MemTable(icmp_, MemTableArenaBlockSize());
  mem_->Ref();
  InstallSuperVersion();
  DeleteObsoleteFiles();
  return Status::OK();
}

Status DBImpl::CheckLiveTables() {
  for (const auto& level : versions_->current()->files) {
    for (const auto& f : level) {
      const std::string path = TableFileName(path_, f->number);
      uint64_t size = 0;
      Status s = env_->GetFileSize(path, &size);
      if (s.IsNotFound()) return Status::Corruption(path, "referenced by the MANIFEST but missing");
      if (!s.ok()) return s;
      if (size != f->file_size) {
        return Status::Corruption(path, "has " + std::to_string(size) +
                                            " bytes, the MANIFEST says " +
                                            std::to_string(f->file_size));
      }
    }
  }
  return Status::OK();
}

Status DBImpl::ReplayLog(uint64_t number, memtable::MemTable* mem, uint64_t* max_sequence) {
  const std::string path = LogFileName(path_, number);
  std::unique_ptr<SequentialFile> file;
  Status s = env_->NewSequentialFile(path, &file);
  if (!s.ok()) return s;
  wal::LogReader reader(path, std::move(file), nullptr, ToWalMode(options_.wal_recovery_mode));
  Slice record;
  std::string scratch;
  WriteBatch batch;
  while (reader.ReadRecord(&record, &scratch)) {
    s = WriteBatchInternal::SetContents(&batch, record);
    if (s.ok()) {
      const memtable::SequenceNumber first = WriteBatchInternal::Sequence(batch);
      MemTableInserter inserter(first, mem, /*concurrent=*/false);
      s = batch.Iterate(&inserter);
      if (s.ok() && batch.Count() > 0)
        *max_sequence = std::max(*max_sequence, first + batch.Count() - 1);
    }
    if (!s.ok()) {
      return Status::Corruption(path + ": offset " + std::to_string(reader.last_record_offset()),
                                s.ToString());
    }
  }
  return reader.status();
}

Status DBImpl::NewWal() {
  const uint64_t number = versions_->NewFileNumber();
  wal::WalOptions wal_options;
  wal_options.sync =
      options_.wal_sync_interval_ms > 0 ? wal::SyncPolicy::kInterval : wal::SyncPolicy::kNone;
  wal_options.sync_interval_ms = options_.wal_sync_interval_ms;
  wal_options.mmap_writes = options_.wal_mmap_writes;
  auto created =
      wal::GroupCommitWriter::Create(env_, LogFileName(path_, number), number, wal_options);
  if (!created.ok()) return created.status();
  std::unique_ptr<wal::GroupCommitWriter> w = std::move(*created);
  Status s;
  if (wal_) {
    // A later synced write in the new log promises that everything before it is durable,
    // including this log's unsynced tail: sync it now (one fdatasync per memtable switch).
    s = wal_->Sync();
    Status c = wal_->Close();
    if (s.ok()) s = c;
    if (!s.ok()) {
      (void)w->Close();
      (void)env_->DeleteFile(LogFileName(path_, number));
      return s;
    }
  }
  wal_ = std::move(w);
  wal_number_ = number;
  return Status::OK();
}

// ---------------------------------------------------------------- writes

// ---------------------------------------------------------------- open, destroy

Status DB::Open(const Options& options, const std::string& path, std::unique_ptr<DB>* db) {
  auto impl = std::make_unique<DBImpl>(options, path);
  Status s = impl->Open();
  if (!s.ok()) return s;
  *db = std::move(impl);
  return Status::OK();
}

Status DestroyDB(const std::string& path, const Options& options) {
  Env* env = options.env;
  std::vector<std::string> children;
  Status s = env->GetChildren(path, &children);
  if (s.IsNotFound()) return Status::OK();
  if (!s.ok()) return s;
  std::unique_ptr<FileLock> lock;
  s = env->LockFile(LockFileName(path), &lock);
  if (!s.ok()) return s;
  for (const std::string& name : children) {
    uint64_t number;
    FileType type;
    if (ParseFileName(name, &number, &type) && type != FileType::kLock) {
      Status d = env->DeleteFile(path + "/" + name);
      if (s.ok() && !d.ok()) s = d;
    }
  }
  lock.reset();
  (void)env->DeleteFile(LockFileName(path));
  (void)env->DeleteDir(path);
  return s;
}

}  // namespace strata
