// DB::CreateCheckpoint under faults (ErrorInjectionEnv) and crashes (MemEnv): a failed step
// leaves no checkpoint and a working source; a finished checkpoint survives a machine crash
// whole, though the source never synced its writes; a crash in the middle leaves the
// checkpoint whole or absent, and its leftovers do not stop the next attempt.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <map>
#include <memory>
#include <random>
#include <string>
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

Model Scan(DB* db) {
  Model m;
  auto it = db->NewIterator(ReadOptions());
  for (it->SeekToFirst(); it->Valid(); it->Next()) m[it->key().ToString()] = it->value().ToString();
  EXPECT_TRUE(it->status().ok()) << it->status().ToString();
  return m;
}

Options TestOptions(Env* env) {
  Options options;
  options.env = env;
  options.create_if_missing = true;
  options.write_buffer_size = 8 * 1024;  // tables, and immutable memtables waiting
  options.max_write_buffer_number = 3;
  return options;
}

// Tables at two levels, deletions of keys they hold, and unsynced writes in the memtables.
void FillSource(DB* db, uint64_t seed, Model* model) {
  std::mt19937_64 rng(seed);
  for (int i = 0; i < 300; i++) {
    const std::string k = "k" + std::to_string(rng() % 200);
    const std::string v = strata::test::RandomBytes(rng(), 100);
    ASSERT_TRUE(db->Put(WriteOptions(), k, v).ok());
    (*model)[k] = v;
    if (i == 150) {
      ASSERT_TRUE(db->CompactRange(nullptr, nullptr).ok());
    }
  }
  for (int i = 0; i < 40; i++) {
    const std::string k = "k" + std::to_string(rng() % 200);
    ASSERT_TRUE(db->Delete(WriteOptions(), k).ok());
    model->erase(k);
  }
}

void ExpectCheckpoint(const Options& options, const std::string& dir, const Model& want) {
  std::unique_ptr<DB> cp;
  Status s = DB::Open(options, dir, &cp);
  ASSERT_TRUE(s.ok()) << dir << ": " << s.ToString();
  EXPECT_EQ(Scan(cp.get()), want) << dir;
}

// Each step of making a checkpoint, failed once.
void FaultLeavesNoCheckpoint(FaultOp op, const std::string& path_part) {
  MemEnv mem;
  ErrorInjectionEnv env(&mem);
  const Options options = TestOptions(&env);
  std::unique_ptr<DB> db;
  ASSERT_TRUE(DB::Open(options, "/db", &db).ok());
  Model model;
  ASSERT_NO_FATAL_FAILURE(FillSource(db.get(), 7, &model));

  env.InjectError(op, path_part, 1);
  Status s = db->CreateCheckpoint("/cp");
  EXPECT_FALSE(s.ok());
  EXPECT_EQ(env.InjectedFailures(), 1) << "the step was never reached";
  EXPECT_NE(s.ToString().find("injected fault"), std::string::npos) << s.ToString();
  EXPECT_FALSE(env.FileExists("/cp"));
  EXPECT_FALSE(env.FileExists("/cp.tmp"));

  // The source is untouched and keeps working.
  EXPECT_EQ(Scan(db.get()), model);
  ASSERT_TRUE(db->Put(WriteOptions(), "after the fault", "x").ok());
  model["after the fault"] = "x";
  ASSERT_TRUE(db->Flush().ok());
  EXPECT_EQ(Scan(db.get()), model);

  // And the next attempt succeeds.
  env.ClearErrors();
  s = db->CreateCheckpoint("/cp");
  ASSERT_TRUE(s.ok()) << s.ToString();
  ExpectCheckpoint(options, "/cp", model);
}

TEST(DBCheckpointFaults, AFailedStepLeavesNoCheckpointAndTheSourceWorks) {
  const struct {
    FaultOp op;
    const char* path;
  } faults[] = {
      // The temporary directory, a link to a live table.
      {FaultOp::kCreate, "/cp.tmp"},
      {FaultOp::kLink, "/cp.tmp/"},
      // The table of the memtables' writes (its name is a number).
      {FaultOp::kCreate, "/cp.tmp/0"},
      {FaultOp::kAppend, "/cp.tmp/0"},
      {FaultOp::kSync, "/cp.tmp/0"},
      // The MANIFEST and CURRENT.
      {FaultOp::kCreate, "/cp.tmp/MANIFEST"},
      {FaultOp::kAppend, "/cp.tmp/MANIFEST"},
      {FaultOp::kSync, "/cp.tmp/MANIFEST"},
      {FaultOp::kCreate, "/cp.tmp/CURRENT"},
      {FaultOp::kAppend, "/cp.tmp/CURRENT"},
      {FaultOp::kSync, "/cp.tmp/CURRENT"},
      // Making the directory's entries durable, then publishing it.
      {FaultOp::kSyncDir, "/cp.tmp"},
      {FaultOp::kRename, "/cp"},
  };
  for (const auto& f : faults) {
    SCOPED_TRACE(EnumName(f.op) + " " + f.path);
    FaultLeavesNoCheckpoint(f.op, f.path);
    if (HasFatalFailure()) return;
  }
}

