#include "sst/cache.h"

#include <xxhash.h>

#include <cstdlib>
#include <cstring>
#include <new>

namespace strata::sst {

void Cache::EntryDeleter::operator()(Entry* e) const {
  e->~Entry();
  std::free(e);
}

uint64_t Cache::Hash(const Slice& key) { return XXH3_64bits(key.data(), key.size()); }

Cache::Cache(size_t capacity) : capacity_(capacity) {
  for (Shard& s : shards_) s.set_capacity(capacity / kNumShards);
}

void Cache::Insert(const Slice& key, std::shared_ptr<const void> value, size_t charge) {
  const uint64_t hash = Hash(key);
  ShardFor(hash).Insert(key, hash, std::move(value), charge);
}

std::shared_ptr<const void> Cache::Lookup(const Slice& key) {
  const uint64_t hash = Hash(key);
  return ShardFor(hash).Lookup(key, hash);
}

void Cache::Erase(const Slice& key) {
  const uint64_t hash = Hash(key);
  ShardFor(hash).Erase(key, hash);
}

size_t Cache::TotalCharge() const {
  size_t total = 0;
  for (const Shard& s : shards_) total += s.usage();
  return total;
}

Cache::Shard::Shard() : buckets_(16, nullptr) {
  lru_.lru_prev = &lru_;
  lru_.lru_next = &lru_;
}

Cache::Shard::~Shard() {
  for (Entry* e = lru_.lru_next; e != &lru_;) {
    Entry* next = e->lru_next;
    EntryDeleter()(e);
    e = next;
  }
}

Cache::Entry** Cache::Shard::FindLink(const Slice& key, uint64_t hash) {
  // The shard was chosen by the top bits; the bucket by the low ones.
  Entry** link = &buckets_[hash & (buckets_.size() - 1)];
  while (*link != nullptr && ((*link)->hash != hash || (*link)->key() != key)) {
    link = &(*link)->next_in_chain;
  }
  return link;
}

Cache::EntryPtr Cache::Shard::Remove(Entry** link) {
  Entry* e = *link;
  *link = e->next_in_chain;
  e->lru_prev->lru_next = e->lru_next;
  e->lru_next->lru_prev = e->lru_prev;
  count_--;
  usage_ -= e->charge;
  return EntryPtr(e);
}

void Cache::Shard::Grow() {
  std::vector<Entry*> bigger(buckets_.size() * 2, nullptr);
  for (Entry* head : buckets_) {
    while (head != nullptr) {
      Entry* next = head->next_in_chain;
      Entry*& bucket = bigger[head->hash & (bigger.size() - 1)];
      head->next_in_chain = bucket;
      bucket = head;
      head = next;
    }
  }
  buckets_.swap(bigger);
}

void Cache::Shard::Insert(const Slice& key, uint64_t hash, std::shared_ptr<const void> value,
                          size_t charge) {
  // Built before the lock; replaced or evicted entries are freed after it is dropped: their
  // values' destructors may be arbitrarily expensive.
  void* memory = std::malloc(sizeof(Entry) + key.size());
  if (memory == nullptr) throw std::bad_alloc();
  auto* entry = new (memory) Entry{
      nullptr, nullptr, nullptr, hash, charge, std::move(value), static_cast<uint32_t>(key.size())};
  std::memcpy(reinterpret_cast<char*>(entry + 1), key.data(), key.size());
  EntryPtr owned(entry);
  std::vector<EntryPtr> dropped;
  {
    std::lock_guard<std::mutex> lock(mu_);
    Entry** link = FindLink(key, hash);
    if (*link != nullptr) dropped.push_back(Remove(link));
    if (charge > capacity_) return;  // never kept; the old entry is gone too
    if (count_ >= buckets_.size()) {
      Grow();
      link = FindLink(key, hash);
    }
    Entry* e = owned.release();
    e->next_in_chain = *link;
    *link = e;
    e->lru_next = lru_.lru_next;
    e->lru_prev = &lru_;
    lru_.lru_next->lru_prev = e;
    lru_.lru_next = e;
    count_++;
    usage_ += charge;
    while (usage_ > capacity_ && lru_.lru_prev != e) {
      Entry* last = lru_.lru_prev;
      dropped.push_back(Remove(FindLink(last->key(), last->hash)));
    }
  }
}

std::shared_ptr<const void> Cache::Shard::Lookup(const Slice& key, uint64_t hash) {
  std::lock_guard<std::mutex> lock(mu_);
  Entry* e = *FindLink(key, hash);
  if (e == nullptr) return nullptr;
  // Move to the front of the LRU list.
  e->lru_prev->lru_next = e->lru_next;
  e->lru_next->lru_prev = e->lru_prev;
  e->lru_next = lru_.lru_next;
  e->lru_prev = &lru_;
  lru_.lru_next->lru_prev = e;
  lru_.lru_next = e;
  return e->value;
}

void Cache::Shard::Erase(const Slice& key, uint64_t hash) {
  EntryPtr dropped;
  std::lock_guard<std::mutex> lock(mu_);
  Entry** link = FindLink(key, hash);
  if (*link != nullptr) dropped = Remove(link);
}

size_t Cache::Shard::usage() const {
  std::lock_guard<std::mutex> lock(mu_);
  return usage_;
}

}  // namespace strata::sst
