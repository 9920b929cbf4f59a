// RaxNodeCounter: the number of nodes of the radix tree ("rax") Redis builds when it inserts
// a set of 16-byte stream IDs in ascending order, as it does when it loads a stream from an
// RDB file (the stream's listpack index, and every consumer group's and consumer's pending
// entries list). MEMORY USAGE charges a stream per rax node, so the memory model needs it.
//
// A rax loaded that way is a compressed trie: one node per branching point (two or more
// children), one per key (an empty leaf; no ID is a prefix of another), one per chain of
// single-child bytes below a branching point that is longer than the byte kept in the
// branching node, and one for the chain the root starts with when every key shares a
// prefix. The counter follows the keys' longest common prefixes with a stack of the
// branching depths on the rightmost path, so it keeps 16 + 17 integers whatever the count.
//
// Keys must arrive in ascending order (an RDB writes them so); a repeated key is ignored.
#pragma once

#include <cstddef>
#include <cstdint>

namespace strata::rdb {

class RaxNodeCounter {
 public:
  static constexpr size_t kKeyBytes = 16;

  void Add(const uint8_t* key);
  uint64_t keys() const { return keys_; }
  // Nodes of the rax holding the keys added so far; 1 (the root) when there are none.
  uint64_t Nodes() const;
  void Reset() { *this = RaxNodeCounter(); }

 private:
  uint8_t last_[kKeyBytes] = {};
  uint64_t keys_ = 0;
  uint64_t branch_nodes_ = 0;
  uint64_t chain_nodes_ = 0;  // chains of >= 1 byte below a branching node, closed so far
  // Depths (prefix lengths) of the branching nodes on the path to the last key, increasing.
  int depths_[kKeyBytes + 1] = {};
  int depth_count_ = 0;
};

}  // namespace strata::rdb
