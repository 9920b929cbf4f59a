// ErrorInjectionEnv: each fault kind, over a MemEnv (with crashes: what a failed step leaves
// durable) and over the POSIX Env in a real directory (the failing call changes nothing on
// disk, everything else goes through).
#include "testing/error_injection_env.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "env_test_util.h"
#include "support/test_util.h"
#include "testing/mem_env.h"

namespace strata::testing {
namespace {

constexpr char kDir[] = "/db";

class ErrorInjectionOnMemEnvTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(env_.CreateDirIfMissing(kDir).ok()); }

  static std::string Path(const std::string& name) { return std::string(kDir) + "/" + name; }
  void Write(const std::string& path, const std::string& synced, const std::string& unsynced,
             bool sync_dir) {
    WriteTestFile(&env_, path, synced, unsynced, sync_dir);
  }
  std::string Read(const std::string& path) { return ReadTestFile(&env_, path); }
  std::vector<std::string> Children(const std::string& dir) { return SortedChildren(&env_, dir); }

  MemEnv mem_;
  ErrorInjectionEnv env_{&mem_};
};

// --- Injected errors -------------------------------------------------------------------------

TEST_F(ErrorInjectionOnMemEnvTest, RenameWithFailedDirSyncIsNotDurable) {
  Write(Path("old"), "contents", "", /*sync_dir=*/true);
  env_.InjectError(FaultOp::kSyncDir, kDir);
  Status s = env_.RenameFile(Path("old"), Path("new"));
  ASSERT_TRUE(s.IsIOError()) << s.ToString();
  EXPECT_NE(s.message().find("rename /db/old -> /db/new"), std::string::npos) << s.ToString();
  EXPECT_NE(s.message().find("sync directory /db"), std::string::npos) << s.ToString();
  EXPECT_NE(s.message().find("injected fault"), std::string::npos) << s.ToString();
  // The running program sees the rename, as with a real rename(2) whose fsync failed.
  EXPECT_FALSE(env_.FileExists(Path("old")));
  EXPECT_EQ(Read(Path("new")), "contents");

  mem_.SimulateCrash();
  EXPECT_EQ(Read(Path("old")), "contents");
  EXPECT_FALSE(env_.FileExists(Path("new")));
}

TEST_F(ErrorInjectionOnMemEnvTest, RenameOverExistingWithFailedDirSyncKeepsOldTarget) {
  Write(Path("src"), "new contents", "", /*sync_dir=*/true);
  Write(Path("dst"), "old contents", "", /*sync_dir=*/true);
  env_.InjectError(FaultOp::kSyncDir, "");
  EXPECT_TRUE(env_.RenameFile(Path("src"), Path("dst")).IsIOError());
  env_.ClearErrors();
  mem_.SimulateCrash();
  EXPECT_EQ(Read(Path("src")), "new contents");
  EXPECT_EQ(Read(Path("dst")), "old contents");
}

TEST_F(ErrorInjectionOnMemEnvTest, CountLimitedFaultFailsNTimesThenSucceeds) {
  std::unique_ptr<WritableFile> file;
  ASSERT_TRUE(env_.NewWritableFile(Path("f"), FileOptions(), &file).ok());
  ASSERT_TRUE(file->Append("12345").ok());
  env_.InjectError(FaultOp::kSync, "", 2);
  for (int i = 0; i < 2; i++) {
    Status s = file->Sync();
    ASSERT_TRUE(s.IsIOError()) << "attempt " << i << ": " << s.ToString();
    EXPECT_EQ(s.message(), "sync /db/f: injected fault");
    EXPECT_EQ(mem_.SyncedSize(Path("f")), 0u);
  }
  EXPECT_TRUE(file->Sync().ok());
  EXPECT_EQ(mem_.SyncedSize(Path("f")), 5u);
  EXPECT_EQ(env_.InjectedFailures(), 2);
}

