// Several writer threads at once: write groups are inserted into the memtable in parallel
// and pipelined with the WAL (db_impl.cc, Write). What must hold whatever the interleaving:
//  - a writer reads its own write as soon as Put returns;
//  - writes become visible in the order their groups took sequence numbers: a reader never
//    sees a thread's n-th write without its earlier ones;
//  - nothing is lost across memtable switches, flushes and a reopen.
#include <gtest/gtest.h>

#include <atomic>
#include <cstdio>
#include <string>
#include <thread>
#include <vector>

#include "base/fault_injection_env.h"
#include "strata/db.h"
#include "support/test_util.h"

namespace strata {
namespace {

std::string ValueOf(int thread, int n) { return "v" + std::to_string(thread * 1000003 + n); }

void RunWriters(Env* env, const std::string& path) {
  const int kThreads = 4;
  const int kPerThread = test::Iterations(4000, 40000);
  Options options;
  options.env = env;
  options.create_if_missing = true;
  options.write_buffer_size = 64 * 1024;  // many memtable switches and flushes meanwhile
  std::unique_ptr<DB> db;
  ASSERT_TRUE(DB::Open(options, path, &db).ok());

  std::atomic<bool> done{false};
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; t++) {
    threads.emplace_back([&, t] {
      for (int n = 0; n < kPerThread;) {
        // Batches of 1-3 writes, so groups mix batch sizes.
        WriteBatch batch;
        const int size = 1 + (n % 3);
        int i = 0;
        for (; i < size && n + i < kPerThread; i++)
          batch.Put(test::ThreadKey(t, n + i), ValueOf(t, n + i));
        WriteOptions wo;
        wo.sync = (n % 97 == 0);
        if (!db->Write(wo, &batch).ok()) {
          failures++;
          return;
        }
        n += i;
        std::string v;
        if (!db->Get(ReadOptions(), test::ThreadKey(t, n - 1), &v).ok() || v != ValueOf(t, n - 1)) {
          failures++;
        }
      }
    });
  }
  // A reader checks, at snapshots, that each thread's visible writes form a prefix.
  std::thread reader([&] {
    while (!done.load(std::memory_order_acquire)) {
      const Snapshot* snap = db->GetSnapshot();
      ReadOptions ro;
      ro.snapshot = snap;
      std::unique_ptr<Iterator> it(db->NewIterator(ro));
      int expect_thread = -1;
      int expect_n = 0;
      for (it->SeekToFirst(); it->Valid(); it->Next()) {
        int thread = 0;
        int n = 0;
        if (std::sscanf(it->key().ToString().c_str(), "t%d-%d", &thread, &n) != 2) failures++;
        if (thread != expect_thread) {
          expect_thread = thread;
          expect_n = 0;
        }
        if (n != expect_n || it->value().ToString() != ValueOf(thread, n)) failures++;
        expect_n = n + 1;
      }
      if (!it->status().ok()) failures++;
      it.reset();
      db->ReleaseSnapshot(snap);
    }
  });
  for (auto& t : threads) t.join();
  done.store(true, std::memory_order_release);
  reader.join();
  ASSERT_EQ(failures.load(), 0);

  db.reset();
  ASSERT_TRUE(DB::Open(options, path, &db).ok());
  for (int t = 0; t < kThreads; t++) {
    for (int n = 0; n < kPerThread; n++) {
      std::string v;
      ASSERT_TRUE(db->Get(ReadOptions(), test::ThreadKey(t, n), &v).ok()) << test::ThreadKey(t, n);
      ASSERT_EQ(v, ValueOf(t, n));
    }
  }
}

TEST(DBConcurrentWrite, ParallelGroupsOnFaultInjectionEnv) {
  FaultInjectionEnv env;
  RunWriters(&env, "/db");
}

TEST(DBConcurrentWrite, ParallelGroupsOnTheRealFileSystem) {
  test::TempDir dir;
  RunWriters(Env::Default(), dir.File("db"));
}

}  // namespace
}  // namespace strata
