// The dump pipeline end to end on hand-made RDB files: many runs and several merge passes,
// global (db, key) order in the final file, the exact columns and layout, the codecs, and
// all-or-nothing batches.
#include "rdbtool/rdb_dump.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/crc32c.h"
#include "parquet/parquet_reader.h"
#include "rdb/rdb_format.h"
#include "rdb/redis_alloc_sizes.h"
#include "rdbtool/batch_manifest.h"
#include "rdbtool/key_slots.h"
#include "rdbtool/report_builder.h"
#include "support/test_util.h"
#include "unit/rdbtool/rdb_dump_test_util.h"

namespace strata::rdbtool {
namespace {

using test::BuildRdb;
using test::FileInstance;
using test::Key;
using test::RandomKeys;

struct Fixture {
  strata::test::TempDir dir;
  std::vector<std::string> log;
  std::mutex log_mu;

  DumpOptions Options() {
    DumpOptions o;
    o.dir = dir.File("lake");
    o.cluster = "prod:eu";
    o.batch_ns = 1796054709123000000;  // 2026-11-30T16:05:09.123Z
    o.log = [this](const std::string& line) {
      std::lock_guard lock(log_mu);
      log.push_back(line);
    };
    return o;
  }
  std::string WriteRdb(const std::string& name, const std::vector<Key>& keys) {
    const std::string path = dir.File(name);
    test::WriteBytes(path, BuildRdb(keys));
    return path;
  }
};

TEST(RdbDumpTest, ManyRunsSeveralPassesGlobalOrderAndExactLayout) {
  Fixture fx;
  const auto keys = RandomKeys(7, 2500);
  const std::string rdb = fx.WriteRdb("node-1.rdb", keys);
  DumpOptions o = fx.Options();
  o.run_rows = 10;  // 250 runs
  o.fan_in = 4;     // several intermediate passes
  o.row_group_rows = 1000;
  DumpProgress progress;
  DumpResult result;
  Status s = DumpBatch({FileInstance("10.0.0.1:6379", rdb, {true, true})}, o, &progress, &result);
  ASSERT_TRUE(s.ok()) << s.ToString();
  ASSERT_TRUE(result.committed);

  // Exact paths: ':' in the cluster and instance names becomes '-'.
  EXPECT_EQ(result.batch_id, "2026-11-30_16-05-09.123Z");
  const std::string final_dir =
      fx.dir.File("lake") + "/cluster=prod-eu/batch=2026-11-30_16-05-09.123Z";
  EXPECT_EQ(result.paths.final_dir, final_dir);
  EXPECT_EQ(result.instances[0].path, final_dir + "/10.0.0.1-6379.parquet");
  EXPECT_FALSE(Env::Default()->FileExists(result.paths.tmp_dir));
  std::vector<std::string> files;
  ASSERT_TRUE(Env::Default()->GetChildren(final_dir, &files).ok());
  std::sort(files.begin(), files.end());
  // No run file left; the manifest lists the one file with its size, checksum and keys.
  EXPECT_EQ(files, (std::vector<std::string>{"10.0.0.1-6379.parquet", "_SUCCESS"}));
  auto manifest =
      BatchManifest::FromJson(strata::test::ReadFile(final_dir + "/_SUCCESS"), "_SUCCESS");
  ASSERT_TRUE(manifest.ok()) << manifest.status().ToString();
  EXPECT_EQ(manifest->cluster, "prod:eu");
  EXPECT_EQ(manifest->batch, "2026-11-30_16-05-09.123Z");
  ASSERT_EQ(manifest->files.size(), 1u);
  const std::string file_bytes = strata::test::ReadFile(result.instances[0].path);
  EXPECT_EQ(manifest->files[0].name, "10.0.0.1-6379.parquet");
  EXPECT_EQ(manifest->files[0].instance, "10.0.0.1:6379");
  EXPECT_EQ(manifest->files[0].bytes, file_bytes.size());
  EXPECT_EQ(manifest->files[0].crc32c, crc32c::Value(file_bytes.data(), file_bytes.size()));
  EXPECT_EQ(manifest->files[0].keys, 2500u);
  EXPECT_EQ(result.instances[0].runs, 250u);
  EXPECT_GE(result.instances[0].merge_passes, 4u);
  EXPECT_EQ(progress.keys.load(), 2500u);

  auto reader = parquet::ParquetReader::Open(Env::Default(), result.instances[0].path);
  ASSERT_TRUE(reader.ok()) << reader.status().ToString();
  const auto& meta = (*reader)->metadata();
  ASSERT_EQ((*reader)->schema(), FinalSchema());
  EXPECT_EQ(meta.row_groups.size(), 3u);
  for (const auto& rg : meta.row_groups) {
    EXPECT_EQ(rg.columns[4].meta_data->codec, parquet::CompressionCodec::kZstd);
    ASSERT_TRUE(rg.sorting_columns.has_value());
    ASSERT_EQ(rg.sorting_columns->size(), 2u);
    EXPECT_EQ((*rg.sorting_columns)[0].column_idx, 3);  // db
    EXPECT_EQ((*rg.sorting_columns)[1].column_idx, 4);  // key
  }
  // Rows: exactly the keys, in (db, key) order, with their columns.
  std::vector<Key> expected = keys;
  std::sort(expected.begin(), expected.end(),
            [](const Key& a, const Key& b) { return a.db != b.db ? a.db < b.db : a.key < b.key; });
  auto scan = (*reader)->Scan(parquet::ScanOptions());
  ASSERT_TRUE(scan.ok());
  parquet::ColumnBatch batch;
  size_t row = 0;
  while (true) {
    auto more = (*scan)->Next(&batch);
    ASSERT_TRUE(more.ok()) << more.status().ToString();
    if (!*more) break;
    for (size_t i = 0; i < batch.num_rows(); i++, row++) {
      ASSERT_LT(row, expected.size());
      const Key& k = expected[row];
      ASSERT_EQ(batch.column(0).Bytes(i), "prod:eu");
      ASSERT_EQ(batch.column(1).Value<int64_t>(i), o.batch_ns);
      ASSERT_EQ(batch.column(2).Bytes(i), "10.0.0.1:6379");
      ASSERT_EQ(batch.column(3).Value<uint64_t>(i), k.db) << row;
      ASSERT_EQ(batch.column(4).Bytes(i), k.key) << row;
      ASSERT_EQ(batch.column(5).Bytes(i), "string");
      ASSERT_EQ(batch.column(6).Value<uint64_t>(i), 1u);
      ASSERT_EQ(batch.column(8).Bytes(i), "raw");
      ASSERT_EQ(batch.column(9).IsValid(i), k.expire_ms.has_value());
      if (k.expire_ms) {
        ASSERT_EQ(batch.column(9).Value<int64_t>(i), *k.expire_ms);
      }
      ASSERT_FALSE(batch.column(10).IsValid(i));  // no IDLE opcode in the file
      ASSERT_FALSE(batch.column(11).IsValid(i));  // nor FREQ
      ASSERT_EQ(batch.column(12).Value<int32_t>(i), CodisSlot(k.key));
      ASSERT_EQ(batch.column(13).Value<int32_t>(i), RedisSlot(k.key));
      // Short text values: the key's sds, its dict entry, an embedded string (robj, sds
      // header and NUL in one allocation).
      ASSERT_EQ(batch.column(14).Value<uint64_t>(i),
                rdb::SdsAllocSize(k.key.size()) + 24 + rdb::JemallocSizeClass(20 + k.value.size()))
          << row;
    }
  }
  EXPECT_EQ(row, expected.size());

  // Logs: one line per run with its codec, and merge lines.
  size_t run_lines = 0, merge_lines = 0;
  for (const std::string& line : fx.log) {
    if (line.find("] run ") != std::string::npos) {
      run_lines++;
      EXPECT_NE(line.find("LZ4_RAW"), std::string::npos) << line;
    }
    if (line.find("merge") != std::string::npos) merge_lines++;
  }
  EXPECT_EQ(run_lines, 250u);
  EXPECT_GE(merge_lines, 4u);
}

TEST(RdbDumpTest, AFailedInstanceLeavesNoBatch) {
  Fixture fx;
  const std::string a = fx.WriteRdb("a.rdb", RandomKeys(1, 300));
  const std::string b = fx.WriteRdb("b.rdb", RandomKeys(2, 300));
  DumpOptions o = fx.Options();
  o.run_rows = 50;
  o.concurrency = 2;
  o.fail_instance_for_test = "b";
  DumpResult result;
  Status s = DumpBatch({FileInstance("a", a, {}), FileInstance("b", b, {})}, o, nullptr, &result);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.ToString().find("instance b"), std::string::npos) << s.ToString();
  EXPECT_FALSE(result.committed);
  EXPECT_FALSE(Env::Default()->FileExists(result.paths.final_dir));
  EXPECT_TRUE(Env::Default()->FileExists(result.paths.tmp_dir));  // kept for inspection
  // A rerun of the same batch is refused while the temporary directory is in the way...
  DumpResult again;
  o.fail_instance_for_test.clear();
  EXPECT_TRUE(DumpBatch({FileInstance("a", a, {})}, o, nullptr, &again).IsInvalidArgument());
  // ...and works once it is removed; an earlier batch is never touched by a new one.
  ASSERT_EQ(std::system(("rm -rf '" + result.paths.tmp_dir + "'").c_str()), 0);
  ASSERT_TRUE(DumpBatch({FileInstance("a", a, {})}, o, nullptr, &again).ok());
  o.batch_ns += 1000000000;
  DumpResult later;
  ASSERT_TRUE(
      DumpBatch({FileInstance("a", a, {}), FileInstance("b", b, {})}, o, nullptr, &later).ok());
  EXPECT_TRUE(Env::Default()->FileExists(again.instances[0].path));
  EXPECT_NE(again.paths.final_dir, later.paths.final_dir);
}

// Instance "a" sorts in runs while instance "a.0001" is written: the run files must not take
// a.0001.parquet (they once shared its directory and name pattern, and the batch lost a file
// while the dump reported success). A name that is not UTF-8 is dumped and summarised too.
TEST(RdbDumpTest, RunFilesNeverTakeAnInstanceFileName) {
  Fixture fx;
  const std::string a = fx.WriteRdb("a.rdb", RandomKeys(11, 200));
  const std::string b = fx.WriteRdb("b.rdb", RandomKeys(12, 30));
  const std::string c = fx.WriteRdb("c.rdb", RandomKeys(13, 20));
  const std::string odd_name("n\xffx", 3);
  DumpOptions o = fx.Options();
  o.run_rows = 10;  // instance a writes 20 runs: a.0001.parquet ... a.0020.parquet
  o.concurrency = 1;
  DumpResult result;
  Status s = DumpBatch(
      {FileInstance("a.0001", b, {}), FileInstance("a", a, {}), FileInstance(odd_name, c, {})}, o,
      nullptr, &result);
  ASSERT_TRUE(s.ok()) << s.ToString();
  ASSERT_TRUE(result.committed);
  std::vector<std::string> files;
  ASSERT_TRUE(Env::Default()->GetChildren(result.paths.final_dir, &files).ok());
  std::sort(files.begin(), files.end());
  const std::vector<std::string> expected = {"_SUCCESS", "a.0001.parquet", "a.parquet",
                                             odd_name + ".parquet"};
  EXPECT_EQ(files, expected);
  const std::pair<std::string, size_t> rows[] = {
      {"a.0001.parquet", 30}, {"a.parquet", 200}, {odd_name + ".parquet", 20}};
  for (const auto& [file, n] : rows) {
    auto reader = parquet::ParquetReader::Open(Env::Default(), result.paths.final_dir + "/" + file);
    ASSERT_TRUE(reader.ok()) << file << ": " << reader.status().ToString();
    EXPECT_EQ((*reader)->metadata().num_rows, static_cast<int64_t>(n)) << file;
  }
  // The report reads every file's summary, the odd name included.
  ReportOptions report;
  report.dir = o.dir;
  report.cluster = o.cluster;
  auto built = BuildReport(report);
  ASSERT_TRUE(built.ok()) << built.status().ToString();
  const ReportData& data = *built;
  EXPECT_EQ(data.total.keys, 250u);
  ASSERT_EQ(data.by_instance.size(), 3u);
  bool odd_seen = false;
  for (const auto& group : data.by_instance) odd_seen = odd_seen || group.name == odd_name;
  EXPECT_TRUE(odd_seen);
}

TEST(RdbDumpTest, CorruptRdbFailsNamingTheInstance) {
  Fixture fx;
  std::string bytes = BuildRdb(RandomKeys(3, 50));
  bytes.resize(bytes.size() / 2);  // cut in the middle of a key
  const std::string path = fx.dir.File("cut.rdb");
  test::WriteBytes(path, bytes);
  DumpResult result;
  Status s = DumpBatch({FileInstance("cut", path, {})}, fx.Options(), nullptr, &result);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.ToString().find("instance cut"), std::string::npos) << s.ToString();
  EXPECT_FALSE(Env::Default()->FileExists(result.paths.final_dir));
}

