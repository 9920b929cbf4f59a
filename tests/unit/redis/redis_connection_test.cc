// RedisConnection: connect and timeout errors that name the address and the command, the
// replication stream's lines and raw bytes after a reply, and commands against a real
// redis-server (skipped when it is not installed). Address parsing is net's (host_port_test).
#include "redis/redis_connection.h"

#include <gtest/gtest.h>

#include <chrono>

#include "fake_master.h"
#include "net/listener.h"
#include "support/redis_server.h"

namespace strata::redis {
namespace {

using std::chrono::milliseconds;
using test::FakeMaster;

#define SKIP_WITHOUT_REDIS()                                 \
  if (!strata::test::RedisServer::Available()) {             \
    GTEST_SKIP() << strata::test::RedisServer::SkipReason(); \
  }

#define EXPECT_MESSAGE_HAS(status, fragment) \
  EXPECT_NE((status).message().find(fragment), std::string::npos) << (status).ToString()

// A loopback port with nothing listening on it.
uint16_t ClosedPort() {
  Result<net::Listener> listener = net::Listener::Bind({"127.0.0.1", 0});
  EXPECT_TRUE(listener.ok());
  return listener.ok() ? listener->port() : 1;  // closed at the end of this scope
}

TEST(RedisConnectionTest, InStepKeepsTheCodeAndPutsTheStepAfterTheAddress) {
  Status s = InStep(Status::Busy("h:1: no data"), "h:1", "PSYNC");
  EXPECT_TRUE(s.IsBusy());
  EXPECT_EQ(s.message(), "h:1: PSYNC: no data");
  s = InStep(Status::IOError("boom"), "h:1", "AUTH");
  EXPECT_EQ(s.message(), "h:1: AUTH: boom");
}

TEST(RedisConnectionTest, RefusedConnectNamesTheAddress) {
  const net::HostPort address{"127.0.0.1", ClosedPort()};
  Result<std::unique_ptr<RedisConnection>> c = RedisConnection::Connect(address, {});
  ASSERT_FALSE(c.ok());
  EXPECT_TRUE(c.status().IsIOError());
  EXPECT_MESSAGE_HAS(c.status(), address.ToString() + ": connect");
  EXPECT_MESSAGE_HAS(c.status(), "refused");
}

TEST(RedisConnectionTest, UnresolvableHost) {
  Result<std::unique_ptr<RedisConnection>> c =
      RedisConnection::Connect({"no-such-host.invalid", 6379}, {});
  ASSERT_FALSE(c.ok());
  EXPECT_MESSAGE_HAS(c.status(), "no-such-host.invalid:6379: cannot resolve");
}

TEST(RedisConnectionTest, SilentServerTimesOutNamingCommandAndAddress) {
  // Listens but never accepts or answers: the connect succeeds, then nothing comes back.
  Result<net::Listener> silent = net::Listener::Bind({"127.0.0.1", 0});
  ASSERT_TRUE(silent.ok());
  RedisConnectionOptions options;
  options.io_timeout = milliseconds(200);
  const net::HostPort address{"127.0.0.1", silent->port()};
  Result<std::unique_ptr<RedisConnection>> c = RedisConnection::Connect(address, options);
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  const auto start = std::chrono::steady_clock::now();
  Result<resp::Value> reply = (*c)->Call({"PING"});
  const auto waited = std::chrono::steady_clock::now() - start;
  ASSERT_FALSE(reply.ok());
  EXPECT_EQ(reply.status().ToString(),
            "IOError: " + address.ToString() + ": PING: no data received for 0.2 s");
  EXPECT_GE(waited, milliseconds(190));
  EXPECT_LT(waited, milliseconds(5000));
}

TEST(RedisConnectionTest, ConsecutiveRepliesThenTheEndOfTheStream) {
  FakeMaster server([](FakeMaster::Session& s) {
    s.ReadCommand();
    s.WriteInPieces("+OK\r\n:5\r\n$2\r\nab\r\n", 3, milliseconds(1));
  });
  auto c = RedisConnection::Connect(server.address(), {});
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  ASSERT_TRUE((*c)->Send({"PING"}).ok());
  EXPECT_EQ(*(*c)->ReadReply(), resp::Value::SimpleString("OK"));
  EXPECT_EQ(*(*c)->ReadReply(), resp::Value::Integer(5));
  EXPECT_EQ(*(*c)->ReadReply(), resp::Value::BulkString("ab"));
  Result<resp::Value> end = (*c)->ReadReply();
  ASSERT_FALSE(end.ok());
  EXPECT_TRUE(end.status().IsIOError());
  EXPECT_EQ(end.status().message(),
            server.address().ToString() + ": connection closed by the server");
}

TEST(RedisConnectionTest, ClosedInTheMiddleOfAReply) {
  FakeMaster server([](FakeMaster::Session& s) {
    s.ReadCommand();
    s.Write("$62914560\r\nabc");  // 60 MiB announced, 3 bytes sent
  });
  auto c = RedisConnection::Connect(server.address(), {});
  ASSERT_TRUE(c.ok());
  Result<resp::Value> reply = (*c)->Call({"GET", "k"});
  ASSERT_FALSE(reply.ok());
  EXPECT_TRUE(reply.status().IsIOError());
  EXPECT_EQ(reply.status().message(),
            server.address().ToString() +
                ": GET: connection closed by the server in the middle of a reply, at byte 14");
}

TEST(RedisConnectionTest, MalformedReplyNamesTheCommandAndTheOffset) {
  FakeMaster server([](FakeMaster::Session& s) {
    s.ReadCommand();
    s.Write("+OK\r\n");
    s.ReadCommand();
    s.Write("*2\r\n:1\r\n?\r\n");
    s.WaitForClose();
  });
  auto c = RedisConnection::Connect(server.address(), {});
  ASSERT_TRUE(c.ok());
  ASSERT_TRUE((*c)->CallExpectOk({"SET", "k", "v"}).ok());
  Result<resp::Value> reply = (*c)->Call({"CLUSTER", "NODES"});
  ASSERT_FALSE(reply.ok());
  EXPECT_TRUE(reply.status().IsCorruption());
  EXPECT_EQ(reply.status().message(),
            server.address().ToString() +
                ": CLUSTER NODES: protocol error at byte 13: unexpected type byte \"?\"");
}

TEST(RedisConnectionTest, LimitsApplyToReplies) {
  FakeMaster server([](FakeMaster::Session& s) {
    s.ReadCommand();
    s.Write("$11\r\n");
    s.WaitForClose();
  });
  RedisConnectionOptions options;
  options.limits.max_bulk_length = 10;
  auto c = RedisConnection::Connect(server.address(), options);
  ASSERT_TRUE(c.ok());
  Result<resp::Value> reply = (*c)->Call({"GET", "k"});
  ASSERT_FALSE(reply.ok());
  EXPECT_TRUE(reply.status().IsCorruption());
  EXPECT_MESSAGE_HAS(reply.status(),
                     "GET: protocol error at byte 0: a bulk string of 11 bytes "
                     "exceeds the limit of 10 bytes");
}

TEST(RedisConnectionTest, ReplicationLinesAndRawBytesAfterAReply) {
  // A master's keepalives before +FULLRESYNC and before the payload header are bare "\n".
  FakeMaster server([](FakeMaster::Session& s) {
    s.ReadCommand();
    s.WriteInPieces("+OK\r\n\n\n+FULLRESYNC id 7\r\n\n$EOF:mark\r\nRDBBYTES", 2, milliseconds(1));
  });
  auto c = RedisConnection::Connect(server.address(), {});
  ASSERT_TRUE(c.ok());
  EXPECT_TRUE((*c)->CallExpectOk({"REPLCONF", "capa", "eof"}).ok());
  EXPECT_EQ(*(*c)->ReadLine(100), "");
  EXPECT_EQ(*(*c)->ReadLine(100), "");
  EXPECT_EQ(*(*c)->ReadLine(100), "+FULLRESYNC id 7");
  EXPECT_EQ(*(*c)->ReadLine(100), "");
  EXPECT_EQ(*(*c)->ReadLine(100), "$EOF:mark");
  // Raw reads return the bytes already received first, then the socket's, then 0 at its end.
  std::string raw;
  char buf[3];
  while (true) {
    Result<size_t> got = (*c)->ReadRaw(buf, sizeof(buf));
    ASSERT_TRUE(got.ok()) << got.status().ToString();
    if (*got == 0) break;
    raw.append(buf, *got);
  }
  EXPECT_EQ(raw, "RDBBYTES");
}

TEST(RedisConnectionTest, ReplicationLineLimit) {
  FakeMaster server([](FakeMaster::Session& s) {
    s.Write(std::string(5000, 'x') + "\n");
    s.WaitForClose();
  });
  auto c = RedisConnection::Connect(server.address(), {});
  ASSERT_TRUE(c.ok());
  Result<std::string> line = (*c)->ReadLine(100);
  ASSERT_FALSE(line.ok());
  EXPECT_TRUE(line.status().IsCorruption());
  EXPECT_MESSAGE_HAS(line.status(), server.address().ToString() +
                                        ": protocol error at byte 0: a line longer than 100 bytes");
}

TEST(RedisConnectionTest, CommandsAgainstARealServer) {
  SKIP_WITHOUT_REDIS();
  auto server = strata::test::RedisServer::Start();
  ASSERT_TRUE(server.ok()) << server.status().ToString();
  const net::HostPort address{"127.0.0.1", (*server)->port()};
  Result<std::unique_ptr<RedisConnection>> c = RedisConnection::Connect(address, {});
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  RedisConnection& redis = **c;
  EXPECT_EQ(redis.name(), (*server)->address());
  EXPECT_EQ(redis.address(), address);

  EXPECT_TRUE(redis.Call({"PING"})->IsString("PONG"));
  ASSERT_TRUE(redis.CallExpectOk({"SET", "k", std::string("v\r\n\0x", 5)}).ok());
  EXPECT_EQ(redis.Call({"GET", "k"})->text, std::string("v\r\n\0x", 5));
  EXPECT_TRUE(redis.Call({"GET", "missing"})->is_null());
  EXPECT_EQ(redis.Call({"INCRBY", "n", "-5"})->integer, -5);

  const std::string big(3 << 20, 'b');  // more than one socket read
  ASSERT_TRUE(redis.CallExpectOk({"SET", "big", big}).ok());
  EXPECT_EQ(redis.Call({"GET", "big"})->text, big);

  ASSERT_TRUE(redis.Call({"RPUSH", "l", "a", "b"}).ok());
  Result<resp::Value> list = redis.Call({"LRANGE", "l", "0", "-1"});
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->elements.size(), 2u);
  EXPECT_EQ(list->elements[1].text, "b");

