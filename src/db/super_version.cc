#include "db/super_version.h"

#include <algorithm>
#include <mutex>

namespace strata {

SuperVersion::SuperVersion(memtable::MemTable* mem_in, std::vector<memtable::MemTable*> imms_in,
                           std::shared_ptr<const Version> version_in)
    : mem(mem_in), imms(std::move(imms_in)), version(std::move(version_in)) {
  mem->Ref();
  for (memtable::MemTable* m : imms) m->Ref();
}

SuperVersion::~SuperVersion() {
  mem->Unref();
  for (memtable::MemTable* m : imms) m->Unref();
}

void SuperVersion::Unref() {
  // acq_rel: every holder's reads happen-before the delete.
  if (refs_.fetch_sub(1, std::memory_order_acq_rel) == 1) delete this;
}

namespace {

// Marks a slot whose reference a read is using; never dereferenced.
char in_use_tag;
SuperVersion* const kInUse = reinterpret_cast<SuperVersion*>(&in_use_tag);

bool IsReference(SuperVersion* sv) { return sv != nullptr && sv != kInUse; }

}  // namespace

// One thread's cached reference for one DB, alone on its cache line.
struct alignas(64) SuperVersionCache::Slot {
  std::atomic<SuperVersion*> sv{nullptr};
};

// The slots of one DB's threads. Shared by the DB and by every thread holding a slot of it,
// so whichever of the two goes first (DB closed, thread exited) leaves a valid object.
struct SuperVersionCache::Registry {
  std::mutex mu;
  std::vector<Slot*> slots;  // guarded by mu
  bool closed = false;       // guarded by mu: the DB is gone, its slots are empty and unused
};

// The calling thread's slots, one per DB it has read from; they die with the thread.
class SuperVersionCache::ThreadSlots {
 public:
  ~ThreadSlots() {
    for (Entry& e : entries_) {
      SuperVersion* sv = nullptr;
      {
        std::lock_guard lock(e.registry->mu);
        if (e.registry->closed) continue;
        auto& slots = e.registry->slots;
        slots.erase(std::find(slots.begin(), slots.end(), e.slot.get()));
        sv = e.slot->sv.exchange(nullptr, std::memory_order_acq_rel);
      }
      if (IsReference(sv)) sv->Unref();
    }
  }

  Slot* Find(const std::shared_ptr<Registry>& registry) {
    for (Entry& e : entries_) {
      if (e.registry == registry) return e.slot.get();
    }
    // First read of this DB in this thread. Forget the slots of closed DBs first, so a
    // long-lived thread that opens many DBs in turn keeps only the live ones.
    std::erase_if(entries_, [](Entry& e) {
      std::lock_guard lock(e.registry->mu);
      return e.registry->closed;
    });
    auto slot = std::make_unique<Slot>();
    {
      std::lock_guard lock(registry->mu);
      registry->slots.push_back(slot.get());
    }
    entries_.push_back(Entry{registry, std::move(slot)});
    return entries_.back().slot.get();
  }

 private:
  struct Entry {
    std::shared_ptr<Registry> registry;
    std::unique_ptr<Slot> slot;
  };
  std::vector<Entry> entries_;
};

SuperVersionCache::SuperVersionCache() : registry_(std::make_shared<Registry>()) {}

SuperVersionCache::~SuperVersionCache() {
  std::vector<SuperVersion*> dropped;
  {
    std::lock_guard lock(registry_->mu);
    registry_->closed = true;
    for (Slot* slot : registry_->slots) {
      SuperVersion* sv = slot->sv.exchange(nullptr, std::memory_order_acq_rel);
      if (IsReference(sv)) dropped.push_back(sv);
    }
    registry_->slots.clear();
  }
  for (SuperVersion* sv : dropped) sv->Unref();
}

SuperVersionCache::Slot* SuperVersionCache::LocalSlot() {
  thread_local ThreadSlots thread_slots;
  return thread_slots.Find(registry_);
}

SuperVersionCache::Lease SuperVersionCache::Acquire() {
  Slot* slot = LocalSlot();
  SuperVersion* sv = slot->sv.exchange(kInUse, std::memory_order_acquire);
  return Lease{slot, IsReference(sv) ? sv : nullptr};
}

void SuperVersionCache::Release(const Lease& lease, SuperVersion* sv) {
  SuperVersion* expected = kInUse;
  // Release: the next Acquire in this thread, or an Invalidate, sees sv fully.
  if (!lease.slot->sv.compare_exchange_strong(expected, sv, std::memory_order_release,
                                              std::memory_order_relaxed)) {
    sv->Unref();  // invalidated while in use: nobody else will drop this reference
  }
}

void SuperVersionCache::Invalidate() {
  std::vector<SuperVersion*> dropped;
  {
    std::lock_guard lock(registry_->mu);
    for (Slot* slot : registry_->slots) {
      SuperVersion* sv = slot->sv.exchange(nullptr, std::memory_order_acq_rel);
      if (IsReference(sv)) dropped.push_back(sv);
    }
  }
  for (SuperVersion* sv : dropped) sv->Unref();
}

}  // namespace strata
