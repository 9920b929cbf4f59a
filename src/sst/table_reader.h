// TableReader: reads a table written by TableBuilder.
//
// Open() checks the footer and loads the index, filter and properties blocks (their
// checksums always verified); data blocks are read on demand, through the block cache when
// options.block_cache is set. Every error names the file and the byte offset involved, and a
// damaged file yields errors, never wrong data (with verify_checksums).
//
// Safe for concurrent use by several threads (each with its own iterators): after Open() the
// reader is immutable, and the file and the cache are thread-safe.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "base/result.h"
#include "sst/block.h"
#include "sst/bloom_filter.h"
#include "sst/format.h"
#include "sst/table_options.h"
#include "sst/table_properties.h"
#include "strata/env.h"
#include "strata/iterator.h"
#include "strata/slice.h"
#include "strata/status.h"

namespace strata::sst {

class TableReader {
 public:
  // file_size is the size of the whole file; the reader owns the file.
  // Corruption for a damaged or truncated file, NotSupported for a newer format version,
  // InvalidArgument when the table was written with another comparator.
  static Result<std::unique_ptr<TableReader>> Open(const TableOptions& options,
                                                   std::string file_name,
                                                   std::unique_ptr<RandomAccessFile> file,
                                                   uint64_t file_size);

  TableReader(const TableReader&) = delete;
  TableReader& operator=(const TableReader&) = delete;

  const TableProperties& properties() const { return props_; }
  const std::string& file_name() const { return file_name_; }

  // False only if no key of the table has this filter key (TableOptions::filter_key); always
  // true for a table without a filter.
  bool KeyMayMatch(const Slice& filter_key) const;
  // The same with the filter key's BloomHash() computed by the caller, and a prefetch of the
  // filter line it will read.
  bool HashMayMatch(uint64_t filter_hash) const {
    return !has_filter_ || filter_.HashMayMatch(filter_hash);
  }
  void PrefetchFilter(uint64_t filter_hash) const {
    if (has_filter_) filter_.Prefetch(filter_hash);
  }

  // Iterates every entry (Seek, SeekForPrev, Prev and SeekToLast included).
  std::unique_ptr<Iterator> NewIterator(const TableReadOptions& read_options) const;

  // Iterates the index block: one entry per data block, in order; the key is the block's
  // separator (a user key when properties().index_user_keys) and the value its encoded
  // BlockHandle. For tools that show a table's layout.
  std::unique_ptr<Iterator> NewIndexIterator() const;

  // Finds the first entry with key >= target. *found says whether there is one; the caller
  // decides whether it matches. Does not consult the filter.
  Status InternalGet(const TableReadOptions& read_options, const Slice& target,
                     std::string* found_key, std::string* found_value, bool* found) const;
  // As above without copies: calls on_found(arg, key, value) with the entry, if there is one,
  // while its block is alive (the slices are valid only during the call).
  using FoundCallback = void (*)(void* arg, const Slice& key, const Slice& value);
  Status InternalGet(const TableReadOptions& read_options, const Slice& target,
                     FoundCallback on_found, void* arg) const;

 private:
  TableReader(const TableOptions& options, std::string file_name,
              std::unique_ptr<RandomAccessFile> file, uint64_t file_size);

  // Reads (or finds in the cache) the data block named by an index value.
  Status ReadDataBlock(const TableReadOptions& read_options, const Slice& index_value,
                       std::shared_ptr<const Block>* block) const;
  // The index as TwoLevelIterator needs it: sought with whole keys whatever its keys are.
  std::unique_ptr<Iterator> NewIndexSeekIterator() const;
  std::unique_ptr<Iterator> NewDataBlockIterator(const TableReadOptions& read_options,
                                                 const Slice& index_value) const;
  std::string BlockContext(uint64_t offset) const;

  const TableOptions options_;
  const std::string file_name_;
  // Shared with the blocks read from this table, which may outlive it in the block cache.
  const std::shared_ptr<const std::string> shared_file_name_;
  const std::unique_ptr<RandomAccessFile> file_;
  const uint64_t file_size_;
  uint64_t cache_id_ = 0;  // prefix of this table's keys in options_.block_cache

  Footer footer_;
  std::shared_ptr<const Block> index_block_;
  // Orders the index's keys: the table's comparator, or the user comparator for an index of
  // user keys (properties().index_user_keys).
  const Comparator* index_comparator_ = nullptr;
  std::string filter_data_;  // owns the bytes filter_ reads
  BloomFilterReader filter_;
  bool has_filter_ = false;
  TableProperties props_;
};

}  // namespace strata::sst
