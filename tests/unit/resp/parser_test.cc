// Parser on hand-written bytes: every RESP2 and RESP3 type, nesting, attributes, nulls;
// every stream parsed the same whichever way its bytes are split; malformed input and each
// limit rejected with an error naming the byte offset, before anything is allocated.
#include "resp/parser.h"

#include <gtest/gtest.h>

#include <atomic>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <new>
#include <string>

#include "resp_test_util.h"

// The largest single allocation while g_probe is on: shows that an announced length costs
// nothing until its bytes arrive. Replaces the global operator new of this test binary.
namespace {
std::atomic<bool> g_probe{false};
std::atomic<size_t> g_largest{0};
}  // namespace

// Not inlined: g++ would otherwise pair the free() below with the new-expressions it is
// inlined into and warn of a mismatch that is not there.
[[gnu::noinline]] void* operator new(size_t size) {
  if (g_probe.load(std::memory_order_relaxed)) {
    size_t seen = g_largest.load(std::memory_order_relaxed);
    while (size > seen && !g_largest.compare_exchange_weak(seen, size)) {
    }
  }
  void* p = std::malloc(size == 0 ? 1 : size);
  if (p == nullptr) throw std::bad_alloc();
  return p;
}
[[gnu::noinline]] void operator delete(void* p) noexcept { std::free(p); }
[[gnu::noinline]] void operator delete(void* p, size_t) noexcept { std::free(p); }

