#include "sst/table_reader.h"

#include "base/coding.h"
#include "base/error_iterator.h"
#include "base/forwarding_iterator.h"
#include "sst/block_iterator.h"
#include "sst/two_level_iterator.h"

namespace strata::sst {

TableReader::TableReader(const TableOptions& options, std::string file_name,
                         std::unique_ptr<RandomAccessFile> file, uint64_t file_size)
    : options_(options),
      file_name_(std::move(file_name)),
      shared_file_name_(std::make_shared<const std::string>(file_name_)),
      file_(std::move(file)),
      file_size_(file_size) {}

std::string TableReader::BlockContext(uint64_t offset) const {
  return file_name_ + ": block at offset " + std::to_string(offset);
}

Result<std::unique_ptr<TableReader>> TableReader::Open(const TableOptions& options,
                                                       std::string file_name,
                                                       std::unique_ptr<RandomAccessFile> file,
                                                       uint64_t file_size) {
  if (file_size < Footer::kEncodedLength) {
    return Status::Corruption(file_name, "file of " + std::to_string(file_size) +
                                             " bytes is too small to be a table (footer is " +
                                             std::to_string(Footer::kEncodedLength) + " bytes)");
  }
  std::unique_ptr<TableReader> t(
      new TableReader(options, std::move(file_name), std::move(file), file_size));
  const std::string& name = t->file_name_;

  const uint64_t footer_offset = file_size - Footer::kEncodedLength;
  char footer_space[Footer::kEncodedLength];
  Slice footer_bytes;
  Status s = t->file_->Read(footer_offset, Footer::kEncodedLength, &footer_bytes, footer_space);
  if (!s.ok()) {
    return Status::IOError(name + ": offset " + std::to_string(footer_offset), s.ToString());
  }
  if (footer_bytes.size() != Footer::kEncodedLength) {
    return Status::Corruption(name + ": offset " + std::to_string(footer_offset),
                              "short read of the footer (file truncated?)");
  }
  s = t->footer_.DecodeFrom(footer_bytes, name, footer_offset);
  if (!s.ok()) return s;
  // Blocks lie before the footer; ReadBlock checks against this size.
  const uint64_t blocks_end = footer_offset;

  BlockContents contents;
  s = ReadBlock(t->file_.get(), name, blocks_end, t->footer_.properties, true,
                options.max_block_size, &contents);
  if (!s.ok()) return s;
  s = t->props_.Decode(contents.TakeString(),
                       t->BlockContext(t->footer_.properties.offset()) + " (properties)");
  if (!s.ok()) return s;
  if (t->props_.comparator != options.comparator->Name()) {
    return Status::InvalidArgument(name, "written with comparator " + t->props_.comparator +
                                             ", opened with " + options.comparator->Name());
  }

  s = ReadBlock(t->file_.get(), name, blocks_end, t->footer_.index, true, options.max_block_size,
                &contents);
  if (!s.ok()) return s;
  auto index = std::make_shared<const Block>(
      contents.TakeString(), t->BlockContext(t->footer_.index.offset()) + " (index)");
  if (!index->status().ok()) return index->status();
  t->index_block_ = std::move(index);
  if (t->props_.index_user_keys) {
    if (!options.user_key || options.user_comparator == nullptr) {
      return Status::InvalidArgument(name,
                                     "has an index of user keys; the reader was given no "
                                     "user-key extractor and comparator");
    }
    t->index_comparator_ = options.user_comparator;
  } else {
    t->index_comparator_ = options.comparator;
  }

  if (t->footer_.filter.size() > 0) {
    s = ReadBlock(t->file_.get(), name, blocks_end, t->footer_.filter, true, options.max_block_size,
                  &contents);
    if (!s.ok()) return s;
    t->filter_data_ = contents.TakeString();
    s = t->filter_.Init(t->filter_data_);
    if (!s.ok()) {
      return Status::Corruption(t->BlockContext(t->footer_.filter.offset()) + " (filter)",
                                s.message());
    }
    t->has_filter_ = true;
  }

  if (options.block_cache != nullptr) t->cache_id_ = options.block_cache->NewId();
  return t;
}

bool TableReader::KeyMayMatch(const Slice& filter_key) const {
  return !has_filter_ || filter_.KeyMayMatch(filter_key);
}

Status TableReader::ReadDataBlock(const TableReadOptions& read_options, const Slice& index_value,
                                  std::shared_ptr<const Block>* block) const {
  Slice input = index_value;
  BlockHandle handle;
  if (!handle.DecodeFrom(&input) || !input.empty()) {
    return Status::Corruption(BlockContext(footer_.index.offset()) + " (index)",
                              "malformed block handle in an index entry");
  }
  Cache* cache = options_.block_cache.get();
  char cache_key[16];
  if (cache != nullptr) {
    EncodeFixed64(cache_key, cache_id_);
    EncodeFixed64(cache_key + 8, handle.offset());
    *block = cache->LookupAs<Block>(Slice(cache_key, sizeof(cache_key)));
    if (*block != nullptr) return Status::OK();
  }
  BlockContents contents;
  Status s = ReadBlock(file_.get(), file_name_, file_size_ - Footer::kEncodedLength, handle,
                       read_options.verify_checksums, options_.max_block_size, &contents);
  if (!s.ok()) return s;
  BlockOrigin origin{shared_file_name_, handle.offset(), ""};
  auto parsed =
      std::make_shared<const Block>(std::move(contents.raw), contents.raw_size, std::move(origin));
  if (!parsed->status().ok()) return parsed->status();
  if (cache != nullptr && read_options.fill_cache) {
    cache->Insert(Slice(cache_key, sizeof(cache_key)), parsed, parsed->size() + sizeof(Block));
  }
  *block = std::move(parsed);
  return Status::OK();
}

std::unique_ptr<Iterator> TableReader::NewDataBlockIterator(const TableReadOptions& read_options,
                                                            const Slice& index_value) const {
  std::shared_ptr<const Block> block;
  Status s = ReadDataBlock(read_options, index_value, &block);
  if (!s.ok()) return NewErrorIterator(std::move(s));
  return Block::NewIterator(std::move(block), options_.comparator);
}

std::unique_ptr<Iterator> TableReader::NewIterator(const TableReadOptions& read_options) const {
  return NewTwoLevelIterator(NewIndexSeekIterator(),
                             [this, read_options](const Slice& index_value) {
                               return NewDataBlockIterator(read_options, index_value);
                             });
}

namespace {

// The index of a table with user-key index entries, sought with whole keys: seeks go to the
// target's user key. Only Seek and SeekForPrev take keys; the rest passes through.
class UserKeyIndexIterator final : public ForwardingIterator {
 public:
  UserKeyIndexIterator(std::unique_ptr<Iterator> inner,
                       const std::function<Slice(const Slice&)>* user_key)
      : ForwardingIterator(std::move(inner)), user_key_(user_key) {}
  void Seek(const Slice& t) override { inner()->Seek((*user_key_)(t)); }
  void SeekForPrev(const Slice& t) override { inner()->SeekForPrev((*user_key_)(t)); }

