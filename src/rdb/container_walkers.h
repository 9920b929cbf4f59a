// Walkers of the compact containers Redis stores as one string: listpack, ziplist, intset and
// zipmap. Each reads its container front to back through a ContainerReader, validates the
// layout as it goes (sizes, entry encodings, back-lengths, counts against the header) and
// gathers ContainerStats. None holds more than a few bytes of the container at a time.
//
// When header_only is set and the header's element count is exact (not the "unknown"
// saturated value), a walker stops after the header: the count is all the caller needs, and
// the rest of the container is skipped unread (for LZF, undecompressed). The caller always
// ends with ContainerReader::Finish(stats.walked).
#pragma once

#include <cstdint>

#include "rdb/container_reader.h"
#include "rdb/redis_alloc_sizes.h"

namespace strata::rdb {

// How consecutive entries of a container group into one logical element.
struct TupleLayout {
  int width = 1;             // entries per element: 1 list/set, 2 hash/zset, 3 hash with TTLs
  uint8_t counted_mask = 1;  // bit i set: entry i of a tuple is data whose length counts
  int ttl_index = -1;        // index in the tuple of a TTL entry, or -1
  // Price counted entries as sds strings (ContainerStats::sds_alloc_bytes): false for list
  // elements, which Redis never holds that way.
  bool sds = true;

  static TupleLayout Single() { return {1, 0b1, -1, true}; }          // set
  static TupleLayout ListElement() { return {1, 0b1, -1, false}; }    // list
  static TupleLayout FieldValue() { return {2, 0b11, -1, true}; }     // hash
  static TupleLayout MemberScore() { return {2, 0b01, -1, true}; }    // zset (scores not counted)
  static TupleLayout FieldValueTtl() { return {3, 0b011, 2, true}; }  // hash with field expiry
};

struct ContainerStats {
  uint64_t entries = 0;  // entries in the container (not tuples)
  bool walked = false;   // every entry was read: the figures below are exact
  // Over counted entries: their lengths (an integer entry counts its decimal digits).
  uint64_t element_bytes = 0;
  uint64_t max_element_len = 0;
  bool all_integers = true;  // every counted entry is integer-encoded
  uint64_t ttls_set = 0;     // TTL entries that hold an expiry (non-zero)
  // For the memory model (ValueShape): sds allocations of the counted entries, and the bytes
  // all entries take re-encoded as listpack entries (ziplist and zipmap walkers only).
  uint64_t sds_alloc_bytes = 0;
  uint64_t listpack_entry_bytes = 0;
  // Counted integer entries, and the intset width of the widest (0 if none).
  uint64_t integer_entries = 0;
  uint8_t integer_width = 0;

  // Records one entry at position `index` (0-based, over the whole container).
  void AddEntry(const TupleLayout& layout, uint64_t index, bool is_int, int64_t int_value,
                uint64_t length) {
    const int slot = layout.width == 1 ? 0 : static_cast<int>(index % layout.width);
    if (slot == layout.ttl_index) {
      if (!is_int || int_value != 0) ttls_set++;
      return;
    }
    if ((layout.counted_mask >> slot) & 1) {
      element_bytes += length;
      if (length > max_element_len) max_element_len = length;
      if (layout.sds) sds_alloc_bytes += SdsAllocSize(length);
      if (is_int) {
        integer_entries++;
        const uint8_t width = IntsetWidth(int_value);
        if (width > integer_width) integer_width = width;
      } else {
        all_integers = false;
      }
    }
  }
};

// Listpack: 4-byte total size, 2-byte count (65535 = unknown), entries, 0xFF.
Status WalkListpack(ContainerReader* c, const TupleLayout& layout, bool header_only,
                    ContainerStats* stats);
// Ziplist: 4-byte total size, 4-byte tail offset, 2-byte count (65535 = unknown), entries, 0xFF.
Status WalkZiplist(ContainerReader* c, const TupleLayout& layout, bool header_only,
                   ContainerStats* stats);
// Intset: 4-byte encoding (2, 4 or 8), 4-byte count, sorted integers. Its count is always
// exact, so header_only always stops after the header.
Status WalkIntset(ContainerReader* c, bool header_only, ContainerStats* stats);
// Zipmap (Redis < 2.6 hashes): 1-byte count (254 = unknown), key/value entries, 0xFF.
// stats->entries counts keys and values (twice the number of pairs).
Status WalkZipmap(ContainerReader* c, bool header_only, ContainerStats* stats);

// The size of a listpack back-length field for an entry of entry_bytes bytes.
int ListpackBacklenSize(uint64_t entry_bytes);

}  // namespace strata::rdb
