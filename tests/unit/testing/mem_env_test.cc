// MemEnv: what a simulated crash keeps and loses, the namespace rules, disk full, handles
// across a crash and concurrent use.
#include "testing/mem_env.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "env_test_util.h"
#include "support/test_util.h"

namespace strata::testing {
namespace {

constexpr char kDir[] = "/db";

class MemEnvTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(env_.CreateDirIfMissing(kDir).ok()); }

  static std::string Path(const std::string& name) { return std::string(kDir) + "/" + name; }

  void Write(const std::string& path, const std::string& synced, const std::string& unsynced,
             bool sync_dir) {
    WriteTestFile(&env_, path, synced, unsynced, sync_dir);
  }
  std::string Read(const std::string& path) { return ReadTestFile(&env_, path); }
  std::vector<std::string> Children(const std::string& dir) { return SortedChildren(&env_, dir); }

  MemEnv env_;
};

// --- What a crash keeps ----------------------------------------------------------------------

TEST_F(MemEnvTest, CrashKeepsExactlyTheSyncedPrefix) {
  const std::string data = test::RandomBytes(1, 150);
  std::unique_ptr<WritableFile> file;
  ASSERT_TRUE(env_.NewWritableFile(Path("f"), FileOptions(), &file).ok());
  ASSERT_TRUE(env_.SyncDir(kDir).ok());
  ASSERT_TRUE(file->Append(data.substr(0, 100)).ok());
  ASSERT_TRUE(file->Sync().ok());
  ASSERT_TRUE(file->Append(data.substr(100)).ok());
  EXPECT_EQ(Read(Path("f")), data);  // the running program sees the unsynced bytes
  EXPECT_EQ(env_.SyncedSize(Path("f")), 100u);
  file.reset();

  env_.SimulateCrash();
  EXPECT_EQ(Read(Path("f")), data.substr(0, 100));
  uint64_t size = 0;
  ASSERT_TRUE(env_.GetFileSize(Path("f"), &size).ok());
  EXPECT_EQ(size, 100u);
}

TEST_F(MemEnvTest, NewFileWithoutDirSyncIsLostInCrash) {
  Write(Path("f"), "durable bytes", "", /*sync_dir=*/false);
  EXPECT_TRUE(env_.FileExists(Path("f")));
  EXPECT_FALSE(env_.DurablyExists(Path("f")));
  env_.SimulateCrash();
  EXPECT_FALSE(env_.FileExists(Path("f")));
  std::unique_ptr<SequentialFile> file;
  EXPECT_TRUE(env_.NewSequentialFile(Path("f"), &file).IsNotFound());
  EXPECT_TRUE(Children(kDir).empty());
}

TEST_F(MemEnvTest, NewFileWithDirSyncSurvivesCrash) {
  Write(Path("f"), "durable bytes", " and a lost tail", /*sync_dir=*/true);
  EXPECT_TRUE(env_.DurablyExists(Path("f")));
  env_.SimulateCrash();
  EXPECT_EQ(Read(Path("f")), "durable bytes");
  EXPECT_EQ(Children(kDir), std::vector<std::string>{"f"});
}

TEST_F(MemEnvTest, DeleteWithoutDirSyncIsUndoneByCrash) {
  const std::string data = test::RandomBytes(2, 120);
  Write(Path("f"), data.substr(0, 100), data.substr(100), /*sync_dir=*/true);
  ASSERT_TRUE(env_.DeleteFile(Path("f")).ok());
  EXPECT_FALSE(env_.FileExists(Path("f")));
  EXPECT_TRUE(env_.DurablyExists(Path("f")));
  env_.SimulateCrash();
  EXPECT_EQ(Read(Path("f")), data.substr(0, 100));
}

TEST_F(MemEnvTest, DeleteWithDirSyncIsDurable) {
  Write(Path("f"), "bytes", "", /*sync_dir=*/true);
  ASSERT_TRUE(env_.DeleteFile(Path("f")).ok());
  ASSERT_TRUE(env_.SyncDir(kDir).ok());
  EXPECT_FALSE(env_.DurablyExists(Path("f")));
  env_.SimulateCrash();
  EXPECT_FALSE(env_.FileExists(Path("f")));
}

TEST_F(MemEnvTest, DeletedNameRecreatedWithoutDirSyncRevertsToOldFile) {
  Write(Path("f"), "old", "", /*sync_dir=*/true);
  ASSERT_TRUE(env_.DeleteFile(Path("f")).ok());
  Write(Path("f"), "new", "", /*sync_dir=*/false);
  EXPECT_EQ(Read(Path("f")), "new");
  env_.SimulateCrash();
  EXPECT_EQ(Read(Path("f")), "old");
}

// --- Rename ----------------------------------------------------------------------------------

TEST_F(MemEnvTest, RenameIsDurableAtOnce) {
  // The temporary file's own name was never made durable: the rename alone must do it.
  Write(Path("tmp"), "manifest-7", " unsynced", /*sync_dir=*/false);
  ASSERT_TRUE(env_.RenameFile(Path("tmp"), Path("CURRENT")).ok());
  env_.SimulateCrash();
  EXPECT_EQ(Read(Path("CURRENT")), "manifest-7");
  EXPECT_FALSE(env_.FileExists(Path("tmp")));
}

