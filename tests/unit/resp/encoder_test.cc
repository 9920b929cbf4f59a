// Encode(): the bytes of every type in RESP3, and in RESP2 the forms Redis 7.0 degrades RESP3
// replies to (networking.c: addReplyNull, addReplyNullArray, addReplyBool, addReplyDouble,
// addReplyBigNum, addReplyVerbatim, addReplyMapLen, addReplySetLen), written out by hand.
#include "resp/encoder.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>

#include "resp_test_util.h"

namespace strata::resp {
namespace {

std::string Enc(const Value& v, Protocol protocol) {
  std::string out;
  Status s = Encode(v, protocol, &out);
  EXPECT_TRUE(s.ok()) << s.ToString();
  return out;
}
std::string R2(const Value& v) { return Enc(v, Protocol::kResp2); }
std::string R3(const Value& v) { return Enc(v, Protocol::kResp3); }

const double kInf = std::numeric_limits<double>::infinity();

TEST(EncoderTest, Resp2TypesAreTheSameInBothProtocols) {
  const std::pair<Value, std::string> cases[] = {
      {Value::SimpleString("OK"), "+OK\r\n"},
      {Value::SimpleError("ERR no"), "-ERR no\r\n"},
      {Value::Integer(-42), ":-42\r\n"},
      {Value::Integer(INT64_MIN), ":-9223372036854775808\r\n"},
      {Value::BulkString(std::string("a\r\n\0", 4)), std::string("$4\r\na\r\n\0\r\n", 10)},
      {Value::BulkString(""), "$0\r\n\r\n"},
      {Value::Array({}), "*0\r\n"},
      {Value::Array({Value::BulkString("foo"), Value::Array({Value::Integer(1)})}),
       "*2\r\n$3\r\nfoo\r\n*1\r\n:1\r\n"},
  };
  for (const auto& [value, bytes] : cases) {
    EXPECT_EQ(R2(value), bytes) << value.Summary();
    EXPECT_EQ(R3(value), bytes) << value.Summary();
  }
}

TEST(EncoderTest, Resp3Types) {
  EXPECT_EQ(R3(Value::Null()), "_\r\n");
  EXPECT_EQ(R3(Value::NullArray()), "_\r\n");  // RESP3 has one null
  EXPECT_EQ(R3(Value::Boolean(true)), "#t\r\n");
  EXPECT_EQ(R3(Value::Boolean(false)), "#f\r\n");
  EXPECT_EQ(R3(Value::Double(1.5)), ",1.5\r\n");
  EXPECT_EQ(R3(Value::Double(3.141)), ",3.141\r\n");
  EXPECT_EQ(R3(Value::Double(0.1)), ",0.10000000000000001\r\n");  // "%.17g", as Redis 7.0
  EXPECT_EQ(R3(Value::Double(-2)), ",-2\r\n");
  EXPECT_EQ(R3(Value::Double(1e300)), ",1.0000000000000001e+300\r\n");
  EXPECT_EQ(R3(Value::Double(kInf)), ",inf\r\n");
  EXPECT_EQ(R3(Value::Double(-kInf)), ",-inf\r\n");
  EXPECT_EQ(R3(Value::Double(std::nan(""))), ",nan\r\n");
  EXPECT_EQ(R3(Value::BigNumber("1234567999999999999999999999999999999")),
            "(1234567999999999999999999999999999999\r\n");
  EXPECT_EQ(R3(Value::BulkError("SYNTAX invalid\r\nsyntax")),
            "!22\r\nSYNTAX invalid\r\nsyntax\r\n");
  EXPECT_EQ(R3(Value::Verbatim("txt", "This is a verbatim\nstring")),
            "=29\r\ntxt:This is a verbatim\nstring\r\n");
  EXPECT_EQ(R3(Value::Map({Value::Integer(0), Value::Boolean(false), Value::Integer(1),
                           Value::Boolean(true)})),
            "%2\r\n:0\r\n#f\r\n:1\r\n#t\r\n");
  EXPECT_EQ(R3(Value::Set({Value::Integer(0), Value::Integer(1)})), "~2\r\n:0\r\n:1\r\n");
  EXPECT_EQ(R3(Value::Push({Value::BulkString("server-cpu-usage"), Value::Integer(42)})),
            ">2\r\n$16\r\nserver-cpu-usage\r\n:42\r\n");
}

TEST(EncoderTest, AttributesGoBeforeTheirValueInResp3AndNowhereInResp2) {
  const Value v = Value::BulkString("Some real reply following the attribute")
                      .WithAttribute(Value::Attribute(
                          {Value::BulkString("key-popularity"),
                           Value::Array({Value::BulkString("key:123"), Value::Integer(90)})}));
  EXPECT_EQ(R3(v),
            "|1\r\n$14\r\nkey-popularity\r\n*2\r\n$7\r\nkey:123\r\n:90\r\n"
            "$39\r\nSome real reply following the attribute\r\n");
  EXPECT_EQ(R2(v), "$39\r\nSome real reply following the attribute\r\n");

  // An attribute of an attribute goes first; a nested value's attribute sits right before it.
  const Value nested = Value::Array({Value::Integer(2).WithAttribute(
      Value::Attribute({Value::SimpleString("a"), Value::Integer(1)})
          .WithAttribute(Value::Attribute({})))});
  EXPECT_EQ(R3(nested), "*1\r\n|0\r\n|1\r\n+a\r\n:1\r\n:2\r\n");
  EXPECT_EQ(R2(nested), "*1\r\n:2\r\n");
}

TEST(EncoderTest, Resp3TypesDegradeForResp2AsRedisDoes) {
  EXPECT_EQ(R2(Value::Null()), "$-1\r\n");       // addReplyNull
  EXPECT_EQ(R2(Value::NullArray()), "*-1\r\n");  // addReplyNullArray
  EXPECT_EQ(R2(Value::Boolean(true)), ":1\r\n");
  EXPECT_EQ(R2(Value::Boolean(false)), ":0\r\n");
  EXPECT_EQ(R2(Value::Double(1.5)), "$3\r\n1.5\r\n");
  EXPECT_EQ(R2(Value::Double(0.1)), "$19\r\n0.10000000000000001\r\n");
  EXPECT_EQ(R2(Value::Double(kInf)), "$3\r\ninf\r\n");
  EXPECT_EQ(R2(Value::Double(-kInf)), "$4\r\n-inf\r\n");
  EXPECT_EQ(R2(Value::BigNumber("-123456789012345678901234567890")),
            "$31\r\n-123456789012345678901234567890\r\n");
  EXPECT_EQ(R2(Value::Verbatim("txt", "This is a verbatim\nstring")),
            "$25\r\nThis is a verbatim\nstring\r\n");
  // Redis never sends '!'; a RESP2 error is a line, so its line breaks become spaces.
  EXPECT_EQ(R2(Value::BulkError("SYNTAX invalid\r\nsyntax")), "-SYNTAX invalid  syntax\r\n");
  // A map becomes a flat array of its keys and values (HGETALL in RESP2).
  EXPECT_EQ(R2(Value::Map({Value::BulkString("f1"), Value::BulkString("v1"),
                           Value::BulkString("f2"), Value::BulkString("v2")})),
            "*4\r\n$2\r\nf1\r\n$2\r\nv1\r\n$2\r\nf2\r\n$2\r\nv2\r\n");
  EXPECT_EQ(R2(Value::Set({Value::BulkString("a")})), "*1\r\n$1\r\na\r\n");
  // A pub/sub message is an array for a RESP2 subscriber.
  EXPECT_EQ(R2(Value::Push(
                {Value::BulkString("message"), Value::BulkString("ch"), Value::BulkString("hi")})),
            "*3\r\n$7\r\nmessage\r\n$2\r\nch\r\n$2\r\nhi\r\n");
  // Degrading reaches inside aggregates.
  EXPECT_EQ(
      R2(Value::Array({Value::Map({Value::Integer(1), Value::Null()}), Value::Boolean(true)})),
      "*2\r\n*2\r\n:1\r\n$-1\r\n:1\r\n");
}

TEST(EncoderTest, CommandsAreArraysOfBulkStrings) {
  std::string out = "previous";
  EncodeCommand({"SET", "k", std::string("v\r\n\0", 4)}, &out);
  EXPECT_EQ(out, std::string("previous*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$4\r\nv\r\n\0\r\n", 38));
  out.clear();
  EncodeCommand({}, &out);
  EXPECT_EQ(out, "*0\r\n");
}

// Values that cannot be written fail naming where they sit, and leave the output as it was.
void ExpectInvalid(const Value& v, const std::string& message) {
  for (Protocol p : {Protocol::kResp2, Protocol::kResp3}) {
    std::string out = "kept";
    Status s = Encode(v, p, &out);
    ASSERT_FALSE(s.ok()) << message;
    EXPECT_TRUE(s.IsInvalidArgument());
    EXPECT_EQ(s.message(), message);
    EXPECT_EQ(out, "kept");
  }
}

TEST(EncoderTest, UnwritableValues) {
  ExpectInvalid(Value::SimpleString("a\r\nb"),
                "cannot encode value: a simple string holding CR or LF (byte 1)");
  ExpectInvalid(Value::Array({Value::Integer(1), Value::SimpleError("x\ny")}),
                "cannot encode value[1]: a simple error holding CR or LF (byte 1)");
  ExpectInvalid(Value::BigNumber("12x"),
                "cannot encode value: a big number \"12x\" that is not a decimal integer");
  ExpectInvalid(Value::BigNumber(""),
                "cannot encode value: a big number \"\" that is not a decimal integer");
  ExpectInvalid(Value::Verbatim("text", "x"),
                "cannot encode value: a verbatim string with the 4-byte format \"text\" (it must "
                "have 3)");
  ExpectInvalid(Value::Map({Value::Integer(1)}),
                "cannot encode value: a map of 1 elements (keys and values come in pairs)");
  ExpectInvalid(Value::Attribute({}),
                "cannot encode value: an attribute on its own: it is written with the value it "
                "annotates (Value::attribute)");
  ExpectInvalid(Value::Integer(1).WithAttribute(Value::Array({})),
                "cannot encode value.attribute: an attribute of type array");
  ExpectInvalid(Value::Set({Value::Integer(1).WithAttribute(
                    Value::Attribute({Value::SimpleString("bad\r")}))}),
                "cannot encode value[0].attribute: an attribute of 1 elements (keys and values "
                "come in pairs)");
}

}  // namespace
}  // namespace strata::resp
