#include "rdb/stream_parser.h"

#include "rdb/container_walkers.h"
#include "rdb/rax_node_counter.h"
#include "rdb/rdb_format.h"
#include "rdb/redis_alloc_sizes.h"

namespace strata::rdb {

namespace {

// Reads `count` lengths (IDs, counters) whose values the record does not need.
Status SkipLengths(RdbReader* reader, int count, const char* what) {
  for (int i = 0; i < count; i++) {
    uint64_t v;
    Status s = reader->ReadPlainLength(&v, what);
    if (!s.ok()) return s;
  }
  return Status::OK();
}

Status SkipName(RdbReader* reader, uint64_t* length) {
  StringHeader h;
  Status s = reader->SkipString(&h);
  *length = h.length;
  return s;
}

// Reads one 16-byte stream ID (big-endian, as the radix trees key them) into a counter of
// the tree Redis rebuilds from them (see rax_node_counter.h).
Status ReadId(RdbReader* reader, RaxNodeCounter* rax) {
  uint8_t id[kStreamIdBytes];
  Status s = reader->ReadExact(reinterpret_cast<char*>(id), sizeof(id));
  if (s.ok()) rax->Add(id);
  return s;
}

}  // namespace

Status ReadStreamValue(RdbReader* reader, uint8_t type, bool walk_compressed,
                       ContainerReader* container, KeyRecord* record) {
  const int version = type == kTypeStreamListpacks ? 1 : type == kTypeStreamListpacks2 ? 2 : 3;
  ValueShape& shape = record->shape;
  uint64_t nodes;
  Status s = reader->ReadPlainLength(&nodes, "stream node count");
  if (!s.ok()) return s;
  RaxNodeCounter rax;  // master IDs, one per listpack
  for (uint64_t i = 0; i < nodes; i++) {
    StringHeader id;
    s = reader->ReadStringHeader(&id);
    if (!s.ok()) return s;
    if (id.kind != StringHeader::Kind::kRaw || id.length != kStreamIdBytes) {
      return reader->Corruption("stream node " + std::to_string(i) + " master ID is not " +
                                std::to_string(kStreamIdBytes) + " plain bytes");
    }
    s = ReadId(reader, &rax);
    if (!s.ok()) return s;
    s = container->Open(reader, "stream listpack");
    if (!s.ok()) return s;
    ContainerStats stats;
    // Entries are not priced as sds strings (ListElement): a stream keeps them packed.
    s = WalkListpack(container, TupleLayout::ListElement(),
                     container->compressed() && !walk_compressed, &stats);
    if (!s.ok()) return s;
    if (stats.entries == 0) return reader->Corruption("empty listpack inside a stream");
    s = container->Finish(stats.walked);
    if (!s.ok()) return s;
    shape.container_bytes += container->size();
    shape.packed_bytes += container->size();
    shape.packed_alloc_bytes += JemallocSizeClass(container->size());
  }
  shape.stream_nodes = nodes;
  shape.stream_rax_nodes = rax.Nodes();

  uint64_t length;
  s = reader->ReadPlainLength(&length, "stream length");
  if (!s.ok()) return s;
  record->member_count = length;
  // Last ID; then first ID, max deleted ID and entries added from version 2.
  s = SkipLengths(reader, version >= 2 ? 7 : 2, "stream ID");
  if (!s.ok()) return s;

  uint64_t groups;
  s = reader->ReadPlainLength(&groups, "stream consumer group count");
  if (!s.ok()) return s;
  for (uint64_t g = 0; g < groups; g++) {
    uint64_t name_length;
    s = SkipName(reader, &name_length);
    if (!s.ok()) return s;
    s = SkipLengths(reader, version >= 2 ? 3 : 2, "consumer group ID");
    if (!s.ok()) return s;
    uint64_t pel;
    s = reader->ReadPlainLength(&pel, "consumer group PEL size");
    if (!s.ok()) return s;
    RaxNodeCounter pel_rax;
    for (uint64_t p = 0; p < pel; p++) {
      s = ReadId(reader, &pel_rax);
      if (s.ok()) s = reader->Skip(8);  // delivery time
      if (!s.ok()) return s;
      uint64_t delivery_count;
      s = reader->ReadPlainLength(&delivery_count, "PEL delivery count");
      if (!s.ok()) return s;
    }
    shape.stream_group_pel += pel;
    shape.stream_pel_rax_nodes += pel_rax.Nodes();
    uint64_t consumers;
    s = reader->ReadPlainLength(&consumers, "consumer count");
    if (!s.ok()) return s;
    for (uint64_t c = 0; c < consumers; c++) {
      s = SkipName(reader, &name_length);
      if (!s.ok()) return s;
      shape.stream_consumer_name_bytes += name_length;
      s = reader->Skip(version >= 3 ? 16 : 8);  // seen time [, active time]
      if (!s.ok()) return s;
      uint64_t consumer_pel;
      s = reader->ReadPlainLength(&consumer_pel, "consumer PEL size");
      if (!s.ok()) return s;
      // Every consumer PEL entry is also in the group PEL, which bounds it.
      if (consumer_pel > pel) {
        return reader->Corruption("consumer PEL of " + std::to_string(consumer_pel) +
                                  " entries exceeds its group PEL of " + std::to_string(pel));
      }
      RaxNodeCounter consumer_rax;
      for (uint64_t p = 0; p < consumer_pel; p++) {
        s = ReadId(reader, &consumer_rax);
        if (!s.ok()) return s;
      }
      shape.stream_consumer_pel += consumer_pel;
      shape.stream_pel_rax_nodes += consumer_rax.Nodes();
    }
    shape.stream_consumers += consumers;
  }
  shape.stream_groups = groups;
  shape.elements = 0;
  return Status::OK();
}

}  // namespace strata::rdb
