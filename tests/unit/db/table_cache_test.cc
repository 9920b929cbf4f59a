#include "db/table_cache.h"

#include <dirent.h>
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "../sst/sst_test_util.h"
#include "db/filename.h"
#include "support/test_util.h"

namespace strata {
namespace {

// Open descriptors of this process whose target is a file of dir.
int OpenFilesIn(const std::string& dir) {
  int count = 0;
  DIR* d = opendir("/proc/self/fd");
  if (d == nullptr) return -1;
  while (dirent* e = readdir(d)) {
    char target[4096];
    const std::string link = std::string("/proc/self/fd/") + e->d_name;
    const ssize_t n = readlink(link.c_str(), target, sizeof(target) - 1);
    if (n <= 0) continue;
    if (std::string(target, n).rfind(dir + "/", 0) == 0) count++;
  }
  closedir(d);
  return count;
}

struct Tables {
  explicit Tables(int count) {
    options.compression = sst::CompressionType::kNone;
    for (int i = 1; i <= count; i++) {
      std::map<std::string, std::string> model{{"key" + std::to_string(i), "v"}};
      std::string bytes;
      EXPECT_TRUE(sst::test::BuildTable(options, model, &bytes).ok());
      std::ofstream(TableFileName(dir.path(), i), std::ios::binary) << bytes;
      auto f = std::make_shared<FileMetaData>();
      f->number = i;
      f->file_size = bytes.size();
      files.push_back(f);
    }
  }
  test::TempDir dir;
  sst::TableOptions options;
  std::vector<std::shared_ptr<FileMetaData>> files;
};

// Point reads get a pinned table as a plain pointer; the budget is the capacity, and pinned
// tables plus tables in the LRU list never hold more descriptors than that.
TEST(TableCacheTest, PinsWithinCapacityAndOpensEachTableOnce) {
  Tables t(6);
  TableCache cache(Env::Default(), t.dir.path(), t.options, /*capacity=*/4, false);

  const sst::TableReader* pinned[4];
  for (int i = 0; i < 4; i++) {
    std::shared_ptr<sst::TableReader> hold;
    ASSERT_TRUE(cache.FindPinned(*t.files[i], &pinned[i], &hold).ok());
    ASSERT_NE(pinned[i], nullptr);
    // Pinned on its first read: the metadata owns it, so hold may go.
    EXPECT_EQ(t.files[i]->pin.reader(), pinned[i]);
  }
  for (int i = 0; i < 4; i++) {
    const sst::TableReader* again = nullptr;
    std::shared_ptr<sst::TableReader> hold;
    ASSERT_TRUE(cache.FindPinned(*t.files[i], &again, &hold).ok());
    EXPECT_EQ(again, pinned[i]);
    EXPECT_EQ(hold, nullptr) << "a pinned read takes no reference";
    // Iterators and compactions get the same reader, not a second open.
    auto shared = cache.Find(*t.files[i]);
    ASSERT_TRUE(shared.ok()) << shared.status().ToString();
    EXPECT_EQ(shared->get(), pinned[i]);
  }
  EXPECT_EQ(OpenFilesIn(t.dir.path()), 4);

  // Over budget: served, not pinned, not kept open beyond capacity.
  {
    const sst::TableReader* fifth = nullptr;
    std::shared_ptr<sst::TableReader> hold;
    ASSERT_TRUE(cache.FindPinned(*t.files[4], &fifth, &hold).ok());
    EXPECT_EQ(fifth, hold.get());
    EXPECT_EQ(t.files[4]->pin.reader(), nullptr);
  }
  EXPECT_EQ(OpenFilesIn(t.dir.path()), 4);

  // A table no Version lists any more gives its pin back (and closes its file)...
  t.files[0].reset();
  EXPECT_EQ(OpenFilesIn(t.dir.path()), 3);
  // ...which the next table read takes.
  const sst::TableReader* sixth = nullptr;
  std::shared_ptr<sst::TableReader> hold;
  ASSERT_TRUE(cache.FindPinned(*t.files[5], &sixth, &hold).ok());
  EXPECT_EQ(t.files[5]->pin.reader(), sixth);
  EXPECT_EQ(OpenFilesIn(t.dir.path()), 4);
}

// Copies of metadata (a trivial move's new entry) start unpinned.
TEST(TableCacheTest, CopiedMetadataStartsUnpinned) {
  Tables t(1);
  TableCache cache(Env::Default(), t.dir.path(), t.options, 4, false);
  const sst::TableReader* reader = nullptr;
  std::shared_ptr<sst::TableReader> hold;
  ASSERT_TRUE(cache.FindPinned(*t.files[0], &reader, &hold).ok());
  ASSERT_NE(t.files[0]->pin.reader(), nullptr);
  FileMetaData copy = *t.files[0];
  EXPECT_EQ(copy.pin.reader(), nullptr);
  EXPECT_EQ(copy.number, t.files[0]->number);
}

// A table whose size disagrees with its metadata is Corruption naming the file, pinned or not.
TEST(TableCacheTest, SizeMismatchIsCorruption) {
  Tables t(1);
  TableCache cache(Env::Default(), t.dir.path(), t.options, 4, false);
  FileMetaData wrong = *t.files[0];
  wrong.file_size += 1;
  const sst::TableReader* reader = nullptr;
  std::shared_ptr<sst::TableReader> hold;
  Status s = cache.FindPinned(wrong, &reader, &hold);
  EXPECT_TRUE(s.IsCorruption()) << s.ToString();
  EXPECT_NE(s.ToString().find(TableFileName(t.dir.path(), 1)), std::string::npos) << s.ToString();
  EXPECT_EQ(wrong.pin.reader(), nullptr);
}

}  // namespace
}  // namespace strata
