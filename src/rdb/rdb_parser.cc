#include "rdb/rdb_parser.h"

#include <cstdio>
#include <cstring>

#include "rdb/module_skipper.h"
#include "rdb/rdb_format.h"
#include "rdb/value_reader.h"

namespace strata::rdb {

// ---- RdbVisitor defaults: ignore everything ----------------------------------------------
Status RdbVisitor::OnHeader(const RdbHeader&) { return Status::OK(); }
Status RdbVisitor::OnAux(const std::string&, const std::string&) { return Status::OK(); }
Status RdbVisitor::OnSelectDb(uint64_t) { return Status::OK(); }
Status RdbVisitor::OnResizeDb(uint64_t, uint64_t) { return Status::OK(); }
Status RdbVisitor::OnSlotInfo(uint64_t, uint64_t, uint64_t) { return Status::OK(); }
Status RdbVisitor::OnFunction(const std::string&) { return Status::OK(); }
Status RdbVisitor::OnModuleAux(uint64_t, const std::string&, uint64_t) { return Status::OK(); }
Status RdbVisitor::OnKey(const KeyRecord&) { return Status::OK(); }
Status RdbVisitor::OnEnd(const ChecksumResult&) { return Status::OK(); }

namespace {

std::string Hex64(uint64_t v) {
  char buf[24];
  std::snprintf(buf, sizeof(buf), "%016llx", static_cast<unsigned long long>(v));
  return buf;
}

bool AllDigits(const char* p, int n) {
  for (int i = 0; i < n; i++) {
    if (p[i] < '0' || p[i] > '9') return false;
  }
  return true;
}

}  // namespace

RdbParser::RdbParser(ByteSource* source, std::string name, RdbParserOptions options,
                     RdbVisitor* visitor)
    : reader_(source, std::move(name), options.read_chunk_bytes),
      options_(options),
      visitor_(visitor) {
  reader_.EnableChecksum(options.verify_checksum);
}

RdbParser::~RdbParser() = default;

Status RdbParser::ReadHeader() {
  char magic[kHeaderBytes];
  size_t got;
  Status s = reader_.ReadUpTo(magic, sizeof(magic), &got);
  if (!s.ok()) return s;
  if (got < sizeof(magic)) {
    return reader_.Corruption("not an RDB file: " + std::to_string(got) +
                              " bytes, too short for the 9-byte header");
  }
  int version;
  if (std::memcmp(magic, "REDIS", 5) == 0 && AllDigits(magic + 5, 4)) {
    header_.magic = "REDIS";
    version = std::atoi(std::string(magic + 5, 4).c_str());
    if (version < kMinRedisVersion) {
      return reader_.Corruption("invalid RDB version " + std::to_string(version));
    }
    if (version > kMaxRedisVersion) {
      return reader_.NotSupported("RDB version " + std::to_string(version) +
                                  " is newer than the newest supported (" +
                                  std::to_string(kMaxRedisVersion) + ")");
    }
  } else if (std::memcmp(magic, "VALKEY", 6) == 0 && AllDigits(magic + 6, 3)) {
    header_.magic = "VALKEY";
    valkey_ = true;
    version = std::atoi(std::string(magic + 6, 3).c_str());
    if (version < kMinValkeyVersion) {
      return reader_.Corruption("VALKEY magic with RDB version " + std::to_string(version) +
                                ", below Valkey's first (" + std::to_string(kMinValkeyVersion) +
                                ")");
    }
    if (version > kMaxValkeyVersion) {
      return reader_.NotSupported("Valkey RDB version " + std::to_string(version) +
                                  " is newer than the newest supported (" +
                                  std::to_string(kMaxValkeyVersion) + ")");
    }
  } else {
    return reader_.Corruption("not an RDB file: the header is neither REDIS#### nor VALKEY###");
  }
  header_.version = version;
  return visitor_->OnHeader(header_);
}

Status RdbParser::Parse() {
  Status s = ReadHeader();
  if (!s.ok()) return s;
  values_ = std::make_unique<ValueReader>(&reader_, valkey_, options_.walk_compressed_containers);
  for (;;) {
    const uint64_t type_offset = reader_.offset();
    uint8_t type = 0;
    s = reader_.ReadByte(&type);
    if (!s.ok()) return s;
    switch (type) {
      case kOpEof:
        return ReadTrailer();
      case kOpSelectDb:
        s = reader_.ReadPlainLength(&db_, "database number");
        if (s.ok()) s = visitor_->OnSelectDb(db_);
        break;
      case kOpResizeDb: {
        uint64_t db_size, expires_size;
        s = reader_.ReadPlainLength(&db_size, "RESIZEDB size");
        if (s.ok()) s = reader_.ReadPlainLength(&expires_size, "RESIZEDB expires size");
        if (s.ok()) s = visitor_->OnResizeDb(db_size, expires_size);
        break;
      }
      case kOpAux:
        s = reader_.ReadString(&aux_name_, options_.max_aux_bytes, "AUX field name");
        if (s.ok()) s = reader_.ReadString(&aux_value_, options_.max_aux_bytes, "AUX value");
        if (s.ok()) s = visitor_->OnAux(aux_name_, aux_value_);
        break;
      case kOpExpireTimeMs: {
        uint64_t ms;
        s = reader_.ReadU64LE(&ms);
        if (s.ok()) pending_expire_ms_ = static_cast<int64_t>(ms);
        break;
      }
      case kOpExpireTime: {
        uint32_t seconds;
        s = reader_.ReadU32LE(&seconds);
        if (s.ok()) pending_expire_ms_ = int64_t{static_cast<int32_t>(seconds)} * 1000;
        break;
      }
      case kOpIdle: {
        uint64_t idle;
        s = reader_.ReadPlainLength(&idle, "LRU idle time");
        if (s.ok()) pending_idle_ = idle;
        break;
      }
      case kOpEnterpriseRamLru: {
        uint64_t lru;
        s = reader_.ReadPlainLength(&lru, "RAM LRU hint");
        break;
      }
      case kOpFreq: {
        uint8_t freq = 0;
        s = reader_.ReadByte(&freq);
        if (s.ok()) pending_freq_ = freq;
        break;
      }
      case kOpModuleAux:
        s = ReadModuleAux();
        break;
      case kOpFunctionPreGa:
        return reader_.NotSupported(
            "function library in the pre-release format of Redis 7.0 RC1/RC2 (opcode 246)");
      case kOpFunction2:
        s = reader_.ReadString(&aux_value_, options_.max_aux_bytes, "function library");
        if (s.ok()) s = visitor_->OnFunction(aux_value_);
        break;
      case kOpSlotInfo: {
        uint64_t slot, size, expires;
        s = reader_.ReadPlainLength(&slot, "slot id");
        if (s.ok()) s = reader_.ReadPlainLength(&size, "slot size");
        if (s.ok()) s = reader_.ReadPlainLength(&expires, "slot expires size");
        if (s.ok()) s = visitor_->OnSlotInfo(slot, size, expires);
        break;
      }
      default:
        if (valkey_ && type == kOpSlotImport) {
          s = ReadSlotImport();
        } else if (values_->IsValueType(type)) {
          s = ReadKey(type);
        } else {
          return Status::Corruption(reader_.name() + ": unknown value type " +
                                    std::to_string(type) + " at byte " +
                                    std::to_string(type_offset));
        }
        break;
    }
    if (!s.ok()) return s;
  }
}

Status RdbParser::ReadKey(uint8_t type) {
  record_.Reset();
  record_.db = db_;
  record_.expire_at_ms = pending_expire_ms_;
  record_.idle_seconds = pending_idle_;
  record_.freq = pending_freq_;
  pending_expire_ms_.reset();
  pending_idle_.reset();
  pending_freq_.reset();
  Status s = reader_.ReadString(&record_.key, options_.max_key_bytes, "key");
  if (!s.ok()) return s;
  record_.value_offset = reader_.offset();
  reader_.SetKeyContext(&record_.key, record_.value_offset);
  s = values_->Read(type, &record_);
  if (!s.ok()) return s;  // the error names the key; the context dies with the parse
  reader_.ClearKeyContext();
  record_.rdb_size = reader_.offset() - record_.value_offset;
  return visitor_->OnKey(record_);
}

Status RdbParser::ReadModuleAux() {
  uint64_t module_id, when_opcode, when;
  Status s = reader_.ReadPlainLength(&module_id, "module id");
  if (s.ok()) s = reader_.ReadPlainLength(&when_opcode, "module aux when-opcode");
  if (s.ok()) s = reader_.ReadPlainLength(&when, "module aux when");
  if (!s.ok()) return s;
  if (when_opcode != kModuleOpUint) {
    return reader_.Corruption("module aux data with when-opcode " + std::to_string(when_opcode) +
                              " (expected " + std::to_string(kModuleOpUint) + ")");
  }
  s = SkipModuleItems(&reader_, nullptr);
  if (!s.ok()) return s;
  return visitor_->OnModuleAux(module_id, ModuleTypeName(module_id), when);
}

// Valkey 9: an atomic slot migration in progress: job name (string), range count (length),
// then a start and an end slot (lengths) per range.
Status RdbParser::ReadSlotImport() {
  StringHeader name;
  Status s = reader_.SkipString(&name);
  if (!s.ok()) return s;
  uint64_t ranges;
  s = reader_.ReadPlainLength(&ranges, "slot import range count");
  for (uint64_t i = 0; s.ok() && i < ranges; i++) {
    uint64_t from, to;
    s = reader_.ReadPlainLength(&from, "slot range start");
    if (s.ok()) s = reader_.ReadPlainLength(&to, "slot range end");
  }
  return s;
}

Status RdbParser::ReadTrailer() {
  ChecksumResult result;
  if (header_.version < kFirstVersionWithChecksum) {
    result.status = ChecksumStatus::kNotPresent;
    return visitor_->OnEnd(result);
  }
  const uint64_t computed = reader_.Checksum();
  char trailer[8];
  size_t got;
  Status s = reader_.ReadUpTo(trailer, sizeof(trailer), &got);
  if (!s.ok()) return s;
  if (got < sizeof(trailer)) {
    return reader_.Corruption("the stream ends inside the 8-byte CRC64 trailer");
  }
  std::memcpy(&result.stored, trailer, 8);  // little-endian
  if (!options_.verify_checksum) {
    result.status = ChecksumStatus::kNotChecked;
  } else if (result.stored == 0) {
    result.status = ChecksumStatus::kDisabled;
  } else {
    result.computed = computed;
    result.status =
        result.stored == computed ? ChecksumStatus::kVerified : ChecksumStatus::kMismatch;
  }
  s = visitor_->OnEnd(result);
  if (!s.ok()) return s;
  if (result.status == ChecksumStatus::kMismatch) {
    return Status::Corruption(reader_.name() + ": CRC64 checksum mismatch: expected " +
                              Hex64(computed) + " (computed over bytes 0-" +
                              std::to_string(reader_.offset() - 9) + "), the file has " +
                              Hex64(result.stored));
  }
  return Status::OK();
}

}  // namespace strata::rdb
