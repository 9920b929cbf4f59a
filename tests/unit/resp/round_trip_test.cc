// Encoder -> parser: every type written in RESP3 reads back as itself, alone and nested, with
// attributes; RESP2 types read back as themselves from RESP2, and RESP3 types read back from
// RESP2 as the degraded values written out here by hand.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "resp/encoder.h"
#include "resp/parser.h"
#include "resp_test_util.h"

namespace strata::resp {
namespace {

// One value of each type.
std::vector<Value> EveryType() {
  return {
      Value::SimpleString("OK"),
      Value::SimpleString(""),
      Value::SimpleError("ERR wrong number of arguments"),
      Value::Integer(0),
      Value::Integer(INT64_MIN),
      Value::Integer(INT64_MAX),
      Value::BulkString(std::string("\0\r\n\xff bytes", 10)),
      Value::BulkString(""),
      Value::Array({}),
      Value::Array({Value::Integer(1), Value::BulkString("two")}),
      Value::Null(),
      Value::Boolean(true),
      Value::Boolean(false),
      Value::Double(0.1),
      Value::Double(-1e-300),
      Value::Double(123456789.125),
      Value::Double(std::numeric_limits<double>::infinity()),
      Value::Double(-std::numeric_limits<double>::infinity()),
      Value::Double(std::nan("")),
      Value::Double(std::numeric_limits<double>::denorm_min()),
      Value::Double(std::numeric_limits<double>::max()),
      Value::BigNumber("3492890328409238509324850943850943825024385"),
      Value::BigNumber("-1"),
      Value::BulkError("SYNTAX invalid\r\nsyntax"),
      Value::Verbatim("txt", "Some string\r\nwith lines"),
      Value::Verbatim("mkd", ""),
      Value::Map({Value::BulkString("k"), Value::Integer(1), Value::Integer(2), Value::Null()}),
      Value::Map({}),
      Value::Set({Value::BulkString("a"), Value::Double(2.5)}),
      Value::Push(
          {Value::BulkString("message"), Value::BulkString("ch"), Value::BulkString("payload")}),
  };
}

Value ParseOne(const std::string& bytes) {
  const test::Parsed p = test::ParseEverySplit(bytes);
  EXPECT_EQ(p.error, "");
  EXPECT_EQ(p.left_over, 0u);
  EXPECT_EQ(p.values.size(), 1u);
  return p.values.empty() ? Value() : p.values[0];
}

Value ThroughResp3(const Value& v) {
  std::string bytes;
  Status s = Encode(v, Protocol::kResp3, &bytes);
  EXPECT_TRUE(s.ok()) << s.ToString();
  return ParseOne(bytes);
}

Value ThroughResp2(const Value& v) {
  std::string bytes;
  Status s = Encode(v, Protocol::kResp2, &bytes);
  EXPECT_TRUE(s.ok()) << s.ToString();
  return ParseOne(bytes);
}

TEST(RoundTripTest, EveryTypeThroughResp3) {
  for (const Value& v : EveryType()) {
    EXPECT_EQ(ThroughResp3(v), v) << v.Summary();
  }
  // RESP3 has one null: a RESP2 null array comes back as the null.
  EXPECT_EQ(ThroughResp3(Value::NullArray()), Value::Null());
}

TEST(RoundTripTest, EveryTypeNestedWithAttributesThroughResp3) {
  const Value attribute =
      Value::Attribute({Value::BulkString("key-popularity"), Value::Integer(9)});
  std::vector<Value> with_attributes;
  for (const Value& v : EveryType()) {
    with_attributes.push_back(Value(v).WithAttribute(attribute));
  }
  const Value everything = Value::Array({
      Value::Array(EveryType()),
      Value::Set(EveryType()),
      Value::Push(with_attributes),
      Value::Map({Value::Array(EveryType()), Value::Map({Value::Null(), Value::Set({})})}),
  });
  EXPECT_EQ(ThroughResp3(everything), everything);
  const Value annotated =
      Value(everything)
          .WithAttribute(Value::Attribute({Value::Integer(1), Value(everything)})
                             .WithAttribute(Value::Attribute({})));
  EXPECT_EQ(ThroughResp3(annotated), annotated);
}

TEST(RoundTripTest, Resp2TypesThroughResp2) {
  const std::vector<Value> resp2 = {
      Value::SimpleString("PONG"),
      Value::SimpleError("NOAUTH Authentication required."),
      Value::Integer(-7),
      Value::BulkString(std::string("\0\r\n", 3)),
      Value::Null(),
      Value::NullArray(),
      Value::Array({Value::Array({Value::NullArray(), Value::Null()}), Value::Integer(3)}),
  };
  for (const Value& v : resp2) {
    EXPECT_EQ(ThroughResp2(v), v) << v.Summary();
  }
}

TEST(RoundTripTest, Resp3TypesComeBackFromResp2Degraded) {
  const std::pair<Value, Value> cases[] = {
      {Value::Boolean(true), Value::Integer(1)},
      {Value::Boolean(false), Value::Integer(0)},
      {Value::Double(1.5), Value::BulkString("1.5")},
      {Value::Double(-std::numeric_limits<double>::infinity()), Value::BulkString("-inf")},
      {Value::BigNumber("-99999999999999999999"), Value::BulkString("-99999999999999999999")},
      {Value::BulkError("ERR a\nb"), Value::SimpleError("ERR a b")},
      {Value::Verbatim("txt", "# Server\r\nredis_version:7.0"),
       Value::BulkString("# Server\r\nredis_version:7.0")},
      {Value::Map({Value::BulkString("f"), Value::Boolean(true)}),
       Value::Array({Value::BulkString("f"), Value::Integer(1)})},
      {Value::Set({Value::Double(2)}), Value::Array({Value::BulkString("2")})},
      {Value::Push({Value::BulkString("message")}), Value::Array({Value::BulkString("message")})},
      {Value::Integer(5).WithAttribute(Value::Attribute({Value::Integer(1), Value::Integer(2)})),
       Value::Integer(5)},
  };
  for (const auto& [resp3, resp2] : cases) {
    EXPECT_EQ(ThroughResp2(resp3), resp2) << resp3.Summary();
  }
}

}  // namespace
}  // namespace strata::resp
