// Whole RDB streams built by hand: the header, every opcode, every value type, the checksum
// trailer, and the errors. Expected values are worked out in the comments.
#include <gtest/gtest.h>
#include <sys/resource.h>

#include <cstring>
#include <string>

#include "base/crc64.h"
#include "rdb/rdb_check.h"
#include "rdb_test_util.h"

namespace strata::rdb {
namespace {

using test::Bytes;
using test::Collected;
using test::LE16;
using test::LE32;
using test::LE64;
using test::Len;
using test::OneKey;
using test::ParseBytes;
using test::RdbFile;
using test::Str;

std::string Listpack(const std::string& entries, uint16_t count) {
  return LE32(static_cast<uint32_t>(6 + entries.size() + 1)) + LE16(count) + entries + "\xFF";
}

// Parses a file holding one key and returns it; fails the test on an error.
KeyRecord ParseOne(const std::string& file) {
  Collected got;
  Status s = ParseBytes(file, &got);
  EXPECT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(got.keys.size(), 1u);
  return got.keys.empty() ? KeyRecord() : got.keys[0];
}

TEST(RdbParserTest, HeaderAuxAndOpcodes) {
  std::string body;
  body += Bytes({0xFA}) + Str("redis-ver") + Str("7.2.4");
  body += Bytes({0xFA}) + Str("redis-bits") + Bytes({0xC0, 0x40});  // INT8 64
  body += Bytes({0xFE, 0x03});                                      // SELECTDB 3
  body += Bytes({0xFB, 0x02, 0x01});                                // RESIZEDB 2, 1
  body += Bytes({0xFC}) + LE64(1700000000123ull) + Bytes({0x00}) + Str("a") + Str("1");
  body += Bytes({0xFD}) + LE32(1700000000) + Bytes({0x00}) + Str("b") + Str("2");
  body += Bytes({0xF8, 0x41, 0x2C}) + Bytes({0x00}) + Str("c") + Str("3");  // IDLE 300
  body += Bytes({0xF9, 0x07}) + Bytes({0x00}) + Str("d") + Str("4");        // FREQ 7
  body += Bytes({0xF4, 0x41, 0x00, 0x05, 0x01});                            // SLOT_INFO 256, 5, 1
  body += Bytes({0xF5}) + Str("#!lua name=lib\n");
  Collected got;
  Status s = ParseBytes(RdbFile(11, body), &got);
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(got.header.version, 11);
  EXPECT_EQ(got.header.magic, "REDIS");
  ASSERT_EQ(got.aux.size(), 2u);
  EXPECT_EQ(got.aux[1].second, "64");
  EXPECT_EQ(got.selected_dbs, std::vector<uint64_t>{3});
  ASSERT_EQ(got.resize_hints.size(), 1u);
  EXPECT_EQ(got.resize_hints[0], std::make_pair(uint64_t{2}, uint64_t{1}));
  ASSERT_EQ(got.keys.size(), 4u);
  EXPECT_EQ(got.keys[0].db, 3u);
  EXPECT_EQ(*got.keys[0].expire_at_ms, 1700000000123);
  EXPECT_EQ(*got.keys[1].expire_at_ms, 1700000000000);  // seconds converted
  EXPECT_FALSE(got.keys[2].expire_at_ms.has_value());   // opcodes apply to one key only
  EXPECT_EQ(*got.keys[2].idle_seconds, 300u);
  EXPECT_EQ(*got.keys[3].freq, 7);
  EXPECT_FALSE(got.keys[3].idle_seconds.has_value());
  ASSERT_EQ(got.slot_infos.size(), 1u);
  EXPECT_EQ(got.slot_infos[0], (std::vector<uint64_t>{256, 5, 1}));
  ASSERT_EQ(got.functions.size(), 1u);
  EXPECT_EQ(got.checksum.status, ChecksumStatus::kDisabled);
}

TEST(RdbParserTest, Strings) {
  KeyRecord raw = ParseOne(RdbFile(9, OneKey(0, "k", Str("hello"))));
  EXPECT_EQ(raw.type, KeyType::kString);
  EXPECT_EQ(raw.encoding, "raw");
  EXPECT_EQ(raw.member_count, 1u);
  EXPECT_EQ(raw.value_offset, 14u);  // header 9, SELECTDB 2, type 1, key 2
  EXPECT_EQ(raw.rdb_size, 6u);
  EXPECT_EQ(raw.shape.element_bytes, 5u);
  KeyRecord i = ParseOne(RdbFile(9, OneKey(0, "k", Bytes({0xC1, 0x39, 0x30}))));  // 12345
  EXPECT_EQ(i.encoding, "int");
  EXPECT_EQ(i.shape.element_bytes, 5u);
  EXPECT_TRUE(i.shape.all_integers);
  EXPECT_EQ(i.rdb_size, 3u);
  // LZF: 13 bytes of "abcabcabcabcX" stored in 9; skipped without decompressing.
  const std::string lzf = Bytes({0xC3, 9, 13, 0x02, 'a', 'b', 'c', 0xE0, 0x00, 0x02, 0x00, 'X'});
  KeyRecord l = ParseOne(RdbFile(9, OneKey(0, "k", lzf)));
  EXPECT_EQ(l.encoding, "lzf");
  EXPECT_EQ(l.shape.element_bytes, 13u);
  EXPECT_EQ(l.rdb_size, 12u);
}

TEST(RdbParserTest, LzfKey) {
  const std::string key = Bytes({0xC3, 9, 13, 0x02, 'a', 'b', 'c', 0xE0, 0x00, 0x02, 0x00, 'X'});
  KeyRecord r = ParseOne(RdbFile(9, Bytes({0xFE, 0x00, 0x00}) + key + Str("v")));
  EXPECT_EQ(r.key, "abcabcabcabcX");
}

TEST(RdbParserTest, OldListSetHashZset) {
  KeyRecord list =
      ParseOne(RdbFile(6, OneKey(1, "l", Len(3) + Str("a") + Str("bb") + Bytes({0xC0, 0x05}))));
  EXPECT_EQ(list.type, KeyType::kList);
  EXPECT_EQ(list.encoding, "linkedlist");
  EXPECT_EQ(list.member_count, 3u);
  EXPECT_EQ(list.shape.element_bytes, 4u);  // a, bb, "5"
  EXPECT_FALSE(list.shape.all_integers);
  KeyRecord set = ParseOne(RdbFile(6, OneKey(2, "s", Len(2) + Bytes({0xC0, 0x01, 0xC0, 0x02}))));
  EXPECT_EQ(set.encoding, "hashtable");
  EXPECT_TRUE(set.shape.all_integers);
  KeyRecord hash = ParseOne(
      RdbFile(6, OneKey(4, "h", Len(2) + Str("f1") + Str("v1") + Str("f2") + Str("value2"))));
  EXPECT_EQ(hash.type, KeyType::kHash);
  EXPECT_EQ(hash.member_count, 2u);
  EXPECT_EQ(hash.shape.elements, 4u);
  EXPECT_EQ(hash.shape.element_bytes, 12u);
  // Type 3 scores: "1.5" as text, then the +inf (254), -inf (255) and NaN (253) markers.
  KeyRecord zset =
      ParseOne(RdbFile(6, OneKey(3, "z",
                                 Len(4) + Str("m1") + Str("1.5") + Str("m2") + Bytes({0xFE}) +
                                     Str("m3") + Bytes({0xFF}) + Str("m4") + Bytes({0xFD}))));
  EXPECT_EQ(zset.encoding, "skiplist");
  EXPECT_EQ(zset.member_count, 4u);
  EXPECT_EQ(zset.shape.element_bytes, 8u);
  KeyRecord zset2 = ParseOne(RdbFile(
      9, OneKey(5, "z", Len(2) + Str("a") + LE64(0x3FF8000000000000ull) + Str("b") + LE64(0))));
  EXPECT_EQ(zset2.member_count, 2u);
  EXPECT_EQ(zset2.rdb_size, 1u + 2 + 8 + 2 + 8);
}

TEST(RdbParserTest, SixtyFourBitLengths) {
  // A list of 2 elements with every length in the 9-byte form.
  auto len64 = [](uint64_t n) { return Bytes({0x81, 0, 0, 0, 0, 0, 0, 0, static_cast<int>(n)}); };
  KeyRecord r = ParseOne(RdbFile(
      8, Bytes({0xFE, 0x00, 0x01}) + len64(1) + "k" + len64(2) + len64(1) + "a" + len64(2) + "bc"));
  EXPECT_EQ(r.member_count, 2u);
  EXPECT_EQ(r.shape.element_bytes, 3u);
}

TEST(RdbParserTest, ContainerTypes) {
  // Set listpack: entries 1, 2, "x".
  const std::string lp = Listpack(Bytes({0x01, 0x01, 0x02, 0x01, 0x81, 'x', 0x02}), 3);
  KeyRecord set = ParseOne(RdbFile(11, OneKey(20, "s", Str(lp))));
  EXPECT_EQ(set.type, KeyType::kSet);
  EXPECT_EQ(set.encoding, "listpack");
  EXPECT_EQ(set.member_count, 3u);
  EXPECT_EQ(set.shape.container_bytes, lp.size());
  // The same listpack as hash: odd entry count.
  Collected got;
  EXPECT_TRUE(ParseBytes(RdbFile(11, OneKey(16, "h", Str(lp))), &got).IsCorruption());
  // Zset listpack: ("a", 1), ("b", 2).
  const std::string zlp =
      Listpack(Bytes({0x81, 'a', 0x02, 0x01, 0x01, 0x81, 'b', 0x02, 0x02, 0x01}), 4);
  KeyRecord zset = ParseOne(RdbFile(11, OneKey(17, "z", Str(zlp))));
  EXPECT_EQ(zset.encoding, "listpack");
  EXPECT_EQ(zset.member_count, 2u);
  EXPECT_EQ(zset.shape.element_bytes, 2u);
  // Intset.
  KeyRecord is = ParseOne(RdbFile(9, OneKey(11, "i", Str(LE32(2) + LE32(1) + LE16(42)))));
  EXPECT_EQ(is.encoding, "intset");
  EXPECT_EQ(is.member_count, 1u);
  // Zipmap (RDB 2).
  const std::string zm = Bytes({0x01, 0x01, 'f', 0x01, 0x00, 'v', 0xFF});
  KeyRecord hzm = ParseOne(RdbFile(2, OneKey(9, "h", Str(zm))));
  EXPECT_EQ(hzm.encoding, "zipmap");
  EXPECT_EQ(hzm.member_count, 1u);
  // Hash ziplist: "f" -> 7.
  const std::string zl =
      LE32(10 + 3 + 2 + 1) + LE32(13) + LE16(2) + Bytes({0x00, 0x01, 'f', 0x03, 0xF8, 0xFF});
  KeyRecord hzl = ParseOne(RdbFile(6, OneKey(13, "h", Str(zl))));
  EXPECT_EQ(hzl.encoding, "ziplist");
  EXPECT_EQ(hzl.member_count, 1u);
  EXPECT_EQ(hzl.shape.element_bytes, 2u);
}

TEST(RdbParserTest, Quicklists) {
  // Quicklist 1: two ziplist nodes with 2 and 1 entries.
  const std::string zl2 =
      LE32(10 + 3 + 3 + 1) + LE32(13) + LE16(2) + Bytes({0x00, 0x01, 'a', 0x03, 0x01, 'b', 0xFF});
  const std::string zl1 = LE32(10 + 3 + 1) + LE32(10) + LE16(1) + Bytes({0x00, 0x01, 'c', 0xFF});
  KeyRecord q1 = ParseOne(RdbFile(9, OneKey(14, "q", Len(2) + Str(zl2) + Str(zl1))));
  EXPECT_EQ(q1.encoding, "quicklist");
  EXPECT_EQ(q1.member_count, 3u);
  EXPECT_EQ(q1.shape.quicklist_nodes, 2u);
  // Quicklist 2: a PACKED listpack node of 2 and a PLAIN node holding one 10-byte element.
  const std::string lp = Listpack(Bytes({0x81, 'a', 0x02, 0x81, 'b', 0x02}), 2);
  KeyRecord q2 = ParseOne(
      RdbFile(11, OneKey(18, "q", Len(2) + Len(2) + Str(lp) + Len(1) + Str("0123456789"))));
  EXPECT_EQ(q2.encoding, "quicklist2");
  EXPECT_EQ(q2.member_count, 3u);
  EXPECT_EQ(q2.shape.quicklist_nodes, 2u);
  EXPECT_EQ(q2.shape.quicklist_plain_nodes, 1u);
  EXPECT_EQ(q2.shape.max_element_len, 10u);
  // Container 3 is neither PLAIN nor PACKED.
  Collected got;
  Status s = ParseBytes(RdbFile(11, OneKey(18, "q", Len(1) + Len(3) + Str(lp))), &got);
  ASSERT_TRUE(s.IsCorruption());
  EXPECT_NE(s.message().find("in key \"q\""), std::string::npos) << s.ToString();
}

std::string StreamId(uint64_t ms, uint64_t seq) {
  std::string s;
  for (int i = 7; i >= 0; i--) s.push_back(static_cast<char>((ms >> (8 * i)) & 0xFF));
  for (int i = 7; i >= 0; i--) s.push_back(static_cast<char>((seq >> (8 * i)) & 0xFF));
  return s;
}

TEST(RdbParserTest, StreamWithGroupsAndPel) {
  const std::string node_lp = Listpack(Bytes({0x01, 0x01, 0x02, 0x01, 0x03, 0x01}), 3);
  std::string v;
  v += Len(1) + Str(StreamId(1000, 0)) + Str(node_lp);  // one node
  v += Len(3);                                          // 3 entries
  v += Len(1002) + Len(0);                              // last ID
  v += Len(1000) + Len(0) + Len(0) + Len(0) + Len(3);   // first ID, max deleted, added
  v += Len(1);                                          // one group
  v += Str("g1") + Len(1001) + Len(0) + Len(2);         // name, last ID, entries read
  v += Len(2);                                          // group PEL of 2
  v += StreamId(1000, 0) + LE64(5000) + Len(1);
  v += StreamId(1001, 0) + LE64(5001) + Len(2);
  v += Len(2);  // consumers
  v += Str("c1") + LE64(6000) + LE64(6001) + Len(1) + StreamId(1000, 0);
  v += Str("c2") + LE64(6002) + LE64(6003) + Len(1) + StreamId(1001, 0);
  KeyRecord r = ParseOne(RdbFile(11, OneKey(21, "st", v)));
  EXPECT_EQ(r.type, KeyType::kStream);
  EXPECT_EQ(r.encoding, "listpacks3");
  EXPECT_EQ(r.member_count, 3u);
  EXPECT_EQ(r.shape.stream_nodes, 1u);
  EXPECT_EQ(r.shape.stream_groups, 1u);
  EXPECT_EQ(r.shape.stream_consumers, 2u);
  EXPECT_EQ(r.shape.stream_group_pel, 2u);
  EXPECT_EQ(r.shape.stream_consumer_pel, 2u);
  EXPECT_EQ(r.rdb_size, v.size());

  // Version 1 (type 15): no first/max-deleted/added, no entries-read, no active time.
  std::string v1;
  v1 += Len(1) + Str(StreamId(1000, 0)) + Str(node_lp) + Len(3) + Len(1002) + Len(0);
  v1 += Len(1) + Str("g") + Len(0) + Len(0) + Len(0) + Len(1) + Str("c") + LE64(1) + Len(0);
  KeyRecord r1 = ParseOne(RdbFile(9, OneKey(15, "st", v1)));
  EXPECT_EQ(r1.encoding, "listpacks");
  EXPECT_EQ(r1.member_count, 3u);
  EXPECT_EQ(r1.shape.stream_consumers, 1u);
}

// The module id of the "test__rdb" module type, version 1 (as module_data.json names it).
constexpr uint64_t kTestModuleId = 0xb5eb2dfffadd6c01ull;

std::string ModuleItems() {
  std::string items;
  items += Len(2) + Len(5);                       // UINT 5
  items += Len(1) + Len(7);                       // SINT 7
  items += Len(3) + LE32(0x3F800000);             // FLOAT 1.0
  items += Len(4) + LE64(0x4000000000000000ull);  // DOUBLE 2.0
  items += Len(5) + Str("value1");                // STRING
  items += Len(0);                                // EOF
  return items;
}

TEST(RdbParserTest, ModuleValueAndAux) {
  std::string body = Bytes({0xF7}) + Len(kTestModuleId) + Len(2) + Len(1) + ModuleItems();
  body += OneKey(7, "m", Len(kTestModuleId) + ModuleItems());
  Collected got;
  Status s = ParseBytes(RdbFile(9, body), &got);
  ASSERT_TRUE(s.ok()) << s.ToString();
  ASSERT_EQ(got.module_aux.size(), 1u);
  EXPECT_EQ(got.module_aux[0], "test__rdb");
  ASSERT_EQ(got.keys.size(), 1u);
  EXPECT_EQ(got.keys[0].type, KeyType::kModule);
  EXPECT_EQ(got.keys[0].encoding, "module");
  EXPECT_EQ(got.keys[0].member_count, 0u);
  EXPECT_EQ(got.keys[0].shape.module_name, "test__rdb");
  EXPECT_EQ(got.keys[0].rdb_size, Len(kTestModuleId).size() + ModuleItems().size());
  // An unknown item opcode.
  Collected bad;
  s = ParseBytes(RdbFile(9, OneKey(7, "m", Len(kTestModuleId) + Len(9))), &bad);
  ASSERT_TRUE(s.IsCorruption());
  EXPECT_NE(s.message().find("unknown module item opcode 9"), std::string::npos);
}

TEST(RdbParserTest, ModulePreGaIsNotSupported) {
  Collected got;
  Status s = ParseBytes(RdbFile(8, OneKey(6, "old", Len(kTestModuleId))), &got);
  ASSERT_TRUE(s.IsNotSupported()) << s.ToString();
  EXPECT_NE(s.message().find("in key \"old\" (value at byte 16)"), std::string::npos)
      << s.ToString();
}

TEST(RdbParserTest, HashFieldExpiryVariants) {
  // 24: min expiry, then (TTL, field, value); TTL 0 = none, else relative + 1.
  KeyRecord m = ParseOne(RdbFile(12, OneKey(24, "h",
                                            LE64(1000000) + Len(2) + Len(0) + Str("f1") +
                                                Str("v1") + Len(5) + Str("f2") + Str("v2"))));
  EXPECT_EQ(m.encoding, "metadata");
  EXPECT_EQ(m.member_count, 2u);
  EXPECT_EQ(m.shape.fields_with_expiry, 1u);
  EXPECT_EQ(m.shape.element_bytes, 8u);
  // 22 (pre-GA): absolute TTLs; 1700000000000 needs the 9-byte (0x81) length form.
  KeyRecord p = ParseOne(RdbFile(12, OneKey(22, "h",
                                            Len(2) + Len(0) + Str("f1") + Str("v1") +
                                                Len(1700000000000ull) + Str("f2") + Str("v2"))));
  EXPECT_EQ(p.encoding, "metadata");
  EXPECT_EQ(p.shape.fields_with_expiry, 1u);
  // 23 and 25: listpack of (field, value, TTL) triples; 25 has the min expiry first.
  std::string e = Bytes({0x82, 'f', '1', 0x03, 0x82, 'v', '1', 0x03, 0x00, 0x01});
  e += Bytes({0x82, 'f', '2', 0x03, 0x82, 'v', '2', 0x03});
  e += Bytes({0xF4}) + LE64(1700000000000ull) + Bytes({0x09});
  const std::string lp = Listpack(e, 6);
  KeyRecord x23 = ParseOne(RdbFile(12, OneKey(23, "h", Str(lp))));
  EXPECT_EQ(x23.encoding, "listpack_ex");
  EXPECT_EQ(x23.member_count, 2u);
  EXPECT_EQ(x23.shape.fields_with_expiry, 1u);
  KeyRecord x25 = ParseOne(RdbFile(12, OneKey(25, "h", LE64(1700000000000ull) + Str(lp))));
  EXPECT_EQ(x25.encoding, "listpack_ex");
  EXPECT_EQ(x25.member_count, 2u);
  EXPECT_EQ(x25.rdb_size, 8 + Str(lp).size());
}

std::string ValkeyFile(const std::string& version3, const std::string& body) {
  return "VALKEY" + version3 + body + Bytes({0xFF}) + std::string(8, '\0');
}

TEST(RdbParserTest, ValkeyHash2AndSlotImport) {
  std::string body = Bytes({0xF3}) + Str(std::string(40, 'j')) + Len(1) + Len(0) + Len(100);
  body += OneKey(22, "h",
                 Len(2) + Str("f1") + Str("v1") + LE64(~0ull) + Str("f2") + Str("v2") +
                     LE64(1700000000000ull));
  Collected got;
  Status s = ParseBytes(ValkeyFile("080", body), &got);
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(got.header.magic, "VALKEY");
  EXPECT_EQ(got.header.version, 80);
  ASSERT_EQ(got.keys.size(), 1u);
  EXPECT_EQ(got.keys[0].encoding, "hash2");
  EXPECT_EQ(got.keys[0].member_count, 2u);
  EXPECT_EQ(got.keys[0].shape.fields_with_expiry, 1u);
  // Valkey's type 23 is its path hash: not supported.
  Collected path;
  EXPECT_TRUE(ParseBytes(ValkeyFile("081", OneKey(23, "p", Len(0))), &path).IsNotSupported());
  // Valkey's numbering starts at 80; beyond 81 is newer than supported.
  Collected low, high;
  EXPECT_TRUE(ParseBytes(ValkeyFile("011", ""), &low).IsCorruption());
  Status hs = ParseBytes(ValkeyFile("082", ""), &high);
  ASSERT_TRUE(hs.IsNotSupported());
  EXPECT_NE(hs.message().find("version 82"), std::string::npos);
  // Under the REDIS magic 243 is no opcode.
  Collected redis;
  EXPECT_TRUE(ParseBytes(RdbFile(12, Bytes({0xF3})), &redis).IsCorruption());
}

TEST(RdbParserTest, VersionsAndMagic) {
  Collected got;
  Status s = ParseBytes(RdbFile(13, ""), &got);
  ASSERT_TRUE(s.IsNotSupported());
  EXPECT_NE(s.message().find("RDB version 13"), std::string::npos);
  EXPECT_TRUE(ParseBytes("REDIX0009" + std::string(9, '\0'), &got).IsCorruption());
  EXPECT_TRUE(ParseBytes("RED", &got).IsCorruption());
  EXPECT_TRUE(ParseBytes(RdbFile(0, ""), &got).IsCorruption());
  // Version 1 to 4: no trailer.
  Collected old;
  ASSERT_TRUE(ParseBytes(RdbFile(1, OneKey(0, "k", Str("v"))), &old).ok());
  EXPECT_EQ(old.checksum.status, ChecksumStatus::kNotPresent);
}

TEST(RdbParserTest, ChecksumVerifiedAndMismatch) {
  std::string file = "REDIS0009" + OneKey(0, "k", Str("v")) + Bytes({0xFF});
  const uint64_t crc = crc64::Value(file.data(), file.size());
  Collected ok;
  ASSERT_TRUE(ParseBytes(file + LE64(crc), &ok).ok());
  EXPECT_EQ(ok.checksum.status, ChecksumStatus::kVerified);
  EXPECT_EQ(ok.checksum.computed, crc);

  Collected bad;
  Status s = ParseBytes(file + LE64(crc ^ 1), &bad);
  ASSERT_TRUE(s.IsCorruption());
  char expected[40], actual[40];
  std::snprintf(expected, sizeof(expected), "expected %016llx",
                static_cast<unsigned long long>(crc));
  std::snprintf(actual, sizeof(actual), "the file has %016llx",
                static_cast<unsigned long long>(crc ^ 1));
  EXPECT_NE(s.message().find(expected), std::string::npos) << s.ToString();
  EXPECT_NE(s.message().find(actual), std::string::npos) << s.ToString();
  EXPECT_EQ(bad.checksum.status, ChecksumStatus::kMismatch);

  // A trailer cut short.
  Collected cut;
  EXPECT_TRUE(ParseBytes(file + "\x01\x02", &cut).IsCorruption());
}

TEST(RdbParserTest, Errors) {
  Collected got;
  // Unknown value type 30 at byte 11 (header 9, SELECTDB 2).
  Status s = ParseBytes(RdbFile(9, Bytes({0xFE, 0x00, 30})), &got);
  ASSERT_TRUE(s.IsCorruption());
  EXPECT_NE(s.message().find("unknown value type 30 at byte 11"), std::string::npos)
      << s.ToString();
  // A key length of 2^60.
  s = ParseBytes(RdbFile(9, Bytes({0xFE, 0x00, 0x00, 0x81, 0x10, 0, 0, 0, 0, 0, 0, 0})), &got);
  ASSERT_TRUE(s.IsCorruption());
  EXPECT_NE(s.message().find("key length 1152921504606846976 exceeds"), std::string::npos);
  // Truncated inside a value: the error names the key.
  const std::string full = RdbFile(9, OneKey(1, "mylist", Len(3) + Str("a") + Str("b")));
  s = ParseBytes(full.substr(0, full.size() - 9), &got);
  ASSERT_TRUE(s.IsCorruption());
  EXPECT_NE(s.message().find("in key \"mylist\""), std::string::npos) << s.ToString();
  EXPECT_NE(s.message().find("test.rdb"), std::string::npos) << s.ToString();
  // No EOF opcode.
  EXPECT_TRUE(ParseBytes("REDIS0009" + OneKey(0, "k", Str("v")), &got).IsCorruption());
  // Pre-GA functions.
  EXPECT_TRUE(ParseBytes(RdbFile(10, Bytes({0xF6})), &got).IsNotSupported());
}

TEST(RdbParserTest, VisitorErrorStopsTheParse) {
  const std::string file =
      RdbFile(9, OneKey(0, "a", Str("1")) + Bytes({0x00}) + Str("b") + Str("2"));
  MemoryByteSource source{Slice(file)};
  int seen = 0;
  KeyCallbackVisitor visitor([&](const KeyRecord&) {
    seen++;
    return Status::Aborted("enough");
  });
  RdbParser parser(&source, "x", RdbParserOptions(), &visitor);
  Status s = parser.Parse();
  EXPECT_TRUE(s.IsAborted());
  EXPECT_EQ(seen, 1);
}

TEST(RdbParserTest, ProgressCountsEveryByte) {
  const std::string file = RdbFile(9, OneKey(0, "k", Str(std::string(1000, 'v'))));
  MemoryByteSource source{Slice(file)};
  RdbVisitor nothing;
  RdbParser parser(&source, "x", RdbParserOptions(), &nothing);
  ASSERT_TRUE(parser.Parse().ok());
  EXPECT_EQ(parser.offset(), file.size());
  EXPECT_EQ(parser.bytes_read(), file.size());
}

// Produces an RDB stream holding a value of `value_bytes` bytes without ever holding it:
// a generated source. The parser must get through it with constant memory.
class GiantValueSource final : public ByteSource {
 public:
  GiantValueSource(std::string prefix, uint64_t filler, std::string suffix)
      : prefix_(std::move(prefix)), filler_(filler), suffix_(std::move(suffix)) {}
  Result<size_t> Read(char* dst, size_t n) override {
    size_t done = 0;
    while (done < n) {
      if (pos_ < prefix_.size()) {
        const size_t take = std::min(n - done, prefix_.size() - pos_);
        std::memcpy(dst + done, prefix_.data() + pos_, take);
        done += take;
        pos_ += take;
      } else if (pos_ < prefix_.size() + filler_) {
        const size_t take =
            static_cast<size_t>(std::min<uint64_t>(n - done, prefix_.size() + filler_ - pos_));
        std::memset(dst + done, 'g', take);
        done += take;
        pos_ += take;
      } else {
        const uint64_t at = pos_ - prefix_.size() - filler_;
        if (at >= suffix_.size()) break;
        const size_t take = std::min<size_t>(n - done, suffix_.size() - at);
        std::memcpy(dst + done, suffix_.data() + at, take);
        done += take;
        pos_ += take;
      }
    }
    return done;
  }

