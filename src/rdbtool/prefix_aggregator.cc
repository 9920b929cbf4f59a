#include "rdbtool/prefix_aggregator.h"

#include <algorithm>

namespace strata::rdbtool {

PrefixAggregator::PrefixAggregator(uint64_t min_bytes, bool by_memory)
    : min_bytes_(min_bytes), by_memory_(by_memory) {
  stack_.emplace_back();  // the root, "": every key is under it
}

void PrefixAggregator::Close() {
  ReportPrefix node = std::move(stack_.back());
  stack_.pop_back();
  if (Weight(node) < min_bytes_) return;
  std::sort(node.children.begin(), node.children.end(),
            [&](const ReportPrefix& a, const ReportPrefix& b) { return Weight(a) > Weight(b); });
  stack_.back().children.push_back(std::move(node));
}

void PrefixAggregator::Add(std::string_view key, uint64_t memory, uint64_t rdb) {
  // Close the open prefixes the key is not under. Every open prefix is a prefix of the one
  // above it, so the ones to close are at the top.
  while (stack_.size() > 1) {
    const std::string& p = stack_.back().prefix;
    if (key.size() >= p.size() && key.compare(0, p.size(), p) == 0) break;
    Close();
  }
  // Open the key's prefixes beyond the deepest one still open.
  for (size_t i = stack_.back().prefix.size(); i < key.size(); i++) {
    if (!IsSeparator(key[i])) continue;
    ReportPrefix p;
    p.prefix = std::string(key.substr(0, i + 1));
    stack_.push_back(std::move(p));
  }
  for (ReportPrefix& p : stack_) {
    p.keys++;
    p.memory_bytes += memory;
    p.rdb_bytes += rdb;
  }
}

ReportPrefix PrefixAggregator::Finish() {
  while (stack_.size() > 1) Close();
  ReportPrefix root = std::move(stack_.back());
  std::sort(root.children.begin(), root.children.end(),
            [&](const ReportPrefix& a, const ReportPrefix& b) { return Weight(a) > Weight(b); });
  stack_.clear();
  stack_.emplace_back();
  return root;
}

}  // namespace strata::rdbtool
