// CheckDB (`strata db check`): an intact DB passes without a byte of it changing; a flipped
// table byte, a truncated or missing table and a damaged MANIFEST are problems naming the
// file; a torn WAL tail is a warning, an orphan a note; a directory that is no DB is refused.
#include "db/db_checker.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "strata/db.h"
#include "support/test_util.h"

namespace strata {
namespace {

namespace fs = std::filesystem;

void WriteFile(const std::string& path, const std::string& bytes) {
  std::ofstream f(path, std::ios::binary | std::ios::trunc);
  f.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  ASSERT_TRUE(f.good()) << path;
}

void FlipByte(const std::string& path, size_t offset) {
  std::string bytes = test::ReadFile(path);
  ASSERT_LT(offset, bytes.size()) << path;
  bytes[offset] ^= 0x5a;
  WriteFile(path, bytes);
}

// Paths of the directory's files ending in suffix, sorted.
std::vector<std::string> FilesEndingIn(const std::string& dir, const std::string& suffix) {
  std::vector<std::string> out;
  for (const auto& entry : fs::directory_iterator(dir)) {
    const std::string name = entry.path().filename().string();
    if (name.size() >= suffix.size() &&
        name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0) {
      out.push_back(entry.path().string());
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<std::string> FilesStartingWith(const std::string& dir, const std::string& prefix) {
  std::vector<std::string> out;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.path().filename().string().rfind(prefix, 0) == 0) {
      out.push_back(entry.path().string());
    }
  }
  return out;
}

// Every file's name and bytes: what "CheckDB changes nothing" is checked against.
std::map<std::string, std::string> Snapshot(const std::string& dir) {
  std::map<std::string, std::string> files;
  for (const auto& entry : fs::directory_iterator(dir)) {
    files[entry.path().filename().string()] = test::ReadFile(entry.path().string());
  }
  return files;
}

Status Check(const std::string& dir, DbCheckSummary* summary, std::string* output) {
  std::FILE* out = std::tmpfile();
  EXPECT_NE(out, nullptr);
  Status s = CheckDB(Env::Default(), dir, out, summary);
  std::rewind(out);
  output->clear();
  char buf[4096];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof(buf), out)) > 0) output->append(buf, n);
  std::fclose(out);
  return s;
}

constexpr int kKeysPerTable = 500;

class DbCheckerTest : public ::testing::Test {
 protected:
  // Two flushed tables, plus `unflushed` writes left in the write-ahead log.
  void MakeDb(int unflushed) {
    Options options;
    options.create_if_missing = true;
    options.block_size = 1024;  // several data blocks per table
    std::unique_ptr<DB> db;
    ASSERT_TRUE(DB::Open(options, dir_.path(), &db).ok());
    for (int table = 0; table < 2; table++) {
      for (int i = 0; i < kKeysPerTable; i++) {
        const std::string key = "key" + std::to_string(100000 + table * kKeysPerTable + i);
        ASSERT_TRUE(db->Put(WriteOptions(), key, "value-" + key).ok());
      }
      ASSERT_TRUE(db->Flush().ok());
    }
    for (int i = 0; i < unflushed; i++) {
      ASSERT_TRUE(db->Put(WriteOptions(), "late" + std::to_string(i), std::string(100, 'v')).ok());
    }
    if (unflushed > 0) {
      ASSERT_TRUE(db->Delete(WriteOptions(), "key100000").ok());
    }
    db.reset();
    tables_ = FilesEndingIn(dir_.path(), ".sst");
    ASSERT_EQ(tables_.size(), 2u);
  }

  strata::test::TempDir dir_;
  std::vector<std::string> tables_;
};

