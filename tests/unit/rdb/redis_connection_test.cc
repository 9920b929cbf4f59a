// RedisConnection: address parsing, connect and timeout errors that name the address, and
// commands against a real redis-server (skipped when it is not installed).
#include "rdb/redis_connection.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>

#include "support/redis_server.h"

namespace strata::rdb {
namespace {

using std::chrono::milliseconds;

#define SKIP_WITHOUT_REDIS()                                 \
  if (!strata::test::RedisServer::Available()) {             \
    GTEST_SKIP() << strata::test::RedisServer::SkipReason(); \
  }

// A loopback socket that listens but never accepts or answers: connects succeed (the kernel
// completes them from the backlog) and then nothing comes back.
class SilentListener {
 public:
  SilentListener() {
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof(addr);
    EXPECT_EQ(::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)), 0);
    EXPECT_EQ(::listen(fd_, 8), 0);
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
  }
  ~SilentListener() { ::close(fd_); }
  uint16_t port() const { return port_; }

 private:
  int fd_ = -1;
  uint16_t port_ = 0;
};

// A loopback port with nothing listening on it.
uint16_t ClosedPort() {
  SilentListener listener;  // bound, then closed at the end of this scope
  return listener.port();
}

TEST(RedisAddressTest, Parse) {
  Result<RedisAddress> a = RedisAddress::Parse("127.0.0.1:6379");
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->host, "127.0.0.1");
  EXPECT_EQ(a->port, 6379);
  EXPECT_EQ(a->ToString(), "127.0.0.1:6379");

  a = RedisAddress::Parse("redis-0.example.com:7000");
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->host, "redis-0.example.com");

  a = RedisAddress::Parse("[::1]:6380");
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->host, "::1");
  EXPECT_EQ(a->port, 6380);
  EXPECT_EQ(a->ToString(), "[::1]:6380");

  // CLUSTER NODES prints IPv6 without brackets: the last colon starts the port.
  a = RedisAddress::Parse("fe80::1:7001");
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->host, "fe80::1");
  EXPECT_EQ(a->port, 7001);

  for (const char* bad : {"", "localhost", ":6379", "host:", "host:0", "host:65536", "host:12x",
                          "[::1]", "[::1]6379", "[::1:6379", "a b:1", "h:-1"}) {
    Result<RedisAddress> r = RedisAddress::Parse(bad);
    EXPECT_FALSE(r.ok()) << bad;
    if (!r.ok()) {
      EXPECT_TRUE(r.status().IsInvalidArgument()) << bad;
    }
  }
}

TEST(RedisConnectionTest, InStepKeepsTheCodeAndPutsTheStepAfterTheAddress) {
  Status s = InStep(Status::Busy("h:1: no data"), "h:1", "PSYNC");
  EXPECT_TRUE(s.IsBusy());
  EXPECT_EQ(s.message(), "h:1: PSYNC: no data");
  s = InStep(Status::IOError("boom"), "h:1", "AUTH");
  EXPECT_EQ(s.message(), "h:1: AUTH: boom");
}

TEST(RedisConnectionTest, RefusedConnectNamesTheAddress) {
  const RedisAddress address{"127.0.0.1", ClosedPort()};
  Result<std::unique_ptr<RedisConnection>> c = RedisConnection::Connect(address, {});
  ASSERT_FALSE(c.ok());
  EXPECT_TRUE(c.status().IsIOError());
  EXPECT_NE(c.status().message().find(address.ToString() + ": connect"), std::string::npos)
      << c.status().message();
  EXPECT_NE(c.status().message().find("refused"), std::string::npos) << c.status().message();
}

TEST(RedisConnectionTest, UnresolvableHost) {
  Result<std::unique_ptr<RedisConnection>> c =
      RedisConnection::Connect({"no-such-host.invalid", 6379}, {});
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.status().message().find("no-such-host.invalid:6379: cannot resolve"),
            std::string::npos)
      << c.status().message();
}

