// The low-level decoders on hand-built bytes: length encodings, special string encodings,
// LZF, and the container walkers (listpack, ziplist, intset, zipmap). Every expected value
// is worked out by hand in the comments.
#include <gtest/gtest.h>

#include <string>

#include "rdb/container_walkers.h"
#include "rdb/lzf_stream.h"
#include "rdb/rdb_reader.h"
#include "rdb_test_util.h"

namespace strata::rdb {
namespace {

using test::Bytes;
using test::LE16;
using test::LE32;
using test::LE64;
using test::Str;

// A reader over bytes, with the source kept alive beside it.
struct ReaderFixture {
  explicit ReaderFixture(std::string bytes)
      : data(std::move(bytes)), source(Slice(data)), reader(&source, "mem", 0) {}
  std::string data;
  MemoryByteSource source;
  RdbReader reader;
};

TEST(RdbReaderTest, LengthEncodings) {
  // 6-bit 0x2A = 42; 14-bit 0x41 0x00 = 256; 32-bit 0x80 + BE 0x00012345 = 74565;
  // 64-bit 0x81 + BE 0x0000000100000000 = 4294967296; 0xC3 is "special encoding 3".
  ReaderFixture f(Bytes({0x2A, 0x41, 0x00, 0x80, 0x00, 0x01, 0x23, 0x45, 0x81, 0x00, 0x00, 0x00,
                         0x01, 0x00, 0x00, 0x00, 0x00, 0xC3}));
  uint64_t len;
  bool encoded;
  ASSERT_TRUE(f.reader.ReadLength(&len, &encoded).ok());
  EXPECT_EQ(len, 42u);
  EXPECT_FALSE(encoded);
  ASSERT_TRUE(f.reader.ReadLength(&len, &encoded).ok());
  EXPECT_EQ(len, 256u);
  ASSERT_TRUE(f.reader.ReadLength(&len, &encoded).ok());
  EXPECT_EQ(len, 74565u);
  ASSERT_TRUE(f.reader.ReadLength(&len, &encoded).ok());
  EXPECT_EQ(len, 4294967296u);
  ASSERT_TRUE(f.reader.ReadLength(&len, &encoded).ok());
  EXPECT_TRUE(encoded);
  EXPECT_EQ(len, 3u);
  EXPECT_EQ(f.reader.offset(), 18u);
  Status s = f.reader.ReadLength(&len, &encoded);
  EXPECT_TRUE(s.IsCorruption());
  EXPECT_NE(s.message().find("truncated"), std::string::npos) << s.ToString();
}

TEST(RdbReaderTest, InvalidLengthByte) {
  ReaderFixture f(Bytes({0x82}));  // 10xxxxxx other than 0x80 / 0x81
  uint64_t len;
  bool encoded;
  Status s = f.reader.ReadLength(&len, &encoded);
  ASSERT_TRUE(s.IsCorruption());
  EXPECT_NE(s.message().find("0x82"), std::string::npos) << s.ToString();
  EXPECT_NE(s.message().find("mem:"), std::string::npos) << s.ToString();
}

TEST(RdbReaderTest, IntegerStrings) {
  // INT8 0xF6 = -10; INT16 LE 0x8000 = -32768; INT32 LE 0x075BCD15 = 123456789.
  ReaderFixture f(Bytes({0xC0, 0xF6, 0xC1, 0x00, 0x80, 0xC2, 0x15, 0xCD, 0x5B, 0x07}));
  std::string s;
  ASSERT_TRUE(f.reader.ReadString(&s, 100, "v").ok());
  EXPECT_EQ(s, "-10");
  ASSERT_TRUE(f.reader.ReadString(&s, 100, "v").ok());
  EXPECT_EQ(s, "-32768");
  StringHeader h;
  ASSERT_TRUE(f.reader.ReadStringHeader(&h).ok());
  EXPECT_EQ(h.kind, StringHeader::Kind::kInt);
  EXPECT_EQ(h.int_value, 123456789);
  EXPECT_EQ(h.length, 9u);  // decimal digits
}

TEST(RdbReaderTest, UnknownStringEncoding) {
  ReaderFixture f(Bytes({0xC4}));
  std::string s;
  Status st = f.reader.ReadString(&s, 100, "v");
  ASSERT_TRUE(st.IsCorruption());
  EXPECT_NE(st.message().find("unknown string encoding 4"), std::string::npos);
}

TEST(RdbReaderTest, LzfString) {
  // "abc" as a literal run (control 2), then a back reference of 9 bytes at distance 3:
  // length 9 - 2 = 7 needs the extra byte (0), control 0xE0 | ((3 - 1) >> 8), low byte 2;
  // then the literal "X" (control 0). Output: "abcabcabcabcX", 13 bytes from 9.
  const std::string lzf = Bytes({0x02, 'a', 'b', 'c', 0xE0, 0x00, 0x02, 0x00, 'X'});
  ReaderFixture f(Bytes({0xC3, 9, 13}) + lzf + "tail");
  std::string s;
  ASSERT_TRUE(f.reader.ReadString(&s, 100, "v").ok());
  EXPECT_EQ(s, "abcabcabcabcX");
  EXPECT_EQ(f.reader.offset(), 12u);
}

TEST(RdbReaderTest, LzfShortBackReferenceRun) {
  // 'a', then distance 1 length 3 (control 0x20, low 0): "aaaa".
  ReaderFixture f(Bytes({0xC3, 4, 4, 0x00, 'a', 0x20, 0x00}));
  std::string s;
  ASSERT_TRUE(f.reader.ReadString(&s, 100, "v").ok());
  EXPECT_EQ(s, "aaaa");
}

TEST(RdbReaderTest, LzfErrors) {
  std::string s;
  {
    // A back reference at distance 2 with only one byte of output.
    ReaderFixture f(Bytes({0xC3, 4, 4, 0x00, 'a', 0x20, 0x01}));
    Status st = f.reader.ReadString(&s, 100, "v");
    ASSERT_TRUE(st.IsCorruption());
    EXPECT_NE(st.message().find("before the start"), std::string::npos) << st.ToString();
  }
  {
    // Declared 5 bytes, the data makes 4.
    ReaderFixture f(Bytes({0xC3, 4, 5, 0x00, 'a', 0x20, 0x00}));
    EXPECT_TRUE(f.reader.ReadString(&s, 100, "v").IsCorruption());
  }
  {
    // Declared 3 bytes, the data makes 4.
    ReaderFixture f(Bytes({0xC3, 4, 3, 0x00, 'a', 0x20, 0x00}));
    Status st = f.reader.ReadString(&s, 100, "v");
    ASSERT_TRUE(st.IsCorruption());
    EXPECT_NE(st.message().find("past its declared length"), std::string::npos);
  }
}

TEST(RdbReaderTest, HugeLengthIsRejectedBeforeAllocation) {
  // A 64-bit length of 2^60 for a string capped at 1 MiB.
  ReaderFixture f(Bytes({0x81, 0x10, 0, 0, 0, 0, 0, 0, 0}));
  std::string s;
  Status st = f.reader.ReadString(&s, 1 << 20, "key");
  ASSERT_TRUE(st.IsCorruption());
  EXPECT_NE(st.message().find("key length 1152921504606846976 exceeds"), std::string::npos)
      << st.ToString();
  EXPECT_LT(s.capacity(), 1024u);
}

TEST(RdbReaderTest, LyingLengthWithinLimitFailsOnTruncation) {
  // Claims 1000 bytes, holds 3: truncated, and the string holds only what arrived.
  ReaderFixture f(Bytes({0x43, 0xE8, 'a', 'b', 'c'}));
  std::string s;
  Status st = f.reader.ReadString(&s, 1 << 20, "v");
  ASSERT_TRUE(st.IsCorruption());
  EXPECT_NE(st.message().find("truncated"), std::string::npos);
}

TEST(RdbReaderTest, ErrorsNameTheKey) {
  ReaderFixture f(Bytes({0x82}));
  const std::string key = "user:\x01";
  f.reader.SetKeyContext(&key, 77);
  uint64_t len;
  bool encoded;
  Status st = f.reader.ReadLength(&len, &encoded);
  ASSERT_TRUE(st.IsCorruption());
  EXPECT_NE(st.message().find("in key \"user:\\x01\" (value at byte 77)"), std::string::npos)
      << st.ToString();
}

TEST(DecimalLengthTest, Values) {
  EXPECT_EQ(DecimalLength(0), 1);
  EXPECT_EQ(DecimalLength(9), 1);
  EXPECT_EQ(DecimalLength(10), 2);
  EXPECT_EQ(DecimalLength(-1), 2);
  EXPECT_EQ(DecimalLength(INT64_MIN), 20);
  EXPECT_EQ(DecimalLength(INT64_MAX), 19);
}

// ---- Containers, read through a ContainerReader over a plain RDB string -------------------

struct Walked {
  Status status;
  ContainerStats stats;
  uint64_t offset_after = 0;
};

enum class Kind { kListpack, kZiplist, kIntset, kZipmap };

Walked Walk(Kind kind, const std::string& rdb_string, TupleLayout layout, bool header_only) {
  ReaderFixture f(rdb_string + "next");
  ContainerReader c;
  Walked w;
  w.status = c.Open(&f.reader, "container");
  if (!w.status.ok()) return w;
  switch (kind) {
    case Kind::kListpack:
      w.status = WalkListpack(&c, layout, header_only, &w.stats);
      break;
    case Kind::kZiplist:
      w.status = WalkZiplist(&c, layout, header_only, &w.stats);
      break;
    case Kind::kIntset:
      w.status = WalkIntset(&c, header_only, &w.stats);
      break;
    case Kind::kZipmap:
      w.status = WalkZipmap(&c, header_only, &w.stats);
      break;
  }
  if (!w.status.ok()) return w;
  w.status = c.Finish(w.stats.walked);
  if (!w.status.ok()) return w;
  // Finish consumed exactly the container: "next" follows.
  char next[4];
  w.status = f.reader.ReadExact(next, 4);
  if (w.status.ok() && std::string(next, 4) != "next") w.status = Status::Corruption("misaligned");
  return w;
}

std::string Listpack(const std::string& entries, uint16_t count) {
  return LE32(static_cast<uint32_t>(6 + entries.size() + 1)) + LE16(count) + entries + "\xFF";
}

// Every listpack entry encoding, with 1-, 2- and 3-byte back-lengths.
std::string AllListpackEntries() {
  std::string e;
  e += Bytes({0x05, 0x01});            // 7-bit uint 5
  e += Bytes({0x82, 'a', 'b', 0x03});  // 6-bit string "ab"
  e += Bytes({0xDC, 0x18, 0x02});      // 13-bit int: 0x1C18 - 8192 = -1000
  e += Bytes({0xE0, 0x64}) + std::string(100, 'x') + Bytes({0x66});        // 12-bit str, 102 B
  e += Bytes({0xE0, 0xC8}) + std::string(200, 'y') + Bytes({0x01, 0xCA});  // 202 = 1:74
  e += Bytes({0xF1, 0xE8, 0x03, 0x03});                                    // int16 1000
  e += Bytes({0xF2, 0x60, 0x79, 0xFE, 0x04});        // int24 0xFE7960 = -100000
  e += Bytes({0xF3, 0x00, 0xE1, 0xF5, 0x05, 0x05});  // int32 100000000
  e += Bytes({0xF4, 0x00, 0x10, 0xA5, 0xD4, 0xE8, 0x00, 0x00, 0x00, 0x09});        // 10^12
  e += Bytes({0xF0}) + LE32(5000) + std::string(5000, 'z') + Bytes({0x27, 0x8D});  // 5005
  e += Bytes({0xF0}) + LE32(20000) + std::string(20000, 'w') +
       Bytes({0x01, 0x9C, 0xA5});  // 20005 = 1:28:37 in 7-bit groups
  return e;
}

TEST(ListpackWalkerTest, EveryEntryEncoding) {
  Walked w =
      Walk(Kind::kListpack, Str(Listpack(AllListpackEntries(), 11)), TupleLayout::Single(), false);
  ASSERT_TRUE(w.status.ok()) << w.status.ToString();
  EXPECT_EQ(w.stats.entries, 11u);
  EXPECT_TRUE(w.stats.walked);
  // Integers count their digits: 5 (1), -1000 (5), 1000 (4), -100000 (7), 100000000 (9),
  // 10^12 (13) = 39; strings 2 + 100 + 200 + 5000 + 20000 = 25302.
  EXPECT_EQ(w.stats.element_bytes, 25341u);
  EXPECT_EQ(w.stats.max_element_len, 20000u);
  EXPECT_FALSE(w.stats.all_integers);
}

TEST(ListpackWalkerTest, HeaderOnlyAndUnknownCount) {
  const std::string entries = Bytes({0x05, 0x01, 0x82, 'a', 'b', 0x03});
  Walked header = Walk(Kind::kListpack, Str(Listpack(entries, 2)), TupleLayout::Single(), true);
  ASSERT_TRUE(header.status.ok()) << header.status.ToString();
  EXPECT_EQ(header.stats.entries, 2u);
  EXPECT_FALSE(header.stats.walked);
  // Count 65535 means "unknown": the walker counts even when asked for the header only.
  Walked unknown =
      Walk(Kind::kListpack, Str(Listpack(entries, 65535)), TupleLayout::Single(), true);
  ASSERT_TRUE(unknown.status.ok()) << unknown.status.ToString();
  EXPECT_EQ(unknown.stats.entries, 2u);
  EXPECT_TRUE(unknown.stats.walked);
}

TEST(ListpackWalkerTest, Corruptions) {
  const std::string good = Bytes({0x05, 0x01, 0x82, 'a', 'b', 0x03});
  // Count disagrees with the entries.
  EXPECT_TRUE(Walk(Kind::kListpack, Str(Listpack(good, 3)), TupleLayout::Single(), false)
                  .status.IsCorruption());
  // Back-length 2 where the entry has 3 bytes.
  EXPECT_TRUE(Walk(Kind::kListpack, Str(Listpack(Bytes({0x82, 'a', 'b', 0x02}), 1)),
                   TupleLayout::Single(), false)
                  .status.IsCorruption());
  // Invalid encoding byte 0xF5.
  Walked bad =
      Walk(Kind::kListpack, Str(Listpack(Bytes({0xF5, 0x01}), 1)), TupleLayout::Single(), false);
  ASSERT_TRUE(bad.status.IsCorruption());
  EXPECT_NE(bad.status.message().find("invalid encoding 0xf5"), std::string::npos);
  // String length running past the end.
  EXPECT_TRUE(
      Walk(Kind::kListpack, Str(Listpack(Bytes({0xBF, 'a'}), 1)), TupleLayout::Single(), false)
          .status.IsCorruption());
  // Total-bytes field disagrees with the blob.
  std::string lp = Listpack(good, 2);
  lp[0] = static_cast<char>(lp[0] + 1);
  EXPECT_TRUE(Walk(Kind::kListpack, Str(lp), TupleLayout::Single(), false).status.IsCorruption());
  // Bytes after the end marker.
  std::string trailing = Listpack(good, 2) + "x";
  trailing[0] = static_cast<char>(trailing[0] + 1);
  EXPECT_TRUE(
      Walk(Kind::kListpack, Str(trailing), TupleLayout::Single(), false).status.IsCorruption());
}

TEST(ListpackWalkerTest, TtlTuples) {
  // field "f1", value "v1", TTL 0 (none); field "f2", value 7 (int), TTL 1700000000000.
  std::string e = Bytes({0x82, 'f', '1', 0x03, 0x82, 'v', '1', 0x03, 0x00, 0x01});
  e += Bytes({0x82, 'f', '2', 0x03, 0x07, 0x01});
  e += Bytes({0xF4}) + LE64(1700000000000ull) + Bytes({0x09});
  Walked w = Walk(Kind::kListpack, Str(Listpack(e, 6)), TupleLayout::FieldValueTtl(), false);
  ASSERT_TRUE(w.status.ok()) << w.status.ToString();
  EXPECT_EQ(w.stats.entries, 6u);
  EXPECT_EQ(w.stats.ttls_set, 1u);
  EXPECT_EQ(w.stats.element_bytes, 7u);  // f1 v1 f2 and "7"
}

TEST(ListpackWalkerTest, BacklenSizes) {
  EXPECT_EQ(ListpackBacklenSize(1), 1);
  EXPECT_EQ(ListpackBacklenSize(127), 1);
  EXPECT_EQ(ListpackBacklenSize(128), 2);
  EXPECT_EQ(ListpackBacklenSize(16382), 2);
  EXPECT_EQ(ListpackBacklenSize(16383), 3);
  EXPECT_EQ(ListpackBacklenSize(2097151), 4);
  EXPECT_EQ(ListpackBacklenSize(268435455), 5);
}

// Ten entries covering every ziplist encoding; see the offsets in the comments.
std::string AllZiplistEntries(uint32_t* tail) {
  std::string e;
  e += Bytes({0x00, 0x02, 'a', 'b'});                                        // @10: "ab", 4 bytes
  e += Bytes({0x04, 0x40, 0x64}) + std::string(100, 'x');                    // @14: 14-bit, 103 B
  e += Bytes({0x67, 0xC0, 0xFE, 0xFF});                                      // @117: int16 -2, 4 B
  e += Bytes({0x04, 0xD0, 0xA0, 0x86, 0x01, 0x00});                          // @121: int32 100000
  e += Bytes({0x06, 0xE0, 0x00, 0xF0, 0x5A, 0x2B, 0x17, 0xFF, 0xFF, 0xFF});  // @127: -10^12
  e += Bytes({0x0A, 0xF0, 0x00, 0x00, 0x80});                                // @137: int24 -8388608
  e += Bytes({0x05, 0xFE, 0xF9});                                            // @142: int8 -7
  e += Bytes({0x03, 0xFD});                                                  // @145: immediate 12
  e += Bytes({0x02, 0x80, 0x00, 0x00, 0x01, 0x2C}) + std::string(300, 'y');  // @147: 306 B
  e += Bytes({0xFE}) + LE32(306) + Bytes({0x01, 'z'});                       // @453: "z", 7 B
  *tail = 453;
  return e;
}

std::string Ziplist(const std::string& entries, uint32_t tail, uint16_t count) {
  return LE32(static_cast<uint32_t>(10 + entries.size() + 1)) + LE32(tail) + LE16(count) + entries +
         "\xFF";
}

TEST(ZiplistWalkerTest, EveryEntryEncoding) {
  uint32_t tail;
  const std::string entries = AllZiplistEntries(&tail);
  Walked w = Walk(Kind::kZiplist, Str(Ziplist(entries, tail, 10)), TupleLayout::Single(), false);
  ASSERT_TRUE(w.status.ok()) << w.status.ToString();
  EXPECT_EQ(w.stats.entries, 10u);
  // Strings 2 + 100 + 300 + 1 = 403; integers -2 (2), 100000 (6), -10^12 (14),
  // -8388608 (8), -7 (2), 12 (2) = 34.
  EXPECT_EQ(w.stats.element_bytes, 437u);
  EXPECT_EQ(w.stats.max_element_len, 300u);
}

TEST(ZiplistWalkerTest, PairsAndErrors) {
  uint32_t tail;
  const std::string entries = AllZiplistEntries(&tail);
  // As member/score pairs only the even entries count: "ab", -2, -10^12, -7, 300 x 'y'.
  Walked pairs =
      Walk(Kind::kZiplist, Str(Ziplist(entries, tail, 10)), TupleLayout::MemberScore(), false);
  ASSERT_TRUE(pairs.status.ok());
  EXPECT_EQ(pairs.stats.element_bytes, 2u + 2 + 14 + 2 + 300);
  // Wrong tail offset.
  EXPECT_TRUE(
      Walk(Kind::kZiplist, Str(Ziplist(entries, tail + 1, 10)), TupleLayout::Single(), false)
          .status.IsCorruption());
  // Wrong count.
  EXPECT_TRUE(Walk(Kind::kZiplist, Str(Ziplist(entries, tail, 9)), TupleLayout::Single(), false)
                  .status.IsCorruption());
  // Header only: the count, nothing walked.
  Walked header =
      Walk(Kind::kZiplist, Str(Ziplist(entries, tail, 10)), TupleLayout::Single(), true);
  ASSERT_TRUE(header.status.ok());
  EXPECT_EQ(header.stats.entries, 10u);
  EXPECT_FALSE(header.stats.walked);
  // A prevlen that does not match the previous entry's size.
  EXPECT_TRUE(Walk(Kind::kZiplist, Str(Ziplist(Bytes({0x00, 0x01, 'a', 0x02, 0x01, 'b'}), 13, 2)),
                   TupleLayout::Single(), false)
                  .status.IsCorruption());
}

TEST(IntsetWalkerTest, AllWidths) {
  // 16-bit: -5, 7, 300 -> digits 2 + 1 + 3.
  Walked w16 = Walk(Kind::kIntset, Str(LE32(2) + LE32(3) + LE16(0xFFFB) + LE16(7) + LE16(300)),
                    TupleLayout::Single(), false);
  ASSERT_TRUE(w16.status.ok()) << w16.status.ToString();
  EXPECT_EQ(w16.stats.entries, 3u);
  EXPECT_EQ(w16.stats.element_bytes, 6u);
  EXPECT_TRUE(w16.stats.all_integers);
  // 32-bit: -70000, 70000 -> 6 + 5.
  Walked w32 = Walk(Kind::kIntset,
                    Str(LE32(4) + LE32(2) + LE32(static_cast<uint32_t>(-70000)) + LE32(70000)),
                    TupleLayout::Single(), false);
  ASSERT_TRUE(w32.status.ok());
  EXPECT_EQ(w32.stats.element_bytes, 11u);
  // 64-bit: -1, 2^40 = 1099511627776 -> 2 + 13.
  Walked w64 = Walk(Kind::kIntset, Str(LE32(8) + LE32(2) + LE64(~0ull) + LE64(1ull << 40)),
                    TupleLayout::Single(), false);
  ASSERT_TRUE(w64.status.ok());
  EXPECT_EQ(w64.stats.element_bytes, 15u);
  EXPECT_EQ(w64.stats.max_element_len, 13u);
}

TEST(IntsetWalkerTest, Corruptions) {
  // Encoding 3.
  EXPECT_TRUE(Walk(Kind::kIntset, Str(LE32(3) + LE32(1) + "abc"), TupleLayout::Single(), false)
                  .status.IsCorruption());
  // Count 2 but room for 3.
  EXPECT_TRUE(Walk(Kind::kIntset, Str(LE32(2) + LE32(2) + LE16(1) + LE16(2) + LE16(3)),
                   TupleLayout::Single(), false)
                  .status.IsCorruption());
  // Out of order.
  EXPECT_TRUE(
      Walk(Kind::kIntset, Str(LE32(2) + LE32(2) + LE16(5) + LE16(4)), TupleLayout::Single(), false)
          .status.IsCorruption());
}

TEST(ZipmapWalkerTest, SmallAndBigLengths) {
  // 2 pairs: "a" -> "bb" (free 0); "key2" -> "v" with 2 free bytes after it.
  const std::string zm = Bytes({0x02, 0x01, 'a', 0x02, 0x00, 'b', 'b', 0x04, 'k', 'e', 'y', '2',
                                0x01, 0x02, 'v', 0x00, 0x00, 0xFF});
  Walked w = Walk(Kind::kZipmap, Str(zm), TupleLayout::FieldValue(), false);
  ASSERT_TRUE(w.status.ok()) << w.status.ToString();
  EXPECT_EQ(w.stats.entries, 4u);
  EXPECT_EQ(w.stats.element_bytes, 8u);  // a bb key2 v
  // Count 254 (unknown) and a value of 300 bytes written with the 5-byte length form.
  const std::string big = Bytes({0xFE, 0x01, 'k', 0xFE}) + LE32(300) + Bytes({0x00}) +
                          std::string(300, 'v') + Bytes({0xFF});
  Walked b = Walk(Kind::kZipmap, Str(big), TupleLayout::FieldValue(), true);
  ASSERT_TRUE(b.status.ok()) << b.status.ToString();
  EXPECT_EQ(b.stats.entries, 2u);
  EXPECT_EQ(b.stats.max_element_len, 300u);
  // Declared 3 pairs, holds 2.
  std::string wrong = zm;
  wrong[0] = 3;
  EXPECT_TRUE(
      Walk(Kind::kZipmap, Str(wrong), TupleLayout::FieldValue(), false).status.IsCorruption());
}

// LZF with literal runs only (control byte n - 1, up to 32 bytes each): valid LZF by the
// format's definition, so any container can be stored "compressed" in a test.
std::string LzfLiterals(const std::string& data) {
  std::string out;
  for (size_t i = 0; i < data.size(); i += 32) {
    const size_t n = std::min<size_t>(32, data.size() - i);
    out.push_back(static_cast<char>(n - 1));
    out += data.substr(i, n);
  }
  return out;
}

std::string LzfString(const std::string& lzf, uint64_t ulen) {
  return Bytes({0xC3}) + test::Len(lzf.size()) + test::Len(ulen) + lzf;
}

TEST(ContainerReaderTest, LzfListpackHeaderOnlyAndWalked) {
  const std::string lp = Listpack(AllListpackEntries(), 11);
  const std::string stored = LzfString(LzfLiterals(lp), lp.size());
  Walked header = Walk(Kind::kListpack, stored, TupleLayout::Single(), true);
  ASSERT_TRUE(header.status.ok()) << header.status.ToString();
  EXPECT_EQ(header.stats.entries, 11u);
  EXPECT_FALSE(header.stats.walked);
  Walked full = Walk(Kind::kListpack, stored, TupleLayout::Single(), false);
  ASSERT_TRUE(full.status.ok()) << full.status.ToString();
  EXPECT_EQ(full.stats.element_bytes, 25341u);
  // Saturated count: walked through the LZF stream even when only the count is wanted.
  const std::string lp_unknown = Listpack(AllListpackEntries(), 65535);
  Walked unknown = Walk(Kind::kListpack, LzfString(LzfLiterals(lp_unknown), lp_unknown.size()),
                        TupleLayout::Single(), true);
  ASSERT_TRUE(unknown.status.ok()) << unknown.status.ToString();
  EXPECT_EQ(unknown.stats.entries, 11u);
  EXPECT_TRUE(unknown.stats.walked);
}

TEST(ContainerReaderTest, LzfRunLongerThanTheWindow) {
  // A 200000-byte listpack string made of 'q': literal 'q', then back references at
  // distance 1 of 264 bytes (control 0xE0, extra 255, low 0) and a last one of 151 bytes
  // (151 - 2 - 7 = 142 extra). The entry runs far past the 64 KiB output buffer.
  const std::string head = LE32(6 + 5 + 200000 + 3 + 1) + LE16(1) + Bytes({0xF0}) + LE32(200000);
  std::string lzf = LzfLiterals(head + "q");
  for (int i = 0; i < 757; i++) lzf += Bytes({0xE0, 0xFF, 0x00});
  lzf += Bytes({0xE0, 0x8E, 0x00});
  // Back-length of 200005 = 12:26:69 in 7-bit groups: 0x0C 0x9A 0xC5; then the end.
  lzf += LzfLiterals(Bytes({0x0C, 0x9A, 0xC5, 0xFF}));
  const uint64_t size = 6 + 5 + 200000 + 3 + 1;
  Walked w = Walk(Kind::kListpack, LzfString(lzf, size), TupleLayout::Single(), false);
  ASSERT_TRUE(w.status.ok()) << w.status.ToString();
  EXPECT_EQ(w.stats.entries, 1u);
  EXPECT_EQ(w.stats.max_element_len, 200000u);
}

}  // namespace
}  // namespace strata::rdb
