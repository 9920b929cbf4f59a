// Simulated machine crashes (MemEnv drops everything not synced): what the sync
// policy promises as durable survives, and what survives is always a prefix of the log.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <set>
#include <thread>
#include <vector>

#include "base/coding.h"
#include "support/test_util.h"
#include "testing/error_injection_env.h"
#include "testing/mem_env.h"
#include "wal/group_commit_writer.h"
#include "wal/log_reader.h"

namespace strata::wal {
namespace {

const std::string kDir = "/db";
const std::string kPath = "/db/000001.log";

std::string Payload(uint64_t id) {
  std::string p;
  PutFixed64(&p, id);
  p += strata::test::RandomBytes(id, (id * 131) % 500 + (id % 40 == 0 ? 33000 : 0));
  return p;
}

// Ids of the records in the log after the crash, in log order; every record must be intact.
std::vector<uint64_t> ReplayIds(Env* env) {
  std::vector<uint64_t> ids;
  std::unique_ptr<SequentialFile> file;
  Status s = env->NewSequentialFile(kPath, &file);
  if (s.IsNotFound()) return ids;  // the whole file was lost: an empty prefix
  EXPECT_TRUE(s.ok()) << s.ToString();
  if (!s.ok()) return ids;
  LogReader reader(kPath, std::move(file), nullptr, RecoveryMode::kTolerateCorruptedTail);
  Slice record;
  std::string scratch;
  while (reader.ReadRecord(&record, &scratch)) {
    EXPECT_GE(record.size(), 8u);
    const uint64_t id = DecodeFixed64(record.data());
    EXPECT_EQ(record.ToString(), Payload(id)) << "altered record " << id;
    ids.push_back(id);
  }
  EXPECT_TRUE(reader.status().ok()) << reader.status().ToString();
  return ids;
}

std::unique_ptr<GroupCommitWriter> Create(Env* env, SyncPolicy policy, uint32_t interval_ms = 100) {
  EXPECT_TRUE(env->CreateDirIfMissing(kDir).ok());
  WalOptions options;
  options.sync = policy;
  options.sync_interval_ms = interval_ms;
  auto writer = GroupCommitWriter::Create(env, kPath, 1, options);
  EXPECT_TRUE(writer.ok()) << writer.status().ToString();
  return writer.ok() ? std::move(*writer) : nullptr;
}

TEST(WalCrash, SyncAlwaysKeepsEveryAcknowledgedRecordUnderConcurrentWriters) {
  const int rounds = strata::test::Iterations(10, 200);
  for (int round = 0; round < rounds; round++) {
    testing::MemEnv env;
    auto writer = Create(&env, SyncPolicy::kAlways);
    constexpr int kThreads = 8;
    std::vector<std::vector<uint64_t>> acked(kThreads);
    std::atomic<bool> stop{false};
    std::atomic<uint64_t> acks{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; t++) {
      threads.emplace_back([&, t] {
        for (uint64_t i = 0; !stop.load(); i++) {
          const uint64_t id = static_cast<uint64_t>(t) << 32 | i;
          if (!writer->Append(Payload(id)).ok()) return;  // the crash killed the log
          acked[t].push_back(id);
          acks.fetch_add(1);
        }
      });
    }
    // Crash after a varying number of acknowledgements (not after a fixed time, which a
    // loaded or sanitized run may spend before any writer gets going); bounded at 60 s.
    const uint64_t crash_after = 1 + static_cast<uint64_t>(round) * 37 % 500;
    for (int waited = 0; acks.load() < crash_after && waited < 60000; waited++) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    env.SimulateProcessDeath();  // while the writers are appending
    stop = true;
    for (auto& th : threads) th.join();
    writer.reset();
    env.Restart();

    const std::vector<uint64_t> replayed = ReplayIds(&env);
    const std::set<uint64_t> present(replayed.begin(), replayed.end());
    EXPECT_EQ(present.size(), replayed.size()) << "duplicate records";
    size_t total = 0;
    for (const auto& v : acked) {
      total += v.size();
      for (uint64_t id : v) ASSERT_TRUE(present.count(id)) << "acknowledged record lost: " << id;
    }
    EXPECT_GT(total, 0u);
  }
}

TEST(WalCrash, SyncNoneReplaysAPrefixAndExplicitSyncIsDurable) {
  const int rounds = strata::test::Iterations(20, 300);
  for (int round = 0; round < rounds; round++) {
    testing::MemEnv env;
    auto writer = Create(&env, SyncPolicy::kNone);
    const uint64_t synced_upto = 50 + round * 13 % 200;  // ids below this were synced
    const uint64_t written = synced_upto + 1 + round * 7 % 300;
    for (uint64_t id = 0; id < written; id++) {
      ASSERT_TRUE(writer->Append(Payload(id)).ok());
      if (id + 1 == synced_upto) {
        ASSERT_TRUE(writer->Sync().ok());
      }
    }
    env.SimulateCrash();
    writer.reset();

    const std::vector<uint64_t> replayed = ReplayIds(&env);
    ASSERT_GE(replayed.size(), synced_upto) << "records made durable by Sync() were lost";
    for (size_t i = 0; i < replayed.size(); i++) ASSERT_EQ(replayed[i], i) << "not a prefix";
  }
}

TEST(WalCrash, SyncNoneWithoutSyncLosesWholeFileButNeverCorrupts) {
  testing::MemEnv env;
  auto writer = Create(&env, SyncPolicy::kNone);
  for (uint64_t id = 0; id < 100; id++) ASSERT_TRUE(writer->Append(Payload(id)).ok());
  env.SimulateCrash();
  writer.reset();
  // Nothing was synced, not even the file's name: the log is gone, which is a valid prefix.
  EXPECT_FALSE(env.FileExists(kPath));
  EXPECT_TRUE(ReplayIds(&env).empty());
}

TEST(WalCrash, SyncIntervalEventuallyMakesAcknowledgedRecordsDurable) {
  testing::MemEnv env;
  auto writer = Create(&env, SyncPolicy::kInterval, /*interval_ms=*/5);
  for (uint64_t id = 0; id < 500; id++) ASSERT_TRUE(writer->Append(Payload(id)).ok());
  uint64_t size = 0;
  ASSERT_TRUE(env.GetFileSize(kPath, &size).ok());
  // The background syncer catches up; poll rather than assume how fast (bounded: 30 s).
  for (int i = 0; i < 30000 && env.SyncedSize(kPath) < size; i++) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  ASSERT_EQ(env.SyncedSize(kPath), size) << "the interval syncer never synced";
  env.SimulateCrash();
  writer.reset();
  const std::vector<uint64_t> replayed = ReplayIds(&env);
  ASSERT_EQ(replayed.size(), 500u);
  for (size_t i = 0; i < replayed.size(); i++) ASSERT_EQ(replayed[i], i);
}

TEST(WalCrash, FailedSyncIsStickyAndLosesNothingAcknowledged) {
  testing::MemEnv mem;
  testing::ErrorInjectionEnv env(&mem);
  auto writer = Create(&env, SyncPolicy::kAlways);
  for (uint64_t id = 0; id < 100; id++) ASSERT_TRUE(writer->Append(Payload(id)).ok());
  env.InjectError(testing::FaultOp::kSync, "000001.log", 1);
  Status s = writer->Append(Payload(100));
  EXPECT_TRUE(s.IsIOError()) << s.ToString();
  EXPECT_NE(s.ToString().find("injected fault"), std::string::npos);
  env.ClearErrors();
  // The fault is gone, but after a failed fdatasync the log cannot be trusted: still refused.
  EXPECT_TRUE(writer->Append(Payload(101)).IsIOError());
  EXPECT_TRUE(writer->Sync().IsIOError());
  mem.SimulateCrash();
  writer.reset();
  const std::vector<uint64_t> replayed = ReplayIds(&env);
  ASSERT_GE(replayed.size(), 100u);
  ASSERT_LE(replayed.size(), 101u);  // the failed record may or may not have reached disk
  for (size_t i = 0; i < replayed.size(); i++) ASSERT_EQ(replayed[i], i);
}

TEST(WalCrash, FailedWriteIsStickyAndLosesNothingAcknowledged) {
  testing::MemEnv mem;
  testing::ErrorInjectionEnv env(&mem);
  auto writer = Create(&env, SyncPolicy::kAlways);
  for (uint64_t id = 0; id < 20; id++) ASSERT_TRUE(writer->Append(Payload(id)).ok());
  env.InjectError(testing::FaultOp::kAppend, "000001.log", 1);
  EXPECT_TRUE(writer->Append(Payload(20)).IsIOError());
  EXPECT_TRUE(writer->Append(Payload(21)).IsIOError());
  mem.SimulateCrash();
  writer.reset();
  const std::vector<uint64_t> replayed = ReplayIds(&env);
  ASSERT_EQ(replayed.size(), 20u);
}

TEST(WalCrash, CreateFailsIfTheDirectoryCannotBeSynced) {
  testing::MemEnv mem;
  testing::ErrorInjectionEnv env(&mem);
  ASSERT_TRUE(env.CreateDirIfMissing(kDir).ok());
  env.InjectError(testing::FaultOp::kSyncDir, kDir, 1);
  WalOptions options;
  options.sync = SyncPolicy::kAlways;
  EXPECT_TRUE(GroupCommitWriter::Create(&env, kPath, 1, options).status().IsIOError());
}

}  // namespace
}  // namespace strata::wal
