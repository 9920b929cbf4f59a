// The Hive-style layout of RDB dumps:
//
//   <dir>/cluster=<cluster>/_tmp_batch=<batch>/<instance>.parquet   while the batch runs
//   <dir>/cluster=<cluster>/_tmp_batch=<batch>/_runs/...             the sorter's run files
//   <dir>/cluster=<cluster>/batch=<batch>/<instance>.parquet         once every instance
//                                                                    succeeded (one rename)
//
// A batch is all or nothing: readers that list batch=* never see a partial batch, and a
// failed batch leaves only its _tmp_batch= directory (kept for inspection). Run files live in
// their own directory, so no run file can take the name of an instance's file (instance
// "a.0001"'s file is a.0001.parquet, the first run of instance "a" would be too). <batch> is
// the UTC start time, YYYY-MM-DD_HH-mm-ss.SSSZ, which sorts as time does.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "base/result.h"
#include "strata/env.h"

namespace strata::rdbtool {

// "2026-11-30_16-05-09.123Z" for unix_ns (negative times are refused by the parser below).
std::string FormatBatchId(int64_t unix_ns);
// "2026-11-30T16:05:09.123Z": the RFC 3339 form of unix_ns, in UTC, to the millisecond.
std::string FormatRfc3339(int64_t unix_ns);
// RFC 3339 date-time ("2026-11-30T16:05:09.123Z", "...+01:00", fractions up to 9 digits) to
// nanoseconds since the epoch. InvalidArgument naming the text otherwise.
Result<int64_t> ParseRfc3339(std::string_view text);
// A name usable as one path component: ':' becomes '-', '/' and '\' become '_', control
// bytes become '_'; "", "." and ".." become "_".
std::string SafePathComponent(std::string_view name);

struct BatchPaths {
  std::string cluster_dir;  // <dir>/cluster=<cluster>
  std::string tmp_dir;      // <cluster_dir>/_tmp_batch=<batch>
  std::string runs_dir;     // <tmp_dir>/_runs: removed, empty, before the batch is published
  std::string final_dir;    // <cluster_dir>/batch=<batch>
  std::string InstanceFile(std::string_view instance) const {
    return tmp_dir + "/" + SafePathComponent(instance) + ".parquet";
  }
};

BatchPaths MakeBatchPaths(const std::string& dir, std::string_view cluster,
                          const std::string& batch_id);

// Creates the temporary batch directory and its runs directory, and every missing parent,
// each made durable (its parent synced). Fails if the batch already exists in either form: a
// batch id names one attempt. The check is not a lock: two dumps started at once with the same
// batch id would share the temporary directory (ids come from the start time in milliseconds,
// so only an explicit --batch-timestamp makes that possible).
Status CreateBatchDir(Env* env, const BatchPaths& paths);
// Publishes the batch: removes the runs directory (empty once every run was merged), syncs the
// temporary directory, then renames it to its final name (atomic; Env::RenameFile then syncs
// both parents). If that last sync fails, the error is returned although the rename happened:
// batch= is there and complete, but its durability is not known.
Status CommitBatch(Env* env, const BatchPaths& paths);

}  // namespace strata::rdbtool
