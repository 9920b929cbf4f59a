// The memory model's parts on hand-worked cases: the radix-tree node count of stream IDs,
// the slots of dicts grown or resized while loading, and whole-key estimates of small
// hand-made RDB values, each equal to what MEMORY USAGE reported for the same value on
// redis-server 7.0.15 (the sums in the comments are the model's terms).
#include <gtest/gtest.h>

#include <cstring>
#include <string>

#include "rdb/rax_node_counter.h"
#include "rdbtool/dict_slots.h"
#include "rdbtool/memory_estimate.h"
#include "unit/rdb/rdb_test_util.h"

namespace strata::rdbtool {
namespace {

using rdb::test::Bytes;
using rdb::test::Collected;
using rdb::test::LE16;
using rdb::test::LE32;
using rdb::test::Len;
using rdb::test::OneKey;
using rdb::test::RdbFile;
using rdb::test::Str;

std::array<uint8_t, 16> Id(uint64_t ms, uint64_t seq) {
  std::array<uint8_t, 16> id;
  for (int i = 0; i < 8; i++) {
    id[static_cast<size_t>(i)] = static_cast<uint8_t>(ms >> (56 - 8 * i));
    id[static_cast<size_t>(8 + i)] = static_cast<uint8_t>(seq >> (56 - 8 * i));
  }
  return id;
}

TEST(RaxNodeCounterTest, HandCountedTrees) {
  rdb::RaxNodeCounter rax;
  EXPECT_EQ(rax.Nodes(), 1u);  // the empty root
  rax.Add(Id(1, 1).data());
  EXPECT_EQ(rax.Nodes(), 2u);  // root compressing all 16 bytes, the key's leaf
  rax.Add(Id(2, 1).data());
  // Root (7 shared bytes), the branching node at byte 7, per key a compressed node of the
  // last 8 bytes and a leaf: 6 (MEMORY USAGE of a 2-entry PEL says so).
  EXPECT_EQ(rax.Nodes(), 6u);
  rax.Add(Id(3, 1).data());
  EXPECT_EQ(rax.Nodes(), 8u);  // a third child of the same branching node
  rax.Add(Id(3, 1).data());    // a repeat changes nothing
  EXPECT_EQ(rax.Nodes(), 8u);
  rax.Add(Id(3, 2).data());
  // Splits 3-1's chain at byte 15: a branching node there whose edges are one byte each,
  // below a compressed node of bytes 8-14: +1 branch, +1 leaf, the chain stays one node.
  EXPECT_EQ(rax.Nodes(), 10u);
  rax.Add(Id(uint64_t{1} << 56, 0).data());
  // Differs at byte 0: the root becomes a branching node, the old prefix's other 6 bytes a
  // chain below it (so the root chain becomes it: no change), and the new key brings a chain
  // of 15 bytes, a leaf and the root's branching: +3.
  EXPECT_EQ(rax.Nodes(), 13u);
  EXPECT_EQ(rax.keys(), 5u);
}

TEST(DictSlotsTest, PresizedAndGrown) {
  EXPECT_EQ(DictSlots::Presized(1), 4u);
  EXPECT_EQ(DictSlots::Presized(4), 4u);
  EXPECT_EQ(DictSlots::Presized(5), 8u);
  EXPECT_EQ(DictSlots::Presized(129), 256u);
  EXPECT_EQ(DictSlots::Presized(256), 256u);
  // Insert by insert: the 129th insert doubles 128 slots and starts a rehash that needs about
  // 128 * (1 - (127/128)^128) = 82 more inserts to finish (measured: 384 slots for 129-200
  // members, 256 for 255).
  EXPECT_EQ(DictSlots::Grown(128), 128u);
  EXPECT_EQ(DictSlots::Grown(129), 384u);
  EXPECT_EQ(DictSlots::Grown(200), 384u);
  EXPECT_EQ(DictSlots::Grown(255), 256u);
  EXPECT_EQ(DictSlots::Grown(257), 768u);
}

TEST(DictSlotsTest, ConvertedPartWay) {
  // A 10-pair hash whose 6th pair is long: a dict sized for 5 (8 slots) gets 6 entries; the
  // 4 pairs left are too few to size for; the 9th insert doubles to 16 and the 10th moves
  // one of about 5 buckets: both tables, 24 slots.
  DictSlots d;
  d.Expand(5);
  d.Insert(6);
  d.Insert(4);
  EXPECT_EQ(d.slots(), 24u);
  EXPECT_EQ(d.entries(), 10u);
  // Expanding while rehashing, below the count or to the same size does nothing.
  d.Expand(1000);
  EXPECT_EQ(d.slots(), 24u);
}

std::string Listpack(const std::string& entries, uint16_t count) {
  return LE32(static_cast<uint32_t>(6 + entries.size() + 1)) + LE16(count) + entries + "\xFF";
}

uint64_t EstimateOf(const std::string& file) {
  Collected got;
  Status s = rdb::test::ParseBytes(file, &got);
  EXPECT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(got.keys.size(), 1u);
  return got.keys.empty() ? 0 : EstimateMemory(got.keys[0]);
}

TEST(MemoryEstimateTest, Strings) {
  // Key sds 8 + dict entry 24 + robj 16 (the integer in its pointer).
  EXPECT_EQ(EstimateOf(RdbFile(9, OneKey(0, "a", Bytes({0xC0, 1})))), 48u);
  EXPECT_EQ(EstimateOf(RdbFile(9, OneKey(0, "n", Str("12345678901")))), 48u);  // text, loads as int
  // Embedded: robj + sdshdr8 + bytes + NUL in one allocation: 3 + 20 -> 32.
  EXPECT_EQ(EstimateOf(RdbFile(9, OneKey(0, "z", Str("007")))), 64u);
  // 14- and 15-byte keys: sdshdr5 16 and 17 -> 16 and 32.
  EXPECT_EQ(EstimateOf(RdbFile(9, OneKey(0, "abcdefghijklmn", Bytes({0xC0, 1})))), 56u);
  EXPECT_EQ(EstimateOf(RdbFile(9, OneKey(0, "abcdefghijklmno", Bytes({0xC0, 1})))), 72u);
  EXPECT_EQ(EstimateOf(RdbFile(9, OneKey(0, "s20", Str(std::string(20, 'x'))))), 80u);
  EXPECT_EQ(EstimateOf(RdbFile(9, OneKey(0, "s44", Str(std::string(44, 'x'))))), 96u);
  // Raw: robj 16 + sds (3 + 45 + 1 -> 64); 300 bytes: sdshdr16, 306 -> 320.
  EXPECT_EQ(EstimateOf(RdbFile(9, OneKey(0, "s45", Str(std::string(45, 'x'))))), 112u);
  EXPECT_EQ(EstimateOf(RdbFile(9, OneKey(0, "s300", Str(std::string(300, 'x'))))), 368u);
}

TEST(MemoryEstimateTest, Containers) {
  // Quicklist: robj 16 + quicklist 40 + node 40 + listpack "a" (10 -> 16), key 8 + entry 24.
  const std::string one_a = Listpack(
      "\x81"
      "a\x02",
      1);
  EXPECT_EQ(EstimateOf(RdbFile(10, OneKey(18, "l1", Len(1) + Len(2) + Str(one_a)))), 144u);
  // Hash-table set {"a"}: robj 16 + dict 56 + 4 slots 32 + entry 24 + sds 8.
  EXPECT_EQ(EstimateOf(RdbFile(9, OneKey(2, "st1", Len(1) + Str("a")))), 168u);
  // Intset {1}: robj 16 + intset (8 + 2 -> 16).
  const std::string intset = LE32(2) + LE32(1) + LE16(1);
  EXPECT_EQ(EstimateOf(RdbFile(9, OneKey(11, "si", Str(intset)))), 64u);
  // Listpack hash {a: b}: robj 16 + listpack (13 -> 16).
  const std::string ab = Listpack(
      "\x81"
      "a\x02\x81"
      "b\x02",
      2);
  EXPECT_EQ(EstimateOf(RdbFile(10, OneKey(16, "h1", Str(ab)))), 64u);
  // Skiplist zset of one 70-byte member: robj 16 + zset 16 + zskiplist 32 + dict 56 + 4 slots
  // 32 + header (24 + 32 levels x 16 -> 640) + entry 24 + sds 80 + a node of random level,
  // 53.33 bytes expected (the server, with a level-1 node of 48, said 976).
  double one = 1.0;
  std::string score(8, '\0');
  std::memcpy(score.data(), &one, 8);
  EXPECT_EQ(EstimateOf(RdbFile(9, OneKey(5, "z1", Len(1) + Str(std::string(70, 'x')) + score))),
            981u);
}

TEST(MemoryEstimateTest, HashConvertedPartWay) {
  // Ten pairs, the sixth with a 100-byte value: robj 16 + dict 56 + 24 slots 192 + 10 entries
  // 240 + sds of fields 10 x 8 and values 9 x 8 + 112; key 8 + entry 24: 800.
  std::string body = Len(10);
  for (int i = 0; i < 10; i++) {
    body += Str("f" + std::to_string(i));
    body += Str(i == 5 ? std::string(100, 'v') : "v" + std::to_string(i));
  }
  EXPECT_EQ(EstimateOf(RdbFile(9, OneKey(4, "h", body))), 800u);
}

TEST(MemoryEstimateTest, StreamWithAGroup) {
  // Three entries in one listpack (51 -> 64 bytes), a group whose PEL holds 2 entries read by
  // consumer "alice": robj 16 + stream 80 + index rax (1 x 16 + 2 nodes x 244) + listpack 64
  // + group 40 + PEL rax (2 x 16 + 6 x 244) + 2 NACKs 48 + consumer 24 + name 5 + its PEL
  // rax (2 x 16 + 6 x 244); key 8 + entry 24.
  rdb::KeyRecord r;
  r.key = "x3";
  r.type = rdb::KeyType::kStream;
  r.shape.stream_nodes = 1;
  r.shape.stream_rax_nodes = 2;
  r.shape.packed_alloc_bytes = 64;
  r.shape.stream_groups = 1;
  r.shape.stream_group_pel = 2;
  r.shape.stream_consumers = 1;
  r.shape.stream_consumer_pel = 2;
  r.shape.stream_consumer_name_bytes = 5;
  r.shape.stream_pel_rax_nodes = 12;
  EXPECT_EQ(EstimateMemory(r), 3805u);
}

TEST(MemoryEstimateTest, Options) {
  rdb::KeyRecord r;
  r.key = "a";
  r.shape.integer_elements = 1;
  r.expire_at_ms = 1;
  EXPECT_EQ(EstimateMemory(r), 48u);
  MemoryModelOptions o;
  o.count_expires_entry = true;
  EXPECT_EQ(EstimateMemory(r, o), 72u);
  o.cluster_enabled = true;
  EXPECT_EQ(EstimateMemory(r, o), 88u);
}

}  // namespace
}  // namespace strata::rdbtool