TEST(RedisConnectionTest, SilentServerTimesOutNamingCommandAndAddress) {
  SilentListener listener;
  RedisConnectionOptions options;
  options.io_timeout = milliseconds(200);
  const RedisAddress address{"127.0.0.1", listener.port()};
  Result<std::unique_ptr<RedisConnection>> c = RedisConnection::Connect(address, options);
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  const auto start = std::chrono::steady_clock::now();
  Result<RespValue> reply = (*c)->Call({"PING"});
  const auto waited = std::chrono::steady_clock::now() - start;
  ASSERT_FALSE(reply.ok());
  EXPECT_EQ(reply.status().ToString(),
            "IOError: " + address.ToString() + ": PING: no data from the server for 0.2 s");
  EXPECT_GE(waited, milliseconds(190));
  EXPECT_LT(waited, milliseconds(5000));
}

TEST(RedisConnectionTest, CommandsAgainstARealServer) {
  SKIP_WITHOUT_REDIS();
  auto server = strata::test::RedisServer::Start();
  ASSERT_TRUE(server.ok()) << server.status().ToString();
  const RedisAddress address{"127.0.0.1", (*server)->port()};
  Result<std::unique_ptr<RedisConnection>> c = RedisConnection::Connect(address, {});
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  RedisConnection& redis = **c;
  EXPECT_EQ(redis.name(), (*server)->address());

  EXPECT_TRUE(redis.Call({"PING"})->IsString("PONG"));
  ASSERT_TRUE(redis.CallExpectOk({"SET", "k", "v\r\n\0x"}).ok());
  EXPECT_EQ(redis.Call({"GET", "k"})->text, std::string("v\r\n\0x"));
  EXPECT_TRUE(redis.Call({"GET", "missing"})->is_null());
  EXPECT_EQ(redis.Call({"INCRBY", "n", "-5"})->integer, -5);

  const std::string big(3 << 20, 'b');  // more than one socket read, more than one fill
  ASSERT_TRUE(redis.CallExpectOk({"SET", "big", big}).ok());
  EXPECT_EQ(redis.Call({"GET", "big"})->text, big);

  ASSERT_TRUE(redis.Call({"RPUSH", "l", "a", "b"}).ok());
  Result<RespValue> list = redis.Call({"LRANGE", "l", "0", "-1"});
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->elements.size(), 2u);
  EXPECT_EQ(list->elements[1].text, "b");

  Result<RespValue> error = redis.Call({"NOSUCHCOMMAND"});
  ASSERT_TRUE(error.ok());  // an error reply is an answer, the connection stays usable
  EXPECT_TRUE(error->is_error());
  EXPECT_TRUE(error->text.starts_with("ERR unknown command"));
  Status s = redis.CallExpectOk({"NOSUCHCOMMAND"});
  EXPECT_TRUE(s.IsInvalidArgument());
  EXPECT_NE(s.message().find(address.ToString() + ": NOSUCHCOMMAND failed: ERR unknown"),
            std::string::npos)
      << s.message();
  EXPECT_TRUE(redis.Call({"PING"})->IsString("PONG"));
}

TEST(RedisConnectionTest, ServerGoneMidSessionIsAnError) {
  SKIP_WITHOUT_REDIS();
  auto server = strata::test::RedisServer::Start();
  ASSERT_TRUE(server.ok()) << server.status().ToString();
  Result<std::unique_ptr<RedisConnection>> c =
      RedisConnection::Connect({"127.0.0.1", (*server)->port()}, {});
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  (*server)->Kill();
  Result<RespValue> reply = (*c)->Call({"PING"});
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
  EXPECT_NE(s.message().find((*server)->address() + ": AUTH failed: WRONGPASS"), std::string::npos)
      << s.message();
  EXPECT_EQ(s.message().find("hunter2"), std::string::npos) << "the password leaked";
  s = c->Authenticate("reader", "bad");
  EXPECT_NE(s.message().find("AUTH as user \"reader\" failed"), std::string::npos) << s.message();
}

}  // namespace
}  // namespace strata::rdb