namespace strata::resp {
namespace {

using test::ParseAll;
using test::Parsed;
using test::ParseEverySplit;

// The one value a stream holds, checked to parse the same every way it can be split.
Value One(const std::string& bytes) {
  Parsed p = ParseEverySplit(bytes);
  EXPECT_EQ(p.error, "");
  EXPECT_EQ(p.left_over, 0u);
  EXPECT_EQ(p.values.size(), 1u);
  return p.values.empty() ? Value() : p.values[0];
}

TEST(ParserTest, Resp2Types) {
  EXPECT_EQ(One("+OK\r\n"), Value::SimpleString("OK"));
  EXPECT_EQ(One("+\r\n"), Value::SimpleString(""));
  EXPECT_EQ(One("-ERR unknown command 'FOO'\r\n"), Value::SimpleError("ERR unknown command 'FOO'"));
  EXPECT_EQ(One(":0\r\n"), Value::Integer(0));
  EXPECT_EQ(One(":-42\r\n"), Value::Integer(-42));
  EXPECT_EQ(One(":9223372036854775807\r\n"), Value::Integer(INT64_MAX));
  EXPECT_EQ(One(":-9223372036854775808\r\n"), Value::Integer(INT64_MIN));
  EXPECT_EQ(One("$5\r\nhello\r\n"), Value::BulkString("hello"));
  EXPECT_EQ(One("$0\r\n\r\n"), Value::BulkString(""));
  // Binary bytes, CRLF included, are data.
  EXPECT_EQ(One(std::string("$6\r\na\r\n\0\xff"
                            "b\r\n",
                            12)),
            Value::BulkString(std::string("a\r\n\0\xff"
                                          "b",
                                          6)));
  EXPECT_EQ(One("*0\r\n"), Value::Array({}));
  EXPECT_EQ(One("*2\r\n$3\r\nfoo\r\n:7\r\n"),
            Value::Array({Value::BulkString("foo"), Value::Integer(7)}));
}

TEST(ParserTest, Resp2NullsRememberTheirKind) {
  const Value bulk = One("$-1\r\n");
  EXPECT_TRUE(bulk.is_null());
  EXPECT_FALSE(bulk.null_array);
  const Value array = One("*-1\r\n");
  EXPECT_TRUE(array.is_null());
  EXPECT_TRUE(array.null_array);
  EXPECT_EQ(bulk, Value::Null());
  EXPECT_EQ(array, Value::NullArray());
}

TEST(ParserTest, Resp3Types) {
  EXPECT_EQ(One("_\r\n"), Value::Null());
  EXPECT_EQ(One("#t\r\n"), Value::Boolean(true));
  EXPECT_EQ(One("#f\r\n"), Value::Boolean(false));
  EXPECT_EQ(One(",3.141\r\n"), Value::Double(3.141));
  EXPECT_EQ(One(",-1.5\r\n"), Value::Double(-1.5));
  EXPECT_EQ(One(",+2\r\n"), Value::Double(2));
  EXPECT_EQ(One(",1.5e3\r\n"), Value::Double(1500));
  EXPECT_EQ(One(",1E-2\r\n"), Value::Double(0.01));
  EXPECT_EQ(One(",10\r\n"), Value::Double(10));
  EXPECT_EQ(One(",inf\r\n"), Value::Double(std::numeric_limits<double>::infinity()));
  EXPECT_EQ(One(",-inf\r\n"), Value::Double(-std::numeric_limits<double>::infinity()));
  const Value nan = One(",nan\r\n");
  EXPECT_EQ(nan.type, Type::kDouble);
  EXPECT_TRUE(std::isnan(nan.number));
  EXPECT_EQ(One("(3492890328409238509324850943850943825024385\r\n"),
            Value::BigNumber("3492890328409238509324850943850943825024385"));
  EXPECT_EQ(One("(-7\r\n"), Value::BigNumber("-7"));
  EXPECT_EQ(One("!21\r\nSYNTAX invalid syntax\r\n"), Value::BulkError("SYNTAX invalid syntax"));
  EXPECT_EQ(One("!0\r\n\r\n"), Value::BulkError(""));
  EXPECT_EQ(One("=15\r\ntxt:Some string\r\n"), Value::Verbatim("txt", "Some string"));
  EXPECT_EQ(One("=4\r\nmkd:\r\n"), Value::Verbatim("mkd", ""));
  EXPECT_EQ(One("%2\r\n+first\r\n:1\r\n+second\r\n:2\r\n"),
            Value::Map({Value::SimpleString("first"), Value::Integer(1),
                        Value::SimpleString("second"), Value::Integer(2)}));
  EXPECT_EQ(One("%0\r\n"), Value::Map({}));
  EXPECT_EQ(One("~3\r\n+orange\r\n+apple\r\n#t\r\n"),
            Value::Set({Value::SimpleString("orange"), Value::SimpleString("apple"),
                        Value::Boolean(true)}));
  EXPECT_EQ(One(">3\r\n$7\r\nmessage\r\n$2\r\nch\r\n$5\r\nhello\r\n"),
            Value::Push({Value::BulkString("message"), Value::BulkString("ch"),
                         Value::BulkString("hello")}));
}

TEST(ParserTest, ErrorsAreValuesNotFailures) {
  const Value simple = One("-WRONGTYPE Operation against a key\r\n");
  EXPECT_TRUE(simple.is_error());
  EXPECT_EQ(simple.text, "WRONGTYPE Operation against a key");
  const Value bulk = One("!9\r\nERR\r\nline\r\n");
  EXPECT_TRUE(bulk.is_error());
  EXPECT_EQ(bulk.text, "ERR\r\nline");
}

TEST(ParserTest, NestedAggregates) {
  const Value v =
      One("*4\r\n"
          ":1\r\n"
          "*2\r\n$3\r\nfoo\r\n*0\r\n"
          "$-1\r\n"
          "*1\r\n%1\r\n~1\r\n:5\r\n-ERR deep\r\n");
  const Value expected = Value::Array({
      Value::Integer(1),
      Value::Array({Value::BulkString("foo"), Value::Array({})}),
      Value::Null(),
      Value::Array({Value::Map({Value::Set({Value::Integer(5)}), Value::SimpleError("ERR deep")})}),
  });
  EXPECT_EQ(v, expected);
  EXPECT_EQ(v.Summary(), "[array of 4]");
}

TEST(ParserTest, AttributesAnnotateTheValueAfterThem) {
  // DEBUG PROTOCOL attrib, as Redis sends it to a RESP3 client.
  const Value v =
      One("|1\r\n$14\r\nkey-popularity\r\n*2\r\n$7\r\nkey:123\r\n:90\r\n"
          "$39\r\nSome real reply following the attribute\r\n");
  EXPECT_EQ(v.type, Type::kBulkString);
  EXPECT_EQ(v.text, "Some real reply following the attribute");
  ASSERT_NE(v.attribute, nullptr);
  EXPECT_EQ(*v.attribute,
            Value::Attribute({Value::BulkString("key-popularity"),
                              Value::Array({Value::BulkString("key:123"), Value::Integer(90)})}));

  // Inside an aggregate an attribute is not an element: the array below has two. An
  // attribute before another attribute annotates that one.
  const Value nested =
      One("*2\r\n"
          "|1\r\n+ttl\r\n:3600\r\n+a\r\n"
          "|0\r\n|1\r\n+x\r\n:1\r\n"
          "%1\r\n+k\r\n_\r\n");
  const Value expected = Value::Array({
      Value::SimpleString("a").WithAttribute(
          Value::Attribute({Value::SimpleString("ttl"), Value::Integer(3600)})),
      Value::Map({Value::SimpleString("k"), Value::Null()})
          .WithAttribute(Value::Attribute({Value::SimpleString("x"), Value::Integer(1)})
                             .WithAttribute(Value::Attribute({}))),
  });
  EXPECT_EQ(nested, expected);
}

TEST(ParserTest, AttributeOfANestedValueIsItsOwn) {
  // "*1 |1 +a :1 :2": the attribute belongs to the integer 2, not to the array.
  const Value v = One("*1\r\n|1\r\n+a\r\n:1\r\n:2\r\n");
  EXPECT_EQ(v, Value::Array({Value::Integer(2).WithAttribute(
                   Value::Attribute({Value::SimpleString("a"), Value::Integer(1)}))}));
  EXPECT_EQ(v.attribute, nullptr);
}

TEST(ParserTest, PipelinedValuesComeOutInOrder) {
  const std::string stream =
      "+OK\r\n:5\r\n$2\r\nab\r\n>2\r\n+invalidate\r\n*1\r\n$1\r\nk\r\n_\r\n*-1\r\n";
  const Parsed p = ParseEverySplit(stream);
  EXPECT_EQ(p.error, "");
  ASSERT_EQ(p.values.size(), 6u);
  EXPECT_EQ(p.values[0], Value::SimpleString("OK"));
  EXPECT_EQ(p.values[1], Value::Integer(5));
  EXPECT_EQ(p.values[2], Value::BulkString("ab"));
  EXPECT_EQ(p.values[3], Value::Push({Value::SimpleString("invalidate"),
                                      Value::Array({Value::BulkString("k")})}));
  EXPECT_EQ(p.values[4], Value::Null());
  EXPECT_EQ(p.values[5], Value::NullArray());
}

TEST(ParserTest, IncompleteInputAsksForMoreAndKeepsItsPlace) {
  Parser parser("h:1");
  parser.Feed("*3\r\n:1\r\n$5\r\nhel");
  Result<std::optional<Value>> v = parser.Next();
  ASSERT_TRUE(v.ok());
  EXPECT_FALSE(v->has_value());
  EXPECT_FALSE(parser.idle());  // an array is open
  // The array's header and first element are consumed; the bulk string waits whole.
  EXPECT_EQ(parser.offset(), 8u);
  EXPECT_EQ(parser.buffered_bytes(), 7u);
  v = parser.Next();  // asking again without feeding changes nothing
  ASSERT_TRUE(v.ok());
  EXPECT_FALSE(v->has_value());
  parser.Feed("lo\r\n");
  v = parser.Next();
  ASSERT_TRUE(v.ok());
  EXPECT_FALSE(v->has_value());
  parser.Feed("#t\r\n+next");
  v = parser.Next();
  ASSERT_TRUE(v.ok());
  ASSERT_TRUE(v->has_value());
  EXPECT_EQ(**v,
            Value::Array({Value::Integer(1), Value::BulkString("hello"), Value::Boolean(true)}));
  EXPECT_TRUE(parser.idle());
  EXPECT_EQ(parser.offset(), 23u);
  EXPECT_EQ(parser.pending().ToString(), "+next");
}

TEST(ParserTest, PendingBytesCanBeTakenBetweenValues) {
  // A master answers PSYNC in RESP, then streams its RDB in another framing.
  Parser parser("h:1");
  parser.Feed("+FULLRESYNC id 7\r\nREDIS0011");
  Result<std::optional<Value>> v = parser.Next();
  ASSERT_TRUE(v.ok() && v->has_value());
  EXPECT_EQ(**v, Value::SimpleString("FULLRESYNC id 7"));
  ASSERT_TRUE(parser.idle());
  EXPECT_EQ(parser.pending().ToString(), "REDIS0011");
  parser.Skip(5);
  EXPECT_EQ(parser.pending().ToString(), "0011");
  EXPECT_EQ(parser.offset(), 23u);
  parser.Skip(4);
  parser.Feed(":1\r\n");
  v = parser.Next();
  ASSERT_TRUE(v.ok() && v->has_value());
  EXPECT_EQ(**v, Value::Integer(1));
}

// The error a stream ends in, checked to be the same every way it can be split. Each case
// says the byte offset the message must name; offsets count from the stream's first byte.
std::string ErrorOf(const std::string& bytes, Limits limits = Limits()) {
  const Parsed p = ParseEverySplit(bytes, limits);
  EXPECT_NE(p.error, "") << "no error for " << bytes.substr(0, 40);
  return p.error;
}

#define EXPECT_ERROR(bytes, offset, fragment, ...)                             \
  do {                                                                         \
    const std::string error = ErrorOf(bytes, ##__VA_ARGS__);                   \
    EXPECT_TRUE(error.starts_with("Corruption: h:1: protocol error at byte " + \
                                  std::to_string(offset) + ": "))              \
        << error;                                                              \
    EXPECT_NE(error.find(fragment), std::string::npos) << error;               \
  } while (0)

TEST(ParserTest, MalformedInputFailsNamingTheOffset) {
  EXPECT_ERROR("\r\n", 0, "unexpected type byte \"\\x0d\"");
  EXPECT_ERROR("?what\r\n", 0, "unexpected type byte \"?\"");
  EXPECT_ERROR("+OK\r\n:1\r\nx", 9, "unexpected type byte \"x\"");
  EXPECT_ERROR("+OK\n", 3, "a line ended by a bare LF");
  EXPECT_ERROR("+O\rK\r\n", 2, "a carriage return inside the line");
  EXPECT_ERROR(":12a\r\n", 0, "integer \"12a\" is not a decimal int64");
  EXPECT_ERROR(":\r\n", 0, "is not a decimal int64");
  EXPECT_ERROR(":+5\r\n", 0, "is not a decimal int64");
  EXPECT_ERROR(":9223372036854775808\r\n", 0, "is not a decimal int64");
  EXPECT_ERROR(":-9223372036854775809\r\n", 0, "is not a decimal int64");
  EXPECT_ERROR("$abc\r\n", 0, "bulk string length \"abc\" is not a decimal number");
  EXPECT_ERROR("$ 3\r\nabc\r\n", 0, "bulk string length \" 3\"");
  EXPECT_ERROR("$-2\r\n", 0, "bulk string length -2");
  EXPECT_ERROR("*-5\r\n", 0, "array length -5");
  EXPECT_ERROR("%-1\r\n", 0, "map length -1");
  EXPECT_ERROR("!-1\r\n", 0, "bulk error length -1");
  EXPECT_ERROR("$3\r\nabcX\r\n", 7, "a bulk string of 3 bytes not followed by CRLF");
  EXPECT_ERROR("*1\r\n$3\r\nabc\rX", 11, "not followed by CRLF");
  EXPECT_ERROR("_x\r\n", 0, "a null with content \"x\"");
  EXPECT_ERROR("#T\r\n", 0, "boolean \"T\" is not t or f");
  EXPECT_ERROR(",\r\n", 0, "double \"\" is not a number");
  EXPECT_ERROR(",1.5.5\r\n", 0, "double \"1.5.5\" is not a number");
  EXPECT_ERROR(",+-1\r\n", 0, "is not a number");
  EXPECT_ERROR(",0x10\r\n", 0, "is not a number");
  EXPECT_ERROR("(12a\r\n", 0, "big number \"12a\" is not a decimal integer");
  EXPECT_ERROR("(-\r\n", 0, "is not a decimal integer");
  EXPECT_ERROR("=3\r\ntxt\r\n", 0, "a verbatim string of 3 bytes, too short");
  EXPECT_ERROR("=5\r\ntxt-a\r\n", 7, "without ':' after its 3-byte format");
  EXPECT_ERROR("$?\r\n;4\r\nHell\r\n;0\r\n", 0, "a streamed bulk string");
  EXPECT_ERROR("*?\r\n:1\r\n.\r\n", 0, "a streamed array");
  EXPECT_ERROR("*2\r\n:1\r\n*1\r\n%x\r\n", 12, "map length \"x\"");
}

TEST(ParserTest, ErrorsAreSticky) {
  Parser parser("h:1");
  parser.Feed("+OK\r\n:x\r\n+fine\r\n");
  Result<std::optional<Value>> v = parser.Next();
  ASSERT_TRUE(v.ok() && v->has_value());
  v = parser.Next();
  ASSERT_FALSE(v.ok());
  const std::string first = v.status().ToString();
  EXPECT_EQ(first,
            "Corruption: h:1: protocol error at byte 5: integer \"x\" is not a decimal int64");
  parser.Feed(":1\r\n");
  v = parser.Next();
  ASSERT_FALSE(v.ok());
  EXPECT_EQ(v.status().ToString(), first);
}

TEST(ParserTest, EachLimitIsItsOwnError) {
  Limits small;
  small.max_bulk_length = 10;
  small.max_aggregate_length = 4;
  small.max_depth = 2;
  small.max_line_length = 16;

  // Bulk length: on every bulk type, at the header, however far the body is from arriving.
  EXPECT_ERROR("$11\r\n", 0, "a bulk string of 11 bytes exceeds the limit of 10 bytes", small);
  EXPECT_ERROR("!11\r\n", 0, "a bulk error of 11 bytes exceeds the limit of 10 bytes", small);
  EXPECT_ERROR("=11\r\n", 0, "a verbatim string of 11 bytes exceeds the limit of 10", small);
  EXPECT_ERROR("$9223372036854775807\r\n", 0, "a bulk string of 9223372036854775807 bytes exceeds");
  EXPECT_EQ(ParseAll("$10\r\n0123456789\r\n", small).values.size(), 1u);

  // Aggregate length: per aggregate, a map's keys and values both counted.
  EXPECT_ERROR("*5\r\n", 0, "an array of 5 elements exceeds the limit of 4 elements", small);
  EXPECT_ERROR("~5\r\n", 0, "a set of 5 elements exceeds the limit of 4 elements", small);
  EXPECT_ERROR(">5\r\n", 0, "a push of 5 elements exceeds the limit of 4 elements", small);
  EXPECT_ERROR("%3\r\n", 0, "a map of 3 pairs exceeds the limit of 4 elements", small);
  EXPECT_ERROR("|3\r\n", 0, "an attribute of 3 pairs exceeds the limit of 4 elements", small);
  EXPECT_ERROR("*1\r\n*5\r\n", 4, "an array of 5 elements", small);
  EXPECT_EQ(ParseAll("*4\r\n:1\r\n:2\r\n:3\r\n:4\r\n", small).values.size(), 1u);
  EXPECT_EQ(ParseAll("%2\r\n:1\r\n:2\r\n:3\r\n:4\r\n", small).values.size(), 1u);
  // Two aggregates of 4 in one value are fine: the limit is on each.
  EXPECT_EQ(ParseAll("*2\r\n*2\r\n:1\r\n:2\r\n*2\r\n:3\r\n:4\r\n", small).values.size(), 1u);

  // Depth: aggregates (attributes included) open inside one another.
  EXPECT_ERROR("*1\r\n*1\r\n*1\r\n:1\r\n", 8, "aggregates nested deeper than 2", small);
  EXPECT_ERROR("*1\r\n|1\r\n%1\r\n", 8, "aggregates nested deeper than 2", small);
  EXPECT_EQ(ParseAll("*1\r\n*1\r\n:1\r\n", small).values.size(), 1u);

  // Line length: 16 bytes after the type byte, found or still without an end.
  EXPECT_ERROR("+" + std::string(17, 'x') + "\r\n", 0, "a line longer than 16 bytes", small);
  EXPECT_ERROR(":1\r\n+" + std::string(1000, 'x'), 4, "a line longer than 16 bytes", small);
  EXPECT_ERROR("$" + std::string(20, '1') + "\r\n", 0, "a line longer than 16 bytes", small);
  EXPECT_EQ(ParseAll("+" + std::string(16, 'x') + "\r\n", small).values.size(), 1u);
}

TEST(ParserTest, DefaultLimitsFollowRedis) {
  const Limits defaults;
  EXPECT_EQ(defaults.max_bulk_length, 512u << 20);  // proto-max-bulk-len
  // 512 MiB is accepted as a header, one byte more is not.
  Parser at_limit("h:1");
  at_limit.Feed("$536870912\r\n");
  Result<std::optional<Value>> v = at_limit.Next();
  ASSERT_TRUE(v.ok()) << v.status().ToString();
  EXPECT_FALSE(v->has_value());
  EXPECT_ERROR("$536870913\r\n", 0, "a bulk string of 536870913 bytes exceeds the limit");
}

TEST(ParserTest, AnnouncedLengthsCostNothingUntilTheirBytesArrive) {
  Parser fresh("h:1");
  g_largest = 0;
  g_probe = true;
  fresh.Feed("$536870912\r\nabc");  // 512 MiB announced, 3 bytes sent
  Result<std::optional<Value>> bulk = fresh.Next();
  Parser aggregate("h:1");
  aggregate.Feed("*1000000\r\n:1\r\n");  // a million elements announced, one sent
  Result<std::optional<Value>> array = aggregate.Next();
  g_probe = false;
  ASSERT_TRUE(bulk.ok());
  EXPECT_FALSE(bulk->has_value());
  ASSERT_TRUE(array.ok());
  EXPECT_FALSE(array->has_value());
  EXPECT_LT(g_largest.load(), size_t{1} << 20) << "an allocation followed an announced length";
}

}  // namespace
}  // namespace strata::resp
