#include "redis/cluster_topology.h"

#include <algorithm>
#include <charconv>
#include <map>

namespace strata::redis {

namespace {

constexpr size_t kNodeIdLength = 40;
// How much of a node id messages show.
constexpr size_t kShortIdLength = 8;

// Fields of a CLUSTER NODES line, before the slots.
enum Field : size_t {
  kId,
  kAddress,
  kFlags,
  kMaster,
  kPingSent,
  kPongReceived,
  kConfigEpoch,
  kLinkState,
  kFirstSlot,
};

// The pieces of s between separators, empty ones dropped when skip_empty.
std::vector<std::string_view> Split(std::string_view s, char separator, bool skip_empty) {
  std::vector<std::string_view> pieces;
  while (true) {
    const size_t at = s.find(separator);
    const std::string_view piece = s.substr(0, at);
    if (!piece.empty() || !skip_empty) pieces.push_back(piece);
    if (at == std::string_view::npos) break;
    s.remove_prefix(at + 1);
  }
  return pieces;
}

template <typename T>
bool ParseNumber(std::string_view s, T* out) {
  const char* end = s.data() + s.size();
  const auto [ptr, ec] = std::from_chars(s.data(), end, *out);
  return !s.empty() && ec == std::errc() && ptr == end;
}

bool IsNodeId(std::string_view s) {
  return s.size() == kNodeIdLength && std::all_of(s.begin(), s.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
         });
}

bool ParseSlot(std::string_view s, uint16_t* slot) {
  return ParseNumber(s, slot) && *slot < kClusterSlots;
}

std::string ShortId(const std::string& id) { return id.substr(0, kShortIdLength); }

// "ip:port@cport,hostname,aux=value,..." into the node; an error message or "".
std::string ParseAddressField(std::string_view field, ClusterNode* node) {
  const size_t comma = field.find(',');
  std::string_view endpoint = field.substr(0, comma);
  if (comma != std::string_view::npos) {
    // The hostname comes first; aux fields (name=value) follow. Hostnames hold no '='.
    const std::string_view first = Split(field.substr(comma + 1), ',', false)[0];
    if (first.find('=') == std::string_view::npos) node->hostname = std::string(first);
  }
  const size_t at = endpoint.rfind('@');
  if (at != std::string_view::npos) {
    if (!ParseNumber(endpoint.substr(at + 1), &node->bus_port)) return "bad cluster bus port";
    endpoint = endpoint.substr(0, at);
  }
  // The last colon starts the port: IPv6 addresses are printed without brackets.
  const size_t colon = endpoint.rfind(':');
  if (colon == std::string_view::npos) return "an address without a port";
  node->address.host = std::string(endpoint.substr(0, colon));
  if (!ParseNumber(endpoint.substr(colon + 1), &node->address.port)) return "bad port";
  return "";
}

std::string ParseFlagsField(std::string_view field, ClusterNode* node) {
  for (std::string_view flag : Split(field, ',', true)) {
    if (flag == "myself") {
      node->myself = true;
    } else if (flag == "master") {
      node->master = true;
    } else if (flag == "slave" || flag == "replica") {
      node->replica = true;
    } else if (flag == "fail") {
      node->failed = true;
    } else if (flag == "fail?") {
      node->possibly_failed = true;
    } else if (flag == "handshake") {
      node->handshake = true;
    } else if (flag == "noaddr") {
      node->no_address = true;
    }
    // nofailover, noflags and flags of future versions change nothing here.
  }
  if (node->master && node->replica) return "flagged both master and replica";
  return "";
}

// One slot entry: "5", "0-5460", or an import/migration "[93-<-id]" / "[93->-id]", which is
// validated and skipped. An error message or "".
std::string ParseSlotEntry(std::string_view entry, ClusterNode* node) {
  if (entry.front() == '[') {
    if (entry.back() != ']') return "unterminated slot entry \"" + std::string(entry) + "\"";
    const std::string_view inner = entry.substr(1, entry.size() - 2);
    size_t arrow = inner.find("->-");
    if (arrow == std::string_view::npos) arrow = inner.find("-<-");
    uint16_t slot = 0;
    if (arrow == std::string_view::npos || !ParseSlot(inner.substr(0, arrow), &slot) ||
        !IsNodeId(inner.substr(arrow + 3))) {
      return "bad migration entry \"" + std::string(entry) + "\"";
    }
    return "";
  }
  SlotRange range;
  const size_t dash = entry.find('-');
  const bool ok = dash == std::string_view::npos
                      ? ParseSlot(entry, &range.first)
                      : ParseSlot(entry.substr(0, dash), &range.first) &&
                            ParseSlot(entry.substr(dash + 1), &range.last);
  if (dash == std::string_view::npos) range.last = range.first;
  if (!ok || range.last < range.first) return "bad slot range \"" + std::string(entry) + "\"";
  node->slots.push_back(range);
  return "";
}

// One line into a node; an error message or "".
std::string ParseLine(std::string_view line, ClusterNode* node) {
  const std::vector<std::string_view> fields = Split(line, ' ', true);
  if (fields.size() < kFirstSlot) {
    return std::to_string(fields.size()) + " fields, expected at least " +
           std::to_string(kFirstSlot);
  }
  if (!IsNodeId(fields[kId])) return "bad node id";
  node->id = std::string(fields[kId]);
  if (std::string e = ParseAddressField(fields[kAddress], node); !e.empty()) return e;
  if (std::string e = ParseFlagsField(fields[kFlags], node); !e.empty()) return e;
  if (fields[kMaster] != "-") {
    if (!IsNodeId(fields[kMaster])) return "bad master id";
    node->master_id = std::string(fields[kMaster]);
  }
  uint64_t unused = 0;
  if (!ParseNumber(fields[kPingSent], &unused) || !ParseNumber(fields[kPongReceived], &unused)) {
    return "bad ping/pong times";
  }
  if (!ParseNumber(fields[kConfigEpoch], &node->config_epoch)) return "bad config epoch";
  if (fields[kLinkState] == "connected") {
    node->link_connected = true;
  } else if (fields[kLinkState] != "disconnected") {
    return "bad link state \"" + std::string(fields[kLinkState]) + "\"";
  }
  for (size_t i = kFirstSlot; i < fields.size(); i++) {
    if (std::string e = ParseSlotEntry(fields[i], node); !e.empty()) return e;
  }
  return "";
}

bool ByFirstSlot(const ClusterShard& a, const ClusterShard& b) {
  const bool a_owns = !a.master.slots.empty();
  const bool b_owns = !b.master.slots.empty();
  if (a_owns != b_owns) return a_owns;
  if (!a_owns) return a.master.id < b.master.id;
  return a.master.slots.front().first < b.master.slots.front().first;
}

}  // namespace

