// Helpers for the rdb tests: a visitor that records everything, byte builders for hand-made
// RDB streams, and a one-call parse of a byte string.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "rdb/rdb_parser.h"

namespace strata::rdb::test {

struct Collected {
  RdbHeader header;
  std::vector<std::pair<std::string, std::string>> aux;
  std::vector<uint64_t> selected_dbs;
  std::vector<std::pair<uint64_t, uint64_t>> resize_hints;
  std::vector<std::vector<uint64_t>> slot_infos;
  std::vector<std::string> functions;
  std::vector<std::string> module_aux;  // module names
  std::vector<KeyRecord> keys;
  bool ended = false;
  ChecksumResult checksum;

  const KeyRecord* Find(const std::string& key, uint64_t db = 0) const {
    for (const KeyRecord& r : keys) {
      if (r.key == key && r.db == db) return &r;
    }
    return nullptr;
  }
};

class CollectingVisitor : public RdbVisitor {
 public:
  explicit CollectingVisitor(Collected* out) : out_(out) {}
  Status OnHeader(const RdbHeader& h) override {
    out_->header = h;
    return Status::OK();
  }
  Status OnAux(const std::string& n, const std::string& v) override {
    out_->aux.emplace_back(n, v);
    return Status::OK();
  }
  Status OnSelectDb(uint64_t db) override {
    out_->selected_dbs.push_back(db);
    return Status::OK();
  }
  Status OnResizeDb(uint64_t a, uint64_t b) override {
    out_->resize_hints.emplace_back(a, b);
    return Status::OK();
  }
  Status OnSlotInfo(uint64_t a, uint64_t b, uint64_t c) override {
    out_->slot_infos.push_back({a, b, c});
    return Status::OK();
  }
  Status OnFunction(const std::string& code) override {
    out_->functions.push_back(code);
    return Status::OK();
  }
  Status OnModuleAux(uint64_t, const std::string& name, uint64_t) override {
    out_->module_aux.push_back(name);
    return Status::OK();
  }
  Status OnKey(const KeyRecord& r) override {
    out_->keys.push_back(r);
    return Status::OK();
  }
  Status OnEnd(const ChecksumResult& c) override {
    out_->ended = true;
    out_->checksum = c;
    return Status::OK();
  }

 private:
  Collected* out_;
};

// Parses bytes held in memory.
inline Status ParseBytes(const std::string& bytes, Collected* out,
                         RdbParserOptions options = RdbParserOptions()) {
  MemoryByteSource source{Slice(bytes)};
  CollectingVisitor visitor(out);
  RdbParser parser(&source, "test.rdb", options, &visitor);
  return parser.Parse();
}

// ---- Byte builders (each encodes by the format's rules, spelled out here) ----

inline std::string Bytes(std::initializer_list<int> bytes) {
  std::string s;
  for (int b : bytes) s.push_back(static_cast<char>(b));
  return s;
}

// An RDB length: 6-bit, 14-bit, 32-bit or 64-bit form, whichever is the shortest.
inline std::string Len(uint64_t n) {
  std::string s;
  if (n < 64) {
    s.push_back(static_cast<char>(n));
  } else if (n < 16384) {
    s.push_back(static_cast<char>(0x40 | (n >> 8)));
    s.push_back(static_cast<char>(n & 0xFF));
  } else if (n <= 0xFFFFFFFFull) {
    s.push_back(static_cast<char>(0x80));
    for (int i = 3; i >= 0; i--) s.push_back(static_cast<char>((n >> (8 * i)) & 0xFF));
  } else {
    s.push_back(static_cast<char>(0x81));
    for (int i = 7; i >= 0; i--) s.push_back(static_cast<char>((n >> (8 * i)) & 0xFF));
  }
  return s;
}

// A raw RDB string: length, then the bytes.
inline std::string Str(const std::string& v) { return Len(v.size()) + v; }

inline std::string LE32(uint32_t v) {
  std::string s;
  for (int i = 0; i < 4; i++) s.push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
  return s;
}
inline std::string LE16(uint16_t v) {
  return Bytes({static_cast<int>(v & 0xFF), static_cast<int>(v >> 8)});
}
inline std::string LE64(uint64_t v) {
  std::string s;
  for (int i = 0; i < 8; i++) s.push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
  return s;
}

// "REDIS00vv" + an AUX-free body + EOF + an 8-byte zero trailer (checksum disabled) for
// version >= 5.
inline std::string RdbFile(int version, const std::string& body) {
  char header[16];
  std::snprintf(header, sizeof(header), "REDIS%04d", version);
  std::string s = header + body;
  s.push_back(static_cast<char>(0xFF));
  if (version >= 5) s += std::string(8, '\0');
  return s;
}

// One key in db 0: SELECTDB 0, type byte, key, value bytes.
inline std::string OneKey(int type, const std::string& key, const std::string& value) {
  return Bytes({0xFE, 0x00, type}) + Str(key) + value;
}

}  // namespace strata::rdb::test