TEST_F(ErrorInjectionOnMemEnvTest, FaultMatchesOnlyPathsContainingTheSubstring) {
  env_.InjectError(FaultOp::kAppend, "wal");
  std::unique_ptr<WritableFile> wal;
  std::unique_ptr<WritableFile> sst;
  ASSERT_TRUE(env_.NewWritableFile(Path("wal-000001"), FileOptions(), &wal).ok());
  ASSERT_TRUE(env_.NewWritableFile(Path("sst-000002"), FileOptions(), &sst).ok());
  EXPECT_TRUE(wal->Append("x").IsIOError());
  EXPECT_TRUE(wal->Append("y").IsIOError());  // -1: until cleared
  EXPECT_TRUE(sst->Append("z").ok());
  EXPECT_EQ(env_.InjectedFailures(), 2);
  env_.ClearErrors();
  EXPECT_TRUE(wal->Append("w").ok());
  EXPECT_EQ(Read(Path("wal-000001")), "w");
  EXPECT_EQ(env_.InjectedFailures(), 2);
}

TEST_F(ErrorInjectionOnMemEnvTest, FailedAppendAppendsNothing) {
  std::unique_ptr<WritableFile> file;
  ASSERT_TRUE(env_.NewWritableFile(Path("f"), FileOptions(), &file).ok());
  ASSERT_TRUE(file->Append("abc").ok());
  env_.InjectError(FaultOp::kAppend, "f", 1);
  EXPECT_TRUE(file->Append("defgh").IsIOError());
  EXPECT_EQ(file->Size(), 3u);
  uint64_t size = 0;
  ASSERT_TRUE(env_.GetFileSize(Path("f"), &size).ok());
  EXPECT_EQ(size, 3u);
  ASSERT_TRUE(file->Append("ij").ok());
  EXPECT_EQ(Read(Path("f")), "abcij");
}

TEST_F(ErrorInjectionOnMemEnvTest, FailedOperationsChangeNothing) {
  Write(Path("f"), "bytes", "", /*sync_dir=*/true);

  env_.InjectError(FaultOp::kCreate, "new", 1);
  std::unique_ptr<WritableFile> file;
  EXPECT_TRUE(env_.NewWritableFile(Path("new"), FileOptions(), &file).IsIOError());
  EXPECT_EQ(file, nullptr);
  EXPECT_FALSE(env_.FileExists(Path("new")));

  env_.InjectError(FaultOp::kDelete, "f", 1);
  EXPECT_TRUE(env_.DeleteFile(Path("f")).IsIOError());
  EXPECT_TRUE(env_.FileExists(Path("f")));

  env_.InjectError(FaultOp::kLink, "g", 1);  // matches the destination
  EXPECT_TRUE(env_.LinkFile(Path("f"), Path("g")).IsIOError());
  EXPECT_FALSE(env_.FileExists(Path("g")));

  env_.InjectError(FaultOp::kRename, "f", 1);  // matches the source
  Status s = env_.RenameFile(Path("f"), Path("h"));
  EXPECT_EQ(s.message(), "rename /db/f -> /db/h: injected fault");
  EXPECT_TRUE(env_.FileExists(Path("f")));
  EXPECT_FALSE(env_.FileExists(Path("h")));

  ASSERT_TRUE(env_.DeleteFile(Path("f")).ok());
  env_.InjectError(FaultOp::kSyncDir, kDir, 1);
  EXPECT_TRUE(env_.SyncDir(kDir).IsIOError());
  EXPECT_TRUE(mem_.DurablyExists(Path("f")));

  env_.InjectError(FaultOp::kCreate, "sub", 1);
  EXPECT_TRUE(env_.CreateDirIfMissing(Path("sub")).IsIOError());
  EXPECT_FALSE(env_.FileExists(Path("sub")));

  EXPECT_EQ(env_.InjectedFailures(), 6);
  mem_.SimulateCrash();
  EXPECT_EQ(Read(Path("f")), "bytes");
  EXPECT_EQ(Children(kDir), std::vector<std::string>{"f"});
}

