// MemTable: the in-memory write buffer of the engine, a skiplist of versions in an Arena.
//
// Every write becomes one entry, kept until the memtable is flushed to an SSTable and
// dropped as a whole. An entry, stored inside its skiplist node in the arena, is laid out as
//
//   varint32 internal_key_size | internal key (user key, 8-byte trailer) |
//   varint32 value_size        | value
//
// and the skiplist orders entries by their internal keys (InternalKeyComparator).
//
// Threading: Add() needs external synchronization (one writer at a time, as the DB's write
// leader). AddConcurrently() may run in several threads at once, never alongside Add(): the
// DB's write group inserts its batches in parallel with it. Get(), iterators,
// ApproximateMemoryUsage() and num_entries() may run in any thread concurrently with the writer,
// without locks (see skiplist.h).
//
// Lifetime: reference counted, because the DB, readers and iterators share a memtable and
// the last one to let go frees it. Create with `new`, call Ref() once for the creator, and
// call Unref() for every Ref(); the memtable deletes itself when the count reaches zero.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>

#include "base/arena.h"
#include "memtable/internal_key.h"
#include "memtable/skiplist.h"
#include "strata/iterator.h"
#include "strata/status.h"

namespace strata::memtable {

class MemTable {
 public:
  // The comparator is copied; its user comparator must outlive the memtable. Entries come
  // from arena blocks of arena_block_size bytes: larger blocks waste less at their ends (a
  // block's tail too short for the next entry is abandoned), smaller ones make the memory
  // use, which decides when the memtable is flushed, grow in finer steps.
  explicit MemTable(const InternalKeyComparator& comparator,
                    size_t arena_block_size = Arena::kDefaultBlockSize);
  MemTable(const MemTable&) = delete;
  MemTable& operator=(const MemTable&) = delete;

  void Ref() { refs_.fetch_add(1, std::memory_order_relaxed); }
  // Drops a reference; deletes the memtable when it was the last.
  void Unref();

  // Adds the version (user_key, sequence, type) with value (empty for a deletion). The
  // pair (user_key, sequence) must be new to this memtable; user_key and value must each be
  // shorter than 4 GiB minus the trailer (the DB rejects larger ones). Writer only.
  void Add(SequenceNumber sequence, ValueType type, const Slice& user_key, const Slice& value) {
    AddEntry(sequence, type, user_key, value, /*concurrent=*/false);
  }
  // As Add, from several threads at once (see the threading note).
  void AddConcurrently(SequenceNumber sequence, ValueType type, const Slice& user_key,
                       const Slice& value) {
    AddEntry(sequence, type, user_key, value, /*concurrent=*/true);
  }

  // Looks for the newest version of key.user_key() with a sequence <= the lookup's. True if
  // this memtable decides the answer: a value (*value set, *s OK) or a deletion (*s
  // NotFound). False if it has no such version; *value and *s are then untouched.
  bool Get(const LookupKey& key, std::string* value, Status* s) const;

  // An iterator whose key() is the internal key and value() the value of each entry, in
  // internal key order; Seek and SeekForPrev take internal keys. The iterator holds a
  // reference to the memtable (the caller must hold one while calling), so it may outlive
  // the caller's reference.
  std::unique_ptr<Iterator> NewIterator();

  // Bytes the memtable holds; grows with every Add. Any thread.
  size_t ApproximateMemoryUsage() const { return arena_.MemoryUsage(); }
  // Entries added so far. Any thread.
  uint64_t num_entries() const { return num_entries_.load(std::memory_order_relaxed); }

  const InternalKeyComparator& comparator() const { return comparator_.comparator; }

 private:
  class MemTableIterator;

  // Orders arena entries (which start with their length-prefixed internal key).
  struct KeyComparator {
    InternalKeyComparator comparator;
    int operator()(const char* a, const char* b) const;
  };
  using Table = SkipList<KeyComparator>;

  ~MemTable() = default;  // only through Unref()

  void AddEntry(SequenceNumber sequence, ValueType type, const Slice& user_key, const Slice& value,
                bool concurrent);

  // Counts owners; relaxed increments suffice, the decrement that may free the memtable is
  // acq_rel so every owner's use happens-before the delete.
  std::atomic<int> refs_{0};
  const KeyComparator comparator_;
  Arena arena_;  // entries and skiplist nodes
  Table table_;
  // Written by the writer, read by anyone; a statistic, so relaxed.
  std::atomic<uint64_t> num_entries_{0};
};

}  // namespace strata::memtable
