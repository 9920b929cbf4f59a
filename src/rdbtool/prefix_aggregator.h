// PrefixAggregator: the key prefixes that hold at least a given share of the memory, from
// keys fed in sorted order, in one pass with a stack and memory bounded by the tree it keeps.
//
// A key's prefixes are cut after each separator (':', '/', '|', '.', '#'): "user:42:name"
// has "user:" and "user:42:". Sorted keys that share a prefix are contiguous, so a prefix is
// open (on the stack) exactly while keys under it stream by; when a key arrives that is not
// under it, it closes: kept (attached to its parent) if it holds at least the minimum share,
// else dropped, with whatever it kept below it (a child never holds more than its parent).
// The stack is as deep as the deepest key's prefix chain; the kept tree has at most
// 1 / min_share nodes per level.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "rdbtool/report_data.h"

namespace strata::rdbtool {

class PrefixAggregator {
 public:
  // min_bytes: the least memory (or, when weighing by RDB bytes, RDB bytes) a prefix must hold
  // to be kept. by_memory: weigh by memory bytes, else by RDB bytes.
  PrefixAggregator(uint64_t min_bytes, bool by_memory);

  static bool IsSeparator(char c) {
    return c == ':' || c == '/' || c == '|' || c == '.' || c == '#';
  }

  // Keys must come in nondecreasing byte order (unsigned). Equal keys (from several
  // instances or databases) are fine.
  void Add(std::string_view key, uint64_t memory, uint64_t rdb);
  // Closes every open prefix and returns the root (all keys) with the kept prefixes below it,
  // each level sorted by weight, heaviest first.
  ReportPrefix Finish();

 private:
  // Pops the top of the stack, attaching it to its parent if it holds enough.
  void Close();
  uint64_t Weight(const ReportPrefix& p) const { return by_memory_ ? p.memory_bytes : p.rdb_bytes; }

  const uint64_t min_bytes_;
  const bool by_memory_;
  std::vector<ReportPrefix> stack_;  // stack_[0] is the root
};

}  // namespace strata::rdbtool