TEST_F(ErrorInjectionOnMemEnvTest, ReadFaultsHitOpensAndReads) {
  Write(Path("f"), "bytes", "", false);
  env_.InjectError(FaultOp::kRead, "f", 2);
  std::unique_ptr<RandomAccessFile> file;
  Status s = env_.NewRandomAccessFile(Path("f"), FileOptions(), &file);
  EXPECT_EQ(s.message(), "read /db/f: injected fault");
  std::unique_ptr<SequentialFile> seq;
  EXPECT_TRUE(env_.NewSequentialFile(Path("f"), &seq).IsIOError());
  ASSERT_TRUE(env_.NewRandomAccessFile(Path("f"), FileOptions(), &file).ok());
  env_.InjectError(FaultOp::kRead, "f", 1);
  char scratch[5];
  Slice got;
  EXPECT_TRUE(file->Read(0, 5, &got, scratch).IsIOError());
  ASSERT_TRUE(file->Read(0, 5, &got, scratch).ok());
  EXPECT_EQ(got.ToString(), "bytes");
  EXPECT_EQ(env_.InjectedFailures(), 3);
}

TEST_F(ErrorInjectionOnMemEnvTest, FaultOpsDoNotCrossOver) {
  env_.InjectError(FaultOp::kSync, "");
  std::unique_ptr<WritableFile> file;
  ASSERT_TRUE(env_.NewWritableFile(Path("f"), FileOptions(), &file).ok());
  ASSERT_TRUE(file->Append("x").ok());
  EXPECT_TRUE(env_.SyncDir(kDir).ok());
  EXPECT_TRUE(file->Sync().IsIOError());
  EXPECT_TRUE(file->SyncFlushed().IsIOError());
  EXPECT_EQ(env_.InjectedFailures(), 2);
}

TEST_F(ErrorInjectionOnMemEnvTest, InjectErrorAfterLetsTheFirstMatchesThrough) {
  std::unique_ptr<WritableFile> file;
  ASSERT_TRUE(env_.NewWritableFile(Path("f"), FileOptions(), &file).ok());
  env_.InjectErrorAfter(FaultOp::kSync, "f", /*skip=*/2, /*count=*/1);
  EXPECT_TRUE(env_.SyncDir(kDir).ok());  // another operation: does not use up the skip
  EXPECT_TRUE(file->Sync().ok());
  EXPECT_TRUE(file->Sync().ok());
  Status s = file->Sync();
  EXPECT_EQ(s.message(), "sync /db/f: injected fault");
  EXPECT_TRUE(file->Sync().ok());
  EXPECT_EQ(env_.InjectedFailures(), 1);
}

TEST_F(ErrorInjectionOnMemEnvTest, DirectoryRenameWithFailedDirSyncStillHappened) {
  ASSERT_TRUE(env_.CreateDirIfMissing(Path("tmp")).ok());
  Write(Path("tmp/f"), "x", "", /*sync_dir=*/true);
  env_.InjectError(FaultOp::kSyncDir, kDir, 1);
  Status s = env_.RenameFile(Path("tmp"), Path("final"));
  EXPECT_TRUE(s.IsIOError()) << s.ToString();
  EXPECT_NE(s.message().find("injected fault"), std::string::npos) << s.ToString();
  mem_.SimulateCrash();
  EXPECT_FALSE(env_.FileExists(Path("tmp")));
  EXPECT_EQ(Read(Path("final/f")), "x");
}

// The rename's two directory syncs are separate steps: when the destination's succeeds and the
// source's fails, the new name is durable and the old one not yet gone, as after link+sync.
TEST_F(ErrorInjectionOnMemEnvTest, RenameAcrossDirectoriesWithFailedSourceSyncKeepsBothNames) {
  ASSERT_TRUE(env_.CreateDirIfMissing("/other").ok());
  Write(Path("f"), "payload", "", /*sync_dir=*/true);
  env_.InjectError(FaultOp::kSyncDir, kDir, 1);
  Status s = env_.RenameFile(Path("f"), "/other/g");
  EXPECT_EQ(s.message(), "rename /db/f -> /other/g: sync directory /db: injected fault");
  mem_.SimulateCrash();
  EXPECT_EQ(Read(Path("f")), "payload");
  EXPECT_EQ(Read("/other/g"), "payload");
}

