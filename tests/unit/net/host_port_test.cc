// HostPort: "host:port", "[ipv6]:port" and CLUSTER NODES' bare "ipv6:port"; errors that quote
// the text; comma-separated lists.
#include "net/host_port.h"

#include <gtest/gtest.h>

namespace strata::net {
namespace {

TEST(HostPortTest, Parse) {
  Result<HostPort> a = HostPort::Parse("127.0.0.1:6379");
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->host, "127.0.0.1");
  EXPECT_EQ(a->port, 6379);
  EXPECT_EQ(a->ToString(), "127.0.0.1:6379");

  a = HostPort::Parse("redis-0.example.com:7000");
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->host, "redis-0.example.com");
  EXPECT_EQ(a->port, 7000);

  a = HostPort::Parse("[::1]:6380");
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->host, "::1");
  EXPECT_EQ(a->port, 6380);
  EXPECT_EQ(a->ToString(), "[::1]:6380");

  // CLUSTER NODES prints IPv6 without brackets: the last colon starts the port.
  a = HostPort::Parse("fe80::1:7001");
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->host, "fe80::1");
  EXPECT_EQ(a->port, 7001);
  EXPECT_EQ(a->ToString(), "[fe80::1]:7001");

  a = HostPort::Parse("h:65535");
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->port, 65535);
}

TEST(HostPortTest, BadAddressesAreInvalidArgumentsQuotingTheText) {
  for (const char* bad :
       {"", "localhost", ":6379", "host:", "host:0", "host:65536", "host:12x", "[::1]", "[::1]6379",
        "[::1:6379", "a b:1", "h:-1", "h:+1", "h:123456", "[]:1", "a,b:1", "user@h:1"}) {
    Result<HostPort> r = HostPort::Parse(bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_TRUE(r.status().IsInvalidArgument()) << bad;
    EXPECT_NE(r.status().message().find("address \"" + std::string(bad) + "\": "),
              std::string::npos)
        << r.status().message();
  }
  EXPECT_EQ(HostPort::Parse("host:0").status().message(),
            "address \"host:0\": the port must be a number from 1 to 65535");
  EXPECT_EQ(HostPort::Parse("localhost").status().message(),
            "address \"localhost\": expected host:port");
}

TEST(HostPortTest, ParseList) {
  Result<std::vector<HostPort>> list = ParseHostPortList("a:1,[::1]:2,10.0.0.1:3");
  ASSERT_TRUE(list.ok()) << list.status().ToString();
  ASSERT_EQ(list->size(), 3u);
  EXPECT_EQ((*list)[0], (HostPort{"a", 1}));
  EXPECT_EQ((*list)[1], (HostPort{"::1", 2}));
  EXPECT_EQ((*list)[2], (HostPort{"10.0.0.1", 3}));
  EXPECT_FALSE(ParseHostPortList("a:1,").ok());
  EXPECT_FALSE(ParseHostPortList("a:1,b").ok());
  EXPECT_FALSE(ParseHostPortList("").ok());
  EXPECT_EQ(ParseHostPortList("a:1,b").status().message(), "address \"b\": expected host:port");
}

}  // namespace
}  // namespace strata::net
