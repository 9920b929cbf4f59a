// BlockBuilder: lays out sorted key/value entries as one block (data, index or properties).
//
// Entry:   varint32 shared | varint32 non_shared | varint32 value_length |
//          key bytes [shared, shared + non_shared) | value bytes
// where `shared` is the length of the prefix the key has in common with the previous key.
// Every restart_interval entries the prefix compression restarts (shared = 0) and the
// entry's offset is recorded, so a reader can binary-search the restart points.
// Trailer: fixed32 restart offset per restart point, then fixed32 number of restart points.
// An empty block still has one restart point (offset 0).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "strata/slice.h"

namespace strata::sst {

class BlockBuilder {
 public:
  // restart_interval >= 1.
  explicit BlockBuilder(int restart_interval);

  BlockBuilder(const BlockBuilder&) = delete;
  BlockBuilder& operator=(const BlockBuilder&) = delete;

  // Starts a new, empty block.
  void Reset();

  // Appends an entry. Keys must arrive in increasing order of the block's comparator (the
  // caller checks that); key and value sizes fit in 32 bits and the finished block too.
  void Add(const Slice& key, const Slice& value);

  // Appends the restart trailer and returns the whole block, valid until Reset() or
  // destruction. No Add() may follow until Reset().
  Slice Finish();

  // The size Finish() would produce now.
  size_t CurrentSizeEstimate() const;
  bool empty() const { return buffer_.empty(); }
  // Entries added since Reset().
  size_t num_entries() const { return num_entries_; }

 private:
  const int restart_interval_;
  std::string buffer_;
  std::vector<uint32_t> restarts_;  // offsets in buffer_; restarts_[0] == 0
  int counter_ = 0;                 // entries since the last restart point
  size_t num_entries_ = 0;
  bool finished_ = false;
  std::string last_key_;
};

}  // namespace strata::sst
