// DB::CreateCheckpoint while the DB is busy: writers running during checkpoints see each
// batch whole or not at all, and in order; writes, flushes and a compaction done inside the
// call (through an Env hook) are not in the checkpoint and do not take its tables away.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cinttypes>
#include <cstdio>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <utility>
#include <vector>

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

// Up to five keys where got differs from want, for failure messages.
std::string Diff(const Model& got, const Model& want) {
  std::string out;
  int shown = 0;
  for (const auto& [k, v] : want) {
    auto it = got.find(k);
    if (shown < 5 && (it == got.end() || it->second != v)) {
      out += " " + k + (it == got.end() ? " (missing)" : " (is " + it->second + ", not " + v + ")");
      shown++;
    }
  }
  for (const auto& [k, v] : got) {
    if (shown < 5 && !want.count(k)) {
      out += " " + k + " (should not be there)";
      shown++;
    }
  }
  return out;
}

std::string Property(DB* db, const std::string& name) {
  std::string value;
  EXPECT_TRUE(db->GetProperty(name, &value)) << name;
  return value;
}

// Writers run while checkpoints are taken. Writer w's write number c is one batch: puts of
// w<w>/<c>/a, /b, /c and w<w>/latest (all with value c), and a delete of w<w>/<c-1>/b. So
// after writes 1..k exactly these keys exist for w: /a and /c of 1..k, /b of k only, and
// latest = k. A checkpoint must hold exactly that for some k per writer (whole batches, no
// gaps), with k at least the writes acknowledged before the call and at most one more than
// those acknowledged after it (one write may be applied but not yet counted).
std::string WriteKey(int writer, uint64_t c, const char* suffix) {
  char buf[64];
  std::snprintf(buf, sizeof(buf), "w%d/%08" PRIu64 "/%s", writer, c, suffix);
  return buf;
}

Model WriterState(int writer, uint64_t k) {
  Model m;
  for (uint64_t c = 1; c <= k; c++) {
    m[WriteKey(writer, c, "a")] = std::to_string(c);
    m[WriteKey(writer, c, "c")] = std::to_string(c);
  }
  if (k > 0) {
    m[WriteKey(writer, k, "b")] = std::to_string(k);
    m["w" + std::to_string(writer) + "/latest"] = std::to_string(k);
  }
  return m;
}

TEST(DBCheckpointConcurrent, ConcurrentWritesAppearAsWholeBatchesInOrder) {
  constexpr int kWriters = 2;
  const int checkpoints = strata::test::Iterations(8, 40);
  testing::MemEnv env;
  Options options;
  options.env = &env;
  options.create_if_missing = true;
  options.write_buffer_size = 32 * 1024;  // flushes and compactions while checkpointing
  options.max_write_buffer_number = 3;
  std::unique_ptr<DB> db;
  ASSERT_TRUE(DB::Open(options, "/db", &db).ok());

  std::atomic<uint64_t> acked[kWriters] = {};
  std::atomic<bool> stop{false};
  std::atomic<bool> write_failed{false};
  std::vector<std::thread> writers;
  for (int w = 0; w < kWriters; w++) {
    writers.emplace_back([&, w] {
      for (uint64_t c = 1; !stop.load(); c++) {
        WriteBatch batch;
        const std::string value = std::to_string(c);
        batch.Put(WriteKey(w, c, "a"), value);
        batch.Put(WriteKey(w, c, "b"), value);
        batch.Put(WriteKey(w, c, "c"), value);
        batch.Put("w" + std::to_string(w) + "/latest", value);
        if (c > 1) batch.Delete(WriteKey(w, c - 1, "b"));
        if (!db->Write(WriteOptions(), &batch).ok()) {
          write_failed = true;
          return;
        }
        acked[w].store(c);
      }
    });
  }
  struct Taken {
    uint64_t before[kWriters];
    uint64_t after[kWriters];
  };
  std::vector<Taken> taken(checkpoints);
  Status s;
  for (int i = 0; i < checkpoints && s.ok(); i++) {
    std::this_thread::sleep_for(std::chrono::milliseconds(3));
    for (int w = 0; w < kWriters; w++) taken[i].before[w] = acked[w].load();
    s = db->CreateCheckpoint("/cp" + std::to_string(i));
    for (int w = 0; w < kWriters; w++) taken[i].after[w] = acked[w].load();
  }
  stop = true;
  for (auto& t : writers) t.join();
  ASSERT_TRUE(s.ok()) << s.ToString();
  ASSERT_FALSE(write_failed.load());
  db.reset();

  for (int i = 0; i < checkpoints; i++) {
    const std::string dir = "/cp" + std::to_string(i);
    SCOPED_TRACE(dir);
    std::unique_ptr<DB> cp;
    s = DB::Open(options, dir, &cp);
    ASSERT_TRUE(s.ok()) << s.ToString();
    const Model got = Scan(cp.get());
    Model want;
    for (int w = 0; w < kWriters; w++) {
      // k is read from the checkpoint; the test is that everything else agrees with it.
      const std::string latest_key = "w" + std::to_string(w) + "/latest";
      const uint64_t k = got.count(latest_key) ? std::stoull(got.at(latest_key)) : 0;
      EXPECT_GE(k, taken[i].before[w]) << "writer " << w << " lost acknowledged writes";
      EXPECT_LE(k, taken[i].after[w] + 1) << "writer " << w << " has writes from after";
      const Model part = WriterState(w, k);
      want.insert(part.begin(), part.end());
    }
    ASSERT_TRUE(got == want) << "not whole batches 1..k of each writer:" << Diff(got, want);
    // The checkpoint's own writes come after everything in it: its sequence counter is
    // above every entry it holds.
    for (int w = 0; w < kWriters; w++) {
      const std::string latest_key = "w" + std::to_string(w) + "/latest";
      ASSERT_TRUE(cp->Put(WriteOptions(), latest_key, "checkpoint's own").ok());
      std::string v;
      ASSERT_TRUE(cp->Get(ReadOptions(), latest_key, &v).ok());
      EXPECT_EQ(v, "checkpoint's own") << latest_key;
    }
  }
}