TEST_F(DbCheckerTest, IntactDbPassesAndNothingIsWritten) {
  MakeDb(20);
  const auto before = Snapshot(dir_.path());
  DbCheckSummary summary;
  std::string output;
  Status s = Check(dir_.path(), &summary, &output);
  ASSERT_TRUE(s.ok()) << s.ToString() << "\n" << output;
  EXPECT_EQ(summary.tables, 2u);
  EXPECT_EQ(summary.table_entries, 2u * kKeysPerTable);
  EXPECT_EQ(summary.problems, 0u);
  EXPECT_EQ(summary.warnings, 0u);
  EXPECT_GE(summary.logs, 1u);
  EXPECT_EQ(summary.log_updates, 21u);  // 20 puts and a delete
  EXPECT_NE(output.find("manifest: " + dir_.path() + "/MANIFEST-"), std::string::npos) << output;
  for (const std::string& table : tables_) {
    EXPECT_NE(output.find("table: " + table + " level=0 entries=500 "), std::string::npos)
        << output;
  }
  EXPECT_NE(output.find(" end=ok\n"), std::string::npos) << output;
  EXPECT_EQ(Snapshot(dir_.path()), before) << "CheckDB changed the directory";
}

TEST_F(DbCheckerTest, FlippedTableByteIsAProblemNamingTheTable) {
  MakeDb(0);
  // Offset 100 lies inside the first data block (blocks are ~1 KiB).
  FlipByte(tables_[1], 100);
  DbCheckSummary summary;
  std::string output;
  Status s = Check(dir_.path(), &summary, &output);
  ASSERT_TRUE(s.IsCorruption()) << s.ToString();
  EXPECT_NE(s.ToString().find(tables_[1]), std::string::npos) << s.ToString();
  EXPECT_EQ(summary.problems, 1u) << output;
  EXPECT_EQ(summary.tables, 1u);  // the intact one
  EXPECT_NE(output.find("problem: " + tables_[1] + ": "), std::string::npos) << output;
  EXPECT_NE(output.find("offset 0"), std::string::npos) << output;
  EXPECT_NE(output.find(" end=corrupt\n"), std::string::npos) << output;
}

TEST_F(DbCheckerTest, TruncatedTableIsAProblemNamingIt) {
  MakeDb(0);
  const std::string bytes = test::ReadFile(tables_[0]);
  WriteFile(tables_[0], bytes.substr(0, bytes.size() - 10));
  DbCheckSummary summary;
  std::string output;
  Status s = Check(dir_.path(), &summary, &output);
  ASSERT_TRUE(s.IsCorruption()) << s.ToString();
  EXPECT_NE(output.find("problem: " + tables_[0] + ": has " + std::to_string(bytes.size() - 10) +
                        " bytes, the MANIFEST says " + std::to_string(bytes.size())),
            std::string::npos)
      << output;
}

TEST_F(DbCheckerTest, MissingTableIsAProblemNamingIt) {
  MakeDb(0);
  fs::remove(tables_[0]);
  DbCheckSummary summary;
  std::string output;
  Status s = Check(dir_.path(), &summary, &output);
  ASSERT_TRUE(s.IsCorruption()) << s.ToString();
  EXPECT_NE(output.find("problem: " + tables_[0] + ": missing"), std::string::npos) << output;
}

TEST_F(DbCheckerTest, DamagedManifestIsAProblemNamingIt) {
  MakeDb(0);
  const auto manifests = FilesStartingWith(dir_.path(), "MANIFEST-");
  ASSERT_EQ(manifests.size(), 1u);
  // Past the 31-byte header record: inside the first edit, which later edits follow.
  FlipByte(manifests[0], 40);
  DbCheckSummary summary;
  std::string output;
  Status s = Check(dir_.path(), &summary, &output);
  ASSERT_TRUE(s.IsCorruption()) << s.ToString();
  EXPECT_NE(s.ToString().find(manifests[0]), std::string::npos) << s.ToString();
  EXPECT_NE(output.find("problem: " + manifests[0] + ": "), std::string::npos) << output;
}

