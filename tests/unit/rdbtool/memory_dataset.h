// The data set of the memory-model validation (memory_estimate_test.cc): the commands that
// build a varied key space on a Redis 7.0 server, in three phases that each set the
// server's encoding limits before writing their keys.
//
//   native      default limits: every type and encoding as a 7.0 server makes them
//   larger      raised limits, so the file holds listpacks and intsets that a server with the
//               default limits converts on load (hash table, skiplist), listpacks with long
//               values that it keeps, and lists of many small count-limited nodes
//   smaller     lowered limits, so the file holds hash tables and skiplists that the loading
//               server turns back into listpacks and intsets, and one-element list nodes
//
// Keys are named "<phase>:<type>:<n>[:padding]"; about a third get an expiry. Sizes are drawn
// skewed (many small, few large) from a seeded generator, so the set is the same every run.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "base/random.h"

namespace strata::rdbtool::test {

using Command = std::vector<std::string>;

struct DatasetPhase {
  std::string name;
  std::vector<Command> setup;     // CONFIG SET and DEBUG commands run before the keys
  std::vector<Command> commands;  // the keys
};

// The configuration every phase returns to, and the loading server has: 7.0's defaults.
inline std::vector<Command> DefaultLimits() {
  return {{"CONFIG", "SET", "hash-max-listpack-entries", "128"},
          {"CONFIG", "SET", "hash-max-listpack-value", "64"},
          {"CONFIG", "SET", "zset-max-listpack-entries", "128"},
          {"CONFIG", "SET", "zset-max-listpack-value", "64"},
          {"CONFIG", "SET", "set-max-intset-entries", "512"},
          {"CONFIG", "SET", "list-max-listpack-size", "-2"},
          {"DEBUG", "QUICKLIST-PACKED-THRESHOLD", "1073741824"}};
}

class DatasetBuilder {
 public:
  DatasetBuilder(uint64_t seed, std::string phase, std::vector<Command>* out)
      : rnd_(seed), phase_(std::move(phase)), out_(out) {}

  // Uniform in [lo, hi], skewed towards lo: a log-uniform bit width, then uniform below it.
  uint64_t Size(uint64_t lo, uint64_t hi) {
    int bits = 0;
    while ((uint64_t{1} << bits) <= hi - lo && bits < 31) bits++;
    for (;;) {
      const uint64_t v = lo + rnd_.Skewed(bits);
      if (v <= hi) return v;
    }
  }
  uint32_t Uniform(uint32_t n) { return rnd_.Uniform(n); }
  bool OneIn(int n) { return rnd_.OneIn(n); }

  // Letters, starting with one (never an integer); a third repeat a short pattern, which LZF
  // compresses in the file.
  std::string Text(uint64_t len) {
    std::string s(len, 'a');
    const uint64_t period = rnd_.OneIn(3) ? 1 + rnd_.Uniform(8) : len;
    for (uint64_t i = 0; i < len; i++) {
      s[i] = i < period ? static_cast<char>('a' + rnd_.Uniform(26)) : s[i - period];
    }
    return s;
  }
  // Integers of every listpack and intset width, negative ones too.
  int64_t Integer() {
    static constexpr int64_t kScales[] = {100,     5000,       30000,
                                          8000000, 2000000000, INT64_C(9000000000000000000)};
    const int64_t scale = kScales[rnd_.Uniform(6)];
    const int64_t v = static_cast<int64_t>(rnd_.Next() % static_cast<uint64_t>(scale));
    return rnd_.OneIn(4) ? -v : v;
  }
  // A zset score: integral, a short binary fraction, or a long decimal fraction.
  std::string Score() {
    switch (rnd_.Uniform(3)) {
      case 0:
        return std::to_string(Integer() % 100000);
      case 1:
        return std::to_string(rnd_.Uniform(1000)) + ".5";
      default:
        return "0." + std::to_string(100000 + rnd_.Uniform(900000)) +
               std::to_string(rnd_.Uniform(1000000));
    }
  }

  // A new key name of the phase and type; a few carry padding past 32 and 256 bytes.
  std::string Key(const std::string& type) {
    std::string key = phase_ + ":" + type + ":" + std::to_string(next_key_++);
    if (rnd_.OneIn(8)) key += ":" + std::string(Size(1, 300), 'k');
    return key;
  }
  void Add(Command c) { out_->push_back(std::move(c)); }
  // Appends args to cmd_prefix in commands of at most 512 arguments.
  void AddChunked(const Command& cmd_prefix, const std::vector<std::string>& args, size_t group) {
    constexpr size_t kChunk = 512;
    for (size_t i = 0; i < args.size();) {
      Command c = cmd_prefix;
      const size_t end = std::min(args.size(), i + (kChunk / group) * group);
      c.insert(c.end(), args.begin() + static_cast<std::ptrdiff_t>(i),
               args.begin() + static_cast<std::ptrdiff_t>(end));
      Add(std::move(c));
      i = end;
    }
  }
  void MaybeExpire(const std::string& key) {
    if (rnd_.OneIn(3)) Add({"PEXPIRE", key, std::to_string(86400000 + rnd_.Uniform(1000000))});
  }

