#include "sst/cache.h"

#include <xxhash.h>

#include <iterator>

namespace strata::sst {

Cache::Cache(size_t capacity) : capacity_(capacity) {
  for (Shard& s : shards_) s.set_capacity(capacity / kNumShards);
}

Cache::Shard& Cache::ShardFor(const Slice& key) {
  // The top 4 bits: the low ones also pick the bucket inside the shard's hash map.
  return shards_[XXH3_64bits(key.data(), key.size()) >> 60];
}

void Cache::Insert(const Slice& key, std::shared_ptr<const void> value, size_t charge) {
  ShardFor(key).Insert(key, std::move(value), charge);
}

std::shared_ptr<const void> Cache::Lookup(const Slice& key) { return ShardFor(key).Lookup(key); }

void Cache::Erase(const Slice& key) { ShardFor(key).Erase(key); }

size_t Cache::TotalCharge() const {
  size_t total = 0;
  for (const Shard& s : shards_) total += s.usage();
  return total;
}

void Cache::Shard::Insert(const Slice& key, std::shared_ptr<const void> value, size_t charge) {
  // The replaced or evicted values are released after the lock is dropped: their
  // destructors may be arbitrarily expensive.
  std::list<Entry> dropped;
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = index_.find(key.view());
    if (it != index_.end()) {
      usage_ -= it->second->charge;
      dropped.splice(dropped.end(), lru_, it->second);
      index_.erase(it);
    }
    lru_.push_front(Entry{key.ToString(), std::move(value), charge});
    index_.emplace(std::string_view(lru_.front().key), lru_.begin());
    usage_ += charge;
    while (usage_ > capacity_ && !lru_.empty()) {
      auto last = std::prev(lru_.end());
      usage_ -= last->charge;
      index_.erase(std::string_view(last->key));
      dropped.splice(dropped.end(), lru_, last);
    }
  }
}

std::shared_ptr<const void> Cache::Shard::Lookup(const Slice& key) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = index_.find(key.view());
  if (it == index_.end()) return nullptr;
  lru_.splice(lru_.begin(), lru_, it->second);  // iterators stay valid
  return it->second->value;
}

void Cache::Shard::Erase(const Slice& key) {
  std::list<Entry> dropped;
  std::lock_guard<std::mutex> lock(mu_);
  auto it = index_.find(key.view());
  if (it == index_.end()) return;
  usage_ -= it->second->charge;
  dropped.splice(dropped.end(), lru_, it->second);
  index_.erase(it);
}

size_t Cache::Shard::usage() const {
  std::lock_guard<std::mutex> lock(mu_);
  return usage_;
}

}  // namespace strata::sst
