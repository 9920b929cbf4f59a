// KeyRecord: what the RDB parser reports for one key, and ValueShape, the figures about the
// value that a memory-estimate model needs.
//
// The parser fills one KeyRecord per key and hands it to the visitor by reference; it reuses
// the same object for the next key, so a visitor that keeps a record must copy it.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "base/enum_names.h"

namespace strata::rdb {

enum class KeyType : uint8_t { kString, kList, kSet, kZset, kHash, kStream, kModule };

constexpr auto EnumNameTable(KeyType) {
  return std::to_array<EnumNameEntry<KeyType>>({
      {KeyType::kString, "string"},
      {KeyType::kList, "list"},
      {KeyType::kSet, "set"},
      {KeyType::kZset, "zset"},
      {KeyType::kHash, "hash"},
      {KeyType::kStream, "stream"},
      {KeyType::kModule, "module"},
  });
}

// Figures gathered while the value is read; cheap, since the bytes pass by anyway.
//
// "Element" means: a list element, a set member, a zset member (not its score), a hash field
// and a hash value (each counts), the string itself for a string. A stream's and a module's
// elements are not counted (elements stays 0 for them).
//
// Element figures come from walking the value. A container the file stores LZF-compressed is
// by default counted from its header only (see RdbParserOptions); its element figures are
// then missing and element_stats_exact is false.
struct ValueShape {
  // Number of elements: 1 for a string; list length; set/zset cardinality; 2 x fields for a
  // hash (fields and values both count).
  uint64_t elements = 0;
  // Sum of element lengths in bytes. Integer-encoded elements count their decimal digits; an
  // LZF-compressed string counts its uncompressed length.
  uint64_t element_bytes = 0;
  // Longest element in bytes.
  uint64_t max_element_len = 0;
  // Every element seen is stored as an integer (RDB INT8/16/32 string encodings, integer
  // entries of listpacks/ziplists, intsets). Meaningful only when element_stats_exact.
  bool all_integers = false;
  // False when some container was counted from its header without reading its elements, so
  // element_bytes / max_element_len / all_integers / fields_with_expiry cover only part of
  // the value.
  bool element_stats_exact = true;
  // Quicklist nodes (list types 14 and 18), plain nodes included.
  uint64_t quicklist_nodes = 0;
  // Quicklist-2 nodes stored PLAIN (one large element each).
  uint64_t quicklist_plain_nodes = 0;
  // Bytes of the compact containers (ziplist, listpack, intset, zipmap, stream listpacks) as
  // they are in memory: the uncompressed size for LZF-compressed ones.
  uint64_t container_bytes = 0;
  // Hash fields carrying an expiry (hash field expiry types 22-25 and Valkey's HASH_2).
  uint64_t fields_with_expiry = 0;
  // Streams: listpack nodes, consumer groups, consumers (all groups), entries pending in the
  // groups' PELs (sum over groups), and entries pending in consumers' PELs (sum).
  uint64_t stream_nodes = 0;
  uint64_t stream_groups = 0;
  uint64_t stream_consumers = 0;
  uint64_t stream_group_pel = 0;
  uint64_t stream_consumer_pel = 0;

  // ---- Figures for the memory model (memory_estimate.h), gathered per element with integer
  // arithmetic. Those summed over elements cover only the walked containers when
  // element_stats_exact is false. ----
  // Elements that Redis holds as 64-bit integers where it can (a string value, a set
  // member, a listpack entry): RDB integer encodings, integer entries of containers, and
  // canonical integer text of at most 20 bytes in strings of the file (text inside
  // containers is not parsed); and the intset width (2, 4 or 8 bytes; 0 for none) of the
  // widest of them.
  uint64_t integer_elements = 0;
  uint8_t integer_width = 0;
  // Sum over elements of the allocation of an sds string holding the element (its decimal
  // text for an integer; redis_alloc_sizes.h): what the elements cost as hash-table members,
  // fields and values, or skiplist members.
  uint64_t sds_alloc_bytes = 0;
  // The value's packed containers as Redis 7 holds them after loading: the sum of their
  // sizes, and of each one's jemalloc size class (summed container by container, as a
  // quicklist or a stream allocates them). A listpack or intset counts as stored; a ziplist
  // or zipmap as the listpack it is converted to, entry by entry; a PLAIN quicklist node as
  // its element. A value stored as separate strings (types 1-5, hash with field expiry)
  // counts as one listpack of its entries (members and scores, fields and values), what a
  // server whose limits it fits builds.
  uint64_t packed_bytes = 0;
  uint64_t packed_alloc_bytes = 0;
  // Streams: nodes of the radix tree indexing the listpacks; nodes of all the PEL radix trees
  // (every group's and every consumer's, an empty one counting its root); bytes of the
  // consumer names.
  uint64_t stream_rax_nodes = 0;
  uint64_t stream_pel_rax_nodes = 0;
  uint64_t stream_consumer_name_bytes = 0;
  // Hashes stored as separate strings (type 4, and the field-expiry types): the 0-based
  // index, in file order, of the first field-value pair with a field or value longer than
  // 64 bytes (Redis's default hash-max-listpack-value), or kNoLongPair. A loading server
  // fills a listpack up to that pair, then converts it into a hash table, whose final size
  // depends on where that happened.
  static constexpr uint64_t kNoLongPair = UINT64_MAX;
  static constexpr uint64_t kLongPairBytes = 64;
  uint64_t hash_first_long_pair = kNoLongPair;

  // Modules: the 9-character module type name decoded from the module id.
  std::string module_name;
};

struct KeyRecord {
  uint64_t db = 0;
  std::string key;  // the key's bytes, decompressed if stored LZF
  KeyType type = KeyType::kString;
  // The value's encoding in the file: raw, int, lzf (string stored LZF-compressed),
  // linkedlist (old list type 1), hashtable (old set or hash, types 2 and 4), skiplist (zset
  // types 3 and 5), zipmap, ziplist, intset, quicklist, quicklist2, listpack, listpack_ex
  // (hash with field expiry, 23/25), metadata (hash with field expiry, 22/24), hash2 (Valkey
  // hash with field expiry), listpacks / listpacks2 / listpacks3 (streams 15/19/21), module.
  // Points to static storage.
  std::string_view encoding;
  // 1 for a string; elements of a list/set/zset; field-value pairs of a hash; entries (XLEN)
  // of a stream; 0 for a module (its contents are opaque).
  uint64_t member_count = 0;
  // Bytes the value takes in the file: from the byte after the key to the end of the value.
  uint64_t rdb_size = 0;
  std::optional<int64_t> expire_at_ms;   // absolute unix time in ms (EXPIRETIME converted)
  std::optional<uint64_t> idle_seconds;  // LRU idle time (IDLE opcode)
  std::optional<uint8_t> freq;           // LFU counter (FREQ opcode)
  uint64_t value_offset = 0;             // stream offset of the value's first byte
  uint8_t rdb_type = 0;                  // the value type byte as stored
  ValueShape shape;

  // Empties the record for the next key, keeping the key's capacity.
  void Reset();
};

}  // namespace strata::rdb
