// The ObjectStore contract, checked on every backend (store_backends.h): the local directory
// and S3 must agree on everything a caller can observe.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <thread>

#include "base/random.h"
#include "objstore/object_store.h"
#include "store_backends.h"
#include "support/test_util.h"

namespace strata::objstore {
namespace {

using strata::test::RandomBytes;
using strata::test::TempDir;

class StoreConformance : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    conformance::StoreBackend* backend = conformance::GetStoreBackend(GetParam());
    ASSERT_NE(backend, nullptr);
    const std::string why = backend->SkipReason();
    if (!why.empty()) GTEST_SKIP() << why;
    auto store = backend->NewStore();
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(*store);
  }

  ObjectInfo MustPut(std::string_view key, std::string_view bytes, const PutOptions& o = {}) {
    auto put = PutString(store_.get(), key, bytes, o);
    EXPECT_TRUE(put.ok()) << key << ": " << put.status().ToString();
    return put.ok() ? *put : ObjectInfo();
  }
  std::string MustGet(std::string_view key) {
    auto got = GetString(store_.get(), key);
    EXPECT_TRUE(got.ok()) << key << ": " << got.status().ToString();
    return got.ok() ? *got : std::string();
  }
  Result<std::string> GetRange(std::string_view key, uint64_t offset,
                               std::optional<uint64_t> length) {
    GetOptions o;
    o.offset = offset;
    o.length = length;
    StringSink sink;
    auto info = store_->Get(key, o, &sink);
    if (!info.ok()) return info.status();
    return sink.Release();
  }
  // Every page of a listing, flattened: objects as their keys, prefixes with a "P:" mark, in the
  // order the pages gave them (objects of a page first, then its prefixes).
  std::vector<std::string> ListFlat(const std::string& prefix, const std::string& delimiter,
                                    int max_keys) {
    std::vector<std::string> out;
    ListOptions o;
    o.prefix = prefix;
    o.delimiter = delimiter;
    o.max_keys = max_keys;
    for (int pages = 0; pages < 10000; pages++) {
      auto page = store_->List(o);
      EXPECT_TRUE(page.ok()) << page.status().ToString();
      if (!page.ok()) break;
      EXPECT_LE(page->objects.size() + page->common_prefixes.size(), static_cast<size_t>(max_keys));
      for (const ObjectInfo& info : page->objects) out.push_back(info.key);
      for (const std::string& p : page->common_prefixes) out.push_back("P:" + p);
      if (page->next_token.empty()) break;
      o.continuation_token = page->next_token;
    }
    return out;
  }

  std::unique_ptr<ObjectStore> store_;
};

TEST_P(StoreConformance, PutGetHeadRoundTrip) {
  for (size_t size : {size_t{0}, size_t{1}, size_t{1000}, size_t{3} << 20}) {
    const std::string key = "dir/obj-" + std::to_string(size);
    const std::string bytes = RandomBytes(size, size);
    const ObjectInfo put = MustPut(key, bytes);
    EXPECT_EQ(put.size, size);
    EXPECT_FALSE(put.etag.empty());
    EXPECT_EQ(MustGet(key), bytes) << key;
    auto head = store_->Head(key);
    ASSERT_TRUE(head.ok()) << head.status().ToString();
    EXPECT_EQ(head->key, key);
    EXPECT_EQ(head->size, size);
    EXPECT_EQ(head->etag, put.etag);
    // Last-modified is now, give or take clock skew between us and the server.
    const int64_t now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                               std::chrono::system_clock::now().time_since_epoch())
                               .count();
    EXPECT_LT(std::abs(head->last_modified_ms - now_ms), 60'000) << head->last_modified_ms;
  }
}

TEST_P(StoreConformance, MissingObjectIsNotFoundNamingItsUrl) {
  auto got = GetString(store_.get(), "no/such/key");
  ASSERT_FALSE(got.ok());
  EXPECT_TRUE(got.status().IsNotFound()) << got.status().ToString();
  EXPECT_NE(got.status().ToString().find(store_->Url("no/such/key")), std::string::npos)
      << got.status().ToString();
  auto head = store_->Head("no/such/key");
  ASSERT_FALSE(head.ok());
  EXPECT_TRUE(head.status().IsNotFound()) << head.status().ToString();
}

TEST_P(StoreConformance, OverwriteReplacesBytesAndETag) {
  const ObjectInfo first = MustPut("k", "first version");
  const ObjectInfo second = MustPut("k", "the second version");
  EXPECT_NE(first.etag, second.etag);
  EXPECT_EQ(MustGet("k"), "the second version");
}

