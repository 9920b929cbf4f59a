// `strata bench wal`: append throughput and latency of the write-ahead log, and replay speed.
#pragma once

#include <cstdint>
#include <string>

#include "strata/status.h"
#include "wal/sync_policy.h"

namespace strata::bench {

struct WalBenchOptions {
  std::string dir = "strata-data/bench-wal";
  int writers = 1;
  wal::SyncPolicy sync = wal::SyncPolicy::kNone;
  uint32_t sync_interval_ms = 100;
  uint64_t records = 1000000;  // in total, split evenly across writers
  size_t value_size = 100;
  bool replay = false;
  bool keep_log = false;
};

struct WalBenchResult {
  int writers = 0;
  std::string sync;
  uint64_t records = 0;
  size_t value_size = 0;
  double seconds = 0;
  double records_per_s = 0;
  double mb_per_s = 0;  // payload bytes
  // Append latency, measured per call and sorted: exact percentiles.
  double p50_us = 0;
  double p99_us = 0;
  double p999_us = 0;
  double max_us = 0;
  uint64_t log_bytes = 0;
  double avg_group = 0;  // records per group commit
  bool replayed = false;
  double replay_seconds = 0;
  double replay_gb_per_s = 0;  // log file bytes per second
};

Status RunWalBench(const WalBenchOptions& options, WalBenchResult* result);

// One JSON object on one line.
std::string ToJson(const WalBenchResult& result);

}  // namespace strata::bench