// The source syncs nothing, yet the checkpoint, once made, survives a machine crash whole.
TEST(DBCheckpointCrash, AFinishedCheckpointSurvivesACrash) {
  for (const bool flushed_first : {false, true}) {
    SCOPED_TRACE(flushed_first ? "all in tables" : "tables and memtables");
    MemEnv env;
    const Options options = TestOptions(&env);
    Model model;
    {
      std::unique_ptr<DB> db;
      ASSERT_TRUE(DB::Open(options, "/db", &db).ok());
      ASSERT_NO_FATAL_FAILURE(FillSource(db.get(), 11, &model));
      if (flushed_first) {
        ASSERT_TRUE(db->Flush().ok());
      }
      Status s = db->CreateCheckpoint("/cp");
      ASSERT_TRUE(s.ok()) << s.ToString();
      env.SimulateProcessDeath();
      db.reset();
      env.Restart();
    }
    EXPECT_FALSE(env.FileExists("/cp.tmp"));
    ExpectCheckpoint(options, "/cp", model);
    if (HasFatalFailure()) return;
  }
}

// Checkpoints one after another while the machine crashes at a random moment, usually in
// the middle of one. Afterwards every checkpoint the DB acknowledged exists, those opened
// (the last acknowledged, the interrupted one if it exists, and a few more) hold the full
// state, and the interrupted one can be made again despite what the crash left behind.
TEST(DBCheckpointCrash, ACrashMidCheckpointLeavesItWholeOrAbsent) {
  constexpr int kMaxCheckpoints = 3000;  // more than fit in the longest delay below
  const int rounds = strata::test::Iterations(30, 300);
  int interrupted = 0;  // rounds whose crash left the temporary directory of one
  for (int round = 0; round < rounds; round++) {
    SCOPED_TRACE(round);
    MemEnv env;
    const Options options = TestOptions(&env);
    std::mt19937_64 rng(round);
    Model model;
    std::atomic<int> attempted{-1};     // the last checkpoint started
    std::atomic<int> acknowledged{-1};  // the last checkpoint whose call returned OK
    const auto Dir = [](int i) { return "/cp" + std::to_string(i); };
    {
      std::unique_ptr<DB> db;
      ASSERT_TRUE(DB::Open(options, "/db", &db).ok());
      ASSERT_NO_FATAL_FAILURE(FillSource(db.get(), round, &model));
      WriteOptions synced;
      synced.sync = true;  // makes the whole log durable: the source recovers to model
      ASSERT_TRUE(db->Put(synced, "last", "synced").ok());
      model["last"] = "synced";

      std::atomic<bool> started{false};
      std::thread checkpointer([&] {
        started = true;
        for (int i = 0; i < kMaxCheckpoints; i++) {
          attempted = i;
          if (!db->CreateCheckpoint(Dir(i)).ok()) return;
          acknowledged = i;
        }
      });
      while (!started.load()) std::this_thread::yield();
      std::this_thread::sleep_for(std::chrono::microseconds(rng() % 2000));
      env.SimulateProcessDeath();
      checkpointer.join();
      db.reset();
      env.Restart();
    }
    ASSERT_LT(acknowledged.load(), kMaxCheckpoints - 1) << "the crash came after the last one";
    for (int i = 0; i <= acknowledged.load(); i++) {
      ASSERT_TRUE(env.FileExists(Dir(i))) << Dir(i) << " was acknowledged, then lost";
    }
    std::vector<int> to_open = {acknowledged.load(), static_cast<int>(rng() % 4)};
    for (int i : to_open) {
      if (i < 0 || i > acknowledged.load()) continue;
      ExpectCheckpoint(options, Dir(i), model);
      if (HasFatalFailure()) return;
    }
    // The one the crash interrupted, if it got that far: complete, or absent and makeable.
    const int last = attempted.load();
    if (last == acknowledged.load()) continue;
    if (env.FileExists(Dir(last))) {
      ExpectCheckpoint(options, Dir(last), model);
      if (HasFatalFailure()) return;
      continue;
    }
    if (env.FileExists(Dir(last) + ".tmp")) interrupted++;
    std::unique_ptr<DB> db;
    Status s = DB::Open(options, "/db", &db);
    ASSERT_TRUE(s.ok()) << s.ToString();
    ASSERT_EQ(Scan(db.get()), model);
    s = db->CreateCheckpoint(Dir(last));
    ASSERT_TRUE(s.ok()) << Dir(last) << ": " << s.ToString();
    EXPECT_FALSE(env.FileExists(Dir(last) + ".tmp"));
    ExpectCheckpoint(options, Dir(last), model);
    if (HasFatalFailure()) return;
  }
  std::printf("crashes that left a half-made checkpoint's temporary directory: %d of %d\n",
              interrupted, rounds);
}

}  // namespace
}  // namespace strata
