// CompactionJob: carries out one picked Compaction (not a trivial move): merges its inputs,
// drops what no reader can see, and writes output tables cut by the OutputCutter.
//
// Runs without the DB mutex. It only reads the input files (kept alive by the Compaction's
// Version) and writes new files whose numbers come from new_file_number (which takes the
// mutex and marks them pending so obsolete-file deletion leaves them alone). Installing the
// result in the MANIFEST is the caller's job.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "base/rate_limiter.h"
#include "db/compaction.h"
#include "db/table_cache.h"
#include "sst/table_options.h"

namespace strata {

struct CompactionJobContext {
  Env* env = nullptr;
  std::string db;
  const memtable::InternalKeyComparator* icmp = nullptr;
  TableCache* table_cache = nullptr;
  const sst::TableOptions* table_options = nullptr;
  RateLimiter* rate_limiter = nullptr;  // may be null
  std::function<uint64_t()> new_file_number;
  // When it becomes true the job stops early with an Aborted status (the DB is closing).
  const std::atomic<bool>* shutting_down = nullptr;
};

struct CompactionJobStats {
  uint64_t bytes_read[2] = {};  // from level and from output_level
  uint64_t bytes_written = 0;
  uint64_t entries_in = 0;
  uint64_t entries_dropped = 0;
  uint64_t micros = 0;
};

class CompactionJob {
 public:
  // snapshots: sequence numbers of the live snapshots when the job starts.
  CompactionJob(const CompactionJobContext& ctx, const Compaction& c,
                std::vector<memtable::SequenceNumber> snapshots);

  // Writes the outputs, syncs them and their directory. On failure (or when aborted) the
  // outputs written so far are deleted.
  Status Run();

  const std::vector<FileMetaData>& outputs() const { return outputs_; }
  const CompactionJobStats& stats() const { return stats_; }

 private:
  Status FinishOutput(class TableOutput* out);

  const CompactionJobContext& ctx_;
  const Compaction& c_;
  std::vector<memtable::SequenceNumber> snapshots_;
  std::vector<FileMetaData> outputs_;
  CompactionJobStats stats_;
};

}  // namespace strata
