#include "memtable/skiplist.h"

#include <gtest/gtest.h>

#include <atomic>
#include <cstring>
#include <iterator>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "base/arena.h"
#include "base/coding.h"
#include "base/random.h"
#include "support/failure_log.h"
#include "support/test_util.h"

namespace strata::memtable {
namespace {

// An entry is 16 bytes: the key as a fixed64, then a check word derived from it, so a
// reader can tell a fully written entry from a torn one. Only the key takes part in order.
constexpr size_t kEntrySize = 16;

uint64_t CheckWord(uint64_t key) { return (key * 0x9e3779b97f4a7c15ull) ^ 0xfeedfacecafebeefull; }

uint64_t KeyOf(const char* entry) { return DecodeFixed64(entry); }

struct U64Compare {
  int operator()(const char* a, const char* b) const {
    const uint64_t x = KeyOf(a);
    const uint64_t y = KeyOf(b);
    return x < y ? -1 : (x > y ? 1 : 0);
  }
};

using List = SkipList<U64Compare>;

// An entry in a fresh node of list, not yet inserted.
const char* MakeEntry(List* list, uint64_t key) {
  char* p = list->AllocateKey(kEntrySize);
  EncodeFixed64(p, key);
  EncodeFixed64(p + 8, CheckWord(key));
  return p;
}

// A probe for searches, on the stack; only its first 8 bytes are compared.
struct Probe {
  explicit Probe(uint64_t key) { EncodeFixed64(bytes, key); }
  char bytes[8];
};

TEST(SkipListTest, Empty) {
  Arena arena;
  List list(U64Compare(), &arena);
  EXPECT_FALSE(list.Contains(Probe(10).bytes));
  List::Iterator it(&list);
  EXPECT_FALSE(it.Valid());
  it.SeekToFirst();
  EXPECT_FALSE(it.Valid());
  it.SeekToLast();
  EXPECT_FALSE(it.Valid());
  it.Seek(Probe(100).bytes);
  EXPECT_FALSE(it.Valid());
  it.SeekForPrev(Probe(100).bytes);
  EXPECT_FALSE(it.Valid());
}

void CheckAgainstModel(const List& list, const std::set<uint64_t>& model, uint64_t key_range,
                       Random* rnd) {
  for (uint64_t k = 0; k < key_range; k++) {
    ASSERT_EQ(list.Contains(Probe(k).bytes), model.count(k) == 1) << k;
  }

  // Forward.
  List::Iterator it(&list);
  it.SeekToFirst();
  for (uint64_t expected : model) {
    ASSERT_TRUE(it.Valid());
    ASSERT_EQ(KeyOf(it.key()), expected);
    it.Next();
  }
  ASSERT_FALSE(it.Valid());

  // Backward.
  it.SeekToLast();
  for (auto m = model.rbegin(); m != model.rend(); ++m) {
    ASSERT_TRUE(it.Valid());
    ASSERT_EQ(KeyOf(it.key()), *m);
    it.Prev();
  }
  ASSERT_FALSE(it.Valid());

  // Seeks to random targets, then a few random steps from there.
  for (int i = 0; i < 500; i++) {
    const uint64_t target = rnd->Uniform(static_cast<uint32_t>(key_range + 2));
    auto expected = model.lower_bound(target);
    if (rnd->OneIn(2)) {
      it.Seek(Probe(target).bytes);
    } else {
      it.SeekForPrev(Probe(target).bytes);
      expected = model.upper_bound(target);
      expected = expected == model.begin() ? model.end() : std::prev(expected);
    }
    for (int step = 0; step < 5; step++) {
      if (expected == model.end()) {
        ASSERT_FALSE(it.Valid());
        break;
      }
      ASSERT_TRUE(it.Valid());
      ASSERT_EQ(KeyOf(it.key()), *expected);
      if (rnd->OneIn(2)) {
        it.Next();
        ++expected;
      } else {
        it.Prev();
        expected = expected == model.begin() ? model.end() : std::prev(expected);
      }
    }
  }
}

TEST(SkipListTest, RandomInsertsMatchSet) {
  const int seeds = test::Iterations(10, 100);
  for (int seed = 1; seed <= seeds; seed++) {
    SCOPED_TRACE(seed);
    Random rnd(seed);
    Arena arena;
    List list(U64Compare(), &arena);
    std::set<uint64_t> model;
    const uint64_t key_range = seed % 2 == 0 ? 100 : 5000;
    const int inserts = 2000;
    for (int i = 0; i < inserts; i++) {
      const uint64_t key = rnd.Uniform(static_cast<uint32_t>(key_range));
      if (model.insert(key).second) list.Insert(MakeEntry(&list, key));
      if (i == 10 || i == inserts / 2) CheckAgainstModel(list, model, key_range, &rnd);
    }
    CheckAgainstModel(list, model, key_range, &rnd);
  }
}

TEST(SkipListTest, ExtremeKeys) {
  Arena arena;
  List list(U64Compare(), &arena);
  list.Insert(MakeEntry(&list, 0));
  list.Insert(MakeEntry(&list, UINT64_MAX));
  List::Iterator it(&list);
  it.SeekForPrev(Probe(UINT64_MAX).bytes);
  ASSERT_TRUE(it.Valid());
  EXPECT_EQ(KeyOf(it.key()), UINT64_MAX);
  it.Prev();
  ASSERT_TRUE(it.Valid());
  EXPECT_EQ(KeyOf(it.key()), 0u);
  it.Prev();
  EXPECT_FALSE(it.Valid());
  it.Seek(Probe(1).bytes);
  ASSERT_TRUE(it.Valid());
  EXPECT_EQ(KeyOf(it.key()), UINT64_MAX);
}

// One writer inserts while three readers scan, seek and step in both directions. Readers
// check that what they see is sorted, fully written, and includes every entry whose insert
// had finished before the reader started looking. Run under TSan to check the ordering.
TEST(SkipListTest, ConcurrentReadersSeeConsistentList) {
  const int kInserts = test::Iterations(20000, 200000);
  Random key_rnd(2024);
  std::vector<uint64_t> keys;
  {
    std::set<uint64_t> unique;
    while (static_cast<int>(keys.size()) < kInserts) {
      const uint64_t k = key_rnd.Next() >> 1;  // leaves room above for seek targets
      if (unique.insert(k).second) keys.push_back(k);
    }
  }

  Arena arena;
  List list(U64Compare(), &arena);
  // Entries [0, published) have been inserted. Release/acquire makes those inserts visible
  // to a reader that sees the count, independently of the list's own ordering.
  std::atomic<int> published{0};
  std::atomic<bool> done{false};
  test::FailureLog failures;

  auto reader = [&](uint64_t seed) {
    Random rnd(seed);
    List::Iterator it(&list);
    int passes = 0;
    // Failures name the reader, its pass and the keys involved.
    auto fail = [&](const std::string& what) {
      failures.Add("reader " + std::to_string(seed) + " pass " + std::to_string(passes) + ": " +
                   what);
    };
    auto check_entry = [&](const char* e, const char* walk) {
      if (DecodeFixed64(e + 8) != CheckWord(KeyOf(e))) {
        fail(std::string(walk) + ": entry " + std::to_string(KeyOf(e)) + " not fully written");
      }
    };
    auto out_of_order = [&](uint64_t key, uint64_t last, const char* walk) {
      fail(std::string(walk) + ": " + std::to_string(key) + " after " + std::to_string(last));
    };
    while (!done.load(std::memory_order_acquire) || passes < 3) {
      passes++;
      const int known = published.load(std::memory_order_acquire);
      // Every published entry is found.
      for (int i = 0; i < 20 && known > 0; i++) {
        const uint64_t k = keys[rnd.Uniform(static_cast<uint32_t>(known))];
        if (!list.Contains(Probe(k).bytes)) {
          fail("Contains(" + std::to_string(k) + ") is false with " + std::to_string(known) +
               " entries published");
        }
      }
      // A window of the list, forward then back, from a random point.
      const uint64_t target = rnd.Next() >> 1;
      if (rnd.OneIn(2)) {
        it.Seek(Probe(target).bytes);
        if (it.Valid() && KeyOf(it.key()) < target) {
          fail("Seek(" + std::to_string(target) + ") landed on " + std::to_string(KeyOf(it.key())));
        }
      } else {
        it.SeekForPrev(Probe(target).bytes);
        if (it.Valid() && KeyOf(it.key()) > target) {
          fail("SeekForPrev(" + std::to_string(target) + ") landed on " +
               std::to_string(KeyOf(it.key())));
        }
      }
      if (rnd.OneIn(50)) it.SeekToFirst();
      if (rnd.OneIn(50)) it.SeekToLast();
      uint64_t last = 0;
      bool have_last = false;
      for (int step = 0; step < 50 && it.Valid(); step++) {
        const char* e = it.key();
        check_entry(e, "Next walk");
        if (have_last && KeyOf(e) <= last) out_of_order(KeyOf(e), last, "Next walk");
        last = KeyOf(e);
        have_last = true;
        it.Next();
      }
      // Back from where the forward walk stopped (from the end if it ran off).
      if (!it.Valid()) it.SeekToLast();
      have_last = false;
      for (int step = 0; step < 50 && it.Valid(); step++) {
        const char* e = it.key();
        check_entry(e, "Prev walk");
        if (have_last && KeyOf(e) >= last) out_of_order(KeyOf(e), last, "Prev walk");
        last = KeyOf(e);
        have_last = true;
        it.Prev();
      }
      // Occasionally a full scan: sorted and at least as long as what was published.
      if (rnd.OneIn(200)) {
        int count = 0;
        have_last = false;
        for (it.SeekToFirst(); it.Valid(); it.Next()) {
          if (have_last && KeyOf(it.key()) <= last) {
            out_of_order(KeyOf(it.key()), last, "full scan");
          }
          last = KeyOf(it.key());
          have_last = true;
          count++;
        }
        if (count < known) {
          fail("full scan saw " + std::to_string(count) + " entries with " + std::to_string(known) +
               " published before it");
        }
      }
    }
  };

  std::vector<std::thread> readers;
  for (uint64_t r = 0; r < 3; r++) readers.emplace_back(reader, 100 + r);
  for (int i = 0; i < kInserts; i++) {
    list.Insert(MakeEntry(&list, keys[i]));
    published.store(i + 1, std::memory_order_release);
  }
  done.store(true, std::memory_order_release);
  for (auto& t : readers) t.join();
  EXPECT_EQ(failures.total(), 0u) << failures.Report();

  std::set<uint64_t> model(keys.begin(), keys.end());
  List::Iterator it(&list);
  it.SeekToFirst();
  for (uint64_t k : model) {
    ASSERT_TRUE(it.Valid());
    ASSERT_EQ(KeyOf(it.key()), k);
    it.Next();
  }
  EXPECT_FALSE(it.Valid());
}

}  // namespace
}  // namespace strata::memtable

