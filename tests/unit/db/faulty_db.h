// FaultyDb: a DB on an ErrorInjectionEnv over a MemEnv, with a model of every acknowledged
// write, for the tests that make the engine's I/O fail (db_fault_test.cc).
//
// The model holds exactly the writes the DB acknowledged. The first write that fails has an
// unknown outcome: its log record may have reached the file (a failed sync) and come back
// at the next open, so it is remembered as "maybe". Every later failing write must leave no
// trace: once the DB reported an error, it must refuse writes before they touch the log.
#pragma once

#include <gtest/gtest.h>

#include <cstdio>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "db/db_checker.h"
#include "strata/db.h"
#include "support/test_util.h"
#include "testing/error_injection_env.h"
#include "testing/mem_env.h"

namespace strata::test {

class FaultyDb {
 public:
  static constexpr char kDir[] = "/db";

  // Writes go to `keys` distinct keys: few for overwrites, many for a DB that keeps growing.
  explicit FaultyDb(size_t write_buffer_size, uint64_t seed = 1, uint64_t keys = 300)
      : rng_(seed), keys_(keys) {
    options_.env = &env_;
    options_.create_if_missing = true;
    options_.write_buffer_size = write_buffer_size;
  }
  ~FaultyDb() { db_.reset(); }  // before the Envs, which must outlive every handle

  // The Env the DB uses: inject errors here.
  testing::ErrorInjectionEnv& env() { return env_; }
  // The file system below it: crashes and disk capacity.
  testing::MemEnv& mem() { return mem_; }
  Options& options() { return options_; }  // takes effect at the next Open()
  DB* db() { return db_.get(); }

  Status Open() { return DB::Open(options_, kDir, &db_); }
  void Close() { db_.reset(); }

  // Closes, clears every injected error and opens again. With crash, the machine crashes
  // first: only what was synced survives.
  Status Reopen(bool crash) {
    if (crash) mem_.SimulateProcessDeath();
    db_.reset();
    if (crash) mem_.Restart();
    env_.ClearErrors();
    return Open();
  }

  // One write of a random key with a unique value, or a delete; 1 in 8 deletes.
  Status WriteOne(bool sync) {
    const std::string key = "key-" + std::to_string(rng_() % keys_);
    const bool is_delete = rng_() % 8 == 0;
    const uint64_t n = ++writes_;
    // Incompressible, so tables are as large as the data and compactions write many.
    const std::string value =
        "value-" + std::to_string(n) + "-" + RandomBytes(n, 50 + rng_() % 300);
    WriteOptions wo;
    wo.sync = sync;
    Status s = is_delete ? db_->Delete(wo, key) : db_->Put(wo, key, value);
    std::optional<std::string> result;
    if (!is_delete) result = value;
    if (s.ok()) {
      Apply(&model_, key, result);
    } else if (!failed_before_) {
      failed_before_ = true;
      maybe_[key] = result;
    }
    return s;
  }

  // n writes; sync: every one synced, or else about one in five. Stops at the first failure.
  Status Write(int n, bool all_synced) {
    for (int i = 0; i < n; i++) {
      Status s = WriteOne(all_synced || rng_() % 5 == 0);
      if (!s.ok()) return s;
    }
    return Status::OK();
  }

  // Once the DB reported a failure it refuses every write, with the same error, even after
  // the fault is gone, until it is reopened.
  void ExpectWritesRefused(const Status& first_error) {
    env_.ClearErrors();
    for (int i = 0; i < 3; i++) {
      Status s = WriteOne(i % 2 == 0);
      EXPECT_FALSE(s.ok()) << "write " << i << " accepted after " << first_error.ToString();
      EXPECT_EQ(s.ToString(), first_error.ToString()) << "the error is not sticky";
    }
    EXPECT_FALSE(db_->Flush().ok());
  }

