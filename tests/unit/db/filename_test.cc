#include "db/filename.h"

#include <gtest/gtest.h>

#include "testing/error_injection_env.h"
#include "testing/mem_env.h"

namespace strata {
namespace {

TEST(FileName, RoundTrip) {
  struct Case {
    std::string name;
    uint64_t number;
    FileType type;
  } cases[] = {{"000007.log", 7, FileType::kLog},
               {"000123.sst", 123, FileType::kTable},
               {"MANIFEST-000005", 5, FileType::kManifest},
               {"000009.dbtmp", 9, FileType::kTemp},
               {"CURRENT", 0, FileType::kCurrent},
               {"LOCK", 0, FileType::kLock},
               {"18446744073709551615.sst", UINT64_MAX, FileType::kTable}};
  for (const Case& c : cases) {
    uint64_t number = 99;
    FileType type = FileType::kLock;
    ASSERT_TRUE(ParseFileName(c.name, &number, &type)) << c.name;
    EXPECT_EQ(number, c.number) << c.name;
    EXPECT_EQ(type, c.type) << c.name;
  }
  EXPECT_EQ(LogFileName("db", 7), "db/000007.log");
  EXPECT_EQ(TableFileName("db", 123), "db/000123.sst");
  EXPECT_EQ(ManifestFileName("db", 5), "db/MANIFEST-000005");
  for (const char* bad : {"", "foo", "MANIFEST-", "MANIFEST-x1", ".sst", "12a.log", "000001.txt",
                          "18446744073709551616.sst", "CURRENT.bak", "-1.log"}) {
    uint64_t number;
    FileType type;
    EXPECT_FALSE(ParseFileName(bad, &number, &type)) << bad;
  }
}

TEST(CurrentFile, WriteAndRead) {
  testing::MemEnv env;
  ASSERT_TRUE(env.CreateDirIfMissing("/db").ok());
  ASSERT_TRUE(SetCurrentFile(&env, "/db", 12).ok());
  EXPECT_EQ(ReadCurrentFile(&env, "/db").value_or(0), 12u);
  // Durable: a crash right after keeps it.
  env.SimulateCrash();
  EXPECT_EQ(ReadCurrentFile(&env, "/db").value_or(0), 12u);
}

TEST(CurrentFile, FailedRenameKeepsTheOldCurrent) {
  testing::MemEnv mem;
  testing::ErrorInjectionEnv env(&mem);
  ASSERT_TRUE(env.CreateDirIfMissing("/db").ok());
  ASSERT_TRUE(SetCurrentFile(&env, "/db", 3).ok());
  env.InjectError(testing::FaultOp::kRename, "CURRENT", 1);
  EXPECT_FALSE(SetCurrentFile(&env, "/db", 4).ok());
  EXPECT_EQ(ReadCurrentFile(&env, "/db").value_or(0), 3u);
  mem.SimulateCrash();
  EXPECT_EQ(ReadCurrentFile(&env, "/db").value_or(0), 3u);
}

TEST(CurrentFile, CrashBeforeTheTempFileIsSyncedLeavesTheOldOne) {
  testing::MemEnv mem;
  testing::ErrorInjectionEnv env(&mem);
  ASSERT_TRUE(env.CreateDirIfMissing("/db").ok());
  ASSERT_TRUE(SetCurrentFile(&env, "/db", 3).ok());
  env.InjectError(testing::FaultOp::kSync, ".dbtmp", 1);
  EXPECT_FALSE(SetCurrentFile(&env, "/db", 4).ok());
  mem.SimulateCrash();
  EXPECT_EQ(ReadCurrentFile(&env, "/db").value_or(0), 3u);
}

TEST(CurrentFile, DamagedContentIsCorruption) {
  testing::MemEnv env;
  ASSERT_TRUE(env.CreateDirIfMissing("/db").ok());
  for (const char* content :
       {"", "MANIFEST-", "MANIFEST-12", "MANIFEST-12\nx", "garbage\n", "MANIFEST-1a\n"}) {
    std::unique_ptr<WritableFile> f;
    ASSERT_TRUE(env.NewWritableFile("/db/CURRENT", {}, &f).ok());
    ASSERT_TRUE(f->Append(content).ok());
    ASSERT_TRUE(f->Close().ok());
    Status s = ReadCurrentFile(&env, "/db").status();
    EXPECT_TRUE(s.IsCorruption()) << content;
    EXPECT_NE(s.ToString().find("/db/CURRENT"), std::string::npos);
  }
  EXPECT_TRUE(ReadCurrentFile(&env, "/nodb").status().IsNotFound());
}

}  // namespace
}  // namespace strata
