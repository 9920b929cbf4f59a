// Tables: round trips with every codec against a std::map model, iterators in both
// directions, point lookups, keys at block boundaries, properties and a 64 MiB value.
#include <gtest/gtest.h>

#include <map>
#include <random>
#include <string>

#include "base/coding.h"
#include "sst/table_builder.h"
#include "sst/table_reader.h"
#include "sst_test_util.h"
#include "support/iterator_checks.h"
#include "support/test_util.h"

namespace strata::sst {
namespace {

using Model = std::map<std::string, std::string>;
using test::BuildTable;
using test::OpenTable;

constexpr CompressionType kAll[] = {CompressionType::kNone, CompressionType::kSnappy,
                                    CompressionType::kZstd, CompressionType::kLz4};

// Keys with shared prefixes (so restarts and separators matter); values partly compressible.
Model RandomModel(uint64_t seed, int n) {
  std::mt19937_64 rng(seed);
  Model model;
  while (model.size() < static_cast<size_t>(n)) {
    std::string key = "user/" + std::to_string(rng() % 100000) + "/";
    key += strata::test::RandomBytes(rng(), rng() % 8);
    std::string value(rng() % 60, static_cast<char>('a' + rng() % 26));
    value += strata::test::RandomBytes(rng(), rng() % 20);
    model[key] = value;
  }
  return model;
}

void CheckAgainstModel(const TableReader& table, const Model& model, uint64_t seed) {
  TableReadOptions ro;
  auto it = table.NewIterator(ro);
  ASSERT_NO_FATAL_FAILURE(strata::test::ExpectForwardScanMatches(it.get(), model));

  auto r = model.rbegin();
  for (it->SeekToLast(); it->Valid(); it->Prev(), ++r) {
    ASSERT_NE(r, model.rend());
    ASSERT_EQ(it->key().ToString(), r->first);
  }
  ASSERT_TRUE(it->status().ok());
  ASSERT_EQ(r, model.rend());

  std::mt19937_64 rng(seed);
  std::vector<std::string> targets = {"", "user/", "zzzz", std::string(3, '\xff')};
  int picked = 0;
  for (const auto& [k, v] : model) {
    if (rng() % 200 != 0) continue;
    targets.push_back(k);
    targets.push_back(k + '\0');
    targets.push_back(k.substr(0, k.size() - 1));
    if (++picked > 300) break;
  }
  for (const std::string& t : targets) {
    it->Seek(t);
    auto lb = model.lower_bound(t);
    if (lb == model.end()) {
      ASSERT_FALSE(it->Valid());
    } else {
      ASSERT_TRUE(it->Valid());
      ASSERT_EQ(it->key().ToString(), lb->first);
      it->Prev();  // across a block boundary at times
      if (lb == model.begin()) {
        ASSERT_FALSE(it->Valid());
      } else {
        ASSERT_TRUE(it->Valid());
        ASSERT_EQ(it->key().ToString(), std::prev(lb)->first);
      }
    }
    it->SeekForPrev(t);
    auto ub = model.upper_bound(t);
    if (ub == model.begin()) {
      ASSERT_FALSE(it->Valid());
    } else {
      ASSERT_TRUE(it->Valid()) << t;
      ASSERT_EQ(it->key().ToString(), std::prev(ub)->first);
      it->Next();
      if (ub == model.end()) {
        ASSERT_FALSE(it->Valid());
      } else {
        ASSERT_TRUE(it->Valid());
        ASSERT_EQ(it->key().ToString(), ub->first);
      }
    }
    std::string fk, fv;
    bool found = false;
    ASSERT_TRUE(table.InternalGet(ro, t, &fk, &fv, &found).ok());
    ASSERT_EQ(found, lb != model.end());
    if (found) {
      ASSERT_EQ(fk, lb->first);
      ASSERT_EQ(fv, lb->second);
    }
  }
  ASSERT_TRUE(it->status().ok());
}

TEST(TableTest, EmptyTable) {
  TableOptions options;
  std::string bytes;
  ASSERT_TRUE(BuildTable(options, {}, &bytes).ok());
  std::unique_ptr<TableReader> table;
  ASSERT_TRUE(OpenTable(options, bytes, &table).ok());
  EXPECT_EQ(table->properties().num_entries, 0u);
  EXPECT_FALSE(table->KeyMayMatch("a"));
  auto it = table->NewIterator({});
  it->SeekToFirst();
  EXPECT_FALSE(it->Valid());
  it->SeekToLast();
  EXPECT_FALSE(it->Valid());
  it->SeekForPrev("x");
  EXPECT_FALSE(it->Valid());
  EXPECT_TRUE(it->status().ok());
}

TEST(TableTest, RoundTrip100kKeysEveryCodec) {
  const Model model = RandomModel(42, 100000);
  for (CompressionType c : kAll) {
    SCOPED_TRACE(EnumName(c));
    TableOptions options;
    options.compression = c;
    options.compression_level = c == CompressionType::kZstd ? 3 : 0;
    std::string bytes;
    ASSERT_TRUE(BuildTable(options, model, &bytes).ok());
    std::unique_ptr<TableReader> table;
    Status s = OpenTable(options, bytes, &table);
    ASSERT_TRUE(s.ok()) << s.ToString();
    const TableProperties& p = table->properties();
    EXPECT_EQ(p.num_entries, model.size());
    EXPECT_EQ(p.smallest_key, model.begin()->first);
    EXPECT_EQ(p.largest_key, model.rbegin()->first);
    EXPECT_EQ(p.compression, EnumName(c));
    EXPECT_EQ(p.comparator, BytewiseComparator()->Name());
    EXPECT_GT(p.num_data_blocks, 100u);
    EXPECT_GT(p.index_size, 0u);
    EXPECT_GT(p.filter_size, 0u);
    EXPECT_GT(p.creation_time, 1600000000u);
    EXPECT_FALSE(p.has_sequences);
    uint64_t raw_keys = 0, raw_values = 0;
    for (const auto& [k, v] : model) {
      raw_keys += k.size();
      raw_values += v.size();
      ASSERT_TRUE(table->KeyMayMatch(k));
    }
    EXPECT_EQ(p.raw_key_bytes, raw_keys);
    EXPECT_EQ(p.raw_value_bytes, raw_values);
    CheckAgainstModel(*table, model, 7);
  }
}

TEST(TableTest, KeysExactlyAtBlockBoundaries) {
  // With restart interval 1 an entry takes 3 + 5 + 92 = 100 bytes plus a 4-byte restart
  // offset, so n entries make a block of 104n + 4 bytes: 10 entries are exactly 1044 bytes.
  // A block_size of 1044 cuts blocks exactly at that size, 1043 just past it, 1045 one entry
  // later; the first and last keys of every block are then read, sought and looked up.
  struct Case {
    size_t block_size;
    uint64_t expected_blocks;
  };
  for (Case c : {Case{1043, 200}, Case{1044, 200}, Case{1045, 182}}) {
    SCOPED_TRACE("block_size " + std::to_string(c.block_size));
    TableOptions options;
    options.block_size = c.block_size;
    options.restart_interval = 1;
    options.compression = CompressionType::kNone;
    Model model;
    for (int i = 0; i < 2000; i++) {
      model[std::to_string(10000 + i)] = std::string(92, static_cast<char>('a' + i % 26));
    }
    std::string bytes;
    ASSERT_TRUE(BuildTable(options, model, &bytes).ok());
    std::unique_ptr<TableReader> table;
    ASSERT_TRUE(OpenTable(options, bytes, &table).ok());
    EXPECT_EQ(table->properties().num_data_blocks, c.expected_blocks);
    CheckAgainstModel(*table, model, c.block_size);
    // Every key finds its own entry.
    for (const auto& [k, v] : model) {
      std::string fk, fv;
      bool found;
      ASSERT_TRUE(table->InternalGet({}, k, &fk, &fv, &found).ok());
      ASSERT_TRUE(found);
      ASSERT_EQ(fk, k);
      ASSERT_EQ(fv, v);
    }
  }
}

TEST(TableTest, OneEntryPerBlockAndTinyBlocks) {
  TableOptions options;
  options.block_size = 1;  // every entry its own block
  const Model model = RandomModel(3, 500);
  std::string bytes;
  ASSERT_TRUE(BuildTable(options, model, &bytes).ok());
  std::unique_ptr<TableReader> table;
  ASSERT_TRUE(OpenTable(options, bytes, &table).ok());
  EXPECT_EQ(table->properties().num_data_blocks, model.size());
  CheckAgainstModel(*table, model, 3);
}

TEST(TableTest, OutOfOrderKeyIsInvalidArgument) {
  testing::StringWritableFile sink;
  TableBuilder builder(TableOptions{}, &sink);
  ASSERT_TRUE(builder.Add("b", "1").ok());
  EXPECT_TRUE(builder.Add("a", "2").IsInvalidArgument());
  EXPECT_TRUE(builder.Add("b", "3").IsInvalidArgument());  // duplicates too
  ASSERT_TRUE(builder.Add("c", "4").ok());                 // still usable
  ASSERT_TRUE(builder.Finish().ok());
  EXPECT_EQ(builder.NumEntries(), 2u);
  std::unique_ptr<TableReader> table;
  ASSERT_TRUE(OpenTable(TableOptions{}, sink.contents(), &table).ok());
  CheckAgainstModel(*table, {{"b", "1"}, {"c", "4"}}, 1);
}

TEST(TableTest, FilterKeysAndSequences) {
  // Keys are user key + 8-byte big-endian sequence (so bytewise order holds); the filter
  // indexes the user key, the properties record the sequence range.
  TableOptions options;
  options.filter_key = [](const Slice& k) { return Slice(k.data(), k.size() - 8); };
  options.sequence_of = [](const Slice& k) {
    uint64_t seq = 0;
    for (size_t i = k.size() - 8; i < k.size(); i++) seq = seq << 8 | static_cast<uint8_t>(k[i]);
    return seq;
  };
  testing::StringWritableFile sink;
  TableBuilder builder(options, &sink);
  for (int u = 0; u < 1000; u++) {
    for (uint64_t seq : {100u, 500u, 900u}) {
      std::string key = "user" + std::to_string(10000 + u);
      for (int shift = 56; shift >= 0; shift -= 8) {
        key.push_back(static_cast<char>((seq + u) >> shift));
      }
      ASSERT_TRUE(builder.Add(key, "v").ok());
    }
  }
  ASSERT_TRUE(builder.Finish().ok());
  std::unique_ptr<TableReader> table;
  ASSERT_TRUE(OpenTable(options, sink.contents(), &table).ok());
  const TableProperties& p = table->properties();
  ASSERT_TRUE(p.has_sequences);
  EXPECT_EQ(p.min_sequence, 100u);
  EXPECT_EQ(p.max_sequence, 900u + 999u);
  int false_positives = 0;
  for (int u = 0; u < 1000; u++) {
    EXPECT_TRUE(table->KeyMayMatch("user" + std::to_string(10000 + u)));
    if (table->KeyMayMatch("user" + std::to_string(20000 + u))) false_positives++;
  }
  EXPECT_LT(false_positives, 50);
}

TEST(TableTest, NoFilter) {
  TableOptions options;
  options.bloom_bits_per_key = 0;
  std::string bytes;
  ASSERT_TRUE(BuildTable(options, {{"a", "1"}}, &bytes).ok());
  std::unique_ptr<TableReader> table;
  ASSERT_TRUE(OpenTable(options, bytes, &table).ok());
  EXPECT_EQ(table->properties().filter_size, 0u);
  EXPECT_TRUE(table->KeyMayMatch("anything"));
}

TEST(TableTest, IncompressibleBlocksAreStoredRaw) {
  TableOptions options;
  options.compression = CompressionType::kZstd;
  Model model;
  for (int i = 0; i < 200; i++) {
    model["k" + std::to_string(1000 + i)] = strata::test::RandomBytes(i, 500);
  }
  std::string bytes;
  ASSERT_TRUE(BuildTable(options, model, &bytes).ok());
  // Raw random values do not shrink by 1/8, so the file is at least as large as the data.
  EXPECT_GT(bytes.size(), 200u * 500u);
  std::unique_ptr<TableReader> table;
  ASSERT_TRUE(OpenTable(options, bytes, &table).ok());
  CheckAgainstModel(*table, model, 2);
}

TEST(TableTest, WrongComparatorIsInvalidArgument) {
  class Other final : public Comparator {
   public:
    int Compare(const Slice& a, const Slice& b) const override { return a.compare(b); }
    const char* Name() const override { return "test.Other"; }
    void FindShortestSeparator(std::string*, const Slice&) const override {}
    void FindShortSuccessor(std::string*) const override {}
  } other;
  std::string bytes;
  ASSERT_TRUE(BuildTable(TableOptions{}, {{"a", "1"}}, &bytes).ok());
  TableOptions options;
  options.comparator = &other;
  std::unique_ptr<TableReader> table;
  Status s = OpenTable(options, bytes, &table);
  EXPECT_TRUE(s.IsInvalidArgument()) << s.ToString();
  EXPECT_NE(s.ToString().find("t.sst"), std::string::npos);
}

TEST(TableTest, SixtyFourMiBValue) {
  TableOptions options;
  options.compression = CompressionType::kNone;
  const std::string big = strata::test::RandomBytes(64, 64 << 20);
  const Model model = {{"a", "small"}, {"big", big}, {"c", ""}};
  std::string bytes;
  ASSERT_TRUE(BuildTable(options, model, &bytes).ok());
  std::unique_ptr<TableReader> table;
  ASSERT_TRUE(OpenTable(options, bytes, &table).ok());
  std::string fk, fv;
  bool found = false;
  ASSERT_TRUE(table->InternalGet({}, "b", &fk, &fv, &found).ok());
  ASSERT_TRUE(found);
  EXPECT_EQ(fk, "big");
  EXPECT_TRUE(fv == big);
  auto it = table->NewIterator({});
  it->SeekToLast();
  it->Prev();
  ASSERT_TRUE(it->Valid());
  EXPECT_EQ(it->key().ToString(), "big");
  EXPECT_EQ(it->value().size(), big.size());
  // A reader whose block limit is below the value's block refuses it instead of allocating.
  options.max_block_size = 1 << 20;
  ASSERT_TRUE(OpenTable(options, bytes, &table).ok());
  it = table->NewIterator({});
  it->Seek("big");
  EXPECT_FALSE(it->Valid());
  EXPECT_TRUE(it->status().IsCorruption()) << it->status().ToString();
  // And a builder with that limit refuses the entry.
  testing::StringWritableFile sink;
  TableBuilder builder(options, &sink);
  EXPECT_TRUE(builder.Add("big", big).IsInvalidArgument());
  builder.Abandon();
}

TEST(TableTest, BlockCacheServesRepeatedReads) {
  TableOptions options;
  options.block_cache = std::make_shared<Cache>(8 << 20);
  const Model model = RandomModel(11, 20000);
  std::string bytes;
  ASSERT_TRUE(BuildTable(options, model, &bytes).ok());
  std::unique_ptr<TableReader> table;
  ASSERT_TRUE(OpenTable(options, bytes, &table).ok());
  EXPECT_EQ(options.block_cache->TotalCharge(), 0u);
  CheckAgainstModel(*table, model, 11);
  const size_t charged = options.block_cache->TotalCharge();
  EXPECT_GT(charged, 0u);
  CheckAgainstModel(*table, model, 12);  // now from the cache
  // fill_cache = false reads do not add blocks.
  auto fresh = std::make_shared<Cache>(8 << 20);
  options.block_cache = fresh;
  ASSERT_TRUE(OpenTable(options, bytes, &table).ok());
  TableReadOptions ro;
  ro.fill_cache = false;
  auto it = table->NewIterator(ro);
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
  }
  EXPECT_EQ(fresh->TotalCharge(), 0u);
}

}  // namespace
}  // namespace strata::sst