 private:
  std::string prefix_;
  uint64_t filler_;
  std::string suffix_;
  uint64_t pos_ = 0;
};

long MaxRssKb() {
  struct rusage usage;
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss;
}

TEST(RdbParserTest, GiantValuesUseConstantMemory) {
  constexpr uint64_t kGiB = 1ull << 30;
  // A 1 GiB string, then a quicklist-2 list whose only node is a 1 GiB PLAIN element.
  const std::string prefix = "REDIS0011" + Bytes({0xFE, 0x00, 0x00}) + Str("big") + Len(kGiB);
  GiantValueSource first(prefix, kGiB, "");
  const long before = MaxRssKb();
  uint64_t keys = 0;
  KeyCallbackVisitor count([&](const KeyRecord& r) {
    keys++;
    EXPECT_EQ(r.rdb_size, Len(kGiB).size() + kGiB);
    return Status::OK();
  });
  RdbParserOptions no_crc;
  no_crc.verify_checksum = false;
  RdbParser parser(&first, "giant", no_crc, &count);
  Status s = parser.Parse();
  // The generated stream ends after the value: truncated, but only after the whole value.
  EXPECT_TRUE(s.IsCorruption());
  EXPECT_EQ(keys, 1u);
  EXPECT_EQ(parser.offset(), prefix.size() + kGiB);
  EXPECT_LT(MaxRssKb() - before, 64 * 1024) << "memory grew with the value";

  const std::string list_prefix =
      "REDIS0011" + Bytes({0xFE, 0x00, 0x12}) + Str("list") + Len(1) + Len(1) + Len(kGiB);
  GiantValueSource second(list_prefix, kGiB, Bytes({0xFF}) + std::string(8, '\0'));
  Collected got;
  test::CollectingVisitor collect(&got);
  RdbParser list_parser(&second, "giant", RdbParserOptions(), &collect);
  s = list_parser.Parse();
  ASSERT_TRUE(s.ok()) << s.ToString();
  ASSERT_EQ(got.keys.size(), 1u);
  EXPECT_EQ(got.keys[0].member_count, 1u);
  EXPECT_EQ(got.keys[0].shape.max_element_len, kGiB);
  EXPECT_LT(MaxRssKb() - before, 64 * 1024) << "memory grew with the value";
}

TEST(RdbCheckTest, ReportLines) {
  std::string body = Bytes({0xFA}) + Str("redis-ver") + Str("7.0.15");
  body += Bytes({0xFE, 0x00, 0xFB, 0x02, 0x01});
  body += Bytes({0xFC}) + LE64(1000) + Bytes({0x00}) + Str("old") + Str("1");
  body += Bytes({0x00}) + Str("k") + Str("v");
  body += Bytes({0xFE, 0x01, 0x00}) + Str("k2") + Str("v");
  const std::string file = RdbFile(10, body);
  MemoryByteSource source{Slice(file)};
  Status s;
  const std::string report = CheckRdb(&source, "dump.rdb", RdbParserOptions(), 5000, &s);
  ASSERT_TRUE(s.ok()) << s.ToString();
  for (const char* line :
       {"[offset 0] Checking RDB file dump.rdb", "AUX FIELD redis-ver = '7.0.15'",
        "Selecting DB ID 1", "RDB file was saved with checksum disabled", "\\o/ RDB looks OK! \\o/",
        "[info] 3 keys read", "[info] 1 expires", "[info] 1 already expired",
        "[info] db 0: 2 keys, 1 expires, 1 already expired (RESIZEDB hint: 2 keys, 1 expires)",
        "[info] db 1: 1 keys, 0 expires", "[info] type string/raw: 3 keys",
        "[info] checksum: disabled"}) {
    EXPECT_NE(report.find(line), std::string::npos) << line << "\n" << report;
  }
  // An error report.
  const std::string broken = file.substr(0, file.size() - 12);
  MemoryByteSource broken_source{Slice(broken)};
  const std::string error_report =
      CheckRdb(&broken_source, "dump.rdb", RdbParserOptions(), 5000, &s);
  EXPECT_TRUE(s.IsCorruption());
  EXPECT_NE(error_report.find("--- RDB ERROR DETECTED ---"), std::string::npos) << error_report;
}

}  // namespace
}  // namespace strata::rdb
