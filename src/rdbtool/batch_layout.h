// The Hive-style layout of RDB dumps:
//
//   <dir>/cluster=<cluster>/_tmp_batch=<batch>/<instance>.parquet   while the batch runs
//   <dir>/cluster=<cluster>/batch=<batch>/<instance>.parquet         once every instance
//                                                                    succeeded (one rename)
//
// A batch is all or nothing: readers that list batch=* never see a partial batch, and a
// failed batch leaves only its _tmp_batch= directory (kept for inspection). <batch> is the
// UTC start time, YYYY-MM-DD_HH-mm-ss.SSSZ, which sorts as time does.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "base/result.h"
#include "strata/env.h"

namespace strata::rdbtool {

// "2026-11-30_16-05-09.123Z" for unix_ns (negative times are refused by the parser below).
std::string FormatBatchId(int64_t unix_ns);
// RFC 3339 date-time ("2026-11-30T16:05:09.123Z", "...+01:00", fractions up to 9 digits) to
// nanoseconds since the epoch. InvalidArgument naming the text otherwise.
Result<int64_t> ParseRfc3339(std::string_view text);
// A name usable as one path component: ':' becomes '-', '/' and '\' become '_', control
// bytes become '_'; "", "." and ".." become "_".
std::string SafePathComponent(std::string_view name);

struct BatchPaths {
  std::string cluster_dir;  // <dir>/cluster=<cluster>
  std::string tmp_dir;      // <cluster_dir>/_tmp_batch=<batch>
  std::string final_dir;    // <cluster_dir>/batch=<batch>
  std::string InstanceFile(std::string_view instance) const {
    return tmp_dir + "/" + SafePathComponent(instance) + ".parquet";
  }
};

BatchPaths MakeBatchPaths(const std::string& dir, std::string_view cluster,
                          const std::string& batch_id);

// Creates the temporary batch directory (and its parents). Fails if the batch already exists
// in either form: a batch id names one attempt.
[[nodiscard]] Status CreateBatchDir(Env* env, const BatchPaths& paths);
// Publishes the batch: syncs the temporary directory, then renames it to its final name
// (atomic and durable: Env::RenameFile syncs both parents).
[[nodiscard]] Status CommitBatch(Env* env, const BatchPaths& paths);

}  // namespace strata::rdbtool
