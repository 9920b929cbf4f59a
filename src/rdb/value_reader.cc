#include "rdb/value_reader.h"

#include "rdb/container_walkers.h"
#include "rdb/module_skipper.h"
#include "rdb/rdb_format.h"
#include "rdb/stream_parser.h"

namespace strata::rdb {

namespace {

void AddElement(ValueShape* shape, uint64_t length) {
  shape->elements++;
  shape->element_bytes += length;
  if (length > shape->max_element_len) shape->max_element_len = length;
}

}  // namespace

bool ValueReader::IsValueType(uint8_t type) const {
  if (type <= kTypeModule2) return true;
  if (type >= kTypeHashZipmap && type <= kTypeStreamListpacks3) return true;
  if (valkey_) return type == kValkeyTypeHash2 || type == kValkeyTypePathHash;
  return type >= kTypeHashMetadataPreGa && type <= kTypeHashListpackEx;
}

void ValueReader::AddStringElement(const StringHeader& h, ValueShape* shape) {
  AddElement(shape, h.length);
  if (h.kind != StringHeader::Kind::kInt) all_integers_ = false;
}

Status ValueReader::ReadStringSequence(uint64_t count, ValueShape* shape) {
  for (uint64_t i = 0; i < count; i++) {
    StringHeader h;
    Status s = reader_->SkipString(&h);
    if (!s.ok()) return s;
    AddStringElement(h, shape);
  }
  return Status::OK();
}

Status ValueReader::Read(uint8_t type, KeyRecord* record) {
  record->rdb_type = type;
  all_integers_ = true;
  ValueShape& shape = record->shape;
  Status s;
  switch (type) {
    case kTypeString: {
      record->type = KeyType::kString;
      StringHeader h;
      s = reader_->SkipString(&h);
      if (!s.ok()) return s;
      record->encoding = h.kind == StringHeader::Kind::kInt   ? "int"
                         : h.kind == StringHeader::Kind::kLzf ? "lzf"
                                                              : "raw";
      AddStringElement(h, &shape);
      record->member_count = 1;
      break;
    }
    case kTypeList:
    case kTypeSet: {
      record->type = type == kTypeList ? KeyType::kList : KeyType::kSet;
      record->encoding = type == kTypeList ? "linkedlist" : "hashtable";
      s = reader_->ReadPlainLength(&record->member_count, "element count");
      if (!s.ok()) return s;
      s = ReadStringSequence(record->member_count, &shape);
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
      s = ReadContainerValue(Container::kZiplist, TupleLayout::Single(), record);
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
    StringHeader member;
    s = reader_->SkipString(&member);
    if (!s.ok()) return s;
    AddStringElement(member, &record->shape);
    if (binary_scores) {
      s = reader_->Skip(8);
    } else {
      // A one-byte length and that many ASCII bytes, or a marker for NaN / +inf / -inf.
      uint8_t len = 0;
      s = reader_->ReadByte(&len);
      if (s.ok() && len < kScoreNan) s = reader_->Skip(len);
    }
    if (!s.ok()) return s;
  }
  record->member_count = count;
  return Status::OK();
}

Status ValueReader::ReadPlainHash(KeyRecord* record) {
  record->type = KeyType::kHash;
  record->encoding = "hashtable";
  Status s = reader_->ReadPlainLength(&record->member_count, "hash size");
  if (!s.ok()) return s;
  for (uint64_t i = 0; i < record->member_count; i++) {
    s = ReadStringSequence(2, &record->shape);  // field, value
    if (!s.ok()) return s;
  }
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
    s = ReadStringSequence(2, &record->shape);
    if (!s.ok()) return s;
  }
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
    s = ReadStringSequence(2, &record->shape);
    if (!s.ok()) return s;
    uint64_t expiry;
    s = reader_->ReadU64LE(&expiry);
    if (!s.ok()) return s;
    if (static_cast<int64_t>(expiry) != -1) record->shape.fields_with_expiry++;
  }
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
  const uint64_t tuples = stats.entries / static_cast<uint64_t>(layout.width);
  const int counted = __builtin_popcount(layout.counted_mask);
  shape->elements += tuples * static_cast<uint64_t>(counted);
  if (stats.walked) {
    shape->element_bytes += stats.element_bytes;
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
      StringHeader h;
      s = reader_->SkipString(&h);
      if (!s.ok()) return s;
      AddStringElement(h, &shape);
      shape.quicklist_plain_nodes++;
      entries = 1;
    } else {
      s = WalkContainer(version2 ? Container::kListpack : Container::kZiplist,
                        TupleLayout::Single(), &shape, &entries);
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
