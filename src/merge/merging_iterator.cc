#include "merge/merging_iterator.h"

#include <cassert>
#include <utility>

#include "merge/loser_tree.h"

namespace strata::merge {

namespace {

// The children are the sources of a loser tree (merge/loser_tree.h). "Beats" is the merged
// order in the current direction: forward, the smaller key wins and equal keys go to the
// lower child index; backward, the larger key wins and equal keys go to the HIGHER index, so
// going backward retraces exactly the forward order. A child that is not Valid() loses to
// every valid one. Because ties are broken by index, Beats is a strict total order on the
// children at any instant, which is what the tree needs.
class MergingIterator final : public Iterator {
 public:
  MergingIterator(const Comparator* cmp, std::vector<std::unique_ptr<Iterator>> children)
      : cmp_(cmp),
        children_(std::move(children)),
        tree_(children_.size(), BeatsInDirection{this}) {}

  bool Valid() const override {
    const int w = tree_.winner();
    return w >= 0 && children_[w]->Valid();
  }

  void SeekToFirst() override {
    for (auto& child : children_) child->SeekToFirst();
    Rebuild(Direction::kForward);
  }
  void SeekToLast() override {
    for (auto& child : children_) child->SeekToLast();
    Rebuild(Direction::kReverse);
  }
  void Seek(const Slice& target) override {
    for (auto& child : children_) child->Seek(target);
    Rebuild(Direction::kForward);
  }
  void SeekForPrev(const Slice& target) override {
    for (auto& child : children_) child->SeekForPrev(target);
    Rebuild(Direction::kReverse);
  }

  void Next() override {
    assert(Valid());
    if (direction_ != Direction::kForward) {
      RepositionForForward();
      children_[tree_.winner()]->Next();
      Rebuild(Direction::kForward);
      return;
    }
    children_[tree_.winner()]->Next();
    tree_.Replay();
  }

  void Prev() override {
    assert(Valid());
    if (direction_ != Direction::kReverse) {
      RepositionForReverse();
      children_[tree_.winner()]->Prev();
      Rebuild(Direction::kReverse);
      return;
    }
    children_[tree_.winner()]->Prev();
    tree_.Replay();
  }

  Slice key() const override {
    assert(Valid());
    return children_[tree_.winner()]->key();
  }
  Slice value() const override {
    assert(Valid());
    return children_[tree_.winner()]->value();
  }

  Status status() const override {
    for (const auto& child : children_) {
      Status s = child->status();
      if (!s.ok()) return s;
    }
    return Status::OK();
  }

 private:
  enum class Direction { kForward, kReverse };

  int size() const { return static_cast<int>(children_.size()); }

  bool Beats(int a, int b) const {
    const bool a_valid = children_[a]->Valid();
    const bool b_valid = children_[b]->Valid();
    if (!a_valid || !b_valid) {
      if (a_valid != b_valid) return a_valid;
      return a < b;  // any fixed order among exhausted children will do
    }
    const int r = cmp_->Compare(children_[a]->key(), children_[b]->key());
    if (direction_ == Direction::kForward) return r < 0 || (r == 0 && a < b);
    return r > 0 || (r == 0 && a > b);
  }

  // The tree's order: a pointer back, because the order depends on the iterator's direction.
  struct BeatsInDirection {
    const MergingIterator* it;
    bool operator()(int a, int b) const { return it->Beats(a, b); }
  };

  void Rebuild(Direction direction) {
    direction_ = direction;
    tree_.Rebuild();
  }

  // Going forward after going backward. The current entry is (K, c). Going backward, every
  // other child sits at its last entry before (K, c) in the merged order; going forward it
  // must sit at its first entry after it. Child c itself is moved by the caller.
  void RepositionForForward() {
    const int c = tree_.winner();
    const Slice current = children_[c]->key();  // stays valid: child c does not move here
    for (int i = 0; i < size(); i++) {
      if (i == c) continue;
      Iterator* child = children_[i].get();
      if (i < c) {
        // Equal keys of a lower child come before (K, c): skip them, i.e. the first key > K.
        child->SeekForPrev(current);
        if (child->Valid()) {
          child->Next();
        } else if (child->status().ok()) {
          child->SeekToFirst();
        }
      } else {
        // Equal keys of a higher child come after (K, c): the first key >= K.
        child->Seek(current);
      }
    }
  }

  // Going backward after going forward; the mirror image of RepositionForForward.
  void RepositionForReverse() {
    const int c = tree_.winner();
    const Slice current = children_[c]->key();
    for (int i = 0; i < size(); i++) {
      if (i == c) continue;
      Iterator* child = children_[i].get();
      if (i < c) {
        // Equal keys of a lower child come before (K, c): the last key <= K.
        child->SeekForPrev(current);
      } else {
        // Equal keys of a higher child come after (K, c): the last key < K.
        child->Seek(current);
        if (child->Valid()) {
          child->Prev();
        } else if (child->status().ok()) {
          child->SeekToLast();
        }
      }
    }
  }

  const Comparator* const cmp_;
  std::vector<std::unique_ptr<Iterator>> children_;
  Direction direction_ = Direction::kForward;
  // Its winner is the child at the current entry; -1 with no children.
  LoserTree<BeatsInDirection> tree_;
};

}  // namespace

std::unique_ptr<Iterator> NewMergingIterator(const Comparator* cmp,
                                             std::vector<std::unique_ptr<Iterator>> children) {
  if (children.size() == 1) return std::move(children[0]);
  return std::make_unique<MergingIterator>(cmp, std::move(children));
}

}  // namespace strata::merge
