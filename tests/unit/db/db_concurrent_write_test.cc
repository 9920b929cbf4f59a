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

#include "strata/db.h"
#include "support/failure_log.h"
#include "support/test_util.h"
#include "testing/mem_env.h"

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
  test::FailureLog failures;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; t++) {
    threads.emplace_back([&, t] {
      const std::string who = "writer " + std::to_string(t) + ": ";
      for (int n = 0; n < kPerThread;) {
        // Batches of 1-3 writes, so groups mix batch sizes.
        WriteBatch batch;
        const int size = 1 + (n % 3);
        int i = 0;
        for (; i < size && n + i < kPerThread; i++)
          batch.Put(test::ThreadKey(t, n + i), ValueOf(t, n + i));
        WriteOptions wo;
        wo.sync = (n % 97 == 0);
        if (Status s = db->Write(wo, &batch); !s.ok()) {
          failures.Add(who + "Write of " + test::ThreadKey(t, n) + " .. " +
                       test::ThreadKey(t, n + i - 1) + (wo.sync ? " (sync)" : "") +
                       " failed: " + s.ToString());
          return;
        }
        // Every write of the batch is readable as soon as Write returns.
        for (int j = n; j < n + i; j++) {
          const std::string key = test::ThreadKey(t, j);
          std::string v;
          Status s = db->Get(ReadOptions(), key, &v);
          if (!s.ok()) {
            failures.Add(who + "Get(" + key + ") after its Write returned: " + s.ToString());
          } else if (v != ValueOf(t, j)) {
            failures.Add(who + "Get(" + key + ") after its Write returned " + v + ", expected " +
                         ValueOf(t, j));
          }
        }
        n += i;
      }
    });
  }
  // A reader checks, at snapshots, that each thread's visible writes form a prefix. It makes
  // at least one pass even if the writers are done before it starts.
  std::thread reader([&] {
    int pass = 0;
    do {
      const std::string who = "reader pass " + std::to_string(pass) + ": ";
      const Snapshot* snap = db->GetSnapshot();
      ReadOptions ro;
      ro.snapshot = snap;
      std::unique_ptr<Iterator> it(db->NewIterator(ro));
      int expect_thread = -1;
      int expect_n = 0;
      for (it->SeekToFirst(); it->Valid(); it->Next()) {
        const std::string key = it->key().ToString();
        const std::string value = it->value().ToString();
        int thread = 0;
        int n = 0;
        if (std::sscanf(key.c_str(), "t%d-%d", &thread, &n) != 2) {
          failures.Add(who + "key " + key + " was never written");
          continue;
        }
        if (thread != expect_thread) {
          expect_thread = thread;
          expect_n = 0;
        }
        if (n != expect_n) {
          failures.Add(who + "sees " + key + " but not " + test::ThreadKey(thread, expect_n) +
                       ", an earlier write of writer " + std::to_string(thread));
        }
        if (value != ValueOf(thread, n)) {
          failures.Add(who + key + " = " + value + ", expected " + ValueOf(thread, n));
        }
        expect_n = n + 1;
      }
      if (!it->status().ok()) failures.Add(who + "iterator: " + it->status().ToString());
      it.reset();
      db->ReleaseSnapshot(snap);
      pass++;
    } while (!done.load(std::memory_order_acquire));
  });
  for (auto& t : threads) t.join();
  done.store(true, std::memory_order_release);
  reader.join();
  ASSERT_EQ(failures.total(), 0u) << failures.Report();

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

TEST(DBConcurrentWrite, ParallelGroupsOnMemEnv) {
  testing::MemEnv env;
  RunWriters(&env, "/db");
}

TEST(DBConcurrentWrite, ParallelGroupsOnTheRealFileSystem) {
  test::TempDir dir;
  RunWriters(Env::Default(), dir.File("db"));
}

}  // namespace
}  // namespace strata