std::string FormatSlotRanges(const std::vector<SlotRange>& ranges) {
  std::string out;
  for (const SlotRange& r : ranges) {
    if (!out.empty()) out += ",";
    out += std::to_string(r.first);
    if (r.last != r.first) out += "-" + std::to_string(r.last);
  }
  return out;
}

bool ClusterNode::Healthy() const {
  return !failed && !possibly_failed && !handshake && !no_address && !address.host.empty() &&
         address.port != 0 && (myself || link_connected);
}

std::string ClusterNode::Describe() const {
  const std::string where = address.host.empty() ? "an unknown address" : address.ToString();
  return ShortId(id) + " at " + where;
}

Result<std::vector<ClusterNode>> ParseClusterNodes(std::string_view text) {
  std::vector<ClusterNode> nodes;
  size_t line_number = 0;
  for (std::string_view line : Split(text, '\n', false)) {
    line_number++;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty()) continue;
    ClusterNode node;
    const std::string error = ParseLine(line, &node);
    if (!error.empty()) {
      return Status::Corruption("CLUSTER NODES line " + std::to_string(line_number) + " \"" +
                                    std::string(line.substr(0, 300)) + "\"",
                                error);
    }
    nodes.push_back(std::move(node));
  }
  if (nodes.empty()) return Status::Corruption("CLUSTER NODES lists no node");
  return nodes;
}

uint32_t ClusterShard::slot_count() const {
  uint32_t count = 0;
  for (const SlotRange& r : master.slots) count += r.last - r.first + 1u;
  return count;
}

std::string ClusterShard::Describe() const {
  const std::string slots =
      master.slots.empty() ? "no slots" : "slots " + FormatSlotRanges(master.slots);
  return "master " + master.Describe() + " (" + slots + ")";
}

Result<ClusterTopology> BuildClusterTopology(const std::vector<ClusterNode>& nodes,
                                             const net::HostPort& seed) {
  ClusterTopology topology;
  topology.seed = seed;
  std::map<std::string, size_t> shard_of_master;  // master id -> index in shards
  std::map<std::string, const ClusterNode*> by_id;
  for (const ClusterNode& node : nodes) {
    if (!by_id.emplace(node.id, &node).second) {
      return Status::Corruption("CLUSTER NODES lists node " + node.id + " twice");
    }
  }

  // Masters first, checking that no slot has two owners.
  std::vector<const ClusterNode*> slot_owner(kClusterSlots, nullptr);
  for (const ClusterNode& listed : nodes) {
    // Handshake nodes carry a temporary id and are not members yet.
    if (!listed.master || listed.handshake) continue;
    ClusterNode node = listed;
    if (node.myself && node.address.host.empty()) node.address.host = seed.host;
    for (const SlotRange& r : node.slots) {
      for (uint32_t slot = r.first; slot <= r.last; slot++) {
        if (slot_owner[slot] != nullptr) {
          return Status::Corruption("CLUSTER NODES gives slot " + std::to_string(slot) +
                                    " to both " + slot_owner[slot]->id + " and " + node.id);
        }
        slot_owner[slot] = &listed;
        topology.assigned_slots++;
      }
    }
    if (node.slots.empty() && !node.Healthy()) continue;
    shard_of_master.emplace(node.id, topology.shards.size());
    topology.shards.push_back(ClusterShard{std::move(node), {}});
  }

  // Then the healthy replicas of those masters. A replica of a master we do not list (one
  // being forgotten, or shown as "-" mid-reconfiguration) belongs to no shard.
  for (const ClusterNode& listed : nodes) {
    if (!listed.replica || listed.master_id.empty()) continue;
    if (listed.master_id == listed.id) {
      return Status::Corruption("CLUSTER NODES lists " + listed.id + " as its own replica");
    }
    const auto shard = shard_of_master.find(listed.master_id);
    if (shard == shard_of_master.end()) continue;
    ClusterNode node = listed;
    if (node.myself && node.address.host.empty()) node.address.host = seed.host;
    if (node.Healthy()) topology.shards[shard->second].replicas.push_back(std::move(node));
  }

  for (ClusterShard& shard : topology.shards) {
    std::sort(shard.replicas.begin(), shard.replicas.end(),
              [](const ClusterNode& a, const ClusterNode& b) { return a.id < b.id; });
  }
  std::sort(topology.shards.begin(), topology.shards.end(), ByFirstSlot);
  return topology;
}

