// DBImpl: the engine behind strata::DB.
//
// Concurrency: mu_ guards the DB's mutable state (memtables, versions, writer queue,
// snapshots). Writers queue and one leader at a time writes a whole group to the WAL and the
// memtable without holding mu_; readers take references (memtables, Version) under mu_ and
// read without it. Background threads (Options::max_background_jobs) flush full memtables
// (one flush at a time, oldest first, always before compactions) and run the compactions the
// CompactionPicker chooses; they do their I/O without mu_.
#pragma once

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "base/rate_limiter.h"
#include "db/compaction.h"
#include "db/compaction_picker.h"
#include "db/db_stats.h"
#include "db/obsolete_version_filter.h"
#include "db/super_version.h"
#include "db/table_cache.h"
#include "db/version_set.h"
#include "memtable/internal_key.h"
#include "memtable/memtable.h"
#include "sst/cache.h"
#include "strata/db.h"
#include "wal/group_commit_writer.h"

namespace strata {

class DBImpl final : public DB {
 public:
  DBImpl(const Options& options, std::string path);
  ~DBImpl() override;

  // Locks, recovers (or creates) the DB and starts the background thread.
  Status Open();

  Status Put(const WriteOptions& options, const Slice& key, const Slice& value) override;
  Status Delete(const WriteOptions& options, const Slice& key) override;
  Status Write(const WriteOptions& options, WriteBatch* batch) override;
  Status Get(const ReadOptions& options, const Slice& key, std::string* value) override;
  std::unique_ptr<Iterator> NewIterator(const ReadOptions& options) override;
  const Snapshot* GetSnapshot() override;
  void ReleaseSnapshot(const Snapshot* snapshot) override;
  Status Flush() override;
  Status CompactRange(const Slice* begin, const Slice* end) override;
  bool GetProperty(const Slice& name, std::string* value) override;
  Status CreateCheckpoint(const std::string& dir) override;  // db_impl_checkpoint.cc

 private:
  struct Writer;

  // A snapshot is the sequence number it reads at.
  class SnapshotImpl final : public Snapshot {
   public:
    explicit SnapshotImpl(memtable::SequenceNumber s) : sequence(s) {}
    ~SnapshotImpl() override = default;
    const memtable::SequenceNumber sequence;
  };

  // How long a queued writer yields before it sleeps on its condition variable.
  static constexpr int kWriterSpinMicros = 50;

  // An eighth of the write buffer, between 4 KiB and 1 MiB: the memtable's size grows in
  // steps of at most 1/8 of the flush threshold and wastes little at block ends.
  size_t MemTableArenaBlockSize() const {
    return std::clamp<size_t>(options_.write_buffer_size / 8, 4 << 10, 1 << 20);
  }

  Status CheckDirectory();
  Status Recover();
  // Every table the MANIFEST lists exists with its recorded size; Corruption naming it if not.
  Status CheckLiveTables();
  Status ReplayLog(uint64_t number, memtable::MemTable* mem, uint64_t* max_sequence);
  Status NewWal();

  // Write path (write.cc-style helpers, all with mu_ held on entry).
  Status MakeRoomForWrite(std::unique_lock<std::mutex>& lock, bool force);
  // Merges the batches of the writers at the front of the queue, from the leader (the
  // front) up to *last_writer, and lists the writers after the leader in group_followers_.
  WriteBatch* BuildBatchGroup(Writer** last_writer);
  // Leader, without mu_: inserts the group into mem, the followers' batches in their own
  // threads at the same time as the leader's (see Write()).
  Status InsertGroup(std::unique_lock<std::mutex>& lock, Writer* leader,
                     const std::vector<Writer*>& followers, memtable::SequenceNumber first,
                     memtable::MemTable* mem);
  // Removes the writers from the leader up to last_writer from the queue, completes every one
  // but the leader with s, and wakes the next leader.
  void PopWriters(Writer* leader, Writer* last_writer, const Status& s);
  // A follower, with mu_ held: inserts its own batch as its leader asked, then tells it.
  void InsertForLeader(std::unique_lock<std::mutex>& lock, Writer* w);

