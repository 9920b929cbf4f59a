// Cluster discovery: CLUSTER NODES text of several Redis versions, grouped into shards;
// malformed lines; the choice of dump nodes; and a real six-node cluster (three masters with
// a replica each) assembled by hand, discovered, and dumped from its replicas.
#include "redis/cluster_topology.h"

#include <gtest/gtest.h>

#include <chrono>
#include <functional>
#include <thread>

#include "base/coding.h"
#include "base/crc64.h"
#include "redis/replication_source.h"
#include "support/redis_server.h"

namespace strata::redis {
namespace {

using std::chrono::milliseconds;

#define EXPECT_MESSAGE_HAS(status, fragment) \
  EXPECT_NE((status).message().find(fragment), std::string::npos) << (status).ToString()

// A node id made of one repeated hex digit, for readable samples.
std::string Id(char digit) { return std::string(40, digit); }

const net::HostPort kSeed{"10.0.0.1", 7000};

ClusterTopology MustBuild(const std::string& text) {
  Result<std::vector<ClusterNode>> nodes = ParseClusterNodes(text);
  EXPECT_TRUE(nodes.ok()) << nodes.status().ToString();
  if (!nodes.ok()) return {};
  Result<ClusterTopology> topology = BuildClusterTopology(*nodes, kSeed);
  EXPECT_TRUE(topology.ok()) << topology.status().ToString();
  return topology.ok() ? std::move(topology).value() : ClusterTopology();
}

// Three masters with a replica each, written the way `version` prints addresses.
std::string ThreeShards(const std::function<std::string(int port)>& address) {
  return Id('4') + " " + address(7004) + " slave " + Id('1') + " 0 1700000000000 4 connected\n" +
         Id('2') + " " + address(7002) + " master - 0 1700000000000 2 connected 5461-10922\n" +
         Id('3') + " " + address(7003) + " master - 0 1700000000000 3 connected 10923-16383\n" +
         Id('5') + " " + address(7005) + " slave " + Id('2') + " 0 1700000000000 5 connected\n" +
         Id('6') + " " + address(7006) + " slave " + Id('3') + " 0 1700000000000 6 connected\n" +
         Id('1') + " " + address(7001) + " myself,master - 0 0 1 connected 0-5460\n";
}

void ExpectThreeShards(const ClusterTopology& t, const std::string& host) {
  ASSERT_EQ(t.shards.size(), 3u);
  EXPECT_EQ(t.assigned_slots, kClusterSlots);
  const char masters[] = {'1', '2', '3'};
  const char replicas[] = {'4', '5', '6'};
  const std::vector<SlotRange> slots[] = {{{0, 5460}}, {{5461, 10922}}, {{10923, 16383}}};
  for (int i = 0; i < 3; i++) {
    const ClusterShard& shard = t.shards[i];
    EXPECT_EQ(shard.master.id, Id(masters[i]));
    EXPECT_EQ(shard.master.address, (net::HostPort{host, static_cast<uint16_t>(7001 + i)}));
    EXPECT_EQ(shard.master.slots, slots[i]);
    ASSERT_EQ(shard.replicas.size(), 1u);
    EXPECT_EQ(shard.replicas[0].id, Id(replicas[i]));
    EXPECT_EQ(shard.replicas[0].master_id, Id(masters[i]));
    EXPECT_EQ(shard.replicas[0].address.port, 7004 + i);
  }
  EXPECT_TRUE(t.shards[0].master.myself);
}

TEST(ClusterNodesTest, Redis3Format) {
  // No cluster bus port: "ip:port".
  ExpectThreeShards(
      MustBuild(ThreeShards([](int port) { return "127.0.0.1:" + std::to_string(port); })),
      "127.0.0.1");
}

TEST(ClusterNodesTest, Redis4To6Format) {
  const ClusterTopology t = MustBuild(ThreeShards([](int port) {
    return "127.0.0.1:" + std::to_string(port) + "@" + std::to_string(port + 10000);
  }));
  ExpectThreeShards(t, "127.0.0.1");
  EXPECT_EQ(t.shards[1].master.bus_port, 17002);
}

TEST(ClusterNodesTest, Redis7FormatWithHostnames) {
  const ClusterTopology t = MustBuild(ThreeShards([](int port) {
    return "10.1.2.3:" + std::to_string(port) + "@" + std::to_string(port + 10000) + ",redis-" +
           std::to_string(port) + ".example";
  }));
  ExpectThreeShards(t, "10.1.2.3");
  EXPECT_EQ(t.shards[2].master.hostname, "redis-7003.example");
}

TEST(ClusterNodesTest, Redis72FormatWithAuxFields) {
  // "ip:port@cport,hostname,aux=value,...", the hostname left empty or not.
  const ClusterTopology t = MustBuild(ThreeShards([](int port) {
    const std::string host = port % 2 == 0 ? "" : "node" + std::to_string(port);
    return "10.1.2.3:" + std::to_string(port) + "@" + std::to_string(port + 10000) + "," + host +
           ",tls-port=0,shard-id=" + Id('9');
  }));
  ExpectThreeShards(t, "10.1.2.3");
  EXPECT_EQ(t.shards[0].master.hostname, "node7001");
  EXPECT_EQ(t.shards[1].master.hostname, "");
}

TEST(ClusterNodesTest, Ipv6Addresses) {
  const ClusterTopology t = MustBuild(ThreeShards([](int port) {
    return "fd00::1:" + std::to_string(port) + "@" + std::to_string(port + 10000);
  }));
  ExpectThreeShards(t, "fd00::1");
  EXPECT_EQ(t.shards[0].master.address.ToString(), "[fd00::1]:7001");
}

TEST(ClusterNodesTest, MigrationEntriesAreNotOwnedSlots) {
  const std::string text =
      Id('1') + " 127.0.0.1:7001@17001 myself,master - 0 0 1 connected 0-5460 [5461-<-" + Id('2') +
      "] [100->-" + Id('2') + "]\n" + Id('2') +
      " 127.0.0.1:7002@17002 master - 0 1700000000000 2 connected 5461-16383\n";
  const ClusterTopology t = MustBuild(text);
  ASSERT_EQ(t.shards.size(), 2u);
  EXPECT_EQ(t.shards[0].master.slots, (std::vector<SlotRange>{{0, 5460}}));
  EXPECT_EQ(t.assigned_slots, kClusterSlots);
}

TEST(ClusterNodesTest, ScatteredSlotsAndSingleSlots) {
  const std::string text =
      Id('1') + " 127.0.0.1:7001 myself,master - 0 0 1 connected 0-99 100 " + "102-200 16383\n";
  const ClusterTopology t = MustBuild(text);
  ASSERT_EQ(t.shards.size(), 1u);
  EXPECT_EQ(FormatSlotRanges(t.shards[0].master.slots), "0-99,100,102-200,16383");
  EXPECT_EQ(t.shards[0].slot_count(), 201u);
  EXPECT_EQ(t.assigned_slots, 201u);
  EXPECT_EQ(t.shards[0].Describe(),
            "master 11111111 at 127.0.0.1:7001 (slots 0-99,100,102-200,16383)");
}

TEST(ClusterNodesTest, OnlyHealthyReplicasJoinTheirShard) {
  const std::string text =
      Id('1') + " 127.0.0.1:7001@17001 myself,master - 0 0 1 connected 0-16383\n" + Id('2') +
      " 127.0.0.1:7002@17002 slave " + Id('1') + " 0 1 1 connected\n" +  // ok
      Id('3') + " 127.0.0.1:7003@17003 slave,fail " + Id('1') + " 0 1 1 disconnected\n" + Id('4') +
      " 127.0.0.1:7004@17004 slave,fail? " + Id('1') + " 0 1 1 connected\n" + Id('5') +
      " 127.0.0.1:7005@17005 slave " + Id('1') + " 0 1 1 disconnected\n" + Id('6') +
      " :0@0 slave,noaddr " + Id('1') + " 0 1 1 disconnected\n" + Id('7') +
      " 127.0.0.1:7007@17007 handshake - 0 0 0 disconnected\n" + Id('8') +
      " 127.0.0.1:7008@17008 replica,nofailover " + Id('1') + " 0 1 1 connected\n" + Id('9') +
      " 127.0.0.1:7009@17009 slave " + Id('e') + " 0 1 1 connected\n";  // unknown
  const ClusterTopology t = MustBuild(text);
  ASSERT_EQ(t.shards.size(), 1u);
  ASSERT_EQ(t.shards[0].replicas.size(), 2u);
  EXPECT_EQ(t.shards[0].replicas[0].id, Id('2'));
  EXPECT_EQ(t.shards[0].replicas[1].id, Id('8'));
}

TEST(ClusterNodesTest, MastersWithoutSlots) {
  // A failed-over old master (no slots, fail) is left out; a healthy empty master is kept,
  // after the slot owners, since it may be receiving its first slots.
  const std::string text = Id('a') + " 127.0.0.1:7010@17010 master - 0 1 9 connected\n" + Id('1') +
                           " 127.0.0.1:7001@17001 myself,master - 0 0 1 connected 0-16383\n" +
                           Id('b') + " 127.0.0.1:7011@17011 master,fail - 0 1 2 disconnected\n";
  const ClusterTopology t = MustBuild(text);
  ASSERT_EQ(t.shards.size(), 2u);
  EXPECT_EQ(t.shards[0].master.id, Id('1'));
  EXPECT_EQ(t.shards[1].master.id, Id('a'));
  EXPECT_EQ(t.shards[1].Describe(), "master aaaaaaaa at 127.0.0.1:7010 (no slots)");
}

TEST(ClusterNodesTest, LoneNodeWithoutItsOwnAddress) {
  // A node that has met no other does not know its IP: the seed's host stands in.
  const ClusterTopology t =
      MustBuild(Id('1') + " :7000@17000 myself,master - 0 0 0 connected 0-16383\n");
  ASSERT_EQ(t.shards.size(), 1u);
  EXPECT_EQ(t.shards[0].master.address, kSeed);
}

TEST(ClusterNodesTest, MalformedLinesAreRejectedWithTheLine) {
  const std::string good = Id('1') + " 127.0.0.1:7001@17001 myself,master - 0 0 1 connected 0-5\n";
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"hello world", "2 fields, expected at least 8"},
      {"abc 127.0.0.1:7002 master - 0 0 1 connected", "bad node id"},
      {Id('2') + " 127.0.0.1 master - 0 0 1 connected", "an address without a port"},
      {Id('2') + " 127.0.0.1:70x2 master - 0 0 1 connected", "bad port"},
      {Id('2') + " 127.0.0.1:7002@1x master - 0 0 1 connected", "bad cluster bus port"},
      {Id('2') + " 127.0.0.1:7002 master,slave - 0 0 1 connected", "both master and replica"},
      {Id('2') + " 127.0.0.1:7002 slave 1234 0 0 1 connected", "bad master id"},
      {Id('2') + " 127.0.0.1:7002 master - x 0 1 connected", "bad ping/pong times"},
      {Id('2') + " 127.0.0.1:7002 master - 0 0 -1 connected", "bad config epoch"},
      {Id('2') + " 127.0.0.1:7002 master - 0 0 1 linked", "bad link state \"linked\""},
      {Id('2') + " 127.0.0.1:7002 master - 0 0 1 connected 16384", "bad slot range \"16384\""},
      {Id('2') + " 127.0.0.1:7002 master - 0 0 1 connected 10-5", "bad slot range \"10-5\""},
      {Id('2') + " 127.0.0.1:7002 master - 0 0 1 connected 1-2-3", "bad slot range"},
      {Id('2') + " 127.0.0.1:7002 master - 0 0 1 connected [5->-" + Id('1'),
       "unterminated slot entry"},
      {Id('2') + " 127.0.0.1:7002 master - 0 0 1 connected [5=>-" + Id('1') + "]",
       "bad migration entry"},
  };
  for (const auto& [line, fragment] : cases) {
    SCOPED_TRACE(line);
    Result<std::vector<ClusterNode>> nodes = ParseClusterNodes(good + line + "\n");
    ASSERT_FALSE(nodes.ok());
    EXPECT_TRUE(nodes.status().IsCorruption());
    EXPECT_MESSAGE_HAS(nodes.status(), "CLUSTER NODES line 2 \"" + line.substr(0, 60));
    EXPECT_MESSAGE_HAS(nodes.status(), fragment);
  }
  EXPECT_FALSE(ParseClusterNodes("").ok());
  EXPECT_FALSE(ParseClusterNodes("\n\n").ok());
}

