// What the dump tests share: hand-made RDB files of plain string keys, a seeded key set, and
// an instance that reads a file.
#pragma once

#include <cstdint>
#include <cstdio>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "base/byte_source.h"
#include "base/random.h"
#include "rdbtool/rdb_dump.h"
#include "unit/rdb/rdb_test_util.h"

namespace strata::rdbtool::test {

struct Key {
  uint64_t db;
  std::string key;
  std::string value;
  std::optional<int64_t> expire_ms;
};

// An RDB v9 file holding keys (unsorted, in the order given) as plain strings.
inline std::string BuildRdb(const std::vector<Key>& keys) {
  std::string body;
  std::map<uint64_t, std::vector<const Key*>> by_db;
  for (const Key& k : keys) by_db[k.db].push_back(&k);
  for (const auto& [db, list] : by_db) {
    body += static_cast<char>(0xFE) + rdb::test::Len(db);  // SELECTDB
    for (const Key* k : list) {
      if (k->expire_ms)
        body += static_cast<char>(0xFC) + rdb::test::LE64(static_cast<uint64_t>(*k->expire_ms));
      body += static_cast<char>(0) + rdb::test::Str(k->key) + rdb::test::Str(k->value);
    }
  }
  return rdb::test::RdbFile(9, body);
}

// n distinct (db, key) pairs over dbs 0..2, some with hash tags and expiries, determined by
// seed.
inline std::vector<Key> RandomKeys(uint64_t seed, size_t n) {
  Random rnd(seed);
  std::set<std::pair<uint64_t, std::string>> seen;
  std::vector<Key> keys;
  while (keys.size() < n) {
    Key k;
    k.db = rnd.Uniform(3);
    k.key = "user:" + std::to_string(rnd.Uniform(1000000));
    if (rnd.OneIn(10)) k.key = "{tag" + std::to_string(rnd.Uniform(5)) + "}:" + k.key;
    if (!seen.insert({k.db, k.key}).second) continue;
    k.value = std::string(1 + rnd.Uniform(40), 'v');
    if (rnd.OneIn(3)) k.expire_ms = 1800000000000 + rnd.Uniform(1000000);
    keys.push_back(std::move(k));
  }
  return keys;
}

// Writes bytes to path (a test's scratch file).
inline void WriteBytes(const std::string& path, const std::string& bytes) {
  std::FILE* f = std::fopen(path.c_str(), "wb");
  std::fwrite(bytes.data(), 1, bytes.size(), f);
  std::fclose(f);
}

inline DumpInstance FileInstance(const std::string& name, const std::string& path,
                                 SlotColumns slots) {
  DumpInstance i;
  i.name = name;
  i.open = [path]() -> Result<std::unique_ptr<ByteSource>> {
    auto f = FileByteSource::Open(path);
    if (!f.ok()) return f.status();
    return std::unique_ptr<ByteSource>(std::move(*f));
  };
  i.slots = slots;
  return i;
}

}  // namespace strata::rdbtool::test
