// The loser tree merges sorted sources into one sorted sequence, stable by source index.
#include "merge/loser_tree.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <utility>
#include <vector>

#include "base/random.h"

namespace strata::merge {
namespace {

// Merges `sources` with a LoserTree and returns (value, source) in the order produced.
std::vector<std::pair<int, int>> Merge(const std::vector<std::vector<int>>& sources) {
  std::vector<size_t> pos(sources.size(), 0);
  auto live = [&](int s) { return pos[s] < sources[s].size(); };
  auto compare = [&](int a, int b) { return sources[a][pos[a]] - sources[b][pos[b]]; };
  LoserTree tree(sources.size(), AscendingStable(live, compare));
  tree.Rebuild();
  std::vector<std::pair<int, int>> out;
  for (int w = tree.winner(); w >= 0 && live(w); w = tree.winner()) {
    out.emplace_back(sources[w][pos[w]], w);
    pos[w]++;
    tree.Replay();
  }
  return out;
}

TEST(LoserTreeTest, EmptyAndSingleSources) {
  EXPECT_TRUE(Merge({}).empty());
  EXPECT_TRUE(Merge({{}, {}}).empty());
  const auto one = Merge({{1, 2, 3}});
  ASSERT_EQ(one.size(), 3u);
  EXPECT_EQ(one[2], std::make_pair(3, 0));
}

TEST(LoserTreeTest, TiesGoToTheLowerSource) {
  const auto out = Merge({{5, 7}, {5}, {1, 5}});
  const std::vector<std::pair<int, int>> expected = {{1, 2}, {5, 0}, {5, 1}, {5, 2}, {7, 0}};
  EXPECT_EQ(out, expected);
}

TEST(LoserTreeTest, RandomSourcesMergeLikeAStableSort) {
  Random rnd(11);
  for (int round = 0; round < 200; round++) {
    const size_t k = 1 + rnd.Uniform(40);
    std::vector<std::vector<int>> sources(k);
    std::vector<std::pair<int, int>> expected;
    for (size_t s = 0; s < k; s++) {
      const size_t n = rnd.Uniform(30);
      for (size_t i = 0; i < n; i++) sources[s].push_back(static_cast<int>(rnd.Uniform(50)));
      std::sort(sources[s].begin(), sources[s].end());
      for (int v : sources[s]) expected.emplace_back(v, static_cast<int>(s));
    }
    std::stable_sort(expected.begin(), expected.end());
    ASSERT_EQ(Merge(sources), expected) << "round " << round;
  }
}

}  // namespace
}  // namespace strata::merge
