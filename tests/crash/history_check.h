// History check: is what a DB holds after a kill a state the workload could have left?
//
// The write-ahead log is one ordered stream, replayed in order, and a batch is one record:
// a crash can only cut the history of writes at a single point. So the recovered contents
// must equal the state after some prefix of the operations issued, and that prefix must
// cover every acknowledged operation. That holds for every acknowledged write under SIGKILL,
// synced or not: a write is acknowledged only after its log record reached the kernel, and
// a process crash loses nothing the kernel holds. (Sync writes also survive a machine crash,
// which a kill cannot cause; the in-process crash tests on MemEnv check that.)
//
// The check is exact and complete: if no prefix in [acked, issued] matches, the DB lost an
// acknowledged write, reordered writes, tore a batch, or holds a value nobody wrote, and the
// error says which keys differ.
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "crash/workload_ops.h"
#include "strata/status.h"

namespace strata::crash {

// The DB's logical contents: key -> value.
using State = std::map<std::string, std::string>;

// Applies op's updates to *state, in order.
void ApplyOp(const Op& op, State* state);

// Round `round` of the workload seeded with `seed` started on the contents *model, issued
// operations [0, issued) and had [0, acked) acknowledged before it was killed; `recovered`
// is what the DB holds after reopening.
//
// OK if recovered is the state after operations [0, p) for some p in [acked, issued]; then
// *model becomes recovered and *prefix the smallest such p. Otherwise Corruption describing
// the first values nobody wrote, or how recovered differs from the state after [0, acked);
// *model is left alone.
Status CheckRound(uint64_t seed, uint32_t round, uint64_t acked, uint64_t issued,
                  const State& recovered, State* model, uint64_t* prefix);

}  // namespace strata::crash
