// Compaction: one unit of compaction work, as picked from a Version.
//
// A compaction merges inputs[0] (files of `level`) with inputs[1] (the files of
// `output_level` whose user-key ranges overlap them) into new files of output_level. Level
// 0 compacts into the base level (the first level dynamic sizing uses; every level between
// is empty), every other level into the next one.
//
// The helpers below are what the compaction job consults while it writes, in key order:
// where to cut output files, and whether any level below the output could still hold a key
// (only then must a deletion be kept).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "db/version_set.h"
#include "memtable/internal_key.h"

namespace strata {

using FileList = std::vector<std::shared_ptr<const FileMetaData>>;

struct Compaction {
  int level = 0;
  int output_level = 1;
  FileList inputs[2];
  // Files of output_level + 1 overlapping the inputs: outputs are cut so that none overlaps
  // too many bytes of them (which would make its own next compaction expensive).
  FileList grandparents;
  // The Version picked from; keeps the inputs alive and answers "is the key below?".
  std::shared_ptr<const Version> version;
  uint64_t max_output_file_size = 0;
  uint64_t max_grandparent_overlap_bytes = 0;
  // The user-key range of all inputs.
  std::string smallest_user_key;
  std::string largest_user_key;
  double score = 0;
  bool manual = false;

  uint64_t InputBytes(int which) const;
  int NumInputFiles() const { return static_cast<int>(inputs[0].size() + inputs[1].size()); }
  // A single file that overlaps nothing in the output level, and not too much below it: it
  // moves down by a MANIFEST edit alone, without being rewritten.
  bool IsTrivialMove() const;
};

// Answers, for user keys given in ascending order, whether a level below the compaction's
// output level may hold the key. Each level keeps a cursor that only moves forward, so a
// whole compaction costs one pass over the deeper levels' file lists.
class DeeperLevels {
 public:
  DeeperLevels(const Compaction& c, const Comparator* ucmp);
  bool MayHoldKey(const Slice& user_key);

 private:
  const Compaction& c_;
  const Comparator* const ucmp_;
  size_t cursor_[kNumLevels] = {};
};

// Decides where output files end: at max_output_file_size, or before a key past which the
// current output would overlap more than max_grandparent_overlap_bytes of grandparents.
class OutputCutter {
 public:
  OutputCutter(const Compaction& c, const memtable::InternalKeyComparator* icmp);
  // Called for each key that starts a new user key; true if the current output should end
  // before it. current_output_bytes is the size of the file being written (0: none open).
  bool ShouldCutBefore(const Slice& internal_key, uint64_t current_output_bytes);

 private:
  const Compaction& c_;
  const memtable::InternalKeyComparator* const icmp_;
  size_t grandparent_index_ = 0;
  bool seen_key_ = false;
  uint64_t overlapped_bytes_ = 0;
};

}  // namespace strata
