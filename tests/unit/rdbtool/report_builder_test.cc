// The report's data: prefix aggregation over sorted keys, summaries through JSON, and a whole
// report built from a dumped batch of two instances.
#include "rdbtool/report_builder.h"

#include <gtest/gtest.h>

#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "rdbtool/key_summary.h"
#include "rdbtool/prefix_aggregator.h"
#include "rdbtool/rdb_dump.h"
#include "support/test_util.h"
#include "unit/rdb/rdb_test_util.h"
#include "unit/rdbtool/rdb_dump_test_util.h"

namespace strata::rdbtool {
namespace {

const ReportPrefix* Child(const ReportPrefix& p, const std::string& prefix) {
  for (const ReportPrefix& c : p.children) {
    if (c.prefix == prefix) return &c;
  }
  return nullptr;
}

TEST(PrefixAggregatorTest, KeepsPrefixesAboveTheShare) {
  // rdb bytes as weights: user: 60 (user:1: 30, user:2: 30), session: 35, misc 5.
  PrefixAggregator agg(/*min_bytes=*/10, /*by_memory=*/false);
  agg.Add("misc", 0, 5);
  agg.Add("session:a", 0, 20);
  agg.Add("session:b", 0, 15);
  agg.Add("user:1:name", 0, 10);
  agg.Add("user:1:name", 0, 10);  // the same key from another instance
  agg.Add("user:1:x", 0, 10);
  agg.Add("user:2:name", 0, 30);
  const ReportPrefix root = agg.Finish();
  EXPECT_EQ(root.keys, 7u);
  EXPECT_EQ(root.rdb_bytes, 100u);
  ASSERT_EQ(root.children.size(), 2u);
  EXPECT_EQ(root.children[0].prefix, "user:");  // heaviest first
  EXPECT_EQ(root.children[0].rdb_bytes, 60u);
  EXPECT_EQ(root.children[1].prefix, "session:");
  const ReportPrefix* user = Child(root, "user:");
  ASSERT_NE(user, nullptr);
  ASSERT_EQ(user->children.size(), 2u);
  EXPECT_EQ(user->children[0].rdb_bytes, 30u);
  const ReportPrefix* u1 = Child(*user, "user:1:");
  ASSERT_NE(u1, nullptr);
  EXPECT_EQ(u1->keys, 3u);
  EXPECT_TRUE(u1->children.empty());  // "user:1:name" has no separator after the prefix
}

TEST(PrefixAggregatorTest, DropsSmallPrefixesWithTheirChildren) {
  PrefixAggregator agg(50, false);
  agg.Add("a:b:c", 0, 10);
  agg.Add("a:b:d", 0, 10);
  agg.Add("z/y", 0, 60);
  const ReportPrefix root = agg.Finish();
  ASSERT_EQ(root.children.size(), 1u);
  EXPECT_EQ(root.children[0].prefix, "z/");
  EXPECT_EQ(root.rdb_bytes, 80u);
}

TEST(KeySummaryTest, JsonRoundTripAndMerge) {
  KeySummary a("node-a", 1000000);
  rdb::KeyRecord r;
  r.db = 3;
  r.key = std::string("bin\0\xff", 5);
  r.type = rdb::KeyType::kHash;
  r.encoding = "listpack";
  r.member_count = 20000;  // a big key by members
  r.rdb_size = 777;
  r.expire_at_ms = 1000000 + 1800 * 1000;  // in 30 minutes
  a.Add(r, 9000, std::optional<uint16_t>(7), std::nullopt);
  r.key = "small";
  r.member_count = 1;
  r.type = rdb::KeyType::kString;
  r.encoding = "raw";
  r.expire_at_ms.reset();
  r.shape.element_bytes = 10;
  a.Add(r, 50, std::optional<uint16_t>(7), std::nullopt);
  auto back = KeySummary::FromJson(a.ToJson());
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(back->totals().keys, 2u);
  EXPECT_EQ(back->totals().memory_bytes, 9050u);
  EXPECT_EQ(back->totals().expiring_keys, 1u);
  EXPECT_EQ(back->by_db().at("3").keys, 2u);
  EXPECT_EQ(back->by_type().at("hash").memory_bytes, 9000u);
  EXPECT_EQ(back->expiry()[1].keys, 1u);  // lt_1h
  EXPECT_EQ(back->expiry()[5].keys, 1u);  // none
  ASSERT_EQ(back->TopKeys().size(), 2u);
  EXPECT_EQ(back->TopKeys()[0].key, std::string("bin\0\xff", 5));
  ASSERT_EQ(back->big_keys().size(), 1u);
  EXPECT_EQ(back->redis_slots().at(7).first, 2u);
  KeySummary b("node-b", 1000000);
  b.Merge(*back);
  b.Merge(*back);
  EXPECT_EQ(b.totals().keys, 4u);
  EXPECT_EQ(b.redis_slots().at(7).second, 2 * 9050u);
  EXPECT_FALSE(KeySummary::FromJson("{\"version\": 1}").ok());
  EXPECT_FALSE(KeySummary::FromJson("not json").ok());
}

// An instance is named after its file or address, which need not be UTF-8: the summary keeps
// the exact bytes (nlohmann::json threw on them, and the dump aborted), and the JSON stays
// ASCII. Summaries from before instance_b64 still read.
TEST(KeySummaryTest, InstanceNamesThatAreNotUtf8RoundTrip) {
  const std::string name("n\xffx", 3);
  KeySummary a(name, 1000000);
  const std::string json = a.ToJson();
  for (char c : json) ASSERT_LT(static_cast<unsigned char>(c), 0x80) << json;
  auto back = KeySummary::FromJson(json);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(back->instance(), name);

  // What a dump wrote before instance_b64: the same object without it.
  nlohmann::json old = nlohmann::json::parse(KeySummary("node-a", 5).ToJson());
  ASSERT_EQ(old.erase("instance_b64"), 1u);
  auto read_old = KeySummary::FromJson(old.dump());
  ASSERT_TRUE(read_old.ok()) << read_old.status().ToString();
  EXPECT_EQ(read_old->instance(), "node-a");
  nlohmann::json bad = nlohmann::json::parse(json);
  bad["instance_b64"] = "!!";
  EXPECT_TRUE(KeySummary::FromJson(bad.dump()).status().IsCorruption());
}

TEST(ReportBuilderTest, ReportOfADumpedBatch) {
  strata::test::TempDir dir;
  // Two instances: node-a holds user:* and cache:* keys, node-b more user:* keys.
  auto write = [&](const std::string& name, const std::vector<std::string>& keys) {
    std::string body = static_cast<char>(0xFE) + rdb::test::Len(0);
    for (const std::string& k : keys)
      body += static_cast<char>(0) + rdb::test::Str(k) + rdb::test::Str(std::string(100, 'v'));
    const std::string path = dir.File(name);
    test::WriteBytes(path, rdb::test::RdbFile(9, body));
    return path;
  };
  std::vector<std::string> a_keys, b_keys;
  for (int i = 0; i < 300; i++) a_keys.push_back("user:" + std::to_string(i));
  for (int i = 0; i < 100; i++) a_keys.push_back("cache:" + std::to_string(i));
  for (int i = 300; i < 600; i++) b_keys.push_back("user:" + std::to_string(i));
  b_keys.push_back("lonely");
  const std::string a = write("a.rdb", a_keys), b = write("b.rdb", b_keys);
  auto instance = [](const std::string& name, const std::string& path) {
    return test::FileInstance(name, path, {.redis = true});
  };
  DumpOptions o;
  o.dir = dir.File("lake");
  o.cluster = "c1";
  o.batch_ns = 1796054709000000000;
  o.run_rows = 64;
  DumpResult dumped;
  ASSERT_TRUE(DumpBatch({instance("node-a", a), instance("node-b", b)}, o, nullptr, &dumped).ok());

  ReportOptions ro;
  ro.dir = o.dir;
  ro.cluster = "c1";
  auto built = BuildReport(ro);
  ASSERT_TRUE(built.ok()) << built.status().ToString();
  const ReportData& data = *built;
  EXPECT_EQ(data.batch, dumped.batch_id);  // the latest batch
  EXPECT_EQ(data.total.keys, 701u);
  ASSERT_EQ(data.by_instance.size(), 2u);
  EXPECT_EQ(data.by_instance[0].name, "node-a");
  EXPECT_EQ(data.by_instance[0].totals.keys, 400u);
  ASSERT_EQ(data.by_type.size(), 1u);
  EXPECT_EQ(data.by_type[0].name, "string");
  // Prefixes across both instances: user: has 600 of 701 keys.
  const ReportPrefix* user = Child(data.prefixes, "user:");
  ASSERT_NE(user, nullptr);
  EXPECT_EQ(user->keys, 600u);
  const ReportPrefix* cache = Child(data.prefixes, "cache:");
  ASSERT_NE(cache, nullptr);
  EXPECT_EQ(cache->keys, 100u);
  EXPECT_EQ(data.prefixes.keys, 701u);
  ASSERT_TRUE(data.redis_slots.has_value());
  EXPECT_TRUE(data.redis_slots->on_several_instances.empty());
  EXPECT_EQ(data.top_keys.size(), 100u);
  EXPECT_EQ(data.expiry.back().keys, 701u);  // none expire
}

}  // namespace
}  // namespace strata::rdbtool
