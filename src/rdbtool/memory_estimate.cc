#include "rdbtool/memory_estimate.h"

#include <algorithm>
#include <cmath>
#include <string_view>

#include "rdb/redis_alloc_sizes.h"
#include "rdbtool/dict_slots.h"

namespace strata::rdbtool {

namespace {

// ---- Redis 7.0 structures on 64-bit, as MEMORY USAGE counts them ----
constexpr uint64_t kRobj = 16;              // type/encoding/lru, refcount, ptr
constexpr uint64_t kDictEntry = 24;         // key, value, next
constexpr uint64_t kDict = 56;              // type, 2 tables, 2 counts, rehashidx, ...
constexpr uint64_t kDictBucket = 8;         // one pointer per slot, both tables counted
constexpr uint64_t kClusterEntryMeta = 16;  // prev/next links of the slot's key list
constexpr uint64_t kEmbstrOverhead = 20;    // robj + sdshdr8 + NUL in one allocation
constexpr uint64_t kEmbstrMaxLength = 44;   // OBJ_ENCODING_EMBSTR_SIZE_LIMIT
constexpr uint64_t kQuicklist = 40;
constexpr uint64_t kQuicklistNode = 40;
constexpr uint64_t kZset = 16;              // dict pointer, skiplist pointer
constexpr uint64_t kZskiplist = 32;         // header, tail, length, level
constexpr int kSkiplistMaxLevel = 32;       // ZSKIPLIST_MAXLEVEL; the header has every level
constexpr uint64_t kSkiplistNodeBase = 24;  // ele, score, backward
constexpr uint64_t kSkiplistLevel = 16;     // forward, span
constexpr double kSkiplistP = 0.25;         // ZSKIPLIST_P
constexpr uint64_t kIntsetHeader = 8;       // encoding, length
constexpr uint64_t kStream = 80;
constexpr uint64_t kStreamId = 16;
// streamRadixTreeMemoryUsage(): sizeof(raxNode) (4) plus a flat 30 pointers per node; the
// tree's own struct is not counted.
constexpr uint64_t kRaxNodeCharge = 4 + 8 * 30;
constexpr uint64_t kStreamGroup = 40;     // streamCG
constexpr uint64_t kStreamNack = 24;      // one per group PEL entry
constexpr uint64_t kStreamConsumer = 24;  // streamConsumer (7.0: seen time, name, pel)
// Quicklist nodes are filled up to this (SIZE_SAFETY_LIMIT) whatever the fill factor.
constexpr uint64_t kQuicklistSafetyLimit = 8192;

// Slots of a dictionary that loading sized for n entries up front (dictExpand(n)), and of
// one grown insert by insert (a listpack zset turned into a skiplist).
uint64_t PresizedSlots(uint64_t n) { return DictSlots::Presized(n); }
uint64_t GrownSlots(uint64_t n) { return DictSlots::Grown(n); }

// A hash stored as separate strings that turns into a hash table part way: loading appends
// pairs to a listpack up to the first long one (`first_long`), converts the listpack into a
// dict sized for what it holds, adds that pair, sizes the dict for the pairs still to come
// (when more than 4), and adds them. Without a recorded pair (limits other than the default
// value limit) the conversion is taken to happen at the first pair.
uint64_t HashTableSlotsAfterLoad(uint64_t n, uint64_t first_long) {
  if (n == 0) return PresizedSlots(0);
  const uint64_t k = first_long < n ? first_long : 0;
  DictSlots d;
  d.Expand(k);
  d.Insert(k + 1);
  const uint64_t rest = n - k - 1;
  if (rest > 4) d.Expand(rest);
  d.Insert(rest);
  return d.slots();
}

// Expected allocation of a skiplist node: 24 bytes plus 16 per level, levels drawn with
// P(level > l) = 0.25^l, capped at 32, each size rounded to its jemalloc class.
double ExpectedSkiplistNode() {
  static const double expected = [] {
    double sum = 0, p_level = 1.0 - kSkiplistP;
    for (int level = 1; level <= kSkiplistMaxLevel; level++) {
      const double p = level == kSkiplistMaxLevel ? p_level / (1.0 - kSkiplistP) : p_level;
      sum += p * static_cast<double>(rdb::JemallocSizeClass(
                     kSkiplistNodeBase + kSkiplistLevel * static_cast<uint64_t>(level)));
      p_level *= kSkiplistP;
    }
    return sum;
  }();
  return expected;
}

// The mean sds allocation of elements whose lengths spread evenly over [1, 2 * mean - 1]:
// rounding to size classes makes a spread of lengths cost more than their mean length would.
double SpreadSdsAlloc(uint64_t mean) {
  constexpr uint64_t kMaxMean = uint64_t{1} << 40;  // keeps the arithmetic below exact
  if (mean <= 1) return static_cast<double>(rdb::SdsAllocSize(1));
  mean = std::min(mean, kMaxMean);
  constexpr int kPoints = 16;
  const double hi = static_cast<double>(2 * mean - 1);
  double sum = 0;
  for (int i = 0; i < kPoints; i++) {
    const double len = 1 + (hi - 1) * (i + 0.5) / kPoints;
    sum += static_cast<double>(rdb::SdsAllocSize(static_cast<uint64_t>(len)));
  }
  return sum / kPoints;
}

// The sds allocations of `elements` elements. Exact from the walk; when some container was
// counted from its header only, priced from the mean element length those containers imply
// (an entry costs its length plus about two bytes in a listpack), lengths taken as spread.
uint64_t ElementSds(const rdb::ValueShape& s, uint64_t elements, uint64_t packed_entries) {
  if (s.element_stats_exact) return s.sds_alloc_bytes;
  const uint64_t entries = std::max<uint64_t>(packed_entries, 1);
  const uint64_t payload = s.packed_bytes > rdb::kListpackOverheadBytes + 2 * entries
                               ? s.packed_bytes - rdb::kListpackOverheadBytes - 2 * entries
                               : entries;
  const double mean_alloc = SpreadSdsAlloc(std::max<uint64_t>(payload / entries, 1));
  return static_cast<uint64_t>(std::llround(mean_alloc * static_cast<double>(elements)));
}

// A hash-table set or hash: the dict, its buckets, one entry per member (or field) and the
// sds strings.
uint64_t DictValue(uint64_t entries, uint64_t slots, uint64_t sds) {
  return kRobj + kDict + kDictBucket * slots + kDictEntry * entries + sds;
}

uint64_t SkiplistValue(uint64_t members, uint64_t slots, uint64_t sds) {
  const uint64_t header =
      rdb::JemallocSizeClass(kSkiplistNodeBase + kSkiplistLevel * uint64_t{kSkiplistMaxLevel});
  const double nodes = ExpectedSkiplistNode() * static_cast<double>(members);
  return kRobj + kZset + kZskiplist + kDict + kDictBucket * slots + header + kDictEntry * members +
         static_cast<uint64_t>(std::llround(nodes)) + sds;
}

uint64_t StringValue(const rdb::KeyRecord& r) {
  const rdb::ValueShape& s = r.shape;
  if (s.integer_elements == 1) return kRobj;  // the integer sits in the robj's pointer
  const uint64_t len = s.element_bytes;       // uncompressed length for an LZF string
  if (len <= kEmbstrMaxLength) return rdb::JemallocSizeClass(kEmbstrOverhead + len);
  return kRobj + rdb::SdsAllocSize(len);
}

uint64_t ListValue(const rdb::KeyRecord& r, const MemoryModelOptions& o) {
  const rdb::ValueShape& s = r.shape;
  if (r.encoding == "quicklist" || r.encoding == "quicklist2") {
    // Nodes load as the file has them, each listpack (or PLAIN element) allocated alone.
    return kRobj + kQuicklist + kQuicklistNode * s.quicklist_nodes + s.packed_alloc_bytes;
  }
  // linkedlist, ziplist: pushed element by element into nodes of at most the node limit.
  const uint64_t payload = s.packed_bytes > rdb::kListpackOverheadBytes
                               ? s.packed_bytes - rdb::kListpackOverheadBytes
                               : 0;
  uint64_t limit = kQuicklistSafetyLimit;
  uint64_t nodes = 1;
  if (o.list_max_listpack_size < 0) {
    const int64_t level = o.list_max_listpack_size < -5 ? 5 : -o.list_max_listpack_size;
    limit = uint64_t{4096} << (level - 1);
  } else if (o.list_max_listpack_size > 0) {
    const uint64_t fill = static_cast<uint64_t>(o.list_max_listpack_size);
    nodes = std::max(nodes, (r.member_count + fill - 1) / fill);
  }
  const uint64_t room = limit - rdb::kListpackOverheadBytes;
  nodes = std::max(nodes, (payload + room - 1) / room);
  const uint64_t per_node = rdb::JemallocSizeClass(rdb::kListpackOverheadBytes + payload / nodes);
  return kRobj + kQuicklist + nodes * (kQuicklistNode + per_node);
}

uint64_t SetValue(const rdb::KeyRecord& r, const MemoryModelOptions& o) {
  const rdb::ValueShape& s = r.shape;
  const uint64_t n = r.member_count;
  const bool intset_fits = n <= o.set_max_intset_entries;
  if (r.encoding == "intset") {
    if (intset_fits) return kRobj + rdb::JemallocSizeClass(s.container_bytes);
    // Converted to a hash table presized for its members; the members become decimal text.
    uint64_t sds = s.sds_alloc_bytes;
    if (!s.element_stats_exact && n > 0) {
      // LZF squeezes out the zero (or 0xFF) high bytes of small integers in wide slots, so
      // the stored size tells about how many significant bytes a member has; each is worth
      // about 2.4 decimal digits.
      const double width = static_cast<double>(s.container_bytes - kIntsetHeader) / n;
      const double bytes = std::min(width, static_cast<double>(r.rdb_size) / n);
      const double digits = std::clamp(bytes * 2.41, 1.0, 20.0);
      sds = static_cast<uint64_t>(
          std::llround(SpreadSdsAlloc(static_cast<uint64_t>(digits)) * static_cast<double>(n)));
    }
    return DictValue(n, PresizedSlots(n), sds);
  }
  // hashtable (and a 7.2+ listpack, which 7.0 has no encoding for): an intset when every
  // member is an integer and they are few enough, else a hash table sized up front.
  if (intset_fits && s.element_stats_exact && s.integer_elements == s.elements) {
    return kRobj + rdb::JemallocSizeClass(kIntsetHeader + n * s.integer_width);
  }
  return DictValue(n, PresizedSlots(n), ElementSds(s, n, n));
}

uint64_t ZsetValue(const rdb::KeyRecord& r, const MemoryModelOptions& o) {
  const rdb::ValueShape& s = r.shape;
  const uint64_t n = r.member_count;
  const bool count_fits = n <= o.zset_max_listpack_entries;
  if (r.encoding == "skiplist") {
    // Loaded into a skiplist sized up front, then turned into a listpack if it fits.
    if (count_fits && s.max_element_len <= o.zset_max_listpack_value) {
      return kRobj + s.packed_alloc_bytes;
    }
    return SkiplistValue(n, PresizedSlots(n), s.sds_alloc_bytes);
  }
  // listpack, ziplist: kept as a listpack (only the count is checked on load), or converted
  // member by member into a skiplist whose dictionary grows as it goes.
  if (count_fits) return kRobj + s.packed_alloc_bytes;
  return SkiplistValue(n, GrownSlots(n), ElementSds(s, n, 2 * n));
}

uint64_t HashValue(const rdb::KeyRecord& r, const MemoryModelOptions& o) {
  const rdb::ValueShape& s = r.shape;
  const uint64_t n = r.member_count;  // field-value pairs
  const bool count_fits = n <= o.hash_max_listpack_entries;
  const bool values_fit = s.max_element_len <= o.hash_max_listpack_value;
  const std::string_view e = r.encoding;
  if (e == "listpack" || e == "listpack_ex" || e == "ziplist") {
    // Only the count is checked on load. (listpack_ex, Redis 7.4+, is counted with its TTL
    // entries: 7.0 has no such encoding.)
    if (count_fits) return kRobj + s.packed_alloc_bytes;
    const uint64_t entries = e == "listpack_ex" ? 3 * n : 2 * n;
    return DictValue(n, PresizedSlots(n), ElementSds(s, 2 * n, entries));
  }
  // hashtable, zipmap, and the field-expiry encodings: a listpack when every field and value
  // fits, else a hash table: sized up front when the count alone rules out a listpack,
  // converted part way otherwise.
  if (count_fits && values_fit && s.element_stats_exact) return kRobj + s.packed_alloc_bytes;
  const uint64_t first_long = o.hash_max_listpack_value == rdb::ValueShape::kLongPairBytes
                                  ? s.hash_first_long_pair
                                  : rdb::ValueShape::kNoLongPair;
  const uint64_t slots =
      count_fits && e != "zipmap" ? HashTableSlotsAfterLoad(n, first_long) : PresizedSlots(n);
  return DictValue(n, slots, ElementSds(s, 2 * n, 2 * n));
}

uint64_t StreamValue(const rdb::ValueShape& s) {
  // The listpacks' index and the listpacks (each at its allocation).
  uint64_t total = kRobj + kStream + kStreamId * s.stream_nodes +
                   kRaxNodeCharge * s.stream_rax_nodes + s.packed_alloc_bytes;
  // Groups: the struct, one NACK per pending entry; consumers: the struct and the name's
  // length; every PEL (group's and consumer's) as a radix tree of 16-byte IDs.
  total += kStreamGroup * s.stream_groups + kStreamNack * s.stream_group_pel;
  total += kStreamConsumer * s.stream_consumers + s.stream_consumer_name_bytes;
  total += kStreamId * (s.stream_group_pel + s.stream_consumer_pel) +
           kRaxNodeCharge * s.stream_pel_rax_nodes;
  return total;
}

}  // namespace

uint64_t EstimateValueMemory(const rdb::KeyRecord& record, const MemoryModelOptions& options) {
  switch (record.type) {
    case rdb::KeyType::kString:
      return StringValue(record);
    case rdb::KeyType::kList:
      return ListValue(record, options);
    case rdb::KeyType::kSet:
      return SetValue(record, options);
    case rdb::KeyType::kZset:
      return ZsetValue(record, options);
    case rdb::KeyType::kHash:
      return HashValue(record, options);
    case rdb::KeyType::kStream:
      return StreamValue(record.shape);
    case rdb::KeyType::kModule:
      // Opaque: the module reports its own size. Its serialized size is the best proxy.
      return kRobj + record.rdb_size;
  }
  return kRobj;
}

uint64_t EstimateMemory(const rdb::KeyRecord& record, const MemoryModelOptions& options) {
  uint64_t total = rdb::SdsAllocSize(record.key.size()) + kDictEntry;
  if (options.cluster_enabled) total += kClusterEntryMeta;
  if (options.count_expires_entry && record.expire_at_ms) total += kDictEntry;
  return total + EstimateValueMemory(record, options);
}

}  // namespace strata::rdbtool
