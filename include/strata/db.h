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
// All methods are safe to call from several threads at once.
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

// A consistent point-in-time view, read through ReadOptions::snapshot.
class Snapshot {
 protected:
  virtual ~Snapshot() = default;
};

class DB {
 public:
  // Opens the DB in directory path (creating it with options.create_if_missing).
  static Status Open(const Options& options, const std::string& path, std::unique_ptr<DB>* db);

  DB() = default;
  virtual ~DB() = default;
  DB(const DB&) = delete;
  DB& operator=(const DB&) = delete;

  virtual Status Put(const WriteOptions& options, const Slice& key, const Slice& value) = 0;
  virtual Status Delete(const WriteOptions& options, const Slice& key) = 0;
  virtual Status Write(const WriteOptions& options, WriteBatch* batch) = 0;

  // NotFound (IsNotFound()) when the key is absent.
  virtual Status Get(const ReadOptions& options, const Slice& key, std::string* value) = 0;

  // Iterates over the DB as of options.snapshot (or now). The iterator must be destroyed
  // before the DB.
  virtual std::unique_ptr<Iterator> NewIterator(const ReadOptions& options) = 0;

  virtual const Snapshot* GetSnapshot() = 0;
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

  // Properties: "strata.stats", "strata.num-files-at-level<N>",
  // "strata.approximate-memory-usage", "strata.total-sst-bytes",
  // "strata.num-immutable-mem-table", "strata.base-level" (the level level 0 compacts into),
  // "strata.compaction-pending" ("1" while a flush or compaction is due or running). False
  // if unknown.
  virtual bool GetProperty(const Slice& name, std::string* value) = 0;
};

// Deletes the DB in path and everything in it that belongs to a DB.
Status DestroyDB(const std::string& path, const Options& options);

}  // namespace strata