TEST_F(MemEnvTest, RenameReplacesDurableTarget) {
  Write(Path("CURRENT"), "manifest-6", "", /*sync_dir=*/true);
  Write(Path("tmp"), "manifest-7", "", /*sync_dir=*/false);
  ASSERT_TRUE(env_.RenameFile(Path("tmp"), Path("CURRENT")).ok());
  EXPECT_EQ(Read(Path("CURRENT")), "manifest-7");
  env_.SimulateCrash();
  EXPECT_EQ(Read(Path("CURRENT")), "manifest-7");
  EXPECT_EQ(Children(kDir), std::vector<std::string>{"CURRENT"});
}

TEST_F(MemEnvTest, RenameAcrossDirectoriesSyncsBoth) {
  ASSERT_TRUE(env_.CreateDirIfMissing("/other").ok());
  Write(Path("f"), "payload", "", /*sync_dir=*/true);
  ASSERT_TRUE(env_.RenameFile(Path("f"), "/other/g").ok());
  env_.SimulateCrash();
  EXPECT_FALSE(env_.FileExists(Path("f")));  // the source directory was synced too
  EXPECT_EQ(Read("/other/g"), "payload");
}

TEST_F(MemEnvTest, RenameOfMissingFileIsNotFound) {
  Status s = env_.RenameFile(Path("missing"), Path("x"));
  EXPECT_TRUE(s.IsNotFound()) << s.ToString();
  EXPECT_NE(s.message().find(Path("missing")), std::string::npos) << s.ToString();
}

// The rename ErrorInjectionEnv builds a failing RenameFile() from: live at once, durable only
// through a SyncDir() of the directory.
TEST_F(MemEnvTest, RenameWithoutDirSyncIsDurableOnlyAfterSyncDir) {
  Write(Path("old"), "contents", "", /*sync_dir=*/true);
  ASSERT_TRUE(env_.RenameWithoutDirSync(Path("old"), Path("new")).ok());
  EXPECT_FALSE(env_.FileExists(Path("old")));
  EXPECT_EQ(Read(Path("new")), "contents");
  EXPECT_TRUE(env_.DurablyExists(Path("old")));
  EXPECT_FALSE(env_.DurablyExists(Path("new")));
  env_.SimulateCrash();
  EXPECT_EQ(Read(Path("old")), "contents");
  EXPECT_FALSE(env_.FileExists(Path("new")));

  ASSERT_TRUE(env_.RenameWithoutDirSync(Path("old"), Path("new")).ok());
  ASSERT_TRUE(env_.SyncDir(kDir).ok());
  env_.SimulateCrash();
  EXPECT_FALSE(env_.FileExists(Path("old")));
  EXPECT_EQ(Read(Path("new")), "contents");
}

TEST_F(MemEnvTest, RenameWithoutDirSyncOfADirectoryIsDurableAtOnce) {
  ASSERT_TRUE(env_.CreateDirIfMissing(Path("tmp")).ok());
  Write(Path("tmp/f"), "x", "", /*sync_dir=*/true);
  ASSERT_TRUE(env_.RenameWithoutDirSync(Path("tmp"), Path("final")).ok());
  env_.SimulateCrash();
  EXPECT_FALSE(env_.FileExists(Path("tmp")));
  EXPECT_EQ(Read(Path("final/f")), "x");
}

TEST_F(MemEnvTest, RenameWithoutDirSyncRefusesWhatRenameFileRefuses) {
  Write(Path("f"), "x", "", /*sync_dir=*/true);
  ASSERT_TRUE(env_.CreateDirIfMissing(Path("sub")).ok());
  Status s = env_.RenameWithoutDirSync(Path("missing"), Path("x"));
  EXPECT_TRUE(s.IsNotFound()) << s.ToString();
  EXPECT_NE(s.message().find("rename /db/missing -> /db/x"), std::string::npos) << s.ToString();
  EXPECT_TRUE(env_.RenameWithoutDirSync(Path("f"), Path("sub")).IsIOError());
  EXPECT_TRUE(env_.RenameWithoutDirSync(Path("f"), "/nope/f").IsNotFound());
  EXPECT_EQ(Read(Path("f")), "x");
}

// --- Links and truncation --------------------------------------------------------------------

TEST_F(MemEnvTest, HardLinkWithDirSyncSurvivesCrashAndSharesBytes) {
  const std::string data = test::RandomBytes(3, 64);
  Write(Path("f"), data, "", /*sync_dir=*/true);
  ASSERT_TRUE(env_.LinkFile(Path("f"), Path("g")).ok());
  ASSERT_TRUE(env_.SyncDir(kDir).ok());
  env_.SimulateCrash();
  EXPECT_EQ(Read(Path("f")), data);
  EXPECT_EQ(Read(Path("g")), data);

  // One inode behind both names: bytes appended through one name show under the other.
  std::unique_ptr<WritableFile> file;
  ASSERT_TRUE(env_.NewAppendableFile(Path("g"), FileOptions(), &file).ok());
  EXPECT_EQ(file->Size(), 64u);
  ASSERT_TRUE(file->Append("tail").ok());
  ASSERT_TRUE(file->Sync().ok());
  EXPECT_EQ(Read(Path("f")), data + "tail");
  EXPECT_EQ(env_.SyncedSize(Path("f")), 68u);

  // Deleting one name leaves the other intact.
  ASSERT_TRUE(env_.DeleteFile(Path("f")).ok());
  ASSERT_TRUE(env_.SyncDir(kDir).ok());
  file.reset();
  env_.SimulateCrash();
  EXPECT_FALSE(env_.FileExists(Path("f")));
  EXPECT_EQ(Read(Path("g")), data + "tail");
}

