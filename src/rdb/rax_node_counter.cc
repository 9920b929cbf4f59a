#include "rdb/rax_node_counter.h"

#include <cstring>

namespace strata::rdb {

namespace {

constexpr int kLeafDepth = static_cast<int>(RaxNodeCounter::kKeyBytes);

// An edge of the compressed trie from a branching node at parent_depth to a node at
// child_depth: its first byte sits in the branching node, any further bytes in a node of
// their own (a compressed node, or a plain one for a single byte).
int ChainNodes(int parent_depth, int child_depth) { return child_depth - parent_depth >= 2; }

}  // namespace

void RaxNodeCounter::Add(const uint8_t* key) {
  if (keys_ == 0) {
    std::memcpy(last_, key, kKeyBytes);
    keys_ = 1;
    return;
  }
  int common = 0;
  while (common < kLeafDepth && last_[common] == key[common]) common++;
  if (common == kLeafDepth) return;  // the same ID again
  // Close the edges below the new branching point: the previous key's leaf first, then the
  // branching nodes deeper than the point, each hanging from the one above it.
  int child = kLeafDepth;
  while (depth_count_ > 0 && depths_[depth_count_ - 1] > common) {
    const int parent = depths_[--depth_count_];
    chain_nodes_ += ChainNodes(parent, child);
    child = parent;
  }
  if (depth_count_ == 0 || depths_[depth_count_ - 1] < common) {
    depths_[depth_count_++] = common;  // a new branching node splits the edge above child
    branch_nodes_++;
  }
  chain_nodes_ += ChainNodes(common, child);
  std::memcpy(last_, key, kKeyBytes);
  keys_++;
}

uint64_t RaxNodeCounter::Nodes() const {
  if (keys_ == 0) return 1;
  uint64_t chains = chain_nodes_;
  int child = kLeafDepth;  // the last key's leaf, whose edges are still open
  for (int i = depth_count_ - 1; i >= 0; i--) {
    chains += ChainNodes(depths_[i], child);
    child = depths_[i];
  }
  // The root: the topmost branching node itself when it sits at depth 0, else a node holding
  // the prefix every key shares.
  const uint64_t root = child > 0 ? 1 : 0;
  return keys_ + branch_nodes_ + chains + root;
}

}  // namespace strata::rdb
