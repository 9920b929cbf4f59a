// RdbCheck: the summary behind `strata rdb check FILE`. A visitor that accumulates what the
// parser reports (version, AUX fields, per-database key and expiry counts, types and
// encodings, functions, module data, the checksum) and prints it in the manner of
// redis-check-rdb's report, with the same key lines ("[info] N keys read", "Checksum OK",
// "\o/ RDB looks OK! \o/", "--- RDB ERROR DETECTED ---").
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "rdb/rdb_parser.h"

namespace strata::rdb {

class RdbCheck final : public RdbVisitor {
 public:
  struct DbSummary {
    uint64_t keys = 0;
    uint64_t expires = 0;
    uint64_t already_expired = 0;  // expiry before now_ms
    bool has_resize_hint = false;
    uint64_t resize_keys = 0;  // RESIZEDB hint, as written by the server
    uint64_t resize_expires = 0;
  };

  // name: the file or address checked, for the report. now_ms decides "already expired".
  RdbCheck(std::string name, int64_t now_ms);

  // Lets the report give byte offsets; parser must outlive the parse. Optional.
  void Attach(const RdbParser* parser) { parser_ = parser; }

  Status OnHeader(const RdbHeader& header) override;
  Status OnAux(const std::string& name, const std::string& value) override;
  Status OnSelectDb(uint64_t db) override;
  Status OnResizeDb(uint64_t db_size, uint64_t expires_size) override;
  Status OnSlotInfo(uint64_t slot_id, uint64_t slot_size, uint64_t expires_slot_size) override;
  Status OnFunction(const std::string& library_code) override;
  Status OnModuleAux(uint64_t module_id, const std::string& module_name, uint64_t when) override;
  Status OnKey(const KeyRecord& record) override;
  Status OnEnd(const ChecksumResult& checksum) override;

  // The report of the parse that ended with parse_status.
  std::string Report(const Status& parse_status) const;

  const RdbHeader& header() const { return header_; }
  const std::vector<std::pair<std::string, std::string>>& aux() const { return aux_; }
  const std::map<uint64_t, DbSummary>& dbs() const { return dbs_; }
  uint64_t keys() const { return keys_; }
  uint64_t expires() const { return expires_; }
  uint64_t already_expired() const { return already_expired_; }
  bool ended() const { return ended_; }
  const ChecksumResult& checksum() const { return checksum_; }

 private:
  struct Event {
    uint64_t offset;
    std::string text;
  };
  void Log(std::string text);
  uint64_t Offset() const { return parser_ != nullptr ? parser_->offset() : 0; }

  const std::string name_;
  const int64_t now_ms_;
  const RdbParser* parser_ = nullptr;

  RdbHeader header_;
  std::vector<std::pair<std::string, std::string>> aux_;
  std::vector<Event> events_;  // header, AUX, db selections, module data, functions
  std::map<uint64_t, DbSummary> dbs_;
  std::map<std::string, uint64_t> types_;  // "hash/listpack" -> keys
  uint64_t current_db_ = 0;
  uint64_t keys_ = 0;
  uint64_t expires_ = 0;
  uint64_t already_expired_ = 0;
  uint64_t functions_ = 0;
  uint64_t module_aux_ = 0;
  uint64_t slot_infos_ = 0;
  uint64_t value_bytes_ = 0;
  bool ended_ = false;
  uint64_t end_offset_ = 0;
  ChecksumResult checksum_;
};

// Runs a check of `source` and returns the report; *status receives the parse status.
std::string CheckRdb(ByteSource* source, const std::string& name, const RdbParserOptions& options,
                     int64_t now_ms, Status* status);

}  // namespace strata::rdb
