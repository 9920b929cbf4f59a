// SuperVersion and SuperVersionCache: what a point read needs, taken without the DB mutex.
//
// A SuperVersion is the set of sources a read consults, as one reference-counted object: the
// mutable memtable, the immutable memtables (newest first) and the current Version. The DB
// builds a new one under its mutex whenever any of the three changes (a memtable switch, a
// flush, a compaction or trivial move) and never changes one afterwards.
//
// SuperVersionCache keeps, per thread, one reference to the DB's SuperVersion in a slot of
// that thread's own (its own cache line), so a read takes and returns it with two atomic
// exchanges on memory no other thread writes: no mutex, no shared reference count bouncing
// between cores. Installing a new SuperVersion invalidates every slot:
//
//   Acquire  swaps the slot to kInUse and gets the cached reference (or null: take a fresh
//            one the slow way, under the DB mutex); the Lease it returns remembers the slot.
//   Release  puts the reference back with a compare-and-swap that expects kInUse. If an
//            Invalidate() emptied the slot meanwhile, the swap fails and the reader drops its
//            reference itself: it may have used a SuperVersion that was just replaced, which
//            is a read that ran before the change, never a stale read after it.
//   Invalidate (DB mutex held, after the new SuperVersion is in place) empties every slot
//            and drops the references it finds; a slot that holds kInUse is emptied too, and
//            the reader using it drops its own reference at Release.
//
// Why a reader never misses an acknowledged write: the DB publishes a write's sequence after
// installing any SuperVersion the write needs (a new memtable) and readers load the sequence
// (acquire) before Acquire(); the invalidation of their slot therefore happens-before their
// exchange on it, which then sees it empty and takes the new SuperVersion.
#pragma once

#include <atomic>
#include <memory>
#include <vector>

#include "db/version_set.h"
#include "memtable/memtable.h"

namespace strata {

class SuperVersion {
 public:
  // Takes a reference on every memtable; the caller holds the one reference returned.
  SuperVersion(memtable::MemTable* mem, std::vector<memtable::MemTable*> imms,
               std::shared_ptr<const Version> version);
  SuperVersion(const SuperVersion&) = delete;
  SuperVersion& operator=(const SuperVersion&) = delete;

  void Ref() { refs_.fetch_add(1, std::memory_order_relaxed); }
  // Drops a reference; deletes the SuperVersion (and so its memtable references) at zero.
  // Any thread, with or without the DB mutex.
  void Unref();

  memtable::MemTable* const mem;
  const std::vector<memtable::MemTable*> imms;  // newest first
  const std::shared_ptr<const Version> version;

 private:
  ~SuperVersion();
  std::atomic<int> refs_{1};
};

class SuperVersionCache {
 public:
  struct Slot;

  SuperVersionCache();
  // Drops every thread's cached reference. No read may be running.
  ~SuperVersionCache();
  SuperVersionCache(const SuperVersionCache&) = delete;
  SuperVersionCache& operator=(const SuperVersionCache&) = delete;

  // A read's hold on the calling thread's slot: the slot (looked up once per read) and the
  // reference cached there, or null if it had none.
  struct Lease {
    Slot* slot;
    SuperVersion* cached;
  };
  // Marks the calling thread's slot in use and takes its cached reference.
  Lease Acquire();
  // Gives back the reference the read used (lease.cached or a fresh one): it stays cached
  // for the thread's next read unless the slot was invalidated meanwhile.
  void Release(const Lease& lease, SuperVersion* sv);
  // Drops every cached reference, so every thread's next read takes the DB's current
  // SuperVersion. Call with the DB mutex held, after installing a new one.
  void Invalidate();

 private:
  struct Registry;
  class ThreadSlots;

  Slot* LocalSlot();

  const std::shared_ptr<Registry> registry_;
};

}  // namespace strata
