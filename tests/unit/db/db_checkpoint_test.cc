// DB::CreateCheckpoint: what a checkpoint holds. Each test keeps its own std::map of the
// acknowledged writes and compares the opened checkpoint with it: data only in the memtable,
// only in SSTables, in both with deletions; the source and the checkpoint go on
// independently; bad directories are refused. Concurrent work is in
// db_checkpoint_concurrency_test.cc, faults and crashes in db_checkpoint_crash_test.cc.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <map>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "db/filename.h"
#include "strata/db.h"
#include "support/test_util.h"
#include "testing/mem_env.h"

namespace strata {
namespace {

using Model = std::map<std::string, std::string>;

Model Scan(DB* db) {
  Model m;
  auto it = db->NewIterator(ReadOptions());
  for (it->SeekToFirst(); it->Valid(); it->Next()) m[it->key().ToString()] = it->value().ToString();
  EXPECT_TRUE(it->status().ok()) << it->status().ToString();
  return m;
}

std::string Property(DB* db, const std::string& name) {
  std::string value;
  EXPECT_TRUE(db->GetProperty(name, &value)) << name;
  return value;
}

// Files of a DB directory, counted by type.
std::map<FileType, int> FileTypes(Env* env, const std::string& dir) {
  std::vector<std::string> names;
  EXPECT_TRUE(env->GetChildren(dir, &names).ok()) << dir;
  std::map<FileType, int> count;
  for (const std::string& name : names) {
    uint64_t number;
    FileType type;
    EXPECT_TRUE(ParseFileName(name, &number, &type)) << dir << " holds " << name;
    count[type]++;
  }
  return count;
}

class DBCheckpointTest : public ::testing::Test {
 protected:
  void SetUp() override {
    options_.env = &env_;
    options_.create_if_missing = true;
    ASSERT_TRUE(DB::Open(options_, "/db", &db_).ok());
  }
  void TearDown() override { db_.reset(); }

  void Put(const std::string& k, const std::string& v) {
    ASSERT_TRUE(db_->Put(WriteOptions(), k, v).ok());
    model_[k] = v;
  }
  void Delete(const std::string& k) {
    ASSERT_TRUE(db_->Delete(WriteOptions(), k).ok());
    model_.erase(k);
  }

  // Opens the checkpoint in dir and checks it against want, by scan and by Get.
  void ExpectCheckpoint(const std::string& dir, const Model& want) {
    std::unique_ptr<DB> cp;
    Status s = DB::Open(options_, dir, &cp);
    ASSERT_TRUE(s.ok()) << dir << ": " << s.ToString();
    EXPECT_EQ(Scan(cp.get()), want) << dir;
    for (const auto& [k, v] : want) {
      std::string got;
      ASSERT_TRUE(cp->Get(ReadOptions(), k, &got).ok()) << dir << " " << k;
      EXPECT_EQ(got, v) << dir << " " << k;
    }
  }