TEST(ClusterNodesTest, ContradictionsAreRejected) {
  const std::string a = Id('1') + " 127.0.0.1:7001 myself,master - 0 0 1 connected 0-100\n";
  Result<std::vector<ClusterNode>> nodes =
      ParseClusterNodes(a + Id('2') + " 127.0.0.1:7002 master - 0 0 1 connected 100-200\n");
  ASSERT_TRUE(nodes.ok());
  Result<ClusterTopology> t = BuildClusterTopology(*nodes, kSeed);
  ASSERT_FALSE(t.ok());
  EXPECT_MESSAGE_HAS(t.status(), "gives slot 100 to both " + Id('1') + " and " + Id('2'));

  nodes = ParseClusterNodes(a + a);
  ASSERT_TRUE(nodes.ok());
  EXPECT_MESSAGE_HAS(BuildClusterTopology(*nodes, kSeed).status(), "twice");

  nodes =
      ParseClusterNodes(a + Id('2') + " 127.0.0.1:7002 slave " + Id('2') + " 0 0 1 connected\n");
  ASSERT_TRUE(nodes.ok());
  EXPECT_MESSAGE_HAS(BuildClusterTopology(*nodes, kSeed).status(), "as its own replica");
}

TEST(ClusterNodesTest, ChooseDumpTargets) {
  const ClusterTopology t = MustBuild(ThreeShards([](int port) {
    return "127.0.0.1:" + std::to_string(port) + "@" + std::to_string(port + 10000);
  }));
  Result<std::vector<DumpTarget>> masters = ChooseDumpTargets(t, false);
  ASSERT_TRUE(masters.ok()) << masters.status().ToString();
  ASSERT_EQ(masters->size(), 3u);
  EXPECT_EQ((*masters)[0].address.port, 7001);
  EXPECT_FALSE((*masters)[0].is_replica);
  EXPECT_EQ((*masters)[0].shard, "master 11111111 at 127.0.0.1:7001 (slots 0-5460)");

  Result<std::vector<DumpTarget>> replicas = ChooseDumpTargets(t, true);
  ASSERT_TRUE(replicas.ok()) << replicas.status().ToString();
  ASSERT_EQ(replicas->size(), 3u);
  for (int i = 0; i < 3; i++) {
    EXPECT_EQ((*replicas)[i].address.port, 7004 + i);
    EXPECT_TRUE((*replicas)[i].is_replica);
  }
}