TEST(RdbDumpTest, DuplicateKeysAreCorruption) {
  Fixture fx;
  auto keys = RandomKeys(4, 100);
  keys.push_back(keys[10]);  // the same (db, key) twice
  const std::string path = fx.WriteRdb("dup.rdb", keys);
  for (size_t run_rows : {size_t{1000}, size_t{7}}) {
    DumpOptions o = fx.Options();
    o.run_rows = run_rows;
    o.batch_ns += static_cast<int64_t>(run_rows) * 1000000;  // a new batch (ms) each time
    DumpResult result;
    Status s = DumpBatch({FileInstance("dup", path, {})}, o, nullptr, &result);
    ASSERT_FALSE(s.ok());
    EXPECT_NE(s.ToString().find("duplicate key"), std::string::npos) << s.ToString();
    EXPECT_NE(s.ToString().find(keys[10].key), std::string::npos) << s.ToString();
  }
}

TEST(RdbDumpTest, BatchIdsAndNames) {
  EXPECT_EQ(FormatBatchId(0), "1970-01-01_00-00-00.000Z");
  auto t = ParseRfc3339("2026-11-30T16:05:09.123456789Z");
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(*t, 1796054709123456789);
  EXPECT_EQ(FormatBatchId(*t), "2026-11-30_16-05-09.123Z");
  auto offset = ParseRfc3339("2026-11-30T17:05:09+01:00");
  ASSERT_TRUE(offset.ok());
  EXPECT_EQ(FormatBatchId(*offset), "2026-11-30_16-05-09.000Z");
  EXPECT_FALSE(ParseRfc3339("2026-11-30 16:05:09").ok());  // no zone
  EXPECT_FALSE(ParseRfc3339("yesterday").ok());
  EXPECT_EQ(SafePathComponent("10.0.0.1:6379"), "10.0.0.1-6379");
  EXPECT_EQ(SafePathComponent("a/b"), "a_b");
  EXPECT_EQ(SafePathComponent(".."), "_");
}

