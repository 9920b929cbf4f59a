// RdbParser: a streaming parser of Redis RDB files (versions 1-12, Redis 2.x to 8.x) and of
// Valkey's (VALKEY magic, RDB 80-81). It reports the header, the AUX fields, database
// changes and one KeyRecord per key to an RdbVisitor, in file order.
//
// Memory is constant: one read buffer (RdbParserOptions::read_chunk_bytes), one 64 KiB LZF
// window, the current key. Values are never materialized (see value_reader.h).
//
// Errors: bad input is Corruption (NotSupported for what is valid but unsupported: a newer
// RDB version, pre-GA module values and functions), naming the source, the byte offset and,
// inside a key, the key. A visitor's non-OK status stops the parse and is returned as is.
//
// Typical use:
//   auto source = FileByteSource::Open(path);
//   RdbParser parser(source->get(), path, RdbParserOptions(), &visitor);
//   Status s = parser.Parse();
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "base/byte_source.h"
#include "base/enum_names.h"
#include "rdb/key_record.h"
#include "rdb/rdb_reader.h"

namespace strata::rdb {

struct RdbParserOptions {
  // Verify the CRC64 trailer (RDB >= 5). A stored 0 means the writer disabled it.
  bool verify_checksum = true;
  // Bytes asked of the source per read; at least 256 KiB.
  size_t read_chunk_bytes = 1 << 20;
  // Walk LZF-compressed containers to the end (decompressing them through a fixed window)
  // for exact element figures, instead of counting from their header when it is exact.
  bool walk_compressed_containers = false;
  // Upper bounds checked before anything is allocated.
  uint64_t max_key_bytes = 512ull << 20;
  uint64_t max_aux_bytes = 512ull << 20;  // AUX names and values, function libraries
};

enum class ChecksumStatus {
  kVerified,    // the trailer matches the computed CRC64
  kDisabled,    // the trailer is 0: the writer had rdbchecksum off
  kNotPresent,  // RDB version < 5 has no trailer
  kNotChecked,  // verify_checksum was off
  kMismatch,    // the trailer differs (Parse() returns Corruption)
};
constexpr auto EnumNameTable(ChecksumStatus) {
  return std::to_array<EnumNameEntry<ChecksumStatus>>({
      {ChecksumStatus::kVerified, "verified"},
      {ChecksumStatus::kDisabled, "disabled"},
      {ChecksumStatus::kNotPresent, "not present"},
      {ChecksumStatus::kNotChecked, "not checked"},
      {ChecksumStatus::kMismatch, "mismatch"},
  });
}

struct ChecksumResult {
  ChecksumStatus status = ChecksumStatus::kNotPresent;
  uint64_t stored = 0;    // the trailer's value (0 without one)
  uint64_t computed = 0;  // CRC64 of every byte before the trailer (0 when not checked)
};

struct RdbHeader {
  int version = 0;
  std::string magic;  // "REDIS" or "VALKEY"
};

// Callbacks in file order. Each returns a Status: a non-OK one stops the parse. The
// references passed are valid only during the call.
class RdbVisitor {
 public:
  virtual ~RdbVisitor() = default;
  virtual Status OnHeader(const RdbHeader& header);
  virtual Status OnAux(const std::string& name, const std::string& value);
  virtual Status OnSelectDb(uint64_t db);
  virtual Status OnResizeDb(uint64_t db_size, uint64_t expires_size);
  // Cluster mode (Redis 7.4+): key counts of one hash slot.
  virtual Status OnSlotInfo(uint64_t slot_id, uint64_t slot_size, uint64_t expires_slot_size);
  // One function library (FUNCTION2 opcode): its source code.
  virtual Status OnFunction(const std::string& library_code);
  // Module data outside the key space, skipped; `when` is 1 (before keys) or 2 (after).
  virtual Status OnModuleAux(uint64_t module_id, const std::string& module_name, uint64_t when);
  virtual Status OnKey(const KeyRecord& record);
  // After the EOF opcode and the trailer. Called with kMismatch too, before Parse() fails.
  virtual Status OnEnd(const ChecksumResult& checksum);
};

class ValueReader;

class RdbParser {
 public:
  // source and visitor must outlive the parser. name identifies the source in messages (a
  // file path or "host:port").
  RdbParser(ByteSource* source, std::string name, RdbParserOptions options, RdbVisitor* visitor);
  ~RdbParser();
  RdbParser(const RdbParser&) = delete;
  RdbParser& operator=(const RdbParser&) = delete;

  // Parses the whole stream; call once.
  Status Parse();

  // Offset of the next byte to parse. Parser thread only (visitors may call it).
  uint64_t offset() const { return reader_.offset(); }
  // Bytes taken from the source so far; safe from any thread (progress bars).
  uint64_t bytes_read() const { return reader_.bytes_read(); }
  // Valid after OnHeader.
  const RdbHeader& header() const { return header_; }

 private:
  Status ReadHeader();
  Status ReadKey(uint8_t type);
  Status ReadModuleAux();
  Status ReadSlotImport();
  Status ReadTrailer();

  RdbReader reader_;
  const RdbParserOptions options_;
  RdbVisitor* const visitor_;
  RdbHeader header_;
  bool valkey_ = false;
  std::unique_ptr<ValueReader> values_;  // made once the header tells the file's flavour

  // State set by opcodes for the next key.
  uint64_t db_ = 0;
  std::optional<int64_t> pending_expire_ms_;
  std::optional<uint64_t> pending_idle_;
  std::optional<uint8_t> pending_freq_;

  KeyRecord record_;  // reused for every key
  std::string aux_name_, aux_value_;
};

// A visitor that passes keys to a function and ignores everything else.
class KeyCallbackVisitor final : public RdbVisitor {
 public:
  using Callback = std::function<Status(const KeyRecord&)>;
  explicit KeyCallbackVisitor(Callback callback) : callback_(std::move(callback)) {}
  Status OnKey(const KeyRecord& record) override { return callback_(record); }

 private:
  Callback callback_;
};

}  // namespace strata::rdb