TEST(ClusterNodesTest, ShardsWithoutAUsableNodeAreNamed) {
  const std::string text =
      Id('1') + " 127.0.0.1:7001@17001 myself,master - 0 0 1 connected 0-8000\n" + Id('2') +
      " 127.0.0.1:7002@17002 master,fail - 0 1 2 disconnected 8001-16383\n" + Id('3') +
      " 127.0.0.1:7003@17003 slave " + Id('2') + " 0 1 3 connected\n";
  const ClusterTopology t = MustBuild(text);
  Result<std::vector<DumpTarget>> targets = ChooseDumpTargets(t, false);
  ASSERT_FALSE(targets.ok());
  EXPECT_MESSAGE_HAS(targets.status(),
                     "master 22222222 at 127.0.0.1:7002 (slots 8001-16383) is marked fail");
  targets = ChooseDumpTargets(t, true);
  ASSERT_FALSE(targets.ok());
  EXPECT_MESSAGE_HAS(targets.status(), "cannot read every shard from a replica");
  EXPECT_MESSAGE_HAS(targets.status(),
                     "master 11111111 at 127.0.0.1:7001 (slots 0-8000) has no healthy");
  EXPECT_EQ(targets.status().message().find("22222222"), std::string::npos);
}

// ---------------------------------------------------------------------------------------
// Against real servers.

