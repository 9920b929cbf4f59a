// Point reads without the DB mutex (super_version.h): a write acknowledged to one thread is
// visible to a Get in any other thread that learns of the acknowledgement afterwards, across
// memtable switches, flushes and compactions happening meanwhile.
#include <gtest/gtest.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "base/random.h"
#include "strata/db.h"
#include "support/failure_log.h"
#include "support/test_util.h"

namespace strata {
namespace {

std::string ValueOf(int writer, int n) {
  return std::string(40, static_cast<char>('a' + writer)) + std::to_string(n);
}

TEST(DBConcurrentRead, AcknowledgedWritesAreVisibleToOtherThreads) {
  const int kWriters = 2;
  const int kPerWriter = test::Iterations(20000, 200000);
  test::TempDir dir;
  Options options;
  options.create_if_missing = true;
  options.write_buffer_size = 32 * 1024;  // a memtable switch every few hundred writes
  options.target_file_size = 64 * 1024;
  options.max_bytes_for_level_base = 256 * 1024;  // compactions into deeper levels too
  std::unique_ptr<DB> db;
  ASSERT_TRUE(DB::Open(options, dir.path(), &db).ok());

  // acked[w] = n: writes 0..n-1 of writer w have returned OK. Release/acquire, so a reader
  // that sees n knows those writes were acknowledged before its Get started.
  std::atomic<int> acked[kWriters];
  for (auto& a : acked) a.store(0);
  std::atomic<bool> done{false};
  test::FailureLog failures;
  std::atomic<long> checked{0};

  std::vector<std::thread> threads;
  for (int w = 0; w < kWriters; w++) {
    threads.emplace_back([&, w] {
      for (int n = 0; n < kPerWriter; n++) {
        if (Status s = db->Put(WriteOptions(), test::ThreadKey(w, n), ValueOf(w, n)); !s.ok()) {
          failures.Add("writer " + std::to_string(w) + ": Put(" + test::ThreadKey(w, n) +
                       "): " + s.ToString());
          return;
        }
        acked[w].store(n + 1, std::memory_order_release);
      }
    });
  }
  for (int r = 0; r < 2; r++) {
    threads.emplace_back([&, r] {
      Random rnd(77 + r);
      while (!done.load(std::memory_order_acquire)) {
        const int w = static_cast<int>(rnd.Uniform(kWriters));
        const int known = acked[w].load(std::memory_order_acquire);
        if (known == 0) continue;
        // Mostly the newest acknowledged write (the one most likely in a fresh memtable),
        // sometimes an older one (flushed or compacted by now).
        const int n = rnd.OneIn(2) ? known - 1 : static_cast<int>(rnd.Uniform(known));
        std::string v;
        const std::string key = test::ThreadKey(w, n);
        Status s = db->Get(ReadOptions(), key, &v);
        if (!s.ok() || v != ValueOf(w, n)) {
          failures.Add("reader " + std::to_string(r) + ": Get(" + key + "), after writer " +
                       std::to_string(w) + " had " + std::to_string(known) +
                       " writes acknowledged: " +
                       (s.ok() ? "value " + v + ", expected " + ValueOf(w, n) : s.ToString()));
        }
        checked++;
      }
    });
  }
  for (int w = 0; w < kWriters; w++) threads[w].join();
  done.store(true, std::memory_order_release);
  for (size_t i = kWriters; i < threads.size(); i++) threads[i].join();
  EXPECT_EQ(failures.total(), 0u) << failures.Report();
  EXPECT_GT(checked.load(), 1000);
  std::string files;
  ASSERT_TRUE(db->GetProperty("strata.num-files-at-level0", &files));
  std::string stats;
  ASSERT_TRUE(db->GetProperty("strata.stats", &stats));
  // The run did switch memtables and compact (else it tested one memtable only).
  EXPECT_NE(stats.find("L1"), std::string::npos) << stats;
}

}  // namespace
}  // namespace strata
