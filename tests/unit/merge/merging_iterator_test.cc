#include "merge/merging_iterator.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "base/random.h"
#include "strata/comparator.h"
#include "support/iterator_checks.h"
#include "support/test_util.h"

namespace strata::merge {
namespace {

using Entries = std::vector<std::pair<std::string, std::string>>;

// A child over a sorted vector (duplicates allowed). It can be made to fail: at once, or
// after a number of moves, after which it is not Valid() and reports Corruption.
class VectorIterator final : public Iterator {
 public:
  explicit VectorIterator(Entries entries, std::string error = "", int fail_after_moves = -1)
      : entries_(std::move(entries)), error_(std::move(error)), moves_left_(fail_after_moves) {
    if (!error_.empty() && moves_left_ < 0) failed_ = true;
  }

  bool Valid() const override { return !failed_ && pos_ < entries_.size(); }
  void SeekToFirst() override { Move(0); }
  void SeekToLast() override { Move(entries_.empty() ? entries_.size() : entries_.size() - 1); }
  void Seek(const Slice& target) override {
    auto it = std::lower_bound(entries_.begin(), entries_.end(), target.ToString(),
                               [](const auto& e, const std::string& t) { return e.first < t; });
    Move(it - entries_.begin());
  }
  void SeekForPrev(const Slice& target) override {
    auto it = std::upper_bound(entries_.begin(), entries_.end(), target.ToString(),
                               [](const std::string& t, const auto& e) { return t < e.first; });
    Move(it == entries_.begin() ? entries_.size() : (it - entries_.begin()) - 1);
  }
  void Next() override {
    EXPECT_TRUE(Valid());
    Move(pos_ + 1);
  }
  void Prev() override {
    EXPECT_TRUE(Valid());
    Move(pos_ == 0 ? entries_.size() : pos_ - 1);
  }
  Slice key() const override { return entries_.at(pos_).first; }
  Slice value() const override { return entries_.at(pos_).second; }
  Status status() const override { return failed_ ? Status::Corruption(error_) : Status::OK(); }

 private:
  // pos == size() means "not positioned".
  void Move(size_t pos) {
    if (failed_) return;
    pos_ = pos;
    if (moves_left_ >= 0 && moves_left_-- == 0) failed_ = true;
  }

