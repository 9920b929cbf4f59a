// ReplicationSource against a real redis-server (skipped when it is not installed): the bytes
// of a disk-based and a diskless transfer are exactly one RDB (its header, its checksum, the
// replication it starts), authentication, and a master that dies or stalls mid-transfer.
// That those bytes parse to the keys of the server's own SAVE is the RDB parser's test
// (tests/unit/rdb/live_snapshot_test.cc).
#include "redis/replication_source.h"

#include <gtest/gtest.h>

#include <chrono>
#include <functional>
#include <string>

#include "base/coding.h"
#include "base/crc64.h"
#include "support/redis_server.h"
#include "support/test_util.h"

namespace strata::redis {
namespace {

using std::chrono::milliseconds;
using strata::test::RedisServer;

#define SKIP_WITHOUT_REDIS()                   \
  if (!RedisServer::Available()) {             \
    GTEST_SKIP() << RedisServer::SkipReason(); \
  }

#define EXPECT_MESSAGE_HAS(status, fragment) \
  EXPECT_NE((status).message().find(fragment), std::string::npos) << (status).ToString()

net::HostPort AddressOf(const RedisServer& server) { return {server.host(), server.port()}; }

std::unique_ptr<RedisConnection> Connect(const RedisServer& server) {
  auto c = RedisConnection::Connect(AddressOf(server), {});
  EXPECT_TRUE(c.ok()) << c.status().ToString();
  if (!c.ok()) return nullptr;
  return std::move(c).value();
}

void Run(RedisConnection* c, const std::vector<std::string>& command) {
  Result<resp::Value> reply = c->Call(command);
  ASSERT_TRUE(reply.ok()) << reply.status().ToString();
  ASSERT_FALSE(reply->is_error()) << command[0] << ": " << reply->Summary();
}

// Incompressible values, size_mb MiB in all, sent pipelined: a payload bigger than the
// socket buffers, so that a transfer can be interrupted in the middle.
void LoadBulkData(RedisConnection* c, int size_mb) {
  constexpr size_t kValueBytes = 64 << 10;
  const int count = size_mb * 16;
  for (int i = 0; i < count; i++) {
    ASSERT_TRUE(
        c->Send({"SET", "bulk:" + std::to_string(i), strata::test::RandomBytes(i, kValueBytes)})
            .ok());
  }
  for (int i = 0; i < count; i++) ASSERT_TRUE(c->ReadReply().ok());
}

// Everything the source hands out, in reads of read_size.
Result<std::string> Drain(ReplicationSource* source, size_t read_size) {
  std::string out;
  std::string buf(read_size, '\0');
  while (true) {
    Result<size_t> got = source->Read(buf.data(), buf.size());
    if (!got.ok()) return got.status();
    if (*got == 0) return out;
    out.append(buf.data(), *got);
  }
}

// A replicated snapshot is exactly one RDB: "REDIS" and its version, an AUX field naming the
// replication that PSYNC started, the EOF opcode, and Redis's CRC-64 of everything before it
// in the last 8 bytes (little-endian). Nothing before it (the payload header) or after it
// (the diskless end mark) leaks in.
void ExpectOneWholeRdb(const std::vector<std::string>& config, TransferMode mode) {
  auto server = RedisServer::Start({.config_lines = config});
  ASSERT_TRUE(server.ok()) << server.status().ToString();
  auto c = Connect(**server);
  ASSERT_NE(c, nullptr);
  Run(c.get(), {"SET", "string:short", "hello"});
  Run(c.get(), {"SET", "string:long", std::string(20'000, 'a')});  // LZF-compressed
  Run(c.get(), {"RPUSH", "list", "a", "b", "c"});
  Run(c.get(), {"HSET", "hash", "f1", "v1"});

  auto source = ReplicationSource::Open(AddressOf(**server), ReplicationOptions());
  ASSERT_TRUE(source.ok()) << source.status().ToString();
  EXPECT_EQ((*source)->mode(), mode);
  EXPECT_EQ((*source)->name(), (*server)->address());
  const std::string replid = (*source)->replication_id();
  ASSERT_EQ(replid.size(), 40u);
  Result<std::string> got = Drain(source->get(), 1000);
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  const std::string& bytes = *got;

  ASSERT_GT(bytes.size(), 18u);
  EXPECT_EQ(bytes.substr(0, 5), "REDIS");
  EXPECT_EQ(bytes.substr(5, 4).find_first_not_of("0123456789"), std::string::npos);
  EXPECT_EQ(static_cast<uint8_t>(bytes[bytes.size() - 9]), 0xff);
  EXPECT_EQ(DecodeFixed64(bytes.data() + bytes.size() - 8),
            crc64::Value(bytes.data(), bytes.size() - 8));
  // AUX (0xfa), "repl-id" (a 7-byte string), the 40-byte id.
  EXPECT_NE(bytes.find("\xfa\x07repl-id\x28" + replid), std::string::npos);
  for (const char* key : {"string:short", "list", "hash"}) {
    EXPECT_NE(bytes.find(key), std::string::npos) << key;
  }
  EXPECT_EQ((*source)->bytes_read(), bytes.size());
  if (mode == TransferMode::kDiskBased) {
    EXPECT_EQ((*source)->total_bytes(), bytes.size());
  } else {
    EXPECT_FALSE((*source)->total_bytes().has_value());
  }
  // The source ends where the RDB ends, however often it is asked.
  char c1;
  EXPECT_EQ(*(*source)->Read(&c1, 1), 0u);
  EXPECT_EQ(*(*source)->Read(&c1, 1), 0u);
}

TEST(ReplicationSourceTest, DiskBasedTransferIsOneWholeRdb) {
  SKIP_WITHOUT_REDIS();
  ExpectOneWholeRdb({"repl-diskless-sync no"}, TransferMode::kDiskBased);
}

TEST(ReplicationSourceTest, DisklessTransferIsOneWholeRdb) {
  SKIP_WITHOUT_REDIS();
  ExpectOneWholeRdb({"repl-diskless-sync yes", "repl-diskless-sync-delay 0"},
                    TransferMode::kDiskless);
}

TEST(ReplicationSourceTest, Authentication) {
  SKIP_WITHOUT_REDIS();
  auto server =
      RedisServer::Start({.config_lines = {"requirepass s3cret", "repl-diskless-sync-delay 0",
                                           "user dumper on >dumperpw ~* &* +@all",
                                           "user reader on >readerpw ~* +@read"}});
  ASSERT_TRUE(server.ok()) << server.status().ToString();
  const net::HostPort address = AddressOf(**server);
  const std::string name = address.ToString();

  ReplicationOptions options;
  options.password = "s3cret";
  auto source = ReplicationSource::Open(address, options);
  ASSERT_TRUE(source.ok()) << source.status().ToString();
  source->reset();

  options.user = "dumper";
  options.password = "dumperpw";
  source = ReplicationSource::Open(address, options);
  ASSERT_TRUE(source.ok()) << source.status().ToString();
  source->reset();

  options.user = "";
  options.password = "wrong-password";
  source = ReplicationSource::Open(address, options);
  ASSERT_FALSE(source.ok());
  EXPECT_TRUE(source.status().IsInvalidArgument());
  EXPECT_MESSAGE_HAS(source.status(), name + ": AUTH failed: WRONGPASS");

  source = ReplicationSource::Open(address, ReplicationOptions());
  ASSERT_FALSE(source.ok());
  EXPECT_MESSAGE_HAS(source.status(), name + ": REPLCONF refused (the server needs a password)");

  // A user without the replication commands.
  options.user = "reader";
  options.password = "readerpw";
  source = ReplicationSource::Open(address, options);
  ASSERT_FALSE(source.ok());
  EXPECT_MESSAGE_HAS(source.status(), name + ": REPLCONF refused: NOPERM");
}

// Reads 1 MiB of a big transfer, lets `interrupt` act on the server, then reads on: the
// source must fail (not hang, not end quietly) and return the failure's message.
std::string FailureAfterInterrupt(RedisServer* server, const ReplicationOptions& options,
                                  const std::function<void()>& interrupt) {
  auto source = ReplicationSource::Open(AddressOf(*server), options);
  EXPECT_TRUE(source.ok()) << source.status().ToString();
  if (!source.ok()) return "";
  // Well into the transfer, with bytes in flight in the socket buffers.
  std::string buf(64 << 10, '\0');
  while ((*source)->bytes_read() < (1u << 20)) {
    Result<size_t> got = (*source)->Read(buf.data(), buf.size());
    EXPECT_TRUE(got.ok() && *got > 0);
    if (!got.ok() || *got == 0) return "";
  }
  interrupt();
  while (true) {
    Result<size_t> got = (*source)->Read(buf.data(), buf.size());
    if (!got.ok()) return got.status().message();
    if (*got == 0) {
      ADD_FAILURE() << "the transfer ended normally after " << (*source)->bytes_read() << " bytes";
      return "";
    }
  }
}

void ExpectKilledMasterFails(const std::vector<std::string>& config) {
  auto server = RedisServer::Start({.config_lines = config});
  ASSERT_TRUE(server.ok()) << server.status().ToString();
  auto c = Connect(**server);
  ASSERT_NE(c, nullptr);
  ASSERT_NO_FATAL_FAILURE(LoadBulkData(c.get(), 24));
  ReplicationOptions options;
  options.stall_timeout = milliseconds(20'000);  // the close must be seen well before this
  const auto start = std::chrono::steady_clock::now();
  const std::string message =
      FailureAfterInterrupt(server->get(), options, [&] { (*server)->Kill(); });
  EXPECT_LT(std::chrono::steady_clock::now() - start, milliseconds(15'000));
  EXPECT_TRUE(message.starts_with((*server)->address() + ": RDB transfer")) << message;
  EXPECT_TRUE(message.find("connection closed by the server") != std::string::npos ||
              message.find("reset") != std::string::npos)
      << message;
}

TEST(ReplicationSourceTest, MasterKilledMidTransferDiskBased) {
  SKIP_WITHOUT_REDIS();
  ExpectKilledMasterFails({"repl-diskless-sync no"});
}

TEST(ReplicationSourceTest, MasterKilledMidTransferDiskless) {
  SKIP_WITHOUT_REDIS();
  ExpectKilledMasterFails({"repl-diskless-sync yes", "repl-diskless-sync-delay 0"});
}

TEST(ReplicationSourceTest, StalledMasterTimesOut) {
  SKIP_WITHOUT_REDIS();
  auto server = RedisServer::Start({.config_lines = {"repl-diskless-sync no"}});
  ASSERT_TRUE(server.ok()) << server.status().ToString();
  auto c = Connect(**server);
  ASSERT_NE(c, nullptr);
  ASSERT_NO_FATAL_FAILURE(LoadBulkData(c.get(), 24));
  ReplicationOptions options;
  options.stall_timeout = milliseconds(1000);
  const std::string message =
      FailureAfterInterrupt(server->get(), options, [&] { (*server)->Pause(); });
  (*server)->Resume();
  EXPECT_TRUE(message.starts_with((*server)->address() + ": RDB transfer, after ")) << message;
  EXPECT_NE(message.find("no data received for 1.0 s"), std::string::npos) << message;
}

}  // namespace
}  // namespace strata::redis
