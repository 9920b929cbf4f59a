// BuildReport: the data of `strata rdb report` for one batch of a cluster's lake.
//
// Totals, top keys, big keys, slots and the expiry histogram come from the summaries in the
// instance files' footers (KeySummary), merged. The prefix analysis is one streaming pass: a
// k-way merge, by key, of one cursor per (instance file, database) — each file is sorted by
// (db, key), so a database's rows are a sorted range of it — feeding a PrefixAggregator.
// Memory is bounded by the cursors (a page and a small batch of three columns each), not by
// the number of keys.
#pragma once

#include <cstdint>
#include <string>

#include "base/result.h"
#include "rdbtool/report_data.h"
#include "strata/env.h"

namespace strata::rdbtool {

struct ReportOptions {
  Env* env = nullptr;  // Env::Default() when null
  std::string dir;
  std::string cluster;
  std::string batch;               // empty: the latest committed batch
  double min_prefix_share = 0.01;  // of the batch's memory
  size_t cursor_batch_rows = 1024;
  std::string generated_at;  // RFC 3339, set by the caller
};

// The latest committed batch id of a cluster (batch=<id> directories sort by time).
Result<std::string> LatestBatch(Env* env, const std::string& dir, const std::string& cluster);

Result<ReportData> BuildReport(const ReportOptions& options);

}  // namespace strata::rdbtool
