// Crash recovery on MemEnv: a workload with mixed sync runs while another thread
// simulates a machine crash at a random moment (mid-write, mid-flush, mid-MANIFEST write,
// mid-rename). After reopening: every write acknowledged with sync=true is there, nothing is
// corrupted, and the contents equal the model at some moment no earlier than the last
// synced write.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <map>
#include <random>
#include <thread>
#include <vector>

#include "strata/db.h"
#include "support/test_util.h"
#include "testing/error_injection_env.h"
#include "testing/mem_env.h"

namespace strata {
namespace {

using testing::ErrorInjectionEnv;
using testing::FaultOp;
using testing::MemEnv;

using Model = std::map<std::string, std::string>;

Model Contents(DB* db) {
  Model m;
  auto it = db->NewIterator(ReadOptions());
  for (it->SeekToFirst(); it->Valid(); it->Next()) m[it->key().ToString()] = it->value().ToString();
  EXPECT_TRUE(it->status().ok()) << it->status().ToString();
  return m;
}

void CrashOnce(uint64_t seed) {
  MemEnv env;
  Options options;
  options.env = &env;
  options.create_if_missing = true;
  options.write_buffer_size = 16 * 1024;  // flushes and compactions during the workload
  options.max_write_buffer_number = 2 + static_cast<int>(seed % 3);
  const std::string path = "/db";
  std::mt19937_64 rng(seed);

  // states[i]: the model after the first i attempted operations.
  std::vector<Model> states(1);
  size_t last_synced = 0;  // every state index below this was acknowledged with a sync
  {
    std::unique_ptr<DB> db;
    ASSERT_TRUE(DB::Open(options, path, &db).ok());
    std::atomic<bool> crashed{false};
    const auto delay = std::chrono::microseconds(rng() % 40000);
    std::thread crasher([&] {
      std::this_thread::sleep_for(delay);
      // The process dies with the machine: its threads can no longer touch the disk or
      // acknowledge anything, whatever they were doing.
      env.SimulateProcessDeath();
      crashed = true;
    });
    for (int i = 0; i < 20000 && !crashed.load(); i++) {
      const std::string key = "k" + std::to_string(rng() % 200);
      WriteOptions wo;
      wo.sync = rng() % 4 == 0;
      Model next = states.back();
      Status s;
      if (rng() % 5 == 0) {
        next.erase(key);
        states.push_back(std::move(next));
        s = db->Delete(wo, key);
      } else {
        const std::string value = strata::test::RandomBytes(rng(), rng() % 300);
        next[key] = value;
        states.push_back(std::move(next));
        s = db->Put(wo, key, value);
      }
      if (!s.ok()) break;  // the crash reached the DB; this write may or may not be durable
      if (wo.sync) last_synced = states.size() - 1;
    }
    crasher.join();
    db.reset();  // the dead process's threads wind down; every operation fails
    env.Restart();
  }

  std::unique_ptr<DB> db;
  Status s = DB::Open(options, path, &db);
  ASSERT_TRUE(s.ok()) << "reopen after crash: " << s.ToString();
  const Model recovered = Contents(db.get());
  bool matched = false;
  for (size_t i = last_synced; i < states.size() && !matched; i++) matched = states[i] == recovered;
  if (!matched) {
    // Show how the recovered state differs from the state after the last synced write.
    const Model& want = states[last_synced];
    std::string diff;
    int shown = 0;
    for (const auto& [k, v] : want) {
      auto it = recovered.find(k);
      if (shown < 5 && (it == recovered.end() || it->second != v)) {
        diff += " " + k + (it == recovered.end() ? "(missing)" : "(old value)");
        shown++;
      }
    }
    for (const auto& [k, v] : recovered) {
      if (shown < 5 && !want.count(k)) {
        diff += " " + k + "(should be deleted)";
        shown++;
      }
    }
    FAIL() << "recovered state (" << recovered.size()
           << " keys) is not the model at any moment since the last synced write (" << last_synced
           << " of " << states.size() - 1 << " operations); vs that state:" << diff;
  }
  // And the DB works on: write, flush, reopen.
  ASSERT_TRUE(db->Put(WriteOptions(), "after", "crash").ok());
  ASSERT_TRUE(db->Flush().ok());
  db.reset();
  ASSERT_TRUE(DB::Open(options, path, &db).ok());
  std::string v;
  ASSERT_TRUE(db->Get(ReadOptions(), "after", &v).ok());
  EXPECT_EQ(v, "crash");
}

TEST(DBCrash, AcknowledgedSyncedWritesSurviveCrashesAtRandomPoints) {
  const int rounds = strata::test::Iterations(25, 400);
  for (int round = 0; round < rounds; round++) {
    SCOPED_TRACE(round);
    CrashOnce(1000 + round);
    if (HasFatalFailure()) return;
  }
}

// A failure injected into one step of the engine's own work (table sync, MANIFEST sync,
// CURRENT rename, directory sync, WAL write), then a crash: the DB must reopen with every
// acknowledged synced write and nothing that was never written.
void FaultThenCrash(FaultOp op, const std::string& path_part, uint64_t seed) {
  MemEnv mem;
  ErrorInjectionEnv env(&mem);
  Options options;
  options.env = &env;
  options.create_if_missing = true;
  options.write_buffer_size = 8 * 1024;
  std::mt19937_64 rng(seed);
  Model model;
  Model synced;  // the model as of the last acknowledged synced write
  {
    std::unique_ptr<DB> db;
    ASSERT_TRUE(DB::Open(options, "/db", &db).ok());
    for (int i = 0; i < 300; i++) {
      const std::string key = "k" + std::to_string(rng() % 50);
      const std::string value = strata::test::RandomBytes(rng(), 200);
      WriteOptions wo;
      wo.sync = true;
      if (!db->Put(wo, key, value).ok()) break;
      model[key] = value;
      synced = model;
    }
    env.InjectError(op, path_part, 1);
    for (int i = 0; i < 2000; i++) {
      const std::string key = "k" + std::to_string(rng() % 50);
      const std::string value = strata::test::RandomBytes(rng(), 200);
      WriteOptions wo;
      wo.sync = true;
      if (!db->Put(wo, key, value).ok()) break;  // the DB refuses writes after the fault
      model[key] = value;
      synced = model;
    }
    (void)db->Flush();
    mem.SimulateProcessDeath();
    db.reset();
    mem.Restart();
  }
  // Faults in steps that only run at open (a new MANIFEST, the CURRENT rename) fire here:
  // the open fails, and the "process" crashes again.
  {
    std::unique_ptr<DB> db;
    if (!DB::Open(options, "/db", &db).ok()) {
      mem.SimulateProcessDeath();
      db.reset();
      mem.Restart();
    }
  }
  EXPECT_GT(env.InjectedFailures(), 0) << EnumName(op) << " " << path_part << " never fired";
  env.ClearErrors();
  std::unique_ptr<DB> db;
  Status s = DB::Open(options, "/db", &db);
  ASSERT_TRUE(s.ok()) << EnumName(op) << " " << path_part << ": " << s.ToString();
  EXPECT_EQ(Contents(db.get()), synced) << EnumName(op) << " " << path_part;
}

TEST(DBCrash, FaultsInFlushManifestAndRenameThenCrash) {
  const struct {
    FaultOp op;
    const char* path;
  } faults[] = {
      {FaultOp::kSync, ".sst"},   {FaultOp::kSync, "MANIFEST"}, {FaultOp::kRename, "CURRENT"},
      {FaultOp::kSyncDir, "/db"}, {FaultOp::kAppend, ".log"},   {FaultOp::kAppend, "MANIFEST"},
      {FaultOp::kCreate, ".sst"}, {FaultOp::kSync, ".log"},     {FaultOp::kDelete, ".log"},
  };
  for (const auto& f : faults) {
    for (uint64_t seed = 1; seed <= 3; seed++) {
      SCOPED_TRACE(EnumName(f.op) + " " + f.path);
      FaultThenCrash(f.op, f.path, seed);
      if (HasFatalFailure()) return;
    }
  }
}

}  // namespace
}  // namespace strata
