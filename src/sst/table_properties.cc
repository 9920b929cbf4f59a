#include "sst/table_properties.h"

#include <map>
#include <memory>

#include "base/coding.h"
#include "sst/block.h"
#include "sst/block_builder.h"

namespace strata::sst {

namespace {

// Property names as stored; the block needs them in bytewise order, which std::map gives.
constexpr char kComparator[] = "strata.comparator";
constexpr char kCompression[] = "strata.compression";
constexpr char kCreationTime[] = "strata.creation_time";
constexpr char kDataBlocks[] = "strata.data_blocks";
constexpr char kEntries[] = "strata.entries";
constexpr char kFilterSize[] = "strata.filter_size";
constexpr char kIndexSize[] = "strata.index_size";
constexpr char kIndexUserKeys[] = "strata.index_user_keys";
constexpr char kLargestKey[] = "strata.largest_key";
constexpr char kMaxSequence[] = "strata.max_sequence";
constexpr char kMinSequence[] = "strata.min_sequence";
constexpr char kRawKeyBytes[] = "strata.raw_key_bytes";
constexpr char kRawValueBytes[] = "strata.raw_value_bytes";
constexpr char kSmallestKey[] = "strata.smallest_key";

std::string Varint(uint64_t v) {
  std::string s;
  PutVarint64(&s, v);
  return s;
}

}  // namespace

std::string TableProperties::Encode() const {
  std::map<std::string, std::string> props = {
      {kComparator, comparator},
      {kCompression, compression},
      {kCreationTime, Varint(creation_time)},
      {kDataBlocks, Varint(num_data_blocks)},
      {kEntries, Varint(num_entries)},
      {kFilterSize, Varint(filter_size)},
      {kIndexSize, Varint(index_size)},
      {kLargestKey, largest_key},
      {kRawKeyBytes, Varint(raw_key_bytes)},
      {kRawValueBytes, Varint(raw_value_bytes)},
      {kSmallestKey, smallest_key},
  };
  if (index_user_keys) props[kIndexUserKeys] = Varint(1);
  if (has_sequences) {
    props[kMinSequence] = Varint(min_sequence);
    props[kMaxSequence] = Varint(max_sequence);
  }
  BlockBuilder builder(1);
  for (const auto& [name, value] : props) builder.Add(name, value);
  return builder.Finish().ToString();
}

Status TableProperties::Decode(std::string block, const std::string& context) {
  auto parsed = std::make_shared<const Block>(std::move(block), context);
  auto it = Block::NewIterator(parsed, BytewiseComparator());
  bool has_min = false;
  bool has_max = false;
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    const Slice name = it->key();
    Slice value = it->value();
    uint64_t* number = nullptr;
    if (name == kComparator) {
      comparator = value.ToString();
    } else if (name == kCompression) {
      compression = value.ToString();
    } else if (name == kSmallestKey) {
      smallest_key = value.ToString();
    } else if (name == kLargestKey) {
      largest_key = value.ToString();
    } else if (name == kCreationTime) {
      number = &creation_time;
    } else if (name == kDataBlocks) {
      number = &num_data_blocks;
    } else if (name == kEntries) {
      number = &num_entries;
    } else if (name == kFilterSize) {
      number = &filter_size;
    } else if (name == kIndexSize) {
      number = &index_size;
    } else if (name == kIndexUserKeys) {
      uint64_t flag = 0;
      if (!GetVarint64(&value, &flag) || !value.empty() || flag > 1) {
        return Status::Corruption(context, "malformed value of property " + name.ToString());
      }
      index_user_keys = flag == 1;
    } else if (name == kRawKeyBytes) {
      number = &raw_key_bytes;
    } else if (name == kRawValueBytes) {
      number = &raw_value_bytes;
    } else if (name == kMinSequence) {
      number = &min_sequence;
      has_min = true;
    } else if (name == kMaxSequence) {
      number = &max_sequence;
      has_max = true;
    }
    if (number != nullptr && (!GetVarint64(&value, number) || !value.empty())) {
      return Status::Corruption(context, "malformed value of property " + name.ToString());
    }
  }
  if (!it->status().ok()) return it->status();
  has_sequences = has_min && has_max;
  return Status::OK();
}

}  // namespace strata::sst
