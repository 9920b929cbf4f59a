// A live server's snapshot, read through the replica handshake (redis::ReplicationSource),
// parses to the same keys as the server's own SAVE file, disk-based and diskless, and an
// empty server's to none (skipped when redis-server is not installed). The transfer's
// framing on its own is tested with the client, in tests/unit/redis.
#include <gtest/gtest.h>

#include <chrono>
#include <map>
#include <string>
#include <tuple>

#include "base/byte_source.h"
#include "rdb/rdb_parser.h"
#include "rdb_test_util.h"
#include "redis/replication_source.h"
#include "support/redis_server.h"

namespace strata::rdb {
namespace {

using redis::RedisConnection;
using redis::ReplicationOptions;
using redis::ReplicationSource;
using redis::TransferMode;
using strata::test::RedisServer;

#define SKIP_WITHOUT_REDIS()                   \
  if (!RedisServer::Available()) {             \
    GTEST_SKIP() << RedisServer::SkipReason(); \
  }

net::HostPort AddressOf(const RedisServer& server) { return {server.host(), server.port()}; }

std::unique_ptr<RedisConnection> Connect(const RedisServer& server,
                                         const std::string& password = "") {
  auto c = RedisConnection::Connect(AddressOf(server), {});
  EXPECT_TRUE(c.ok()) << c.status().ToString();
  if (!c.ok()) return nullptr;
  if (!password.empty()) {
    EXPECT_TRUE((*c)->Authenticate("", password).ok());
  }
  return std::move(c).value();
}

void Run(RedisConnection* c, const std::vector<std::string>& command) {
  Result<resp::Value> reply = c->Call(command);
  ASSERT_TRUE(reply.ok()) << reply.status().ToString();
  ASSERT_FALSE(reply->is_error()) << command[0] << ": " << reply->Summary();
}

// Keys of every type and common encoding, in two databases, some with expiries.
void LoadVariedData(RedisConnection* c) {
  Run(c, {"SET", "string:short", "hello"});
  Run(c, {"SET", "string:int", "12345"});
  Run(c, {"SET", "string:long", std::string(20'000, 'a')});  // LZF-compressed in the RDB
  Run(c, {"SET", "string:expiring", "x", "PXAT", "4102444800000"});
  Run(c, {"RPUSH", "list:small", "a", "b", "c"});
  for (int i = 0; i < 300; i++) Run(c, {"RPUSH", "list:big", std::string(100, 'a' + i % 26)});
  Run(c, {"HSET", "hash:small", "f1", "v1", "f2", "2"});
  for (int i = 0; i < 200; i++) Run(c, {"HSET", "hash:big", "field" + std::to_string(i), "v"});
  Run(c, {"SADD", "set:ints", "1", "2", "3"});
  Run(c, {"SADD", "set:strings", "x", "y"});
  for (int i = 0; i < 200; i++) Run(c, {"SADD", "set:big", "member" + std::to_string(i)});
  Run(c, {"ZADD", "zset:small", "1", "a", "2.5", "b"});
  for (int i = 0; i < 200; i++) {
    Run(c, {"ZADD", "zset:big", std::to_string(i), "member" + std::to_string(i)});
  }
  Run(c, {"XADD", "stream", "*", "field", "value"});
  Run(c, {"XGROUP", "CREATE", "stream", "group", "0"});
  Run(c, {"SELECT", "1"});
  Run(c, {"SET", "db1:key", "in db 1"});
  Run(c, {"PEXPIREAT", "db1:key", "4102444800000"});
  Run(c, {"SELECT", "0"});
}

// What the comparison looks at for each key: db and name -> type, encoding, members,
// expiry and value size in the file.
using KeySummary = std::map<std::pair<uint64_t, std::string>,
                            std::tuple<KeyType, std::string, uint64_t, int64_t, uint64_t>>;

KeySummary Summarize(const test::Collected& collected) {
  KeySummary summary;
  for (const KeyRecord& r : collected.keys) {
    summary[{r.db, r.key}] = {r.type, std::string(r.encoding), r.member_count,
                              r.expire_at_ms.value_or(-1), r.rdb_size};
  }
  return summary;
}

// Passes bytes through from a source while keeping a copy, to check the raw framing.
class RecordingSource final : public ByteSource {
 public:
  explicit RecordingSource(ByteSource* inner) : inner_(inner) {}
  Result<size_t> Read(char* dst, size_t n) override {
    Result<size_t> got = inner_->Read(dst, n);
    if (got.ok()) bytes_.append(dst, *got);
    return got;
  }
  const std::string& bytes() const { return bytes_; }

 private:
  ByteSource* inner_;
  std::string bytes_;
};

// SAVE's file and a replicated snapshot of the same data hold the same keys, and the
// replicated bytes are exactly one well-formed RDB.
void ExpectTransferMatchesSave(const std::vector<std::string>& config, TransferMode mode) {
  auto server = RedisServer::Start({.config_lines = config});
  ASSERT_TRUE(server.ok()) << server.status().ToString();
  auto c = Connect(**server);
  ASSERT_NE(c, nullptr);
  ASSERT_NO_FATAL_FAILURE(LoadVariedData(c.get()));
  Run(c.get(), {"SAVE"});

  test::Collected saved;
  {
    auto file = FileByteSource::Open((*server)->RdbPath());
    ASSERT_TRUE(file.ok()) << file.status().ToString();
    test::CollectingVisitor visitor(&saved);
    RdbParser parser(file->get(), (*server)->RdbPath(), RdbParserOptions(), &visitor);
    ASSERT_TRUE(parser.Parse().ok());
  }

  auto source = ReplicationSource::Open(AddressOf(**server), ReplicationOptions());
  ASSERT_TRUE(source.ok()) << source.status().ToString();
  EXPECT_EQ((*source)->mode(), mode);
  EXPECT_EQ((*source)->replication_id().size(), 40u);
  RecordingSource recording(source->get());
  test::Collected replicated;
  test::CollectingVisitor visitor(&replicated);
  RdbParser parser(&recording, (*source)->name(), RdbParserOptions(), &visitor);
  Status s = parser.Parse();
  ASSERT_TRUE(s.ok()) << s.ToString();

  EXPECT_TRUE(replicated.ended);
  EXPECT_EQ(replicated.checksum.status, ChecksumStatus::kVerified);
  EXPECT_EQ(Summarize(replicated), Summarize(saved));
  EXPECT_EQ(Summarize(replicated).size(), 15u);
  // The replicated RDB names the replication it starts.
  bool saw_repl_id = false;
  for (const auto& [name, value] : replicated.aux) {
    if (name == "repl-id") {
      saw_repl_id = true;
      EXPECT_EQ(value, (*source)->replication_id());
    }
  }
  EXPECT_TRUE(saw_repl_id);

  // Raw framing: "REDIS", and the EOF opcode before the 8-byte checksum at the very end.
  const std::string& bytes = recording.bytes();
  ASSERT_GT(bytes.size(), 18u);
  EXPECT_EQ(bytes.substr(0, 5), "REDIS");
  EXPECT_EQ(static_cast<uint8_t>(bytes[bytes.size() - 9]), 0xff);
  EXPECT_EQ((*source)->bytes_read(), bytes.size());
  if (mode == TransferMode::kDiskBased) {
    EXPECT_EQ((*source)->total_bytes(), bytes.size());
  } else {
    EXPECT_FALSE((*source)->total_bytes().has_value());
  }
  // The source ends where the RDB ends, however often it is asked.
  char c1;
  EXPECT_EQ(*(*source)->Read(&c1, 1), 0u);
}

TEST(LiveSnapshotTest, DiskBasedTransferMatchesSave) {
  SKIP_WITHOUT_REDIS();
  ExpectTransferMatchesSave({"repl-diskless-sync no"}, TransferMode::kDiskBased);
}

TEST(LiveSnapshotTest, DisklessTransferMatchesSave) {
  SKIP_WITHOUT_REDIS();
  ExpectTransferMatchesSave({"repl-diskless-sync yes", "repl-diskless-sync-delay 0"},
                            TransferMode::kDiskless);
}

TEST(LiveSnapshotTest, EmptyDataset) {
  SKIP_WITHOUT_REDIS();
  auto server = RedisServer::Start({.config_lines = {"repl-diskless-sync-delay 0"}});
  ASSERT_TRUE(server.ok()) << server.status().ToString();
  auto source = ReplicationSource::Open(AddressOf(**server), ReplicationOptions());
  ASSERT_TRUE(source.ok()) << source.status().ToString();
  test::Collected collected;
  test::CollectingVisitor visitor(&collected);
  RdbParser parser(source->get(), (*source)->name(), RdbParserOptions(), &visitor);
  ASSERT_TRUE(parser.Parse().ok());
  EXPECT_TRUE(collected.ended);
  EXPECT_TRUE(collected.keys.empty());
}

}  // namespace
}  // namespace strata::rdb
