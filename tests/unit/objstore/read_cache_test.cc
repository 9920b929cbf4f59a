#include "objstore/read_cache.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <thread>

#include "objstore/local_store.h"
#include "support/test_util.h"

namespace strata::objstore {
namespace {

using strata::test::RandomBytes;
using strata::test::ReadFile;
using strata::test::TempDir;

class ReadCacheTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = OpenLocalStore(dir_.path() + "/store");
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(*store);
  }
  std::unique_ptr<ReadCache> OpenCache(uint64_t capacity) {
    auto cache = ReadCache::Open({dir_.path() + "/cache", capacity});
    EXPECT_TRUE(cache.ok()) << cache.status().ToString();
    return cache.ok() ? std::move(*cache) : nullptr;
  }
  void Put(const std::string& key, const std::string& bytes) {
    ASSERT_TRUE(PutString(store_.get(), key, bytes).ok());
  }
  size_t FilesInCache() {
    size_t n = 0;
    for (const auto& e : std::filesystem::directory_iterator(dir_.path() + "/cache")) {
      (void)e;
      n++;
    }
    return n;
  }

  TempDir dir_;
  std::unique_ptr<ObjectStore> store_;
};

TEST_F(ReadCacheTest, SecondFetchIsAHitWithTheSameBytes) {
  Put("a", RandomBytes(1, 5000));
  auto cache = OpenCache(1 << 20);
  {
    auto first = cache->Fetch(store_.get(), "a");
    ASSERT_TRUE(first.ok()) << first.status().ToString();
    EXPECT_EQ(ReadFile(first->path()), RandomBytes(1, 5000));
    EXPECT_EQ(first->info().size, 5000u);
  }
  auto second = cache->Fetch(store_.get(), "a");
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(ReadFile(second->path()), RandomBytes(1, 5000));
  const ReadCacheStats stats = cache->stats();
  EXPECT_EQ(stats.misses, 1u);
  EXPECT_EQ(stats.hits, 1u);
  EXPECT_EQ(stats.bytes, 5000u);
  EXPECT_EQ(stats.entries, 1u);
}

TEST_F(ReadCacheTest, AChangedObjectIsFetchedAgainNeverServedStale) {
  Put("a", "version one");
  auto cache = OpenCache(1 << 20);
  ASSERT_TRUE(cache->Fetch(store_.get(), "a").ok());
  Put("a", "version two, longer");
  auto fetched = cache->Fetch(store_.get(), "a");
  ASSERT_TRUE(fetched.ok());
  EXPECT_EQ(ReadFile(fetched->path()), "version two, longer");
  EXPECT_EQ(cache->stats().misses, 2u);
  EXPECT_EQ(cache->stats().hits, 0u);
}

TEST_F(ReadCacheTest, EvictsLeastRecentlyUsedWithinTheCapacity) {
  for (const char* k : {"a", "b", "c"}) Put(k, std::string(400, *k));
  auto cache = OpenCache(1000);  // room for two
  ASSERT_TRUE(cache->Fetch(store_.get(), "a").ok());
  ASSERT_TRUE(cache->Fetch(store_.get(), "b").ok());
  ASSERT_TRUE(cache->Fetch(store_.get(), "a").ok());  // a is now the most recent
  ASSERT_TRUE(cache->Fetch(store_.get(), "c").ok());  // evicts b
  EXPECT_EQ(cache->stats().evictions, 1u);
  EXPECT_EQ(cache->stats().bytes, 800u);
  EXPECT_EQ(FilesInCache(), 2u);
  ASSERT_TRUE(cache->Fetch(store_.get(), "a").ok());
  EXPECT_EQ(cache->stats().hits, 2u);
  ASSERT_TRUE(cache->Fetch(store_.get(), "b").ok());  // a miss again
  EXPECT_EQ(cache->stats().misses, 4u);
}

TEST_F(ReadCacheTest, FilesInUseAreNotEvicted) {
  for (const char* k : {"a", "b"}) Put(k, std::string(600, *k));
  auto cache = OpenCache(1000);
  auto a = cache->Fetch(store_.get(), "a");
  auto b = cache->Fetch(store_.get(), "b");
  ASSERT_TRUE(a.ok() && b.ok());
  // Over capacity, but both are held.
  EXPECT_EQ(ReadFile(a->path()), std::string(600, 'a'));
  EXPECT_EQ(cache->stats().bytes, 1200u);
  *a = CachedFile();  // releasing a lets it go
  EXPECT_EQ(cache->stats().bytes, 600u);
  EXPECT_EQ(ReadFile(b->path()), std::string(600, 'b'));
}

TEST_F(ReadCacheTest, AnObjectLargerThanTheCacheIsAPrivateCopy) {
  Put("big", RandomBytes(2, 3000));
  auto cache = OpenCache(1000);
  std::string path;
  {
    auto big = cache->Fetch(store_.get(), "big");
    ASSERT_TRUE(big.ok());
    path = big->path();
    EXPECT_EQ(ReadFile(path), RandomBytes(2, 3000));
    EXPECT_EQ(cache->stats().bytes, 0u);
  }
  EXPECT_FALSE(std::filesystem::exists(path));
  EXPECT_EQ(FilesInCache(), 0u);
}

TEST_F(ReadCacheTest, ReopeningAdoptsEntriesAndClearsLeftovers) {
  Put("a", "persisted");
  {
    auto cache = OpenCache(1 << 20);
    ASSERT_TRUE(cache->Fetch(store_.get(), "a").ok());
  }
  // A download a crash interrupted.
  std::FILE* f = std::fopen((dir_.path() + "/cache/.tmp-1-1").c_str(), "w");
  ASSERT_NE(f, nullptr);
  std::fclose(f);
  auto cache = OpenCache(1 << 20);
  EXPECT_EQ(cache->stats().entries, 1u);
  EXPECT_EQ(FilesInCache(), 1u);
  auto a = cache->Fetch(store_.get(), "a");
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(cache->stats().hits, 1u);
  EXPECT_EQ(ReadFile(a->path()), "persisted");
}

TEST_F(ReadCacheTest, MissingObjectIsNotFound) {
  auto cache = OpenCache(1 << 20);
  EXPECT_TRUE(cache->Fetch(store_.get(), "nope").status().IsNotFound());
}

TEST_F(ReadCacheTest, ConcurrentFetchesAgreeAndStayWithinCapacity) {
  for (int i = 0; i < 8; i++) Put("k" + std::to_string(i), RandomBytes(i, 1000 + i));
  auto cache = OpenCache(4500);
  std::vector<std::thread> threads;
  std::atomic<int> bad{0};
  for (int t = 0; t < 4; t++) {
    threads.emplace_back([&, t] {
      for (int n = 0; n < 100; n++) {
        const int i = (n * 7 + t) % 8;
        auto f = cache->Fetch(store_.get(), "k" + std::to_string(i));
        if (!f.ok() || ReadFile(f->path()) != RandomBytes(i, 1000 + i)) bad++;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(bad.load(), 0);
  const ReadCacheStats stats = cache->stats();
  EXPECT_EQ(stats.hits + stats.misses, 400u);
  EXPECT_LE(stats.bytes, 4500u);
}

}  // namespace
}  // namespace strata::objstore
