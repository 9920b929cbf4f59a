// Leveled compaction as a whole DB does it: data spreads over levels with dynamic targets,
// space amplification stays low, deletions disappear, versions every reader sees lose
// their sequence at the bottom, sequential loads move files without rewriting them, and
// writes stall (never fail) when level 0 falls behind.
#include <gtest/gtest.h>

#include <chrono>
#include <map>
#include <memory>
#include <random>
#include <regex>
#include <string>
#include <thread>

#include "db/db_checker.h"
#include "memtable/internal_key.h"
#include "sst/table_reader.h"
#include "strata/db.h"
#include "support/test_util.h"
#include "testing/mem_env.h"

namespace strata {
namespace {

std::string Property(DB* db, const std::string& name) {
  std::string v;
  EXPECT_TRUE(db->GetProperty(name, &v)) << name;
  return v;
}

uint64_t LevelFiles(DB* db, int level) {
  return std::stoull(Property(db, "strata.num-files-at-level" + std::to_string(level)));
}

// Waits until no flush or compaction is due or running.
void WaitForCompactions(DB* db) {
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(120);
  while (Property(db, "strata.compaction-pending") != "0") {
    ASSERT_LT(std::chrono::steady_clock::now(), give_up) << "compactions never settled";
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

// The number after `label` in strata.stats, e.g. "(3 trivial moves)" -> 3.
uint64_t StatsNumber(DB* db, const std::string& pattern) {
  const std::string stats = Property(db, "strata.stats");
  std::smatch m;
  EXPECT_TRUE(std::regex_search(stats, m, std::regex(pattern))) << pattern << " in\n" << stats;
  return m.empty() ? 0 : std::stoull(m[1]);
}

struct Fixture {
  Fixture() {
    options.env = &env;
    options.create_if_missing = true;
    options.compression = Compression::kNone;
    options.write_buffer_size = 64 << 10;
    options.target_file_size = 32 << 10;
    options.max_bytes_for_level_base = 128 << 10;
    options.max_bytes_for_level_multiplier = 10;
    Reopen();
  }
  void Reopen() {
    db.reset();
    Status s = DB::Open(options, "/db", &db);
    EXPECT_TRUE(s.ok()) << s.ToString();
  }
  testing::MemEnv env;
  Options options;
  std::unique_ptr<DB> db;
};

std::string KeyOf(uint64_t i) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "key%012llu", static_cast<unsigned long long>(i));
  return buf;
}

TEST(DBCompaction, SpreadsOverLevelsWithLowSpaceAmplification) {
  Fixture f;
  std::mt19937_64 rng(7);
  std::map<std::string, std::string> model;
  // About 6 MB written over 20,000 keys: several levels below a 128 KiB base.
  for (int i = 0; i < 60000; i++) {
    const std::string k = KeyOf(rng() % 20000);
    const std::string v = test::RandomBytes(rng(), 100);
    ASSERT_TRUE(f.db->Put(WriteOptions(), k, v).ok());
    model[k] = v;
  }
  ASSERT_TRUE(f.db->Flush().ok());
  WaitForCompactions(f.db.get());

  const int base = std::stoi(Property(f.db.get(), "strata.base-level"));
  EXPECT_LT(base, 6) << "the data should have outgrown a single level";
  int nonempty = 0;
  for (int level = 1; level < 7; level++) {
    if (level < base) {
      EXPECT_EQ(LevelFiles(f.db.get(), level), 0u) << "level " << level;
    }
    nonempty += LevelFiles(f.db.get(), level) > 0 ? 1 : 0;
  }
  EXPECT_GE(nonempty, 2);
  // Settled: every level within its target, so the levels above the last hold at most
  // 1/10 + 1/100 + ... of it.
  const std::string stats = Property(f.db.get(), "strata.stats");
  std::smatch m;
  double upper = 0;
  double last = 0;
  for (int level = 1; level < 7; level++) {
    ASSERT_TRUE(std::regex_search(stats, m,
                                  std::regex("L" + std::to_string(level) + " +[0-9]+ +([0-9.]+)")));
    (level == 6 ? last : upper) += std::stod(m[1]);
  }
  ASSERT_GT(last, 0);
  EXPECT_LE((upper + last) / last, 1.12) << stats;

  auto it = f.db->NewIterator(ReadOptions());
  auto expected = model.begin();
  for (it->SeekToFirst(); it->Valid(); it->Next(), ++expected) {
    ASSERT_NE(expected, model.end());
    ASSERT_EQ(it->key().ToString(), expected->first);
    ASSERT_EQ(it->value().ToString(), expected->second);
  }
  EXPECT_EQ(expected, model.end());
  EXPECT_TRUE(it->status().ok());
}

TEST(DBCompaction, FullCompactionDropsDeletedData) {
  Fixture f;
  for (int i = 0; i < 5000; i++) ASSERT_TRUE(f.db->Put(WriteOptions(), KeyOf(i), "value").ok());
  ASSERT_TRUE(f.db->CompactRange(nullptr, nullptr).ok());
  EXPECT_GT(std::stoull(Property(f.db.get(), "strata.total-sst-bytes")), 0u);
  for (int i = 0; i < 5000; i++) ASSERT_TRUE(f.db->Delete(WriteOptions(), KeyOf(i)).ok());
  ASSERT_TRUE(f.db->CompactRange(nullptr, nullptr).ok());
  EXPECT_EQ(Property(f.db.get(), "strata.total-sst-bytes"), "0");
  auto it = f.db->NewIterator(ReadOptions());
  it->SeekToFirst();
  EXPECT_FALSE(it->Valid());
}

TEST(DBCompaction, SnapshotKeepsDeletedDataThroughFullCompaction) {
  Fixture f;
  ASSERT_TRUE(f.db->Put(WriteOptions(), "k", "old").ok());
  ASSERT_TRUE(f.db->CompactRange(nullptr, nullptr).ok());
  const Snapshot* snap = f.db->GetSnapshot();
  ASSERT_TRUE(f.db->Delete(WriteOptions(), "k").ok());
  ASSERT_TRUE(f.db->CompactRange(nullptr, nullptr).ok());
  std::string v;
  EXPECT_TRUE(f.db->Get(ReadOptions(), "k", &v).IsNotFound());
  ReadOptions at_snap;
  at_snap.snapshot = snap;
  ASSERT_TRUE(f.db->Get(at_snap, "k", &v).ok());
  EXPECT_EQ(v, "old");
  f.db->ReleaseSnapshot(snap);
  ASSERT_TRUE(f.db->CompactRange(nullptr, nullptr).ok());
  EXPECT_EQ(Property(f.db.get(), "strata.total-sst-bytes"), "0");
}

TEST(DBCompaction, SequentialLoadMovesFilesWithoutRewritingThem) {
  Fixture f;
  for (int i = 0; i < 60000; i++) {
    ASSERT_TRUE(f.db->Put(WriteOptions(), KeyOf(i), std::string(100, 'v')).ok());
  }
  ASSERT_TRUE(f.db->Flush().ok());
  WaitForCompactions(f.db.get());
  EXPECT_GT(StatsNumber(f.db.get(), "\\(([0-9]+) trivial moves\\)"), 0u);
  std::string v;
  ASSERT_TRUE(f.db->Get(ReadOptions(), KeyOf(12345), &v).ok());
}

TEST(DBCompaction, WritesStallButNeverFailWhenLevelZeroFallsBehind) {
  Fixture f;
  f.options.level0_file_num_compaction_trigger = 2;
  f.options.level0_slowdown_writes_trigger = 3;
  f.options.level0_stop_writes_trigger = 4;
  f.options.write_buffer_size = 16 << 10;
  f.options.compaction_rate_limit_bytes_per_sec = 2 << 20;  // compactions lag behind
  f.Reopen();
  std::mt19937_64 rng(3);
  for (int i = 0; i < 20000; i++) {
    Status s = f.db->Put(WriteOptions(), KeyOf(rng() % 5000), std::string(100, 'x'));
    ASSERT_TRUE(s.ok()) << s.ToString();
    ASSERT_LE(LevelFiles(f.db.get(), 0), 4u + 1);  // the stop trigger holds (plus one flush)
  }
  EXPECT_GT(StatsNumber(f.db.get(), "stopped ([0-9]+) times") +
                StatsNumber(f.db.get(), "slowed ([0-9]+) writes"),
            0u);
}

TEST(DBCompaction, CloseDuringCompactionThenReopen) {
  Fixture f;
  std::mt19937_64 rng(11);
  std::map<std::string, std::string> model;
  for (int round = 0; round < 5; round++) {
    for (int i = 0; i < 8000; i++) {
      const std::string k = KeyOf(rng() % 30000);
      const std::string v = test::RandomBytes(rng(), 80);
      ASSERT_TRUE(f.db->Put(WriteOptions(), k, v).ok());
      model[k] = v;
    }
    f.Reopen();  // closes with compactions most likely running
  }
  WaitForCompactions(f.db.get());
  for (const auto& [k, v] : model) {
    std::string got;
    ASSERT_TRUE(f.db->Get(ReadOptions(), k, &got).ok()) << k;
    ASSERT_EQ(got, v);
  }
}

// user key -> sequences of its entries in the DB's tables, read straight from the files.
std::map<std::string, std::vector<memtable::SequenceNumber>> TableSequences(Env* env,
                                                                            const std::string& db) {
  std::map<std::string, std::vector<memtable::SequenceNumber>> found;
  std::vector<std::string> names;
  EXPECT_TRUE(env->GetChildren(db, &names).ok());
  const memtable::InternalKeyComparator icmp(BytewiseComparator());
  sst::TableOptions options;
  options.comparator = &icmp;
  options.user_key = [](const Slice& ikey) { return memtable::ExtractUserKey(ikey); };
  options.user_comparator = BytewiseComparator();
  for (const std::string& name : names) {
    if (name.size() < 4 || name.substr(name.size() - 4) != ".sst") continue;
    const std::string path = db + "/" + name;
    std::unique_ptr<RandomAccessFile> file;
    uint64_t size = 0;
    EXPECT_TRUE(env->GetFileSize(path, &size).ok());
    EXPECT_TRUE(env->NewRandomAccessFile(path, FileOptions(), &file).ok());
    auto opened = sst::TableReader::Open(options, path, std::move(file), size);
    EXPECT_TRUE(opened.ok()) << opened.status().ToString();
    if (!opened.ok()) continue;
    const std::unique_ptr<sst::TableReader>& table = *opened;
    auto it = table->NewIterator(sst::TableReadOptions());
    for (it->SeekToFirst(); it->Valid(); it->Next()) {
      memtable::ParsedInternalKey k;
      EXPECT_TRUE(memtable::ParseInternalKey(it->key(), &k));
      found[k.user_key.ToString()].push_back(k.sequence);
    }
    EXPECT_TRUE(it->status().ok());
  }
  return found;
}

std::string GetAt(DB* db, const Snapshot* snapshot, const std::string& key) {
  ReadOptions options;
  options.snapshot = snapshot;
  std::string v;
  Status s = db->Get(options, key, &v);
  return s.ok() ? v : s.ToString();
}

TEST(DBCompaction, BottomVersionsEveryReaderSeesLoseTheirSequence) {
  Fixture f;
  for (int i = 0; i < 100; i++) ASSERT_TRUE(f.db->Put(WriteOptions(), KeyOf(i), "v1").ok());
  const Snapshot* snap = f.db->GetSnapshot();
  for (int i = 0; i < 50; i++) ASSERT_TRUE(f.db->Put(WriteOptions(), KeyOf(i), "v2").ok());
  ASSERT_TRUE(f.db->CompactRange(nullptr, nullptr).ok());

  // Keys 0..49: v2 (newer than the snapshot) keeps its sequence; v1, which the snapshot
  // still reads, is the oldest version anywhere and is written with sequence zero, as is
  // v1 of keys 50..99.
  auto seqs = TableSequences(&f.env, "/db");
  ASSERT_EQ(seqs.size(), 100u);
  for (int i = 0; i < 100; i++) {
    const auto& s = seqs[KeyOf(i)];
    if (i < 50) {
      ASSERT_EQ(s.size(), 2u) << i;
      EXPECT_GT(s[0], 100u) << i;
      EXPECT_EQ(s[1], 0u) << i;
    } else {
      EXPECT_EQ(s, std::vector<memtable::SequenceNumber>{0}) << i;
    }
    EXPECT_EQ(GetAt(f.db.get(), snap, KeyOf(i)), "v1") << i;
    EXPECT_EQ(GetAt(f.db.get(), nullptr, KeyOf(i)), i < 50 ? "v2" : "v1") << i;
  }

  // Without the snapshot only v2 of keys 0..49 is left, now at sequence zero too.
  f.db->ReleaseSnapshot(snap);
  ASSERT_TRUE(f.db->CompactRange(nullptr, nullptr).ok());
  seqs = TableSequences(&f.env, "/db");
  for (int i = 0; i < 100; i++)
    EXPECT_EQ(seqs[KeyOf(i)], std::vector<memtable::SequenceNumber>{0}) << i;

  // Newer writes still win over sequence zero, in level 0 and after compaction, and the
  // reopened DB is the same.
  ASSERT_TRUE(f.db->Put(WriteOptions(), KeyOf(0), "v3").ok());
  ASSERT_TRUE(f.db->Delete(WriteOptions(), KeyOf(1)).ok());
  ASSERT_TRUE(f.db->Flush().ok());
  EXPECT_EQ(GetAt(f.db.get(), nullptr, KeyOf(0)), "v3");
  EXPECT_TRUE(GetAt(f.db.get(), nullptr, KeyOf(1)).find("NotFound") != std::string::npos);
  ASSERT_TRUE(f.db->CompactRange(nullptr, nullptr).ok());
  f.Reopen();
  EXPECT_EQ(GetAt(f.db.get(), nullptr, KeyOf(0)), "v3");
  EXPECT_TRUE(GetAt(f.db.get(), nullptr, KeyOf(1)).find("NotFound") != std::string::npos);
  EXPECT_EQ(GetAt(f.db.get(), nullptr, KeyOf(2)), "v2");
  EXPECT_EQ(GetAt(f.db.get(), nullptr, KeyOf(99)), "v1");
  f.db.reset();
  DbCheckSummary summary;
  std::FILE* report = std::tmpfile();
  ASSERT_NE(report, nullptr);
  Status s = CheckDB(&f.env, "/db", report, &summary);
  std::fclose(report);
  EXPECT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(summary.problems, 0u);
}

}  // namespace
}  // namespace strata
