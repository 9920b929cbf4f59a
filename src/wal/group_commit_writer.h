// GroupCommitWriter: a log file that many threads append to at once.
//
// Writers queue their records. The writer at the front of the queue becomes the leader: it
// takes every record waiting behind it (up to max_group_bytes), appends them with one
// write() (or one copy into the file's mapping, WalOptions::mmap_writes) and, under
// SyncPolicy::kAlways, one fdatasync, then acknowledges the whole group.
// Records reach the log in queue order and are acknowledged in that order, so a record
// whose Append() returned before another's began always precedes it in the log.
//
// After any write or sync failure the writer refuses all further appends with that error:
// once a sync has failed nobody can tell which earlier bytes are durable (the kernel may
// have dropped the dirty pages), so the log must be abandoned, not retried.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "base/result.h"
#include "strata/env.h"
#include "wal/log_format.h"
#include "wal/log_writer.h"
#include "wal/sync_policy.h"

namespace strata::wal {

struct WalOptions {
  SyncPolicy sync = SyncPolicy::kAlways;
  // For SyncPolicy::kInterval: the longest a flushed record stays unsynced.
  uint32_t sync_interval_ms = 100;
  // A group stops growing past this many payload bytes (its first record always goes in).
  size_t max_group_bytes = 1 << 20;
  LogPurpose purpose = LogPurpose::kWriteAheadLog;
  // Append through a shared memory mapping (FileOptions::use_mmap_writes): no write() per
  // group, the same durability. The file then ends in zeros until Close(), and after a
  // crash; LogReader reads them as the end of the log.
  bool mmap_writes = false;
};

class GroupCommitWriter {
 public:
  // Creates path (which must not exist), writes the log header and, unless the policy is
  // kNone, makes the new file's name and header durable before returning.
  static Result<std::unique_ptr<GroupCommitWriter>> Create(Env* env, const std::string& path,
                                                           uint64_t log_number,
                                                           const WalOptions& options);
  ~GroupCommitWriter();
  GroupCommitWriter(const GroupCommitWriter&) = delete;
  GroupCommitWriter& operator=(const GroupCommitWriter&) = delete;

  // Appends payload as one record; returns once it is acknowledged under the sync policy.
  // *record_offset (if not null) gets the record's offset in the file. Thread-safe.
  Status Append(const Slice& payload, uint64_t* record_offset = nullptr);

  // Makes everything acknowledged so far durable, whatever the policy. Thread-safe.
  Status Sync();

  // Syncs (unless the policy is kNone) and closes. No Append() may run concurrently or after.
  Status Close();

  const std::string& path() const { return path_; }
  uint64_t log_number() const { return log_number_; }
  // Bytes acknowledged so far (the file's size once they are flushed).
  uint64_t acknowledged_bytes() const;
  // Groups written so far: records / groups is the average group size.
  uint64_t groups() const;

 private:
  struct Waiter;

  GroupCommitWriter(Env* env, std::string path, uint64_t log_number, const WalOptions& options,
                    std::unique_ptr<WritableFile> file);
  void SyncLoop();
  Status SyncUpTo(uint64_t target);

  Env* const env_;
  const std::string path_;
  const uint64_t log_number_;
  const WalOptions options_;
  const std::unique_ptr<WritableFile> file_;
  // Touched only by the current leader (the front of queue_), which is one thread at a time.
  LogWriter log_;

  mutable std::mutex mu_;  // guards everything below
  std::deque<Waiter*> queue_;
  Status error_;               // sticky: the first write or sync failure
  uint64_t acknowledged_ = 0;  // bytes written and flushed by finished groups
  uint64_t synced_ = 0;        // bytes known durable
  uint64_t groups_ = 0;        // groups written
  bool closing_ = false;
  std::condition_variable sync_cv_;  // wakes the interval syncer early (on close)

  std::mutex sync_mu_;  // serializes syncs so synced_ only moves forward; guards name_durable_
  // Whether the file's directory entry is durable. Under kNone, Create() leaves it to the
  // first sync: synced bytes are worth nothing if the name that leads to them is lost.
  bool name_durable_ = false;
  std::thread syncer_;  // runs SyncLoop() under SyncPolicy::kInterval
};

}  // namespace strata::wal