  // The running DB shows exactly the acknowledged writes, through an iterator and Get.
  void ExpectReadable() {
    EXPECT_EQ(Contents(), model_);
    for (const auto& [key, value] : model_) {
      std::string got;
      Status s = db_->Get(ReadOptions(), key, &got);
      ASSERT_TRUE(s.ok()) << key << ": " << s.ToString();
      ASSERT_EQ(got, value) << key;
    }
    for (const auto& [key, value] : maybe_) {
      if (model_.count(key) > 0) continue;
      std::string got;
      EXPECT_TRUE(db_->Get(ReadOptions(), key, &got).IsNotFound()) << key << " failed write seen";
    }
  }

  // After a reopen: every acknowledged write, and for the key of the first failed write
  // either its old state or the failed write. The model then becomes what the DB holds.
  void ExpectRecovered() {
    const std::map<std::string, std::string> got = Contents();
    std::map<std::string, std::string> want = model_;
    for (const auto& [key, value] : maybe_) {
      auto it = got.find(key);
      const std::optional<std::string> seen =
          it == got.end() ? std::nullopt : std::optional<std::string>(it->second);
      if (seen == value) Apply(&want, key, value);
    }
    EXPECT_EQ(got, want);
    model_ = want;
    maybe_.clear();
    failed_before_ = false;
  }

  // The DB works normally again: writes, flush, compaction, and a clean close that
  // `strata db check` finds intact with no leftovers, then a reopen with every write.
  void ExpectWorksAgain() {
    Status s = Write(300, /*all_synced=*/false);
    ASSERT_TRUE(s.ok()) << s.ToString();
    s = db_->Flush();
    ASSERT_TRUE(s.ok()) << s.ToString();
    s = db_->CompactRange(nullptr, nullptr);
    ASSERT_TRUE(s.ok()) << s.ToString();
    ExpectReadable();
    db_.reset();
    std::string report;
    DbCheckSummary summary;
    s = Check(&report, &summary);
    EXPECT_TRUE(s.ok()) << s.ToString() << "\n" << report;
    EXPECT_EQ(summary.notes, 0u) << report;
    ASSERT_TRUE(Open().ok());
    EXPECT_EQ(Contents(), model_);
  }

  // CheckDB on the closed DB; *report gets its output.
  Status Check(std::string* report, DbCheckSummary* summary) {
    char* buf = nullptr;
    size_t len = 0;
    std::FILE* out = open_memstream(&buf, &len);
    Status s = CheckDB(&env_, kDir, out, summary);
    std::fclose(out);
    report->assign(buf, len);
    std::free(buf);
    return s;
  }

  int FilesAtLevel(int level) {
    std::string v;
    EXPECT_TRUE(db_->GetProperty("strata.num-files-at-level" + std::to_string(level), &v));
    return std::stoi(v);
  }

  int TableFilesInDir() {
    std::vector<std::string> names;
    EXPECT_TRUE(env_.GetChildren(kDir, &names).ok());
    int n = 0;
    for (const std::string& name : names) n += name.ends_with(".sst") ? 1 : 0;
    return n;
  }

  std::map<std::string, std::string> Contents() {
    std::map<std::string, std::string> m;
    std::unique_ptr<Iterator> it = db_->NewIterator(ReadOptions());
    for (it->SeekToFirst(); it->Valid(); it->Next())
      m[it->key().ToString()] = it->value().ToString();
    EXPECT_TRUE(it->status().ok()) << it->status().ToString();
    return m;
  }

 private:
  static void Apply(std::map<std::string, std::string>* m, const std::string& key,
                    const std::optional<std::string>& value) {
    if (value) {
      (*m)[key] = *value;
    } else {
      m->erase(key);
    }
  }

  testing::MemEnv mem_;
  testing::ErrorInjectionEnv env_{&mem_};  // over mem_, declared after it: destroyed first
  Options options_;
  std::unique_ptr<DB> db_;
  std::mt19937_64 rng_;
  const uint64_t keys_;
  uint64_t writes_ = 0;
  std::map<std::string, std::string> model_;  // every acknowledged write
  // The first failed write: key -> value (nullopt: a delete). Its outcome is unknown.
  std::map<std::string, std::optional<std::string>> maybe_;
  bool failed_before_ = false;
};

}  // namespace strata::test