TEST_F(DbCheckerTest, DamagedCurrentIsAProblemNamingIt) {
  MakeDb(0);
  WriteFile(dir_.File("CURRENT"), "garbage\n");
  DbCheckSummary summary;
  std::string output;
  Status s = Check(dir_.path(), &summary, &output);
  ASSERT_TRUE(s.IsCorruption()) << s.ToString();
  EXPECT_NE(output.find("problem: " + dir_.File("CURRENT") + ": "), std::string::npos) << output;
}

TEST_F(DbCheckerTest, TornTailOfNewestLogIsAWarningNotAProblem) {
  MakeDb(50);
  const auto logs = FilesEndingIn(dir_.path(), ".log");
  ASSERT_FALSE(logs.empty());
  const std::string bytes = test::ReadFile(logs.back());
  // Less than the last record (a 30-byte delete): the file now ends inside it.
  WriteFile(logs.back(), bytes.substr(0, bytes.size() - 10));
  DbCheckSummary summary;
  std::string output;
  Status s = Check(dir_.path(), &summary, &output);
  ASSERT_TRUE(s.ok()) << s.ToString() << "\n" << output;
  EXPECT_EQ(summary.warnings, 1u);
  EXPECT_NE(output.find("warning: " + logs.back() + ": torn tail at offset "), std::string::npos)
      << output;
  EXPECT_NE(output.find(" batches=50 updates=50 "), std::string::npos) << output;
}

TEST_F(DbCheckerTest, DamagedLogRecordIsAProblem) {
  // More than one 32 KiB log block: damage in the first block is followed by valid records,
  // so it cannot be a torn tail. (Damage inside the last block looks exactly like one.)
  MakeDb(400);
  const auto logs = FilesEndingIn(dir_.path(), ".log");
  ASSERT_FALSE(logs.empty());
  // Inside an early record, with valid records after it: not a torn tail.
  FlipByte(logs.back(), 60);
  DbCheckSummary summary;
  std::string output;
  Status s = Check(dir_.path(), &summary, &output);
  ASSERT_TRUE(s.IsCorruption()) << s.ToString() << "\n" << output;
  EXPECT_NE(output.find("problem: " + logs.back() + ": offset "), std::string::npos) << output;
}

TEST_F(DbCheckerTest, OrphansAreNotesNotProblems) {
  MakeDb(0);
  fs::copy_file(tables_[0], dir_.File("000999.sst"));
  WriteFile(dir_.File("README"), "not ours");
  DbCheckSummary summary;
  std::string output;
  Status s = Check(dir_.path(), &summary, &output);
  ASSERT_TRUE(s.ok()) << s.ToString() << "\n" << output;
  EXPECT_EQ(summary.notes, 2u) << output;
  EXPECT_NE(output.find("note: " + dir_.File("000999.sst") + ": table not referenced"),
            std::string::npos)
      << output;
  EXPECT_NE(output.find("note: " + dir_.File("README") + ": not a Strata file"), std::string::npos)
      << output;
}

TEST(DbCheckerNotADbTest, EmptyOrMissingDirectoryIsAClearError) {
  strata::test::TempDir dir;
  DbCheckSummary summary;
  std::string output;
  Status s = Check(dir.path(), &summary, &output);
  ASSERT_TRUE(s.IsInvalidArgument()) << s.ToString();
  EXPECT_NE(s.ToString().find("is not a Strata DB"), std::string::npos) << s.ToString();
  EXPECT_NE(s.ToString().find(dir.path()), std::string::npos) << s.ToString();

  s = Check(dir.File("nope"), &summary, &output);
  ASSERT_TRUE(s.IsInvalidArgument()) << s.ToString();
  EXPECT_NE(s.ToString().find("nope"), std::string::npos) << s.ToString();
  // Nothing was created.
  EXPECT_FALSE(fs::exists(dir.File("nope")));
  EXPECT_TRUE(fs::is_empty(dir.path()));
}

}  // namespace
}  // namespace strata