 private:
  const std::function<Slice(const Slice&)>* const user_key_;
};

}  // namespace

std::unique_ptr<Iterator> TableReader::NewIndexSeekIterator() const {
  auto index = Block::NewIterator(index_block_, index_comparator_);
  if (!props_.index_user_keys) return index;
  return std::make_unique<UserKeyIndexIterator>(std::move(index), &options_.user_key);
}

std::unique_ptr<Iterator> TableReader::NewIndexIterator() const {
  return Block::NewIterator(index_block_, index_comparator_);
}

Status TableReader::InternalGet(const TableReadOptions& read_options, const Slice& target,
                                std::string* found_key, std::string* found_value,
                                bool* found) const {
  struct Out {
    std::string* key;
    std::string* value;
    bool* found;
  } out{found_key, found_value, found};
  *found = false;
  return InternalGet(
      read_options, target,
      [](void* arg, const Slice& k, const Slice& v) {
        auto* o = static_cast<Out*>(arg);
        o->key->assign(k.data(), k.size());
        o->value->assign(v.data(), v.size());
        *o->found = true;
      },
      &out);
}

Status TableReader::InternalGet(const TableReadOptions& read_options, const Slice& target,
                                FoundCallback on_found, void* arg) const {
  // Both iterators live on the stack: a point lookup allocates only the block it reads.
  BlockIterator index(index_block_, index_comparator_);
  index.Seek(props_.index_user_keys ? options_.user_key(target) : target);
  // Usually the block the index lands on holds the answer; when all its keys are < target
  // (target falls between its last key and its separator) the answer starts the next one.
  bool first_block = true;
  for (; index.Valid(); index.Next()) {
    std::shared_ptr<const Block> block;
    Status s = ReadDataBlock(read_options, index.value(), &block);
    if (!s.ok()) return s;
    BlockIterator data(std::move(block), options_.comparator);
    if (first_block) {
      data.Seek(target);
    } else {
      data.SeekToFirst();
    }
    if (!data.status().ok()) return data.status();
    if (data.Valid()) {
      on_found(arg, data.key(), data.value());
      return Status::OK();
    }
    first_block = false;
  }
  return index.status();
}

}  // namespace strata::sst
