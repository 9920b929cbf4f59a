#include "db/db_impl.h"

#include <algorithm>
#include <chrono>
#include <thread>

#include "db/filename.h"
#include "db/write_batch_internal.h"
#include "wal/log_reader.h"

namespace strata {

namespace {

// Largest group of batches the write leader merges into one WAL record.
constexpr size_t kMaxGroupBytes = 1 << 20;

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

// Inserts a batch's records into a memtable with consecutive sequence numbers.
class MemTableInserter final : public WriteBatch::Handler {
 public:
  MemTableInserter(SequenceNumber first, MemTable* mem) : sequence_(first), mem_(mem) {}
  void Put(const Slice& key, const Slice& value) override {
    mem_->Add(sequence_++, ValueType::kValue, key, value);
  }
  void Delete(const Slice& key) override {
    mem_->Add(sequence_++, ValueType::kDeletion, key, Slice());
  }

 private:
  SequenceNumber sequence_;
  MemTable* const mem_;
};

}  // namespace

struct DBImpl::Writer {
  Writer(WriteBatch* b, bool s) : batch(b), sync(s) {}
  WriteBatch* const batch;  // null: a Flush() request
  const bool sync;
  bool done = false;
  // Set (under mu_) when the writer is done or has become the leader: lets a waiting writer
  // notice without sleeping. done and the queue, read under mu_, remain the truth.
  std::atomic<bool> signaled{false};
  Status status;
  std::condition_variable cv;
};

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
  table_options_.filter_key = [](const Slice& ikey) { return ExtractUserKey(ikey); };
  table_options_.user_key = [](const Slice& ikey) { return ExtractUserKey(ikey); };
  table_options_.user_comparator = options_.comparator;
  table_options_.sequence_of = [](const Slice& ikey) {
    ParsedInternalKey k;
    return ParseInternalKey(ikey, &k) ? k.sequence : 0;
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
  if (mem_) mem_->Unref();
  for (const Immutable& imm : imms_) imm.mem->Unref();
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
  auto* mem = new MemTable(icmp_);
  mem->Ref();
  SequenceNumber max_sequence = versions_->last_sequence();
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

  // A fresh WAL for new writes, and a fresh MANIFEST describing everything (older logs are
  // now in the table just written).
  s = NewWal();
  if (!s.ok()) return s;
  edit.SetLogNumber(wal_number_);
  // No MANIFEST is open for appending yet, so this writes a new one with the whole state;
  // the old MANIFEST and the replayed logs become obsolete only once CURRENT names it.
  s = versions_->LogAndApply(&edit);
  if (!s.ok()) return s;
  mem_ = new MemTable(icmp_);
  mem_->Ref();
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

Status DBImpl::ReplayLog(uint64_t number, MemTable* mem, uint64_t* max_sequence) {
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
      const SequenceNumber first = WriteBatchInternal::Sequence(batch);
      MemTableInserter inserter(first, mem);
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
  std::unique_ptr<wal::GroupCommitWriter> w;
  Status s =
      wal::GroupCommitWriter::Create(env_, LogFileName(path_, number), number, wal_options, &w);
  if (!s.ok()) return s;
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

Status DBImpl::Put(const WriteOptions& options, const Slice& key, const Slice& value) {
  WriteBatch batch;
  batch.Put(key, value);
  return Write(options, &batch);
}

Status DBImpl::Delete(const WriteOptions& options, const Slice& key) {
  WriteBatch batch;
  batch.Delete(key);
  return Write(options, &batch);
}

Status DBImpl::Write(const WriteOptions& options, WriteBatch* batch) {
  Writer w(batch, options.sync);
  std::unique_lock lock(mu_);
  writers_.push_back(&w);
  if (!w.done && writers_.front() != &w) {
    // The leader usually finishes within microseconds, less than a futex sleep and wake
    // cost: wait a moment without sleeping, then block.
    lock.unlock();
    const auto give_up =
        std::chrono::steady_clock::now() + std::chrono::microseconds(kWriterSpinMicros);
    while (!w.signaled.load(std::memory_order_acquire) &&
           std::chrono::steady_clock::now() < give_up) {
      std::this_thread::yield();
    }
    lock.lock();
    w.cv.wait(lock, [&] { return w.done || writers_.front() == &w; });
  }
  if (w.done) return w.status;

  // Leader: make room (a null batch only asks for a memtable switch, from Flush()).
  Status s = MakeRoomForWrite(lock, batch == nullptr);
  SequenceNumber last = versions_->last_sequence();
  Writer* last_writer = &w;
  if (s.ok() && batch != nullptr) {
    WriteBatch* group = BuildBatchGroup(&last_writer);
    WriteBatchInternal::SetSequence(group, last + 1);
    const SequenceNumber first = last + 1;
    last += group->Count();
    bool sync = false;
    for (Writer* x : writers_) {
      sync = sync || x->sync;
      if (x == last_writer) break;
    }
    MemTable* mem = mem_;
    wal::GroupCommitWriter* wal = wal_.get();
    // Only the leader touches the WAL and inserts into mem_, and mem_ changes only under a
    // leader: both are safe without mu_. Readers see the new entries once last_sequence
    // moves, below.
    lock.unlock();
    s = wal->Append(WriteBatchInternal::Contents(*group));
    if (s.ok() && sync) s = wal->Sync();
    if (s.ok()) {
      MemTableInserter inserter(first, mem);
      s = group->Iterate(&inserter);
    }
    lock.lock();
    stats_.ingest_bytes += WriteBatchInternal::Contents(*group).size();
    if (s.ok()) {
      versions_->SetLastSequence(last);
    } else if (bg_error_.ok()) {
      bg_error_ = s;  // the WAL may hold part of the group: refuse further writes
    }
    if (group == &group_batch_) group_batch_.Clear();
  }
  while (true) {
    Writer* x = writers_.front();
    writers_.pop_front();
    if (x != &w) {
      x->status = s;
      x->done = true;
      x->signaled.store(true, std::memory_order_release);
      x->cv.notify_one();
    }
    if (x == last_writer) break;
  }
  if (!writers_.empty()) {
    writers_.front()->signaled.store(true, std::memory_order_release);
    writers_.front()->cv.notify_one();
  }
  return s;
}

WriteBatch* DBImpl::BuildBatchGroup(Writer** last_writer) {
  Writer* first = writers_.front();
  WriteBatch* result = first->batch;
  size_t size = first->batch->ApproximateSize();
  // A small first batch does not wait for a big group: keep its latency low.
  const size_t max_size = size <= (128 << 10) ? size + (128 << 10) : kMaxGroupBytes;
  *last_writer = first;
  for (auto it = writers_.begin() + 1; it != writers_.end(); ++it) {
    Writer* w = *it;
    if (w->batch == nullptr) break;  // a Flush() request: leave it to lead on its own
    size += w->batch->ApproximateSize();
    if (size > max_size) break;
    if (result == first->batch) {
      group_batch_.Clear();
      WriteBatchInternal::Append(&group_batch_, *first->batch);
      result = &group_batch_;
    }
    WriteBatchInternal::Append(result, *w->batch);
    *last_writer = w;
  }
  return result;
}

Status DBImpl::MakeRoomForWrite(std::unique_lock<std::mutex>& lock, bool force) {
  bool slowed = false;
  auto micros_since = [](std::chrono::steady_clock::time_point start) {
    return static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::microseconds>(
                                     std::chrono::steady_clock::now() - start)
                                     .count());
  };
  while (true) {
    if (!bg_error_.ok()) return bg_error_;
    const int l0_files = versions_->current()->NumFiles(0);
    if (!slowed && l0_files >= options_.level0_slowdown_writes_trigger &&
        l0_files < options_.level0_stop_writes_trigger) {
      // Level 0 is falling behind: delay this write group by 1 ms, once, handing the time to
      // the compaction rather than stopping writes outright later.
      const auto start = std::chrono::steady_clock::now();
      lock.unlock();
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
      lock.lock();
      slowed = true;
      stats_.slowdown_count++;
      stats_.slowdown_micros += micros_since(start);
      continue;
    }
    if (l0_files >= options_.level0_stop_writes_trigger) {
      // Too many level-0 files: wait for the compaction (never fail for it).
      const auto start = std::chrono::steady_clock::now();
      MaybeScheduleWork();
      bg_cv_.wait(lock);
      stats_.stop_count++;
      stats_.stop_micros += micros_since(start);
      continue;
    }
    if (!force && mem_->ApproximateMemoryUsage() <= options_.write_buffer_size) return Status::OK();
    if (force && mem_->num_entries() == 0) return Status::OK();
    if (static_cast<int>(imms_.size()) >= std::max(options_.max_write_buffer_number, 2) - 1) {
      // Every memtable is full: wait for a flush.
      const auto start = std::chrono::steady_clock::now();
      bg_cv_.wait(lock);
      stats_.stop_count++;
      stats_.stop_micros += micros_since(start);
      continue;
    }
    Status s = NewWal();
    if (!s.ok()) return s;
    imms_.push_back({mem_, wal_number_});  // NewWal() made wal_number_ the log after it
    mem_ = new MemTable(icmp_);
    mem_->Ref();
    MaybeScheduleWork();
    return Status::OK();
  }
}

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
