// What only the local directory store has: keys a directory cannot hold, its temporary files,
// and conditional writes that are atomic between processes.
#include "objstore/local_store.h"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <functional>

#include "support/test_util.h"

namespace strata::objstore {
namespace {

using strata::test::TempDir;

std::unique_ptr<ObjectStore> Open(const std::string& dir) {
  auto store = OpenLocalStore(dir);
  EXPECT_TRUE(store.ok()) << store.status().ToString();
  return store.ok() ? std::move(*store) : nullptr;
}

TEST(LocalStore, RefusesKeysADirectoryCannotHold) {
  TempDir dir;
  auto store = Open(dir.path());
  const std::vector<std::string> bad = {"",
                                        "a//b",
                                        "/abs",
                                        "a/",
                                        "./x",
                                        "a/../b",
                                        "..",
                                        ".strata-tmp-1-2",
                                        std::string("nul\0byte", 8)};
  for (const std::string& key : bad) {
    auto put = PutString(store.get(), key, "x");
    ASSERT_FALSE(put.ok()) << key;
    EXPECT_TRUE(put.status().IsInvalidArgument()) << put.status().ToString();
  }
  ASSERT_TRUE(PutString(store.get(), "a/b", "x").ok());
  auto over_dir = PutString(store.get(), "a", "x");
  EXPECT_TRUE(over_dir.status().IsInvalidArgument()) << over_dir.status().ToString();
  auto under_file = PutString(store.get(), "a/b/c", "x");
  EXPECT_TRUE(under_file.status().IsInvalidArgument()) << under_file.status().ToString();
  // Nothing escaped the root.
  EXPECT_FALSE(std::filesystem::exists(std::filesystem::path(dir.path()).parent_path() / "abs"));
}

TEST(LocalStore, KeysAreFilesAndEmptyDirectoriesGoWithTheirLastObject) {
  TempDir dir;
  auto store = Open(dir.path() + "/root");
  ASSERT_TRUE(PutString(store.get(), "x/y/z.bin", "zz").ok());
  EXPECT_EQ(strata::test::ReadFile(dir.path() + "/root/x/y/z.bin"), "zz");
  EXPECT_EQ(store->Url("x/y/z.bin"), "file://" + dir.path() + "/root/x/y/z.bin");
  ASSERT_TRUE(store->Delete("x/y/z.bin").ok());
  EXPECT_FALSE(std::filesystem::exists(dir.path() + "/root/x"));
  EXPECT_TRUE(std::filesystem::exists(dir.path() + "/root"));
}

TEST(LocalStore, LeftoverTemporaryFilesAndEmptyDirectoriesAreNotListed) {
  TempDir dir;
  auto store = Open(dir.path());
  ASSERT_TRUE(PutString(store.get(), "d/real", "r").ok());
  // What a crash between create and rename leaves behind.
  std::ofstream(dir.path() + "/d/.strata-tmp-99-0") << "half";
  std::filesystem::create_directories(dir.path() + "/empty/deeper");
  ListOptions o;
  o.delimiter = "/";
  auto page = store->List(o);
  ASSERT_TRUE(page.ok()) << page.status().ToString();
  EXPECT_TRUE(page->objects.empty());
  EXPECT_EQ(page->common_prefixes, std::vector<std::string>{"d/"});
  o.delimiter = "";
  page = store->List(o);
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->objects.size(), 1u);
  EXPECT_EQ(page->objects[0].key, "d/real");
}

TEST(LocalStore, ForeignContinuationTokensAreRefused) {
  TempDir dir;
  auto store = Open(dir.path());
  ListOptions o;
  o.continuation_token = "not-a-token";
  EXPECT_TRUE(store->List(o).status().IsInvalidArgument());
}

// Runs child(0..n-1) in n forked processes at once and returns their exit codes (-1 for one
// that did not exit normally). child's return value is its exit code.
std::vector<int> RunProcesses(int n, const std::function<int(int)>& child) {
  std::vector<pid_t> children;
  for (int p = 0; p < n; p++) {
    const pid_t pid = ::fork();
    if (pid == 0) ::_exit(child(p));
    children.push_back(pid);
  }
  std::vector<int> codes;
  for (pid_t pid : children) {
    int status = 0;
    const bool exited = pid > 0 && ::waitpid(pid, &status, 0) == pid && WIFEXITED(status);
    codes.push_back(exited ? WEXITSTATUS(status) : -1);
  }
  return codes;
}

// put-if-absent from 8 processes (not threads: link(2) must decide between processes): one
// wins. Each child reports through its exit code: 0 won, 1 lost with PreconditionFailed,
// 2 anything else.
TEST(LocalStore, PutIfAbsentHasOneWinnerAcrossProcesses) {
  TempDir dir;
  for (int round = 0; round < 5; round++) {
    const std::string key = "commit/" + std::to_string(round);
    const std::vector<int> codes = RunProcesses(8, [&](int p) {
      auto store = OpenLocalStore(dir.path());
      if (!store.ok()) return 2;
      PutOptions o;
      o.condition = PutCondition::kIfAbsent;
      auto put = PutString(store->get(), key, "process " + std::to_string(p), o);
      return put.ok() ? 0 : put.status().IsPreconditionFailed() ? 1 : 2;
    });
    const auto won = std::count(codes.begin(), codes.end(), 0);
    const auto lost = std::count(codes.begin(), codes.end(), 1);
    EXPECT_EQ(won, 1) << key;
    EXPECT_EQ(lost, 7) << key;
  }
}

// If-Match from 8 processes, each reading the current version and replacing it with its
// successor until the counter reaches 80: a lost update would leave a count short of the
// number of successful writes.
TEST(LocalStore, IfMatchIncrementsFromManyProcessesLoseNothing) {
  TempDir dir;
  {
    auto store = Open(dir.path());
    ASSERT_TRUE(PutString(store.get(), "counter", "0").ok());
  }
  const std::vector<int> codes = RunProcesses(8, [&](int) {
    auto store = OpenLocalStore(dir.path());
    if (!store.ok()) return 2;
    int mine = 0;
    while (mine < 10) {
      auto head = (*store)->Head("counter");
      auto value = GetString(store->get(), "counter");
      if (!head.ok() || !value.ok()) return 2;
      // The value read may already be newer than head's ETag: then the write must fail.
      PutOptions o;
      o.condition = PutCondition::kIfMatch;
      o.if_match = head->etag;
      auto put = PutString(store->get(), "counter", std::to_string(std::stoi(*value) + 1), o);
      if (put.ok()) {
        mine++;
      } else if (!put.status().IsPreconditionFailed()) {
        return 2;
      }
    }
    return 0;
  });
  EXPECT_EQ(codes, std::vector<int>(8, 0));
  auto store = Open(dir.path());
  auto final_value = GetString(store.get(), "counter");
  ASSERT_TRUE(final_value.ok());
  EXPECT_EQ(*final_value, "80");
}

}  // namespace
}  // namespace strata::objstore
