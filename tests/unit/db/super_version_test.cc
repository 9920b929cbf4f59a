// SuperVersionCache: per-thread references, invalidation while a read is in progress, and
// the references of exited threads and closed caches given back. References are observed
// through the Version's use count (every SuperVersion holds one).
#include "db/super_version.h"

#include <gtest/gtest.h>

#include <thread>

namespace strata {
namespace {

struct Sources {
  Sources() : mem(new memtable::MemTable(icmp)) { mem->Ref(); }
  ~Sources() { mem->Unref(); }
  // A new SuperVersion with one reference, for the caller.
  SuperVersion* Make() { return new SuperVersion(mem, {}, version); }
  // References held on the Version by SuperVersions.
  long SuperVersionRefs() const { return version.use_count() - 1; }

  memtable::InternalKeyComparator icmp{BytewiseComparator()};
  memtable::MemTable* mem;
  std::shared_ptr<const Version> version = std::make_shared<Version>();
};

// A read's protocol: Acquire, then (with nothing cached) a fresh reference, then Release.
void ReadWith(SuperVersionCache& cache, SuperVersion* fresh) {
  const SuperVersionCache::Lease lease = cache.Acquire();
  ASSERT_EQ(lease.cached, nullptr);
  cache.Release(lease, fresh);
}

TEST(SuperVersionCacheTest, CachesPerThreadUntilInvalidated) {
  Sources src;
  SuperVersionCache cache;
  SuperVersion* sv = src.Make();
  ReadWith(cache, sv);  // cached for this thread
  EXPECT_EQ(src.SuperVersionRefs(), 1);
  const SuperVersionCache::Lease lease = cache.Acquire();
  EXPECT_EQ(lease.cached, sv);  // the same reference back, no new one
  cache.Release(lease, sv);
  EXPECT_EQ(src.SuperVersionRefs(), 1);

  cache.Invalidate();  // drops the cached reference: the SuperVersion is gone
  EXPECT_EQ(src.SuperVersionRefs(), 0);
  ReadWith(cache, src.Make());
  EXPECT_EQ(src.SuperVersionRefs(), 1);
}

TEST(SuperVersionCacheTest, InvalidatedWhileInUseReaderDropsItsOwn) {
  Sources src;
  SuperVersionCache cache;
  ReadWith(cache, src.Make());
  const SuperVersionCache::Lease lease = cache.Acquire();  // in use
  ASSERT_NE(lease.cached, nullptr);
  cache.Invalidate();  // must not drop a reference a read is using
  EXPECT_EQ(src.SuperVersionRefs(), 1);
  cache.Release(lease, lease.cached);  // the slot was emptied meanwhile: the reader drops it
  EXPECT_EQ(src.SuperVersionRefs(), 0);
  ReadWith(cache, src.Make());
}

TEST(SuperVersionCacheTest, ThreadsKeepSeparateSlotsAndGiveThemBackOnExit) {
  Sources src;
  SuperVersionCache cache;
  // Each thread's first read makes its own SuperVersion, so the count of live ones is the
  // count of slots holding one.
  auto reader = [&] {
    const SuperVersionCache::Lease lease = cache.Acquire();
    cache.Release(lease, lease.cached != nullptr ? lease.cached : src.Make());
  };
  std::thread a(reader);
  a.join();
  EXPECT_EQ(src.SuperVersionRefs(), 0);  // a's reference went with a
  reader();                              // this thread's slot
  reader();                              // the same slot, the same SuperVersion
  EXPECT_EQ(src.SuperVersionRefs(), 1);
  std::thread b([&] {
    reader();
    EXPECT_EQ(src.SuperVersionRefs(), 2);  // this thread's and b's
  });
  b.join();
  EXPECT_EQ(src.SuperVersionRefs(), 1);
}

TEST(SuperVersionCacheTest, ClosingTheCacheDropsEveryThreadsReference) {
  Sources src;
  {
    SuperVersionCache cache;
    ReadWith(cache, src.Make());
    EXPECT_EQ(src.SuperVersionRefs(), 1);
  }
  EXPECT_EQ(src.SuperVersionRefs(), 0);
  // A thread that read from a closed cache opens another one without trouble.
  SuperVersionCache next;
  ReadWith(next, src.Make());
  EXPECT_EQ(src.SuperVersionRefs(), 1);
}

}  // namespace
}  // namespace strata
