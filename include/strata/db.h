// DB: an embeddable, persistent, ordered key-value store.
//
//   std::unique_ptr<strata::DB> db;
//   strata::Options options;
//   options.create_if_missing = true;
//   strata::Status s = strata::DB::Open(options, "/tmp/mydb", &db);
//   s = db->Put(strata::WriteOptions(), "key", "value");
//   std::string value;
//   s = db->Get(strata::ReadOptions(), "key", &value);
//
// Contracts that hold for every method below:
//  - Thread safety: every method may be called from several threads at once, without
//    external locking. An Iterator or a WriteBatch is not thread-safe: each thread uses its
//    own.
//  - Errors: a method that can fail returns Status; it never throws. Once a write to the
//    log, a flush or a compaction fails, the DB stops accepting writes (each returns that
//    error) rather than risk losing data; reads go on; reopen it to recover.
//  - Lifetime: iterators and snapshots belong to the DB that made them. Destroy every
//    iterator and release every snapshot before destroying the DB. Destroying the DB closes
//    it: background work is waited for, the write-ahead log is closed, and everything
//    acknowledged before stays durable as WriteOptions::sync promised.
//  - One owner at a time: a DB directory is locked while open; a second Open of the same
//    path returns Busy.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "strata/iterator.h"
#include "strata/options.h"
#include "strata/slice.h"
#include "strata/status.h"
#include "strata/write_batch.h"

namespace strata {

// A consistent point-in-time view, read through ReadOptions::snapshot: reads with it see
// exactly the writes acknowledged before GetSnapshot() returned, however many follow. A
// snapshot keeps the versions it sees from being compacted away, so release it when done.
// Safe to use from several threads at once.
class Snapshot {
 protected:
  virtual ~Snapshot() = default;
};

class DB {
 public:
  // Opens the DB in directory path, replaying its write-ahead log: every write acknowledged
  // before a crash that the WriteOptions::sync contract covers is there. Creates the DB when
  // path holds none and options.create_if_missing is set (InvalidArgument otherwise, and
  // when path holds files that are not a Strata DB's); InvalidArgument if one exists and
  // options.error_if_exists is set, or if it was made with a comparator of another name;
  // Busy if it is open (in this process or another). On success *db holds the DB; on
  // failure *db is left as it was.
  static Status Open(const Options& options, const std::string& path, std::unique_ptr<DB>* db);

  DB() = default;
  virtual ~DB() = default;
  DB(const DB&) = delete;
  DB& operator=(const DB&) = delete;

  // Sets key to value, replacing any value it had. Keys and values are arbitrary bytes
  // (empty ones included); the write is in the write-ahead log before it returns OK, and
  // durable as options.sync says.
  virtual Status Put(const WriteOptions& options, const Slice& key, const Slice& value) = 0;
  // Removes key. Deleting a key that does not exist is not an error: it returns OK (and
  // records a deletion that compaction drops later).
  virtual Status Delete(const WriteOptions& options, const Slice& key) = 0;
  // Applies the batch atomically: a reader, a snapshot or a crash sees all of its updates or
  // none. The batch is only read; the caller may reuse it afterwards.
  virtual Status Write(const WriteOptions& options, WriteBatch* batch) = 0;

  // Reads key as of options.snapshot (or now). OK: *value holds its value. NotFound
  // (IsNotFound()) when the key is absent or deleted. Any other status reports an error
  // (Corruption names the file). *value is written only when the result is OK; on every
  // other result it is left as it was.
  virtual Status Get(const ReadOptions& options, const Slice& key, std::string* value) = 0;

  // An iterator over the DB as of options.snapshot, or as of the call when there is none:
  // writes made after the call are not seen. It starts unpositioned (call a Seek first),
  // pins the files it reads (they outlive compactions until it is destroyed), and must be
  // destroyed before the DB. Check status() when it stops being Valid().
  virtual std::unique_ptr<Iterator> NewIterator(const ReadOptions& options) = 0;

  // A snapshot of the current state, owned by the caller: pass it to ReleaseSnapshot exactly
  // once, before the DB is destroyed (a snapshot never released leaks, and keeps old versions
  // alive until the DB closes).
  virtual const Snapshot* GetSnapshot() = 0;
  // Releases a snapshot from this DB's GetSnapshot(); it must not be used afterwards.
  virtual void ReleaseSnapshot(const Snapshot* snapshot) = 0;

  // Writes the memtable to an SSTable and waits for it.
  virtual Status Flush() = 0;
  // Flushes the memtable, then compacts every file holding keys in [*begin, *end] (user keys;
  // null: open end) level by level down to the last level, and waits for it. Obsolete
  // versions and deletions in the range are gone afterwards (unless a snapshot needs them).
  virtual Status CompactRange(const Slice* begin, const Slice* end) = 0;

  // Makes dir an independent DB holding exactly this DB's state at one sequence number:
  // every write acknowledged before the call and, of writes concurrent with it, each batch
  // whole or not at all. Open it with DB::Open; writes to either DB never reach the other.
  //
  // dir must not exist (InvalidArgument) and its parent must; it must be on this DB's file
  // system, since the live SSTables are hard-linked, not copied. The writes not yet in
  // SSTables go into one new SSTable in the checkpoint, so it has no write-ahead log and this
  // DB is not flushed; writers wait only for a few pointer copies. The checkpoint is built in
  // dir + ".tmp", synced, and renamed to dir, so after a crash dir is complete or absent; a
  // ".tmp" left by a crashed attempt is removed first if it holds only DB files.
  virtual Status CreateCheckpoint(const std::string& dir) = 0;

  // Writes a property's current value to *value and returns true; false (and *value left
  // alone) if the name is unknown. Properties: "strata.stats", "strata.num-files-at-level<N>",
  // "strata.approximate-memory-usage", "strata.total-sst-bytes",
  // "strata.num-immutable-mem-table", "strata.base-level" (the level level 0 compacts into),
  // "strata.compaction-pending" ("1" while a flush or compaction is due or running).
  virtual bool GetProperty(const Slice& name, std::string* value) = 0;
};

// Deletes the DB in path: every file whose name is a DB file (logs, tables, MANIFEST, CURRENT,
// the lock), then the directory if nothing else is left in it. Files of other names are not
// touched. OK if path does not exist; Busy if the DB is open (its lock is held).
Status DestroyDB(const std::string& path, const Options& options);

}  // namespace strata
