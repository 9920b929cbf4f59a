// LoserTree: the tournament every k-way merge in Strata runs on (the merging iterator of the
// engine, the external sorter's run merge, the RDB report's key merge).
//
// Sources are numbered 0..k-1 and owned by the caller. The tree never looks at items; it asks
// `beats(a, b)` whether source a's current item must come out before source b's. beats must
// be a strict total order over the sources at any instant, which a caller gets by breaking
// ties on the source index and by letting a source with no item (exhausted, or invalid) lose
// to every source that has one. AscendingStable() below builds the usual such order.
//
// Shape: the k sources are the leaves k..2k-1 of an implicit binary tree whose internal nodes
// are 1..k-1 (node n has children 2n and 2n+1, so every internal node has exactly two
// children for any k). Each internal node remembers the LOSER of the match played there; the
// overall winner is kept apart. When the winner's source moves to its next item, only the
// matches on its path to the root are replayed, each against the stored loser: about log2(k)
// calls of beats per item, against k-1 for a full Rebuild().
//
// Usage: position every source, Rebuild(); then repeatedly take winner()'s item, advance that
// source, Replay(). A caller whose order changes as a whole (a merging iterator turning
// around) repositions its sources and calls Rebuild() again.
#pragma once

#include <cstddef>
#include <utility>
#include <vector>

namespace strata::merge {

template <class Beats>
class LoserTree {
 public:
  LoserTree(size_t k, Beats beats)
      : k_(static_cast<int>(k)), beats_(std::move(beats)), losers_(k), winners_(2 * k) {}

  int size() const { return k_; }

  // The source whose item comes next; -1 only when there are no sources. With a beats that
  // ranks exhausted sources last, the winner is exhausted only when every source is.
  int winner() const { return winner_; }

  // Plays every match from scratch: k-1 calls of beats.
  void Rebuild() {
    if (k_ == 0) {
      winner_ = -1;
      return;
    }
    for (int s = 0; s < k_; s++) winners_[k_ + s] = s;
    for (int n = k_ - 1; n >= 1; n--) {
      const int left = winners_[2 * n];
      const int right = winners_[2 * n + 1];
      const bool left_wins = beats_(left, right);
      winners_[n] = left_wins ? left : right;
      losers_[n] = left_wins ? right : left;
    }
    winner_ = winners_[1];  // with k == 1, node 1 is the only leaf
  }

  // The winner's source has moved (to its next item, or out of items): replays the matches
  // on its path to the root.
  void Replay() {
    if (winner_ < 0) return;
    int candidate = winner_;
    for (int n = (k_ + winner_) / 2; n >= 1; n /= 2) {
      if (beats_(losers_[n], candidate)) std::swap(losers_[n], candidate);
    }
    winner_ = candidate;
  }

 private:
  const int k_;
  Beats beats_;
  std::vector<int> losers_;   // losers_[n] for internal nodes n in [1, k); [0] is unused
  std::vector<int> winners_;  // scratch for Rebuild: the winner of every node, leaves included
  int winner_ = -1;
};

// The order of a forward, stable merge: a source with an item (live(s)) beats one without;
// between two live sources the smaller item wins (compare(a, b) < 0), and equal items go to
// the lower source index, so the merge keeps source order among equals.
template <class Live, class Compare>
auto AscendingStable(Live live, Compare compare) {
  return [live = std::move(live), compare = std::move(compare)](int a, int b) {
    const bool a_live = live(a);
    const bool b_live = live(b);
    if (!a_live || !b_live) return a_live != b_live ? a_live : a < b;
    const int c = compare(a, b);
    return c != 0 ? c < 0 : a < b;
  };
}

}  // namespace strata::merge
