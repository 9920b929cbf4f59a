// I/O errors injected into each step of the engine's work (WAL append and sync; flush's table
// create, append, sync and directory sync; compaction output; MANIFEST append and sync) and
// a disk that fills up. Whatever fails, the DB must:
//  - report it: the failing call returns an IOError that names the operation and the file;
//  - stop: every later write fails with that same error, even once the fault is gone;
//  - stay readable: Get and iterators show every acknowledged write, and nothing else;
//  - show nothing half-done: a failed flush or compaction installs no table, leaves none in
//    the MANIFEST and, after closing, no orphan that `strata db check` would find;
//  - lose nothing: reopened (after a simulated machine crash too, when every acknowledged
//    write was synced) it holds every acknowledged write and works normally again.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "support/test_util.h"
#include "testing/error_injection_env.h"
#include "unit/db/faulty_db.h"

namespace strata {
namespace {

using test::FaultyDb;
using testing::FaultOp;

constexpr size_t kNoAutoFlush = 4 << 20;  // memtables that never fill during a test

struct Fault {
  FaultOp op;
  const char* path;  // substring of the paths it hits
};

std::string Name(const Fault& f) { return EnumName(f.op) + " " + f.path; }

// An injected failure, reported as it happened: "<operation> /db/<file>: injected fault".
void ExpectInjected(const Status& s, const Fault& f) {
  EXPECT_TRUE(s.IsIOError()) << Name(f) << ": " << s.ToString();
  const std::string& m = s.message();
  EXPECT_NE(m.find(EnumName(f.op) + " "), std::string::npos) << s.ToString();
  EXPECT_NE(m.find(f.path), std::string::npos) << s.ToString();
  EXPECT_NE(m.find("injected fault"), std::string::npos) << s.ToString();
}

// Polls with small writes (acknowledged ones join the model) until one fails: how a client
// learns of a background failure. Fails the test after 10 s.
Status WaitForWriteFailure(FaultyDb& t) {
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (std::chrono::steady_clock::now() < give_up) {
    Status s = t.WriteOne(/*sync=*/false);
    if (!s.ok()) return s;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  ADD_FAILURE() << "writes kept succeeding for 10 s";
  return Status::OK();
}

// --- Write-ahead log -------------------------------------------------------------------------

void WalFault(const Fault& f, bool crash) {
  SCOPED_TRACE(Name(f) + (crash ? ", then a crash" : ""));
  FaultyDb t(kNoAutoFlush);
  ASSERT_TRUE(t.Open().ok());
  ASSERT_TRUE(t.Write(400, /*all_synced=*/crash).ok());
  t.env().InjectError(f.op, f.path, 1);
  Status s = t.WriteOne(/*sync=*/true);
  ExpectInjected(s, f);
  t.ExpectWritesRefused(s);
  t.ExpectReadable();
  ASSERT_TRUE(t.Reopen(crash).ok());
  t.ExpectRecovered();
  t.ExpectWorksAgain();
}

TEST(DBFault, WalAppendFailureStopsWritesAndLosesNothing) {
  for (bool crash : {false, true}) WalFault({FaultOp::kAppend, ".log"}, crash);
}

TEST(DBFault, WalSyncFailureStopsWritesAndLosesNothing) {
  for (bool crash : {false, true}) WalFault({FaultOp::kSync, ".log"}, crash);
}

// A memtable switch syncs the full log before writes go to the next one (a later synced
// write vouches for every earlier write). That sync failing stops the DB like any other.
TEST(DBFault, WalSyncFailureAtMemtableSwitchStopsWrites) {
  const Fault f{FaultOp::kSync, ".log"};
  FaultyDb t(16 << 10);
  ASSERT_TRUE(t.Open().ok());
  t.env().InjectError(f.op, f.path, 1);
  Status s;
  for (int i = 0; i < 5000 && s.ok(); i++) s = t.WriteOne(/*sync=*/false);
  ExpectInjected(s, f);
  t.ExpectWritesRefused(s);
  t.ExpectReadable();
  ASSERT_TRUE(t.Reopen(/*crash=*/false).ok());
  t.ExpectRecovered();
  t.ExpectWorksAgain();
}

// Creating the next log fails before anything changed: the full memtable and its log stay
// current, so only the write that needed the switch fails, and the DB carries on once the
// file can be created. (Unlike the failures above, nothing is left in doubt.)
TEST(DBFault, WalCreateFailureFailsOnlyTheWriteThatNeededIt) {
  const Fault f{FaultOp::kCreate, ".log"};
  FaultyDb t(16 << 10);
  ASSERT_TRUE(t.Open().ok());
  t.env().InjectError(f.op, f.path, 1);
  Status s;
  for (int i = 0; i < 5000 && s.ok(); i++) s = t.WriteOne(/*sync=*/i % 5 == 0);
  ExpectInjected(s, f);
  t.ExpectReadable();
  s = t.Write(300, /*all_synced=*/false);
  ASSERT_TRUE(s.ok()) << s.ToString();
  t.ExpectReadable();
  ASSERT_TRUE(t.Reopen(/*crash=*/false).ok());
  t.ExpectRecovered();
  t.ExpectWorksAgain();
}

// --- Flush -----------------------------------------------------------------------------------

void FlushFault(const Fault& f, bool crash) {
  SCOPED_TRACE(Name(f) + (crash ? ", then a crash" : ""));
  FaultyDb t(kNoAutoFlush);
  ASSERT_TRUE(t.Open().ok());
  // The first synced write makes the log's name durable, so the directory sync the fault
  // hits is the flush's own.
  ASSERT_TRUE(t.WriteOne(/*sync=*/true).ok());
  ASSERT_TRUE(t.Write(400, /*all_synced=*/crash).ok());
  t.env().InjectError(f.op, f.path);
  Status s = t.db()->Flush();
  ExpectInjected(s, f);
  t.ExpectWritesRefused(s);
  t.ExpectReadable();  // from the memtable that could not be flushed
  EXPECT_EQ(t.FilesAtLevel(0), 0);
  EXPECT_EQ(t.TableFilesInDir(), 0) << "the failed table was left behind";
  ASSERT_TRUE(t.Reopen(crash).ok());
  t.ExpectRecovered();
  t.ExpectWorksAgain();
}

TEST(DBFault, FlushFailuresStopWritesAndLoseNothing) {
  const Fault faults[] = {{FaultOp::kCreate, ".sst"},
                          {FaultOp::kAppend, ".sst"},
                          {FaultOp::kSync, ".sst"},
                          {FaultOp::kSyncDir, FaultyDb::kDir}};
  for (const Fault& f : faults) {
    for (bool crash : {false, true}) FlushFault(f, crash);
  }
}

// --- MANIFEST --------------------------------------------------------------------------------

TEST(DBFault, ManifestFailuresStopWritesAndLoseNothing) {
  for (const Fault f : {Fault{FaultOp::kAppend, "MANIFEST"}, Fault{FaultOp::kSync, "MANIFEST"}}) {
    for (bool crash : {false, true}) {
      SCOPED_TRACE(Name(f) + (crash ? ", then a crash" : ""));
      FaultyDb t(kNoAutoFlush);
      ASSERT_TRUE(t.Open().ok());
      ASSERT_TRUE(t.Write(400, /*all_synced=*/crash).ok());
      t.env().InjectError(f.op, f.path);
      Status s = t.db()->Flush();  // the flush records its table in the MANIFEST
      ExpectInjected(s, f);
      t.ExpectWritesRefused(s);
      t.ExpectReadable();
      EXPECT_EQ(t.FilesAtLevel(0), 0) << "a table was installed without its MANIFEST record";
      ASSERT_TRUE(t.Reopen(crash).ok());
      t.ExpectRecovered();
      t.ExpectWorksAgain();
    }
  }
}

// --- Compaction ------------------------------------------------------------------------------

// Three level-0 tables, each flushed explicitly.
void ThreeTables(FaultyDb& t, bool all_synced) {
  for (int i = 0; i < 3; i++) {
    ASSERT_TRUE(t.Write(150, all_synced).ok());
    ASSERT_TRUE(t.db()->Flush().ok());
  }
  ASSERT_EQ(t.FilesAtLevel(0), 3);
  ASSERT_EQ(t.FilesAtLevel(1), 0);
}

// Closes the DB after a failed compaction and checks it as `strata db check` would: the
// MANIFEST lists the inputs (all on level 0) and no output, and no output is left on disk.
void ExpectCompactionUndoneOnDisk(FaultyDb& t, uint64_t level0_files) {
  t.Close();
  t.env().ClearErrors();
  std::string report;
  DbCheckSummary summary;
  Status s = t.Check(&report, &summary);
  EXPECT_TRUE(s.ok()) << s.ToString() << "\n" << report;
  EXPECT_EQ(summary.tables, level0_files) << report;
  EXPECT_EQ(report.find("level=1"), std::string::npos) << report;
  EXPECT_EQ(report.find("orphan"), std::string::npos)
      << "the failed compaction's output was left behind\n"
      << report;
}

TEST(DBFault, AutomaticCompactionFailureInstallsNothing) {
  // The fourth flushed table starts a compaction of level 0. Each fault lets the flush's own
  // table through (skip 1) and hits the compaction's first output.
  for (const Fault f : {Fault{FaultOp::kCreate, ".sst"}, Fault{FaultOp::kSync, ".sst"}}) {
    SCOPED_TRACE(Name(f));
    FaultyDb t(kNoAutoFlush);
    ASSERT_TRUE(t.Open().ok());
    ThreeTables(t, /*all_synced=*/false);
    ASSERT_TRUE(t.Write(150, /*all_synced=*/false).ok());
    t.env().InjectErrorAfter(f.op, f.path, /*skip=*/1);
    Status s = t.db()->Flush();
    // The flush itself succeeds; the compaction right behind it may fail before Flush()
    // returns, in which case Flush() reports that.
    if (s.ok()) s = WaitForWriteFailure(t);
    ExpectInjected(s, f);
    t.ExpectWritesRefused(s);
    EXPECT_EQ(t.FilesAtLevel(0), 4);
    EXPECT_EQ(t.FilesAtLevel(1), 0);
    t.ExpectReadable();
    ExpectCompactionUndoneOnDisk(t, 4);
    ASSERT_TRUE(t.Open().ok());
    t.ExpectRecovered();
    t.ExpectWorksAgain();
  }
}

TEST(DBFault, ManualCompactionFailuresInstallNothing) {
  // Small output files, so a compaction writes many: `skip` outputs are finished (and must
  // be cleaned up) before the one the fault hits.
  const struct {
    Fault fault;
    int skip;
  } cases[] = {{{FaultOp::kCreate, ".sst"}, 0}, {{FaultOp::kCreate, ".sst"}, 3},
               {{FaultOp::kAppend, ".sst"}, 0}, {{FaultOp::kSync, ".sst"}, 0},
               {{FaultOp::kSync, ".sst"}, 3},   {{FaultOp::kSyncDir, FaultyDb::kDir}, 0}};
  for (const auto& c : cases) {
    const Fault& f = c.fault;
    SCOPED_TRACE(Name(f) + " after " + std::to_string(c.skip) + " outputs");
    FaultyDb t(kNoAutoFlush);
    t.options().target_file_size = 8 << 10;
    ASSERT_TRUE(t.Open().ok());
    ThreeTables(t, /*all_synced=*/false);
    // The memtable is empty, so CompactRange's own flush writes nothing: the fault hits the
    // compaction.
    t.env().InjectErrorAfter(f.op, f.path, c.skip);
    Status s = t.db()->CompactRange(nullptr, nullptr);
    ExpectInjected(s, f);
    t.ExpectWritesRefused(s);
    EXPECT_EQ(t.FilesAtLevel(0), 3);
    EXPECT_EQ(t.FilesAtLevel(1), 0);
    t.ExpectReadable();
    ExpectCompactionUndoneOnDisk(t, 3);
    ASSERT_TRUE(t.Open().ok());
    t.ExpectRecovered();
    t.ExpectWorksAgain();
  }
}

// The compaction's outputs are complete and synced; recording them in the MANIFEST fails.
// The DB must refuse writes, keep serving the inputs, and reopen (without a crash, so
// whatever the failed call left in the MANIFEST file is read back) with every write.
void ManifestFailureAfterCompaction(const Fault& f) {
  FaultyDb t(kNoAutoFlush);
  ASSERT_TRUE(t.Open().ok());
  ThreeTables(t, /*all_synced=*/false);
  t.env().InjectError(f.op, f.path);
  Status s = t.db()->CompactRange(nullptr, nullptr);
  ExpectInjected(s, f);
  t.ExpectWritesRefused(s);
  EXPECT_EQ(t.FilesAtLevel(0), 3);
  EXPECT_EQ(t.FilesAtLevel(1), 0);
  t.ExpectReadable();
  s = t.Reopen(/*crash=*/false);
  ASSERT_TRUE(s.ok()) << s.ToString();
  t.ExpectRecovered();
  t.ExpectWorksAgain();
}

TEST(DBFault, ManifestAppendFailureAfterCompactionInstallsNothing) {
  ManifestFailureAfterCompaction({FaultOp::kAppend, "MANIFEST"});
}

// The failed sync leaves the edit appended in the MANIFEST file, so the outputs it names must
// stay on disk until the DB is reopened (the reopen replays the edit, or deletes them as
// orphans when a crash dropped it).
TEST(DBFault, ManifestSyncFailureAfterCompactionInstallsNothing) {
  ManifestFailureAfterCompaction({FaultOp::kSync, "MANIFEST"});
}

// --- Disk full -------------------------------------------------------------------------------

// Fills the disk `headroom` bytes past what a fresh DB uses, writing ever new keys with
// small memtables (so the disk fills in the log, a flush or the MANIFEST, depending on the
// headroom), then frees the space. Returns the error the disk full gave, for the log.
std::string FillDisk(uint64_t headroom, bool crash, uint64_t seed) {
  SCOPED_TRACE("headroom " + std::to_string(headroom) + (crash ? ", then a crash" : ""));
  FaultyDb t(16 << 10, seed, /*keys=*/1'000'000'000);
  EXPECT_TRUE(t.Open().ok());
  EXPECT_TRUE(t.Write(50, /*all_synced=*/crash).ok());
  t.mem().SetCapacity(t.mem().LiveBytes() + headroom);
  Status s;
  for (int i = 0; i < 100'000 && s.ok(); i++) s = t.WriteOne(crash || i % 5 == 0);
  EXPECT_FALSE(s.ok()) << "the disk never filled";
  EXPECT_TRUE(s.IsIOError()) << s.ToString();
  EXPECT_NE(s.message().find("No space left on device"), std::string::npos) << s.ToString();
  t.ExpectReadable();

  // Reopening on the still-full disk fails cleanly (a new MANIFEST needs space), or works
  // and shows every acknowledged write (its background work may then fail for want of
  // space, which stops it again).
  Status reopened = t.Reopen(crash);
  if (reopened.ok()) {
    t.ExpectRecovered();
  } else {
    EXPECT_NE(reopened.message().find("No space left on device"), std::string::npos)
        << reopened.ToString();
  }
  t.mem().SetCapacity(0);
  reopened = t.Reopen(/*crash=*/false);
  EXPECT_TRUE(reopened.ok()) << reopened.ToString();
  if (!reopened.ok()) return s.ToString();
  t.ExpectRecovered();
  t.ExpectWorksAgain();
  return s.ToString();
}

// "append log", "append sst", "append MANIFEST"...: where a disk-full error struck.
std::string Where(const std::string& error) {
  const size_t op_start = error.find(": ") + 2;  // after "IO error: "
  const size_t op_end = error.find(' ', op_start);
  const size_t file_end = error.find(':', op_end);
  const std::string file = error.substr(op_end + 1, file_end - op_end - 1);
  const size_t dot = file.rfind('.');
  const std::string kind = file.find("MANIFEST") != std::string::npos ? "MANIFEST"
                           : dot == std::string::npos                 ? file
                                                                      : file.substr(dot + 1);
  return error.substr(op_start, op_end - op_start) + " " + kind;
}

TEST(DBFault, FullDiskFailsWritesCleanlyAndLosesNothing) {
  // Headrooms from 1 KB to 300 KB: the disk fills in the log, in a flush's table or in the
  // MANIFEST. Torture mode tries many more.
  const uint64_t step_percent = static_cast<uint64_t>(test::Iterations(35, 3));
  std::vector<uint64_t> headrooms;
  for (uint64_t h = 1000; h < 300000; h = h * (100 + step_percent) / 100) headrooms.push_back(h);
  std::map<std::string, int> where;
  uint64_t seed = 1;
  for (uint64_t headroom : headrooms) {
    for (bool crash : {false, true}) {
      where[Where(FillDisk(headroom, crash, seed++))]++;
      if (HasFatalFailure()) return;
    }
  }
  std::string summary;
  for (const auto& [place, n] : where) summary += " " + place + " x" + std::to_string(n);
  std::printf("disk full struck at:%s\n", summary.c_str());
}

}  // namespace
}  // namespace strata
