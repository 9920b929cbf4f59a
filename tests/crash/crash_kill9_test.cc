// Real process kills: a child process (strata_crash_workload) runs a random workload on a DB
// directory on the real file system, with a small write buffer so flushes and compactions
// run all the time; the test kills it with SIGKILL at a random moment, then:
//   1. `strata db check` on the directory exactly as the kill left it must pass;
//   2. the DB must open, and its contents (read by iterator, and key by key with Get) must be
//      the state after a prefix of the issued operations that covers every acknowledged one
//      (history_check.h), with every value traceable to the update that wrote it;
//   3. after closing, `strata db check` must pass again.
// The next round's child continues on the same directory, so every round recovers what the
// previous recovery left, and the model carries over from round to round.
//
// STRATA_TORTURE=1 runs 1000 rounds instead of 20. STRATA_CRASH_SEED=N replays another
// workload (the kill moments depend on timing and do not replay).
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <thread>

#include "base/random.h"
#include "crash/child_process.h"
#include "crash/history_check.h"
#include "crash/journal.h"
#include "crash/workload_ops.h"
#include "strata/db.h"
#include "support/test_util.h"

namespace strata::crash {
namespace {

constexpr uint64_t kDefaultSeed = 20240611;
constexpr int kMinKillMillis = 50;
constexpr int kMaxKillMillis = 400;

uint64_t Seed() {
  const char* v = std::getenv("STRATA_CRASH_SEED");
  return v != nullptr && *v != '\0' ? std::strtoull(v, nullptr, 10) : kDefaultSeed;
}

// Counts across rounds, printed at the end to show what the run exercised.
struct Totals {
  uint64_t issued = 0;
  uint64_t acked = 0;
  uint64_t synced = 0;
  uint64_t unacked_survived = 0;  // in-flight operations found in the DB after the kill
  int killed_before_open = 0;     // rounds whose child died while opening (recovering) the DB
  int killed_with_orphans = 0;    // rounds whose kill left unfinished tables behind
};

class CrashKill9Test : public testing::Test {
 protected:
  // Runs `strata db check dir`; it must exit 0. Returns its output.
  std::string ExpectCheckPasses(const std::string& when) {
    const std::string out_path = tmp_.File("check.out");
    std::unique_ptr<ChildProcess> check;
    Status s = ChildProcess::Start({STRATA_CLI_BIN, "db", "check", dir_}, out_path, &check);
    EXPECT_TRUE(s.ok()) << s.ToString();
    if (!s.ok()) return "";
    const int status = check->Wait();
    const std::string output = ReadFileOrEmpty(out_path);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0)
        << "strata db check " << when << ": " << DescribeWaitStatus(status) << "\n"
        << output;
    return output;
  }

  // The whole DB through an iterator; every key the workload can write must then read the
  // same through Get (a second, independent read path).
  State ReadAndCrossCheck(DB* db) {
    State state;
    std::unique_ptr<Iterator> it = db->NewIterator(ReadOptions());
    for (it->SeekToFirst(); it->Valid(); it->Next()) {
      state[it->key().ToString()] = it->value().ToString();
    }
    EXPECT_TRUE(it->status().ok()) << it->status().ToString();
    for (const std::string& key : AllKeys()) {
      std::string value;
      Status s = db->Get(ReadOptions(), key, &value);
      auto found = state.find(key);
      if (found == state.end()) {
        EXPECT_TRUE(s.IsNotFound()) << key << ": iterator has no value, Get says " << s.ToString();
      } else {
        EXPECT_TRUE(s.ok()) << key << ": " << s.ToString();
        EXPECT_TRUE(value == found->second) << key << ": Get and the iterator disagree";
      }
    }
    return state;
  }

  void RunRound(uint64_t seed, uint32_t round, int kill_after_ms, State* model, Totals* totals) {
    const std::string journal_path = tmp_.File("journal");
    const std::string output_path = tmp_.File("child.out");
    {
      std::unique_ptr<ChildProcess> child;
      Status s = ChildProcess::Start({STRATA_CRASH_WORKLOAD_BIN, dir_, std::to_string(seed),
                                      std::to_string(round), journal_path},
                                     output_path, &child);
      ASSERT_TRUE(s.ok()) << s.ToString();
      std::this_thread::sleep_for(std::chrono::milliseconds(kill_after_ms));
      const int status = child->KillAndWait();
      ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL)
          << "the workload ended before the kill: " << DescribeWaitStatus(status) << "\n"
          << ReadFileOrEmpty(output_path);
    }
    JournalSummary journal;
    Status s = ReadJournal(journal_path, &journal);
    ASSERT_TRUE(s.ok()) << s.ToString();
    totals->issued += journal.issued;
    totals->acked += journal.acked;
    totals->synced += journal.synced;
    if (!journal.opened) totals->killed_before_open++;

    // Round 0 may die before the DB exists; from then on it always does.
    if (round > 0 || journal.opened) {
      const std::string report = ExpectCheckPasses("after the kill");
      if (report.find("orphan") != std::string::npos) totals->killed_with_orphans++;
    }

    std::unique_ptr<DB> db;
    Options options;
    options.create_if_missing = round == 0;
    s = DB::Open(options, dir_, &db);
    ASSERT_TRUE(s.ok()) << "reopen after the kill: " << s.ToString();
    const State recovered = ReadAndCrossCheck(db.get());
    uint64_t prefix = 0;
    s = CheckRound(seed, round, journal.acked, journal.issued, recovered, model, &prefix);
    ASSERT_TRUE(s.ok()) << s.ToString();
    totals->unacked_survived += prefix - journal.acked;
    db.reset();
    ExpectCheckPasses("after reopening and closing");
  }

  test::TempDir tmp_;
  const std::string dir_ = tmp_.File("db");
};

TEST_F(CrashKill9Test, RecoveredStateIsAPrefixCoveringEveryAcknowledgedWrite) {
  const uint64_t seed = Seed();
  const int rounds = test::Iterations(20, 1000);
  Random timing(seed);
  State model;
  Totals totals;
  for (int round = 0; round < rounds; round++) {
    const int kill_after_ms =
        kMinKillMillis + static_cast<int>(timing.Uniform(kMaxKillMillis - kMinKillMillis + 1));
    SCOPED_TRACE("seed " + std::to_string(seed) + " round " + std::to_string(round) +
                 " killed after " + std::to_string(kill_after_ms) + " ms");
    RunRound(seed, static_cast<uint32_t>(round), kill_after_ms, &model, &totals);
    if (HasFailure()) return;
  }
  std::printf(
      "%d rounds: %llu operations issued, %llu acknowledged (%llu synced), %llu in flight "
      "survived; %d kills during open, %d left unfinished tables; %zu keys at the end\n",
      rounds, static_cast<unsigned long long>(totals.issued),
      static_cast<unsigned long long>(totals.acked), static_cast<unsigned long long>(totals.synced),
      static_cast<unsigned long long>(totals.unacked_survived), totals.killed_before_open,
      totals.killed_with_orphans, model.size());
  // A run that never got a write acknowledged tested nothing.
  EXPECT_GT(totals.acked, 0u);
}

}  // namespace
}  // namespace strata::crash
