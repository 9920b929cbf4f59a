// Real Redis as the oracle: start Debian's redis-server on a free loopback port with small
// encoding limits, load a varied data set, SAVE, parse the dump and compare every key with
// what redis-cli reports (TYPE, OBJECT ENCODING, the length commands, PEXPIRETIME). Skips
// when redis-server or redis-cli is absent. The server is killed at the end, pass or fail.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "rdb/rdb_check.h"
#include "rdb_test_util.h"
#include "support/test_util.h"

extern char** environ;

namespace strata::rdb {
namespace {

using test::Collected;

constexpr const char* kRedisServer = "/usr/bin/redis-server";
constexpr const char* kRedisCli = "/usr/bin/redis-cli";

int FreeLoopbackPort() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t len = sizeof(addr);
  int port = -1;
  if (bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0 &&
      getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0) {
    port = ntohs(addr.sin_port);
  }
  close(fd);
  return port;
}

// Runs a shell command and returns its standard output.
std::string Run(const std::string& command) {
  std::string out;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return out;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof(buf), pipe)) > 0) out.append(buf, n);
  pclose(pipe);
  return out;
}

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) lines.push_back(line);
  return lines;
}

// Owns the redis-server child: killed and reaped on destruction, whatever happened.
class RedisServer {
 public:
  RedisServer(const std::string& dir, int port) : port_(port) {
    const std::string port_s = std::to_string(port);
    const std::string log = dir + "/redis.log";
    std::vector<std::string> args = {kRedisServer, "--port",
                                     port_s,       "--bind",
                                     "127.0.0.1",  "--dir",
                                     dir,          "--save",
                                     "",           "--appendonly",
                                     "no",         "--daemonize",
                                     "no",         "--logfile",
                                     log,          "--rdbcompression",
                                     "yes",        "--enable-debug-command",
                                     "yes",        "--hash-max-listpack-entries",
                                     "8",          "--hash-max-listpack-value",
                                     "32",         "--zset-max-listpack-entries",
                                     "8",          "--zset-max-listpack-value",
                                     "32",         "--set-max-intset-entries",
                                     "16",         "--list-max-listpack-size",
                                     "4",          "--list-compress-depth",
                                     "0"};
    std::vector<char*> argv;
    for (std::string& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    if (posix_spawn(&pid_, kRedisServer, nullptr, nullptr, argv.data(), environ) != 0) pid_ = -1;
  }
  ~RedisServer() {
    if (pid_ > 0) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
  }
  bool WaitReady() {
    for (int i = 0; i < 100 && pid_ > 0; i++) {
      if (Cli("", "PING") == "PONG\n") return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return false;
  }
  // redis-cli with `args` on the command line, or with commands fed from a file.
  std::string Cli(const std::string& options, const std::string& args) const {
    return Run(std::string(kRedisCli) + " -p " + std::to_string(port_) + " " + options + " " +
               args + " 2>&1");
  }

 private:
  int port_;
  pid_t pid_ = -1;
};

// Encodings Redis 7.0 reports in memory for each encoding its RDB files use.
bool EncodingAgrees(std::string_view ours, const std::string& redis) {
  if (ours == "int") return redis == "int";
  if (ours == "raw" || ours == "lzf") return redis == "raw" || redis == "embstr";
  if (ours == "quicklist2" || ours == "quicklist") return redis == "quicklist";
  if (ours == "listpacks2" || ours == "listpacks3") return redis == "stream";
  return ours == redis;  // intset, listpack, hashtable, skiplist
}

std::string LengthCommand(KeyType type) {
  switch (type) {
    case KeyType::kString:
      return "STRLEN";
    case KeyType::kList:
      return "LLEN";
    case KeyType::kSet:
      return "SCARD";
    case KeyType::kZset:
      return "ZCARD";
    case KeyType::kHash:
      return "HLEN";
    case KeyType::kStream:
      return "XLEN";
    default:
      return "TYPE";
  }
}

std::string DataSet() {
  std::ostringstream c;
  c << "SET str:int 12345\n";
  c << "SET str:neg -77\n";
  c << "SET str:embstr hello\n";
  c << "SET str:raw " << std::string(60, 'r') << "\n";
  c << "SETRANGE str:big 1048575 x\n";  // 1 MiB of zero bytes and an x: compressible
  c << "SET str:expiring v\n";
  c << "PEXPIREAT str:expiring 4102444800123\n";
  c << "RPUSH list:small a b c\n";
  c << "RPUSH list:ints 1 2 3 4 5 6 7 8 9 10\n";
  c << "RPUSH list:large";
  for (int i = 0; i < 100; i++) c << " element-" << i;
  c << "\n";
  c << "DEBUG QUICKLIST-PACKED-THRESHOLD 100\n";  // elements over 100 bytes go PLAIN
  c << "RPUSH list:plain small " << std::string(300, 'p') << " small2\n";
  c << "SADD set:intset 1 2 3 -4 100000\n";
  c << "SADD set:hashtable alpha beta gamma delta\n";
  c << "SADD set:bigints";
  for (int i = 0; i < 40; i++) c << " " << i * 1000;
  c << "\n";
  c << "ZADD zset:listpack 1 a 2 b 3.5 c\n";
  c << "ZADD zset:skiplist";
  for (int i = 0; i < 30; i++) c << " " << i << " member-" << i;
  c << "\n";
  c << "HSET hash:listpack f1 v1 f2 2 f3 v3\n";
  c << "HSET hash:hashtable";
  for (int i = 0; i < 30; i++) c << " field-" << i << " value-" << i;
  c << "\n";
  c << "HSET hash:longvalue f " << std::string(100, 'h') << "\n";
  c << "PEXPIREAT hash:hashtable 4102444800999\n";
  for (int i = 1; i <= 10; i++) c << "XADD stream:s " << i << "-1 field v" << i << "\n";
  c << "XGROUP CREATE stream:s g1 0\n";
  c << "XREADGROUP GROUP g1 c1 COUNT 3 STREAMS stream:s >\n";
  c << "XREADGROUP GROUP g1 c2 COUNT 2 STREAMS stream:s >\n";
  c << "XGROUP CREATE stream:s g2 $\n";
  c << "XADD stream:empty-groups 1-1 f v\n";
  c << "SELECT 1\n";
  c << "SET db1:key one\n";
  c << "RPUSH db1:list x y\n";
  c << "EXPIRE db1:list 100000\n";
  c << "SELECT 3\n";
  c << "HSET db3:hash a 1\n";
  return c.str();
}

TEST(RedisServerTest, DumpAgreesWithRedisCli) {
  if (access(kRedisServer, X_OK) != 0 || access(kRedisCli, X_OK) != 0) {
    GTEST_SKIP() << "redis-server / redis-cli not installed (apt-get install redis-server)";
  }
  strata::test::TempDir dir;
  const int port = FreeLoopbackPort();
  ASSERT_GT(port, 0);
  RedisServer server(dir.path(), port);
  ASSERT_TRUE(server.WaitReady()) << "redis-server did not start on port " << port;

  const std::string commands = dir.File("commands.txt");
  std::ofstream(commands) << DataSet();
  const std::string load = server.Cli("", "< " + commands);
  ASSERT_EQ(load.find("ERR"), std::string::npos) << load;
  ASSERT_EQ(server.Cli("", "SAVE"), "OK\n");

  Collected got;
  auto source = FileByteSource::Open(dir.File("dump.rdb"));
  ASSERT_TRUE(source.ok()) << source.status().ToString();
  test::CollectingVisitor visitor(&got);
  RdbParser parser(source->get(), dir.File("dump.rdb"), RdbParserOptions(), &visitor);
  Status s = parser.Parse();
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(got.checksum.status, ChecksumStatus::kVerified);
  EXPECT_EQ(got.header.version, 10);  // Redis 7.0

  // Every key redis has, the dump has, in the right database.
  for (int db : {0, 1, 3}) {
    const auto keys = Lines(server.Cli("-n " + std::to_string(db), "--scan"));
    size_t ours = 0;
    for (const KeyRecord& r : got.keys) ours += r.db == static_cast<uint64_t>(db) ? 1 : 0;
    EXPECT_EQ(ours, keys.size()) << "db " << db;
  }
  ASSERT_GE(got.keys.size(), 20u);

  for (const KeyRecord& r : got.keys) {
    SCOPED_TRACE(r.key);
    // One redis-cli per key: TYPE, OBJECT ENCODING, the length, PEXPIRETIME.
    const std::string script = dir.File("q.txt");
    std::ofstream(script) << "TYPE " << r.key << "\nOBJECT ENCODING " << r.key << "\n"
                          << LengthCommand(r.type) << " " << r.key << "\nPEXPIRETIME " << r.key
                          << "\n";
    const auto answer = Lines(server.Cli("-n " + std::to_string(r.db), "< " + script));
    ASSERT_EQ(answer.size(), 4u);
    EXPECT_EQ(answer[0], EnumName(r.type));
    EXPECT_TRUE(EncodingAgrees(r.encoding, answer[1]))
        << "ours " << r.encoding << ", redis " << answer[1];
    const uint64_t length = std::stoull(answer[2]);
    if (r.type == KeyType::kString) {
      EXPECT_EQ(r.shape.element_bytes, length);
    } else {
      EXPECT_EQ(r.member_count, length);
    }
    const int64_t expire = std::stoll(answer[3]);
    if (expire < 0) {
      EXPECT_FALSE(r.expire_at_ms.has_value());
    } else {
      ASSERT_TRUE(r.expire_at_ms.has_value());
      EXPECT_EQ(*r.expire_at_ms, expire);
    }
  }

  // Facts only the data set knows.
  const KeyRecord* big = got.Find("str:big");
  ASSERT_NE(big, nullptr);
  EXPECT_EQ(big->encoding, "lzf");
  EXPECT_LT(big->rdb_size, 100000u);  // a megabyte of zeros compresses well
  const KeyRecord* expiring = got.Find("str:expiring");
  ASSERT_NE(expiring, nullptr);
  EXPECT_EQ(*expiring->expire_at_ms, 4102444800123);
  const KeyRecord* large = got.Find("list:large");
  ASSERT_NE(large, nullptr);
  EXPECT_EQ(large->shape.quicklist_nodes, 25u);  // 100 elements, 4 per node
  const KeyRecord* plain = got.Find("list:plain");
  ASSERT_NE(plain, nullptr);
  EXPECT_EQ(plain->shape.quicklist_plain_nodes, 1u);
  EXPECT_EQ(plain->shape.max_element_len, 300u);
  const KeyRecord* ints = got.Find("list:ints");
  ASSERT_NE(ints, nullptr);
  EXPECT_TRUE(ints->shape.all_integers || !ints->shape.element_stats_exact);
  const KeyRecord* stream = got.Find("stream:s");
  ASSERT_NE(stream, nullptr);
  EXPECT_EQ(stream->shape.stream_groups, 2u);
  EXPECT_EQ(stream->shape.stream_consumers, 2u);
  EXPECT_EQ(stream->shape.stream_group_pel, 5u);
  EXPECT_EQ(stream->shape.stream_consumer_pel, 5u);
  const auto pending = Lines(server.Cli("", "XPENDING stream:s g1"));
  ASSERT_FALSE(pending.empty());
  EXPECT_EQ(pending[0], "5");

  // The same dump through the check report, and with every LZF container walked.
  {
    auto again = FileByteSource::Open(dir.File("dump.rdb"));
    ASSERT_TRUE(again.ok());
    Status cs;
    const std::string report = CheckRdb(again->get(), "dump.rdb", RdbParserOptions(), 0, &cs);
    EXPECT_TRUE(cs.ok()) << report;
    EXPECT_NE(report.find("Checksum OK"), std::string::npos) << report;
    EXPECT_NE(report.find("[info] " + std::to_string(got.keys.size()) + " keys read"),
              std::string::npos)
        << report;
  }
  {
    auto again = FileByteSource::Open(dir.File("dump.rdb"));
    ASSERT_TRUE(again.ok());
    Collected walked;
    test::CollectingVisitor walker(&walked);
    RdbParserOptions options;
    options.walk_compressed_containers = true;
    RdbParser walk_parser(again->get(), "dump.rdb", options, &walker);
    ASSERT_TRUE(walk_parser.Parse().ok());
    for (const KeyRecord& r : walked.keys) {
      EXPECT_TRUE(r.shape.element_stats_exact) << r.key;
      const KeyRecord* first = got.Find(r.key, r.db);
      ASSERT_NE(first, nullptr);
      EXPECT_EQ(first->member_count, r.member_count) << r.key;
    }
    // With exact element statistics, the check on list:ints above can no longer pass by the
    // statistics being inexact.
    const KeyRecord* walked_ints = walked.Find("list:ints");
    ASSERT_NE(walked_ints, nullptr);
    EXPECT_TRUE(walked_ints->shape.all_integers);
  }
}

}  // namespace
}  // namespace strata::rdb
