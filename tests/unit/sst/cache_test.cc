// The sharded LRU cache: lookups, replacement, eviction by bytes in LRU order, values that
// outlive eviction, and concurrent use (run under TSan).
#include "sst/cache.h"

#include <gtest/gtest.h>

#include <atomic>
#include <map>
#include <string>
#include <thread>
#include <vector>

namespace strata::sst {
namespace {

std::shared_ptr<const void> Value(int v) { return std::make_shared<const int>(v); }

int Get(Cache& cache, const std::string& key) {
  auto v = cache.LookupAs<int>(key);
  return v == nullptr ? -1 : *v;
}

TEST(CacheTest, InsertLookupErase) {
  Cache cache(1 << 20);
  EXPECT_EQ(Get(cache, "a"), -1);
  cache.Insert("a", Value(1), 10);
  cache.Insert("b", Value(2), 20);
  EXPECT_EQ(Get(cache, "a"), 1);
  EXPECT_EQ(Get(cache, "b"), 2);
  EXPECT_EQ(cache.TotalCharge(), 30u);
  cache.Insert("a", Value(3), 5);  // replaces, and its charge
  EXPECT_EQ(Get(cache, "a"), 3);
  EXPECT_EQ(cache.TotalCharge(), 25u);
  cache.Erase("a");
  cache.Erase("missing");
  EXPECT_EQ(Get(cache, "a"), -1);
  EXPECT_EQ(cache.TotalCharge(), 20u);
  EXPECT_NE(cache.NewId(), cache.NewId());
}

TEST(CacheTest, ManyKeysOfManyLengthsGrowTheTables) {
  Cache cache(1 << 30);
  auto key = [](int i) {
    return std::string(static_cast<size_t>(i % 40), 'k') + std::to_string(i);
  };
  for (int i = 0; i < 20000; i++) cache.Insert(key(i), Value(i), 1);
  for (int i = 0; i < 20000; i++) ASSERT_EQ(Get(cache, key(i)), i) << i;
  for (int i = 0; i < 20000; i += 2) cache.Erase(key(i));
  for (int i = 0; i < 20000; i++) ASSERT_EQ(Get(cache, key(i)), i % 2 ? i : -1) << i;
  EXPECT_EQ(cache.TotalCharge(), 10000u);
}

// Random inserts, replacements, erases and lookups against a map, with few keys so chains
// hold several entries and every position in a chain gets unlinked; first without eviction
// (the cache must equal the map), then with a small capacity (a hit must still return the
// key's latest value, and the charge must stay within capacity).
TEST(CacheTest, RandomOperationsAgreeWithAModel) {
  for (const size_t capacity : {size_t{1} << 30, size_t{Cache::kNumShards} * 40}) {
    Cache cache(capacity);
    std::map<std::string, int> model;
    uint64_t x = 88172645463325252ull;
    auto next = [&x] {
      x ^= x << 13;
      x ^= x >> 7;
      x ^= x << 17;
      return x;
    };
    const bool evicts = capacity < (size_t{1} << 20);
    for (int i = 0; i < 200000; i++) {
      const std::string key = "k" + std::to_string(next() % 3000);
      switch (next() % 4) {
        case 0:
        case 1:
          cache.Insert(key, Value(i), 1 + next() % 8);
          model[key] = i;
          break;
        case 2:
          cache.Erase(key);
          model.erase(key);
          break;
        case 3: {
          const int got = Get(cache, key);
          auto it = model.find(key);
          if (evicts) {
            if (got != -1) {
              ASSERT_TRUE(it != model.end() && got == it->second) << key;
            }
          } else {
            ASSERT_EQ(got, it == model.end() ? -1 : it->second) << key;
          }
          break;
        }
      }
      if (evicts) {
        ASSERT_LE(cache.TotalCharge(), capacity);
      }
    }
    if (!evicts) {
      for (const auto& [key, v] : model) ASSERT_EQ(Get(cache, key), v) << key;
    }
  }
}

TEST(CacheTest, AnEntryLargerThanAShardIsNotKeptAndDropsTheOldValue) {
  Cache cache(Cache::kNumShards * 100);  // 100 per shard
  cache.Insert("a", Value(1), 10);
  cache.Insert("a", Value(2), 101);
  EXPECT_EQ(Get(cache, "a"), -1);
  EXPECT_EQ(cache.TotalCharge(), 0u);
}

TEST(CacheTest, EvictsByBytesInLruOrder) {
  // 16 shards of 1000 bytes. Keys of one shard are found by probing.
  Cache cache(16 * 1000);
  std::vector<std::string> same_shard;
  {
    Cache probe(16);  // capacity 1 per shard: only the newest entry of a shard survives
    probe.Insert("k0", Value(0), 1);
    for (int i = 1; same_shard.size() < 5 && i < 100000; i++) {
      const std::string k = "k" + std::to_string(i);
      probe.Insert("k0", Value(0), 1);
      probe.Insert(k, Value(i), 1);
      if (probe.Lookup("k0") == nullptr) same_shard.push_back(k);  // evicted by k: same shard
    }
  }
  ASSERT_EQ(same_shard.size(), 5u);
  for (int i = 0; i < 4; i++) cache.Insert(same_shard[i], Value(i), 300);  // 1200 > 1000
  EXPECT_EQ(Get(cache, same_shard[0]), -1);                                // oldest went
  EXPECT_EQ(Get(cache, same_shard[1]), 1);                                 // now most recently used
  cache.Insert(same_shard[4], Value(4), 300);
  EXPECT_EQ(Get(cache, same_shard[2]), -1);  // least recently used went, not [1]
  EXPECT_EQ(Get(cache, same_shard[1]), 1);
  EXPECT_EQ(Get(cache, same_shard[4]), 4);
  EXPECT_LE(cache.TotalCharge(), 1000u);
}

TEST(CacheTest, TotalChargeNeverExceedsCapacity) {
  Cache cache(100000);
  for (int i = 0; i < 20000; i++) {
    cache.Insert("key" + std::to_string(i), Value(i), 1 + i % 700);
    ASSERT_LE(cache.TotalCharge(), cache.capacity());
  }
  EXPECT_GT(cache.TotalCharge(), cache.capacity() / 2);
  // An entry larger than a shard is not kept at all.
  cache.Insert("huge", Value(1), cache.capacity());
  EXPECT_EQ(Get(cache, "huge"), -1);
}

TEST(CacheTest, ValueOutlivesEviction) {
  Cache cache(16);
  cache.Insert("a", Value(7), 1);
  auto held = cache.LookupAs<int>("a");
  cache.Erase("a");
  ASSERT_NE(held, nullptr);
  EXPECT_EQ(*held, 7);
}

TEST(CacheTest, ConcurrentUse) {
  Cache cache(64 * 1024);
  std::atomic<int> wrong{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; t++) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 20000; i++) {
        const int k = (i * 7 + t * 13) % 3000;
        const std::string key = "key" + std::to_string(k);
        switch (i % 4) {
          case 0:
          case 1: {
            auto v = cache.LookupAs<int>(key);
            if (v != nullptr && *v != k) wrong++;
            break;
          }
          case 2:
            cache.Insert(key, Value(k), 64 + k % 100);
            break;
          case 3:
            if (k % 5 == 0) cache.Erase(key);
            break;
        }
        if (i % 1000 == 0 && cache.TotalCharge() > cache.capacity()) wrong++;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(wrong.load(), 0);
  EXPECT_LE(cache.TotalCharge(), cache.capacity());
}

}  // namespace
}  // namespace strata::sst
