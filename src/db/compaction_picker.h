// CompactionPicker: decides what to compact next, and keeps track of what is running.
//
// Level sizing is dynamic: the last level's target is its actual size, each level above
// it targets a tenth (max_bytes_for_level_multiplier) of the level below, and level 0
// flushes go to the "base level", the highest level whose target is at most
// max_bytes_for_level_base. Levels above the base stay empty. In steady state the last level
// holds about 90% of the data, so space amplification stays near 1.11.
//
// Each level gets a score: level 0 its file count over the compaction trigger, the others
// their bytes over their target. The highest score >= 1 compacts first. Within a level a
// cursor rotates through the key space, so every range gets its turn.
//
// Several compactions may run at once. Their input files are marked busy, and a new
// compaction may not write into a key range of a level that a running one writes into: two
// outputs overlapping in one level would break the level's invariant.
//
// Not thread-safe: the DB calls it under its mutex.
#pragma once

#include <cstdint>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "db/compaction.h"
#include "db/version_set.h"

namespace strata {

struct CompactionOptions {
  int level0_trigger = 4;
  uint64_t max_bytes_for_level_base = 256ull << 20;
  int level_multiplier = 10;
  uint64_t target_file_size = 64ull << 20;
};

// What dynamic level sizing makes of a Version.
struct LevelTargets {
  int base_level = kNumLevels - 1;
  uint64_t bytes[kNumLevels] = {};  // 0 for level 0, the last level and levels above the base
};

LevelTargets ComputeLevelTargets(const Version& v, const CompactionOptions& options);

class CompactionPicker {
 public:
  CompactionPicker(const memtable::InternalKeyComparator* icmp, CompactionOptions options);

  // Per level: the score (see above); the last level's is 0.
  std::vector<double> Scores(const Version& v) const;

  // The most urgent compaction that can start now, or null. Its files are marked busy until
  // Release().
  std::unique_ptr<Compaction> Pick(const std::shared_ptr<const Version>& v);

  // A manual compaction of the files of `level` overlapping [begin, end] (user keys; null:
  // open end) into the next level (the base level for level 0; the last level into itself).
  // Null if the level has no such file. *busy is set when it must wait for running
  // compactions first.
  std::unique_ptr<Compaction> PickRange(const std::shared_ptr<const Version>& v, int level,
                                        const Slice* begin, const Slice* end, bool* busy);

  // Marks a finished (or failed) compaction's files as no longer busy.
  void Release(const Compaction& c);

  bool AnyRunning() const { return !running_.empty(); }
  int NumRunning() const { return static_cast<int>(running_.size()); }

 private:
  struct Running {
    int output_level;
    std::string smallest_user_key;
    std::string largest_user_key;
    const Compaction* compaction;
  };

  std::unique_ptr<Compaction> PickLevel0(const std::shared_ptr<const Version>& v, int base_level);
  std::unique_ptr<Compaction> PickLevel(const std::shared_ptr<const Version>& v, int level);
  // Fills in inputs[1], grandparents, the key range and the size limits; false if a file
  // it needs is busy or a running compaction writes into the same range of the output level.
  bool Complete(Compaction* c);
  void Register(const Compaction& c);

  bool IsBusy(const FileList& files) const;
  // Files of `level` whose user-key range intersects [lo, hi] (null: open end).
  FileList Overlapping(const Version& v, int level, const Slice* lo, const Slice* hi) const;
  void UserKeyRange(const FileList& files, std::string* lo, std::string* hi) const;

  const memtable::InternalKeyComparator* const icmp_;
  const Comparator* const ucmp_;
  const CompactionOptions options_;
  // Per level, the largest internal key of the last file compacted from it.
  std::string cursor_[kNumLevels];
  std::set<uint64_t> busy_files_;
  std::vector<Running> running_;
};

}  // namespace strata