  // Background work (db_impl_background.cc).
  void BackgroundLoop();
  void MaybeScheduleWork();
  int MaxBackgroundCompactions() const;
  Status FlushImmutable(std::unique_lock<std::mutex>& lock);
  // Replaces super_version_ after mem_, imms_ or the current Version changed. mu_ held.
  void InstallSuperVersion();
  // A reference to the current SuperVersion for a read (*lease holds the thread's slot),
  // without mu_ in the common case; give it back with ReturnSuperVersion().
  SuperVersion* GetSuperVersion(SuperVersionCache::Lease* lease);
  void ReturnSuperVersion(const SuperVersionCache::Lease& lease, SuperVersion* sv) {
    super_version_cache_.Release(lease, sv);
  }
  // Get's lookup in sv's memtables and tables, as of sequence. Without mu_.
  Status GetFrom(const SuperVersion& sv, const Slice& key, memtable::SequenceNumber sequence,
                 const ReadOptions& options, std::string* value);
  // Carries out a picked compaction (a trivial move or a CompactionJob) and installs the
  // result. mu_ held on entry and exit, released while files are written.
  Status RunCompaction(std::unique_lock<std::mutex>& lock, Compaction* c);
  // Writes input (internal keys, in order) to table `number`, leaving out what filter (if
  // not null) drops. An empty result leaves no file and meta->file_size == 0.
  Status WriteTable(Iterator* input, uint64_t number, ObsoleteVersionFilter* filter,
                    FileMetaData* meta);
  void DeleteObsoleteFiles();
  // Sequence numbers of the live snapshots (mu_ held).
  std::vector<memtable::SequenceNumber> SnapshotList() const;

  std::unique_ptr<Iterator> NewInternalIterator(const ReadOptions& options,
                                                memtable::SequenceNumber* sequence);

  const Options options_;
  const std::string path_;
  Env* const env_;
  const memtable::InternalKeyComparator icmp_;
  std::shared_ptr<sst::Cache> block_cache_;
  sst::TableOptions table_options_;
  std::unique_ptr<TableCache> table_cache_;
  std::unique_ptr<FileLock> lock_;

  mutable std::mutex mu_;          // guards everything below
  std::condition_variable bg_cv_;  // background work finished a step, or work arrived
  // The last sequence number given to a write group; groups between last_sequence() and
  // this one are in the WAL and being inserted. Guarded by mu_.
  memtable::SequenceNumber last_allocated_sequence_ = 0;
  // versions_->last_sequence(), readable without mu_ by write groups waiting for their turn
  // to publish; stored under mu_ together with it.
  std::atomic<memtable::SequenceNumber> published_sequence_{0};
  // A write group failed after taking sequence numbers; later groups stop waiting to
  // publish. Stored under mu_ together with bg_error_.
  std::atomic<bool> write_failed_{false};
  std::unique_ptr<VersionSet> versions_;
  memtable::MemTable* mem_ = nullptr;  // referenced; replaced only by the write leader under mu_
  // Full memtables waiting to be flushed, oldest first (at most max_write_buffer_number - 1),
  // each with the number of the first log holding none of its writes: the log number the
  // MANIFEST records once it is flushed.
  struct Immutable {
    memtable::MemTable* mem;  // referenced
    uint64_t next_log;
  };
  std::deque<Immutable> imms_;
  // mem_, imms_ and versions_->current() as one object for readers (the DB's reference);
  // replaced by InstallSuperVersion() whenever one of them changes.
  SuperVersion* super_version_ = nullptr;
  std::unique_ptr<wal::GroupCommitWriter> wal_;
  uint64_t wal_number_ = 0;
  CompactionOptions picker_options_;
  std::unique_ptr<CompactionPicker> picker_;
  std::unique_ptr<RateLimiter> rate_limiter_;  // null: compactions are not paced
  std::deque<Writer*> writers_;
  WriteBatch group_batch_;                // used by the write leader only
  std::vector<Writer*> group_followers_;  // used by the write leader only
  std::multiset<memtable::SequenceNumber> snapshots_;
  std::set<uint64_t> pending_outputs_;  // tables being written: not obsolete
  // Read without mu_ by running compactions, which give up early when it is set.
  std::atomic<bool> shutting_down_{false};
  bool flush_running_ = false;
  int compactions_running_ = 0;  // background ones; manual ones run in the caller's thread
  Status bg_error_;  // sticky: after a failed write or background error the DB refuses writes
  std::vector<std::thread> bg_threads_;
  DbStats stats_;
  const std::chrono::steady_clock::time_point start_time_ = std::chrono::steady_clock::now();

  // Checkpoints (db_impl_checkpoint.cc).
  struct CheckpointState;
  // Fills dir with state's tables (hard links), its memtables' writes as a new table, a
  // MANIFEST and CURRENT. Without mu_.
  Status WriteCheckpoint(const CheckpointState& state, const std::string& dir);
  // Writes state's memtable entries up to its sequence to table meta->number in dir;
  // meta->file_size == 0 and no file when there are none.
  Status WriteCheckpointTail(const CheckpointState& state, const std::string& dir,
                             FileMetaData* meta);
  // Held through CreateCheckpoint(), taken before mu_: two checkpoints to one directory
  // would share its temporary directory.
  std::mutex checkpoint_mu_;

  // Per-thread references to super_version_ for Get(). Declared last, so it is destroyed
  // first: the references it drops may be the last on memtables and Versions.
  SuperVersionCache super_version_cache_;
};

}  // namespace strata
