#include "memtable/memtable.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <map>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include "base/random.h"
#include "support/failure_log.h"
#include "support/test_util.h"

namespace strata::memtable {
namespace {

// Owns one reference to a fresh memtable.
class MemTableRef {
 public:
  MemTableRef() : icmp_(BytewiseComparator()), mem_(new MemTable(icmp_)) { mem_->Ref(); }
  ~MemTableRef() { mem_->Unref(); }
  MemTable* operator->() const { return mem_; }
  MemTable* get() const { return mem_; }

 private:
  InternalKeyComparator icmp_;
  MemTable* mem_;
};

struct Version {
  ValueType type;
  std::string value;
};

// The model: user key -> sequence -> version. Get(key, snapshot) is the version with the
// largest sequence <= snapshot.
using Model = std::map<std::string, std::map<SequenceNumber, Version>>;

// What Get should report: nullopt-like via found=false; else NotFound or the value.
struct Expected {
  bool found = false;
  bool deleted = false;
  std::string value;
};

Expected ModelGet(const Model& model, const std::string& key, SequenceNumber snapshot) {
  Expected e;
  auto k = model.find(key);
  if (k == model.end()) return e;
  auto v = k->second.upper_bound(snapshot);
  if (v == k->second.begin()) return e;
  --v;
  e.found = true;
  e.deleted = v->second.type == ValueType::kDeletion;
  e.value = v->second.value;
  return e;
}

void CheckGet(MemTable* mem, const Model& model, const std::string& key, SequenceNumber snapshot) {
  const Expected e = ModelGet(model, key, snapshot);
  std::string value = "untouched";
  Status s = Status::IOError("untouched");
  const bool found = mem->Get(LookupKey(key, snapshot), &value, &s);
  ASSERT_EQ(found, e.found) << key << " @" << snapshot;
  if (!found) {
    EXPECT_EQ(value, "untouched");
    EXPECT_TRUE(s.IsIOError());
  } else if (e.deleted) {
    EXPECT_TRUE(s.IsNotFound()) << s.ToString();
  } else {
    EXPECT_TRUE(s.ok()) << s.ToString();
    EXPECT_EQ(value, e.value);
  }
}

std::string IKey(const std::string& user_key, SequenceNumber seq, ValueType type) {
  std::string result;
  AppendInternalKey(&result, ParsedInternalKey{user_key, seq, type});
  return result;
}

TEST(MemTableTest, EmptyFindsNothing) {
  MemTableRef mem;
  Model model;
  CheckGet(mem.get(), model, "a", kMaxSequenceNumber);
  CheckGet(mem.get(), model, "", 0);
  auto it = mem->NewIterator();
  it->SeekToFirst();
  EXPECT_FALSE(it->Valid());
  EXPECT_TRUE(it->status().ok());
  EXPECT_EQ(mem->num_entries(), 0u);
}

TEST(MemTableTest, PutDeleteOverwriteAtSnapshots) {
  MemTableRef mem;
  Model model;
  auto add = [&](SequenceNumber seq, ValueType type, const std::string& k, const std::string& v) {
    mem->Add(seq, type, k, v);
    model[k][seq] = Version{type, v};
  };
  add(1, ValueType::kValue, "k", "v1");
  add(2, ValueType::kValue, "k", "v2");
  add(3, ValueType::kDeletion, "k", "");
  add(4, ValueType::kValue, "k", "v4");
  add(5, ValueType::kValue, "", "empty key");
  add(6, ValueType::kValue, std::string("k\0x", 3), "");  // a NUL byte in the key, empty value
  add(kMaxSequenceNumber, ValueType::kValue, "max", "at max seq");
  for (SequenceNumber snap :
       {SequenceNumber{0}, SequenceNumber{1}, SequenceNumber{2}, SequenceNumber{3},
        SequenceNumber{4}, SequenceNumber{5}, SequenceNumber{100}, kMaxSequenceNumber}) {
    for (const std::string& key :
         {std::string("k"), std::string(), std::string("j"), std::string("l"), std::string("max"),
          std::string("k\0x", 3), std::string("k\0", 2), std::string("kx")}) {
      CheckGet(mem.get(), model, key, snap);
    }
  }
  EXPECT_EQ(mem->num_entries(), 7u);
}

TEST(MemTableTest, RandomOperationsMatchModel) {
  const int seeds = test::Iterations(5, 50);
  for (int seed = 1; seed <= seeds; seed++) {
    SCOPED_TRACE(seed);
    Random rnd(seed);
    MemTableRef mem;
    Model model;
    SequenceNumber seq = 0;
    const int ops = 3000;
    auto random_key = [&] { return "key" + std::to_string(rnd.Uniform(200)); };
    for (int i = 0; i < ops; i++) {
      seq += 1 + rnd.Uniform(3);
      const std::string key = random_key();
      if (rnd.OneIn(4)) {
        mem->Add(seq, ValueType::kDeletion, key, "");
        model[key][seq] = Version{ValueType::kDeletion, ""};
      } else {
        const std::string value = test::RandomBytes(seq, rnd.Skewed(10));
        mem->Add(seq, ValueType::kValue, key, value);
        model[key][seq] = Version{ValueType::kValue, value};
      }
      if (i % 500 == 0) {
        for (int g = 0; g < 200; g++)
          CheckGet(mem.get(), model, random_key(), rnd.Uniform(seq + 2));
      }
    }
    for (int g = 0; g < 2000; g++) {
      const SequenceNumber snap = rnd.OneIn(10) ? kMaxSequenceNumber : rnd.Uniform(seq + 2);
      CheckGet(mem.get(), model, random_key(), snap);
    }
    EXPECT_EQ(mem->num_entries(), static_cast<uint64_t>(ops));
  }
}

// Entries in the model order: user key ascending, then sequence descending.
std::vector<std::pair<std::string, std::string>> ModelEntries(const Model& model) {
  std::vector<std::pair<std::string, std::string>> entries;
  for (const auto& [key, versions] : model) {
    for (auto v = versions.rbegin(); v != versions.rend(); ++v) {
      entries.emplace_back(IKey(key, v->first, v->second.type), v->second.value);
    }
  }
  return entries;
}

TEST(MemTableTest, IteratorMatchesModelBothDirections) {
  Random rnd(77);
  MemTableRef mem;
  Model model;
  for (SequenceNumber seq = 1; seq <= 2000; seq++) {
    const std::string key = std::string(rnd.Uniform(3), 'k') + std::to_string(rnd.Uniform(100));
    const ValueType type = rnd.OneIn(5) ? ValueType::kDeletion : ValueType::kValue;
    const std::string value = type == ValueType::kValue ? test::RandomBytes(seq, 20) : "";
    mem->Add(seq, type, key, value);
    model[key][seq] = Version{type, value};
  }
  const auto entries = ModelEntries(model);
  ASSERT_EQ(entries.size(), 2000u);

  auto it = mem->NewIterator();
  it->SeekToFirst();
  for (const auto& [ikey, value] : entries) {
    ASSERT_TRUE(it->Valid());
    ASSERT_EQ(it->key().ToString(), ikey);
    ASSERT_EQ(it->value().ToString(), value);
    it->Next();
  }
  EXPECT_FALSE(it->Valid());
  it->SeekToLast();
  for (auto e = entries.rbegin(); e != entries.rend(); ++e) {
    ASSERT_TRUE(it->Valid());
    ASSERT_EQ(it->key().ToString(), e->first);
    ASSERT_EQ(it->value().ToString(), e->second);
    it->Prev();
  }
  EXPECT_FALSE(it->Valid());

  // Seek and SeekForPrev to random internal keys; the model answer comes from the sorted
  // entries with the model order written out by hand.
  auto model_less = [](const std::string& a, const std::string& b) {
    ParsedInternalKey pa, pb;
    EXPECT_TRUE(ParseInternalKey(a, &pa));
    EXPECT_TRUE(ParseInternalKey(b, &pb));
    return std::make_tuple(pa.user_key.ToString(), ~pa.sequence, ~uint8_t(pa.type)) <
           std::make_tuple(pb.user_key.ToString(), ~pb.sequence, ~uint8_t(pb.type));
  };
  for (int i = 0; i < 2000; i++) {
    const std::string target =
        IKey(std::string(rnd.Uniform(3), 'k') + std::to_string(rnd.Uniform(110)), rnd.Uniform(2100),
             rnd.OneIn(2) ? ValueType::kValue : ValueType::kDeletion);
    auto pos = std::lower_bound(
        entries.begin(), entries.end(), target,
        [&](const auto& e, const std::string& t) { return model_less(e.first, t); });
    if (rnd.OneIn(2)) {
      it->Seek(target);
    } else {
      it->SeekForPrev(target);
      // Last entry <= target: one before the first entry > target.
      pos = std::upper_bound(
          entries.begin(), entries.end(), target,
          [&](const std::string& t, const auto& e) { return model_less(t, e.first); });
      pos = pos == entries.begin() ? entries.end() : pos - 1;
    }
    if (pos == entries.end()) {
      ASSERT_FALSE(it->Valid());
    } else {
      ASSERT_TRUE(it->Valid());
      ASSERT_EQ(it->key().ToString(), pos->first);
      ASSERT_EQ(it->value().ToString(), pos->second);
    }
  }
}

TEST(MemTableTest, HugeValue) {
  MemTableRef mem;
  const size_t kSize = 64u << 20;
  const std::string big = test::RandomBytes(42, kSize);
  mem->Add(10, ValueType::kValue, "big", big);
  mem->Add(11, ValueType::kValue, "small", "s");
  EXPECT_GE(mem->ApproximateMemoryUsage(), kSize);
  std::string value;
  Status s;
  ASSERT_TRUE(mem->Get(LookupKey("big", 10), &value, &s));
  ASSERT_TRUE(s.ok());
  EXPECT_TRUE(value == big);
  auto it = mem->NewIterator();
  it->SeekToFirst();
  ASSERT_TRUE(it->Valid());
  EXPECT_EQ(it->value().size(), kSize);
  EXPECT_TRUE(it->value() == Slice(big));
}

TEST(MemTableTest, MemoryUsageGrows) {
  MemTableRef mem;
  size_t last = mem->ApproximateMemoryUsage();
  size_t payload = 0;
  for (int i = 0; i < 10000; i++) {
    const std::string key = "key" + std::to_string(i);
    const std::string value(100, 'v');
    mem->Add(i + 1, ValueType::kValue, key, value);
    payload += key.size() + value.size();
    const size_t now = mem->ApproximateMemoryUsage();
    ASSERT_GE(now, last);
    last = now;
  }
  EXPECT_GE(last, payload);
}

TEST(MemTableTest, IteratorKeepsMemTableAlive) {
  InternalKeyComparator icmp(BytewiseComparator());
  auto* mem = new MemTable(icmp);
  mem->Ref();
  mem->Add(1, ValueType::kValue, "a", "1");
  auto it = mem->NewIterator();
  mem->Unref();  // the iterator's reference keeps it alive
  it->SeekToFirst();
  ASSERT_TRUE(it->Valid());
  EXPECT_EQ(ExtractUserKey(it->key()).ToString(), "a");
  EXPECT_EQ(it->value().ToString(), "1");
  it.reset();  // frees the memtable; ASan reports a leak or a use after free otherwise
}

// Gets from several threads while one writer adds: a reader sees each key's newest version
// as of a snapshot whose writes have all been published.
TEST(MemTableTest, ConcurrentGetsWhileWriting) {
  MemTableRef mem;
  const int kKeys = 100;
  const int kWrites = test::Iterations(20000, 200000);
  // Write i (sequence i + 1) sets key (i % kKeys) to the value "v<i>".
  std::atomic<SequenceNumber> published{0};
  test::FailureLog failures;
  auto reader = [&](uint64_t seed) {
    Random rnd(seed);
    // At least a few Gets each, even if the writer is done before the reader starts.
    for (int gets = 0; gets < 100 || published.load(std::memory_order_acquire) <
                                         static_cast<SequenceNumber>(kWrites);
         gets++) {
      const SequenceNumber snap = published.load(std::memory_order_acquire);
      const int key = static_cast<int>(rnd.Uniform(kKeys));
      std::string value;
      Status s;
      const bool found = mem->Get(LookupKey("key" + std::to_string(key), snap), &value, &s);
      // The newest write of `key` with sequence <= snap.
      const int64_t last = static_cast<int64_t>(snap) - 1;
      const int64_t newest = last - ((last - key) % kKeys + kKeys) % kKeys;
      auto fail = [&](const std::string& why) {
        failures.Add("reader " + std::to_string(seed) + ": Get(key" + std::to_string(key) +
                     ") at sequence " + std::to_string(snap) + " " + why);
      };
      if (newest < 0 || last < 0) {
        if (found) fail("found " + value + " before any write of the key");
      } else if (!found || !s.ok() || value != "v" + std::to_string(newest)) {
        fail((found ? "found " + value + " (" + s.ToString() + ")" : "found nothing") +
             ", expected v" + std::to_string(newest));
      }
    }
  };
  std::vector<std::thread> readers;
  for (uint64_t r = 0; r < 3; r++) readers.emplace_back(reader, r + 1);
  for (int i = 0; i < kWrites; i++) {
    mem->Add(i + 1, ValueType::kValue, "key" + std::to_string(i % kKeys), "v" + std::to_string(i));
    published.store(i + 1, std::memory_order_release);
  }
  for (auto& t : readers) t.join();
  EXPECT_EQ(failures.total(), 0u) << failures.Report();
}

}  // namespace
}  // namespace strata::memtable
