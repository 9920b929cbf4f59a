// The external sorter against std::sort: random (db, key) rows, runs forced small, fan-in
// forced low so intermediate passes happen, run files checked for their codec and
// sorting_columns, duplicates reported, run files removed.
#include "sort/external_sorter.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "base/random.h"
#include "parquet/parquet_reader.h"
#include "support/test_util.h"

namespace strata::sort {
namespace {

using parquet::ColumnBatch;
using parquet::Schema;

Schema RowSchema() {
  return Schema({parquet::IntColumn("db", 64, false), parquet::BinaryColumn("key"),
                 parquet::IntColumn("size", 64, false, true)});
}

struct Row {
  uint64_t db;
  std::string key;
  bool has_size;
  int64_t size;
  bool operator<(const Row& o) const {
    if (db != o.db) return db < o.db;
    return key < o.key;  // std::string compares as unsigned char: the sorter's byte order
  }
};

std::vector<Row> RandomRows(uint64_t seed, size_t n) {
  Random rnd(seed);
  std::set<std::pair<uint64_t, std::string>> seen;
  std::vector<Row> rows;
  while (rows.size() < n) {
    Row r;
    r.db = rnd.Uniform(4) == 0 ? UINT64_MAX - rnd.Uniform(2) : rnd.Uniform(16);
    const size_t len = rnd.Uniform(24);
    for (size_t i = 0; i < len; i++)
      r.key.push_back(
          static_cast<char>(rnd.Uniform(4) == 0 ? 0xff - rnd.Uniform(3) : 'a' + rnd.Uniform(3)));
    if (!seen.insert({r.db, r.key}).second) continue;
    r.has_size = rnd.OneIn(5) == false;
    r.size = static_cast<int64_t>(rnd.Next() >> 1);
    rows.push_back(std::move(r));
  }
  return rows;
}

void AppendRows(const std::vector<Row>& rows, ColumnBatch* b) {
  for (const Row& r : rows) {
    b->column(0).AppendInt64(static_cast<int64_t>(r.db));
    b->column(1).AppendBytes(r.key);
    if (r.has_size) {
      b->column(2).AppendInt64(r.size);
    } else {
      b->column(2).AppendNull();
    }
  }
}

std::vector<Row> Collect(const ColumnBatch& b) {
  std::vector<Row> rows;
  for (size_t i = 0; i < b.num_rows(); i++) {
    rows.push_back({b.column(0).Value<uint64_t>(i), std::string(b.column(1).Bytes(i)),
                    b.column(2).IsValid(i), b.column(2).Value<int64_t>(i)});
  }
  return rows;
}

struct SortResult {
  std::vector<Row> rows;
  ExternalSorterStats stats;
  std::vector<size_t> batch_sizes;
  Status status;
};

SortResult Sort(const std::vector<Row>& input, ExternalSorterOptions options, size_t add_batch) {
  SortResult result;
  ExternalSorter sorter(RowSchema(), {0, 1}, std::move(options));
  for (size_t at = 0; at < input.size(); at += add_batch) {
    ColumnBatch b(RowSchema());
    AppendRows(std::vector<Row>(input.begin() + at,
                                input.begin() + std::min(input.size(), at + add_batch)),
               &b);
    result.status = sorter.Add(b);
    if (!result.status.ok()) return result;
  }
  result.status = sorter.Finish([&](const ColumnBatch& b) {
    result.batch_sizes.push_back(b.num_rows());
    for (Row& r : Collect(b)) result.rows.push_back(std::move(r));
    return Status::OK();
  });
  result.stats = sorter.stats();
  return result;
}

void ExpectSorted(const std::vector<Row>& input, const std::vector<Row>& got) {
  std::vector<Row> expected = input;
  std::sort(expected.begin(), expected.end());
  ASSERT_EQ(got.size(), expected.size());
  for (size_t i = 0; i < got.size(); i++) {
    ASSERT_EQ(got[i].db, expected[i].db) << i;
    ASSERT_EQ(got[i].key, expected[i].key) << i;
    ASSERT_EQ(got[i].has_size, expected[i].has_size) << i;
    if (got[i].has_size) {
      ASSERT_EQ(got[i].size, expected[i].size) << i;
    }
  }
}

TEST(ExternalSorterTest, InMemoryWhenOneRunIsEnough) {
  test::TempDir dir;
  const auto input = RandomRows(1, 500);
  ExternalSorterOptions o;
  o.run_dir = dir.path();
  const SortResult r = Sort(input, o, 100);
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  ExpectSorted(input, r.rows);
  EXPECT_EQ(r.stats.runs, 0u);
}

TEST(ExternalSorterTest, ManyRunsOnePass) {
  test::TempDir dir;
  const auto input = RandomRows(2, 5000);
  ExternalSorterOptions o;
  o.run_dir = dir.path();
  o.run_rows = 10;
  o.output_batch_rows = 333;
  o.merge_read_batch_rows = 7;
  o.fan_in = 1000;
  const SortResult r = Sort(input, o, 97);
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  ExpectSorted(input, r.rows);
  EXPECT_EQ(r.stats.runs, 500u);
  EXPECT_EQ(r.stats.merge_passes, 1u);
  for (size_t i = 0; i + 1 < r.batch_sizes.size(); i++) EXPECT_EQ(r.batch_sizes[i], 333u);
  // Run files are gone.
  std::vector<std::string> children;
  ASSERT_TRUE(Env::Default()->GetChildren(dir.path(), &children).ok());
  EXPECT_TRUE(children.empty());
}

TEST(ExternalSorterTest, FanInFourTakesSeveralPassesOnAPool) {
  test::TempDir dir;
  const auto input = RandomRows(3, 4000);
  ThreadPool pool(2);
  ExternalSorterOptions o;
  o.run_dir = dir.path();
  o.run_rows = 16;  // 250 runs
  o.fan_in = 4;     // 250 -> 63 -> 16 -> 4 -> final
  o.pool = &pool;
  std::vector<std::string> log;
  o.log = [&](const std::string& line) { log.push_back(line); };
  const SortResult r = Sort(input, o, 1000);
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  ExpectSorted(input, r.rows);
  EXPECT_EQ(r.stats.runs, 250u);
  EXPECT_EQ(r.stats.merge_passes, 4u);
  EXPECT_EQ(r.stats.intermediate_runs, 63u + 16u + 4u);
  EXPECT_GE(log.size(), 250u + 3u);
}

TEST(ExternalSorterTest, RunFilesCarryTheirCodecAndSortingColumns) {
  test::TempDir dir;
  const auto input = RandomRows(4, 300);
  ExternalSorterOptions o;
  o.run_dir = dir.path();
  o.run_prefix = "inst";
  o.run_rows = 100;
  o.run_codec = parquet::CompressionCodec::kZstd;
  ExternalSorter sorter(RowSchema(), {0, 1}, o);
  ColumnBatch b(RowSchema());
  AppendRows(input, &b);
  ASSERT_TRUE(sorter.Add(b).ok());
  // Three full runs were spilled by Add: inspect them before Finish merges them.
  const std::string first = dir.File("inst.0001.parquet");
  auto reader = parquet::ParquetReader::Open(Env::Default(), first);
  ASSERT_TRUE(reader.ok()) << reader.status().ToString();
  const auto& rg = (*reader)->metadata().row_groups.at(0);
  EXPECT_EQ(rg.columns[1].meta_data->codec, parquet::CompressionCodec::kZstd);
  ASSERT_TRUE(rg.sorting_columns.has_value());
  ASSERT_EQ(rg.sorting_columns->size(), 2u);
  EXPECT_EQ((*rg.sorting_columns)[0].column_idx, 0);
  EXPECT_EQ((*rg.sorting_columns)[1].column_idx, 1);
  EXPECT_TRUE(Env::Default()->FileExists(dir.File("inst.0003.parquet")));
  size_t rows = 0;
  ASSERT_TRUE(sorter
                  .Finish([&](const ColumnBatch& out) {
                    rows += out.num_rows();
                    return Status::OK();
                  })
                  .ok());
  EXPECT_EQ(rows, 300u);
  EXPECT_FALSE(Env::Default()->FileExists(first));
}

TEST(ExternalSorterTest, DuplicateKeysAreReported) {
  for (size_t run_rows : {size_t{1000}, size_t{5}}) {  // in memory, and across runs
    test::TempDir dir;
    auto input = RandomRows(5, 50);
    input.push_back(input[17]);
    ExternalSorterOptions o;
    o.run_dir = dir.path();
    o.run_rows = run_rows;
    o.unique_keys = true;
    o.duplicate_message = [](const ColumnBatch& b, size_t i) {
      return "duplicate key " + std::string(b.column(1).Bytes(i));
    };
    const SortResult r = Sort(input, o, 10);
    ASSERT_TRUE(r.status.IsCorruption()) << r.status.ToString();
    EXPECT_NE(r.status.ToString().find("duplicate key " + input[17].key), std::string::npos);
  }
}

}  // namespace
}  // namespace strata::sort