TEST_F(MemEnvTest, HardLinkWithoutDirSyncIsLostInCrash) {
  Write(Path("f"), "bytes", "", /*sync_dir=*/true);
  ASSERT_TRUE(env_.LinkFile(Path("f"), Path("g")).ok());
  env_.SimulateCrash();
  EXPECT_EQ(Read(Path("f")), "bytes");
  EXPECT_FALSE(env_.FileExists(Path("g")));
}

TEST_F(MemEnvTest, LinkOntoExistingNameFails) {
  Write(Path("f"), "a", "", false);
  Write(Path("g"), "b", "", false);
  Status s = env_.LinkFile(Path("f"), Path("g"));
  EXPECT_TRUE(s.IsIOError()) << s.ToString();
  EXPECT_EQ(Read(Path("g")), "b");
}

// The documented rule: truncation through NewWritableFile() is durable at once, so a durably
// named file rewritten in place holds only what was synced of its new contents.
TEST_F(MemEnvTest, TruncationOfDurableFileIsDurableAtOnce) {
  Write(Path("f"), test::RandomBytes(4, 100), "", /*sync_dir=*/true);
  ASSERT_TRUE(env_.LinkFile(Path("f"), Path("link")).ok());
  ASSERT_TRUE(env_.SyncDir(kDir).ok());
  std::unique_ptr<WritableFile> file;
  ASSERT_TRUE(env_.NewWritableFile(Path("f"), FileOptions(), &file).ok());
  EXPECT_EQ(file->Size(), 0u);
  // The inode itself was truncated, as O_TRUNC does: the other link sees it.
  EXPECT_EQ(Read(Path("link")), "");
  ASSERT_TRUE(file->Append("new but never synced").ok());
  file.reset();

  env_.SimulateCrash();
  EXPECT_TRUE(env_.FileExists(Path("f")));
  EXPECT_EQ(Read(Path("f")), "");
  EXPECT_EQ(Read(Path("link")), "");
}

TEST_F(MemEnvTest, TruncatedDurableFileKeepsSyncedNewContents) {
  Write(Path("f"), test::RandomBytes(5, 100), "", /*sync_dir=*/true);
  std::unique_ptr<WritableFile> file;
  ASSERT_TRUE(env_.NewWritableFile(Path("f"), FileOptions(), &file).ok());
  ASSERT_TRUE(file->Append("thirty bytes of new contents!!").ok());
  ASSERT_TRUE(file->Sync().ok());
  ASSERT_TRUE(file->Append("lost").ok());
  file.reset();
  env_.SimulateCrash();
  EXPECT_EQ(Read(Path("f")), "thirty bytes of new contents!!");
}

// --- Writers ---------------------------------------------------------------------------------

TEST_F(MemEnvTest, SyncFlushedSyncsOnlyUpToLastFlush) {
  std::unique_ptr<WritableFile> file;
  ASSERT_TRUE(env_.NewWritableFile(Path("log"), FileOptions(), &file).ok());
  ASSERT_TRUE(env_.SyncDir(kDir).ok());
  ASSERT_TRUE(file->Append("flushed;").ok());
  ASSERT_TRUE(file->Flush().ok());
  ASSERT_TRUE(file->Append("not flushed").ok());
  ASSERT_TRUE(file->SyncFlushed().ok());
  EXPECT_EQ(env_.SyncedSize(Path("log")), 8u);
  EXPECT_EQ(file->Size(), 19u);
  file.reset();
  env_.SimulateCrash();
  EXPECT_EQ(Read(Path("log")), "flushed;");
}

TEST_F(MemEnvTest, AppendableFileContinuesAtTheEnd) {
  Write(Path("f"), "abc", "de", /*sync_dir=*/true);
  std::unique_ptr<WritableFile> file;
  ASSERT_TRUE(env_.NewAppendableFile(Path("f"), FileOptions(), &file).ok());
  EXPECT_EQ(file->Size(), 5u);
  ASSERT_TRUE(file->Append("fg").ok());
  EXPECT_EQ(file->Size(), 7u);
  EXPECT_EQ(Read(Path("f")), "abcdefg");
  EXPECT_EQ(env_.SyncedSize(Path("f")), 3u);
}

TEST_F(MemEnvTest, ClosedWriterRefusesAppends) {
  std::unique_ptr<WritableFile> file;
  ASSERT_TRUE(env_.NewWritableFile(Path("f"), FileOptions(), &file).ok());
  ASSERT_TRUE(file->Close().ok());
  ASSERT_TRUE(file->Close().ok());
  Status s = file->Append("x");
  EXPECT_TRUE(s.IsIOError()) << s.ToString();
  EXPECT_NE(s.message().find(Path("f")), std::string::npos) << s.ToString();
}