TEST(RdbDumpTest, HashSlots) {
  // Redis Cluster's documented examples: "foo" is in slot 12182; hash tags.
  EXPECT_EQ(RedisSlot("foo"), 12182);
  EXPECT_EQ(RedisSlot("{user1000}.following"), RedisSlot("user1000"));
  // Empty first tag: the whole key is hashed. CRC16 (XMODEM) of "foo{}{bar}" mod 16384, from
  // Python's binascii.crc_hqx; hashing "bar" instead would give 5061.
  EXPECT_EQ(RedisSlot("foo{}{bar}"), 8363);
  EXPECT_EQ(HashTag("foo{}{bar}"), "foo{}{bar}");
  EXPECT_EQ(HashTag("foo{{bar}}zap"), "{bar");
  // CRC32("foo") = 0x8c736521; mod 1024 = 289.
  EXPECT_EQ(CodisSlot("foo"), 0x8c736521u % 1024);
}

// Codis reads hash tags like Redis Cluster but for an empty tag, which it hashes as it is
// (CRC32("") = 0, so slot 0) where Redis Cluster hashes the whole key. The pairs are the
// cases of Codis's own hashSlot test (pkg/proxy/mapper_test.go): key, the bytes it hashes.
TEST(RdbDumpTest, CodisHashTags) {
  const std::pair<std::string_view, std::string_view> cases[] = {
      {"{abc}", "abc"},
      {"{{{abc1}abc2}", "{{abc1"},
      {"abc1{abc2{abc3}", "abc2{abc3"},
      {"{{{{abc", "{{{{abc"},
      {"{{{{abc}", "{{{abc"},
      {"{{}{{abc", "{"},
      {"abc}{abc", "abc}{abc"},
      {"abc}{123}456", "123"},
      {"123{abc}456", "abc"},
      {"{}abc", ""},
      {"abc{}123", ""},
      {"123{456}", "456"},
  };
  for (const auto& [key, tag] : cases) {
    EXPECT_EQ(CodisHashTag(key), tag) << key;
    EXPECT_EQ(CodisSlot(key), CodisSlot(tag)) << key;
  }
  EXPECT_EQ(CodisSlot("a{}b"), 0);
  EXPECT_EQ(CodisSlot("{}"), 0);
  EXPECT_EQ(HashTag("a{}b"), "a{}b");  // Redis Cluster: the whole key
}

}  // namespace
}  // namespace strata::rdbtool
