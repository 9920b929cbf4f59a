// TableProperties: facts about a table, stored in its properties block.
//
// The block is an ordinary block (block_builder.h) with restart interval 1, whose keys are
// the property names below in bytewise order. Integer values are varint64, strings are raw
// bytes. Readers ignore names they do not know, so later versions can add properties.
#pragma once

#include <cstdint>
#include <string>

#include "strata/slice.h"
#include "strata/status.h"

namespace strata::sst {

struct TableProperties {
  uint64_t num_entries = 0;
  uint64_t raw_key_bytes = 0;
  uint64_t raw_value_bytes = 0;
  uint64_t num_data_blocks = 0;
  uint64_t index_size = 0;   // stored bytes of the index block
  uint64_t filter_size = 0;  // stored bytes of the filter block, 0 without a filter
  std::string smallest_key;  // empty in an empty table
  std::string largest_key;
  bool has_sequences = false;  // min/max_sequence are set (TableOptions::sequence_of)
  uint64_t min_sequence = 0;
  uint64_t max_sequence = 0;
  std::string compression;     // codec name, e.g. "zstd"
  std::string comparator;      // Comparator::Name() of the writer
  uint64_t creation_time = 0;  // unix seconds
  // The index holds user keys (TableOptions::user_key), not whole keys.
  bool index_user_keys = false;

  // The properties block (before the trailer).
  std::string Encode() const;
  // Parses a properties block; Corruption (naming context) on a malformed block or value.
  Status Decode(std::string block, const std::string& context);
};

}  // namespace strata::sst
