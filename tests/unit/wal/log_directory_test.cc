#include "wal/log_directory.h"

#include <gtest/gtest.h>

#include "support/test_util.h"

namespace strata::wal {
namespace {

TEST(LogDirectory, FileNames) {
  EXPECT_EQ(LogDirectory::FileName(1), "000001.log");
  EXPECT_EQ(LogDirectory::FileName(123), "000123.log");
  EXPECT_EQ(LogDirectory::FileName(1234567), "1234567.log");
  uint64_t n = 0;
  EXPECT_TRUE(LogDirectory::ParseFileName("000123.log", &n));
  EXPECT_EQ(n, 123u);
  EXPECT_TRUE(LogDirectory::ParseFileName("1234567.log", &n));
  EXPECT_EQ(n, 1234567u);
  EXPECT_TRUE(LogDirectory::ParseFileName("18446744073709551615.log", &n));
  EXPECT_EQ(n, UINT64_MAX);
  for (const char* bad : {"123.log", "00012a.log", "000123.lo", "000123.log.tmp", "0000001.log",
                          "18446744073709551616.log", "LOCK", "", ".log"}) {
    EXPECT_FALSE(LogDirectory::ParseFileName(bad, &n)) << bad;
  }
}

TEST(LogDirectory, StartNextListAndDeleteBelow) {
  strata::test::TempDir tmp;
  LogDirectory logs(Env::Default(), tmp.File("wal"));
  auto numbers = logs.List();
  ASSERT_TRUE(numbers.ok());  // missing directory: no logs
  EXPECT_TRUE(numbers->empty());

  for (uint64_t expected = 1; expected <= 4; expected++) {
    auto w = logs.StartNext({});
    ASSERT_TRUE(w.ok()) << w.status().ToString();
    EXPECT_EQ((*w)->log_number(), expected);
    EXPECT_EQ((*w)->path(), logs.PathOf(expected));
    ASSERT_TRUE((*w)->Append("record in " + std::to_string(expected)).ok());
    ASSERT_TRUE((*w)->Close().ok());
  }
  // A stray file is not a log.
  std::unique_ptr<WritableFile> f;
  ASSERT_TRUE(Env::Default()->NewWritableFile(tmp.File("wal/notes.txt"), {}, &f).ok());
  ASSERT_TRUE(f->Close().ok());

  numbers = logs.List();
  ASSERT_TRUE(numbers.ok());
  EXPECT_EQ(*numbers, (std::vector<uint64_t>{1, 2, 3, 4}));
  int deleted = 0;
  ASSERT_TRUE(logs.DeleteBelow(3, &deleted).ok());
  EXPECT_EQ(deleted, 2);
  numbers = logs.List();
  ASSERT_TRUE(numbers.ok());
  EXPECT_EQ(*numbers, (std::vector<uint64_t>{3, 4}));
  EXPECT_TRUE(Env::Default()->FileExists(tmp.File("wal/notes.txt")));

  auto w = logs.StartNext({});
  ASSERT_TRUE(w.ok()) << w.status().ToString();
  EXPECT_EQ((*w)->log_number(), 5u);
}

}  // namespace
}  // namespace strata::wal