TEST_P(StoreConformance, RangesAreCutAtTheEndAndMayNotStartPastIt) {
  const std::string bytes = RandomBytes(7, 10000);
  MustPut("r", bytes);
  MustPut("empty", "");
  struct Case {
    uint64_t offset;
    std::optional<uint64_t> length;
  };
  for (const Case& c : {Case{0, std::nullopt}, Case{0, 1}, Case{1, 3}, Case{9999, 1},
                        Case{9999, std::nullopt}, Case{5000, 100000}, Case{1234, 4321}}) {
    auto got = GetRange("r", c.offset, c.length);
    ASSERT_TRUE(got.ok()) << c.offset << ": " << got.status().ToString();
    const size_t n = c.length ? static_cast<size_t>(*c.length) : std::string::npos;
    EXPECT_EQ(*got, bytes.substr(c.offset, n)) << c.offset;
  }
  auto past = GetRange("r", 10000, 1);
  ASSERT_FALSE(past.ok());
  EXPECT_TRUE(past.status().IsInvalidArgument()) << past.status().ToString();
  auto empty = GetRange("empty", 0, std::nullopt);
  ASSERT_TRUE(empty.ok()) << empty.status().ToString();
  EXPECT_EQ(*empty, "");
}

TEST_P(StoreConformance, GetPinnedToAnETagFailsOnceTheObjectChanged) {
  const ObjectInfo v1 = MustPut("pinned", "version one");
  GetOptions o;
  o.if_match = v1.etag;
  StringSink sink;
  ASSERT_TRUE(store_->Get("pinned", o, &sink).ok());
  EXPECT_EQ(sink.bytes(), "version one");
  MustPut("pinned", "version two");
  StringSink again;
  auto got = store_->Get("pinned", o, &again);
  ASSERT_FALSE(got.ok());
  EXPECT_TRUE(got.status().IsPreconditionFailed()) << got.status().ToString();
}

TEST_P(StoreConformance, ListIsSortedAndSplitsAtTheDelimiter) {
  for (const char* key : {"b", "a/c/d", "a0", "a-b", "a/b", "a/c/e", "ab/x"}) MustPut(key, key);
  EXPECT_EQ(ListFlat("", "", 1000),
            (std::vector<std::string>{"a-b", "a/b", "a/c/d", "a/c/e", "a0", "ab/x", "b"}));
  EXPECT_EQ(ListFlat("a/", "", 1000), (std::vector<std::string>{"a/b", "a/c/d", "a/c/e"}));
  EXPECT_EQ(ListFlat("a", "/", 1000), (std::vector<std::string>{"a-b", "a0", "P:a/", "P:ab/"}));
  EXPECT_EQ(ListFlat("a/", "/", 1000), (std::vector<std::string>{"a/b", "P:a/c/"}));
  EXPECT_EQ(ListFlat("", "/", 1000), (std::vector<std::string>{"a-b", "a0", "b", "P:a/", "P:ab/"}));
  EXPECT_EQ(ListFlat("zzz", "", 1000), std::vector<std::string>{});
  EXPECT_EQ(ListFlat("a/c/d", "", 1000), std::vector<std::string>{"a/c/d"});
}

// A model test: random keys, and every listing (prefix, delimiter, page size) compared with
// what a sorted set says it must be. Pages are compared as sets of keys and prefixes, since S3
// returns a page's objects and prefixes in two lists.
TEST_P(StoreConformance, ListingsMatchASortedModel) {
  Random rnd(301);
  std::set<std::string> model;
  const char* parts[] = {"a", "b", "ab", "a-", "x.y", "z"};
  while (model.size() < 60) {
    std::string key;
    const int depth = 1 + static_cast<int>(rnd.Uniform(3));
    for (int d = 0; d < depth; d++) {
      if (d > 0) key += '/';
      key += parts[rnd.Uniform(6)];
    }
    // A directory store cannot hold both "a" and "a/b": keep the model to keys it can.
    bool clash = false;
    for (const std::string& k : model) {
      if (k.starts_with(key + "/") || key.starts_with(k + "/")) clash = true;
    }
    if (!clash) model.insert(key);
  }
  for (const std::string& k : model) MustPut(k, k);
  for (const std::string prefix : {"", "a", "a/", "ab", "b/a", "z/z/"}) {
    for (const std::string delimiter : {"", "/"}) {
      std::vector<std::string> expected;
      std::set<std::string> prefixes;
      for (const std::string& k : model) {
        if (!k.starts_with(prefix)) continue;
        const size_t at = delimiter.empty() ? std::string::npos : k.find(delimiter, prefix.size());
        if (at == std::string::npos) {
          expected.push_back(k);
        } else {
          prefixes.insert("P:" + k.substr(0, at + 1));
        }
      }
      expected.insert(expected.end(), prefixes.begin(), prefixes.end());
      std::sort(expected.begin(), expected.end());
      for (int page : {1, 2, 7, 1000}) {
        std::vector<std::string> got = ListFlat(prefix, delimiter, page);
        const std::set<std::string> unique(got.begin(), got.end());
        EXPECT_EQ(unique.size(), got.size()) << "duplicates, prefix " << prefix;
        std::sort(got.begin(), got.end());
        EXPECT_EQ(got, expected) << "prefix '" << prefix << "' delimiter '" << delimiter
                                 << "' page " << page;
      }
    }
  }
}