#define SKIP_WITHOUT_REDIS()                                 \
  if (!strata::test::RedisServer::Available()) {             \
    GTEST_SKIP() << strata::test::RedisServer::SkipReason(); \
  }

// Polls condition until it holds or timeout passes: a loaded machine is slow, not wrong.
bool WaitUntil(const std::function<bool()>& condition, milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (condition()) return true;
    std::this_thread::sleep_for(milliseconds(50));
  }
  return condition();
}

// The reply's text, or "" when there is none.
std::string Text(RedisConnection* c, const std::vector<std::string>& command) {
  Result<resp::Value> reply = c->Call(command);
  return reply.ok() && !reply->is_error() ? reply->text : "";
}

void Run(RedisConnection* c, const std::vector<std::string>& command) {
  Result<resp::Value> reply = c->Call(command);
  ASSERT_TRUE(reply.ok()) << reply.status().ToString();
  ASSERT_FALSE(reply->is_error()) << command[0] << ": " << reply->Summary();
}

// Three masters and three replicas on loopback, assembled by CLUSTER MEET / ADDSLOTS /
// REPLICATE, as redis-cli --cluster create does, but waiting by polling instead of sleeping.
class LocalCluster {
 public:
  static constexpr int kMasters = 3;
  static constexpr int kNodes = 6;  // node i + 3 replicates master i