TEST_F(MemEnvTest, ReopeningIntoAnOccupiedPointerReplacesTheHandle) {
  // Assigning the new handle destroys the old one, whose destructor takes the Env's lock.
  std::unique_ptr<WritableFile> file;
  ASSERT_TRUE(env_.NewWritableFile(Path("a"), FileOptions(), &file).ok());
  ASSERT_TRUE(env_.NewWritableFile(Path("b"), FileOptions(), &file).ok());
  std::unique_ptr<FileLock> lock;
  ASSERT_TRUE(env_.LockFile(Path("LOCK"), &lock).ok());
  ASSERT_TRUE(env_.LockFile(Path("LOCK2"), &lock).ok());
  std::unique_ptr<FileLock> again;
  EXPECT_TRUE(env_.LockFile(Path("LOCK"), &again).ok());  // the first lock was released
}

// --- Readers ---------------------------------------------------------------------------------

TEST_F(MemEnvTest, ReadersSeeLiveBytes) {
  const std::string data = test::RandomBytes(6, 300);
  Write(Path("f"), data.substr(0, 200), data.substr(200), /*sync_dir=*/false);

  std::unique_ptr<SequentialFile> seq;
  ASSERT_TRUE(env_.NewSequentialFile(Path("f"), &seq).ok());
  ASSERT_TRUE(seq->Skip(250).ok());
  char scratch[100];
  Slice got;
  ASSERT_TRUE(seq->Read(100, &got, scratch).ok());
  EXPECT_EQ(got.ToString(), data.substr(250));
  ASSERT_TRUE(seq->Skip(1000).ok());
  ASSERT_TRUE(seq->Read(100, &got, scratch).ok());
  EXPECT_TRUE(got.empty());

  for (const bool mmap : {false, true}) {
    FileOptions options;
    options.use_mmap_reads = mmap;
    std::unique_ptr<RandomAccessFile> file;
    ASSERT_TRUE(env_.NewRandomAccessFile(Path("f"), options, &file).ok());
    ASSERT_TRUE(file->Read(190, 20, &got, scratch).ok());
    EXPECT_EQ(got.ToString(), data.substr(190, 20)) << "mmap=" << mmap;
    ASSERT_TRUE(file->Read(290, 100, &got, scratch).ok());
    EXPECT_EQ(got.ToString(), data.substr(290)) << "mmap=" << mmap;
    ASSERT_TRUE(file->Read(300, 10, &got, scratch).ok());
    EXPECT_TRUE(got.empty()) << "mmap=" << mmap;
  }
}

TEST_F(MemEnvTest, MappedReaderSeesTheBytesAtOpen) {
  Write(Path("f"), "0123456789", "", false);
  FileOptions options;
  options.use_mmap_reads = true;
  std::unique_ptr<RandomAccessFile> mapped;
  ASSERT_TRUE(env_.NewRandomAccessFile(Path("f"), options, &mapped).ok());
  std::unique_ptr<RandomAccessFile> pread;
  ASSERT_TRUE(env_.NewRandomAccessFile(Path("f"), FileOptions(), &pread).ok());
  Slice first;
  ASSERT_TRUE(mapped->Read(0, 4, &first, nullptr).ok());

  std::unique_ptr<WritableFile> file;
  ASSERT_TRUE(env_.NewAppendableFile(Path("f"), FileOptions(), &file).ok());
  ASSERT_TRUE(file->Append(test::RandomBytes(7, 4096)).ok());  // may reallocate the inode

  char scratch[8];
  Slice got;
  ASSERT_TRUE(mapped->Read(8, 8, &got, scratch).ok());
  EXPECT_EQ(got.ToString(), "89");
  EXPECT_EQ(first.ToString(), "0123");  // slices into the mapping stay valid
  ASSERT_TRUE(pread->Read(8, 8, &got, scratch).ok());
  EXPECT_EQ(got.size(), 8u);
}

// --- Disk full -------------------------------------------------------------------------------

void ExpectNoSpace(const Status& s, const std::string& path) {
  EXPECT_TRUE(s.IsIOError()) << s.ToString();
  EXPECT_NE(s.message().find("No space left on device"), std::string::npos) << s.ToString();
  EXPECT_NE(s.message().find(path), std::string::npos) << s.ToString();
}

TEST_F(MemEnvTest, FullDiskFailsAppendsAndCreatesAndChangesNothing) {
  env_.SetCapacity(100);
  std::unique_ptr<WritableFile> file;
  ASSERT_TRUE(env_.NewWritableFile(Path("f"), FileOptions(), &file).ok());
  ASSERT_TRUE(file->Append(std::string(60, 'a')).ok());
  ExpectNoSpace(file->Append(std::string(41, 'b')), Path("f"));
  EXPECT_EQ(file->Size(), 60u);
  EXPECT_EQ(Read(Path("f")), std::string(60, 'a'));
  ASSERT_TRUE(file->Append(std::string(40, 'c')).ok());  // exactly full
  EXPECT_EQ(env_.LiveBytes(), 100u);
  ExpectNoSpace(file->Append("d"), Path("f"));
  EXPECT_TRUE(file->Sync().ok());  // syncing needs no new space

  std::unique_ptr<WritableFile> other;
  ExpectNoSpace(env_.NewWritableFile(Path("g"), FileOptions(), &other), Path("g"));
  EXPECT_EQ(other, nullptr);
  EXPECT_FALSE(env_.FileExists(Path("g")));
  // An existing name opens; a rename needs no space either.
  ASSERT_TRUE(env_.NewAppendableFile(Path("f"), FileOptions(), &other).ok());
  ASSERT_TRUE(env_.RenameFile(Path("f"), Path("f2")).ok());

  // Deleting frees the space at once, even with handles open.
  ASSERT_TRUE(env_.DeleteFile(Path("f2")).ok());
  EXPECT_EQ(env_.LiveBytes(), 0u);
  ASSERT_TRUE(env_.NewWritableFile(Path("g"), FileOptions(), &other).ok());
  EXPECT_TRUE(other->Append(std::string(100, 'e')).ok());
}

