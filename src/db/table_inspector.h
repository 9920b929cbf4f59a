// Reading a table file for people: `strata sst dump` is a thin wrapper over InspectTable().
//
// It lives with the engine, not in sst, because it decodes the engine's internal keys
// (memtable/internal_key.h) and opens tables written with the engine's comparator.
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>

#include "strata/env.h"
#include "strata/status.h"

namespace strata {

struct TableInspectOptions {
  // Print one line per entry (otherwise only properties, index and summary).
  bool print_entries = false;
  // Decode each key's last 8 bytes as an internal-key trailer (sequence << 8 | type) even in
  // a table written with the bytewise comparator. A table written by the engine (its
  // comparator is the internal-key order over bytewise user keys) is always decoded so.
  bool internal_keys = false;
  // How many leading bytes of a key or value a line shows.
  size_t preview_bytes = 32;
};

struct TableInspectSummary {
  std::string comparator;  // as recorded in the table
  uint64_t entries = 0;
  uint64_t data_blocks = 0;
  uint64_t key_bytes = 0;
  uint64_t value_bytes = 0;
  uint64_t deletions = 0;  // internal keys of type deletion
  uint64_t errors = 0;     // "error:" lines printed
};

// Opens path, reads every data block with its checksum verified and writes lines to out:
//   file: dir/000005.sst size=40213
//   comparator: strata.InternalKeyComparator          (one `name: value` per property)
//   block 0: offset=0 size=4012 separator="key00100" seq=72057594037927935 type=put
//   entry: key="key00001" seq=1 type=put value[6]="value1"      (with print_entries)
//   error: Corruption: dir/000005.sst: block at offset 4017: checksum mismatch
//   summary: entries=1000 data_blocks=10 key_bytes=... deletions=0 errors=0 end=ok|error
// Besides checksums it checks that keys strictly increase, that counts and the smallest and
// largest keys agree with the properties, and (for internal keys) that every trailer parses.
// Returns the first error (naming the file and offset); OK means the table is intact.
Status InspectTable(Env* env, const std::string& path, const TableInspectOptions& options,
                    std::FILE* out, TableInspectSummary* summary);

}  // namespace strata