  void Start() {
    for (int i = 0; i < kNodes; i++) {
      auto server = strata::test::RedisServer::Start(
          {.config_lines = {"cluster-enabled yes", "cluster-config-file nodes.conf",
                            "cluster-node-timeout 5000", "repl-diskless-sync-delay 0"},
           .cluster_bus = true});
      ASSERT_TRUE(server.ok()) << server.status().ToString();
      servers_.push_back(std::move(server).value());
      auto c = RedisConnection::Connect(address(i), {});
      ASSERT_TRUE(c.ok()) << c.status().ToString();
      connections_.push_back(std::move(c).value());
      ids_.push_back(Text(connections_.back().get(), {"CLUSTER", "MYID"}));
      ASSERT_EQ(ids_.back().size(), 40u);
    }
    const uint32_t per_master = kClusterSlots / kMasters + 1;  // 5462, as redis-cli splits
    for (int m = 0; m < kMasters; m++) {
      std::vector<std::string> add = {"CLUSTER", "ADDSLOTS"};
      const uint32_t last = std::min(kClusterSlots, (m + 1) * per_master) - 1;
      for (uint32_t slot = m * per_master; slot <= last; slot++) {
        add.push_back(std::to_string(slot));
      }
      // Distinct epochs up front spare the cluster its epoch-collision rounds.
      Run(node(m), {"CLUSTER", "SET-CONFIG-EPOCH", std::to_string(m + 1)});
      Run(node(m), add);
    }
    for (int i = 1; i < kNodes; i++) {
      Run(node(i), {"CLUSTER", "MEET", "127.0.0.1", std::to_string(servers_[0]->port())});
    }
    for (int r = kMasters; r < kNodes; r++) {
      const std::string& master_id = ids_[r - kMasters];
      ASSERT_TRUE(WaitUntil(
          [&] {
            return Text(node(r), {"CLUSTER", "NODES"}).find(master_id + " 127.0.0.1") !=
                   std::string::npos;
          },
          milliseconds(15'000)))
          << "node " << r << " never learned of its master";
      Run(node(r), {"CLUSTER", "REPLICATE", master_id});
    }
    ASSERT_TRUE(WaitUntil(
        [&] {
          for (int i = 0; i < kNodes; i++) {
            if (Text(node(i), {"CLUSTER", "INFO"}).find("cluster_state:ok") == std::string::npos) {
              return false;
            }
          }
          for (int r = kMasters; r < kNodes; r++) {
            if (Text(node(r), {"INFO", "replication"}).find("master_link_status:up") ==
                std::string::npos) {
              return false;
            }
          }
          // Every node, replicas included, known to the seed with its role.
          Result<ClusterTopology> t = DiscoverClusterTopology({address(0)}, {});
          if (!t.ok() || t->shards.size() != kMasters) return false;
          for (const ClusterShard& shard : t->shards) {
            if (shard.replicas.size() != 1) return false;
          }
          return true;
        },
        milliseconds(20'000)))
        << "the cluster did not settle; node 0's view:\n"
        << Text(node(0), {"CLUSTER", "NODES"});
  }

  net::HostPort address(int i) const { return {"127.0.0.1", servers_[i]->port()}; }
  RedisConnection* node(int i) { return connections_[i].get(); }
  const std::string& id(int i) const { return ids_[i]; }

  // SET key value on whichever master owns key's slot (following MOVED).
  void Set(const std::string& key, const std::string& value) {
    RedisConnection* c = node(0);
    for (int hop = 0; hop < 2; hop++) {
      Result<resp::Value> reply = c->Call({"SET", key, value});
      ASSERT_TRUE(reply.ok()) << reply.status().ToString();
      if (!reply->is_error()) return;
      ASSERT_TRUE(reply->text.starts_with("MOVED ")) << reply->Summary();
      Result<net::HostPort> owner =
          net::HostPort::Parse(reply->text.substr(reply->text.rfind(' ') + 1));
      ASSERT_TRUE(owner.ok());
      for (int i = 0; i < kNodes; i++) {
        if (address(i) == *owner) c = node(i);
      }
    }
    FAIL() << "SET " << key << " was redirected twice";
  }

 private:
  std::vector<std::unique_ptr<strata::test::RedisServer>> servers_;
  std::vector<std::unique_ptr<RedisConnection>> connections_;
  std::vector<std::string> ids_;
};

uint16_t ClosedPort() {
  auto probe = RedisConnection::Connect({"127.0.0.1", 1}, {});
  EXPECT_FALSE(probe.ok());  // port 1 listens nowhere on a test machine
  return 1;
}

TEST(ClusterDiscoveryTest, FindsShardsOfARealClusterAndDumpsTheReplicas) {
  SKIP_WITHOUT_REDIS();
  const auto start = std::chrono::steady_clock::now();
  LocalCluster cluster;
  ASSERT_NO_FATAL_FAILURE(cluster.Start());

  // The first seed does not answer; the second does.
  Result<ClusterTopology> topology =
      DiscoverClusterTopology({net::HostPort{"127.0.0.1", ClosedPort()}, cluster.address(0)}, {});
  ASSERT_TRUE(topology.ok()) << topology.status().ToString();
  EXPECT_EQ(topology->seed, cluster.address(0));
  EXPECT_EQ(topology->assigned_slots, kClusterSlots);
  ASSERT_EQ(topology->shards.size(), 3u);
  uint32_t slots = 0;
  for (int m = 0; m < LocalCluster::kMasters; m++) {
    const ClusterShard& shard = topology->shards[m];
    EXPECT_EQ(shard.master.id, cluster.id(m));
    EXPECT_EQ(shard.master.address, cluster.address(m));
    ASSERT_EQ(shard.replicas.size(), 1u);
    EXPECT_EQ(shard.replicas[0].id, cluster.id(m + 3));
    EXPECT_EQ(shard.replicas[0].address, cluster.address(m + 3));
    slots += shard.slot_count();
  }
  EXPECT_EQ(slots, kClusterSlots);

  Result<std::vector<DumpTarget>> targets = ChooseDumpTargets(*topology, true);
  ASSERT_TRUE(targets.ok()) << targets.status().ToString();
  ASSERT_EQ(targets->size(), 3u);
  for (int m = 0; m < LocalCluster::kMasters; m++) {
    EXPECT_TRUE((*targets)[m].is_replica);
    EXPECT_EQ((*targets)[m].address, cluster.address(m + 3));
  }

  // Every key written to the masters comes back from the replicas' snapshots.
  constexpr int kKeys = 40;
  for (int k = 0; k < kKeys; k++) {
    ASSERT_NO_FATAL_FAILURE(cluster.Set("key:" + std::to_string(k), "value"));
  }
  for (int m = 0; m < LocalCluster::kMasters; m++) {
    Result<resp::Value> acked = cluster.node(m)->Call({"WAIT", "1", "10000"});
    ASSERT_TRUE(acked.ok());
    EXPECT_EQ(acked->integer, 1);
  }
  // Each replica's snapshot is one whole RDB (its trailing CRC-64 holds), and together they
  // hold every key exactly once. RDB writes a short string key as its length in one byte
  // followed by its bytes, so "\x05key:1" cannot match inside "\x06key:10".
  std::vector<std::string> snapshots;
  for (const DumpTarget& target : *targets) {
    auto source = ReplicationSource::Open(target.address, ReplicationOptions());
    ASSERT_TRUE(source.ok()) << target.shard << ": " << source.status().ToString();
    std::string bytes;
    char buf[64 << 10];
    while (true) {
      Result<size_t> got = (*source)->Read(buf, sizeof(buf));
      ASSERT_TRUE(got.ok()) << target.shard << ": " << got.status().ToString();
      if (*got == 0) break;
      bytes.append(buf, *got);
    }
    ASSERT_GT(bytes.size(), 17u);
    ASSERT_EQ(bytes.substr(0, 5), "REDIS");
    EXPECT_EQ(DecodeFixed64(bytes.data() + bytes.size() - 8),
              crc64::Value(bytes.data(), bytes.size() - 8))
        << target.shard;
    snapshots.push_back(std::move(bytes));
  }
  size_t found = 0;
  for (const std::string& snapshot : snapshots) {
    for (size_t at = snapshot.find("key:"); at != std::string::npos;
         at = snapshot.find("key:", at + 1)) {
      found++;
    }
  }
  EXPECT_EQ(found, static_cast<size_t>(kKeys));
  for (int k = 0; k < kKeys; k++) {
    const std::string key = "key:" + std::to_string(k);
    const std::string stored = std::string(1, static_cast<char>(key.size())) + key;
    int holders = 0;
    for (const std::string& snapshot : snapshots) {
      if (snapshot.find(stored) != std::string::npos) holders++;
    }
    EXPECT_EQ(holders, 1) << key;
  }
  EXPECT_LT(std::chrono::steady_clock::now() - start, milliseconds(30'000));
}

TEST(ClusterDiscoveryTest, StandaloneServerIsRefusedClearly) {
  SKIP_WITHOUT_REDIS();
  auto server = strata::test::RedisServer::Start();
  ASSERT_TRUE(server.ok()) << server.status().ToString();
  Result<ClusterTopology> t =
      DiscoverClusterTopology({net::HostPort{"127.0.0.1", (*server)->port()}}, {});
  ASSERT_FALSE(t.ok());
  EXPECT_TRUE(t.status().IsNotSupported());
  EXPECT_MESSAGE_HAS(t.status(), (*server)->address() +
                                     ": CLUSTER NODES: this server is not in cluster mode (use "
                                     "from-standalone): ERR This instance has cluster support "
                                     "disabled");
}

TEST(ClusterDiscoveryTest, NoSeedAnswers) {
  Result<ClusterTopology> t =
      DiscoverClusterTopology({net::HostPort{"127.0.0.1", ClosedPort()}}, {});
  ASSERT_FALSE(t.ok());
  EXPECT_TRUE(t.status().IsIOError());
  EXPECT_MESSAGE_HAS(t.status(), "no seed node answered CLUSTER NODES:\n  127.0.0.1:1: connect");
  EXPECT_TRUE(DiscoverClusterTopology({}, {}).status().IsInvalidArgument());
}

}  // namespace
}  // namespace strata::redis