TEST_F(MemEnvTest, HardLinksCountOnceAndTruncationFrees) {
  Write(Path("f"), std::string(50, 'a'), "", /*sync_dir=*/false);
  ASSERT_TRUE(env_.LinkFile(Path("f"), Path("h")).ok());
  EXPECT_EQ(env_.LiveBytes(), 50u);
  env_.SetCapacity(60);
  std::unique_ptr<WritableFile> file;
  ASSERT_TRUE(env_.NewAppendableFile(Path("h"), FileOptions(), &file).ok());
  EXPECT_TRUE(file->Append(std::string(10, 'b')).ok());
  ExpectNoSpace(file->Append("c"), Path("h"));
  // O_TRUNC of an existing file on a full disk works and frees its bytes.
  std::unique_ptr<WritableFile> truncated;
  ASSERT_TRUE(env_.NewWritableFile(Path("f"), FileOptions(), &truncated).ok());
  EXPECT_EQ(env_.LiveBytes(), 0u);
  EXPECT_TRUE(truncated->Append(std::string(60, 'd')).ok());
}

TEST_F(MemEnvTest, CapacitySurvivesACrashWhichFreesUnsyncedBytes) {
  env_.SetCapacity(10);
  Write(Path("f"), "12345678", "90", /*sync_dir=*/true);
  EXPECT_EQ(env_.LiveBytes(), 10u);
  env_.SimulateCrash();
  EXPECT_EQ(env_.LiveBytes(), 8u);
  std::unique_ptr<WritableFile> file;
  ASSERT_TRUE(env_.NewAppendableFile(Path("f"), FileOptions(), &file).ok());
  EXPECT_TRUE(file->Append("ab").ok());
  ExpectNoSpace(file->Append("c"), Path("f"));
  env_.SetCapacity(0);  // unlimited again
  EXPECT_TRUE(file->Append(std::string(1 << 20, 'x')).ok());
  EXPECT_EQ(env_.LiveBytes(), 10u + (1 << 20));
}

// --- Handles across a crash ------------------------------------------------------------------

TEST_F(MemEnvTest, HandlesFromBeforeCrashAreDead) {
  Write(Path("f"), "bytes", "", /*sync_dir=*/true);
  std::unique_ptr<WritableFile> writer;
  ASSERT_TRUE(env_.NewAppendableFile(Path("f"), FileOptions(), &writer).ok());
  std::unique_ptr<SequentialFile> seq;
  ASSERT_TRUE(env_.NewSequentialFile(Path("f"), &seq).ok());
  std::unique_ptr<RandomAccessFile> pread;
  ASSERT_TRUE(env_.NewRandomAccessFile(Path("f"), FileOptions(), &pread).ok());
  FileOptions mmap_options;
  mmap_options.use_mmap_reads = true;
  std::unique_ptr<RandomAccessFile> mapped;
  ASSERT_TRUE(env_.NewRandomAccessFile(Path("f"), mmap_options, &mapped).ok());

  env_.SimulateCrash();

  const auto expect_dead = [](const Status& s, const char* what) {
    EXPECT_TRUE(s.IsIOError()) << what << ": " << s.ToString();
    EXPECT_NE(s.message().find("file handle from before a simulated crash"), std::string::npos)
        << what << ": " << s.ToString();
    EXPECT_NE(s.message().find("/db/f"), std::string::npos) << what << ": " << s.ToString();
  };
  expect_dead(writer->Append("x"), "Append");
  expect_dead(writer->Flush(), "Flush");
  expect_dead(writer->Sync(), "Sync");
  expect_dead(writer->SyncFlushed(), "SyncFlushed");
  expect_dead(writer->Close(), "Close");
  char scratch[8];
  Slice got;
  expect_dead(seq->Read(8, &got, scratch), "SequentialFile::Read");
  expect_dead(seq->Skip(1), "Skip");
  expect_dead(pread->Read(0, 8, &got, scratch), "pread");
  expect_dead(mapped->Read(0, 8, &got, scratch), "mmap read");

  // The dead writer changed nothing, and the Env works normally after the crash.
  EXPECT_EQ(Read(Path("f")), "bytes");
  std::unique_ptr<WritableFile> fresh;
  ASSERT_TRUE(env_.NewAppendableFile(Path("f"), FileOptions(), &fresh).ok());
  ASSERT_TRUE(fresh->Append("+more").ok());
  EXPECT_EQ(Read(Path("f")), "bytes+more");
}

TEST_F(MemEnvTest, CrashCountAndProcessDownFollowTheCrashes) {
  EXPECT_EQ(env_.CrashCount(), 0u);
  EXPECT_FALSE(env_.ProcessDown());
  env_.SimulateCrash();
  EXPECT_EQ(env_.CrashCount(), 1u);
  EXPECT_FALSE(env_.ProcessDown());
  env_.SimulateProcessDeath();
  EXPECT_EQ(env_.CrashCount(), 2u);
  EXPECT_TRUE(env_.ProcessDown());
  env_.Restart();
  EXPECT_EQ(env_.CrashCount(), 2u);
  EXPECT_FALSE(env_.ProcessDown());
}