  Result<resp::Value> error = redis.Call({"NOSUCHCOMMAND"});
  ASSERT_TRUE(error.ok());  // an error reply is an answer, the connection stays usable
  EXPECT_TRUE(error->is_error());
  EXPECT_TRUE(error->text.starts_with("ERR unknown command"));
  Status s = redis.CallExpectOk({"NOSUCHCOMMAND"});
  EXPECT_TRUE(s.IsInvalidArgument());
  EXPECT_MESSAGE_HAS(s, address.ToString() + ": NOSUCHCOMMAND failed: ERR unknown");
  EXPECT_TRUE(redis.Call({"PING"})->IsString("PONG"));

  // After HELLO 3 the same connection reads RESP3 replies.
  ASSERT_EQ(redis.Call({"HELLO", "3"})->type, resp::Type::kMap);
  EXPECT_EQ(redis.Call({"GET", "missing"})->type, resp::Type::kNull);
  ASSERT_TRUE(redis.Call({"HSET", "h", "f", "v"}).ok());
  EXPECT_EQ(*redis.Call({"HGETALL", "h"}),
            resp::Value::Map({resp::Value::BulkString("f"), resp::Value::BulkString("v")}));
}

TEST(RedisConnectionTest, ServerGoneMidSessionIsAnError) {
  SKIP_WITHOUT_REDIS();
  auto server = strata::test::RedisServer::Start();
  ASSERT_TRUE(server.ok()) << server.status().ToString();
  Result<std::unique_ptr<RedisConnection>> c =
      RedisConnection::Connect({"127.0.0.1", (*server)->port()}, {});
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  (*server)->Kill();
  Result<resp::Value> reply = (*c)->Call({"PING"});
  ASSERT_FALSE(reply.ok());
  EXPECT_TRUE(reply.status().IsIOError());
  EXPECT_TRUE(reply.status().message().starts_with((*server)->address() + ": PING: "))
      << reply.status().message();
}

TEST(RedisConnectionTest, HostNamesAndIpv6) {
  SKIP_WITHOUT_REDIS();
  auto server = strata::test::RedisServer::Start({.config_lines = {"bind 127.0.0.1 ::1"}});
  if (!server.ok()) {
    // No IPv6 loopback here: the server cannot bind ::1.
    GTEST_SKIP() << "cannot start redis-server on ::1: " << server.status().ToString();
  }
  const uint16_t port = (*server)->port();
  for (const char* host : {"::1", "localhost", "127.0.0.1"}) {
    Result<std::unique_ptr<RedisConnection>> c = RedisConnection::Connect({host, port}, {});
    ASSERT_TRUE(c.ok()) << host << ": " << c.status().ToString();
    EXPECT_TRUE((*c)->Call({"PING"})->IsString("PONG")) << host;
  }
}

TEST(RedisConnectionTest, Authentication) {
  SKIP_WITHOUT_REDIS();
  auto server = strata::test::RedisServer::Start(
      {.config_lines = {"requirepass s3cret", "user reader on >pw ~* +@all"}});
  ASSERT_TRUE(server.ok()) << server.status().ToString();
  auto connect = [&] {
    Result<std::unique_ptr<RedisConnection>> c =
        RedisConnection::Connect({"127.0.0.1", (*server)->port()}, {});
    EXPECT_TRUE(c.ok()) << c.status().ToString();
    return c.ok() ? std::move(c).value() : nullptr;
  };
  auto c = connect();
  ASSERT_NE(c, nullptr);
  EXPECT_TRUE(c->Call({"PING"})->is_error());  // NOAUTH
  EXPECT_TRUE(c->Authenticate("", "s3cret").ok());
  EXPECT_TRUE(c->Call({"PING"})->IsString("PONG"));

  c = connect();
  ASSERT_NE(c, nullptr);
  EXPECT_TRUE(c->Authenticate("reader", "pw").ok());

  c = connect();
  ASSERT_NE(c, nullptr);
  Status s = c->Authenticate("", "hunter2");
  EXPECT_TRUE(s.IsInvalidArgument());
  EXPECT_MESSAGE_HAS(s, (*server)->address() + ": AUTH failed: WRONGPASS");
  EXPECT_EQ(s.message().find("hunter2"), std::string::npos) << "the password leaked";
  s = c->Authenticate("reader", "bad");
  EXPECT_MESSAGE_HAS(s, "AUTH as user \"reader\" failed");
}

}  // namespace
}  // namespace strata::redis
