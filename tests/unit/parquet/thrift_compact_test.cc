#include "parquet/thrift_compact.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

namespace strata::parquet {
namespace {

// Expected encodings are written out byte by byte from the compact protocol specification,
// never produced by the writer under test.
std::string Bytes(std::initializer_list<int> bytes) {
  std::string s;
  for (int b : bytes) s.push_back(static_cast<char>(b));
  return s;
}

std::string Hex(const std::string& s) {
  static const char* kDigits = "0123456789abcdef";
  std::string out;
  for (unsigned char c : s) {
    out.push_back(kDigits[c >> 4]);
    out.push_back(kDigits[c & 0xF]);
    out.push_back(' ');
  }
  return out;
}

// Writes one struct whose fields write_fields(w) adds.
template <typename WriteFields>
std::string WriteStruct(WriteFields&& write_fields) {
  std::string out;
  CompactWriter w(&out);
  w.StructBegin();
  write_fields(&w);
  w.StructEnd();
  return out;
}

#define EXPECT_BYTES(expected, actual) EXPECT_EQ(Hex(expected), Hex(actual))

// ---- Writer: byte-exact encodings ----

TEST(ThriftCompactWriterTest, StructWithOneI32Field) {
  // {1: i32 = 1}: header (delta 1, type I32=5), zigzag(1) = 2, STOP.
  EXPECT_BYTES(Bytes({0x15, 0x02, 0x00}), WriteStruct([](CompactWriter* w) { w->I32Field(1, 1); }));
}

TEST(ThriftCompactWriterTest, EmptyStructIsOnlyStop) {
  EXPECT_BYTES(Bytes({0x00}), WriteStruct([](CompactWriter*) {}));
}

TEST(ThriftCompactWriterTest, LongFormHeaderWhenDeltaAbove15) {
  // Field 16 first: delta 16 does not fit the nibble. Type byte 0x05, then zigzag(16) = 32.
  EXPECT_BYTES(Bytes({0x05, 0x20, 0x02, 0x00}),
               WriteStruct([](CompactWriter* w) { w->I32Field(16, 1); }));
  // Field 1, then field 17: delta 16 again long form, zigzag(17) = 34.
  EXPECT_BYTES(Bytes({0x15, 0x02, 0x05, 0x22, 0x02, 0x00}), WriteStruct([](CompactWriter* w) {
                 w->I32Field(1, 1);
                 w->I32Field(17, 1);
               }));
  // Field 1, then field 16: delta 15 still fits the short form.
  EXPECT_BYTES(Bytes({0x15, 0x02, 0xF5, 0x02, 0x00}), WriteStruct([](CompactWriter* w) {
                 w->I32Field(1, 1);
                 w->I32Field(16, 1);
               }));
}

TEST(ThriftCompactWriterTest, LongFormHeaderWhenIdGoesBackwards) {
  // Field 5 (short, delta 5), then field 2 (delta -3: long form, zigzag(2) = 4).
  EXPECT_BYTES(Bytes({0x55, 0x02, 0x05, 0x04, 0x02, 0x00}), WriteStruct([](CompactWriter* w) {
                 w->I32Field(5, 1);
                 w->I32Field(2, 1);
               }));
  // The same id twice: delta 0 is not a valid short form either.
  EXPECT_BYTES(Bytes({0x15, 0x02, 0x05, 0x02, 0x02, 0x00}), WriteStruct([](CompactWriter* w) {
                 w->I32Field(1, 1);
                 w->I32Field(1, 1);
               }));
}

TEST(ThriftCompactWriterTest, ZigzagVarints) {
  std::string out;
  CompactWriter w(&out);
  w.I32(0);                                    // 00
  w.I32(-1);                                   // 01
  w.I32(1);                                    // 02
  w.I32(-64);                                  // zigzag 127: 7f
  w.I32(64);                                   // zigzag 128: 80 01
  w.I32(-300);                                 // zigzag 599: d7 04
  w.I32(std::numeric_limits<int32_t>::min());  // zigzag 2^32-1: ff ff ff ff 0f
  w.I32(std::numeric_limits<int32_t>::max());  // zigzag 2^32-2: fe ff ff ff 0f
  w.I16(-2);                                   // 03
  w.I16(std::numeric_limits<int16_t>::min());  // zigzag 65535: ff ff 03
  w.I64(-1);                                   // 01
  w.I64(std::numeric_limits<int64_t>::min());  // zigzag 2^64-1: ff x9, 01
  w.I64(int64_t{1} << 41);                     // zigzag 2^42: 80 80 80 80 80 80 01
  EXPECT_BYTES(
      Bytes({0x00, 0x01, 0x02, 0x7F, 0x80, 0x01, 0xD7, 0x04, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F, 0xFE,
             0xFF, 0xFF, 0xFF, 0x0F, 0x03, 0xFF, 0xFF, 0x03, 0x01, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
             0xFF, 0xFF, 0xFF, 0xFF, 0x01, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01}),
      out);
}

TEST(ThriftCompactWriterTest, ByteDoubleAndBinary) {
  std::string out;
  CompactWriter w(&out);
  w.I8(-1);
  w.Double(1.0);   // 0x3FF0000000000000, little-endian
  w.Double(-2.5);  // 0xC004000000000000
  w.Binary("abc");
  w.Binary("");
  EXPECT_BYTES(Bytes({0xFF, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xF0, 0x3F, 0x00, 0x00,
                      0x00, 0x00, 0x00, 0x00, 0x04, 0xC0, 0x03, 'a',  'b',  'c',  0x00}),
               out);
}

TEST(ThriftCompactWriterTest, BoolInStructVersusBoolInList) {
  // In a struct the value is the header's type: 1 true, 2 false, no value byte.
  EXPECT_BYTES(Bytes({0x11, 0x12, 0x00}), WriteStruct([](CompactWriter* w) {
                 w->BoolField(1, true);
                 w->BoolField(2, false);
               }));
  // In a list: element type 1, then one byte per element, 1 true and 2 false.
  EXPECT_BYTES(Bytes({0x19, 0x31, 0x01, 0x02, 0x01, 0x00}), WriteStruct([](CompactWriter* w) {
                 w->FieldBegin(1, ThriftType::kList);
                 w->ListBegin(ThriftType::kBoolTrue, 3);
                 w->Bool(true);
                 w->Bool(false);
                 w->Bool(true);
               }));
}

TEST(ThriftCompactWriterTest, ListHeaderShortAndLongForm) {
  std::string out;
  CompactWriter w(&out);
  w.ListBegin(ThriftType::kI32, 0);
  w.ListBegin(ThriftType::kI32, 14);  // the largest size in the nibble
  w.ListBegin(ThriftType::kI32, 15);  // 0xF: the size follows as a varint
  w.ListBegin(ThriftType::kStruct, 200);
  w.ListBegin(ThriftType::kBinary, 1);
  EXPECT_BYTES(Bytes({0x05, 0xE5, 0xF5, 0x0F, 0xFC, 0xC8, 0x01, 0x18}), out);
}

TEST(ThriftCompactWriterTest, FourteenAndFifteenElementLists) {
  std::string fourteen = WriteStruct([](CompactWriter* w) {
    w->FieldBegin(1, ThriftType::kList);
    w->ListBegin(ThriftType::kI64, 14);
    for (int i = 0; i < 14; i++) w->I64(i);
  });
  std::string expected = Bytes({0x19, 0xE6});
  for (int i = 0; i < 14; i++) expected.push_back(static_cast<char>(2 * i));
  expected.push_back(0);
  EXPECT_BYTES(expected, fourteen);

  std::string fifteen = WriteStruct([](CompactWriter* w) {
    w->FieldBegin(1, ThriftType::kList);
    w->ListBegin(ThriftType::kI64, 15);
    for (int i = 0; i < 15; i++) w->I64(i);
  });
  expected = Bytes({0x19, 0xF6, 0x0F});
  for (int i = 0; i < 15; i++) expected.push_back(static_cast<char>(2 * i));
  expected.push_back(0);
  EXPECT_BYTES(expected, fifteen);
}

TEST(ThriftCompactWriterTest, NestedStructResetsAndRestoresLastFieldId) {
  // {3: {1: i32 7}, 4: i32 1}: the inner field 1 is delta 1 from a fresh 0, and field 4 is
  // delta 1 from the outer struct's 3.
  EXPECT_BYTES(Bytes({0x3C, 0x15, 0x0E, 0x00, 0x15, 0x02, 0x00}), WriteStruct([](CompactWriter* w) {
                 w->FieldBegin(3, ThriftType::kStruct);
                 w->StructBegin();
                 w->I32Field(1, 7);
                 w->StructEnd();
                 w->I32Field(4, 1);
               }));
}

TEST(ThriftCompactWriterTest, MapHeaders) {
  std::string out;
  CompactWriter w(&out);
  w.MapBegin(ThriftType::kI32, ThriftType::kBinary, 0);  // empty: one zero byte
  w.MapBegin(ThriftType::kI32, ThriftType::kBinary, 2);  // size, then key<<4 | value
  w.MapBegin(ThriftType::kBinary, ThriftType::kStruct, 300);
  EXPECT_BYTES(Bytes({0x00, 0x02, 0x58, 0xAC, 0x02, 0x8C}), out);
}

TEST(ThriftCompactWriterTest, FieldsOfEveryScalarType) {
  EXPECT_BYTES(Bytes({0x13, 0x80, 0x14, 0x03, 0x16, 0x01, 0x17, 0,   0,    0,    0,
                      0,    0,    0xF0, 0x3F, 0x18, 0x02, 'h',  'i', 0x15, 0x08, 0x00}),
               WriteStruct([](CompactWriter* w) {
                 w->I8Field(1, -128);
                 w->I16Field(2, -2);
                 w->I64Field(3, -1);
                 w->DoubleField(4, 1.0);
                 w->BinaryField(5, "hi");
                 enum class Color : int32_t { kRed = 4 };
                 w->EnumField(6, Color::kRed);
               }));
}

// ---- Reader ----

// Reads a struct, recording fields 1..n as i32 (if typed so), skipping the rest.
struct ReadResult {
  Status status;
  std::vector<std::pair<int16_t, int64_t>> fields;  // id, value of integer fields
  size_t consumed = 0;
};

ReadResult ReadIntegers(const std::string& bytes) {
  CompactReader r(bytes, "test", 0);
  ReadResult result;
  result.status = r.ReadStruct("Test", [&](const FieldHeader& f) -> Status {
    switch (f.type) {
      case ThriftType::kI16: {
        int16_t v = 0;
        Status s = r.Read(f, &v);
        result.fields.emplace_back(f.id, v);
        return s;
      }
      case ThriftType::kI32: {
        int32_t v = 0;
        Status s = r.Read(f, &v);
        result.fields.emplace_back(f.id, v);
        return s;
      }
      case ThriftType::kI64: {
        int64_t v = 0;
        Status s = r.Read(f, &v);
        result.fields.emplace_back(f.id, v);
        return s;
      }
      default:
        return r.Skip(f);
    }
  });
  result.consumed = r.position();
  return result;
}

TEST(ThriftCompactReaderTest, ReadsShortAndLongFormHeaders) {
  // {1: i32 1, 17: i32 -1 (long form), 2: i64 64 (long form, backwards), 3: i16 -2}
  const std::string bytes =
      Bytes({0x15, 0x02, 0x05, 0x22, 0x01, 0x06, 0x04, 0x80, 0x01, 0x14, 0x03, 0x00});
  ReadResult r = ReadIntegers(bytes);
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  EXPECT_EQ(r.consumed, bytes.size());
  const std::vector<std::pair<int16_t, int64_t>> expected = {{1, 1}, {17, -1}, {2, 64}, {3, -2}};
  EXPECT_EQ(r.fields, expected);
}

TEST(ThriftCompactReaderTest, ReadsExtremeZigzagValues) {
  const std::string bytes = Bytes({0x15, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F,  // i32 min
                                   0x15, 0xFE, 0xFF, 0xFF, 0xFF, 0x0F,  // i32 max
                                   0x16, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,  // i64 min ...
                                   0xFF, 0xFF, 0xFF, 0xFF, 0x01,        // ... 10 bytes
                                   0x14, 0xFF, 0xFF, 0x03,              // i16 min
                                   0x00});
  ReadResult r = ReadIntegers(bytes);
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  const std::vector<std::pair<int16_t, int64_t>> expected = {
      {1, std::numeric_limits<int32_t>::min()},
      {2, std::numeric_limits<int32_t>::max()},
      {3, std::numeric_limits<int64_t>::min()},
      {4, std::numeric_limits<int16_t>::min()}};
  EXPECT_EQ(r.fields, expected);
}

TEST(ThriftCompactReaderTest, ReadsBoolFieldsAndBoolElements) {
  // {1: true, 2: false, 3: list<bool> [true, false (2), false (0)]}; element type 2 also
  // means bool.
  const std::string bytes = Bytes({0x11, 0x12, 0x19, 0x32, 0x01, 0x02, 0x00, 0x00});
  CompactReader r(bytes, "test", 0);
  std::vector<bool> fields;
  std::vector<bool> list;
  Status s = r.ReadStruct("Test", [&](const FieldHeader& f) -> Status {
    if (f.id == 3) return r.ReadList(f, &list);
    bool v = false;
    Status st = r.Read(f, &v);
    fields.push_back(v);
    return st;
  });
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(fields, (std::vector<bool>{true, false}));
  EXPECT_EQ(list, (std::vector<bool>{true, false, false}));
  EXPECT_EQ(r.position(), bytes.size());
}

TEST(ThriftCompactReaderTest, RejectsBoolElementOtherThanZeroOneTwo) {
  const std::string bytes = Bytes({0x19, 0x11, 0x03, 0x00});
  CompactReader r(bytes, "test", 0);
  std::vector<bool> list;
  Status s = r.ReadStruct("Test", [&](const FieldHeader& f) { return r.ReadList(f, &list); });
  EXPECT_TRUE(s.IsCorruption());
  EXPECT_NE(s.message().find("invalid bool element 3 at byte 2"), std::string::npos)
      << s.ToString();
}

TEST(ThriftCompactReaderTest, ReadsDoubleBinaryAndByte) {
  const std::string bytes = Bytes({0x17, 0, 0, 0, 0, 0, 0, 0x04, 0xC0,  // 1: double -2.5
                                   0x18, 0x03, 'a', 'b', 'c',           // 2: binary "abc"
                                   0x13, 0xFE,                          // 3: i8 -2
                                   0x00});
  CompactReader r(bytes, "test", 0);
  double d = 0;
  std::string str;
  int8_t b = 0;
  Status s = r.ReadStruct("Test", [&](const FieldHeader& f) -> Status {
    if (f.id == 1) return r.Read(f, &d);
    if (f.id == 2) return r.Read(f, &str);
    return r.Read(f, &b);
  });
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(d, -2.5);
  EXPECT_EQ(str, "abc");
  EXPECT_EQ(b, -2);
}

TEST(ThriftCompactReaderTest, ReadsLongFormListSize) {
  std::string bytes = Bytes({0x19, 0xF5, 0x0F});
  for (int i = 0; i < 15; i++) bytes.push_back(static_cast<char>(2 * i));  // zigzag(i)
  bytes.push_back(0);
  CompactReader r(bytes, "test", 0);
  std::vector<int32_t> list;
  Status s = r.ReadStruct("Test", [&](const FieldHeader& f) { return r.ReadList(f, &list); });
  ASSERT_TRUE(s.ok()) << s.ToString();
  ASSERT_EQ(list.size(), 15u);
  for (int i = 0; i < 15; i++) EXPECT_EQ(list[i], i);
}

// A struct holding known fields 1 (i32 5) and 20 (i64 2) around unknown fields of every
// type, nested ones included. Built by hand from the specification.
std::string StructWithUnknownFieldsOfEveryType() {
  // clang-format off
  return Bytes({
      0x15, 0x0A,                                      // 1: i32 5
      0x11,                                            // 2: bool true (no value bytes)
      0x13, 0x7F,                                      // 3: i8
      0x14, 0xD7, 0x04,                                // 4: i16 -300
      0x15, 0x80, 0x01,                                // 5: i32 64
      0x16, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,  // 6: i64 min ...
      0xFF, 0xFF, 0x01,                                //    ... (10 bytes)
      0x17, 1, 2, 3, 4, 5, 6, 7, 8,                    // 7: double
      0x18, 0x02, 'h', 'i',                            // 8: binary "hi"
      0x19, 0x25, 0x02, 0x04,                          // 9: list<i32> [1, 2]
      0x1A, 0x18, 0x01, 'x',                           // 10: set<binary> {"x"}
      0x1B, 0x01, 0x5C, 0x02, 0x15, 0x02, 0x00,        // 11: map<i32, struct> {1: {1: 1}}
      0x1C,                                            // 12: struct {
      0x11,                                            //   1: bool true
      0x19, 0x1C, 0x00,                                //   2: list<struct> [{}]
      0x1B, 0x00,                                      //   3: empty map
      0x00,                                            // }
      0x1D, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15,  // 13: uuid
      0x19, 0x21, 0x01, 0x02,                          // 14: list<bool> [true, false]
      0x19, 0x19, 0x16, 0x02,                          // 15: list<list<i64>> [[1]]
      0x19, 0x07,                                      // 16: empty list<double>
      0x0C, 0xC8, 0x01, 0x00,                          // 100 (long form): struct {}
      0x06, 0x28, 0x04,                                // 20 (long form, backwards): i64 2
      0x00,                                            // STOP
  });
  // clang-format on
}

TEST(ThriftCompactReaderTest, SkipsUnknownFieldsOfEveryType) {
  const std::string bytes = StructWithUnknownFieldsOfEveryType();
  CompactReader r(bytes, "test", 0);
  int32_t one = 0;
  int64_t twenty = 0;
  std::vector<int16_t> skipped;
  Status s = r.ReadStruct("Test", [&](const FieldHeader& f) -> Status {
    if (f.id == 1) return r.Read(f, &one);
    if (f.id == 20) return r.Read(f, &twenty);
    skipped.push_back(f.id);
    return r.Skip(f);
  });
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(one, 5);
  EXPECT_EQ(twenty, 2);
  EXPECT_EQ(r.position(), bytes.size());
  EXPECT_EQ(skipped,
            (std::vector<int16_t>{2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 100}));
}

TEST(ThriftCompactReaderTest, EveryTruncationIsCorruption) {
  const std::string bytes = StructWithUnknownFieldsOfEveryType();
  for (size_t n = 0; n < bytes.size(); n++) {
    // A copy of exactly n bytes, so a sanitizer sees any read past the span.
    const std::string prefix = bytes.substr(0, n);
    ReadResult r = ReadIntegers(prefix);
    EXPECT_TRUE(r.status.IsCorruption()) << "prefix " << n << ": " << r.status.ToString();
  }
}

TEST(ThriftCompactReaderTest, ErrorNamesContextAndAbsoluteOffset) {
  // Field 1 claims i32 but the varint is cut off after one continuation byte.
  const std::string bytes = Bytes({0x15, 0x80});
  CompactReader r(bytes, "parquet footer of /x/y.parquet", 12343);
  Status s = r.ReadStruct("Test", [&](const FieldHeader& f) {
    int32_t v;
    return r.Read(f, &v);
  });
  EXPECT_TRUE(s.IsCorruption());
  EXPECT_EQ(s.message(),
            "parquet footer of /x/y.parquet: truncated or overlong varint at byte 12344");
}

TEST(ThriftCompactReaderTest, TypeMismatchIsCorruption) {
  const std::string bytes = Bytes({0x18, 0x01, 'a', 0x00});  // 1: binary, read as i32
  CompactReader r(bytes, "ctx", 0);
  Status s = r.ReadStruct("Test", [&](const FieldHeader& f) {
    int32_t v;
    return r.Read(f, &v);
  });
  EXPECT_TRUE(s.IsCorruption());
  EXPECT_EQ(s.message(), "ctx: field 1 of Test has type binary, expected i32 at byte 0");
}

TEST(ThriftCompactReaderTest, ListOfWrongElementTypeIsCorruption) {
  const std::string bytes = Bytes({0x19, 0x16, 0x02, 0x00});  // list<i64> read as list<i32>
  CompactReader r(bytes, "ctx", 0);
  std::vector<int32_t> list;
  Status s = r.ReadStruct("Test", [&](const FieldHeader& f) { return r.ReadList(f, &list); });
  EXPECT_TRUE(s.IsCorruption());
  EXPECT_NE(s.message().find("list of i64, expected a list of i32"), std::string::npos);
}

TEST(ThriftCompactReaderTest, InvalidTypeCodesAreCorruption) {
  for (int type : {0x0E, 0x0F}) {
    ReadResult r = ReadIntegers(Bytes({0x10 | type, 0x00}));
    EXPECT_TRUE(r.status.IsCorruption()) << type;
  }
  // Delta 1 with type 0 is not a STOP byte.
  EXPECT_TRUE(ReadIntegers(Bytes({0x10, 0x00})).status.IsCorruption());
  // An unknown list element type, skipped.
  EXPECT_TRUE(ReadIntegers(Bytes({0x19, 0x1E, 0x00, 0x00})).status.IsCorruption());
  // Map key type 0.
  EXPECT_TRUE(ReadIntegers(Bytes({0x1B, 0x01, 0x05, 0x00, 0x00})).status.IsCorruption());
}

TEST(ThriftCompactReaderTest, OverlongVarintsAreCorruption) {
  // i32 with a sixth byte; i64 with an eleventh; an i32 whose fifth byte overflows 32 bits.
  EXPECT_TRUE(
      ReadIntegers(Bytes({0x15, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01, 0x00})).status.IsCorruption());
  EXPECT_TRUE(ReadIntegers(Bytes({0x16, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80,
                                  0x01, 0x00}))
                  .status.IsCorruption());
  EXPECT_TRUE(
      ReadIntegers(Bytes({0x15, 0xFF, 0xFF, 0xFF, 0xFF, 0x1F, 0x00})).status.IsCorruption());
}

TEST(ThriftCompactReaderTest, OutOfRangeI16IsCorruption) {
  // An i16 field holding zigzag 65536 (= 32768), and a long-form field id of 40000.
  EXPECT_TRUE(ReadIntegers(Bytes({0x14, 0x80, 0x80, 0x04, 0x00})).status.IsCorruption());
  EXPECT_TRUE(ReadIntegers(Bytes({0x05, 0x80, 0xF1, 0x04, 0x02, 0x00})).status.IsCorruption());
}

TEST(ThriftCompactReaderTest, FieldIdOverflowThroughDeltaIsCorruption) {
  // Field 32767 in long form (zigzag 65534 = fe ff 03), then a short header adding 1.
  ReadResult r = ReadIntegers(Bytes({0x05, 0xFE, 0xFF, 0x03, 0x02, 0x15, 0x02, 0x00}));
  EXPECT_TRUE(r.status.IsCorruption());
  EXPECT_NE(r.status.message().find("field id overflows i16"), std::string::npos);
}

TEST(ThriftCompactReaderTest, HugeListCountRejectedBeforeAllocation) {
  // A 10-byte struct whose field 1 claims 2^31 i32 elements, then 2^31 - 1, then 2^28.
  for (const std::string& bytes :
       {Bytes({0x19, 0xF5, 0x80, 0x80, 0x80, 0x80, 0x08, 0x02, 0x02, 0x00}),
        Bytes({0x19, 0xF5, 0xFF, 0xFF, 0xFF, 0xFF, 0x07, 0x02, 0x02, 0x00}),
        Bytes({0x19, 0xF5, 0x80, 0x80, 0x80, 0x80, 0x01, 0x02, 0x02, 0x00})}) {
    ASSERT_EQ(bytes.size(), 10u);
    CompactReader r(bytes, "ctx", 0);
    std::vector<int32_t> list;
    Status s = r.ReadStruct("Test", [&](const FieldHeader& f) { return r.ReadList(f, &list); });
    EXPECT_TRUE(s.IsCorruption());
    EXPECT_NE(s.message().find("bytes remain at byte 1"), std::string::npos) << s.ToString();
    EXPECT_EQ(list.capacity(), 0u);  // nothing was reserved
    // Skipping the same list is rejected just as early.
    EXPECT_TRUE(ReadIntegers(bytes).status.IsCorruption());
  }
}

TEST(ThriftCompactReaderTest, ListOfDoublesBoundedByEightBytesPerElement) {
  // 2 doubles claimed, 9 bytes left: would pass a 1-byte-per-element bound, not this one.
  const std::string bytes = Bytes({0x19, 0x27, 0, 0, 0, 0, 0, 0, 0, 0, 0x00});
  ReadResult r = ReadIntegers(bytes);
  EXPECT_TRUE(r.status.IsCorruption());
  EXPECT_NE(r.status.message().find("list of 2 double elements"), std::string::npos);
}

TEST(ThriftCompactReaderTest, HugeBinaryLengthRejected) {
  const std::string bytes = Bytes({0x18, 0xFF, 0xFF, 0xFF, 0xFF, 0x07, 'a', 0x00});
  CompactReader r(bytes, "ctx", 0);
  std::string v;
  Status s = r.ReadStruct("Test", [&](const FieldHeader& f) { return r.Read(f, &v); });
  EXPECT_TRUE(s.IsCorruption());
  EXPECT_NE(s.message().find("binary of 2147483647 bytes but only 2 remain at byte 1"),
            std::string::npos)
      << s.ToString();
  EXPECT_TRUE(v.empty());
}

TEST(ThriftCompactReaderTest, HugeMapCountRejected) {
  EXPECT_TRUE(ReadIntegers(Bytes({0x1B, 0xFF, 0xFF, 0xFF, 0xFF, 0x07, 0x55, 0x02, 0x02, 0x00}))
                  .status.IsCorruption());
}

// n levels of nested structs inside field 1 of the top-level struct.
std::string NestedStructs(int n) {
  std::string bytes;
  for (int i = 0; i < n; i++) bytes.push_back(0x1C);  // field 1: struct
  bytes.append(n + 1, '\0');                          // n inner STOPs and the outer one
  return bytes;
}

TEST(ThriftCompactReaderTest, NestingUpToTheLimitIsSkipped) {
  // The top-level struct is level 1, so kMaxDepth - 1 nested structs are the most allowed.
  ReadResult r = ReadIntegers(NestedStructs(CompactReader::kMaxDepth - 1));
  EXPECT_TRUE(r.status.ok()) << r.status.ToString();
  r = ReadIntegers(NestedStructs(CompactReader::kMaxDepth));
  EXPECT_TRUE(r.status.IsCorruption());
  EXPECT_NE(r.status.message().find("nesting deeper than 64 levels"), std::string::npos);
}

TEST(ThriftCompactReaderTest, DepthBombsAreRejected) {
  // A million nested structs, and a million nested single-element lists of lists.
  EXPECT_TRUE(ReadIntegers(NestedStructs(1000000)).status.IsCorruption());
  std::string lists = Bytes({0x19});
  lists.append(1000000, static_cast<char>(0x19));  // list of 1 list, ...
  lists.append(2, '\0');
  EXPECT_TRUE(ReadIntegers(lists).status.IsCorruption());
  // Maps of maps: {1: {1: ...}}, size 1, key i32, value map.
  std::string maps = Bytes({0x1B});
  for (int i = 0; i < 100000; i++) maps.append(Bytes({0x01, 0x5B, 0x02}));
  maps.append(2, '\0');
  EXPECT_TRUE(ReadIntegers(maps).status.IsCorruption());
}

TEST(ThriftCompactReaderTest, MissingStopIsCorruption) {
  ReadResult r = ReadIntegers(Bytes({0x15, 0x02}));
  EXPECT_TRUE(r.status.IsCorruption());
  EXPECT_EQ(r.status.message(), "test: unexpected end of input inside Test at byte 2");
}

TEST(ThriftCompactRoundTripTest, WriterOutputReadsBack) {
  std::string bytes = WriteStruct([](CompactWriter* w) {
    w->I32Field(3, -7);
    w->I64Field(200, int64_t{1} << 50);
    w->I16Field(-5, 300);
    w->FieldBegin(1, ThriftType::kList);
    w->ListBegin(ThriftType::kBinary, 20);
    for (int i = 0; i < 20; i++) w->Binary(std::string(i, 'z'));
  });
  CompactReader r(bytes, "test", 0);
  int32_t a = 0;
  int64_t b = 0;
  int16_t c = 0;
  std::vector<std::string> list;
  Status s = r.ReadStruct("Test", [&](const FieldHeader& f) -> Status {
    switch (f.id) {
      case 3:
        return r.Read(f, &a);
      case 200:
        return r.Read(f, &b);
      case -5:
        return r.Read(f, &c);
      case 1:
        return r.ReadList(f, &list);
      default:
        return r.Skip(f);
    }
  });
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(a, -7);
  EXPECT_EQ(b, int64_t{1} << 50);
  EXPECT_EQ(c, 300);
  ASSERT_EQ(list.size(), 20u);
  EXPECT_EQ(list[19], std::string(19, 'z'));
}

}  // namespace
}  // namespace strata::parquet