// --- Locks -----------------------------------------------------------------------------------

TEST_F(MemEnvTest, LockTwiceIsBusyUntilReleased) {
  std::unique_ptr<FileLock> first;
  ASSERT_TRUE(env_.LockFile(Path("LOCK"), &first).ok());
  EXPECT_TRUE(env_.FileExists(Path("LOCK")));
  std::unique_ptr<FileLock> second;
  Status s = env_.LockFile(Path("LOCK"), &second);
  EXPECT_TRUE(s.IsBusy()) << s.ToString();
  EXPECT_NE(s.message().find(Path("LOCK")), std::string::npos) << s.ToString();
  EXPECT_EQ(second, nullptr);
  first.reset();
  EXPECT_TRUE(env_.LockFile(Path("LOCK"), &second).ok());
}

TEST_F(MemEnvTest, CrashReleasesLocksAndStaleLocksReleaseNothing) {
  std::unique_ptr<FileLock> before_crash;
  ASSERT_TRUE(env_.LockFile(Path("LOCK"), &before_crash).ok());
  env_.SimulateCrash();
  std::unique_ptr<FileLock> after_crash;
  ASSERT_TRUE(env_.LockFile(Path("LOCK"), &after_crash).ok());
  before_crash.reset();
  std::unique_ptr<FileLock> third;
  EXPECT_TRUE(env_.LockFile(Path("LOCK"), &third).IsBusy());
}

// --- Directories -----------------------------------------------------------------------------

TEST_F(MemEnvTest, DirectoriesListAndGuardTheirEntries) {
  EXPECT_TRUE(env_.CreateDirIfMissing(kDir).ok());  // twice is fine
  ASSERT_TRUE(env_.CreateDirIfMissing(Path("sub")).ok());
  Write(Path("a"), "1", "", false);
  Write(Path("sub/b"), "2", "", false);
  EXPECT_EQ(Children(kDir), (std::vector<std::string>{"a", "sub"}));
  EXPECT_EQ(Children(Path("sub")), std::vector<std::string>{"b"});
  EXPECT_EQ(Children("/"), std::vector<std::string>{"db"});

  std::vector<std::string> names;
  EXPECT_TRUE(env_.GetChildren("/nope", &names).IsNotFound());
  std::unique_ptr<WritableFile> file;
  Status s = env_.NewWritableFile("/nope/f", FileOptions(), &file);
  EXPECT_TRUE(s.IsNotFound()) << s.ToString();
  EXPECT_NE(s.message().find("/nope/f"), std::string::npos) << s.ToString();
  EXPECT_TRUE(env_.CreateDirIfMissing(Path("a")).IsIOError());  // a file already
  EXPECT_TRUE(env_.CreateDirIfMissing("/x/y").IsNotFound());

  s = env_.DeleteDir(Path("sub"));
  EXPECT_TRUE(s.IsIOError()) << s.ToString();
  EXPECT_NE(s.message().find("not empty"), std::string::npos) << s.ToString();
  ASSERT_TRUE(env_.DeleteFile(Path("sub/b")).ok());
  ASSERT_TRUE(env_.DeleteDir(Path("sub")).ok());
  EXPECT_FALSE(env_.FileExists(Path("sub")));
  EXPECT_TRUE(env_.DeleteDir(Path("sub")).IsNotFound());
  EXPECT_TRUE(env_.DeleteFile(Path("sub/b")).IsNotFound());
}

TEST_F(MemEnvTest, DirectoriesAreDurableAtCreationAndDeletion) {
  ASSERT_TRUE(env_.CreateDirIfMissing(Path("sub")).ok());
  Write(Path("sub/f"), "x", "", /*sync_dir=*/true);
  EXPECT_TRUE(env_.DurablyExists(Path("sub")));
  env_.SimulateCrash();
  EXPECT_EQ(Read(Path("sub/f")), "x");

  // Deleting the file without SyncDir, then the directory: the directory's removal takes the
  // file's durable entry with it.
  ASSERT_TRUE(env_.DeleteFile(Path("sub/f")).ok());
  ASSERT_TRUE(env_.DeleteDir(Path("sub")).ok());
  env_.SimulateCrash();
  EXPECT_FALSE(env_.FileExists(Path("sub")));
  EXPECT_FALSE(env_.FileExists(Path("sub/f")));
  EXPECT_TRUE(Children(kDir).empty());
}

