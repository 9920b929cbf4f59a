#include "sst/table_builder.h"

#include <algorithm>
#include <cassert>
#include <ctime>

#include "base/coding.h"

namespace strata::sst {

namespace {

// The room an entry takes in a block besides its key and value: three varint32 lengths and
// its share of the restart array.
constexpr size_t kEntryOverhead = 3 * kMaxVarint32Bytes + 2 * sizeof(uint32_t);

}  // namespace

TableBuilder::TableBuilder(const TableOptions& options, WritableFile* file)
    : options_(options),
      file_(file),
      data_block_(std::max(1, options.restart_interval)),
      index_block_(std::max(1, options.index_restart_interval)),
      user_index_block_(std::max(1, options.index_restart_interval)),
      user_index_possible_(options.user_key && options.user_comparator != nullptr) {
  if (options_.bloom_bits_per_key > 0) {
    filter_ = std::make_unique<BloomFilterBuilder>(options_.bloom_bits_per_key);
  }
  props_.comparator = options_.comparator->Name();
  props_.compression = EnumName(options_.compression);
}

TableBuilder::~TableBuilder() { assert(closed_ || props_.num_entries == 0); }

Status TableBuilder::Add(const Slice& key, const Slice& value) {
  assert(!closed_);
  if (!status_.ok()) return status_;
  if (props_.num_entries > 0 && options_.comparator->Compare(key, last_key_) <= 0) {
    return Status::InvalidArgument(
        "table builder: key out of order",
        "entry " + std::to_string(props_.num_entries) + " is not after the previous key");
  }
  const uint64_t entry_size = uint64_t{key.size()} + value.size() + kEntryOverhead;
  if (entry_size > options_.max_block_size || entry_size > UINT32_MAX) {
    return Status::InvalidArgument("table builder: entry of " + std::to_string(entry_size) +
                                   " bytes exceeds the block size limit of " +
                                   std::to_string(options_.max_block_size));
  }
  // Cut the current block first if this entry would push it past the reader's limit.
  if (!data_block_.empty() &&
      data_block_.CurrentSizeEstimate() + entry_size > options_.max_block_size) {
    status_ = FlushDataBlock();
    if (!status_.ok()) return status_;
  }
  if (pending_index_entry_) AddIndexEntry(&key);

  if (filter_ != nullptr) {
    const Slice fk = options_.filter_key ? options_.filter_key(key) : key;
    if (filter_->num_keys() == 0 || fk != Slice(last_filter_key_)) {
      filter_->AddKey(fk);
      last_filter_key_.assign(fk.data(), fk.size());
    }
  }
  if (options_.sequence_of) {
    const uint64_t seq = options_.sequence_of(key);
    if (!props_.has_sequences) {
      props_.has_sequences = true;
      props_.min_sequence = props_.max_sequence = seq;
    } else {
      props_.min_sequence = std::min(props_.min_sequence, seq);
      props_.max_sequence = std::max(props_.max_sequence, seq);
    }
  }
  if (props_.num_entries == 0) props_.smallest_key = key.ToString();
  last_key_.assign(key.data(), key.size());
  props_.num_entries++;
  props_.raw_key_bytes += key.size();
  props_.raw_value_bytes += value.size();

  data_block_.Add(key, value);
  if (data_block_.CurrentSizeEstimate() >= options_.block_size) {
    status_ = FlushDataBlock();
  }
  return status_;
}

void TableBuilder::AddIndexEntry(const Slice* next_key) {
  // The separator is >= every key of the block just written and < next_key, so a Seek in
  // the index lands on the block that may hold the target.
  std::string separator = last_key_;
  if (next_key != nullptr) {
    options_.comparator->FindShortestSeparator(&separator, *next_key);
  } else {
    options_.comparator->FindShortSuccessor(&separator);
  }
  std::string handle;
  pending_handle_.EncodeTo(&handle);
  index_block_.Add(separator, handle);
  if (user_index_possible_) {
    // A user key whose versions continue in the next block would make the block holding a
    // given version ambiguous to a user-key index: then the table keeps the full keys.
    if (next_key != nullptr &&
        options_.user_comparator->Compare(options_.user_key(last_key_),
                                          options_.user_key(*next_key)) == 0) {
      user_index_possible_ = false;
    } else {
      // The separator's user key is >= the block's last user key and < the next block's
      // first: a seek for any version of a user key lands on the block holding them all.
      user_index_block_.Add(options_.user_key(separator), handle);
    }
  }
  pending_index_entry_ = false;
}

Status TableBuilder::FlushDataBlock() {
  if (data_block_.empty()) return Status::OK();
  assert(!pending_index_entry_);
  Status s = WriteBlock(data_block_.Finish(), options_.compression, &pending_handle_);
  data_block_.Reset();
  if (!s.ok()) return s;
  pending_index_entry_ = true;
  props_.num_data_blocks++;
  return Status::OK();
}

Status TableBuilder::WriteBlock(const Slice& raw, CompressionType type, BlockHandle* handle) {
  Slice stored = raw;
  if (type != CompressionType::kNone) {
    Status s = Compress(type, raw, options_.compression_level, &compressed_);
    // Compression must save at least 1/8 to be worth a decompression on every read.
    if (s.ok() && compressed_.size() < raw.size() - raw.size() / 8) {
      stored = Slice(compressed_);
    } else {
      type = CompressionType::kNone;
    }
  }
  handle->set_offset(offset_);
  handle->set_size(stored.size());
  char trailer[kBlockTrailerSize];
  trailer[0] = static_cast<char>(type);
  EncodeFixed32(trailer + 1, BlockChecksum(stored, static_cast<uint8_t>(type)));
  Status s = WriteRaw(stored);
  if (s.ok()) s = WriteRaw(Slice(trailer, kBlockTrailerSize));
  return s;
}

Status TableBuilder::WriteRaw(const Slice& data) {
  Status s = file_->Append(data);
  if (!s.ok()) return s;
  offset_ += data.size();
  return Status::OK();
}

Status TableBuilder::Finish() {
  assert(!closed_);
  if (!status_.ok()) {
    closed_ = true;
    return status_;
  }
  status_ = FlushDataBlock();
  closed_ = true;
  if (!status_.ok()) return status_;
  if (pending_index_entry_) AddIndexEntry(nullptr);

  Footer footer;
  if (filter_ != nullptr) {
    status_ = WriteBlock(filter_->Finish(), CompressionType::kNone, &footer.filter);
    if (!status_.ok()) return status_;
    props_.filter_size = footer.filter.size();
  }
  props_.index_user_keys = user_index_possible_;
  BlockBuilder& index = user_index_possible_ ? user_index_block_ : index_block_;
  status_ = WriteBlock(index.Finish(), options_.compression, &footer.index);
  if (!status_.ok()) return status_;
  props_.index_size = footer.index.size();

  props_.largest_key = last_key_;
  props_.creation_time = static_cast<uint64_t>(std::time(nullptr));
  status_ = WriteBlock(props_.Encode(), CompressionType::kNone, &footer.properties);
  if (!status_.ok()) return status_;

  std::string encoded;
  footer.EncodeTo(&encoded);
  status_ = WriteRaw(encoded);
  return status_;
}

void TableBuilder::Abandon() {
  assert(!closed_);
  closed_ = true;
}

}  // namespace strata::sst