  // ---- One key of each kind ----
  void String(std::string value) {
    const std::string key = Key("string");
    Add({"SET", key, std::move(value)});
    MaybeExpire(key);
  }
  void List(uint64_t n, uint64_t min_len, uint64_t max_len) {
    const std::string key = Key("list");
    std::vector<std::string> items;
    for (uint64_t i = 0; i < n; i++) {
      items.push_back(OneIn(5) ? std::to_string(Integer()) : Text(Size(min_len, max_len)));
    }
    AddChunked({"RPUSH", key}, items, 1);
    MaybeExpire(key);
  }
  void Set(uint64_t n, bool integers, uint64_t max_len) {
    const std::string key = Key("set");
    std::vector<std::string> members;
    for (uint64_t i = 0; i < n; i++) {
      members.push_back(integers ? std::to_string(Integer())
                                 : Text(Size(1, max_len)) + std::to_string(i));
    }
    AddChunked({"SADD", key}, members, 1);
    MaybeExpire(key);
  }
  void Zset(uint64_t n, uint64_t max_len) {
    const std::string key = Key("zset");
    std::vector<std::string> args;
    for (uint64_t i = 0; i < n; i++) {
      args.push_back(Score());
      args.push_back(OneIn(6) ? std::to_string(i) : Text(Size(1, max_len)) + std::to_string(i));
    }
    AddChunked({"ZADD", key}, args, 2);
    MaybeExpire(key);
  }
  void Hash(uint64_t n, uint64_t max_field, uint64_t max_value) {
    const std::string key = Key("hash");
    std::vector<std::string> args;
    for (uint64_t i = 0; i < n; i++) {
      args.push_back(Text(Size(1, max_field)) + std::to_string(i));
      args.push_back(OneIn(4) ? std::to_string(Integer()) : Text(Size(1, max_value)));
    }
    AddChunked({"HSET", key}, args, 2);
    MaybeExpire(key);
  }
  // entries with 1-4 fields; explicit increasing IDs or '*'; optional consumer groups with
  // pending entries read by several consumers; some entries deleted.
  void Stream(uint64_t entries, int groups) {
    const std::string key = Key("stream");
    const bool explicit_ids = OneIn(2);
    const uint64_t fields = 1 + Uniform(4);
    uint64_t ms = 1 + Uniform(1000000);
    for (uint64_t i = 0; i < entries; i++) {
      Command c = {"XADD", key};
      if (explicit_ids) {
        ms += Uniform(3) == 0 ? 0 : Size(1, 100000);
        c.push_back(std::to_string(ms) + "-" + std::to_string(i));
      } else {
        c.push_back("*");
      }
      const uint64_t f = OneIn(10) ? 1 + Uniform(4) : fields;  // a few break the master fields
      for (uint64_t j = 0; j < f; j++) {
        c.push_back("field" + std::to_string(j));
        c.push_back(OneIn(3) ? std::to_string(Integer()) : Text(Size(1, 40)));
      }
      Add(std::move(c));
    }
    for (int g = 0; g < groups; g++) {
      const std::string group = "group" + std::to_string(g);
      Add({"XGROUP", "CREATE", key, group, "0"});
      const int consumers = 1 + static_cast<int>(Uniform(4));
      for (int c = 0; c < consumers; c++) {
        const uint64_t count = Size(0, entries);
        if (count == 0) continue;
        Add({"XREADGROUP", "GROUP", group, "consumer-" + Text(Size(1, 20)), "COUNT",
             std::to_string(count), "STREAMS", key, ">"});
      }
    }
    if (OneIn(4)) Add({"XTRIM", key, "MAXLEN", std::to_string(entries - entries / 3)});
    MaybeExpire(key);
  }