TEST_F(ErrorInjectionOnMemEnvTest, RenameFaultsAndFailuresOfTheBaseComeFirst) {
  Write(Path("f"), "x", "", /*sync_dir=*/true);
  env_.InjectError(FaultOp::kSyncDir, "");
  // The base refuses a rename of a missing file before any directory is synced.
  EXPECT_TRUE(env_.RenameFile(Path("missing"), Path("g")).IsNotFound());
  EXPECT_EQ(env_.InjectedFailures(), 0);
  // A kRename fault stops the call before the rename, so no sync fault is reached either.
  env_.InjectError(FaultOp::kRename, "g", 1);
  Status s = env_.RenameFile(Path("f"), Path("g"));
  EXPECT_EQ(s.message(), "rename /db/f -> /db/g: injected fault");
  EXPECT_EQ(env_.InjectedFailures(), 1);
  EXPECT_TRUE(env_.FileExists(Path("f")));
  EXPECT_FALSE(env_.FileExists(Path("g")));
}

TEST_F(ErrorInjectionOnMemEnvTest, FullDiskOfTheBaseIsNotAnInjectedFault) {
  mem_.SetCapacity(4);
  std::unique_ptr<WritableFile> file;
  ASSERT_TRUE(env_.NewWritableFile(Path("f"), FileOptions(), &file).ok());
  Status s = file->Append("12345");
  EXPECT_TRUE(s.IsIOError()) << s.ToString();
  EXPECT_NE(s.message().find("No space left on device"), std::string::npos) << s.ToString();
  EXPECT_EQ(env_.InjectedFailures(), 0);
}

TEST_F(ErrorInjectionOnMemEnvTest, InjectedErrorsSurviveACrashOfTheBase) {
  env_.InjectError(FaultOp::kCreate, "f", 1);
  mem_.SimulateCrash();
  std::unique_ptr<WritableFile> file;
  Status s = env_.NewWritableFile(Path("f"), FileOptions(), &file);
  EXPECT_EQ(s.message(), "create /db/f: injected fault");
  EXPECT_TRUE(env_.NewWritableFile(Path("f"), FileOptions(), &file).ok());
}

// Calls the base refuses anyway leave the fault armed for the code that is still alive.
TEST_F(ErrorInjectionOnMemEnvTest, ClosedHandlesDoNotUseUpFaults) {
  std::unique_ptr<WritableFile> closed;
  ASSERT_TRUE(env_.NewWritableFile(Path("closed"), FileOptions(), &closed).ok());
  ASSERT_TRUE(closed->Close().ok());
  env_.InjectError(FaultOp::kAppend, "", 1);
  Status s = closed->Append("x");
  EXPECT_TRUE(s.IsIOError()) << s.ToString();
  EXPECT_NE(s.message().find("file is closed"), std::string::npos) << s.ToString();
  EXPECT_TRUE(closed->Sync().IsIOError());
  EXPECT_EQ(env_.InjectedFailures(), 0);

  std::unique_ptr<WritableFile> open;
  ASSERT_TRUE(env_.NewWritableFile(Path("open"), FileOptions(), &open).ok());
  EXPECT_EQ(open->Append("x").message(), "append /db/open: injected fault");
  EXPECT_EQ(env_.InjectedFailures(), 1);
}

