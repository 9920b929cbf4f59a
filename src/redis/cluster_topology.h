// Cluster discovery for `strata rdb dump ... from-cluster`: which nodes hold the data of a
// Redis Cluster, and which node to read each shard's snapshot from.
//
// DiscoverClusterTopology() asks the first seed that answers for CLUSTER NODES (Redis 3.0+;
// CLUSTER SHARDS, 7.0+, says nothing more that we need) and groups its lines into shards:
// one per master, with the master's slot ranges and its healthy replicas. ChooseDumpTargets()
// then picks one node per shard: the master, or with require_replica one of its replicas.
//
// A CLUSTER NODES line (one per node; fields separated by single spaces):
//   <id> <ip:port@cport[,hostname[,aux=value...]]> <flags> <master id or -> <ping-sent>
//   <pong-recv> <config-epoch> <link-state> <slot or first-last>...
//   5b2f...(40 hex digits) 10.0.0.5:7004@17004,,shard-id=... slave 9d41...(40 hex digits)
//     0 1700000000000 4 connected
// Redis before 4.0 prints no "@cport", before 7.0 no hostname, before 7.2 no aux fields.
// flags is a comma list of myself, master, slave (or replica), fail?, fail, handshake,
// noaddr, nofailover, noflags; unknown flags are ignored. The node answering the command
// also lists the slots it is importing ("[slot-<-id]") and migrating ("[slot->-id]"); those
// are not owned slots and are skipped.
//
// Health, as the answering node sees it: a node is usable when it is not flagged fail, fail?
// (suspected), handshake or noaddr, has an address, and its cluster-bus link is connected
// (the answering node itself always is). The replica's own replication link is not visible
// here; a replica whose link is down answers PSYNC with -NOMASTERLINK (see
// replication_source.h).
//
// The announced addresses are used as they are: a cluster behind NAT or in containers that
// announces addresses the caller cannot reach fails at connect time, naming the address.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "redis/redis_connection.h"

namespace strata::redis {

inline constexpr uint32_t kClusterSlots = 16384;

struct SlotRange {
  uint16_t first = 0;  // inclusive
  uint16_t last = 0;   // inclusive, >= first

  bool operator==(const SlotRange&) const = default;
};

// "0-5460,5462,10923-16383".
std::string FormatSlotRanges(const std::vector<SlotRange>& ranges);

struct ClusterNode {
  std::string id;         // 40 hex digits
  net::HostPort address;  // the client port; host is empty when the address is unknown
  uint16_t bus_port = 0;  // 0 when not shown (Redis < 4.0)
  std::string hostname;   // Redis 7.0+, often empty
  bool myself = false;    // the node that answered
  bool master = false;
  bool replica = false;
  bool failed = false;           // "fail": agreed by a majority of masters
  bool possibly_failed = false;  // "fail?": suspected by the answering node
  bool handshake = false;        // not yet a member
  bool no_address = false;       // "noaddr"
  std::string master_id;         // a replica's master; empty for a master
  uint64_t config_epoch = 0;
  bool link_connected = false;
  std::vector<SlotRange> slots;  // owned slots, ascending, as listed

  // Usable as a dump source, as far as the answering node can tell (see above).
  bool Healthy() const;
  // "5b2f0c1e at 10.0.0.5:7004": the id's first 8 digits.
  std::string Describe() const;
};

// Parses a CLUSTER NODES reply. Any malformed line fails the whole parse with Corruption
// quoting the line: a half-understood topology could silently skip a shard.
Result<std::vector<ClusterNode>> ParseClusterNodes(std::string_view text);

struct ClusterShard {
  ClusterNode master;
  std::vector<ClusterNode> replicas;  // the healthy ones only, ordered by node id

  uint32_t slot_count() const;
  // "master 9d41a7b3 at 10.0.0.5:7001 (slots 0-5460)".
  std::string Describe() const;
};

struct ClusterTopology {
  // One shard per master that owns slots, ordered by first slot, then masters that own none
  // but are healthy: such a master is usually empty, but one receiving its first slots by
  // migration already holds keys. Unhealthy slotless masters (a failed-over old master) are
  // left out: they own nothing and cannot be read.
  std::vector<ClusterShard> shards;
  uint32_t assigned_slots = 0;  // kClusterSlots when every slot has an owner
  net::HostPort seed;           // the node whose CLUSTER NODES this is
};

// Groups parsed nodes into shards. Fails (Corruption) on contradictions: two masters owning
// one slot, the same node id twice, a node replicating itself. A replica whose master is not
// listed (being forgotten, or "-" mid-reconfiguration) joins no shard. seed.host stands in
// for the answering node's own host when it does not know it (a node that has not met any
// other prints ":port").
Result<ClusterTopology> BuildClusterTopology(const std::vector<ClusterNode>& nodes,
                                             const net::HostPort& seed);

struct ClusterDiscoveryOptions {
  std::string user;  // AUTH [user] password, when password is not empty
  std::string password;
  std::chrono::milliseconds connect_timeout{10'000};
  std::chrono::milliseconds io_timeout{10'000};
};

// Runs CLUSTER NODES on the first seed that connects and answers. Fails at once, without
// trying the other seeds, when a seed has cluster support disabled (NotSupported) or
// refuses the password; otherwise lists every seed's failure.
Result<ClusterTopology> DiscoverClusterTopology(const std::vector<net::HostPort>& seeds,
                                                const ClusterDiscoveryOptions& options);

struct DumpTarget {
  std::string node_id;
  net::HostPort address;
  bool is_replica = false;
  std::string shard;  // ClusterShard::Describe() of its shard, for messages
};

// One node per shard, in the shards' order: the master, or with require_replica the first
// healthy replica (by node id). Fails naming every shard that has no usable node.
Result<std::vector<DumpTarget>> ChooseDumpTargets(const ClusterTopology& topology,
                                                  bool require_replica);

}  // namespace strata::redis
