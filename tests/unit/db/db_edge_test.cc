// Edge cases: empty DB, empty keys and values, 64 MiB values, keys at block boundaries,
// iterators kept open across flushes and compactions, properties.
#include <gtest/gtest.h>

#include <map>

#include "strata/db.h"
#include "support/test_util.h"
#include "testing/mem_env.h"

namespace strata {
namespace {

struct Fixture {
  testing::MemEnv env;
  Options options;
  std::unique_ptr<DB> db;
  Fixture() {
    options.env = &env;
    options.create_if_missing = true;
    EXPECT_TRUE(DB::Open(options, "/db", &db).ok());
  }
  void Reopen() {
    db.reset();
    ASSERT_TRUE(DB::Open(options, "/db", &db).ok());
  }
  std::string Get(const std::string& k) {
    std::string v;
    Status s = db->Get(ReadOptions(), k, &v);
    return s.ok() ? v : s.IsNotFound() ? "NOT_FOUND" : s.ToString();
  }
};

TEST(DBEdge, EmptyDB) {
  Fixture f;
  EXPECT_EQ(f.Get("anything"), "NOT_FOUND");
  auto it = f.db->NewIterator(ReadOptions());
  it->SeekToFirst();
  EXPECT_FALSE(it->Valid());
  it->SeekToLast();
  EXPECT_FALSE(it->Valid());
  it->Seek("a");
  EXPECT_FALSE(it->Valid());
  EXPECT_TRUE(it->status().ok());
  it.reset();
  ASSERT_TRUE(f.db->Flush().ok());
  ASSERT_TRUE(f.db->CompactRange(nullptr, nullptr).ok());
  f.Reopen();
  EXPECT_EQ(f.Get("anything"), "NOT_FOUND");
}

TEST(DBEdge, EmptyKeyAndValue) {
  Fixture f;
  ASSERT_TRUE(f.db->Put(WriteOptions(), "", "").ok());
  ASSERT_TRUE(f.db->Put(WriteOptions(), "k", "").ok());
  EXPECT_EQ(f.Get(""), "");
  ASSERT_TRUE(f.db->Flush().ok());
  EXPECT_EQ(f.Get(""), "");
  EXPECT_EQ(f.Get("k"), "");
  auto it = f.db->NewIterator(ReadOptions());
  it->SeekToFirst();
  ASSERT_TRUE(it->Valid());
  EXPECT_EQ(it->key().ToString(), "");
  ASSERT_TRUE(f.db->Delete(WriteOptions(), "").ok());
  EXPECT_EQ(f.Get(""), "NOT_FOUND");
}

TEST(DBEdge, SixtyFourMiBValues) {
  strata::test::TempDir dir;
  Options options;
  options.create_if_missing = true;
  std::unique_ptr<DB> db;
  ASSERT_TRUE(DB::Open(options, dir.File("db"), &db).ok());
  const std::string big = strata::test::RandomBytes(64, size_t{64} << 20);
  ASSERT_TRUE(db->Put(WriteOptions(), "big", big).ok());
  ASSERT_TRUE(db->Put(WriteOptions(), "small", "x").ok());
  std::string v;
  ASSERT_TRUE(db->Get(ReadOptions(), "big", &v).ok());
  EXPECT_TRUE(v == big);
  ASSERT_TRUE(db->Flush().ok());
  ASSERT_TRUE(db->Get(ReadOptions(), "big", &v).ok());
  EXPECT_TRUE(v == big);
  db.reset();
  ASSERT_TRUE(DB::Open(options, dir.File("db"), &db).ok());
  ASSERT_TRUE(db->Get(ReadOptions(), "big", &v).ok());
  EXPECT_TRUE(v == big);
  // And from the WAL alone: a second big value that is never flushed before reopening.
  ASSERT_TRUE(db->Put(WriteOptions(), "big2", big).ok());
  db.reset();
  ASSERT_TRUE(DB::Open(options, dir.File("db"), &db).ok());
  ASSERT_TRUE(db->Get(ReadOptions(), "big2", &v).ok());
  EXPECT_TRUE(v == big);
}

TEST(DBEdge, KeysAtBlockBoundaries) {
  Fixture f;
  f.options.block_size = 4096;
  f.Reopen();
  // Entries sized so that blocks fill up exactly and keys straddle every boundary position.
  std::map<std::string, std::string> model;
  for (int i = 0; i < 4000; i++) {
    const std::string k = "k" + std::string(static_cast<size_t>(i % 37), 'p') + std::to_string(i);
    const std::string v(static_cast<size_t>(4096 - 7 - k.size() - (i % 64)), 'v');
    ASSERT_TRUE(f.db->Put(WriteOptions(), k, v).ok());
    model[k] = v;
  }
  ASSERT_TRUE(f.db->Flush().ok());
  for (const auto& [k, v] : model) ASSERT_EQ(f.Get(k), v) << k;
  auto it = f.db->NewIterator(ReadOptions());
  auto m = model.rbegin();
  for (it->SeekToLast(); it->Valid(); it->Prev(), ++m) {
    ASSERT_NE(m, model.rend());
    ASSERT_EQ(it->key().ToString(), m->first);
  }
  EXPECT_EQ(m, model.rend());
}

TEST(DBEdge, IteratorsSurviveFlushesAndCompactions) {
  Fixture f;
  for (int i = 0; i < 500; i++) {
    ASSERT_TRUE(f.db->Put(WriteOptions(), "a" + std::to_string(i), "old").ok());
  }
  ASSERT_TRUE(f.db->Flush().ok());
  auto it = f.db->NewIterator(ReadOptions());  // sees 500 keys with "old"
  // Rewrite everything, flush several times and compact: the files the iterator reads
  // become obsolete, but must stay until it is gone.
  for (int round = 0; round < 6; round++) {
    for (int i = 0; i < 500; i++) {
      ASSERT_TRUE(
          f.db->Put(WriteOptions(), "a" + std::to_string(i), "new" + std::to_string(round)).ok());
    }
    ASSERT_TRUE(f.db->Flush().ok());
  }
  ASSERT_TRUE(f.db->CompactRange(nullptr, nullptr).ok());
  int n = 0;
  for (it->SeekToFirst(); it->Valid(); it->Next(), n++) ASSERT_EQ(it->value().ToString(), "old");
  EXPECT_TRUE(it->status().ok()) << it->status().ToString();
  EXPECT_EQ(n, 500);
  it.reset();
  EXPECT_EQ(f.Get("a7"), "new5");
}

TEST(DBEdge, Properties) {
  Fixture f;
  for (int i = 0; i < 100; i++) ASSERT_TRUE(f.db->Put(WriteOptions(), std::to_string(i), "v").ok());
  ASSERT_TRUE(f.db->Flush().ok());
  std::string v;
  ASSERT_TRUE(f.db->GetProperty("strata.num-files-at-level0", &v));
  EXPECT_EQ(v, "1");
  ASSERT_TRUE(f.db->GetProperty("strata.total-sst-bytes", &v));
  EXPECT_GT(std::stoull(v), 0u);
  ASSERT_TRUE(f.db->GetProperty("strata.approximate-memory-usage", &v));
  ASSERT_TRUE(f.db->GetProperty("strata.stats", &v));
  EXPECT_NE(v.find("L0"), std::string::npos);
  ASSERT_TRUE(f.db->GetProperty("strata.num-immutable-mem-table", &v));
  EXPECT_EQ(v, "0");  // Flush() waited for it
  EXPECT_FALSE(f.db->GetProperty("strata.no-such-property", &v));
  EXPECT_FALSE(f.db->GetProperty("strata.num-files-at-level9", &v));
  ASSERT_TRUE(f.db->CompactRange(nullptr, nullptr).ok());
  ASSERT_TRUE(f.db->GetProperty("strata.num-files-at-level0", &v));
  EXPECT_EQ(v, "0");
  // A small DB lives in the last level: dynamic level sizing makes it the base level.
  ASSERT_TRUE(f.db->GetProperty("strata.num-files-at-level6", &v));
  EXPECT_EQ(v, "1");
  ASSERT_TRUE(f.db->GetProperty("strata.base-level", &v));
  EXPECT_EQ(v, "6");
}

int CountTables(Env* env, const std::string& dir) {
  std::vector<std::string> names;
  EXPECT_TRUE(env->GetChildren(dir, &names).ok());
  int n = 0;
  for (const std::string& name : names)
    n += name.size() > 4 && name.substr(name.size() - 4) == ".sst";
  return n;
}

TEST(DBEdge, CompactionLeavesOnlyLiveTables) {
  Fixture f;
  for (int round = 0; round < 6; round++) {
    for (int i = 0; i < 200; i++) {
      ASSERT_TRUE(f.db->Put(WriteOptions(), "k" + std::to_string(i), std::to_string(round)).ok());
    }
    ASSERT_TRUE(f.db->Flush().ok());
  }
  ASSERT_TRUE(f.db->CompactRange(nullptr, nullptr).ok());
  int live = 0;
  for (int level = 0; level < 7; level++) {
    std::string n;
    ASSERT_TRUE(f.db->GetProperty("strata.num-files-at-level" + std::to_string(level), &n));
    live += std::stoi(n);
  }
  EXPECT_EQ(live, 1);
  EXPECT_EQ(CountTables(&f.env, "/db"), live)
      << "obsolete tables left on disk after the compaction";
}

TEST(DBEdge, FlushDropsShadowedVersionsButKeepsWhatSnapshotsSee) {
  Fixture f;
  ASSERT_TRUE(f.db->Put(WriteOptions(), "k", "first").ok());
  const Snapshot* snap = f.db->GetSnapshot();
  for (int i = 0; i < 2000; i++) {
    ASSERT_TRUE(
        f.db->Put(WriteOptions(), "k", std::string(100, static_cast<char>('a' + i % 26))).ok());
  }
  ASSERT_TRUE(f.db->Flush().ok());
  std::string bytes;
  ASSERT_TRUE(f.db->GetProperty("strata.total-sst-bytes", &bytes));
  // Two versions survive (the newest, and the one the snapshot sees), not 2001.
  EXPECT_LT(std::stoull(bytes), 4096u) << "shadowed versions were flushed";
  ReadOptions ro;
  ro.snapshot = snap;
  std::string v;
  ASSERT_TRUE(f.db->Get(ro, "k", &v).ok());
  EXPECT_EQ(v, "first");
  f.db->ReleaseSnapshot(snap);
  ASSERT_TRUE(f.db->Get(ReadOptions(), "k", &v).ok());
  EXPECT_EQ(v, std::string(100, static_cast<char>('a' + 1999 % 26)));
}

TEST(DBEdge, DestroyDB) {
  strata::test::TempDir dir;
  Options options;
  options.create_if_missing = true;
  {
    std::unique_ptr<DB> db;
    ASSERT_TRUE(DB::Open(options, dir.File("db"), &db).ok());
    ASSERT_TRUE(db->Put(WriteOptions(), "k", "v").ok());
    ASSERT_TRUE(db->Flush().ok());
  }
  ASSERT_TRUE(DestroyDB(dir.File("db"), options).ok());
  EXPECT_FALSE(Env::Default()->FileExists(dir.File("db")));
}

}  // namespace
}  // namespace strata