TEST_F(ErrorInjectionOnMemEnvTest, DeadHandlesAndADeadProcessDoNotUseUpFaults) {
  Write(Path("f"), "bytes", "", /*sync_dir=*/true);
  std::unique_ptr<WritableFile> writer;
  ASSERT_TRUE(env_.NewAppendableFile(Path("f"), FileOptions(), &writer).ok());
  std::unique_ptr<SequentialFile> seq;
  ASSERT_TRUE(env_.NewSequentialFile(Path("f"), &seq).ok());
  std::unique_ptr<RandomAccessFile> random;
  ASSERT_TRUE(env_.NewRandomAccessFile(Path("f"), FileOptions(), &random).ok());
  mem_.SimulateCrash();
  env_.InjectError(FaultOp::kAppend, "", 1);
  env_.InjectError(FaultOp::kSync, "", 1);
  env_.InjectError(FaultOp::kRead, "", 1);
  const auto expect_dead = [](const Status& s) {
    EXPECT_NE(s.message().find("file handle from before a simulated crash"), std::string::npos)
        << s.ToString();
  };
  expect_dead(writer->Append("x"));
  expect_dead(writer->Sync());
  expect_dead(writer->SyncFlushed());
  char scratch[8];
  Slice got;
  expect_dead(seq->Read(8, &got, scratch));
  expect_dead(random->Read(0, 8, &got, scratch));
  EXPECT_EQ(env_.InjectedFailures(), 0);

  mem_.SimulateProcessDeath();
  env_.InjectError(FaultOp::kSyncDir, "", 1);
  env_.InjectError(FaultOp::kCreate, "", 1);
  Status s = env_.SyncDir(kDir);
  EXPECT_NE(s.message().find("process is down"), std::string::npos) << s.ToString();
  std::unique_ptr<WritableFile> fresh;
  s = env_.NewWritableFile(Path("g"), FileOptions(), &fresh);
  EXPECT_NE(s.message().find("process is down"), std::string::npos) << s.ToString();
  s = env_.RenameFile(Path("f"), Path("h"));
  EXPECT_NE(s.message().find("process is down"), std::string::npos) << s.ToString();
  EXPECT_EQ(env_.InjectedFailures(), 0);

  // After the restart the same faults hit the new process's calls, one each.
  mem_.Restart();
  EXPECT_EQ(env_.SyncDir(kDir).message(), "sync directory /db: injected fault");
  EXPECT_EQ(env_.NewWritableFile(Path("g"), FileOptions(), &fresh).message(),
            "create /db/g: injected fault");
  ASSERT_TRUE(env_.NewAppendableFile(Path("f"), FileOptions(), &fresh).ok());
  EXPECT_EQ(fresh->Append("x").message(), "append /db/f: injected fault");
  EXPECT_EQ(fresh->Sync().message(), "sync /db/f: injected fault");
  EXPECT_EQ(Read(Path("f")), "<IOError: read /db/f: injected fault>");
  EXPECT_EQ(env_.InjectedFailures(), 5);
}

TEST(FaultOp, NamesEveryOperation) {
  EXPECT_EQ(EnumName(FaultOp::kAppend), "append");
  EXPECT_EQ(EnumName(FaultOp::kSync), "sync");
  EXPECT_EQ(EnumName(FaultOp::kSyncDir), "sync directory");
  EXPECT_EQ(EnumName(FaultOp::kRename), "rename");
  EXPECT_EQ(EnumName(FaultOp::kCreate), "create");
  EXPECT_EQ(EnumName(FaultOp::kRead), "read");
  EXPECT_EQ(EnumName(FaultOp::kDelete), "delete");
  EXPECT_EQ(EnumName(FaultOp::kLink), "link");
}

// --- Over the POSIX Env, in a real directory ---------------------------------------------------

class ErrorInjectionOnPosixTest : public ::testing::Test {
 protected:
  std::string Path(const std::string& name) const { return dir_.File(name); }
  static bool OnDisk(const std::string& path) { return std::filesystem::exists(path); }
  // Bytes of path as the real file system holds them.
  static std::string OnDiskBytes(const std::string& path) { return test::ReadFile(path); }
  // The message an injected fault of op on path gives.
  static std::string Injected(const std::string& op_and_path) {
    return op_and_path + ": injected fault";
  }

  test::TempDir dir_;
  ErrorInjectionEnv env_{Env::Default()};
};

