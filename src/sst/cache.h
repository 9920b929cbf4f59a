// Cache: a sharded LRU cache charged by bytes, shared by every table of a DB (block cache).
//
// Values are shared_ptr<const void>: a value looked up stays alive for as long as the caller
// holds it, even after the cache evicts it, so there is no handle to release. The charge of
// a value counts against the capacity only while it is in the cache.
//
// Keys are spread over 16 shards by hash; each shard has its own mutex, hash table and LRU
// list and a sixteenth of the capacity, so the total charge never exceeds the capacity. The
// key is hashed once (xxh3) for both the shard and the table. The table is open addressing
// with linear probing over slots that hold each entry's full hash next to its pointer, at
// most half full: a lookup that misses (most lookups, when the data is much larger than the
// cache) reads one or two slots and no entry, and one that hits reads the single entry whose
// hash matches. Entries hold their key inline.
// All methods are safe for concurrent use.
#pragma once

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "strata/slice.h"

namespace strata::sst {

class Cache {
 public:
  static constexpr int kNumShards = 16;

  explicit Cache(size_t capacity);

  Cache(const Cache&) = delete;
  Cache& operator=(const Cache&) = delete;

  // Inserts or replaces key. A value whose charge exceeds a shard's capacity is not kept.
  // Evicts least recently used entries of the shard until its charge fits again.
  void Insert(const Slice& key, std::shared_ptr<const void> value, size_t charge);

  // The value, marked most recently used; null if absent.
  std::shared_ptr<const void> Lookup(const Slice& key);

  template <typename T>
  std::shared_ptr<const T> LookupAs(const Slice& key) {
    return std::static_pointer_cast<const T>(Lookup(key));
  }

  void Erase(const Slice& key);

  // A number no other caller gets from this cache: tables prefix their block keys with it.
  uint64_t NewId() { return next_id_.fetch_add(1, std::memory_order_relaxed) + 1; }

  size_t capacity() const { return capacity_; }
  // Sum of the charges of the entries in the cache.
  size_t TotalCharge() const;

 private:
  // An entry owns a copy of its key (stored right after it, one allocation) and sits in two
  // intrusive structures: its shard's hash chain and its LRU list.
  // An entry owns a copy of its key (stored right after it, one allocation) and sits in its
  // shard's table and LRU list.
  struct Entry {
    Entry* lru_prev;
    Entry* lru_next;
    uint64_t hash;
    size_t charge;
    std::shared_ptr<const void> value;
    uint32_t key_size;
    Slice key() const { return Slice(reinterpret_cast<const char*>(this + 1), key_size); }
  };
  struct EntryDeleter {
    void operator()(Entry* e) const;
  };
  using EntryPtr = std::unique_ptr<Entry, EntryDeleter>;

  class Shard {
   public:
    Shard();
    ~Shard();
    void set_capacity(size_t capacity) { capacity_ = capacity; }
    void Insert(const Slice& key, uint64_t hash, std::shared_ptr<const void> value, size_t charge);
    std::shared_ptr<const void> Lookup(const Slice& key, uint64_t hash);
    void Erase(const Slice& key, uint64_t hash);
    size_t usage() const;

   private:
    struct Slot {
      uint64_t hash;
      Entry* entry;  // null: the slot is free
    };

    size_t Home(uint64_t hash) const { return hash & (slots_.size() - 1); }
    size_t Next(size_t i) const { return (i + 1) & (slots_.size() - 1); }
    // The slot holding key, or the free slot that ends its probe sequence.
    size_t FindSlot(const Slice& key, uint64_t hash) const;
    // The slot holding e, which is in the table.
    size_t SlotOf(const Entry* e) const;
    // Takes the entry in slot i out of the table and the LRU list; the caller owns it then.
    EntryPtr Remove(size_t i);
    void Grow();

    size_t capacity_ = 0;
    // Guards everything below.
    mutable std::mutex mu_;
    // Its size is a power of two, at least twice count_: probe sequences stay short and
    // always end at a free slot.
    std::vector<Slot> slots_;
    size_t count_ = 0;
    // Circular LRU list through a sentinel: lru_.lru_next is the most recently used.
    Entry lru_;
    size_t usage_ = 0;  // sum of charges in the shard
  };

  static uint64_t Hash(const Slice& key);
  Shard& ShardFor(uint64_t hash) { return shards_[hash >> 60]; }

  const size_t capacity_;
  std::array<Shard, kNumShards> shards_;
  std::atomic<uint64_t> next_id_{0};
};

}  // namespace strata::sst