  testing::MemEnv env_;
  Options options_;
  std::unique_ptr<DB> db_;
  Model model_;  // every acknowledged write to db_
};

TEST_F(DBCheckpointTest, DataOnlyInTheMemtable) {
  for (int i = 0; i < 300; i++) Put("key" + std::to_string(i), "value" + std::to_string(i));
  for (int i = 0; i < 300; i += 7) Delete("key" + std::to_string(i));
  Put("key14", "back after its deletion");
  ASSERT_EQ(Property(db_.get(), "strata.num-files-at-level0"), "0");  // nothing flushed

  ASSERT_TRUE(db_->CreateCheckpoint("/cp").ok());
  // The memtable's writes are in one new table; there is no log to replay.
  const auto types = FileTypes(&env_, "/cp");
  EXPECT_EQ(types.count(FileType::kLog), 0u);
  EXPECT_EQ(types.at(FileType::kTable), 1);
  EXPECT_EQ(types.at(FileType::kManifest), 1);
  EXPECT_EQ(types.at(FileType::kCurrent), 1);
  EXPECT_FALSE(env_.FileExists("/cp.tmp"));
  ExpectCheckpoint("/cp", model_);
}

TEST_F(DBCheckpointTest, DataOnlyInTables) {
  for (int i = 0; i < 200; i++) Put("a" + std::to_string(i), std::string(100, 'x'));
  ASSERT_TRUE(db_->Flush().ok());
  ASSERT_TRUE(db_->CompactRange(nullptr, nullptr).ok());
  for (int i = 0; i < 200; i += 3) Delete("a" + std::to_string(i));
  for (int i = 0; i < 50; i++) Put("b" + std::to_string(i), "y");
  ASSERT_TRUE(db_->Flush().ok());
  // A small DB lives in level 0 and the last level (dynamic level sizing).
  const int l0 = std::stoi(Property(db_.get(), "strata.num-files-at-level0"));
  const int l6 = std::stoi(Property(db_.get(), "strata.num-files-at-level6"));
  ASSERT_GE(l0, 1);
  ASSERT_GE(l6, 1);

  ASSERT_TRUE(db_->CreateCheckpoint("/cp").ok());
  // Exactly the live tables, no table for the (empty) memtable.
  EXPECT_EQ(FileTypes(&env_, "/cp").at(FileType::kTable), l0 + l6);
  ExpectCheckpoint("/cp", model_);
}

// Random puts, deletes and batches over a small key space, with flushes, compactions,
// immutable memtables waiting and a snapshot held now and then; checkpoints along the way,
// each compared at the end with the model at its moment.
void RandomWorkloadWithCheckpoints(uint64_t seed) {
  testing::MemEnv env;
  Options options;
  options.env = &env;
  options.create_if_missing = true;
  options.write_buffer_size = 8 * 1024;
  options.max_write_buffer_number = 4;
  std::unique_ptr<DB> db;
  ASSERT_TRUE(DB::Open(options, "/db", &db).ok());
  std::mt19937_64 rng(seed);
  Model model;
  std::vector<Model> at_checkpoint;
  const Snapshot* snapshot = nullptr;
  for (int i = 0; i < 3000; i++) {
    const int op = static_cast<int>(rng() % 100);
    const std::string key = "k" + std::to_string(rng() % 150);
    if (op < 55) {
      const std::string value = strata::test::RandomBytes(rng(), rng() % 200);
      ASSERT_TRUE(db->Put(WriteOptions(), key, value).ok());
      model[key] = value;
    } else if (op < 80) {
      ASSERT_TRUE(db->Delete(WriteOptions(), key).ok());
      model.erase(key);
    } else if (op < 90) {
      WriteBatch batch;
      for (int j = 0; j < 5; j++) {
        const std::string k = "k" + std::to_string(rng() % 150);
        if (rng() % 2) {
          batch.Delete(k);
          model.erase(k);
        } else {
          batch.Put(k, "batch" + std::to_string(i));
          model[k] = "batch" + std::to_string(i);
        }
      }
      ASSERT_TRUE(db->Write(WriteOptions(), &batch).ok());
    } else if (op < 93) {
      ASSERT_TRUE(db->Flush().ok());
    } else if (op < 95) {
      ASSERT_TRUE(db->CompactRange(nullptr, nullptr).ok());
    } else if (op < 97) {
      if (snapshot != nullptr) db->ReleaseSnapshot(snapshot);
      snapshot = rng() % 2 ? db->GetSnapshot() : nullptr;
    } else {
      const std::string dir = "/cp" + std::to_string(at_checkpoint.size());
      Status s = db->CreateCheckpoint(dir);
      ASSERT_TRUE(s.ok()) << dir << ": " << s.ToString();
      at_checkpoint.push_back(model);
    }
  }
  if (snapshot != nullptr) db->ReleaseSnapshot(snapshot);
  ASSERT_EQ(Scan(db.get()), model);
  db.reset();
  ASSERT_FALSE(at_checkpoint.empty());
  for (size_t i = 0; i < at_checkpoint.size(); i++) {
    const std::string dir = "/cp" + std::to_string(i);
    std::unique_ptr<DB> cp;
    Status s = DB::Open(options, dir, &cp);
    ASSERT_TRUE(s.ok()) << dir << ": " << s.ToString();
    ASSERT_EQ(Scan(cp.get()), at_checkpoint[i]) << dir;
    // Get searches level 0 by file number, not by sequence: it must find the newest too.
    for (int k = 0; k < 150; k++) {
      const std::string key = "k" + std::to_string(k);
      std::string got;
      s = cp->Get(ReadOptions(), key, &got);
      auto it = at_checkpoint[i].find(key);
      if (it == at_checkpoint[i].end()) {
        ASSERT_TRUE(s.IsNotFound()) << dir << " " << key << ": " << s.ToString();
      } else {
        ASSERT_TRUE(s.ok()) << dir << " " << key << ": " << s.ToString();
        ASSERT_EQ(got, it->second) << dir << " " << key;
      }
    }
  }
}

TEST(DBCheckpointModel, MemtablesTablesAndDeletionsMatchTheModelAtEachCheckpoint) {
  const int seeds = strata::test::Iterations(6, 60);
  for (int seed = 1; seed <= seeds; seed++) {
    SCOPED_TRACE(seed);
    RandomWorkloadWithCheckpoints(seed);
    if (HasFatalFailure()) return;
  }
}

// On the real file system: the checkpoint's tables are links to the source's, and each DB
// goes on (writes, deletes, flushes, compactions that delete its tables) without the other
// noticing, before and after both are reopened.
TEST(DBCheckpointIndependence, SourceAndCheckpointGoOnSeparately) {
  strata::test::TempDir tmp;
  Options options;
  options.create_if_missing = true;
  options.write_buffer_size = 16 * 1024;
  const std::string src_dir = tmp.File("db");
  const std::string cp_dir = tmp.File("cp");
  std::unique_ptr<DB> src;
  ASSERT_TRUE(DB::Open(options, src_dir, &src).ok());
  Model src_model;
  for (int i = 0; i < 400; i++) {
    const std::string k = "key" + std::to_string(i);
    ASSERT_TRUE(src->Put(WriteOptions(), k, std::string(60, 'a' + i % 26)).ok());
    src_model[k] = std::string(60, 'a' + i % 26);
  }
  // Waits for every flush and compaction: the source's tables stay put while listed below.
  ASSERT_TRUE(src->CompactRange(nullptr, nullptr).ok());
  ASSERT_TRUE(src->Put(WriteOptions(), "memtable-only", "m").ok());
  src_model["memtable-only"] = "m";

  ASSERT_TRUE(src->CreateCheckpoint(cp_dir).ok());
  Model cp_model = src_model;

  // Hard links: the checkpoint's copy of a live table is the source's inode.
  std::vector<std::string> names;
  ASSERT_TRUE(Env::Default()->GetChildren(src_dir, &names).ok());
  int linked = 0;
  for (const std::string& name : names) {
    uint64_t number;
    FileType type;
    if (!ParseFileName(name, &number, &type) || type != FileType::kTable) continue;
    struct stat a;
    struct stat b;
    ASSERT_EQ(::stat((src_dir + "/" + name).c_str(), &a), 0) << name;
    ASSERT_EQ(::stat((cp_dir + "/" + name).c_str(), &b), 0) << name << " not in the checkpoint";
    EXPECT_EQ(a.st_ino, b.st_ino) << name;
    linked++;
  }
  EXPECT_GT(linked, 0);

  std::unique_ptr<DB> cp;
  ASSERT_TRUE(DB::Open(options, cp_dir, &cp).ok());
  ASSERT_EQ(Scan(cp.get()), cp_model);
  // Both change the same keys differently, and compact away the tables they share.
  for (int i = 0; i < 400; i += 2) {
    const std::string k = "key" + std::to_string(i);
    ASSERT_TRUE(src->Put(WriteOptions(), k, "source").ok());
    src_model[k] = "source";
    ASSERT_TRUE(cp->Delete(WriteOptions(), k).ok());
    cp_model.erase(k);
  }
  ASSERT_TRUE(src->Delete(WriteOptions(), "memtable-only").ok());
  src_model.erase("memtable-only");
  ASSERT_TRUE(cp->Put(WriteOptions(), "checkpoint-only", "c").ok());
  cp_model["checkpoint-only"] = "c";
  ASSERT_TRUE(src->CompactRange(nullptr, nullptr).ok());
  ASSERT_TRUE(cp->CompactRange(nullptr, nullptr).ok());
  EXPECT_EQ(Scan(src.get()), src_model);
  EXPECT_EQ(Scan(cp.get()), cp_model);

  src.reset();
  cp.reset();
  ASSERT_TRUE(DB::Open(options, src_dir, &src).ok());
  ASSERT_TRUE(DB::Open(options, cp_dir, &cp).ok());
  EXPECT_EQ(Scan(src.get()), src_model);
  EXPECT_EQ(Scan(cp.get()), cp_model);
}

TEST_F(DBCheckpointTest, RefusesAnExistingDirectoryOrAMissingParent) {
  Put("k", "v");
  ASSERT_TRUE(env_.CreateDirIfMissing("/exists").ok());
  Status s = db_->CreateCheckpoint("/exists");
  EXPECT_TRUE(s.IsInvalidArgument()) << s.ToString();
  EXPECT_NE(s.ToString().find("/exists"), std::string::npos) << s.ToString();
  EXPECT_TRUE(db_->CreateCheckpoint("/db").IsInvalidArgument());  // the DB itself
  std::unique_ptr<WritableFile> file;
  ASSERT_TRUE(env_.NewWritableFile("/a-file", {}, &file).ok());
  ASSERT_TRUE(file->Close().ok());
  EXPECT_TRUE(db_->CreateCheckpoint("/a-file").IsInvalidArgument());
  s = db_->CreateCheckpoint("/no/such/parent/cp");
  EXPECT_TRUE(s.IsInvalidArgument()) << s.ToString();
  EXPECT_NE(s.ToString().find("/no/such/parent"), std::string::npos) << s.ToString();
  EXPECT_TRUE(db_->CreateCheckpoint("").IsInvalidArgument());
  // Nothing was made, not even a temporary directory.
  EXPECT_FALSE(env_.FileExists("/exists.tmp"));
  EXPECT_FALSE(env_.FileExists("/db.tmp"));
  std::vector<std::string> names;
  ASSERT_TRUE(env_.GetChildren("/exists", &names).ok());
  EXPECT_TRUE(names.empty());

  // A trailing slash names the same directory.
  ASSERT_TRUE(db_->CreateCheckpoint("/cp/").ok());
  EXPECT_FALSE(env_.FileExists("/cp/.tmp"));
  ExpectCheckpoint("/cp", model_);
  // The source was never disturbed.
  Put("k2", "v2");
  EXPECT_EQ(Scan(db_.get()), model_);
}

TEST_F(DBCheckpointTest, LeftoverTemporaryDirectoryIsReplaced) {
  Put("k", "v");
  ASSERT_TRUE(db_->Flush().ok());
  Put("k2", "v2");
  // What a crashed attempt can leave: a partial table, MANIFEST and CURRENT.
  ASSERT_TRUE(env_.CreateDirIfMissing("/cp.tmp").ok());
  for (const char* name : {"000005.sst", "MANIFEST-000006", "CURRENT"}) {
    std::unique_ptr<WritableFile> file;
    ASSERT_TRUE(env_.NewWritableFile(std::string("/cp.tmp/") + name, {}, &file).ok());
    ASSERT_TRUE(file->Append("half-written").ok());
    ASSERT_TRUE(file->Close().ok());
  }
  Status s = db_->CreateCheckpoint("/cp");
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_FALSE(env_.FileExists("/cp.tmp"));
  ExpectCheckpoint("/cp", model_);
}

TEST_F(DBCheckpointTest, TemporaryNameHoldingOtherFilesIsLeftAlone) {
  Put("k", "v");
  ASSERT_TRUE(env_.CreateDirIfMissing("/cp.tmp").ok());
  std::unique_ptr<WritableFile> file;
  ASSERT_TRUE(env_.NewWritableFile("/cp.tmp/notes.txt", {}, &file).ok());
  ASSERT_TRUE(file->Append("mine").ok());
  ASSERT_TRUE(file->Close().ok());
  Status s = db_->CreateCheckpoint("/cp");
  EXPECT_TRUE(s.IsInvalidArgument()) << s.ToString();
  EXPECT_NE(s.ToString().find("notes.txt"), std::string::npos) << s.ToString();
  EXPECT_TRUE(env_.FileExists("/cp.tmp/notes.txt"));
  EXPECT_FALSE(env_.FileExists("/cp"));
}

}  // namespace
}  // namespace strata