TEST_F(ErrorInjectionOnPosixTest, WithoutFaultsEverythingGoesThrough) {
  const std::string sub = Path("sub");
  ASSERT_TRUE(env_.CreateDirIfMissing(sub).ok());
  EXPECT_TRUE(OnDisk(sub));
  const std::string f = sub + "/f";
  WriteTestFile(&env_, f, "synced;", "unsynced", /*sync_dir=*/true);
  EXPECT_EQ(OnDiskBytes(f), "synced;unsynced");

  std::unique_ptr<WritableFile> file;
  ASSERT_TRUE(env_.NewAppendableFile(f, FileOptions(), &file).ok());
  EXPECT_EQ(file->Size(), 15u);
  ASSERT_TRUE(file->Append("+tail").ok());
  EXPECT_EQ(file->Size(), 20u);
  ASSERT_TRUE(file->Flush().ok());
  ASSERT_TRUE(file->SyncFlushed().ok());
  EXPECT_EQ(OnDiskBytes(f), "synced;unsynced+tail");
  ASSERT_TRUE(file->Close().ok());

  EXPECT_TRUE(env_.FileExists(f));
  uint64_t size = 0;
  ASSERT_TRUE(env_.GetFileSize(f, &size).ok());
  EXPECT_EQ(size, 20u);
  EXPECT_EQ(SortedChildren(&env_, sub), std::vector<std::string>{"f"});
  EXPECT_EQ(ReadTestFile(&env_, f), "synced;unsynced+tail");

  std::unique_ptr<SequentialFile> seq;
  ASSERT_TRUE(env_.NewSequentialFile(f, &seq).ok());
  ASSERT_TRUE(seq->Skip(7).ok());
  char scratch[8];
  Slice got;
  ASSERT_TRUE(seq->Read(8, &got, scratch).ok());
  EXPECT_EQ(got.ToString(), "unsynced");
  for (const bool mmap : {false, true}) {
    FileOptions options;
    options.use_mmap_reads = mmap;
    std::unique_ptr<RandomAccessFile> random;
    ASSERT_TRUE(env_.NewRandomAccessFile(f, options, &random).ok());
    ASSERT_TRUE(random->Read(15, 8, &got, scratch).ok());
    EXPECT_EQ(got.ToString(), "+tail") << "mmap=" << mmap;
  }

  ASSERT_TRUE(env_.LinkFile(f, Path("link")).ok());
  EXPECT_EQ(OnDiskBytes(Path("link")), "synced;unsynced+tail");
  ASSERT_TRUE(env_.RenameFile(Path("link"), Path("renamed")).ok());
  EXPECT_FALSE(OnDisk(Path("link")));
  EXPECT_EQ(OnDiskBytes(Path("renamed")), "synced;unsynced+tail");
  ASSERT_TRUE(env_.DeleteFile(Path("renamed")).ok());
  EXPECT_FALSE(OnDisk(Path("renamed")));
  ASSERT_TRUE(env_.DeleteFile(f).ok());
  ASSERT_TRUE(env_.SyncDir(sub).ok());
  ASSERT_TRUE(env_.DeleteDir(sub).ok());
  EXPECT_FALSE(OnDisk(sub));

  std::unique_ptr<FileLock> lock;
  ASSERT_TRUE(env_.LockFile(Path("LOCK"), &lock).ok());
  std::unique_ptr<FileLock> again;
  EXPECT_TRUE(env_.LockFile(Path("LOCK"), &again).IsBusy());

  // The base's own errors come back as they are.
  EXPECT_TRUE(env_.GetFileSize(Path("missing"), &size).IsNotFound());
  EXPECT_TRUE(env_.NewSequentialFile(Path("missing"), &seq).IsNotFound());
  EXPECT_EQ(env_.InjectedFailures(), 0);
}

