#include "db/compaction.h"

namespace strata {

uint64_t Compaction::InputBytes(int which) const {
  uint64_t total = 0;
  for (const auto& f : inputs[which]) total += f->file_size;
  return total;
}

bool Compaction::IsTrivialMove() const {
  if (manual || inputs[0].size() != 1 || !inputs[1].empty()) return false;
  uint64_t overlap = 0;
  for (const auto& f : grandparents) overlap += f->file_size;
  return overlap <= max_grandparent_overlap_bytes;
}

DeeperLevels::DeeperLevels(const Compaction& c, const Comparator* ucmp) : c_(c), ucmp_(ucmp) {}

bool DeeperLevels::MayHoldKey(const Slice& user_key) {
  for (int level = c_.output_level + 1; level < kNumLevels; level++) {
    const FileList& files = c_.version->files[level];
    size_t& i = cursor_[level];
    // Keys arrive in ascending order: files wholly before this key never matter again.
    while (i < files.size() &&
           ucmp_->Compare(user_key, memtable::ExtractUserKey(files[i]->largest)) > 0) {
      i++;
    }
    if (i < files.size() &&
        ucmp_->Compare(user_key, memtable::ExtractUserKey(files[i]->smallest)) >= 0) {
      return true;
    }
  }
  return false;
}

OutputCutter::OutputCutter(const Compaction& c, const memtable::InternalKeyComparator* icmp)
    : c_(c), icmp_(icmp) {}

bool OutputCutter::ShouldCutBefore(const Slice& internal_key, uint64_t current_output_bytes) {
  // Grandparents that end before this key are overlapped by the output being written.
  const FileList& gp = c_.grandparents;
  while (grandparent_index_ < gp.size() &&
         icmp_->Compare(internal_key, gp[grandparent_index_]->largest) > 0) {
    if (seen_key_) overlapped_bytes_ += gp[grandparent_index_]->file_size;
    grandparent_index_++;
  }
  seen_key_ = true;
  if (current_output_bytes == 0) {  // a new output starts here: it overlaps nothing yet
    overlapped_bytes_ = 0;
    return false;
  }
  if (current_output_bytes >= c_.max_output_file_size ||
      overlapped_bytes_ > c_.max_grandparent_overlap_bytes) {
    overlapped_bytes_ = 0;
    return true;
  }
  return false;
}

}  // namespace strata