TEST_F(MemEnvTest, DirectoryRenameMovesEveryEntryDurablyAtOnce) {
  ASSERT_TRUE(env_.CreateDirIfMissing(Path("tmp")).ok());
  ASSERT_TRUE(env_.CreateDirIfMissing(Path("tmp/sub")).ok());
  Write(Path("tmp/synced"), "kept", " lost", /*sync_dir=*/true);
  Write(Path("tmp/sub/f"), "nested", "", /*sync_dir=*/true);
  Write(Path("tmp/unsynced-name"), "x", "", /*sync_dir=*/false);
  std::unique_ptr<WritableFile> open_file;
  ASSERT_TRUE(env_.NewAppendableFile(Path("tmp/synced"), FileOptions(), &open_file).ok());

  ASSERT_TRUE(env_.RenameFile(Path("tmp"), Path("final")).ok());
  EXPECT_FALSE(env_.FileExists(Path("tmp")));
  EXPECT_FALSE(env_.FileExists(Path("tmp/synced")));
  EXPECT_EQ(Children(kDir), std::vector<std::string>{"final"});
  EXPECT_EQ(Children(Path("final")), (std::vector<std::string>{"sub", "synced", "unsynced-name"}));
  EXPECT_EQ(Read(Path("final/sub/f")), "nested");
  // A handle keeps writing to its file under the new name, as on POSIX.
  ASSERT_TRUE(open_file->Append("+").ok());
  EXPECT_EQ(Read(Path("final/synced")), "kept lost+");
  open_file.reset();

  // Each entry keeps its own durability; the rename itself needs no further sync.
  env_.SimulateCrash();
  EXPECT_FALSE(env_.FileExists(Path("tmp")));
  EXPECT_EQ(Children(Path("final")), (std::vector<std::string>{"sub", "synced"}));
  EXPECT_EQ(Read(Path("final/synced")), "kept");
  EXPECT_EQ(Read(Path("final/sub/f")), "nested");
}

TEST_F(MemEnvTest, DirectoryRenameFollowsRename2Rules) {
  ASSERT_TRUE(env_.CreateDirIfMissing(Path("a")).ok());
  Write(Path("a/f"), "1", "", /*sync_dir=*/true);
  ASSERT_TRUE(env_.CreateDirIfMissing(Path("full")).ok());
  Write(Path("full/g"), "2", "", /*sync_dir=*/true);
  Write(Path("file"), "3", "", /*sync_dir=*/true);

  Status s = env_.RenameFile(Path("a"), Path("full"));
  EXPECT_TRUE(s.IsIOError()) << s.ToString();
  EXPECT_NE(s.message().find("not empty"), std::string::npos) << s.ToString();
  s = env_.RenameFile(Path("a"), Path("file"));
  EXPECT_TRUE(s.IsIOError()) << s.ToString();
  s = env_.RenameFile(Path("a"), Path("a/inside"));
  EXPECT_TRUE(s.IsIOError()) << s.ToString();
  s = env_.RenameFile(Path("a"), "/nope/b");
  EXPECT_TRUE(s.IsNotFound()) << s.ToString();
  EXPECT_EQ(Read(Path("a/f")), "1");  // every refusal left the source alone

  // An empty directory is replaced.
  ASSERT_TRUE(env_.CreateDirIfMissing(Path("empty")).ok());
  ASSERT_TRUE(env_.RenameFile(Path("a"), Path("empty")).ok());
  EXPECT_EQ(Read(Path("empty/f")), "1");

  std::unique_ptr<FileLock> lock;
  ASSERT_TRUE(env_.LockFile(Path("full/LOCK"), &lock).ok());
  EXPECT_TRUE(env_.RenameFile(Path("full"), Path("moved")).IsNotSupported());
  EXPECT_EQ(Read(Path("full/g")), "2");
}

TEST_F(MemEnvTest, MissingFilesAreNotFoundWithTheirPath) {
  uint64_t size = 0;
  Status s = env_.GetFileSize(Path("missing"), &size);
  EXPECT_TRUE(s.IsNotFound()) << s.ToString();
  EXPECT_NE(s.message().find(Path("missing")), std::string::npos) << s.ToString();
  s = env_.DeleteFile(Path("missing"));
  EXPECT_TRUE(s.IsNotFound()) << s.ToString();
  EXPECT_NE(s.message().find(Path("missing")), std::string::npos) << s.ToString();
  std::unique_ptr<RandomAccessFile> file;
  EXPECT_TRUE(env_.NewRandomAccessFile(Path("missing"), FileOptions(), &file).IsNotFound());
  EXPECT_TRUE(env_.SyncDir("/nope").IsNotFound());
}

// --- Concurrency (also run under TSan) -------------------------------------------------------

constexpr int kThreads = 8;

TEST_F(MemEnvTest, ConcurrentWritersThenCrashKeepTheirSyncedPrefixes) {
  const size_t kBytes = static_cast<size_t>(test::Iterations(64 << 10, 1 << 20));
  std::vector<std::unique_ptr<WritableFile>> files(kThreads);
  std::vector<std::string> data(kThreads);
  for (int t = 0; t < kThreads; t++) {
    ASSERT_TRUE(env_.NewWritableFile(Path("t" + std::to_string(t)), FileOptions(), &files[t]).ok());
    data[t] = test::RandomBytes(100 + t, kBytes);
  }
  ASSERT_TRUE(env_.SyncDir(kDir).ok());

  std::vector<size_t> synced(kThreads, 0);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; t++) {
    threads.emplace_back([&, t] {
      std::mt19937 rng(static_cast<unsigned>(t));
      std::unique_ptr<RandomAccessFile> reader;
      ASSERT_TRUE(
          env_.NewRandomAccessFile(Path("t" + std::to_string(t)), FileOptions(), &reader).ok());
      size_t pos = 0;
      while (pos < data[t].size()) {
        const size_t n = std::min<size_t>(1 + rng() % 2000, data[t].size() - pos);
        ASSERT_TRUE(files[t]->Append(Slice(data[t].data() + pos, n)).ok());
        pos += n;
        if (rng() % 3 == 0) {
          ASSERT_TRUE(files[t]->Sync().ok());
          synced[t] = pos;
        }
        if (rng() % 5 == 0) {  // read back the last bytes while the others write
          char scratch[16];
          Slice got;
          const size_t len = std::min<size_t>(pos, sizeof(scratch));
          ASSERT_TRUE(reader->Read(pos - len, len, &got, scratch).ok());
          ASSERT_EQ(got.ToString(), data[t].substr(pos - len, len));
        }
      }
    });
  }
  for (auto& thread : threads) thread.join();
  files.clear();

  env_.SimulateCrash();
  for (int t = 0; t < kThreads; t++) {
    EXPECT_EQ(Read(Path("t" + std::to_string(t))), data[t].substr(0, synced[t])) << "thread " << t;
  }
}