TEST_F(ErrorInjectionOnPosixTest, AppendFaultWritesNothing) {
  const std::string f = Path("f");
  std::unique_ptr<WritableFile> file;
  ASSERT_TRUE(env_.NewWritableFile(f, FileOptions(), &file).ok());
  ASSERT_TRUE(file->Append("abc").ok());
  env_.InjectError(FaultOp::kAppend, "/f", 1);
  EXPECT_EQ(file->Append("defgh").message(), Injected("append " + f));
  EXPECT_EQ(file->Size(), 3u);
  ASSERT_TRUE(file->Append("ij").ok());
  ASSERT_TRUE(file->Close().ok());
  EXPECT_EQ(OnDiskBytes(f), "abcij");
  EXPECT_EQ(env_.InjectedFailures(), 1);
}

TEST_F(ErrorInjectionOnPosixTest, SyncFaultFailsSyncAndSyncFlushed) {
  const std::string f = Path("f");
  std::unique_ptr<WritableFile> file;
  ASSERT_TRUE(env_.NewWritableFile(f, FileOptions(), &file).ok());
  ASSERT_TRUE(file->Append("abc").ok());
  env_.InjectError(FaultOp::kSync, "", 2);
  EXPECT_EQ(file->Sync().message(), Injected("sync " + f));
  EXPECT_EQ(file->SyncFlushed().message(), Injected("sync " + f));
  EXPECT_TRUE(file->Sync().ok());
  EXPECT_EQ(OnDiskBytes(f), "abc");
  EXPECT_EQ(env_.InjectedFailures(), 2);
}

TEST_F(ErrorInjectionOnPosixTest, CreateFaultCreatesAndTruncatesNothing) {
  const std::string existing = Path("existing");
  WriteTestFile(&env_, existing, "keep me", "", /*sync_dir=*/false);
  env_.InjectError(FaultOp::kCreate, "");
  std::unique_ptr<WritableFile> file;
  EXPECT_EQ(env_.NewWritableFile(Path("new"), FileOptions(), &file).message(),
            Injected("create " + Path("new")));
  EXPECT_EQ(file, nullptr);
  EXPECT_FALSE(OnDisk(Path("new")));
  EXPECT_TRUE(env_.NewWritableFile(existing, FileOptions(), &file).IsIOError());
  EXPECT_EQ(OnDiskBytes(existing), "keep me");  // not truncated
  EXPECT_TRUE(env_.NewAppendableFile(Path("new"), FileOptions(), &file).IsIOError());
  EXPECT_FALSE(OnDisk(Path("new")));
  // A directory is matched and named without its trailing slash.
  EXPECT_EQ(env_.CreateDirIfMissing(Path("sub") + "/").message(),
            Injected("create " + Path("sub")));
  EXPECT_FALSE(OnDisk(Path("sub")));
  EXPECT_EQ(env_.InjectedFailures(), 4);
  env_.ClearErrors();
  EXPECT_TRUE(env_.CreateDirIfMissing(Path("sub")).ok());
  EXPECT_TRUE(OnDisk(Path("sub")));
}

TEST_F(ErrorInjectionOnPosixTest, ReadFaultFailsOpensAndReads) {
  const std::string f = Path("f");
  WriteTestFile(&env_, f, "bytes", "", /*sync_dir=*/false);
  env_.InjectError(FaultOp::kRead, "/f", 2);
  std::unique_ptr<SequentialFile> seq;
  EXPECT_EQ(env_.NewSequentialFile(f, &seq).message(), Injected("read " + f));
  std::unique_ptr<RandomAccessFile> random;
  EXPECT_EQ(env_.NewRandomAccessFile(f, FileOptions(), &random).message(), Injected("read " + f));

  ASSERT_TRUE(env_.NewSequentialFile(f, &seq).ok());
  char scratch[5];
  Slice got;
  env_.InjectError(FaultOp::kRead, "/f", 1);
  EXPECT_EQ(seq->Read(5, &got, scratch).message(), Injected("read " + f));
  ASSERT_TRUE(seq->Read(5, &got, scratch).ok());
  EXPECT_EQ(got.ToString(), "bytes");
  for (const bool mmap : {false, true}) {
    FileOptions options;
    options.use_mmap_reads = mmap;
    ASSERT_TRUE(env_.NewRandomAccessFile(f, options, &random).ok());
    env_.InjectError(FaultOp::kRead, "/f", 1);
    EXPECT_EQ(random->Read(0, 5, &got, scratch).message(), Injected("read " + f));
    ASSERT_TRUE(random->Read(0, 5, &got, scratch).ok());
    EXPECT_EQ(got.ToString(), "bytes") << "mmap=" << mmap;
  }
  EXPECT_EQ(env_.InjectedFailures(), 5);
}

