// LoserTree: picks the smallest of k sorted sources over and over, with about log2(k)
// comparisons per pick (a tournament tree that keeps each match's loser).
//
// Sources are numbered 0..k-1. The caller owns them; the tree only asks, through `compare`,
// how source a's current item orders against source b's (<0, 0, >0): one call per match. A source
// that is exhausted is marked with SetExhausted and never wins again. Ties go to the lower source
// index, so a merge is stable with respect to source order.
//
// Usage: Init() once every source has its first item (or is exhausted); then repeatedly
// Winner() (-1 when all are exhausted), consume the winner's item, advance that source, mark
// it exhausted if it is, and call Replay().
#pragma once

#include <cstddef>
#include <vector>

namespace strata {

template <class Compare>
class LoserTree {
 public:
  // compare(a, b) < 0: source a's current item orders before source b's.
  LoserTree(size_t k, Compare compare)
      : k_(k), compare_(compare), exhausted_(k, false), losers_(k, -1) {}

  void SetExhausted(size_t source) { exhausted_[source] = true; }

  void Init() {
    if (k_ == 0) {
      winner_ = -1;
      return;
    }
    // Play every match bottom-up: internal node i (1..k-1) has children 2i and 2i+1, where
    // nodes k..2k-1 are the sources.
    std::vector<int> winners(2 * k_, -1);
    for (size_t s = 0; s < k_; s++) winners[k_ + s] = static_cast<int>(s);
    for (size_t i = k_ - 1; i >= 1; i--) {
      const int a = winners[2 * i];
      const int b = winners[2 * i + 1];
      if (Beats(a, b)) {
        winners[i] = a;
        losers_[i] = b;
      } else {
        winners[i] = b;
        losers_[i] = a;
      }
    }
    winner_ = k_ == 1 ? 0 : winners[1];
    if (winner_ >= 0 && exhausted_[winner_]) winner_ = -1;
  }

  // The source whose item is next, or -1 when every source is exhausted.
  int Winner() const { return winner_; }

  // After the winner moved to its next item (or was marked exhausted): replays its path.
  void Replay() {
    if (winner_ < 0) return;
    int candidate = winner_;
    for (size_t node = (k_ + static_cast<size_t>(winner_)) / 2; node >= 1; node /= 2) {
      if (Beats(losers_[node], candidate)) std::swap(losers_[node], candidate);
    }
    winner_ = (candidate >= 0 && !exhausted_[candidate]) ? candidate : -1;
  }

 private:
  // Whether a beats b: a real, unexhausted source beats an exhausted one or none; between
  // two live sources the smaller item wins, the lower index on ties.
  bool Beats(int a, int b) const {
    if (a < 0 || exhausted_[a]) return false;
    if (b < 0 || exhausted_[b]) return true;
    const int c = compare_(a, b);
    return c != 0 ? c < 0 : a < b;
  }

  const size_t k_;
  Compare compare_;
  std::vector<bool> exhausted_;
  std::vector<int> losers_;  // losers_[i]: the loser of internal node i's last match
  int winner_ = -1;
};

}  // namespace strata
