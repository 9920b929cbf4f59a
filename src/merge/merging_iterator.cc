#include "merge/merging_iterator.h"

#include <cassert>
#include <utility>

namespace strata {

namespace {

// The tournament: k children are the leaves k..2k-1 of an implicit binary tree whose
// internal nodes are 1..k-1 (node n has children 2n and 2n+1, so every internal node has
// exactly two children for any k). Each internal node remembers the LOSER of the match
// played there; the overall winner, the child whose entry comes next, is kept apart. When
// the winner moves, only the matches on its path to the root are replayed, and each replay
// compares the new entry with the stored loser: one comparison per level.
//
// "Beats" is the merged order in the current direction: forward, the smaller key wins and
// equal keys go to the lower child index; backward, the larger key wins and equal keys go
// to the HIGHER index, so going backward retraces exactly the forward order. A child that
// is not Valid() loses to every valid one. Because ties are broken by index, Beats is a
// strict total order on the children at any instant, which is what the tree needs.
class MergingIterator final : public Iterator {
 public:
  MergingIterator(const Comparator* cmp, std::vector<std::unique_ptr<Iterator>> children)
      : cmp_(cmp),
        children_(std::move(children)),
        losers_(children_.size()),
        winners_(2 * children_.size()) {}

  bool Valid() const override { return winner_ >= 0 && children_[winner_]->Valid(); }

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
      children_[winner_]->Next();
      Rebuild(Direction::kForward);
      return;
    }
    children_[winner_]->Next();
    Replay(winner_);
  }

  void Prev() override {
    assert(Valid());
    if (direction_ != Direction::kReverse) {
      RepositionForReverse();
      children_[winner_]->Prev();
      Rebuild(Direction::kReverse);
      return;
    }
    children_[winner_]->Prev();
    Replay(winner_);
  }

  Slice key() const override {
    assert(Valid());
    return children_[winner_]->key();
  }
  Slice value() const override {
    assert(Valid());
    return children_[winner_]->value();
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

  // Plays the whole tournament from scratch: k-1 comparisons.
  void Rebuild(Direction direction) {
    direction_ = direction;
    const int k = size();
    if (k == 0) {
      winner_ = -1;
      return;
    }
    for (int i = 0; i < k; i++) winners_[k + i] = i;
    for (int n = k - 1; n >= 1; n--) {
      const int left = winners_[2 * n];
      const int right = winners_[2 * n + 1];
      const bool left_wins = Beats(left, right);
      winners_[n] = left_wins ? left : right;
      losers_[n] = left_wins ? right : left;
    }
    winner_ = winners_[1];  // with k == 1, node 1 is the only leaf
  }

  // Child c (the previous winner) has moved: replays the matches on its path to the root.
  void Replay(int c) {
    int winner = c;
    for (int n = (size() + c) / 2; n >= 1; n /= 2) {
      if (Beats(losers_[n], winner)) std::swap(losers_[n], winner);
    }
    winner_ = winner;
  }

  // Going forward after going backward. The current entry is (K, c). Going backward, every
  // other child sits at its last entry before (K, c) in the merged order; going forward it
  // must sit at its first entry after it. Child c itself is moved by the caller.
  void RepositionForForward() {
    const int c = winner_;
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
    const int c = winner_;
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
  // losers_[n] for internal nodes n in [1, k); losers_[0] is unused.
  std::vector<int> losers_;
  // Scratch for Rebuild: the winner of every node, leaves included.
  std::vector<int> winners_;
  int winner_ = -1;  // the child at the current entry; -1 with no children
  Direction direction_ = Direction::kForward;
};

}  // namespace

std::unique_ptr<Iterator> NewMergingIterator(const Comparator* cmp,
                                             std::vector<std::unique_ptr<Iterator>> children) {
  if (children.size() == 1) return std::move(children[0]);
  return std::make_unique<MergingIterator>(cmp, std::move(children));
}

}  // namespace strata
