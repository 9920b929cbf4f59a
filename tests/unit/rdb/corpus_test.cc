// Every file of the shared RDB corpus (../shared/rdb-corpus beside the repository root, or
// $STRATA_RDB_CORPUS) parses; the known-bad ones fail with the right error; and for the librdb
// dumps, keys, types, member counts and expiries agree with the expected JSON librdb ships
// beside each dump.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "rdb/rdb_check.h"
#include "rdb_test_util.h"

namespace strata::rdb {
namespace {

namespace fs = std::filesystem;
using test::Collected;
using test::CollectingVisitor;

// $STRATA_RDB_CORPUS when set and not empty.
const char* CorpusFromEnvironment() {
  const char* env = std::getenv("STRATA_RDB_CORPUS");
  return env != nullptr && *env != '\0' ? env : nullptr;
}

// $STRATA_RDB_CORPUS, or the repository's ../shared/rdb-corpus (STRATA_DEFAULT_RDB_CORPUS, an
// absolute path set by tests/CMakeLists.txt, so the test finds it from any directory).
std::string CorpusDir() {
  const char* env = CorpusFromEnvironment();
  return env != nullptr ? env : STRATA_DEFAULT_RDB_CORPUS;
}

// Without the default corpus (a plain clone) the tests skip. A corpus asked for by name in
// $STRATA_RDB_CORPUS that is not there fails them: whoever set it expects them to run.
#define SKIP_WITHOUT_CORPUS()                                                                \
  if (!fs::is_directory(CorpusDir())) {                                                      \
    if (CorpusFromEnvironment() != nullptr) {                                                \
      FAIL() << "STRATA_RDB_CORPUS is " << CorpusDir() << ", which is not a directory";      \
    }                                                                                        \
    GTEST_SKIP() << "RDB corpus not found at " << CorpusDir()                                \
                 << " (set STRATA_RDB_CORPUS to the rdb-corpus directory to run this test)"; \
  }

Status ParseFile(const std::string& path, Collected* out, RdbParserOptions options = {}) {
  Result<std::unique_ptr<FileByteSource>> source = FileByteSource::Open(path);
  if (!source.ok()) return source.status();
  CollectingVisitor visitor(out);
  RdbParser parser(source->get(), path, options, &visitor);
  return parser.Parse();
}

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// librdb's expected files hold the members of a JSON object without the braces (or a JSON
// array, one object per database).
nlohmann::json LoadExpected(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  std::string text = ss.str();
  size_t first = text.find_first_not_of(" \t\r\n");
  if (first == std::string::npos) return nlohmann::json::object();
  if (text[first] != '[') text = "{" + text + "}";
  return nlohmann::json::parse(text);
}

bool IsAscii(const std::string& s) {
  for (char c : s) {
    if (static_cast<unsigned char>(c) >= 0x80) return false;
  }
  return true;
}

// Compares the keys of one database with the expected JSON object.
void ExpectDbMatches(const Collected& got, uint64_t db, const nlohmann::json& expected,
                     const std::string& what) {
  size_t expected_keys = 0;
  for (const auto& [name, value] : expected.items()) {
    if (name.rfind("__", 0) == 0) continue;  // __aux__, __dbsize__, __func__, ...
    expected_keys++;
    const KeyRecord* r = got.Find(name, db);
    ASSERT_NE(r, nullptr) << what << ": key " << name << " missing from db " << db;
    SCOPED_TRACE(what + " key " + name);
    if (value.is_string()) {
      if (r->type == KeyType::kModule) continue;  // librdb prints a placeholder
      EXPECT_EQ(r->type, KeyType::kString);
      EXPECT_EQ(r->member_count, 1u);
      const std::string v = value.get<std::string>();
      if (IsAscii(v)) {
        EXPECT_EQ(r->shape.element_bytes, v.size());
      }
    } else if (value.is_array()) {
      EXPECT_TRUE(r->type == KeyType::kList || r->type == KeyType::kSet) << EnumName(r->type);
      EXPECT_EQ(r->member_count, value.size());
    } else if (value.is_object() && value.contains("entries")) {
      EXPECT_EQ(r->type, KeyType::kStream);
      EXPECT_EQ(r->member_count, value["entries"].size());
    } else {
      ASSERT_TRUE(value.is_object());
      EXPECT_TRUE(r->type == KeyType::kHash || r->type == KeyType::kZset) << EnumName(r->type);
      EXPECT_EQ(r->member_count, value.size());
    }
  }
  size_t got_keys = 0;
  for (const KeyRecord& r : got.keys) got_keys += r.db == db ? 1 : 0;
  EXPECT_EQ(got_keys, expected_keys) << what << " db " << db;
}

TEST(RdbCorpusTest, EveryFileParsesOrFailsAsExpected) {
  SKIP_WITHOUT_CORPUS();
  int parsed = 0;
  for (const auto& entry : fs::recursive_directory_iterator(CorpusDir())) {
    if (entry.path().extension() != ".rdb") continue;
    const std::string path = entry.path().string();
    const std::string file = entry.path().filename().string();
    SCOPED_TRACE(path);
    Collected got;
    Status s = ParseFile(path, &got);
    if (file == "invalid_chksum_v8.rdb") {
      ASSERT_TRUE(s.IsCorruption()) << s.ToString();
      EXPECT_NE(s.message().find("checksum mismatch: expected"), std::string::npos) << s.ToString();
      EXPECT_NE(s.message().find("the file has"), std::string::npos) << s.ToString();
      EXPECT_EQ(got.checksum.status, ChecksumStatus::kMismatch);
      EXPECT_NE(got.checksum.stored, got.checksum.computed);
      // Without verification the same file parses.
      Collected again;
      RdbParserOptions no_verify;
      no_verify.verify_checksum = false;
      EXPECT_TRUE(ParseFile(path, &again, no_verify).ok());
      EXPECT_EQ(again.checksum.status, ChecksumStatus::kNotChecked);
      continue;
    }
    if (file == "future_v19.rdb") {
      ASSERT_TRUE(s.IsNotSupported()) << s.ToString();
      EXPECT_NE(s.message().find("RDB version 99"), std::string::npos) << s.ToString();
      EXPECT_NE(s.message().find(path), std::string::npos) << s.ToString();
      continue;
    }
    ASSERT_TRUE(s.ok()) << s.ToString();
    EXPECT_TRUE(got.ended);
    if (got.header.version >= 5) {
      EXPECT_TRUE(got.checksum.status == ChecksumStatus::kVerified ||
                  got.checksum.status == ChecksumStatus::kDisabled)
          << EnumName(got.checksum.status);
    } else {
      EXPECT_EQ(got.checksum.status, ChecksumStatus::kNotPresent);
    }
    // Walking compressed containers too gives the same counts.
    Collected walked;
    RdbParserOptions walk;
    walk.walk_compressed_containers = true;
    ASSERT_TRUE(ParseFile(path, &walked, walk).ok());
    ASSERT_EQ(walked.keys.size(), got.keys.size());
    for (size_t i = 0; i < got.keys.size(); i++) {
      EXPECT_EQ(walked.keys[i].member_count, got.keys[i].member_count) << got.keys[i].key;
      EXPECT_TRUE(walked.keys[i].shape.element_stats_exact) << got.keys[i].key;
    }
    parsed++;
  }
  EXPECT_GE(parsed, 50);
}

struct JsonCase {
  const char* rdb;
  const char* json;
  uint64_t db = 0;  // the database the dump puts its keys in
};

// Pairs as librdb's own tests use them (test_rdb_to_json.c and friends).
constexpr JsonCase kJsonCases[] = {
    {"ziplist_v3.rdb", "ziplist_data.json"},
    {"plain_list_v6.rdb", "plain_list_v6_data.json"},
    {"hash_v3.rdb", "hash_data.json"},
    {"hash_zl_v6.rdb", "hash_zl_v6_data.json"},
    {"hash_lp_v11.rdb", "hash_lp_v11_data.json"},
    {"hash_zm_v2.rdb", "hash_zm_v2_data.json"},
    {"plain_set_v6.rdb", "plain_set_v6_data.json"},
    {"set_is_v11.rdb", "set_is_v11_data.json"},
    {"set_lp_v11.rdb", "set_lp_v11_data.json"},
    {"quicklist.rdb", "quicklist_data.json"},
    {"quicklist2_v11.rdb", "single_list_data.json"},
    {"multiple_lists_strings.rdb", "multiple_lists_strings_data.json"},
    {"single_key.rdb", "single_key_data.json"},
    {"zset_lp_v11.rdb", "zset_lp_v11_data.json"},
    {"zset_zl_v6.rdb", "zset_zl_v6_data.json"},
    {"plain_zset_v6.rdb", "plain_zset_v6_data.json"},
    {"plain_zset_2_v11.rdb", "plain_zset_2_v11_data.json"},
    {"stream_v11.rdb", "stream_data.json"},
    {"module.rdb", "module_data.json"},
    {"module_aux.rdb", "module_aux_data.json", 9},
    {"mem_policy_lru.rdb", "mem_policy_lru.json"},
    {"mem_policy_lfu.rdb", "mem_policy_lfu.json"},
    {"set_not_expired_v11.rdb", "set_not_expired.json"},
    {"string_int_encoded.rdb", "string_int_encoded.json"},
    {"hash_with_expire_v12.rdb", "hash_ex_v12_data.json"},
    {"hash_lp_with_hexpire_v12.rdb", "hash_lp_ex_v12_data.json"},
    {"cluster_slot_info.rdb", "cluster_slot_info.json"},
    {"function2.rdb", "function2.json"},
};

TEST(RdbCorpusTest, LibrdbDumpsAgreeWithExpectedJson) {
  SKIP_WITHOUT_CORPUS();
  const std::string dir = CorpusDir() + "/librdb/";
  for (const JsonCase& c : kJsonCases) {
    SCOPED_TRACE(c.rdb);
    Collected got;
    Status s = ParseFile(dir + c.rdb, &got);
    ASSERT_TRUE(s.ok()) << s.ToString();
    const nlohmann::json expected = LoadExpected(dir + c.json);
    ExpectDbMatches(got, c.db, expected, c.rdb);
    if (expected.contains("__aux__")) {
      for (const auto& [name, value] : expected["__aux__"].items()) {
        bool found = false;
        for (const auto& [n, v] : got.aux) {
          if (n == name) {
            EXPECT_EQ(v, value.get<std::string>()) << name;
            found = true;
          }
        }
        EXPECT_TRUE(found) << "AUX " << name;
      }
    }
    if (expected.contains("__dbsize__")) {
      ASSERT_EQ(got.resize_hints.size(), 1u);
      EXPECT_EQ(got.resize_hints[0].first, expected["__dbsize__"]["size"].get<uint64_t>());
      EXPECT_EQ(got.resize_hints[0].second, expected["__dbsize__"]["expires"].get<uint64_t>());
    }
    if (expected.contains("__slotinfo__")) {
      ASSERT_EQ(got.slot_infos.size(), 1u);
      EXPECT_EQ(got.slot_infos[0][0], expected["__slotinfo__"]["slotId"].get<uint64_t>());
      EXPECT_EQ(got.slot_infos[0][1], expected["__slotinfo__"]["slotSize"].get<uint64_t>());
      EXPECT_EQ(got.slot_infos[0][2], expected["__slotinfo__"]["slotSExpiresSize"].get<uint64_t>());
    }
    if (expected.contains("__func__")) {
      EXPECT_EQ(got.functions.size(), expected["__func__"].size());
      for (const auto& [name, code] : expected["__func__"].items()) {
        bool found = false;
        for (const std::string& f : got.functions) found = found || f == code.get<std::string>();
        EXPECT_TRUE(found) << name;
      }
    }
  }
}

TEST(RdbCorpusTest, LibrdbMultipleDbs) {
  SKIP_WITHOUT_CORPUS();
  const std::string dir = CorpusDir() + "/librdb/";
  Collected got;
  ASSERT_TRUE(ParseFile(dir + "multiple_dbs.rdb", &got).ok());
  const nlohmann::json expected = LoadExpected(dir + "multiple_dbs_data.json");
  ASSERT_TRUE(expected.is_array());
  for (size_t db = 0; db < expected.size(); db++) {
    ExpectDbMatches(got, db, expected[db], "multiple_dbs.rdb");
  }
  EXPECT_EQ(got.keys.size(), expected.size());
}

TEST(RdbCorpusTest, LibrdbExpiries) {
  SKIP_WITHOUT_CORPUS();
  const std::string dir = CorpusDir() + "/librdb/";
  // librdb drops expired keys from its JSON: set_expired.json is empty.
  Collected expired;
  ASSERT_TRUE(ParseFile(dir + "set_expired_v11.rdb", &expired).ok());
  ASSERT_EQ(expired.keys.size(), 1u);
  ASSERT_TRUE(expired.keys[0].expire_at_ms.has_value());
  EXPECT_LT(*expired.keys[0].expire_at_ms, NowMs());
  EXPECT_TRUE(LoadExpected(dir + "set_expired.json").empty());

  Collected alive;
  ASSERT_TRUE(ParseFile(dir + "set_not_expired_v11.rdb", &alive).ok());
  ASSERT_EQ(alive.keys.size(), 1u);
  ASSERT_TRUE(alive.keys[0].expire_at_ms.has_value());
  EXPECT_GT(*alive.keys[0].expire_at_ms, NowMs());
}

TEST(RdbCorpusTest, LibrdbDetails) {
  SKIP_WITHOUT_CORPUS();
  const std::string dir = CorpusDir() + "/librdb/";
  {
    Collected got;
    ASSERT_TRUE(ParseFile(dir + "module.rdb", &got).ok());
    const KeyRecord* r = got.Find("key1");
    ASSERT_NE(r, nullptr);
    EXPECT_EQ(r->type, KeyType::kModule);
    EXPECT_EQ(r->encoding, "module");
    EXPECT_EQ(r->shape.module_name, "test__rdb");  // module_data.json names it
  }
  {
    Collected got;
    ASSERT_TRUE(ParseFile(dir + "mem_policy_lru.rdb", &got).ok());
    ASSERT_EQ(got.keys.size(), 1u);
    EXPECT_TRUE(got.keys[0].idle_seconds.has_value());
    EXPECT_FALSE(got.keys[0].freq.has_value());
  }
  {
    Collected got;
    ASSERT_TRUE(ParseFile(dir + "mem_policy_lfu.rdb", &got).ok());
    ASSERT_EQ(got.keys.size(), 1u);
    EXPECT_TRUE(got.keys[0].freq.has_value());
    EXPECT_FALSE(got.keys[0].idle_seconds.has_value());
  }
  {
    Collected got;
    ASSERT_TRUE(ParseFile(dir + "hash_with_expire_v12.rdb", &got).ok());
    const KeyRecord* r = got.Find("myhash");
    ASSERT_NE(r, nullptr);
    EXPECT_EQ(r->encoding, "metadata");
    EXPECT_EQ(r->rdb_type, 22);
    EXPECT_EQ(r->shape.fields_with_expiry, 2u);  // field1 and field3 carry a TTL
  }
  {
    Collected got;
    ASSERT_TRUE(ParseFile(dir + "hash_lp_with_hexpire_v12.rdb", &got).ok());
    const KeyRecord* r = got.Find("myhash");
    ASSERT_NE(r, nullptr);
    EXPECT_EQ(r->encoding, "listpack_ex");
    EXPECT_EQ(r->member_count, 3u);
  }
  {
    Collected got;
    ASSERT_TRUE(ParseFile(dir + "stream_v11.rdb", &got).ok());
    const KeyRecord* r = got.Find("mystream");
    ASSERT_NE(r, nullptr);
    EXPECT_EQ(r->encoding, "listpacks3");
    // stream_data_with_meta.json: groupA (PEL 1; consumers A1, A2 with 0 and 1 pending) and
    // groupB (PEL 1; consumer B1 with 1 pending).
    EXPECT_EQ(r->shape.stream_groups, 2u);
    EXPECT_EQ(r->shape.stream_consumers, 3u);
    EXPECT_EQ(r->shape.stream_group_pel, 2u);
    EXPECT_EQ(r->shape.stream_consumer_pel, 2u);
  }
  {
    Collected got;
    ASSERT_TRUE(ParseFile(dir + "module_aux.rdb", &got).ok());
    EXPECT_FALSE(got.module_aux.empty());
  }
}

// The redis-rdb-tools dumps. Their contents are described by that project's tests; these are
// the facts checked here.
TEST(RdbCorpusTest, RdbToolsDumps) {
  SKIP_WITHOUT_CORPUS();
  const std::string dir = CorpusDir() + "/rdb-tools/";
  auto parse = [&](const char* file, Collected* got) {
    Status s = ParseFile(dir + file, got);
    ASSERT_TRUE(s.ok()) << file << ": " << s.ToString();
  };
  {
    Collected got;
    parse("empty_database.rdb", &got);
    EXPECT_TRUE(got.keys.empty());
  }
  {
    Collected got;
    parse("multiple_databases.rdb", &got);
    ASSERT_EQ(got.keys.size(), 2u);
    EXPECT_EQ(got.keys[0].db, 0u);
    EXPECT_EQ(got.keys[1].db, 2u);
  }
  {
    Collected got;
    parse("keys_with_expiry.rdb", &got);
    ASSERT_EQ(got.keys.size(), 1u);
    ASSERT_TRUE(got.keys[0].expire_at_ms.has_value());
    EXPECT_EQ(*got.keys[0].expire_at_ms, 1671963072573);  // 2022-12-25 10:11:12.573 UTC
  }
  {
    Collected got;
    parse("intset_16.rdb", &got);
    ASSERT_EQ(got.keys.size(), 1u);
    EXPECT_EQ(got.keys[0].encoding, "intset");
    EXPECT_EQ(got.keys[0].member_count, 3u);
  }
  {
    Collected got;
    parse("intset_32.rdb", &got);
    ASSERT_EQ(got.keys.size(), 1u);
    EXPECT_EQ(got.keys[0].member_count, 3u);
  }
  {
    Collected got;
    parse("intset_64.rdb", &got);
    ASSERT_EQ(got.keys.size(), 1u);
    EXPECT_EQ(got.keys[0].member_count, 3u);
  }
  {
    Collected got;
    parse("zipmap_that_compresses_easily.rdb", &got);
    ASSERT_EQ(got.keys.size(), 1u);
    EXPECT_EQ(got.keys[0].encoding, "zipmap");
    EXPECT_EQ(got.keys[0].member_count, 3u);
  }
  {
    Collected got;
    parse("zipmap_that_doesnt_compress.rdb", &got);
    ASSERT_EQ(got.keys.size(), 1u);
    EXPECT_EQ(got.keys[0].member_count, 2u);
  }
  {
    Collected got;
    RdbParserOptions walk;
    walk.walk_compressed_containers = true;  // the zipmap is stored LZF-compressed
    ASSERT_TRUE(ParseFile(dir + "zipmap_with_big_values.rdb", &got, walk).ok());
    ASSERT_EQ(got.keys.size(), 1u);
    // Fields 253bytes, 254bytes, 255bytes, 300bytes and 20kbytes, values of those sizes.
    EXPECT_EQ(got.keys[0].member_count, 5u);
    EXPECT_EQ(got.keys[0].shape.max_element_len, 20000u);
    EXPECT_EQ(got.keys[0].shape.element_bytes, 8u * 5 + 253 + 254 + 255 + 300 + 20000);
  }
  {
    Collected got;
    parse("ziplist_that_compresses_easily.rdb", &got);
    ASSERT_EQ(got.keys.size(), 1u);
    EXPECT_EQ(got.keys[0].encoding, "ziplist");
    EXPECT_EQ(got.keys[0].member_count, 6u);
  }
  {
    Collected got;
    parse("ziplist_that_doesnt_compress.rdb", &got);
    ASSERT_EQ(got.keys.size(), 1u);
    EXPECT_EQ(got.keys[0].member_count, 2u);
  }
  {
    Collected got;
    parse("ziplist_with_integers.rdb", &got);
    ASSERT_EQ(got.keys.size(), 1u);
    EXPECT_EQ(got.keys[0].member_count, 24u);
    EXPECT_TRUE(got.keys[0].shape.all_integers);
  }
  {
    Collected got;
    parse("dictionary.rdb", &got);
    ASSERT_EQ(got.keys.size(), 1u);
    EXPECT_EQ(got.keys[0].type, KeyType::kHash);
    EXPECT_EQ(got.keys[0].encoding, "hashtable");
    EXPECT_EQ(got.keys[0].member_count, 1000u);
  }
  {
    Collected got;
    parse("linkedlist.rdb", &got);
    ASSERT_EQ(got.keys.size(), 1u);
    EXPECT_EQ(got.keys[0].encoding, "linkedlist");
    EXPECT_EQ(got.keys[0].member_count, 1000u);
  }
  {
    Collected got;
    parse("regular_set.rdb", &got);
    ASSERT_EQ(got.keys.size(), 1u);
    EXPECT_EQ(got.keys[0].type, KeyType::kSet);
    EXPECT_EQ(got.keys[0].member_count, 6u);
  }
  {
    Collected got;
    parse("regular_sorted_set.rdb", &got);
    ASSERT_EQ(got.keys.size(), 1u);
    EXPECT_EQ(got.keys[0].type, KeyType::kZset);
    EXPECT_EQ(got.keys[0].member_count, 500u);
  }
  {
    Collected got;
    parse("sorted_set_as_ziplist.rdb", &got);
    ASSERT_EQ(got.keys.size(), 1u);
    EXPECT_EQ(got.keys[0].encoding, "ziplist");
    EXPECT_EQ(got.keys[0].member_count, 3u);
  }
  {
    Collected got;
    parse("hash_as_ziplist.rdb", &got);
    ASSERT_EQ(got.keys.size(), 1u);
    EXPECT_EQ(got.keys[0].encoding, "ziplist");
    EXPECT_EQ(got.keys[0].member_count, 3u);
  }
  {
    Collected got;
    parse("uncompressible_string_keys.rdb", &got);
    EXPECT_EQ(got.keys.size(), 3u);
  }
  {
    Collected got;
    parse("easily_compressible_string_key.rdb", &got);
    ASSERT_EQ(got.keys.size(), 1u);
    EXPECT_EQ(got.keys[0].key, std::string(200, 'a'));
  }
  {
    Collected got;
    parse("integer_keys.rdb", &got);
    // Keys stored with the INT8/16/32 string encodings.
    EXPECT_EQ(got.keys.size(), 6u);
    for (const char* key : {"183358245", "125", "-29477", "-123", "43947", "-183358245"}) {
      EXPECT_NE(got.Find(key), nullptr) << key;
    }
  }
  {
    Collected got;
    parse("rdb_version_5_with_checksum.rdb", &got);
    EXPECT_EQ(got.checksum.status, ChecksumStatus::kVerified);
  }
  {
    Collected got;
    parse("rdb_version_8_with_64b_length_and_scores.rdb", &got);
    // Every length in this file uses the 64-bit form.
    ASSERT_EQ(got.keys.size(), 2u);
    EXPECT_EQ(got.keys[0].key, "foo");
    EXPECT_EQ(got.keys[1].key, "bigset");
    EXPECT_EQ(got.keys[1].type, KeyType::kZset);
    EXPECT_EQ(got.keys[1].member_count, 1000u);
  }
  {
    Collected got;
    parse("redis_50_with_streams.rdb", &got);
    bool has_stream = false;
    for (const KeyRecord& r : got.keys) has_stream = has_stream || r.type == KeyType::kStream;
    EXPECT_TRUE(has_stream);
  }
  {
    Collected got;
    parse("redis_40_with_module.rdb", &got);
    bool has_module = false;
    for (const KeyRecord& r : got.keys) has_module = has_module || r.type == KeyType::kModule;
    EXPECT_TRUE(has_module);
  }
  {
    Collected got;
    parse("redis_60_with_module_aux.rdb", &got);
    EXPECT_FALSE(got.module_aux.empty());
  }
}

TEST(RdbCorpusTest, CheckReportOfCorpusFiles) {
  SKIP_WITHOUT_CORPUS();
  const std::string dir = CorpusDir() + "/librdb/";
  {
    auto source = FileByteSource::Open(dir + "multiple_dbs.rdb");
    ASSERT_TRUE(source.ok());
    Status s;
    const std::string report =
        CheckRdb(source->get(), "multiple_dbs.rdb", RdbParserOptions(), NowMs(), &s);
    ASSERT_TRUE(s.ok()) << s.ToString();
    EXPECT_NE(report.find("Checking RDB file multiple_dbs.rdb"), std::string::npos) << report;
    EXPECT_NE(report.find("\\o/ RDB looks OK! \\o/"), std::string::npos) << report;
    EXPECT_NE(report.find("[info] 3 keys read"), std::string::npos) << report;
    EXPECT_NE(report.find("Selecting DB ID 2"), std::string::npos) << report;
  }
  {
    auto source = FileByteSource::Open(dir + "invalid_chksum_v8.rdb");
    ASSERT_TRUE(source.ok());
    Status s;
    const std::string report =
        CheckRdb(source->get(), "invalid_chksum_v8.rdb", RdbParserOptions(), NowMs(), &s);
    EXPECT_TRUE(s.IsCorruption());
    EXPECT_NE(report.find("RDB CRC error: expected"), std::string::npos) << report;
    EXPECT_NE(report.find("--- RDB ERROR DETECTED ---"), std::string::npos) << report;
  }
}

}  // namespace
}  // namespace strata::rdb
