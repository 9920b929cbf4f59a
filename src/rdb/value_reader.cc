#include "rdb/value_reader.h"

#include <charconv>
#include <cmath>
#include <cstring>

#include "rdb/container_walkers.h"
#include "rdb/module_skipper.h"
#include "rdb/rdb_format.h"
#include "rdb/redis_alloc_sizes.h"
#include "rdb/stream_parser.h"

namespace strata::rdb {

namespace {

void AddElement(ValueShape* shape, uint64_t length) {
  shape->elements++;
  shape->element_bytes += length;
  if (length > shape->max_element_len) shape->max_element_len = length;
}

// Zsets of at most this many members get their scores' text measured exactly (about 150 ns
// a score); larger ones, which no usual limit lets become a listpack, get an estimate.
constexpr uint64_t kExactScoreMembers = 128;

// A zset score as Redis 7.0 appends it to a listpack: d2string() prints an integral score
// (below 2^52) as an integer, which the listpack stores as an integer entry, and any other
// as "%.17g" text (trailing zeros dropped: 0.123456789 prints short, 0.1 as
// 0.10000000000000001). Without `exact` that text is taken as 19 characters, the usual
// length of 17 significant digits and a point.
uint64_t ListpackScoreEntry(double score, bool exact) {
  constexpr double kIntegral = 4503599627370496.0;  // 2^52
  if (score == std::floor(score) && std::fabs(score) < kIntegral) {
    return ListpackIntEntryBytes(static_cast<int64_t>(score));
  }
  constexpr uint64_t kUsualFractionText = 19;
  if (!exact) return ListpackStringEntryBytes(kUsualFractionText);
  if (std::isnan(score)) return ListpackStringEntryBytes(3);
  if (std::isinf(score)) return ListpackStringEntryBytes(score > 0 ? 3 : 4);
  char text[32];
  const auto r = std::to_chars(text, text + sizeof(text), score, std::chars_format::general, 17);
  return ListpackStringEntryBytes(static_cast<uint64_t>(r.ptr - text));
}

// After hash pair `index` was read: records it if it is the first with a long field or value.
void NoteLongPair(uint64_t index, ValueShape* shape) {
  if (shape->hash_first_long_pair == ValueShape::kNoLongPair &&
      shape->max_element_len > ValueShape::kLongPairBytes) {
    shape->hash_first_long_pair = index;
  }
}

// A value stored as separate strings, counted as one listpack of its entries (whose sizes
// were added to packed_bytes as they passed).
void FinishSequencePack(ValueShape* shape) {
  shape->packed_bytes += kListpackOverheadBytes;
  shape->packed_alloc_bytes += JemallocSizeClass(shape->packed_bytes);
}

// Text Redis's string2ll() accepts, so that Redis holds it as an integer (a string value,
// a set member that allows an intset, a listpack entry): a canonical 64-bit decimal integer
// of at most 20 characters (no '+', no leading zeros, no "-0").
constexpr uint64_t kMaxIntegerText = 20;
bool ParseCanonicalInteger(const char* p, size_t n, int64_t* out) {
  if (n == 0 || n > kMaxIntegerText) return false;
  size_t i = 0;
  const bool negative = p[0] == '-';
  if (negative) i = 1;
  if (i == n) return false;
  if (p[i] == '0') {
    *out = 0;
    return n == 1;
  }
  uint64_t v = 0;
  for (; i < n; i++) {
    if (p[i] < '0' || p[i] > '9') return false;
    const uint64_t d = static_cast<uint64_t>(p[i] - '0');
    if (v > (UINT64_MAX - d) / 10) return false;
    v = v * 10 + d;
  }
  if (negative ? v > uint64_t{1} << 63 : v > static_cast<uint64_t>(INT64_MAX)) return false;
  *out = negative ? static_cast<int64_t>(0 - v) : static_cast<int64_t>(v);
  return true;
}

}  // namespace

bool ValueReader::IsValueType(uint8_t type) const {
  if (type <= kTypeModule2) return true;
  if (type >= kTypeHashZipmap && type <= kTypeStreamListpacks3) return true;
  if (valkey_) return type == kValkeyTypeHash2 || type == kValkeyTypePathHash;
  return type >= kTypeHashMetadataPreGa && type <= kTypeHashListpackEx;
}

inline uint64_t ValueReader::Element::ListpackEntry() const {
  return integer ? ListpackIntEntryBytes(value) : ListpackStringEntryBytes(header.length);
}

// Inlined into its callers: it runs for every string of a value, and a call per element
// with its Status costs more than the work.
[[gnu::always_inline]] inline Status ValueReader::ReadElement(ValueShape* shape, Element* e) {
  StringHeader& h = e->header;
  Status s = reader_->ReadStringHeader(&h);
  if (!s.ok()) return s;
  e->integer = false;
  if (h.kind == StringHeader::Kind::kInt) {
    e->integer = true;
    e->value = h.int_value;
  } else if (h.kind == StringHeader::Kind::kRaw && h.length > 0 && h.length <= kMaxIntegerText) {
    // Only text that starts like a number is read whole; other text is skipped as before.
    char text[kMaxIntegerText];
    s = reader_->ReadByte(reinterpret_cast<uint8_t*>(text));
    if (s.ok() && ((text[0] >= '0' && text[0] <= '9') || text[0] == '-')) {
      s = reader_->ReadExact(text + 1, h.length - 1);
      e->integer = s.ok() && ParseCanonicalInteger(text, h.length, &e->value);
    } else if (s.ok()) {
      s = reader_->Skip(h.length - 1);
    }
  } else {
    s = reader_->SkipStringBody(h);
  }
  if (!s.ok()) return s;
  AddElement(shape, h.length);
  if (h.kind != StringHeader::Kind::kInt) all_integers_ = false;
  if (e->integer) {
    shape->integer_elements++;
    const uint8_t width = IntsetWidth(e->value);
    if (width > shape->integer_width) shape->integer_width = width;
  }
  return Status::OK();
}

Status ValueReader::ReadStringSequence(uint64_t count, bool priced, ValueShape* shape) {
  for (uint64_t i = 0; i < count; i++) {
    Element e;
    Status s = ReadElement(shape, &e);
    if (!s.ok()) return s;
    shape->packed_bytes += e.ListpackEntry();
    if (priced) shape->sds_alloc_bytes += SdsAllocSize(e.header.length);
  }
  return Status::OK();
}

[[gnu::always_inline]] inline Status ValueReader::ReadStringValue(KeyRecord* record) {
  Element e;
  Status s = ReadElement(&record->shape, &e);
  if (!s.ok()) return s;
  const StringHeader& h = e.header;
  record->encoding = h.kind == StringHeader::Kind::kInt   ? "int"
                     : h.kind == StringHeader::Kind::kLzf ? "lzf"
                                                          : "raw";
  record->member_count = 1;
  return Status::OK();
}

Status ValueReader::Read(uint8_t type, KeyRecord* record) {
  record->rdb_type = type;
  all_integers_ = true;
  ValueShape& shape = record->shape;
  Status s;
  switch (type) {
    case kTypeString:
      record->type = KeyType::kString;
      s = ReadStringValue(record);
      break;
    case kTypeList:
    case kTypeSet: {
      record->type = type == kTypeList ? KeyType::kList : KeyType::kSet;
      record->encoding = type == kTypeList ? "linkedlist" : "hashtable";
      s = reader_->ReadPlainLength(&record->member_count, "element count");
      if (!s.ok()) return s;
      s = ReadStringSequence(record->member_count, /*priced=*/type == kTypeSet, &shape);
      if (s.ok()) FinishSequencePack(&shape);
      break;
    }
    case kTypeZset:
    case kTypeZset2:
      s = ReadOldZset(type == kTypeZset2, record);
      break;
    case kTypeHash:
      s = ReadPlainHash(record);
      break;
    case kTypeModulePreGa:
      return reader_->NotSupported(
          "module value in the pre-GA format (type 6) cannot be skipped without its module");
    case kTypeModule2:
      s = ReadModule(record);
      break;
    case kTypeHashZipmap:
      record->type = KeyType::kHash;
      record->encoding = "zipmap";
      s = ReadContainerValue(Container::kZipmap, TupleLayout::FieldValue(), record);
      break;
    case kTypeListZiplist:
      record->type = KeyType::kList;
      record->encoding = "ziplist";
      s = ReadContainerValue(Container::kZiplist, TupleLayout::ListElement(), record);
      break;
    case kTypeSetIntset:
      record->type = KeyType::kSet;
      record->encoding = "intset";
      s = ReadContainerValue(Container::kIntset, TupleLayout::Single(), record);
      break;
    case kTypeZsetZiplist:
      record->type = KeyType::kZset;
      record->encoding = "ziplist";
      s = ReadContainerValue(Container::kZiplist, TupleLayout::MemberScore(), record);
      break;
    case kTypeHashZiplist:
      record->type = KeyType::kHash;
      record->encoding = "ziplist";
      s = ReadContainerValue(Container::kZiplist, TupleLayout::FieldValue(), record);
      break;
    case kTypeListQuicklist:
    case kTypeListQuicklist2:
      s = ReadQuicklist(type == kTypeListQuicklist2, record);
      break;
    case kTypeStreamListpacks:
    case kTypeStreamListpacks2:
    case kTypeStreamListpacks3:
      record->type = KeyType::kStream;
      record->encoding = type == kTypeStreamListpacks    ? "listpacks"
                         : type == kTypeStreamListpacks2 ? "listpacks2"
                                                         : "listpacks3";
      s = ReadStreamValue(reader_, type, walk_compressed_, &container_, record);
      all_integers_ = false;
      break;
    case kTypeHashListpack:
      record->type = KeyType::kHash;
      record->encoding = "listpack";
      s = ReadContainerValue(Container::kListpack, TupleLayout::FieldValue(), record);
      break;
    case kTypeZsetListpack:
      record->type = KeyType::kZset;
      record->encoding = "listpack";
      s = ReadContainerValue(Container::kListpack, TupleLayout::MemberScore(), record);
      break;
    case kTypeSetListpack:
      record->type = KeyType::kSet;
      record->encoding = "listpack";
      s = ReadContainerValue(Container::kListpack, TupleLayout::Single(), record);
      break;
    default:
      if (valkey_ && type == kValkeyTypeHash2) {
        s = ReadValkeyHash2(record);
      } else if (valkey_ && type == kValkeyTypePathHash) {
        return reader_->NotSupported("Valkey path hash values (type 23) are not supported");
      } else if (!valkey_ && (type == kTypeHashMetadataPreGa || type == kTypeHashMetadata)) {
        s = ReadHashMetadata(type == kTypeHashMetadata, record);
      } else if (!valkey_ && (type == kTypeHashListpackExPreGa || type == kTypeHashListpackEx)) {
        record->type = KeyType::kHash;
        record->encoding = "listpack_ex";
        if (type == kTypeHashListpackEx) {
          uint64_t min_expire;  // the smallest field expiry, kept for the loader's benefit
          s = reader_->ReadU64LE(&min_expire);
          if (!s.ok()) return s;
        }
        s = ReadContainerValue(Container::kListpack, TupleLayout::FieldValueTtl(), record);
      } else {
        return reader_->Corruption("unknown value type " + std::to_string(type));
      }
      break;
  }
  if (!s.ok()) return s;
  shape.all_integers = all_integers_ && shape.element_stats_exact && shape.elements > 0;
  return Status::OK();
}

Status ValueReader::ReadOldZset(bool binary_scores, KeyRecord* record) {
  record->type = KeyType::kZset;
  record->encoding = "skiplist";
  uint64_t count;
  Status s = reader_->ReadPlainLength(&count, "zset size");
  if (!s.ok()) return s;
  for (uint64_t i = 0; i < count; i++) {
    Element member;
    s = ReadElement(&record->shape, &member);
    if (!s.ok()) return s;
    record->shape.packed_bytes += member.ListpackEntry();
    record->shape.sds_alloc_bytes += SdsAllocSize(member.header.length);
    if (binary_scores) {
      uint64_t bits = 0;
      s = reader_->ReadU64LE(&bits);
      double score;
      std::memcpy(&score, &bits, sizeof(score));
      record->shape.packed_bytes += ListpackScoreEntry(score, count <= kExactScoreMembers);
    } else {
      // A one-byte length and that many ASCII bytes, or a marker for NaN / +inf / -inf.
      uint8_t len = 0;
      s = reader_->ReadByte(&len);
      if (s.ok() && len < kScoreNan) s = reader_->Skip(len);
      record->shape.packed_bytes += ListpackStringEntryBytes(len < kScoreNan ? len : 4);
    }
    if (!s.ok()) return s;
  }
  record->member_count = count;
  FinishSequencePack(&record->shape);
  return Status::OK();
}

Status ValueReader::ReadPlainHash(KeyRecord* record) {
  record->type = KeyType::kHash;
  record->encoding = "hashtable";
  Status s = reader_->ReadPlainLength(&record->member_count, "hash size");
  if (!s.ok()) return s;
  for (uint64_t i = 0; i < record->member_count; i++) {
    s = ReadStringSequence(2, /*priced=*/true, &record->shape);  // field, value
    if (!s.ok()) return s;
    NoteLongPair(i, &record->shape);
  }
  FinishSequencePack(&record->shape);
  return Status::OK();
}

// Types 22 (7.4 RC, absolute TTLs) and 24 (GA: an 8-byte minimum expiry first, then TTLs
// relative to it plus one): per field a TTL length (0 = no expiry), the field, the value.
Status ValueReader::ReadHashMetadata(bool relative_ttls, KeyRecord* record) {
  record->type = KeyType::kHash;
  record->encoding = "metadata";
  Status s;
  if (relative_ttls) {
    uint64_t min_expire;
    s = reader_->ReadU64LE(&min_expire);
    if (!s.ok()) return s;
  }
  s = reader_->ReadPlainLength(&record->member_count, "hash size");
  if (!s.ok()) return s;
  for (uint64_t i = 0; i < record->member_count; i++) {
    uint64_t ttl;
    s = reader_->ReadPlainLength(&ttl, "hash field TTL");
    if (!s.ok()) return s;
    if (ttl != 0) record->shape.fields_with_expiry++;
    s = ReadStringSequence(2, /*priced=*/true, &record->shape);
    if (!s.ok()) return s;
    NoteLongPair(i, &record->shape);
  }
  FinishSequencePack(&record->shape);
  return Status::OK();
}

// Valkey 9 HASH_2: per field the field, the value and an 8-byte little-endian expiry in ms
// (-1 = none).
Status ValueReader::ReadValkeyHash2(KeyRecord* record) {
  record->type = KeyType::kHash;
  record->encoding = "hash2";
  Status s = reader_->ReadPlainLength(&record->member_count, "hash size");
  if (!s.ok()) return s;
  for (uint64_t i = 0; i < record->member_count; i++) {
    s = ReadStringSequence(2, /*priced=*/true, &record->shape);
    if (!s.ok()) return s;
    NoteLongPair(i, &record->shape);
    uint64_t expiry;
    s = reader_->ReadU64LE(&expiry);
    if (!s.ok()) return s;
    if (static_cast<int64_t>(expiry) != -1) record->shape.fields_with_expiry++;
  }
  FinishSequencePack(&record->shape);
  return Status::OK();
}

Status ValueReader::WalkContainer(Container kind, const TupleLayout& layout, ValueShape* shape,
                                  uint64_t* entries) {
  static constexpr const char* kNames[] = {"listpack", "ziplist", "intset", "zipmap"};
  Status s = container_.Open(reader_, kNames[static_cast<int>(kind)]);
  if (!s.ok()) return s;
  const bool header_only = container_.compressed() && !walk_compressed_;
  ContainerStats stats;
  switch (kind) {
    case Container::kListpack:
      s = WalkListpack(&container_, layout, header_only, &stats);
      break;
    case Container::kZiplist:
      s = WalkZiplist(&container_, layout, header_only, &stats);
      break;
    case Container::kIntset:
      s = WalkIntset(&container_, header_only, &stats);
      break;
    case Container::kZipmap:
      s = WalkZipmap(&container_, header_only, &stats);
      break;
  }
  if (!s.ok()) return s;
  s = container_.Finish(stats.walked);
  if (!s.ok()) return s;
  if (stats.entries % static_cast<uint64_t>(layout.width) != 0) {
    return reader_->Corruption(std::string(kNames[static_cast<int>(kind)]) + " holds " +
                               std::to_string(stats.entries) + " entries, not a multiple of " +
                               std::to_string(layout.width));
  }
  shape->container_bytes += container_.size();
  AddPacked(kind, stats, shape);
  const uint64_t tuples = stats.entries / static_cast<uint64_t>(layout.width);
  const int counted = __builtin_popcount(layout.counted_mask);
  shape->elements += tuples * static_cast<uint64_t>(counted);
  if (stats.walked) {
    shape->element_bytes += stats.element_bytes;
    shape->sds_alloc_bytes += stats.sds_alloc_bytes;
    shape->integer_elements += stats.integer_entries;
    if (stats.integer_width > shape->integer_width) shape->integer_width = stats.integer_width;
    if (stats.max_element_len > shape->max_element_len) {
      shape->max_element_len = stats.max_element_len;
    }
    if (!stats.all_integers) all_integers_ = false;
    shape->fields_with_expiry += stats.ttls_set;
  } else {
    shape->element_stats_exact = false;
  }
  *entries = stats.entries;
  return Status::OK();
}

void ValueReader::AddPacked(Container kind, const ContainerStats& stats, ValueShape* shape) {
  const uint64_t size = container_.size();
  uint64_t packed = size;  // listpacks and intsets are loaded as they are
  if (kind == Container::kZiplist || kind == Container::kZipmap) {
    if (stats.walked) {
      packed = kListpackOverheadBytes + stats.listpack_entry_bytes;
    } else {
      // Entries cost about the same in both layouts; the headers differ: a ziplist's 10-byte
      // header and end byte against the listpack's 7 bytes, a zipmap's 2 bytes.
      constexpr uint64_t kZiplistOverhead = 11, kZipmapOverhead = 2;
      packed =
          kind == Container::kZiplist
              ? (size > kZiplistOverhead ? size - kZiplistOverhead : 0) + kListpackOverheadBytes
              : size - kZipmapOverhead + kListpackOverheadBytes;
    }
  }
  shape->packed_bytes += packed;
  shape->packed_alloc_bytes += JemallocSizeClass(packed);
}

Status ValueReader::ReadContainerValue(Container kind, const TupleLayout& layout,
                                       KeyRecord* record) {
  uint64_t entries;
  Status s = WalkContainer(kind, layout, &record->shape, &entries);
  if (!s.ok()) return s;
  record->member_count = entries / static_cast<uint64_t>(layout.width);
  return Status::OK();
}

Status ValueReader::ReadQuicklist(bool version2, KeyRecord* record) {
  record->type = KeyType::kList;
  record->encoding = version2 ? "quicklist2" : "quicklist";
  uint64_t nodes;
  Status s = reader_->ReadPlainLength(&nodes, "quicklist node count");
  if (!s.ok()) return s;
  ValueShape& shape = record->shape;
  for (uint64_t i = 0; i < nodes; i++) {
    uint64_t container = kQuicklistNodePacked;
    if (version2) {
      s = reader_->ReadPlainLength(&container, "quicklist node container");
      if (!s.ok()) return s;
      if (container != kQuicklistNodePacked && container != kQuicklistNodePlain) {
        return reader_->Corruption("quicklist node " + std::to_string(i) +
                                   " has unknown container " + std::to_string(container));
      }
    }
    uint64_t entries;
    if (container == kQuicklistNodePlain) {
      // One element stored as it is (a large one: over the listpack size limit).
      Element e;
      s = ReadElement(&shape, &e);
      if (!s.ok()) return s;
      shape.packed_bytes += e.header.length;  // the element, allocated on its own
      shape.packed_alloc_bytes += JemallocSizeClass(e.header.length);
      shape.quicklist_plain_nodes++;
      entries = 1;
    } else {
      s = WalkContainer(version2 ? Container::kListpack : Container::kZiplist,
                        TupleLayout::ListElement(), &shape, &entries);
      if (!s.ok()) return s;
    }
    record->member_count += entries;
  }
  shape.quicklist_nodes = nodes;
  return Status::OK();
}

Status ValueReader::ReadModule(KeyRecord* record) {
  record->type = KeyType::kModule;
  record->encoding = "module";
  uint64_t module_id;
  Status s = reader_->ReadPlainLength(&module_id, "module id");
  if (!s.ok()) return s;
  record->shape.module_name = ModuleTypeName(module_id);
  s = SkipModuleItems(reader_, nullptr);
  if (!s.ok()) return s;
  record->member_count = 0;
  all_integers_ = false;
  return Status::OK();
}

}  // namespace strata::rdb
