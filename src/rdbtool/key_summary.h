// KeySummary: what an instance's keys add up to, gathered in one pass while the dump parses
// its RDB, stored as JSON in the instance's Parquet footer (key/value metadata
// "strata.rdb.summary.v1"), and merged across instances by the report.
//
// Memory is bounded whatever the number of keys: fixed-size maps by db, type and encoding, a
// heap of the top keys, at most kMaxBigKeys big keys, and one counter pair per hash slot.
//
// JSON (v1), every size in bytes:
//   {"version": 1, "instance": "...", "batch_ms": <ms>,
//    "keys": n, "rdb_bytes": n, "memory_bytes": n, "expiring_keys": n,
//    "by_db": {"0": {"keys":..,"rdb_bytes":..,"memory_bytes":..,"expiring_keys":..}, ...},
//    "by_type": {...}, "by_encoding": {...},
//    "expiry": {"expired": [keys, memory], "lt_1h": [...], "lt_1d": [...], "lt_7d": [...],
//               "later": [...], "none": [...]},     relative to batch_ms
//    "top_keys": [{"db":..,"key_b64":..,"type":..,"encoding":..,"members":..,"rdb_size":..,
//                  "memory":..,"expire_at_ms":.. or null}, ...],   largest memory first
//    "big_keys": [same form], "big_keys_truncated": false,
//    "redis_slots": [[slot, keys, memory], ...] or absent, "codis_slots": likewise}
// Keys are base64 in JSON: they are arbitrary bytes.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "rdb/key_record.h"
#include "rdbtool/report_data.h"

namespace strata::rdbtool {

inline constexpr std::string_view kSummaryMetadataKey = "strata.rdb.summary.v1";

class KeySummary {
 public:
  static constexpr size_t kTopKeys = 100;
  static constexpr size_t kMaxBigKeys = 10000;
  // Big keys: strings over 1 MiB, containers over 10,000 members or 64 MiB of memory.
  static constexpr uint64_t kBigStringBytes = 1 << 20;
  static constexpr uint64_t kBigMembers = 10000;
  static constexpr uint64_t kBigContainerBytes = 64ull << 20;

  KeySummary() = default;
  KeySummary(std::string instance, int64_t batch_ms)
      : instance_(std::move(instance)), batch_ms_(batch_ms) {}

  // Takes one key; memory is its memory estimate; slots are its slot columns when filled.
  void Add(const rdb::KeyRecord& record, uint64_t memory, std::optional<uint16_t> redis_slot,
           std::optional<uint16_t> codis_slot);
  // Adds another instance's summary (for a batch total).
  void Merge(const KeySummary& other);

  std::string ToJson() const;
  static Result<KeySummary> FromJson(std::string_view json);

  const std::string& instance() const { return instance_; }
  int64_t batch_ms() const { return batch_ms_; }
  const ReportTotals& totals() const { return totals_; }
  const std::map<std::string, ReportTotals>& by_db() const { return by_db_; }
  const std::map<std::string, ReportTotals>& by_type() const { return by_type_; }
  const std::map<std::string, ReportTotals>& by_encoding() const { return by_encoding_; }
  // Labels in order: expired, lt_1h, lt_1d, lt_7d, later, none.
  const std::vector<ReportExpiryBucket>& expiry() const { return expiry_; }
  // Largest memory first.
  std::vector<ReportKey> TopKeys() const;
  const std::vector<ReportKey>& big_keys() const { return big_keys_; }
  bool big_keys_truncated() const { return big_keys_truncated_; }
  // slot -> (keys, memory), for the slots seen.
  const std::map<uint32_t, std::pair<uint64_t, uint64_t>>& redis_slots() const {
    return redis_slots_;
  }
  const std::map<uint32_t, std::pair<uint64_t, uint64_t>>& codis_slots() const {
    return codis_slots_;
  }

 private:
  void AddTop(ReportKey key);

  std::string instance_;
  int64_t batch_ms_ = 0;
  ReportTotals totals_;
  std::map<std::string, ReportTotals> by_db_;
  std::map<std::string, ReportTotals> by_type_;
  std::map<std::string, ReportTotals> by_encoding_;
  std::vector<ReportExpiryBucket> expiry_ = {{"expired", 0, 0}, {"lt_1h", 0, 0}, {"lt_1d", 0, 0},
                                             {"lt_7d", 0, 0},   {"later", 0, 0}, {"none", 0, 0}};
  std::vector<ReportKey> top_;  // a min-heap on memory, at most kTopKeys
  std::vector<ReportKey> big_keys_;
  bool big_keys_truncated_ = false;
  std::map<uint32_t, std::pair<uint64_t, uint64_t>> redis_slots_;
  std::map<uint32_t, std::pair<uint64_t, uint64_t>> codis_slots_;
  // The groups of the last key Add() saw: pointers to nodes of the maps above. A copy or a
  // move of the summary starts without them (they would point into the other object).
  struct LastGroups {
    LastGroups() = default;
    LastGroups(const LastGroups&) {}
    LastGroups& operator=(const LastGroups&) {
      db = nullptr;
      type = nullptr;
      encoding = nullptr;
      return *this;
    }
    ReportTotals* db = nullptr;
    uint64_t db_number = 0;
    ReportTotals* type = nullptr;
    rdb::KeyType type_kind = rdb::KeyType::kString;
    ReportTotals* encoding = nullptr;
    std::string_view encoding_name;  // rdb::KeyRecord::encoding points to static storage
  };
  LastGroups last_;
};

}  // namespace strata::rdbtool
