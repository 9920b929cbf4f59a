// Model-based test: random operations on a DB and on a std::map, compared after every step,
// with snapshots kept and checked later, flushes, compactions and reopens in between.
#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "strata/db.h"
#include "support/test_util.h"
#include "testing/mem_env.h"

namespace strata {
namespace {

using Model = std::map<std::string, std::string>;

std::string Key(std::mt19937_64& rng) {
  // A small key space so keys are overwritten and deleted often; some empty keys.
  const uint64_t n = rng() % 300;
  if (n == 0) return "";
  return "key" + std::to_string(n * 7919 % 1000);
}

std::string Value(std::mt19937_64& rng) {
  const size_t size = rng() % 10 == 0 ? 5000 + rng() % 20000 : rng() % 100;
  return strata::test::RandomBytes(rng(), size);
}

// The scans collect into a map, which would hide keys out of order or repeated; so each key
// must come strictly after (forward) or before (backward) the previous one.
Model Scan(DB* db, const ReadOptions& ro) {
  Model m;
  auto it = db->NewIterator(ro);
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    std::string key = it->key().ToString();
    if (!m.empty() && !(m.rbegin()->first < key)) {
      ADD_FAILURE() << "forward scan: key " << key << " after " << m.rbegin()->first;
      break;
    }
    m.emplace_hint(m.end(), std::move(key), it->value().ToString());
  }
  EXPECT_TRUE(it->status().ok()) << it->status().ToString();
  return m;
}

Model ScanBackward(DB* db, const ReadOptions& ro) {
  Model m;
  auto it = db->NewIterator(ro);
  for (it->SeekToLast(); it->Valid(); it->Prev()) {
    std::string key = it->key().ToString();
    if (!m.empty() && !(key < m.begin()->first)) {
      ADD_FAILURE() << "backward scan: key " << key << " after " << m.begin()->first;
      break;
    }
    m.emplace_hint(m.begin(), std::move(key), it->value().ToString());
  }
  EXPECT_TRUE(it->status().ok()) << it->status().ToString();
  return m;
}

// Random walk of Seek/SeekForPrev/Next/Prev compared step by step with the model.
void CheckIteratorWalk(DB* db, const ReadOptions& ro, const Model& model, std::mt19937_64& rng) {
  auto it = db->NewIterator(ro);
  Model::const_iterator m = model.end();
  for (int step = 0; step < 40; step++) {
    const int op = static_cast<int>(rng() % 6);
    if (op == 0) {
      const std::string t = Key(rng);
      it->Seek(t);
      m = model.lower_bound(t);
    } else if (op == 1) {
      const std::string t = Key(rng);
      it->SeekForPrev(t);
      m = model.upper_bound(t);
      m = m == model.begin() ? model.end() : std::prev(m);
    } else if (op == 2) {
      it->SeekToFirst();
      m = model.begin();
    } else if (op == 3) {
      it->SeekToLast();
      m = model.empty() ? model.end() : std::prev(model.end());
    } else if (op == 4 && it->Valid()) {
      it->Next();
      ++m;
    } else if (op == 5 && it->Valid()) {
      it->Prev();
      m = m == model.begin() ? model.end() : std::prev(m);
    }
    ASSERT_EQ(it->Valid(), m != model.end()) << "step " << step << " op " << op;
    if (it->Valid()) {
      ASSERT_EQ(it->key().ToString(), m->first);
      ASSERT_EQ(it->value().ToString(), m->second);
    }
  }
}

void RunModel(Env* env, const std::string& path, uint64_t seed, int ops) {
  std::mt19937_64 rng(seed);
  Options options;
  options.env = env;
  options.create_if_missing = true;
  options.write_buffer_size = 32 * 1024;  // many flushes
  options.compression = seed % 2 ? Compression::kLz4 : Compression::kNone;
  options.use_mmap_reads = seed % 3 == 0;
  options.max_write_buffer_number = seed % 2 == 0 ? 4 : 2;
  // Tiny levels and files, so data spreads over several levels and compactions of every kind
  // (level 0 into the base level, level to level, trivial moves) run all the time.
  options.target_file_size = 4096 << (seed % 3);
  options.max_bytes_for_level_base = 16384 << (seed % 3);
  options.max_bytes_for_level_multiplier = 3 + static_cast<int>(seed % 2);
  options.level0_file_num_compaction_trigger = 2 + static_cast<int>(seed % 3);
  options.max_background_jobs = 1 + static_cast<int>(seed % 3);
  std::unique_ptr<DB> db;
  ASSERT_TRUE(DB::Open(options, path, &db).ok());
  Model model;
  struct Snap {
    const Snapshot* snapshot;
    Model model;
  };
  std::vector<Snap> snaps;

  for (int i = 0; i < ops; i++) {
    const int op = static_cast<int>(rng() % 100);
    if (op < 40) {
      const std::string k = Key(rng);
      const std::string v = Value(rng);
      ASSERT_TRUE(db->Put(WriteOptions(), k, v).ok());
      model[k] = v;
    } else if (op < 55) {
      const std::string k = Key(rng);
      ASSERT_TRUE(db->Delete(WriteOptions(), k).ok());
      model.erase(k);
    } else if (op < 62) {
      WriteBatch batch;
      for (int j = 0, n = static_cast<int>(rng() % 10); j < n; j++) {
        const std::string k = Key(rng);
        if (rng() % 3 == 0) {
          batch.Delete(k);
          model.erase(k);
        } else {
          const std::string v = Value(rng);
          batch.Put(k, v);
          model[k] = v;
        }
      }
      ASSERT_TRUE(db->Write(WriteOptions(), &batch).ok());
    } else if (op < 80) {
      const std::string k = Key(rng);
      std::string v;
      Status s = db->Get(ReadOptions(), k, &v);
      auto it = model.find(k);
      if (it == model.end()) {
        ASSERT_TRUE(s.IsNotFound()) << "op " << i << " key " << k << ": " << s.ToString();
      } else {
        ASSERT_TRUE(s.ok()) << "op " << i << " key " << k << ": " << s.ToString();
        ASSERT_EQ(v, it->second) << "op " << i << " key " << k;
      }
    } else if (op < 85) {
      CheckIteratorWalk(db.get(), ReadOptions(), model, rng);
      if (::testing::Test::HasFatalFailure()) return;
    } else if (op < 88) {
      snaps.push_back({db->GetSnapshot(), model});
    } else if (op < 91 && !snaps.empty()) {
      // Check a kept snapshot, by Get and by iteration, then release it.
      const size_t which = rng() % snaps.size();
      ReadOptions ro;
      ro.snapshot = snaps[which].snapshot;
      ASSERT_EQ(Scan(db.get(), ro), snaps[which].model) << "snapshot scan at op " << i;
      for (const auto& [k, v] : snaps[which].model) {
        std::string got;
        Status s = db->Get(ro, k, &got);
        ASSERT_TRUE(s.ok()) << "snapshot Get at op " << i << " key " << k << ": " << s.ToString();
        ASSERT_EQ(got, v) << "snapshot Get at op " << i << " key " << k;
      }
      // Keys written after the snapshot was taken must stay invisible through it.
      for (const auto& [k, v] : model) {
        if (snaps[which].model.count(k) > 0) continue;
        std::string got;
        Status s = db->Get(ro, k, &got);
        ASSERT_TRUE(s.IsNotFound()) << "snapshot Get at op " << i << " key " << k
                                    << " written after the snapshot: " << s.ToString();
      }
      db->ReleaseSnapshot(snaps[which].snapshot);
      snaps.erase(snaps.begin() + static_cast<long>(which));
    } else if (op < 94) {
      ASSERT_TRUE(db->Flush().ok());
    } else if (op < 95) {
      ASSERT_TRUE(db->CompactRange(nullptr, nullptr).ok());
    } else if (op < 96) {
      std::string a = Key(rng);
      std::string b = Key(rng);
      if (b < a) std::swap(a, b);
      const Slice begin(a);
      const Slice end(b);
      ASSERT_TRUE(db->CompactRange(rng() % 2 ? &begin : nullptr, &end).ok());
    } else if (op < 98) {
      ASSERT_EQ(Scan(db.get(), ReadOptions()), model) << "forward scan at op " << i;
      ASSERT_EQ(ScanBackward(db.get(), ReadOptions()), model) << "backward scan at op " << i;
    } else {
      // Reopen (snapshots do not survive a close).
      for (auto& s : snaps) db->ReleaseSnapshot(s.snapshot);
      snaps.clear();
      db.reset();
      ASSERT_TRUE(DB::Open(options, path, &db).ok());
    }
  }
  ASSERT_EQ(Scan(db.get(), ReadOptions()), model);
  for (auto& s : snaps) db->ReleaseSnapshot(s.snapshot);
}

TEST(DBModel, RandomOperationsMatchAMap) {
  const int seeds = strata::test::Iterations(4, 40);
  for (int seed = 1; seed <= seeds; seed++) {
    SCOPED_TRACE(seed);
    testing::MemEnv env;
    Status s = env.CreateDirIfMissing("/db");
    ASSERT_TRUE(s.ok()) << s.ToString();
    RunModel(&env, "/db", seed, strata::test::Iterations(3000, 20000));
    if (HasFatalFailure()) return;
  }
}

TEST(DBModel, OnTheRealFileSystem) {
  strata::test::TempDir dir;
  RunModel(Env::Default(), dir.File("db"), 99, strata::test::Iterations(2000, 20000));
}

}  // namespace
}  // namespace strata
