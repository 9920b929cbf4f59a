// The parser and encoder against a real redis-server 7.0 (skipped when it is not installed):
// commands sent over a plain socket, replies parsed with the push parser as the bytes arrive,
// first in RESP2, then after HELLO 3 in RESP3. The expected replies are written by hand from
// Redis's documentation of each command's reply in both protocols (and DEBUG PROTOCOL, which
// answers with each reply type); every byte the server sent is then parsed again one byte at
// a time and split at every position, to the same values.
#include "support/redis_server.h"

#include <gtest/gtest.h>

#include <chrono>
#include <limits>
#include <string>
#include <vector>

#include "net/socket.h"
#include "resp/encoder.h"
#include "resp/parser.h"
#include "resp_test_util.h"

namespace strata::resp {
namespace {

using std::chrono::milliseconds;
using strata::test::RedisServer;

// A plain socket to the server, every reply parsed as its bytes arrive.
class Peer {
 public:
  explicit Peer(const RedisServer& server) : parser_(server.address()) {
    Result<net::Socket> socket = net::Socket::Connect({server.host(), server.port()},
                                                      net::DeadlineAfter(milliseconds(10'000)));
    EXPECT_TRUE(socket.ok()) << socket.status().ToString();
    if (socket.ok()) socket_ = std::make_unique<net::Socket>(std::move(socket).value());
  }

  void Send(const std::vector<std::string>& args) {
    std::string bytes;
    EncodeCommand(args, &bytes);
    SendBytes(bytes);
  }

  void SendBytes(const std::string& bytes) {
    ASSERT_NE(socket_, nullptr);
    Status s = socket_->WriteAll(bytes, net::DeadlineAfter(milliseconds(10'000)));
    ASSERT_TRUE(s.ok()) << s.ToString();
  }

  // The next value the server sends.
  Value Read() {
    if (socket_ == nullptr) return Value::SimpleError("no connection");
    char buf[4096];
    while (true) {
      Result<std::optional<Value>> v = parser_.Next();
      EXPECT_TRUE(v.ok()) << v.status().ToString();
      if (!v.ok()) return Value::SimpleError("parse error");
      if (v->has_value()) {
        values_.push_back(**v);
        return std::move(**v);
      }
      Result<size_t> got =
          socket_->Read(buf, sizeof(buf), net::DeadlineAfter(milliseconds(10'000)));
      EXPECT_TRUE(got.ok() && *got > 0) << got.status().ToString();
      if (!got.ok() || *got == 0) return Value::SimpleError("connection lost");
      parser_.Feed(Slice(buf, *got));
      received_.append(buf, *got);
    }
  }

  Value Call(const std::vector<std::string>& args) {
    Send(args);
    return Read();
  }

  // Every byte received so far, parsed again every way it can be split, gives the values
  // the live parser gave.
  void ExpectReparsesTheSame() const {
    const test::Parsed again = test::ParseEverySplit(received_);
    EXPECT_EQ(again.error, "");
    EXPECT_EQ(again.left_over, 0u);
    EXPECT_TRUE(again.values == values_) << again.values.size() << " vs " << values_.size();
  }

 private:
  std::unique_ptr<net::Socket> socket_;
  Parser parser_;
  std::string received_;
  std::vector<Value> values_;
};

Value Bulk(const std::string& s) { return Value::BulkString(s); }

// The value of key in a RESP3 map, or a simple error saying it is missing.
Value MapGet(const Value& map, const std::string& key) {
  for (size_t i = 0; i + 1 < map.elements.size(); i += 2) {
    if (map.elements[i].IsString(key)) return map.elements[i + 1];
  }
  return Value::SimpleError("no key " + key);
}

class RedisServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!RedisServer::Available()) GTEST_SKIP() << RedisServer::SkipReason();
    auto server = RedisServer::Start({.config_lines = {"enable-debug-command yes"}});
    ASSERT_TRUE(server.ok()) << server.status().ToString();
    server_ = std::move(server).value();
    Peer setup(*server_);
    EXPECT_EQ(setup.Call({"HSET", "h", "f1", "v1", "f2", "v2"}), Value::Integer(2));
    EXPECT_EQ(setup.Call({"SADD", "s", "member"}), Value::Integer(1));
    EXPECT_EQ(setup.Call({"ZADD", "z", "1.5", "a", "inf", "b"}), Value::Integer(2));
  }

  std::unique_ptr<RedisServer> server_;
};

TEST_F(RedisServerTest, Resp2Replies) {
  Peer redis(*server_);
  EXPECT_EQ(redis.Call({"PING"}), Value::SimpleString("PONG"));
  const std::string binary("v\r\n\0x", 5);
  EXPECT_EQ(redis.Call({"SET", "k", binary}), Value::SimpleString("OK"));
  EXPECT_EQ(redis.Call({"GET", "k"}), Bulk(binary));
  // A missing key: RESP2's null bulk string, $-1.
  const Value missing = redis.Call({"GET", "missing"});
  EXPECT_EQ(missing, Value::Null());
  EXPECT_FALSE(missing.null_array);
  // A hash: a flat array of fields and values (a small hash keeps insertion order).
  EXPECT_EQ(redis.Call({"HGETALL", "h"}),
            Value::Array({Bulk("f1"), Bulk("v1"), Bulk("f2"), Bulk("v2")}));
  EXPECT_EQ(redis.Call({"HGETALL", "missing"}), Value::Array({}));
  EXPECT_EQ(redis.Call({"SMEMBERS", "s"}), Value::Array({Bulk("member")}));
  // Scores are bulk strings.
  EXPECT_EQ(redis.Call({"ZSCORE", "z", "a"}), Bulk("1.5"));
  EXPECT_EQ(redis.Call({"ZSCORE", "z", "b"}), Bulk("inf"));
  // A blocking pop that times out: RESP2's null array, *-1.
  EXPECT_EQ(redis.Call({"BLPOP", "nothing", "0.01"}), Value::NullArray());
  const Value error = redis.Call({"NOSUCHCOMMAND"});
  EXPECT_EQ(error.type, Type::kSimpleError);
  EXPECT_TRUE(error.text.starts_with("ERR unknown command")) << error.text;
  EXPECT_EQ(redis.Call({"INFO", "server"}).type, Type::kBulkString);

  // DEBUG PROTOCOL <type> answers with each reply type, degraded for RESP2.
  EXPECT_EQ(redis.Call({"DEBUG", "PROTOCOL", "string"}), Bulk("Hello World"));
  EXPECT_EQ(redis.Call({"DEBUG", "PROTOCOL", "integer"}), Value::Integer(12345));
  EXPECT_EQ(redis.Call({"DEBUG", "PROTOCOL", "double"}), Bulk("3.141"));
  EXPECT_EQ(redis.Call({"DEBUG", "PROTOCOL", "bignum"}),
            Bulk("1234567999999999999999999999999999999"));
  EXPECT_EQ(redis.Call({"DEBUG", "PROTOCOL", "null"}), Value::Null());
  const Value numbers = Value::Array({Value::Integer(0), Value::Integer(1), Value::Integer(2)});
  EXPECT_EQ(redis.Call({"DEBUG", "PROTOCOL", "array"}), numbers);
  EXPECT_EQ(redis.Call({"DEBUG", "PROTOCOL", "set"}), numbers);
  EXPECT_EQ(redis.Call({"DEBUG", "PROTOCOL", "map"}),
            Value::Array({Value::Integer(0), Value::Integer(0), Value::Integer(1),
                          Value::Integer(1), Value::Integer(2), Value::Integer(0)}));
  EXPECT_EQ(redis.Call({"DEBUG", "PROTOCOL", "attrib"}),
            Bulk("Some real reply following the attribute"));
  EXPECT_EQ(redis.Call({"DEBUG", "PROTOCOL", "verbatim"}), Bulk("This is a verbatim\nstring"));
  EXPECT_EQ(redis.Call({"DEBUG", "PROTOCOL", "true"}), Value::Integer(1));
  EXPECT_EQ(redis.Call({"DEBUG", "PROTOCOL", "false"}), Value::Integer(0));
  EXPECT_EQ(redis.Call({"DEBUG", "PROTOCOL", "push"}),
            Value::SimpleError("ERR RESP2 is not supported by this command"));
  redis.ExpectReparsesTheSame();
}

TEST_F(RedisServerTest, Resp3RepliesAfterHello3) {
  Peer redis(*server_);
  const Value hello = redis.Call({"HELLO", "3"});
  ASSERT_EQ(hello.type, Type::kMap) << hello.Summary();
  EXPECT_EQ(MapGet(hello, "server"), Bulk("redis"));
  EXPECT_EQ(MapGet(hello, "proto"), Value::Integer(3));

  EXPECT_EQ(redis.Call({"PING"}), Value::SimpleString("PONG"));
  // A missing key: RESP3's null.
  EXPECT_EQ(redis.Call({"GET", "missing"}), Value::Null());
  EXPECT_EQ(redis.Call({"HGETALL", "h"}),
            Value::Map({Bulk("f1"), Bulk("v1"), Bulk("f2"), Bulk("v2")}));
  EXPECT_EQ(redis.Call({"HGETALL", "missing"}), Value::Map({}));
  EXPECT_EQ(redis.Call({"SMEMBERS", "s"}), Value::Set({Bulk("member")}));
  EXPECT_EQ(redis.Call({"ZSCORE", "z", "a"}), Value::Double(1.5));
  EXPECT_EQ(redis.Call({"ZSCORE", "z", "b"}),
            Value::Double(std::numeric_limits<double>::infinity()));
  EXPECT_EQ(redis.Call({"BLPOP", "nothing", "0.01"}), Value::Null());
  const Value info = redis.Call({"INFO", "server"});
  EXPECT_EQ(info.type, Type::kVerbatimString) << info.Summary();
  EXPECT_EQ(info.format, "txt");
  EXPECT_TRUE(info.text.starts_with("# Server")) << info.Summary();

  EXPECT_EQ(redis.Call({"DEBUG", "PROTOCOL", "string"}), Bulk("Hello World"));
  EXPECT_EQ(redis.Call({"DEBUG", "PROTOCOL", "integer"}), Value::Integer(12345));
  EXPECT_EQ(redis.Call({"DEBUG", "PROTOCOL", "double"}), Value::Double(3.141));
  EXPECT_EQ(redis.Call({"DEBUG", "PROTOCOL", "bignum"}),
            Value::BigNumber("1234567999999999999999999999999999999"));
  EXPECT_EQ(redis.Call({"DEBUG", "PROTOCOL", "null"}), Value::Null());
  EXPECT_EQ(redis.Call({"DEBUG", "PROTOCOL", "array"}),
            Value::Array({Value::Integer(0), Value::Integer(1), Value::Integer(2)}));
  EXPECT_EQ(redis.Call({"DEBUG", "PROTOCOL", "set"}),
            Value::Set({Value::Integer(0), Value::Integer(1), Value::Integer(2)}));
  EXPECT_EQ(redis.Call({"DEBUG", "PROTOCOL", "map"}),
            Value::Map({Value::Integer(0), Value::Boolean(false), Value::Integer(1),
                        Value::Boolean(true), Value::Integer(2), Value::Boolean(false)}));
  EXPECT_EQ(
      redis.Call({"DEBUG", "PROTOCOL", "attrib"}),
      Bulk("Some real reply following the attribute")
          .WithAttribute(Value::Attribute(
              {Bulk("key-popularity"), Value::Array({Bulk("key:123"), Value::Integer(90)})})));
  EXPECT_EQ(redis.Call({"DEBUG", "PROTOCOL", "verbatim"}),
            Value::Verbatim("txt", "This is a verbatim\nstring"));
  EXPECT_EQ(redis.Call({"DEBUG", "PROTOCOL", "true"}), Value::Boolean(true));
  EXPECT_EQ(redis.Call({"DEBUG", "PROTOCOL", "false"}), Value::Boolean(false));
  // A push, then the reply proper.
  EXPECT_EQ(redis.Call({"DEBUG", "PROTOCOL", "push"}),
            Value::Push({Bulk("server-cpu-usage"), Value::Integer(42)}));
  EXPECT_EQ(redis.Read(), Bulk("Some real reply following the push reply"));
  redis.ExpectReparsesTheSame();
}

// Pub/sub messages: arrays for a RESP2 subscriber, pushes for a RESP3 one.
TEST_F(RedisServerTest, PubSubMessages) {
  Peer resp2(*server_);
  Peer resp3(*server_);
  Peer publisher(*server_);
  ASSERT_EQ(resp3.Call({"HELLO", "3"}).type, Type::kMap);
  EXPECT_EQ(resp2.Call({"SUBSCRIBE", "ch"}),
            Value::Array({Bulk("subscribe"), Bulk("ch"), Value::Integer(1)}));
  EXPECT_EQ(resp3.Call({"SUBSCRIBE", "ch"}),
            Value::Push({Bulk("subscribe"), Bulk("ch"), Value::Integer(1)}));
  EXPECT_EQ(publisher.Call({"PUBLISH", "ch", "hello"}), Value::Integer(2));
  EXPECT_EQ(resp2.Read(), Value::Array({Bulk("message"), Bulk("ch"), Bulk("hello")}));
  EXPECT_EQ(resp3.Read(), Value::Push({Bulk("message"), Bulk("ch"), Bulk("hello")}));
  resp2.ExpectReparsesTheSame();
  resp3.ExpectReparsesTheSame();
}

// What the encoder writes, Redis reads: a command built as a value and encoded for each
// protocol is executed, binary bytes intact.
TEST_F(RedisServerTest, EncodedCommandsAreUnderstood) {
  Peer redis(*server_);
  const std::string binary("a\0b\r\nc", 6);
  for (Protocol p : {Protocol::kResp2, Protocol::kResp3}) {
    const Value command = Value::Array({Bulk("SET"), Bulk("enc"), Bulk(binary + "2")});
    std::string bytes;
    ASSERT_TRUE(Encode(command, p, &bytes).ok());
    redis.SendBytes(bytes);
    EXPECT_EQ(redis.Read(), Value::SimpleString("OK"));
    EXPECT_EQ(redis.Call({"GET", "enc"}), Bulk(binary + "2"));
    ASSERT_EQ(redis.Call({"HELLO", "3"}).type, Type::kMap);
  }
}

}  // namespace
}  // namespace strata::resp