  Entries entries_;
  std::string error_;
  int moves_left_;
  bool failed_ = false;
  size_t pos_ = 0;
};

// The merged order, computed without the code under test: all entries, children in index
// order, stably sorted by key, so ties keep child order and then position in the child.
Entries ModelMerge(const std::vector<Entries>& children) {
  Entries all;
  for (const auto& c : children) all.insert(all.end(), c.begin(), c.end());
  std::stable_sort(all.begin(), all.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  return all;
}

std::unique_ptr<Iterator> Merge(const std::vector<Entries>& children) {
  std::vector<std::unique_ptr<Iterator>> its;
  for (const auto& c : children) its.push_back(std::make_unique<VectorIterator>(c));
  return NewMergingIterator(BytewiseComparator(), std::move(its));
}

// Random sorted children. Values name the child and the position, so that the order of
// equal keys is checked too. Keys come from a small space so duplicates across (and, with
// dup_within, inside) children are common.
std::vector<Entries> RandomChildren(Random* rnd, int k, int key_space, bool dup_within) {
  std::vector<Entries> children(k);
  for (int c = 0; c < k; c++) {
    const int n = static_cast<int>(rnd->Skewed(7));
    std::vector<std::string> keys;
    for (int i = 0; i < n; i++) {
      keys.push_back("k" + std::to_string(rnd->Uniform(static_cast<uint32_t>(key_space))));
    }
    std::sort(keys.begin(), keys.end());
    if (!dup_within) keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
    for (size_t i = 0; i < keys.size(); i++) {
      children[c].emplace_back(keys[i], "c" + std::to_string(c) + "p" + std::to_string(i));
    }
  }
  return children;
}

// A target that may or may not be present, including ones before and after every key.
std::string RandomTarget(Random* rnd, int key_space) {
  if (rnd->OneIn(20)) return "";
  if (rnd->OneIn(20)) return "z";
  std::string t = "k" + std::to_string(rnd->Uniform(static_cast<uint32_t>(key_space) + 1));
  if (rnd->OneIn(3)) t += "0";  // between keys
  return t;
}

void ExpectAt(const Iterator& it, const Entries& model, size_t pos) {
  if (pos >= model.size()) {
    ASSERT_FALSE(it.Valid());
    return;
  }
  ASSERT_TRUE(it.Valid()) << "expected " << model[pos].first << "=" << model[pos].second;
  ASSERT_EQ(it.key().ToString(), model[pos].first);
  ASSERT_EQ(it.value().ToString(), model[pos].second);
}

void CheckFullScans(const std::vector<Entries>& children) {
  const Entries model = ModelMerge(children);
  auto it = Merge(children);
  it->SeekToFirst();
  for (size_t i = 0; i < model.size(); i++) {
    ASSERT_NO_FATAL_FAILURE(ExpectAt(*it, model, i));
    it->Next();
  }
  ASSERT_FALSE(it->Valid());
  it->SeekToLast();
  for (size_t i = model.size(); i-- > 0;) {
    ASSERT_NO_FATAL_FAILURE(ExpectAt(*it, model, i));
    it->Prev();
  }
  ASSERT_FALSE(it->Valid());
  ASSERT_TRUE(it->status().ok());
}

// Random Next/Prev/Seek/SeekForPrev/SeekToFirst/SeekToLast, compared after every step with
// a model iterator (an index into the merged vector; size() = not valid).
void CheckRandomWalk(Random* rnd, const std::vector<Entries>& children, int key_space, int steps) {
  const Entries model = ModelMerge(children);
  const size_t end = model.size();
  auto it = Merge(children);
  size_t pos = end;
  for (int step = 0; step < steps; step++) {
    const uint32_t op = rnd->Uniform(10);
    if (pos != end && op < 3) {
      it->Next();
      pos++;
    } else if (pos != end && op < 6) {
      it->Prev();
      pos = pos == 0 ? end : pos - 1;
    } else if (op < 7 || (pos == end && op < 4)) {
      const std::string target = RandomTarget(rnd, key_space);
      it->Seek(target);
      pos = std::lower_bound(model.begin(), model.end(), target,
                             [](const auto& e, const std::string& t) { return e.first < t; }) -
            model.begin();
    } else if (op < 8 || pos == end) {
      const std::string target = RandomTarget(rnd, key_space);
      it->SeekForPrev(target);
      const size_t upper =
          std::upper_bound(model.begin(), model.end(), target,
                           [](const std::string& t, const auto& e) { return t < e.first; }) -
          model.begin();
      pos = upper == 0 ? end : upper - 1;
    } else if (op < 9) {
      it->SeekToFirst();
      pos = 0;
    } else {
      it->SeekToLast();
      pos = end == 0 ? end : end - 1;
    }
    ASSERT_NO_FATAL_FAILURE(ExpectAt(*it, model, pos)) << "step " << step << " op " << op;
  }
  ASSERT_TRUE(it->status().ok());
}

TEST(MergingIteratorTest, NoChildren) {
  auto it = Merge({});
  strata::test::ExpectEmptyIterator(it.get());
}

TEST(MergingIteratorTest, FixedExampleWithDuplicates) {
  const std::vector<Entries> children = {
      {{"a", "0a"}, {"c", "0c"}, {"e", "0e"}},
      {{"b", "1b"}, {"c", "1c"}},
      {},
      {{"a", "3a"}, {"c", "3c"}, {"f", "3f"}},
  };
  auto it = Merge(children);
  std::string forward;
  for (it->SeekToFirst(); it->Valid(); it->Next()) forward += it->value().ToString() + " ";
  EXPECT_EQ(forward, "0a 3a 1b 0c 1c 3c 0e 3f ");
  std::string backward;
  for (it->SeekToLast(); it->Valid(); it->Prev()) backward += it->value().ToString() + " ";
  EXPECT_EQ(backward, "3f 0e 3c 1c 0c 1b 3a 0a ");

  // Direction changes in the middle of a run of equal keys.
  it->Seek("c");
  EXPECT_EQ(it->value().ToString(), "0c");
  it->Next();
  EXPECT_EQ(it->value().ToString(), "1c");
  it->Prev();
  EXPECT_EQ(it->value().ToString(), "0c");
  it->Prev();
  EXPECT_EQ(it->value().ToString(), "1b");
  it->Next();
  EXPECT_EQ(it->value().ToString(), "0c");
  it->SeekForPrev("c");
  EXPECT_EQ(it->value().ToString(), "3c");
  it->Prev();
  EXPECT_EQ(it->value().ToString(), "1c");
  it->Next();
  EXPECT_EQ(it->value().ToString(), "3c");
  it->Next();
  EXPECT_EQ(it->value().ToString(), "0e");
}

TEST(MergingIteratorTest, RandomChildrenMatchModel) {
  const int seeds = test::Iterations(20, 300);
  for (int k : {0, 1, 2, 7, 64}) {
    for (int seed = 1; seed <= seeds; seed++) {
      SCOPED_TRACE("k=" + std::to_string(k) + " seed=" + std::to_string(seed));
      Random rnd(seed * 1000 + k);
      const int key_space = rnd.OneIn(2) ? 20 : 2000;
      const bool dup_within = rnd.OneIn(3);
      const auto children = RandomChildren(&rnd, k, key_space, dup_within);
      ASSERT_NO_FATAL_FAILURE(CheckFullScans(children));
      ASSERT_NO_FATAL_FAILURE(CheckRandomWalk(&rnd, children, key_space, 400));
    }
  }
}

TEST(MergingIteratorTest, IdenticalChildren) {
  // Every key in every child: the tree is all ties.
  std::vector<Entries> children;
  for (int c = 0; c < 5; c++) {
    Entries e;
    for (int i = 0; i < 10; i++) e.emplace_back("k" + std::to_string(i), std::to_string(c));
    children.push_back(e);
  }
  ASSERT_NO_FATAL_FAILURE(CheckFullScans(children));
  Random rnd(5);
  ASSERT_NO_FATAL_FAILURE(CheckRandomWalk(&rnd, children, 10, 2000));
}

TEST(MergingIteratorTest, FailedChildIsReported) {
  std::vector<std::unique_ptr<Iterator>> its;
  its.push_back(std::make_unique<VectorIterator>(Entries{{"a", "0"}, {"c", "0"}}));
  its.push_back(std::make_unique<VectorIterator>(Entries{{"b", "1"}}, "bad block in child 1"));
  its.push_back(std::make_unique<VectorIterator>(Entries{{"d", "2"}}, "bad block in child 2"));
  auto it = NewMergingIterator(BytewiseComparator(), std::move(its));
  it->SeekToFirst();
  std::string seen;
  for (; it->Valid(); it->Next()) seen += it->key().ToString();
  EXPECT_EQ(seen, "ac");  // the failed children drop out
  const Status s = it->status();
  EXPECT_TRUE(s.IsCorruption());
  EXPECT_EQ(s.message(), "bad block in child 1");  // the first failure by child index
}

TEST(MergingIteratorTest, ChildFailingMidway) {
  std::vector<std::unique_ptr<Iterator>> its;
  its.push_back(std::make_unique<VectorIterator>(Entries{{"a", "0"}, {"c", "0"}, {"e", "0"}}));
  // Fails on its third move (SeekToFirst, Next, then this one).
  its.push_back(std::make_unique<VectorIterator>(Entries{{"b", "1"}, {"d", "1"}, {"f", "1"}},
                                                 "torn read", 2));
  auto it = NewMergingIterator(BytewiseComparator(), std::move(its));
  it->SeekToFirst();
  EXPECT_TRUE(it->status().ok());
  std::string seen;
  for (; it->Valid(); it->Next()) seen += it->key().ToString();
  EXPECT_EQ(seen, "abcde");
  EXPECT_TRUE(it->status().IsCorruption());
}

TEST(MergingIteratorTest, SingleChildIsPassedThrough) {
  const std::vector<Entries> children = {{{"x", "1"}, {"y", "2"}}};
  ASSERT_NO_FATAL_FAILURE(CheckFullScans(children));
}

}  // namespace
}  // namespace strata::merge