 private:
  Random rnd_;
  const std::string phase_;
  std::vector<Command>* const out_;
  uint64_t next_key_ = 0;
};

inline DatasetPhase NativePhase(uint64_t seed) {
  DatasetPhase p{"native", DefaultLimits(), {}};
  DatasetBuilder b(seed, "native", &p.commands);
  for (int i = 0; i < 500; i++) {
    switch (i % 10) {
      case 0:
        b.String(std::to_string(b.Integer()));  // int encoding, shared or not
        break;
      case 1:  // text that loads as an integer (past 32 bits the file stores it as text),
               // and text that does not
        b.String(b.OneIn(2) ? std::to_string(INT64_C(10000000000) + b.Uniform(1000000))
                            : "0" + std::to_string(b.Uniform(1000)));
        break;
      case 2:
      case 3:
        b.String(b.Text(b.Size(1, 44)));  // embstr
        break;
      case 4:
        b.String(b.Text(40 + b.Uniform(10)));  // around the embstr limit
        break;
      case 5:
      case 6:
        b.String(b.Text(b.Size(45, 1000)));
        break;
      case 7:
      case 8:
        b.String(b.Text(b.Size(1000, 100000)));
        break;
      default:
        b.String(b.Text(b.Size(100000, 3000000)));
        break;
    }
  }
  for (int i = 0; i < 300; i++) {
    if (i % 10 < 5) {
      b.List(b.Size(1, 60), 1, 60);  // one node
    } else if (i % 10 < 9) {
      b.List(b.Size(100, 6000), 1, 300);  // many nodes
    } else {
      b.List(b.Size(1000, 20000), 1, 30);
    }
  }
  // Elements of 2000 bytes and more go into PLAIN nodes from here on.
  p.commands.push_back({"DEBUG", "QUICKLIST-PACKED-THRESHOLD", "2000"});
  for (int i = 0; i < 30; i++) b.List(b.Size(1, 60), 1000, 9000);
  p.commands.push_back({"DEBUG", "QUICKLIST-PACKED-THRESHOLD", "1073741824"});
  for (int i = 0; i < 300; i++) {
    if (i % 3 == 0) {
      b.Set(b.Size(1, 512), true, 0);  // intset
    } else if (i % 3 == 1) {
      b.Set(b.Size(1, 2000), false, 60);  // hashtable
    } else {
      b.Set(b.Size(513, 4000), true, 0);  // integers past the intset limit
    }
  }
  for (int i = 0; i < 300; i++) {
    if (i % 3 == 0) {
      b.Zset(b.Size(1, 128), 40);  // listpack
    } else if (i % 3 == 1) {
      b.Zset(b.Size(129, 5000), 40);  // skiplist
    } else {
      b.Zset(b.Size(1, 128), 200);  // skiplist through a long member
    }
  }
  for (int i = 0; i < 300; i++) {
    if (i % 3 == 0) {
      b.Hash(b.Size(1, 128), 20, 40);  // listpack
    } else if (i % 3 == 1) {
      b.Hash(b.Size(129, 5000), 30, 50);  // hashtable
    } else {
      b.Hash(b.Size(1, 128), 20, 300);  // hashtable through a long value
    }
  }
  for (int i = 0; i < 240; i++) b.Stream(b.Size(1, 3000), i % 2 == 0 ? 0 : 1 + i % 3);
  return p;
}

inline DatasetPhase LargerLimitsPhase(uint64_t seed) {
  DatasetPhase p{"larger", DefaultLimits(), {}};
  for (const char* name : {"hash-max-listpack-entries", "zset-max-listpack-entries"}) {
    p.setup.push_back({"CONFIG", "SET", name, "2048"});
  }
  for (const char* name : {"hash-max-listpack-value", "zset-max-listpack-value"}) {
    p.setup.push_back({"CONFIG", "SET", name, "1024"});
  }
  p.setup.push_back({"CONFIG", "SET", "set-max-intset-entries", "8192"});
  p.setup.push_back({"CONFIG", "SET", "list-max-listpack-size", "8"});
  DatasetBuilder b(seed, "larger", &p.commands);
  for (int i = 0; i < 80; i++) b.Hash(b.Size(129, 2000), 20, 40);  // converted on load
  for (int i = 0; i < 40; i++) b.Hash(b.Size(1, 128), 20, 500);    // kept: count fits
  for (int i = 0; i < 80; i++) b.Zset(b.Size(129, 2000), 30);      // converted on load
  for (int i = 0; i < 40; i++) b.Zset(b.Size(1, 128), 300);        // kept: count fits
  for (int i = 0; i < 80; i++) b.Set(b.Size(513, 8000), true, 0);  // converted on load
  for (int i = 0; i < 80; i++) b.List(b.Size(1, 3000), 1, 100);    // 8-element nodes
  return p;
}

inline DatasetPhase SmallerLimitsPhase(uint64_t seed) {
  DatasetPhase p{"smaller", DefaultLimits(), {}};
  for (const char* name : {"hash-max-listpack-entries", "zset-max-listpack-entries"}) {
    p.setup.push_back({"CONFIG", "SET", name, "4"});
  }
  for (const char* name : {"hash-max-listpack-value", "zset-max-listpack-value"}) {
    p.setup.push_back({"CONFIG", "SET", name, "16"});
  }
  p.setup.push_back({"CONFIG", "SET", "set-max-intset-entries", "4"});
  p.setup.push_back({"CONFIG", "SET", "list-max-listpack-size", "1"});
  DatasetBuilder b(seed, "smaller", &p.commands);
  for (int i = 0; i < 80; i++) b.Hash(b.Size(5, 128), 20, 40);  // back to a listpack
  for (int i = 0; i < 80; i++) b.Zset(b.Size(5, 128), 40);      // back to a listpack
  for (int i = 0; i < 80; i++) b.Set(b.Size(5, 512), true, 0);  // back to an intset
  for (int i = 0; i < 60; i++) b.List(b.Size(1, 500), 1, 50);   // one element per node
  return p;
}

}  // namespace strata::rdbtool::test
