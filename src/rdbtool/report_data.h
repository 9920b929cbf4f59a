// ReportData: everything the HTML report of an RDB dump batch shows, computed by
// `strata rdb report` from the batch's Parquet files (summaries in their footers, plus one
// streaming k-way merge for the prefix analysis) and rendered by RenderReportHtml.
//
// Sizes are bytes. "memory" is the dump's memory_estimate (what the key takes in Redis
// memory, estimated), "rdb" its rdb_size (what its value takes in the RDB file).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace strata::rdbtool {

struct ReportTotals {
  uint64_t keys = 0;
  uint64_t rdb_bytes = 0;
  uint64_t memory_bytes = 0;
  uint64_t expiring_keys = 0;  // keys with an expiry
};

// A row of a totals table: per db ("0", "1", ...), type, encoding or instance.
struct ReportGroup {
  std::string name;
  ReportTotals totals;
};

struct ReportKey {
  std::string instance;
  uint64_t db = 0;
  std::string key;  // raw bytes; the renderer escapes them
  std::string type;
  std::string encoding;
  uint64_t member_count = 0;
  uint64_t rdb_size = 0;
  uint64_t memory = 0;
  std::optional<int64_t> expire_at_ms;
};

// A node of the prefix tree: keys sharing `prefix` (cut after a separator such as ':' or '/'),
// across every instance and db. Children are the longer prefixes under it that hold at least
// the report's minimum share; the rest of the node's keys are "other".
struct ReportPrefix {
  std::string prefix;  // the full prefix, e.g. "user:session:"; "" for the root
  uint64_t keys = 0;
  uint64_t memory_bytes = 0;
  uint64_t rdb_bytes = 0;
  std::vector<ReportPrefix> children;
};

// Slots of one hashing scheme (Redis Cluster's 16384 or Codis's 1024).
struct ReportSlot {
  uint32_t slot = 0;
  uint64_t keys = 0;
  uint64_t memory_bytes = 0;
  std::vector<std::string> instances;  // the instances it was found on
};

struct ReportSlots {
  std::string scheme;  // "redis" or "codis"
  uint32_t total_slots = 0;
  uint32_t slots_seen = 0;
  // Slots found on more than one instance: a cluster mid-migration, or a mistake.
  std::vector<ReportSlot> on_several_instances;
  // Imbalance: the largest slots by memory, and the distribution over the slots seen.
  std::vector<ReportSlot> largest;
  uint64_t min_memory = 0;
  uint64_t max_memory = 0;
  double mean_memory = 0;
  double stddev_memory = 0;
};

// Keys by time to expiry at the report's time: already expired, < 1 h, < 1 d, < 7 d, later,
// none.
struct ReportExpiryBucket {
  std::string label;
  uint64_t keys = 0;
  uint64_t memory_bytes = 0;
};

struct ReportData {
  std::string cluster;
  std::string batch;         // the batch id, e.g. 2026-11-30_16-05-09.123Z
  std::string generated_at;  // RFC 3339, UTC
  std::string strata_version;
  double min_prefix_share = 0.01;  // prefixes below this share of memory are not shown

  ReportTotals total;
  std::vector<ReportGroup> by_db;
  std::vector<ReportGroup> by_type;
  std::vector<ReportGroup> by_encoding;
  std::vector<ReportGroup> by_instance;
  std::vector<ReportKey> top_keys;  // the largest by memory, at most 100
  std::vector<ReportKey> big_keys;  // strings > 1 MiB, containers > 10,000 members or 64 MiB
  ReportPrefix prefixes;            // the root: every key
  std::optional<ReportSlots> redis_slots;
  std::optional<ReportSlots> codis_slots;
  std::vector<ReportExpiryBucket> expiry;
};

}  // namespace strata::rdbtool