Result<ClusterTopology> DiscoverClusterTopology(const std::vector<net::HostPort>& seeds,
                                                const ClusterDiscoveryOptions& options) {
  if (seeds.empty()) return Status::InvalidArgument("no cluster seed node given");
  RedisConnectionOptions connection_options;
  connection_options.connect_timeout = options.connect_timeout;
  connection_options.io_timeout = options.io_timeout;
  std::string failures;
  for (const net::HostPort& seed : seeds) {
    Result<std::unique_ptr<RedisConnection>> connection =
        RedisConnection::Connect(seed, connection_options);
    if (!connection.ok()) {
      failures += "\n  " + connection.status().message();
      continue;
    }
    RedisConnection* c = connection->get();
    if (!options.password.empty()) {
      Status s = c->Authenticate(options.user, options.password);
      if (!s.ok()) return s;
    }
    Result<resp::Value> reply = c->Call({"CLUSTER", "NODES"});
    if (!reply.ok()) {
      failures += "\n  " + reply.status().message();
      continue;
    }
    const std::string what = c->name() + ": CLUSTER NODES";
    if (reply->is_error()) {
      if (reply->text.find("cluster support disabled") != std::string::npos) {
        return Status::NotSupported(
            what + ": this server is not in cluster mode (use from-standalone)", reply->text);
      }
      if (reply->text.starts_with("NOAUTH") || reply->text.starts_with("NOPERM")) {
        return Status::InvalidArgument(what + " refused", reply->text);
      }
      failures += "\n  " + what + ": " + reply->Summary();
      continue;
    }
    // A bulk string; a verbatim string for a connection that sent HELLO 3.
    if (reply->type != resp::Type::kBulkString && reply->type != resp::Type::kVerbatimString) {
      return Status::Corruption(what + ": expected a bulk string, got " + reply->Summary());
    }
    Result<std::vector<ClusterNode>> nodes = ParseClusterNodes(reply->text);
    if (!nodes.ok()) return InStep(nodes.status(), c->name(), "CLUSTER NODES");
    Result<ClusterTopology> topology = BuildClusterTopology(*nodes, seed);
    if (!topology.ok()) return InStep(topology.status(), c->name(), "CLUSTER NODES");
    return topology;
  }
  return Status::IOError("no seed node answered CLUSTER NODES:" + failures);
}

Result<std::vector<DumpTarget>> ChooseDumpTargets(const ClusterTopology& topology,
                                                  bool require_replica) {
  if (topology.shards.empty()) return Status::NotFound("the cluster has no master");
  std::vector<DumpTarget> targets;
  std::string problems;
  for (const ClusterShard& shard : topology.shards) {
    const ClusterNode* node = nullptr;
    if (require_replica) {
      if (!shard.replicas.empty())
        node = &shard.replicas.front();
      else
        problems += "\n  " + shard.Describe() + " has no healthy connected replica";
    } else if (shard.master.Healthy()) {
      node = &shard.master;
    } else {
      std::string state = shard.master.failed            ? "marked fail"
                          : shard.master.possibly_failed ? "suspected failing (fail?)"
                          : shard.master.address.host.empty() || shard.master.no_address
                              ? "without a known address"
                              : "not connected to the node asked";
      problems += "\n  " + shard.Describe() + " is " + state;
    }
    if (node != nullptr) {
      targets.push_back(DumpTarget{node->id, node->address, node->replica, shard.Describe()});
    }
  }
  if (!problems.empty()) {
    return Status::NotFound(std::string("cannot read every shard") +
                            (require_replica ? " from a replica" : "") + ":" + problems);
  }
  return targets;
}

}  // namespace strata::redis
