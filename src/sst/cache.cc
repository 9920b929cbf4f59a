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

Cache::Shard::Shard() : slots_(32, Slot{0, nullptr}) {
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

size_t Cache::Shard::FindSlot(const Slice& key, uint64_t hash) const {
  // The shard was chosen by the top bits; the slot by the low ones.
  size_t i = Home(hash);
  while (slots_[i].entry != nullptr && (slots_[i].hash != hash || slots_[i].entry->key() != key)) {
    i = Next(i);
  }
  return i;
}

size_t Cache::Shard::SlotOf(const Entry* e) const {
  size_t i = Home(e->hash);
  while (slots_[i].entry != e) i = Next(i);
  return i;
}

Cache::EntryPtr Cache::Shard::Remove(size_t i) {
  Entry* e = slots_[i].entry;
  e->lru_prev->lru_next = e->lru_next;
  e->lru_next->lru_prev = e->lru_prev;
  count_--;
  usage_ -= e->charge;
  // Backward-shift deletion: later slots of the same probe run move into the hole when their
  // home lies at or before it (cyclically), so every entry stays reachable from its home
  // without tombstones.
  size_t hole = i;
  for (size_t j = Next(i); slots_[j].entry != nullptr; j = Next(j)) {
    const size_t home = Home(slots_[j].hash);
    // Can the entry at j move to the hole? Only if its home is not in (hole, j].
    const bool home_after_hole =
        hole <= j ? (home > hole && home <= j) : (home > hole || home <= j);
    if (!home_after_hole) {
      slots_[hole] = slots_[j];
      hole = j;
    }
  }
  slots_[hole] = Slot{0, nullptr};
  return EntryPtr(e);
}

void Cache::Shard::Grow() {
  std::vector<Slot> old(slots_.size() * 2, Slot{0, nullptr});
  old.swap(slots_);
  for (const Slot& s : old) {
    if (s.entry == nullptr) continue;
    size_t i = Home(s.hash);
    while (slots_[i].entry != nullptr) i = Next(i);
    slots_[i] = s;
  }
}

void Cache::Shard::Insert(const Slice& key, uint64_t hash, std::shared_ptr<const void> value,
                          size_t charge) {
  // Built before the lock; replaced or evicted entries are freed after it is dropped: their
  // values' destructors may be arbitrarily expensive.
  void* memory = std::malloc(sizeof(Entry) + key.size());
  if (memory == nullptr) throw std::bad_alloc();
  auto* entry = new (memory)
      Entry{nullptr, nullptr, hash, charge, std::move(value), static_cast<uint32_t>(key.size())};
  std::memcpy(reinterpret_cast<char*>(entry + 1), key.data(), key.size());
  EntryPtr owned(entry);
  std::vector<EntryPtr> dropped;
  {
    std::lock_guard<std::mutex> lock(mu_);
    size_t i = FindSlot(key, hash);
    if (slots_[i].entry != nullptr) {
      dropped.push_back(Remove(i));
      i = FindSlot(key, hash);  // the removal may have shifted the probe run
    }
    if (charge > capacity_) return;  // never kept; the old entry is gone too
    if (2 * (count_ + 1) > slots_.size()) {
      Grow();
      i = FindSlot(key, hash);
    }
    Entry* e = owned.release();
    slots_[i] = Slot{hash, e};
    e->lru_next = lru_.lru_next;
    e->lru_prev = &lru_;
    lru_.lru_next->lru_prev = e;
    lru_.lru_next = e;
    count_++;
    usage_ += charge;
    while (usage_ > capacity_ && lru_.lru_prev != e) {
      dropped.push_back(Remove(SlotOf(lru_.lru_prev)));
    }
    // The next eviction starts at the new tail, long unused and so out of the CPU caches:
    // start loading it now rather than when that insert needs it.
    __builtin_prefetch(lru_.lru_prev);
  }
}

std::shared_ptr<const void> Cache::Shard::Lookup(const Slice& key, uint64_t hash) {
  std::lock_guard<std::mutex> lock(mu_);
  Entry* e = slots_[FindSlot(key, hash)].entry;
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
  const size_t i = FindSlot(key, hash);
  if (slots_[i].entry != nullptr) dropped = Remove(i);
}

size_t Cache::Shard::usage() const {
  std::lock_guard<std::mutex> lock(mu_);
  return usage_;
}

}  // namespace strata::sst
