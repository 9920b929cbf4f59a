// DbStats: what the engine counts about its own work, and the "strata.stats" report.
//
// Per level: files, bytes, target and score (from the Version), and what flushes (level 0)
// and compactions wrote into it. Read amplification is the number of sorted runs a point
// read may have to probe (each level-0 file and each non-empty deeper level); write
// amplification is bytes written to the level over bytes compacted into it from above, and
// overall, all bytes flushed and compacted over the bytes users wrote (their WAL records).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "db/compaction_picker.h"
#include "db/version_set.h"

namespace strata {

struct LevelWriteStats {
  uint64_t runs = 0;  // flushes (level 0) or compactions writing into this level
  uint64_t trivial_moves = 0;
  uint64_t bytes_read_upper = 0;  // from the level above (level 0: memtable bytes flushed)
  uint64_t bytes_read_level = 0;  // from this level itself
  uint64_t bytes_written = 0;
  uint64_t micros = 0;
};

struct DbStats {
  LevelWriteStats level[kNumLevels];  // indexed by the level written
  uint64_t ingest_bytes = 0;          // WAL records of user writes
  uint64_t stop_count = 0;
  uint64_t stop_micros = 0;
  uint64_t slowdown_count = 0;
  uint64_t slowdown_micros = 0;
  uint64_t rate_limit_micros = 0;
};

struct StatsInputs {
  const Version* version;
  LevelTargets targets;
  std::vector<double> scores;
  int memtables = 0;  // the active one and those waiting to be flushed
  uint64_t last_sequence = 0;
  double uptime_seconds = 0;
};

std::string FormatStats(const DbStats& stats, const StatsInputs& in);

}  // namespace strata
