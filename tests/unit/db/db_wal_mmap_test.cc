// The write-ahead log written through a shared mapping (Options::wal_mmap_writes, the
// default), on the real file system: a copy of an open DB's files is what a process kill
// leaves behind, zero-filled log tail included.
#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "db/filename.h"
#include "strata/db.h"
#include "strata/env.h"
#include "support/test_util.h"

namespace strata {
namespace {

std::string Key(int i) { return "key" + std::to_string(100000 + i); }
std::string Value(int i) { return test::RandomBytes(i, 50 + i % 200); }

TEST(DBWalMmap, FilesOfAnOpenDbReopenWithEveryWrite) {
  for (WalRecoveryMode mode :
       {WalRecoveryMode::kTolerateCorruptedTail, WalRecoveryMode::kAbsoluteConsistency}) {
    SCOPED_TRACE(static_cast<int>(mode));
    test::TempDir dir;
    const std::string live = dir.File("live");
    const std::string copy = dir.File("copy");
    Env* env = Env::Default();
    Options options;
    options.create_if_missing = true;
    options.wal_recovery_mode = mode;
    ASSERT_TRUE(options.wal_mmap_writes);  // the default under test
    std::unique_ptr<DB> db;
    ASSERT_TRUE(DB::Open(options, live, &db).ok());
    const int kWrites = 5000;
    for (int i = 0; i < kWrites; i++) ASSERT_TRUE(db->Put(WriteOptions(), Key(i), Value(i)).ok());
    ASSERT_TRUE(db->Delete(WriteOptions(), Key(7)).ok());

    // Copy while the DB is open and its log mapped: no Flush, no Sync, no Close.
    ASSERT_TRUE(env->CreateDirIfMissing(copy).ok());
    std::vector<std::string> names;
    ASSERT_TRUE(env->GetChildren(live, &names).ok());
    int logs_with_zero_tail = 0;
    for (const std::string& name : names) {
      uint64_t number;
      FileType type;
      if (name == "LOCK") continue;
      std::error_code ec;
      std::filesystem::copy_file(live + "/" + name, copy + "/" + name, ec);
      ASSERT_FALSE(ec) << name << ": " << ec.message();
      if (ParseFileName(name, &number, &type) && type == FileType::kLog) {
        uint64_t size = 0;
        ASSERT_TRUE(env->GetFileSize(copy + "/" + name, &size).ok());
        if (size % (1 << 20) == 0 && size > 0) logs_with_zero_tail++;
      }
    }
    // The case under test: the copied log still has its preallocated zeros.
    EXPECT_EQ(logs_with_zero_tail, 1);

    std::unique_ptr<DB> reopened;
    Options reopen = options;
    reopen.create_if_missing = false;
    Status s = DB::Open(reopen, copy, &reopened);
    ASSERT_TRUE(s.ok()) << s.ToString();
    for (int i = 0; i < kWrites; i++) {
      std::string value;
      s = reopened->Get(ReadOptions(), Key(i), &value);
      if (i == 7) {
        EXPECT_TRUE(s.IsNotFound()) << s.ToString();
      } else {
        ASSERT_TRUE(s.ok()) << i << ": " << s.ToString();
        EXPECT_EQ(value, Value(i));
      }
    }
    db.reset();
  }
}

TEST(DBWalMmap, ClosedDbLeavesNoZeroTail) {
  test::TempDir dir;
  Options options;
  options.create_if_missing = true;
  std::unique_ptr<DB> db;
  ASSERT_TRUE(DB::Open(options, dir.path(), &db).ok());
  ASSERT_TRUE(db->Put(WriteOptions(), "k", "v").ok());
  db.reset();
  std::vector<std::string> names;
  ASSERT_TRUE(Env::Default()->GetChildren(dir.path(), &names).ok());
  int logs_holding_the_write = 0;
  for (const std::string& name : names) {
    uint64_t number;
    FileType type;
    if (!ParseFileName(name, &number, &type) || type != FileType::kLog) continue;
    uint64_t size = 0;
    ASSERT_TRUE(Env::Default()->GetFileSize(dir.File(name), &size).ok());
    EXPECT_LT(size, 1u << 20) << name;
    // The 31-byte log header, then the record of the one write (7-byte header + batch).
    if (size > 31 + 7) logs_holding_the_write++;
  }
  EXPECT_EQ(logs_holding_the_write, 1);
}

}  // namespace
}  // namespace strata
