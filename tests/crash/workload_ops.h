// The crash workload's operations: a pure function of (seed, round, index).
//
// The child process issues operations 0, 1, 2, ... of its round until it is killed; the
// parent regenerates the very same operations to rebuild the states the DB may legitimately
// be in. Nothing about an operation depends on the DB's contents, so the parent needs only
// the numbers, never a copy of what the child did.
//
// Every value is self-describing: it names the operation and the slot in that operation
// that wrote it ("v|<round>|<index>|<slot>|" and then filler derived from those numbers).
// A value found in the DB can thus be traced to the one update that may have written it, and
// a value no operation wrote is recognised as such.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "strata/slice.h"

namespace strata::crash {

// One key's change within an operation.
struct Update {
  std::string key;
  bool is_delete = false;
  std::string value;  // empty for a delete
};

enum class OpKind {
  kPut,      // one update, DB::Put
  kDelete,   // one update, DB::Delete
  kBatch,    // several updates in one WriteBatch: all or nothing
  kFlush,    // DB::Flush: changes no contents
  kCompact,  // DB::CompactRange(nullptr, nullptr): changes no contents
};

struct Op {
  OpKind kind = OpKind::kPut;
  bool sync = false;            // WriteOptions::sync for the writes
  std::vector<Update> updates;  // in order; empty for kFlush and kCompact
};

// Operation number `index` of round `round` of the workload seeded with `seed`.
Op MakeOp(uint64_t seed, uint32_t round, uint64_t index);

// Every key the workload can write, in no particular order: a few hot keys that are
// overwritten all the time, and a wider range that is touched now and then.
std::vector<std::string> AllKeys();

// Where a value claims to come from.
struct ValueOrigin {
  uint32_t round = 0;
  uint64_t index = 0;
  uint32_t slot = 0;  // position of the update in Op::updates
};

// Reads the origin a value names; false if the value does not have the workload's header.
// It does not check the filler: compare with MakeOp(...).updates[slot] for that.
bool ParseValueOrigin(const Slice& value, ValueOrigin* origin);

// Write-buffer size, memtable count and table size of a round's DB options, also derived
// from the seed so a failing run can be replayed exactly.
struct RoundTuning {
  size_t write_buffer_size;
  int max_write_buffer_number;
  uint64_t target_file_size;
};
RoundTuning TuningFor(uint64_t seed, uint32_t round);

}  // namespace strata::crash
