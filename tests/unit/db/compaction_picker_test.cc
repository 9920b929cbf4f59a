// Dynamic level targets, scores and picking, on hand-built Versions.
#include "db/compaction_picker.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>

namespace strata {
namespace {

constexpr uint64_t kMiB = 1 << 20;

std::string IKey(const std::string& user_key, memtable::SequenceNumber s = 1) {
  std::string k;
  memtable::AppendInternalKey(&k, {user_key, s, memtable::ValueType::kValue});
  return k;
}

class PickerTest : public ::testing::Test {
 protected:
  // Adds a file [lo, hi] of `bytes` to `level`, keeping levels >= 1 sorted.
  void Add(int level, const std::string& lo, const std::string& hi, uint64_t bytes) {
    auto f = std::make_shared<FileMetaData>();
    f->number = next_number_++;
    f->file_size = bytes;
    f->smallest = IKey(lo);
    f->largest = IKey(hi);
    version_->files[level].push_back(f);
  }
  std::shared_ptr<const Version> version() const { return version_; }

  memtable::InternalKeyComparator icmp_{BytewiseComparator()};
  std::shared_ptr<Version> version_ = std::make_shared<Version>();
  uint64_t next_number_ = 10;
};

TEST_F(PickerTest, SmallDatabaseLivesInTheLastLevel) {
  CompactionOptions o;
  EXPECT_EQ(ComputeLevelTargets(*version_, o).base_level, 6);  // empty
  Add(6, "a", "z", 100 * kMiB);
  EXPECT_EQ(ComputeLevelTargets(*version_, o).base_level, 6);  // under 256 MiB
}

TEST_F(PickerTest, EachLevelUpTargetsATenthOfTheOneBelow) {
  CompactionOptions o;  // base 256 MiB, multiplier 10
  Add(6, "a", "z", 30000 * kMiB);
  // 30000 -> 3000 (L5) -> 300 (L4) -> 30 (L3), the first under 256.
  const LevelTargets t = ComputeLevelTargets(*version_, o);
  EXPECT_EQ(t.base_level, 3);
  EXPECT_EQ(t.bytes[3], 30000 * kMiB / 1000);
  EXPECT_EQ(t.bytes[4], 30000 * kMiB / 1000 * 10);
  EXPECT_EQ(t.bytes[5], 30000 * kMiB / 1000 * 100);
  EXPECT_EQ(t.bytes[1], 0u);
  EXPECT_EQ(t.bytes[2], 0u);
}

TEST_F(PickerTest, NonEmptyLevelAboveTheComputedBaseBecomesTheBase) {
  CompactionOptions o;
  Add(6, "a", "z", 1000 * kMiB);  // computed base: 5 (100 MiB)
  Add(3, "c", "d", 1 * kMiB);     // data above it is never jumped over
  const LevelTargets t = ComputeLevelTargets(*version_, o);
  EXPECT_EQ(t.base_level, 3);
  EXPECT_EQ(t.bytes[5], 100 * kMiB);
  EXPECT_EQ(t.bytes[4], 10 * kMiB);
  EXPECT_EQ(t.bytes[3], 1 * kMiB);
}

TEST_F(PickerTest, LevelZeroScoreIsFilesOverTrigger) {
  CompactionOptions o;
  o.level0_trigger = 4;
  CompactionPicker picker(&icmp_, o);
  for (int i = 0; i < 3; i++) Add(0, "a", "b", kMiB);
  EXPECT_DOUBLE_EQ(picker.Scores(*version_)[0], 0.75);
  EXPECT_EQ(picker.Pick(version()), nullptr);
  Add(0, "a", "b", kMiB);
  std::unique_ptr<Compaction> c = picker.Pick(version());
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->level, 0);
  EXPECT_EQ(c->output_level, 6);
  EXPECT_EQ(c->inputs[0].size(), 4u);
  // While it runs, level 0 is busy: no second level-0 compaction.
  Add(0, "a", "b", kMiB);
  EXPECT_EQ(picker.Pick(version()), nullptr);
  picker.Release(*c);
  EXPECT_NE(picker.Pick(version()), nullptr);
}

TEST_F(PickerTest, CursorRotatesThroughTheLevel) {
  CompactionOptions o;
  o.max_bytes_for_level_base = 10 * kMiB;
  Add(6, "a", "z", 1000 * kMiB);  // base 4 (10 MiB), level 5 targets 100 MiB
  Add(5, "b", "c", 60 * kMiB);
  Add(5, "e", "f", 60 * kMiB);
  Add(5, "h", "i", 60 * kMiB);  // 180 MiB in level 5: score 1.8
  CompactionPicker picker(&icmp_, o);
  std::vector<uint64_t> picked;
  for (int i = 0; i < 4; i++) {
    std::unique_ptr<Compaction> c = picker.Pick(version());
    ASSERT_NE(c, nullptr);
    EXPECT_EQ(c->level, 5);
    EXPECT_EQ(c->output_level, 6);
    ASSERT_EQ(c->inputs[0].size(), 1u);
    ASSERT_EQ(c->inputs[1].size(), 1u);  // the level-6 file overlaps everything
    picked.push_back(c->inputs[0][0]->number);
    picker.Release(*c);
  }
  const uint64_t first = version_->files[5][0]->number;
  EXPECT_EQ(picked, (std::vector<uint64_t>{first, first + 1, first + 2, first}));
}

TEST_F(PickerTest, RunningOutputRangeBlocksOverlappingCompactions) {
  CompactionOptions o;
  o.max_bytes_for_level_base = 10 * kMiB;
  Add(6, "m", "n", 1000 * kMiB);  // base 4, level 5 target 100 MiB
  Add(5, "a", "b", 120 * kMiB);
  Add(5, "x", "y", 120 * kMiB);  // score 2.4; 1.2 counting only files not being compacted
  CompactionPicker picker(&icmp_, o);
  std::unique_ptr<Compaction> first = picker.Pick(version());
  ASSERT_NE(first, nullptr);
  // The second file overlaps nothing in level 6 and nothing running: it may go at once.
  std::unique_ptr<Compaction> second = picker.Pick(version());
  ASSERT_NE(second, nullptr);
  EXPECT_NE(first->inputs[0][0]->number, second->inputs[0][0]->number);
  EXPECT_TRUE(second->IsTrivialMove());
  // A manual compaction of level 5 needs both files: it must wait.
  bool busy = false;
  EXPECT_EQ(picker.PickRange(version(), 5, nullptr, nullptr, &busy), nullptr);
  EXPECT_TRUE(busy);
  picker.Release(*first);
  picker.Release(*second);
  std::unique_ptr<Compaction> manual = picker.PickRange(version(), 5, nullptr, nullptr, &busy);
  ASSERT_NE(manual, nullptr);
  EXPECT_EQ(manual->inputs[0].size(), 2u);
  EXPECT_FALSE(manual->IsTrivialMove());
}

TEST_F(PickerTest, BusyFilesInTheOutputLevelBlockACompaction) {
  CompactionOptions o;
  o.max_bytes_for_level_base = 10 * kMiB;
  Add(6, "a", "b", 1000 * kMiB);  // base 4; level 6 has nothing in [c, z]
  Add(5, "c", "f", 90 * kMiB);
  Add(5, "g", "k", 90 * kMiB);
  CompactionPicker picker(&icmp_, o);
  std::unique_ptr<Compaction> first = picker.Pick(version());
  ASSERT_NE(first, nullptr);
  EXPECT_EQ(first->inputs[0][0]->number, version_->files[5][0]->number);  // [c, f]
  // A level-4 file covering [e, h] needs both level-5 files, and [c, f] is busy.
  Add(4, "e", "h", 50 * kMiB);
  bool busy = false;
  EXPECT_EQ(picker.PickRange(version(), 4, nullptr, nullptr, &busy), nullptr);
  EXPECT_TRUE(busy);
  picker.Release(*first);
}

TEST_F(PickerTest, GrandparentsAreTheOverlappingFilesTwoLevelsDown) {
  CompactionOptions o;
  o.max_bytes_for_level_base = 20 * kMiB;
  o.level0_trigger = 1;
  Add(6, "a", "c", 400 * kMiB);
  Add(6, "d", "f", 400 * kMiB);
  Add(6, "x", "z", 400 * kMiB);  // 1200 -> 120 (level 5) -> 12 (level 4): base 4
  Add(4, "b", "e", 1 * kMiB);
  Add(5, "a", "z", 1 * kMiB);
  Add(0, "b", "e", 1 * kMiB);
  CompactionPicker picker(&icmp_, o);
  std::unique_ptr<Compaction> c = picker.Pick(version());
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->level, 0);
  EXPECT_EQ(c->output_level, 4);
  ASSERT_EQ(c->inputs[1].size(), 1u);
  ASSERT_EQ(c->grandparents.size(), 1u);  // level 5's file
  picker.Release(*c);
}

}  // namespace
}  // namespace strata
