#include "rdb/rdb_check.h"

#include <cstdio>

#include "base/escape.h"

namespace strata::rdb {

namespace {

std::string Hex64(uint64_t v) {
  char buf[24];
  std::snprintf(buf, sizeof(buf), "%016llx", static_cast<unsigned long long>(v));
  return buf;
}

// AUX values may hold anything (the "lua" field holds scripts): printed escaped and cut.
std::string PrintableValue(const std::string& v) { return EscapeBytes(v, kKeyBytesShown); }

}  // namespace

RdbCheck::RdbCheck(std::string name, int64_t now_ms) : name_(std::move(name)), now_ms_(now_ms) {}

void RdbCheck::Log(std::string text) { events_.push_back({Offset(), std::move(text)}); }

Status RdbCheck::OnHeader(const RdbHeader& header) {
  header_ = header;
  Log("RDB version " + std::to_string(header.version) + " (" + header.magic + " magic)");
  return Status::OK();
}

Status RdbCheck::OnAux(const std::string& name, const std::string& value) {
  aux_.emplace_back(name, value);
  Log("AUX FIELD " + PrintableValue(name) + " = '" + PrintableValue(value) + "'");
  return Status::OK();
}

Status RdbCheck::OnSelectDb(uint64_t db) {
  current_db_ = db;
  dbs_[db];  // a selected database shows in the report even when empty
  Log("Selecting DB ID " + std::to_string(db));
  return Status::OK();
}

Status RdbCheck::OnResizeDb(uint64_t db_size, uint64_t expires_size) {
  DbSummary& db = dbs_[current_db_];
  db.has_resize_hint = true;
  db.resize_keys = db_size;
  db.resize_expires = expires_size;
  return Status::OK();
}

Status RdbCheck::OnSlotInfo(uint64_t, uint64_t, uint64_t) {
  slot_infos_++;
  return Status::OK();
}

Status RdbCheck::OnFunction(const std::string& library_code) {
  functions_++;
  Log("Function library of " + std::to_string(library_code.size()) + " bytes");
  return Status::OK();
}

Status RdbCheck::OnModuleAux(uint64_t, const std::string& module_name, uint64_t when) {
  module_aux_++;
  Log("MODULE AUX for: " + module_name + " (" + (when == 1 ? "before" : "after") + " keys)");
  return Status::OK();
}

Status RdbCheck::OnKey(const KeyRecord& record) {
  DbSummary& db = dbs_[record.db];
  db.keys++;
  keys_++;
  if (record.expire_at_ms.has_value()) {
    db.expires++;
    expires_++;
    if (*record.expire_at_ms < now_ms_) {
      db.already_expired++;
      already_expired_++;
    }
  }
  value_bytes_ += record.rdb_size;
  std::string type(EnumName(record.type));
  type += "/";
  type += record.encoding;
  types_[type]++;
  return Status::OK();
}

Status RdbCheck::OnEnd(const ChecksumResult& checksum) {
  ended_ = true;
  checksum_ = checksum;
  end_offset_ = Offset();
  return Status::OK();
}

std::string RdbCheck::Report(const Status& parse_status) const {
  std::string out;
  auto line = [&out](uint64_t offset, const std::string& text) {
    out += "[offset " + std::to_string(offset) + "] " + text + "\n";
  };
  line(0, "Checking RDB file " + name_);
  for (const Event& e : events_) line(e.offset, e.text);
  if (ended_) {
    switch (checksum_.status) {
      case ChecksumStatus::kVerified:
        line(end_offset_, "Checksum OK");
        break;
      case ChecksumStatus::kDisabled:
        line(end_offset_, "RDB file was saved with checksum disabled: no check performed.");
        break;
      case ChecksumStatus::kNotPresent:
        line(end_offset_, "No checksum: RDB version " + std::to_string(header_.version) +
                              " predates the CRC64 trailer.");
        break;
      case ChecksumStatus::kNotChecked:
        line(end_offset_, "Checksum not verified (verification turned off).");
        break;
      case ChecksumStatus::kMismatch:
        line(end_offset_, "RDB CRC error: expected " + Hex64(checksum_.computed) +
                              " but the file has " + Hex64(checksum_.stored));
        break;
    }
  }
  if (parse_status.ok()) {
    line(end_offset_, "\\o/ RDB looks OK! \\o/");
  } else {
    out += "--- RDB ERROR DETECTED ---\n";
    line(parser_ != nullptr ? parser_->offset() : 0, parse_status.ToString());
  }
  out += "[info] " + std::to_string(keys_) + " keys read\n";
  out += "[info] " + std::to_string(expires_) + " expires\n";
  out += "[info] " + std::to_string(already_expired_) + " already expired\n";
  for (const auto& [id, db] : dbs_) {
    std::string text = "[info] db " + std::to_string(id) + ": " + std::to_string(db.keys) +
                       " keys, " + std::to_string(db.expires) + " expires, " +
                       std::to_string(db.already_expired) + " already expired";
    if (db.has_resize_hint) {
      text += " (RESIZEDB hint: " + std::to_string(db.resize_keys) + " keys, " +
              std::to_string(db.resize_expires) + " expires)";
    }
    out += text + "\n";
  }
  for (const auto& [type, count] : types_) {
    out += "[info] type " + type + ": " + std::to_string(count) + " keys\n";
  }
  if (functions_ > 0) out += "[info] " + std::to_string(functions_) + " function libraries\n";
  if (module_aux_ > 0) out += "[info] " + std::to_string(module_aux_) + " module aux records\n";
  if (slot_infos_ > 0) out += "[info] " + std::to_string(slot_infos_) + " slot info records\n";
  out += "[info] " + std::to_string(value_bytes_) + " bytes of values\n";
  std::string checksum = "[info] checksum: ";
  checksum += ended_ ? EnumName(checksum_.status) : "not reached";
  out += checksum + "\n";
  return out;
}

std::string CheckRdb(ByteSource* source, const std::string& name, const RdbParserOptions& options,
                     int64_t now_ms, Status* status) {
  RdbCheck check(name, now_ms);
  RdbParser parser(source, name, options, &check);
  check.Attach(&parser);
  *status = parser.Parse();
  return check.Report(*status);
}

}  // namespace strata::rdb
