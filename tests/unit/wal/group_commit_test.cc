// Many threads appending at once: no record lost or duplicated, and the log's order is the
// order of acknowledgement.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "base/coding.h"
#include "support/test_util.h"
#include "wal/group_commit_writer.h"
#include "wal/log_reader.h"

namespace strata::wal {
namespace {

struct Appended {
  uint64_t id;
  uint64_t offset;      // what Append() reported
  uint64_t started_at;  // value of the ack counter before Append() was called
  uint64_t acked_at;    // value of the ack counter taken after Append() returned
};

// Payload: 8-byte id, then filler bytes derived from the id.
std::string Payload(uint64_t id, size_t size) {
  std::string p;
  PutFixed64(&p, id);
  p += strata::test::RandomBytes(id, size);
  return p;
}

void RunConcurrentAppends(SyncPolicy policy, int threads, int per_thread) {
  strata::test::TempDir dir;
  const std::string path = dir.File("000001.log");
  WalOptions options;
  options.sync = policy;
  options.sync_interval_ms = 5;
  auto created = GroupCommitWriter::Create(Env::Default(), path, 1, options);
  ASSERT_TRUE(created.ok()) << created.status().ToString();
  std::unique_ptr<GroupCommitWriter> writer = std::move(*created);

  std::atomic<uint64_t> ack_counter{0};
  std::vector<std::vector<Appended>> per(threads);
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; t++) {
    workers.emplace_back([&, t] {
      for (int i = 0; i < per_thread; i++) {
        const uint64_t id = static_cast<uint64_t>(t) * 1000000 + i;
        const std::string payload = Payload(id, (id * 37) % 300 + (i % 50 == 0 ? 40000 : 0));
        Appended a{id, 0, ack_counter.load(), 0};
        Status s = writer->Append(payload, &a.offset);
        a.acked_at = ack_counter.fetch_add(1);
        ASSERT_TRUE(s.ok()) << s.ToString();
        per[t].push_back(a);
      }
    });
  }
  for (auto& w : workers) w.join();
  ASSERT_TRUE(writer->Close().ok());

  // Replay and index records by id.
  std::unique_ptr<SequentialFile> file;
  ASSERT_TRUE(Env::Default()->NewSequentialFile(path, &file).ok());
  LogReader reader(path, std::move(file), nullptr, RecoveryMode::kAbsoluteConsistency);
  std::map<uint64_t, uint64_t> offset_of;  // id -> offset in the log
  Slice record;
  std::string scratch;
  while (reader.ReadRecord(&record, &scratch)) {
    ASSERT_GE(record.size(), 8u);
    const uint64_t id = DecodeFixed64(record.data());
    ASSERT_EQ(record.ToString(), Payload(id, record.size() - 8)) << "altered record " << id;
    ASSERT_TRUE(offset_of.emplace(id, reader.last_record_offset()).second) << "duplicate " << id;
  }
  ASSERT_TRUE(reader.status().ok()) << reader.status().ToString();

  std::vector<Appended> all;
  for (auto& v : per) all.insert(all.end(), v.begin(), v.end());
  ASSERT_EQ(offset_of.size(), all.size()) << "records lost";
  for (const Appended& a : all) {
    ASSERT_EQ(offset_of.at(a.id), a.offset) << "Append() reported the wrong offset";
  }
  // Acknowledgement order: if A was acknowledged before B's Append() began, A comes first.
  std::sort(all.begin(), all.end(),
            [](const Appended& x, const Appended& y) { return x.acked_at < y.acked_at; });
  // prefix_max[k] = largest log offset among the first k acknowledgements.
  std::vector<uint64_t> prefix_max(all.size() + 1, 0);
  for (size_t k = 0; k < all.size(); k++)
    prefix_max[k + 1] = std::max(prefix_max[k], all[k].offset);
  for (const Appended& b : all) {
    // Records acknowledged before b started hold ack numbers < b.started_at.
    const size_t before = std::min<size_t>(b.started_at, all.size());
    if (before == 0) continue;
    ASSERT_LT(prefix_max[before], b.offset)
        << "record " << b.id << " precedes a record acknowledged before it was appended";
  }
}

TEST(GroupCommit, SixteenWritersSyncNone) {
  RunConcurrentAppends(SyncPolicy::kNone, 16, strata::test::Iterations(2000, 20000));
}

TEST(GroupCommit, SixteenWritersSyncAlways) {
  RunConcurrentAppends(SyncPolicy::kAlways, 16, strata::test::Iterations(60, 600));
}

TEST(GroupCommit, SixteenWritersSyncInterval) {
  RunConcurrentAppends(SyncPolicy::kInterval, 16, strata::test::Iterations(500, 5000));
}

TEST(GroupCommit, ExplicitSyncAndCloseAreIdempotent) {
  strata::test::TempDir dir;
  WalOptions options;
  options.sync = SyncPolicy::kNone;
  auto created = GroupCommitWriter::Create(Env::Default(), dir.File("000001.log"), 1, options);
  ASSERT_TRUE(created.ok()) << created.status().ToString();
  std::unique_ptr<GroupCommitWriter> writer = std::move(*created);
  ASSERT_TRUE(writer->Append("a").ok());
  ASSERT_TRUE(writer->Sync().ok());
  ASSERT_TRUE(writer->Close().ok());
  ASSERT_TRUE(writer->Close().ok());
  EXPECT_TRUE(writer->Append("b").IsAborted());
}

TEST(GroupCommit, CreateRefusesAnExistingFile) {
  strata::test::TempDir dir;
  auto first = GroupCommitWriter::Create(Env::Default(), dir.File("000001.log"), 1, {});
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  auto second = GroupCommitWriter::Create(Env::Default(), dir.File("000001.log"), 1, {});
  EXPECT_TRUE(second.status().IsInvalidArgument()) << second.status().ToString();
}

}  // namespace
}  // namespace strata::wal