// Passes everything to another Env (a MemEnv here), and runs a hook on the first LinkFile(): a
// point inside CreateCheckpoint() after it has taken its state, before it has linked a table.
class LinkHookEnv final : public Env {
 public:
  LinkHookEnv(Env* base, std::function<void()> hook) : base_(base), hook_(std::move(hook)) {}
  Status NewSequentialFile(const std::string& p, std::unique_ptr<SequentialFile>* f) override {
    return base_->NewSequentialFile(p, f);
  }
  Status NewRandomAccessFile(const std::string& p, const FileOptions& o,
                             std::unique_ptr<RandomAccessFile>* f) override {
    return base_->NewRandomAccessFile(p, o, f);
  }
  Status NewWritableFile(const std::string& p, const FileOptions& o,
                         std::unique_ptr<WritableFile>* f) override {
    return base_->NewWritableFile(p, o, f);
  }
  Status NewAppendableFile(const std::string& p, const FileOptions& o,
                           std::unique_ptr<WritableFile>* f) override {
    return base_->NewAppendableFile(p, o, f);
  }
  bool FileExists(const std::string& p) override { return base_->FileExists(p); }
  Status GetChildren(const std::string& d, std::vector<std::string>* n) override {
    return base_->GetChildren(d, n);
  }
  Status GetFileSize(const std::string& p, uint64_t* s) override {
    return base_->GetFileSize(p, s);
  }
  Status DeleteFile(const std::string& p) override { return base_->DeleteFile(p); }
  Status CreateDirIfMissing(const std::string& d) override { return base_->CreateDirIfMissing(d); }
  Status DeleteDir(const std::string& d) override { return base_->DeleteDir(d); }
  Status RenameFile(const std::string& s, const std::string& d) override {
    return base_->RenameFile(s, d);
  }
  Status LinkFile(const std::string& s, const std::string& d) override {
    if (hook_) std::exchange(hook_, nullptr)();
    return base_->LinkFile(s, d);
  }
  Status SyncDir(const std::string& d) override { return base_->SyncDir(d); }
  Status LockFile(const std::string& p, std::unique_ptr<FileLock>* l) override {
    return base_->LockFile(p, l);
  }

 private:
  Env* const base_;
  std::function<void()> hook_;  // run once; the checkpoint runs on one thread
};

// Writes, a flush and a compaction that deletes every table the checkpoint is about to
// link, all after the checkpoint took its state: the checkpoint still links those tables
// and holds exactly the state it took.
TEST(DBCheckpointIsolation, WorkDuringTheCheckpointIsNotInIt) {
  testing::MemEnv base;
  DB* source = nullptr;
  Model source_model;
  Status hook_status;
  bool hook_ran = false;
  LinkHookEnv env(&base, [&] {
    hook_ran = true;
    for (int i = 0; i < 100; i += 2) {
      const std::string k = "key" + std::to_string(i);
      hook_status = source->Put(WriteOptions(), k, "during");
      source_model[k] = "during";
      if (!hook_status.ok()) return;
    }
    hook_status = source->Delete(WriteOptions(), "key1");
    source_model.erase("key1");
    if (hook_status.ok()) hook_status = source->CompactRange(nullptr, nullptr);
  });
  Options options;
  options.env = &env;
  options.create_if_missing = true;
  std::unique_ptr<DB> db;
  ASSERT_TRUE(DB::Open(options, "/db", &db).ok());
  source = db.get();
  for (int i = 0; i < 100; i++) {
    const std::string k = "key" + std::to_string(i);
    ASSERT_TRUE(db->Put(WriteOptions(), k, "before").ok());
    source_model[k] = "before";
    if (i == 60) {
      ASSERT_TRUE(db->Flush().ok());
    }
  }
  ASSERT_EQ(Property(db.get(), "strata.num-files-at-level0"), "1");
  const Model at_call = source_model;

  Status s = db->CreateCheckpoint("/cp");
  ASSERT_TRUE(hook_ran);
  ASSERT_TRUE(hook_status.ok()) << hook_status.ToString();
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(Property(db.get(), "strata.num-files-at-level0"), "0");  // the hook compacted
  EXPECT_EQ(Scan(db.get()), source_model);
  std::unique_ptr<DB> cp;
  ASSERT_TRUE(DB::Open(options, "/cp", &cp).ok());
  EXPECT_EQ(Scan(cp.get()), at_call);
}

}  // namespace
}  // namespace strata
