// Cache: a sharded LRU cache charged by bytes, shared by every table of a DB (block cache).
//
// Values are shared_ptr<const void>: a value looked up stays alive for as long as the caller
// holds it, even after the cache evicts it, so there is no handle to release. The charge of
// a value counts against the capacity only while it is in the cache.
//
// Keys are spread over 16 shards by hash; each shard has its own mutex, hash map and LRU
// list and a sixteenth of the capacity, so the total charge never exceeds the capacity.
// All methods are safe for concurrent use.
#pragma once

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

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
  struct Entry {
    std::string key;
    std::shared_ptr<const void> value;
    size_t charge;
  };

  class Shard {
   public:
    void set_capacity(size_t capacity) { capacity_ = capacity; }
    void Insert(const Slice& key, std::shared_ptr<const void> value, size_t charge);
    std::shared_ptr<const void> Lookup(const Slice& key);
    void Erase(const Slice& key);
    size_t usage() const;

   private:
    size_t capacity_ = 0;
    // Guards lru_, index_ and usage_.
    mutable std::mutex mu_;
    // Most recently used at the front.
    std::list<Entry> lru_;
    // Keys are views of Entry::key inside lru_ (list nodes never move).
    std::unordered_map<std::string_view, std::list<Entry>::iterator> index_;
    size_t usage_ = 0;  // sum of charges in lru_
  };

  Shard& ShardFor(const Slice& key);

  const size_t capacity_;
  std::array<Shard, kNumShards> shards_;
  std::atomic<uint64_t> next_id_{0};
};

}  // namespace strata::sst
