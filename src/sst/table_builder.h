// TableBuilder: writes a sorted table file (format.h, docs/formats/sst.md) in one pass.
//
// Keys arrive in strictly increasing comparator order; data blocks are cut at
// options.block_size, and the index, filter and properties blocks and the footer are
// written by Finish(). The builder does not sync or close the file: the caller does, after
// Finish() succeeds. *file must outlive the builder. Not safe for concurrent use.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "sst/block_builder.h"
#include "sst/bloom_filter.h"
#include "sst/format.h"
#include "sst/table_options.h"
#include "sst/table_properties.h"
#include "strata/env.h"
#include "strata/slice.h"
#include "strata/status.h"

namespace strata::sst {

class TableBuilder {
 public:
  TableBuilder(const TableOptions& options, WritableFile* file);
  // A builder must end with Finish() or Abandon().
  ~TableBuilder();

  TableBuilder(const TableBuilder&) = delete;
  TableBuilder& operator=(const TableBuilder&) = delete;

  // Appends an entry. InvalidArgument (nothing added, the builder stays usable) if key is not
  // after the previous key or the entry cannot fit a block of options.max_block_size; a
  // write error is returned and sticks: every later call returns it.
  Status Add(const Slice& key, const Slice& value);

  // Writes the remaining blocks and the footer. No Add() may follow.
  Status Finish();

  // Gives up: nothing more is written, the caller deletes the file.
  void Abandon();

  uint64_t NumEntries() const { return props_.num_entries; }
  // Bytes written so far; after Finish(), the size of the file.
  uint64_t FileSize() const { return offset_; }
  // Complete after Finish().
  const TableProperties& properties() const { return props_; }

 private:
  Status FlushDataBlock();
  Status WriteBlock(const Slice& raw, CompressionType type, BlockHandle* handle);
  Status WriteRaw(const Slice& data);
  void AddIndexEntry(const Slice* next_key);

  const TableOptions options_;
  WritableFile* const file_;
  uint64_t offset_ = 0;
  Status status_;  // first write error; sticks
  bool closed_ = false;

  BlockBuilder data_block_;
  BlockBuilder index_block_;
  // The same index with user keys, kept while no user key spans two blocks (see
  // TableOptions::user_key); Finish() writes it instead when that held to the end.
  BlockBuilder user_index_block_;
  bool user_index_possible_;
  std::unique_ptr<BloomFilterBuilder> filter_;  // null without a filter
  std::string last_filter_key_;

  std::string last_key_;
  // A data block was just written; its index entry waits for the next key, so the separator
  // can be the shortest key between the two blocks.
  bool pending_index_entry_ = false;
  BlockHandle pending_handle_;

  TableProperties props_;
  std::string compressed_;  // scratch for WriteBlock
};

}  // namespace strata::sst