namespace strata::memtable {
namespace {

// Several threads insert at once through InsertConcurrently, interleaving their keys so
// that splices collide often, while a reader walks the list. Afterwards the list holds
// exactly the union of the keys, in order, and every level is a sorted sub-list (checked
// through searches from the top, which use every level).
TEST(SkipListTest, ConcurrentInsertsKeepEveryKeyInOrder) {
  const int kThreads = 4;
  const int kPerThread = test::Iterations(20000, 200000);
  Arena arena;
  List list(U64Compare(), &arena);
  std::atomic<bool> done{false};
  test::FailureLog failures;

  std::thread reader([&] {
    List::Iterator it(&list);
    for (int pass = 0; !done.load(std::memory_order_acquire); pass++) {
      const std::string who = "reader pass " + std::to_string(pass) + ": ";
      uint64_t last = 0;
      bool have_last = false;
      for (it.SeekToFirst(); it.Valid(); it.Next()) {
        const char* e = it.key();
        if (DecodeFixed64(e + 8) != CheckWord(KeyOf(e))) {
          failures.Add(who + "entry " + std::to_string(KeyOf(e)) + " not fully written");
        }
        if (have_last && KeyOf(e) <= last) {
          failures.Add(who + std::to_string(KeyOf(e)) + " after " + std::to_string(last));
        }
        last = KeyOf(e);
        have_last = true;
      }
    }
  });
  std::vector<std::thread> writers;
  for (int t = 0; t < kThreads; t++) {
    writers.emplace_back([&, t] {
      // Thread t owns the keys congruent to t mod kThreads, in a shuffled order: neighbours
      // in the list belong to different threads.
      std::vector<uint64_t> mine;
      for (int i = 0; i < kPerThread; i++) mine.push_back(uint64_t(i) * kThreads + t + 1);
      Random rnd(100 + t);
      for (size_t i = mine.size(); i > 1; i--) std::swap(mine[i - 1], mine[rnd.Uniform(i)]);
      for (uint64_t k : mine) {
        char* p = list.AllocateKeyConcurrently(kEntrySize);
        EncodeFixed64(p, k);
        EncodeFixed64(p + 8, CheckWord(k));
        list.InsertConcurrently(p);
      }
    });
  }
  for (auto& w : writers) w.join();
  done.store(true, std::memory_order_release);
  reader.join();
  EXPECT_EQ(failures.total(), 0u) << failures.Report();

  const uint64_t total = uint64_t(kThreads) * kPerThread;
  List::Iterator it(&list);
  uint64_t expected = 1;
  for (it.SeekToFirst(); it.Valid(); it.Next()) {
    ASSERT_EQ(KeyOf(it.key()), expected);
    expected++;
  }
  EXPECT_EQ(expected, total + 1);
  Random rnd(7);
  for (int i = 0; i < 10000; i++) {
    const uint64_t k = 1 + rnd.Uniform(static_cast<uint32_t>(total));
    ASSERT_TRUE(list.Contains(Probe(k).bytes)) << k;
    it.Seek(Probe(k).bytes);
    ASSERT_TRUE(it.Valid());
    ASSERT_EQ(KeyOf(it.key()), k);
    it.SeekForPrev(Probe(k).bytes);
    ASSERT_EQ(KeyOf(it.key()), k);
  }
}

}  // namespace
}  // namespace strata::memtable