TEST_F(ErrorInjectionOnPosixTest, DeleteFaultKeepsFilesAndDirectories) {
  const std::string f = Path("f");
  WriteTestFile(&env_, f, "x", "", /*sync_dir=*/false);
  ASSERT_TRUE(env_.CreateDirIfMissing(Path("sub")).ok());
  env_.InjectError(FaultOp::kDelete, "");
  EXPECT_EQ(env_.DeleteFile(f).message(), Injected("delete " + f));
  EXPECT_EQ(env_.DeleteDir(Path("sub")).message(), Injected("delete " + Path("sub")));
  EXPECT_TRUE(OnDisk(f));
  EXPECT_TRUE(OnDisk(Path("sub")));
  EXPECT_EQ(env_.InjectedFailures(), 2);
}

TEST_F(ErrorInjectionOnPosixTest, LinkFaultMatchesEitherNameAndLinksNothing) {
  const std::string f = Path("f");
  WriteTestFile(&env_, f, "x", "", /*sync_dir=*/false);
  env_.InjectError(FaultOp::kLink, "/g", 1);  // the destination
  EXPECT_EQ(env_.LinkFile(f, Path("g")).message(), Injected("link " + f + " -> " + Path("g")));
  EXPECT_FALSE(OnDisk(Path("g")));
  env_.InjectError(FaultOp::kLink, "/f", 1);  // the source
  EXPECT_TRUE(env_.LinkFile(f, Path("g")).IsIOError());
  EXPECT_FALSE(OnDisk(Path("g")));
  ASSERT_TRUE(env_.LinkFile(f, Path("g")).ok());
  EXPECT_EQ(OnDiskBytes(Path("g")), "x");
  EXPECT_EQ(env_.InjectedFailures(), 2);
}

TEST_F(ErrorInjectionOnPosixTest, RenameFaultLeavesBothNamesAsTheyWere) {
  const std::string src = Path("src");
  const std::string dst = Path("dst");
  WriteTestFile(&env_, src, "new", "", /*sync_dir=*/false);
  WriteTestFile(&env_, dst, "old", "", /*sync_dir=*/false);
  env_.InjectError(FaultOp::kRename, "/dst", 1);
  EXPECT_EQ(env_.RenameFile(src, dst).message(), Injected("rename " + src + " -> " + dst));
  EXPECT_EQ(OnDiskBytes(src), "new");
  EXPECT_EQ(OnDiskBytes(dst), "old");
  EXPECT_EQ(env_.InjectedFailures(), 1);
}

// A failed directory sync fails SyncDir, and RenameFile after its rename happened, as a real
// rename(2) whose fsync of the directory failed.
TEST_F(ErrorInjectionOnPosixTest, SyncDirFaultFailsSyncDirAndRenameAfterTheRename) {
  const std::string dir = dir_.path();
  env_.InjectError(FaultOp::kSyncDir, dir, 2);
  EXPECT_EQ(env_.SyncDir(dir + "/").message(), Injected("sync directory " + dir));

  const std::string src = Path("src");
  const std::string dst = Path("dst");
  WriteTestFile(&env_, src, "contents", "", /*sync_dir=*/false);
  EXPECT_EQ(env_.RenameFile(src, dst).message(),
            "rename " + src + " -> " + dst + ": " + Injected("sync directory " + dir));
  EXPECT_FALSE(OnDisk(src));
  EXPECT_EQ(OnDiskBytes(dst), "contents");
  EXPECT_EQ(env_.InjectedFailures(), 2);
  EXPECT_TRUE(env_.SyncDir(dir).ok());  // the count is used up
}

}  // namespace
}  // namespace strata::testing
