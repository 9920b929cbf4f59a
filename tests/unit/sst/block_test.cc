// Blocks: round trips through BlockBuilder and the block iterator, compared with std::map,
// across restart intervals; damaged blocks report Corruption and never read out of bounds.
#include "sst/block.h"

#include <gtest/gtest.h>

#include <map>
#include <random>
#include <string>

#include "base/coding.h"
#include "sst/block_builder.h"
#include "support/iterator_checks.h"
#include "support/test_util.h"

namespace strata::sst {
namespace {

using Model = std::map<std::string, std::string>;

std::shared_ptr<const Block> BuildBlock(const Model& model, int restart_interval) {
  BlockBuilder builder(restart_interval);
  for (const auto& [k, v] : model) builder.Add(k, v);
  EXPECT_EQ(builder.num_entries(), model.size());
  const size_t estimate = builder.CurrentSizeEstimate();
  std::string bytes = builder.Finish().ToString();
  EXPECT_EQ(bytes.size(), estimate);
  return std::make_shared<const Block>(std::move(bytes), "test block");
}

// Keys with long shared prefixes, the empty key, and binary bytes.
Model RandomModel(uint64_t seed, int n) {
  std::mt19937_64 rng(seed);
  Model model;
  model[""] = "empty key";
  for (int i = 0; i < n; i++) {
    std::string key = "prefix/" + std::to_string(rng() % 1000) + "/";
    key += strata::test::RandomBytes(rng(), rng() % 6);
    model[key] = strata::test::RandomBytes(rng(), rng() % 40);
  }
  return model;
}

void CheckBackward(Iterator* it, const Model& model) {
  auto m = model.rbegin();
  for (it->SeekToLast(); it->Valid(); it->Prev(), ++m) {
    ASSERT_NE(m, model.rend());
    ASSERT_EQ(it->key().ToString(), m->first);
    ASSERT_EQ(it->value().ToString(), m->second);
  }
  ASSERT_TRUE(it->status().ok()) << it->status().ToString();
  EXPECT_EQ(m, model.rend());
}

// Seek and SeekForPrev to targets present and absent, then a few steps either way.
void CheckSeeks(Iterator* it, const Model& model, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::vector<std::string> targets = {"", std::string(1, '\xff'), "prefix/", "zzz"};
  for (const auto& [k, v] : model) {
    if (rng() % 3 == 0) targets.push_back(k);
    if (rng() % 3 == 0) targets.push_back(k + '\0');
    if (rng() % 5 == 0 && !k.empty()) targets.push_back(k.substr(0, k.size() - 1));
  }
  for (const std::string& t : targets) {
    it->Seek(t);
    auto m = model.lower_bound(t);
    for (int step = 0; step < 3; step++) {
      if (m == model.end()) {
        ASSERT_FALSE(it->Valid());
        break;
      }
      ASSERT_TRUE(it->Valid());
      ASSERT_EQ(it->key().ToString(), m->first);
      it->Next();
      ++m;
    }
    it->SeekForPrev(t);
    auto u = model.upper_bound(t);
    for (int step = 0; step < 3; step++) {
      if (u == model.begin()) {
        ASSERT_FALSE(it->Valid());
        break;
      }
      --u;
      ASSERT_TRUE(it->Valid()) << "SeekForPrev " << t;
      ASSERT_EQ(it->key().ToString(), u->first);
      ASSERT_EQ(it->value().ToString(), u->second);
      it->Prev();
    }
    ASSERT_TRUE(it->status().ok());
  }
}

TEST(BlockTest, EmptyBlock) {
  auto block = BuildBlock({}, 16);
  ASSERT_TRUE(block->status().ok());
  EXPECT_EQ(block->size(), 8u);  // one restart point and the count
  auto it = Block::NewIterator(block, BytewiseComparator());
  strata::test::ExpectEmptyIterator(it.get());
}

TEST(BlockTest, SingleEmptyKey) {
  auto block = BuildBlock({{"", ""}}, 1);
  auto it = Block::NewIterator(block, BytewiseComparator());
  it->Seek("");
  ASSERT_TRUE(it->Valid());
  EXPECT_EQ(it->key().size(), 0u);
  it->Prev();
  EXPECT_FALSE(it->Valid());
  it->SeekForPrev("");
  ASSERT_TRUE(it->Valid());
  it->Seek("a");
  EXPECT_FALSE(it->Valid());
}

TEST(BlockTest, RoundTripAgainstModel) {
  for (int restart_interval : {1, 2, 3, 16, 1000}) {
    for (int n : {1, 2, 15, 16, 17, 33, 500}) {
      SCOPED_TRACE("restart_interval " + std::to_string(restart_interval) + " n " +
                   std::to_string(n));
      const Model model = RandomModel(n * 31 + restart_interval, n);
      auto block = BuildBlock(model, restart_interval);
      ASSERT_TRUE(block->status().ok()) << block->status().ToString();
      auto it = Block::NewIterator(block, BytewiseComparator());
      ASSERT_NO_FATAL_FAILURE(strata::test::ExpectForwardScanMatches(it.get(), model));
      CheckBackward(it.get(), model);
      CheckSeeks(it.get(), model, n);
    }
  }
}

TEST(BlockTest, RestartBoundaries) {
  // Exactly 16, 32 and 48 entries: the last entry of each restart run and the first of the
  // next are where Prev and Seek change restart points.
  for (int n : {16, 32, 48}) {
    Model model;
    for (int i = 0; i < n; i++) model["key" + std::to_string(1000 + i)] = std::to_string(i);
    auto block = BuildBlock(model, 16);
    auto it = Block::NewIterator(block, BytewiseComparator());
    CheckBackward(it.get(), model);
    for (int i : {15, 16, 31, 32, 47}) {
      if (i >= n) continue;
      const std::string key = "key" + std::to_string(1000 + i);
      it->Seek(key);
      ASSERT_TRUE(it->Valid());
      EXPECT_EQ(it->key().ToString(), key);
      it->Prev();
      ASSERT_TRUE(it->Valid());
      EXPECT_EQ(it->key().ToString(), "key" + std::to_string(999 + i));
    }
  }
}

TEST(BlockTest, ReverseComparator) {
  class Reverse final : public Comparator {
   public:
    int Compare(const Slice& a, const Slice& b) const override { return -a.compare(b); }
    const char* Name() const override { return "test.Reverse"; }
    void FindShortestSeparator(std::string*, const Slice&) const override {}
    void FindShortSuccessor(std::string*) const override {}
  } reverse;
  BlockBuilder builder(4);
  for (int i = 99; i >= 0; i--) builder.Add("k" + std::to_string(100 + i), "v");
  auto block = std::make_shared<const Block>(builder.Finish().ToString(), "reverse");
  auto it = Block::NewIterator(block, &reverse);
  it->Seek("k150");
  ASSERT_TRUE(it->Valid());
  EXPECT_EQ(it->key().ToString(), "k150");
  it->Seek("k1505");  // between k151 and k150 in reverse order
  ASSERT_TRUE(it->Valid());
  EXPECT_EQ(it->key().ToString(), "k150");
  it->SeekForPrev("k1505");
  ASSERT_TRUE(it->Valid());
  EXPECT_EQ(it->key().ToString(), "k151");
}

TEST(BlockTest, BadTrailerIsCorruption) {
  const std::string bad_trailers[] = {
      "",                                                      // too small
      std::string("\x00\x00\x00", 3),                          // too small
      std::string("\x00\x00\x00\x00", 4),                      // zero restarts
      std::string("\x00\x00\x00\x00\x05\x00\x00\x00", 8),      // count larger than the block
      std::string("abc\x01\x00\x00\x00\x01\x00\x00\x00", 12),  // restart 0 is not 0
  };
  for (const std::string& bytes : bad_trailers) {
    auto block = std::make_shared<const Block>(bytes, "f.sst: block at offset 77");
    EXPECT_TRUE(block->status().IsCorruption());
    EXPECT_NE(block->status().ToString().find("f.sst: block at offset 77"), std::string::npos);
    auto it = Block::NewIterator(block, BytewiseComparator());
    it->SeekToFirst();
    EXPECT_FALSE(it->Valid());
    EXPECT_TRUE(it->status().IsCorruption());
  }
}

// Every single-byte change and every truncation either fails with Corruption or yields
// entries; nothing reads outside the block (ASan checks that).
TEST(BlockTest, DamagedEntriesNeverReadOutOfBounds) {
  const Model model = RandomModel(5, 40);
  BlockBuilder builder(4);
  for (const auto& [k, v] : model) builder.Add(k, v);
  const std::string good = builder.Finish().ToString();
  int corruptions = 0;
  for (size_t i = 0; i < good.size(); i++) {
    for (int variant = 0; variant < 2; variant++) {
      std::string bytes = variant == 0 ? good : good.substr(0, i);
      if (variant == 0) bytes[i] = static_cast<char>(bytes[i] ^ 0x80);
      auto block = std::make_shared<const Block>(bytes, "damaged");
      auto it = Block::NewIterator(block, BytewiseComparator());
      size_t n = 0;
      for (it->SeekToFirst(); it->Valid() && n < 10000; it->Next()) n++;
      for (it->SeekToLast(); it->Valid() && n < 20000; it->Prev()) n++;
      it->Seek("prefix/5");
      it->SeekForPrev("prefix/5");
      if (!it->status().ok()) {
        EXPECT_TRUE(it->status().IsCorruption());
        corruptions++;
      }
    }
  }
  EXPECT_GT(corruptions, 0);
}

TEST(BlockTest, LargeValue) {
  const std::string big = strata::test::RandomBytes(9, 3 << 20);
  Model model = {{"a", "1"}, {"b", big}, {"c", ""}};
  auto block = BuildBlock(model, 16);
  auto it = Block::NewIterator(block, BytewiseComparator());
  ASSERT_NO_FATAL_FAILURE(strata::test::ExpectForwardScanMatches(it.get(), model));
  CheckBackward(it.get(), model);
}

}  // namespace
}  // namespace strata::sst
