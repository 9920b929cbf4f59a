#include "db/obsolete_version_filter.h"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

namespace strata {
namespace {

struct Entry {
  const char* key;
  memtable::SequenceNumber sequence;
  memtable::ValueType type;
};

// Which entries survive, for entries given in internal-key order.
std::vector<memtable::SequenceNumber> Kept(std::vector<memtable::SequenceNumber> snapshots,
                                           bool bottommost, const std::vector<Entry>& entries) {
  ObsoleteVersionFilter filter(BytewiseComparator(), std::move(snapshots), bottommost);
  std::vector<memtable::SequenceNumber> kept;
  for (const Entry& e : entries) {
    if (!filter.Drop({e.key, e.sequence, e.type})) kept.push_back(e.sequence);
  }
  return kept;
}

constexpr memtable::ValueType kPut = memtable::ValueType::kValue;
constexpr memtable::ValueType kDel = memtable::ValueType::kDeletion;

TEST(ObsoleteVersionFilter, NoSnapshotsKeepsOnlyTheNewest) {
  EXPECT_EQ(Kept({}, false, {{"a", 9, kPut}, {"a", 5, kPut}, {"a", 2, kPut}, {"b", 7, kPut}}),
            (std::vector<memtable::SequenceNumber>{9, 7}));
}

TEST(ObsoleteVersionFilter, EachSnapshotKeepsTheVersionItSees) {
  // Snapshots at 3 and 6: stripes (..3], (3..6], (6..]. Newest per stripe survives.
  EXPECT_EQ(Kept({6, 3}, false,
                 {{"a", 9, kPut},
                  {"a", 8, kPut},
                  {"a", 6, kPut},
                  {"a", 5, kPut},
                  {"a", 3, kPut},
                  {"a", 1, kPut}}),
            (std::vector<memtable::SequenceNumber>{9, 6, 3}));
}

TEST(ObsoleteVersionFilter, DeletionsDropOnlyAtTheBottomAndBelowEverySnapshot) {
  const std::vector<Entry> entries = {
      {"a", 4, kDel}, {"a", 2, kPut}, {"b", 8, kDel}, {"b", 1, kPut}};
  // Not bottommost: deletions stay (they may hide older data below).
  EXPECT_EQ(Kept({}, false, entries), (std::vector<memtable::SequenceNumber>{4, 8}));
  // Bottommost, no snapshots: deletions and what they hide all go.
  EXPECT_EQ(Kept({}, true, entries), (std::vector<memtable::SequenceNumber>{}));
  // Bottommost with a snapshot at 5: a@4 is below it and goes; b@8 is above it, and the
  // snapshot still sees b@1 through it.
  EXPECT_EQ(Kept({5}, true, entries), (std::vector<memtable::SequenceNumber>{8, 1}));
}

// Kept entries as "key@sequence", with sequence 0 where the filter allows zeroing it. Keys
// in `below` are the ones a deeper level holds.
std::vector<std::string> KeptWithZeroing(std::vector<memtable::SequenceNumber> snapshots,
                                         std::set<std::string> below,
                                         const std::vector<Entry>& entries) {
  ObsoleteVersionFilter filter(BytewiseComparator(), std::move(snapshots),
                               [&below](const Slice& k) { return below.count(k.ToString()) > 0; });
  std::vector<std::string> kept;
  for (const Entry& e : entries) {
    const memtable::ParsedInternalKey k{e.key, e.sequence, e.type};
    if (filter.Drop(k)) continue;
    const memtable::SequenceNumber written = filter.CanZeroSequence(k) ? 0 : e.sequence;
    kept.push_back(std::string(e.key) + "@" + std::to_string(written));
  }
  return kept;
}

TEST(ObsoleteVersionFilter, ZeroesOnlyValuesEveryReaderSeesWithNothingBelow) {
  const std::vector<Entry> entries = {{"a", 9, kPut}, {"a", 2, kPut}, {"b", 8, kDel},
                                      {"b", 1, kPut}, {"c", 7, kPut}, {"d", 3, kPut}};
  // No snapshot, nothing below: the newest value of each key, sequence zero; b's deletion
  // goes with what it hides.
  EXPECT_EQ(KeptWithZeroing({}, {}, entries), (std::vector<std::string>{"a@0", "c@0", "d@0"}));
  // Snapshot at 5: versions above it keep their sequences (the snapshot must not see them);
  // the ones it sees become zero. b@8 stays: the snapshot sees b@1 through it.
  EXPECT_EQ(KeptWithZeroing({5}, {}, entries),
            (std::vector<std::string>{"a@9", "a@0", "b@8", "b@0", "c@7", "d@0"}));
  // A deeper level holds c and d: their sequences stay, or the older versions below would
  // look newer.
  EXPECT_EQ(KeptWithZeroing({}, {"c", "d"}, entries),
            (std::vector<std::string>{"a@0", "c@7", "d@3"}));
}

}  // namespace
}  // namespace strata