TEST_P(StoreConformance, DeleteRemovesAndMissingDeleteSucceeds) {
  MustPut("d/one", "1");
  MustPut("d/two", "2");
  ASSERT_TRUE(store_->Delete("d/one").ok());
  EXPECT_TRUE(store_->Head("d/one").status().IsNotFound());
  EXPECT_TRUE(store_->Delete("d/one").ok());
  EXPECT_TRUE(store_->Delete("never/was").ok());
  EXPECT_EQ(ListFlat("", "", 1000), std::vector<std::string>{"d/two"});
}

TEST_P(StoreConformance, DeleteManyRemovesEveryKey) {
  std::vector<std::string> keys;
  for (int i = 0; i < 30; i++) keys.push_back("many/" + std::to_string(i));
  for (const std::string& k : keys) MustPut(k, k);
  MustPut("keep", "kept");
  keys.push_back("many/absent");
  ASSERT_TRUE(store_->DeleteMany(keys).ok());
  EXPECT_EQ(ListFlat("", "", 1000), std::vector<std::string>{"keep"});
}

TEST_P(StoreConformance, PutIfAbsentCreatesOnce) {
  PutOptions if_absent;
  if_absent.condition = PutCondition::kIfAbsent;
  MustPut("once", "winner", if_absent);
  auto again = PutString(store_.get(), "once", "loser", if_absent);
  ASSERT_FALSE(again.ok());
  EXPECT_TRUE(again.status().IsPreconditionFailed()) << again.status().ToString();
  EXPECT_EQ(MustGet("once"), "winner");
}

TEST_P(StoreConformance, PutIfMatchReplacesOnlyTheVersionNamed) {
  const ObjectInfo v1 = MustPut("m", "v1");
  PutOptions if_match;
  if_match.condition = PutCondition::kIfMatch;
  if_match.if_match = v1.etag;
  const ObjectInfo v2 = MustPut("m", "v2", if_match);
  EXPECT_EQ(MustGet("m"), "v2");
  // v1's ETag is stale now.
  auto stale = PutString(store_.get(), "m", "v3", if_match);
  ASSERT_FALSE(stale.ok());
  EXPECT_TRUE(stale.status().IsPreconditionFailed()) << stale.status().ToString();
  EXPECT_EQ(MustGet("m"), "v2");
  // No object: no version can match.
  auto absent = PutString(store_.get(), "absent", "x", if_match);
  ASSERT_FALSE(absent.ok());
  EXPECT_TRUE(absent.status().IsPreconditionFailed()) << absent.status().ToString();
  EXPECT_TRUE(store_->Head("absent").status().IsNotFound());
  if_match.if_match = v2.etag;
  MustPut("m", "v3", if_match);
  EXPECT_EQ(MustGet("m"), "v3");
}

TEST_P(StoreConformance, EightThreadsRacingPutIfAbsentHaveOneWinner) {
  for (int round = 0; round < 3; round++) {
    const std::string key = "race/" + std::to_string(round);
    std::vector<Status> results(8);
    std::vector<std::thread> threads;
    for (int t = 0; t < 8; t++) {
      threads.emplace_back([&, t] {
        PutOptions o;
        o.condition = PutCondition::kIfAbsent;
        results[t] = PutString(store_.get(), key, "writer " + std::to_string(t), o).status();
      });
    }
    for (auto& th : threads) th.join();
    int winners = 0, winner = -1;
    for (int t = 0; t < 8; t++) {
      if (results[t].ok()) {
        winners++;
        winner = t;
      } else {
        EXPECT_TRUE(results[t].IsPreconditionFailed()) << results[t].ToString();
      }
    }
    ASSERT_EQ(winners, 1) << key;
    EXPECT_EQ(MustGet(key), "writer " + std::to_string(winner));
  }
}