TEST_F(MemEnvTest, CrashDuringConcurrentWritesKeepsEveryAcknowledgedSync) {
  const size_t kBytes = 1 << 20;
  constexpr int kSyncsBeforeCrash = 20;
  std::vector<std::unique_ptr<WritableFile>> files(kThreads);
  std::vector<std::string> data(kThreads);
  for (int t = 0; t < kThreads; t++) {
    ASSERT_TRUE(env_.NewWritableFile(Path("t" + std::to_string(t)), FileOptions(), &files[t]).ok());
    data[t] = test::RandomBytes(200 + t, kBytes);
  }
  ASSERT_TRUE(env_.SyncDir(kDir).ok());

  // acked[t]: length at t's last Sync() that returned OK. Every OK sync happened before the
  // crash, and every later one fails, so the file must end up exactly acked[t] long.
  std::vector<size_t> acked(kThreads, 0);
  std::atomic<int> syncs{0};
  std::atomic<int> finished{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; t++) {
    threads.emplace_back([&, t] {
      std::mt19937 rng(static_cast<unsigned>(t + 1000));
      size_t pos = 0;
      while (pos < data[t].size()) {
        const size_t n = std::min<size_t>(1 + rng() % 500, data[t].size() - pos);
        if (!files[t]->Append(Slice(data[t].data() + pos, n)).ok()) break;
        pos += n;
        if (rng() % 2 == 0) {
          if (!files[t]->Sync().ok()) break;
          acked[t] = pos;
          syncs.fetch_add(1, std::memory_order_relaxed);
        }
      }
      finished.fetch_add(1);
    });
  }
  while (syncs.load(std::memory_order_relaxed) < kThreads * kSyncsBeforeCrash &&
         finished.load() < kThreads) {
    std::this_thread::yield();
  }
  env_.SimulateCrash();
  for (auto& thread : threads) thread.join();
  files.clear();

  for (int t = 0; t < kThreads; t++) {
    EXPECT_EQ(Read(Path("t" + std::to_string(t))), data[t].substr(0, acked[t])) << "thread " << t;
  }
}

TEST_F(MemEnvTest, SyncFlushedRunsBesideAppends) {
  std::unique_ptr<WritableFile> file;
  ASSERT_TRUE(env_.NewWritableFile(Path("log"), FileOptions(), &file).ok());
  ASSERT_TRUE(env_.SyncDir(kDir).ok());
  const std::string data = test::RandomBytes(9, 256 << 10);
  std::atomic<bool> done{false};
  std::thread syncer([&] {
    while (!done.load()) ASSERT_TRUE(file->SyncFlushed().ok());
  });
  for (size_t pos = 0; pos < data.size(); pos += 1024) {
    ASSERT_TRUE(file->Append(Slice(data.data() + pos, 1024)).ok());
    ASSERT_TRUE(file->Flush().ok());
  }
  done.store(true);
  syncer.join();
  ASSERT_TRUE(file->SyncFlushed().ok());
  file.reset();
  env_.SimulateCrash();
  EXPECT_EQ(Read(Path("log")), data);
}

TEST(MemEnvProcessDeath, NothingWorksUntilRestart) {
  MemEnv env;
  ASSERT_TRUE(env.CreateDirIfMissing("/d").ok());
  std::unique_ptr<WritableFile> f;
  ASSERT_TRUE(env.NewWritableFile("/d/a", {}, &f).ok());
  ASSERT_TRUE(f->Append("synced").ok());
  ASSERT_TRUE(f->Sync().ok());
  ASSERT_TRUE(env.SyncDir("/d").ok());
  ASSERT_TRUE(f->Append("lost").ok());
  env.SimulateProcessDeath();
  // The dead process's threads can change nothing and learn nothing.
  EXPECT_FALSE(f->Sync().ok());
  EXPECT_FALSE(env.SyncDir("/d").ok());
  EXPECT_FALSE(env.DeleteFile("/d/a").ok());
  std::unique_ptr<WritableFile> g;
  EXPECT_FALSE(env.NewWritableFile("/d/b", {}, &g).ok());
  EXPECT_FALSE(env.RenameFile("/d/a", "/d/c").ok());
  EXPECT_FALSE(env.RenameWithoutDirSync("/d/a", "/d/c").ok());
  EXPECT_FALSE(env.FileExists("/d/a"));
  std::vector<std::string> names;
  EXPECT_FALSE(env.GetChildren("/d", &names).ok());
  f.reset();
  env.Restart();
  uint64_t size = 0;
  ASSERT_TRUE(env.GetFileSize("/d/a", &size).ok());
  EXPECT_EQ(size, 6u);  // only the synced bytes
  EXPECT_FALSE(env.FileExists("/d/b"));
}

}  // namespace
}  // namespace strata::testing
