// Options for opening a DB, reading and writing. Every field has a default (its initializer,
// written next to it) that suits a server with a few GiB of memory; most programs change
// only create_if_missing. Options are read when the DB opens (ReadOptions and WriteOptions
// per call); changing the struct afterwards changes nothing.
#pragma once

#include <cstddef>
#include <cstdint>

#include "strata/comparator.h"
#include "strata/env.h"

namespace strata {

class Snapshot;

// How table blocks are compressed. Each block records its codec, so a DB reads tables of
// every kind whatever it writes now.
enum class Compression : uint8_t {
  kNone = 0,
  kSnappy = 1,
  kZstd = 2,
  kLz4 = 3,
};

// How recovery treats damage in the write-ahead log (docs/formats/wal.md).
enum class WalRecoveryMode : uint8_t {
  kTolerateCorruptedTail,  // a torn last record is the normal crash case; other damage fails
  kAbsoluteConsistency,    // any damage fails the open
  kSkipCorrupted,          // damaged records are skipped
  kPointInTime,            // replay stops at the first damage, without an error
};

struct Options {
  // Order of keys. A DB remembers the comparator's name and refuses another one. Must
  // outlive the DB and be thread-safe (comparator.h).
  const Comparator* comparator = BytewiseComparator();
  // Open creates a new, empty DB when the directory holds none (making the directory too).
  bool create_if_missing = false;
  // Open fails (InvalidArgument) when the directory already holds a DB.
  bool error_if_exists = false;
  // Every file the DB reads or writes goes through this; must outlive the DB. Tests pass an
  // in-memory Env that simulates crashes.
  Env* env = Env::Default();

  // Bytes a memtable takes before it is made immutable and flushed.
  size_t write_buffer_size = 64 << 20;
  // Memtables (the active one included) kept in memory; full ones wait for the background
  // flush, and writers wait when all are full. Values below 2 count as 2.
  int max_write_buffer_number = 2;

  // Uncompressed bytes of user data per table block: the unit a point read loads. Larger
  // blocks compress better and make scans cheaper; smaller ones make point reads cheaper.
  size_t block_size = 4 * 1024;
  // Keys between restart points in a data block: every key is stored as the bytes it adds
  // to the one before, except at restart points, where a lookup's binary search lands.
  int block_restart_interval = 16;
  // Bloom filter bits per key in each SSTable (10 gives about 1% false positives); 0
  // disables filters.
  int bloom_bits_per_key = 10;
  // The codec new table blocks are written with.
  Compression compression = Compression::kLz4;
  // Bytes of uncompressed blocks this DB's block cache keeps (LRU); 0 disables the cache.
  size_t block_cache_bytes = 256 << 20;
  // Table files kept open at once (values below 16 count as 16). Readers of live tables stay
  // pinned in the DB's file metadata while fewer than this many are (point reads then find
  // them without a lock); the rest are opened on demand through an LRU cache.
  int max_open_files = 1000;
  // Read SSTables through read-only memory mappings instead of pread.
  bool use_mmap_reads = false;
  // Compaction outputs are cut at about this size (and earlier where a file would overlap
  // more than ten times this size of the level below its own).
  uint64_t target_file_size = 64 << 20;

  // Leveled compaction. Level 0 (flushed memtables, overlapping) compacts when it holds
  // level0_file_num_compaction_trigger files; with level0_slowdown_writes_trigger files each
  // write is delayed by 1 ms, and at level0_stop_writes_trigger writes wait for the
  // compaction (they never fail for it). Levels 1-6 are sized dynamically: the last level's
  // target is its size, each level above targets 1/max_bytes_for_level_multiplier of the one
  // below, and level 0 compacts into the highest level whose target fits
  // max_bytes_for_level_base.
  int level0_file_num_compaction_trigger = 4;
  int level0_slowdown_writes_trigger = 20;
  int level0_stop_writes_trigger = 36;
  uint64_t max_bytes_for_level_base = 256ull << 20;
  int max_bytes_for_level_multiplier = 10;
  // Background threads for flushes and compactions. With two or more, one is kept free for
  // flushes: at most max_background_jobs - 1 compactions run at once.
  int max_background_jobs = 2;
  // Caps the bytes per second compactions write (0: no limit), leaving disk bandwidth to
  // foreground reads and writes.
  uint64_t compaction_rate_limit_bytes_per_sec = 0;

  // 0: only writes with WriteOptions::sync are synced. N > 0: a background thread also
  // syncs the write-ahead log every N ms, bounding what a machine crash can lose.
  uint32_t wal_sync_interval_ms = 0;
  // Write the write-ahead log by storing into a shared memory mapping of it instead of one
  // write() per write group. Durability is the same either way (a write survives a process
  // crash once acknowledged, a machine crash once synced); the mapping saves a system call
  // per write. Until the DB closes the log, and after a crash, its file ends in up to 1 MiB
  // of preallocated zeros, which recovery reads as the end of the log.
  bool wal_mmap_writes = true;
  // What Open does with damage in the write-ahead log it replays (see WalRecoveryMode).
  WalRecoveryMode wal_recovery_mode = WalRecoveryMode::kTolerateCorruptedTail;
};

struct ReadOptions {
  // Read as of this snapshot (from this DB's GetSnapshot(), not yet released); null reads
  // the latest state.
  const Snapshot* snapshot = nullptr;
  // Keep the blocks this read loads in the block cache.
  bool fill_cache = true;
  // Verify the checksum of every data block read from a file. On by default: a damaged
  // block must give a Corruption status, never wrong data. (Index, filter and properties
  // blocks are always verified when a table is opened.)
  bool verify_checksums = true;
};

struct WriteOptions {
  // fdatasync the write-ahead log before the write returns: the write survives a machine
  // crash. Without it a write survives a process crash (kill -9) once it returns, and a
  // machine crash once a later synced write, Options::wal_sync_interval_ms or a flush has
  // made it durable. Concurrent writers share one sync (group commit).
  bool sync = false;
};

}  // namespace strata