// A source that hands out its bytes in small, uneven reads, and can fail part-way.
class TrickleSource final : public ByteSource {
 public:
  TrickleSource(std::string bytes, size_t fail_at = std::string::npos)
      : bytes_(std::move(bytes)), fail_at_(fail_at) {}
  Result<size_t> Read(char* dst, size_t n) override {
    if (pos_ >= fail_at_) return Status::IOError("trickle source: injected read error");
    const size_t take = std::min({n, bytes_.size() - pos_, size_t{1} + (pos_ % 4093)});
    std::copy_n(bytes_.data() + pos_, take, dst);
    pos_ += take;
    return take;
  }

 private:
  std::string bytes_;
  size_t pos_ = 0;
  size_t fail_at_;
};

TEST_P(StoreConformance, StreamedPutTakesShortReads) {
  const std::string bytes = RandomBytes(11, 300000);
  TrickleSource source(bytes);
  auto put = store_->Put("stream", &source, PutOptions());
  ASSERT_TRUE(put.ok()) << put.status().ToString();
  EXPECT_EQ(put->size, bytes.size());
  EXPECT_EQ(MustGet("stream"), bytes);
}

TEST_P(StoreConformance, FailedPutLeavesTheOldObjectOrNone) {
  MustPut("atomic", "old");
  TrickleSource failing(RandomBytes(12, 200000), 100000);
  auto put = store_->Put("atomic", &failing, PutOptions());
  ASSERT_FALSE(put.ok());
  EXPECT_NE(put.status().ToString().find("injected read error"), std::string::npos)
      << put.status().ToString();
  EXPECT_EQ(MustGet("atomic"), "old");
  TrickleSource failing_new(RandomBytes(13, 200000), 100000);
  ASSERT_FALSE(store_->Put("fresh", &failing_new, PutOptions()).ok());
  EXPECT_TRUE(store_->Head("fresh").status().IsNotFound());
  EXPECT_EQ(ListFlat("", "", 1000), std::vector<std::string>{"atomic"});
}

TEST_P(StoreConformance, FilesGoUpAndComeDownWhole) {
  TempDir dir;
  const std::string bytes = RandomBytes(21, (1 << 20) + 17);
  {
    std::FILE* f = std::fopen(dir.File("up").c_str(), "wb");
    ASSERT_NE(f, nullptr);
    ASSERT_EQ(std::fwrite(bytes.data(), 1, bytes.size(), f), bytes.size());
    std::fclose(f);
  }
  auto put = store_->PutFile("files/up", dir.File("up"), PutOptions());
  ASSERT_TRUE(put.ok()) << put.status().ToString();
  EXPECT_EQ(put->size, bytes.size());
  auto got = store_->GetFile("files/up", dir.File("down"));
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_EQ(got->size, bytes.size());
  EXPECT_EQ(strata::test::ReadFile(dir.File("down")), bytes);
  // A failed download leaves no file behind.
  EXPECT_TRUE(store_->GetFile("files/missing", dir.File("none")).status().IsNotFound());
  EXPECT_FALSE(std::filesystem::exists(dir.File("none")));
  for (const auto& entry : std::filesystem::directory_iterator(dir.path())) {
    const std::string name = entry.path().filename();
    EXPECT_TRUE(name == "up" || name == "down") << "left behind: " << name;
  }
}

TEST_P(StoreConformance, KeysWithCharactersThatNeedEscaping) {
  const std::vector<std::string> keys = {
      "with space",     "plus+sign",   "eq=ual&amp",  "per%cent",   "caf\xc3\xa9/na\xc3\xafve",
      "brackets[1](2)", "tilde~star*", "quote'dbl\"", "a b/c+d=e%f"};
  for (const std::string& k : keys) MustPut(k, "value of " + k);
  for (const std::string& k : keys) EXPECT_EQ(MustGet(k), "value of " + k);
  std::vector<std::string> sorted = keys;
  std::sort(sorted.begin(), sorted.end());
  EXPECT_EQ(ListFlat("", "", 1000), sorted);
  ASSERT_TRUE(store_->DeleteMany(keys).ok());
  EXPECT_EQ(ListFlat("", "", 1000), std::vector<std::string>{});
}

INSTANTIATE_TEST_SUITE_P(Backends, StoreConformance,
                         ::testing::ValuesIn(conformance::StoreBackendNames()),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace strata::objstore
