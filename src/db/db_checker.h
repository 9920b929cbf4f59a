// CheckDB: an offline consistency check of a DB directory (`strata db check`).
//
// It only reads: it takes no lock and writes no MANIFEST or log (DB::Open would write both),
// so it can examine a DB left by a crash exactly as it is. It should not run while a process
// has the DB open, since files may change under it.
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>

#include "strata/env.h"
#include "strata/status.h"

namespace strata {

struct DbCheckSummary {
  uint64_t tables = 0;         // live tables checked
  uint64_t table_entries = 0;  // entries read from them
  uint64_t table_bytes = 0;
  uint64_t logs = 0;         // write-ahead logs at or above the MANIFEST's log number
  uint64_t log_batches = 0;  // write batches read from them
  uint64_t log_updates = 0;  // puts and deletes in those batches
  uint64_t problems = 0;     // damage: the DB is not intact
  uint64_t warnings = 0;     // normal after a crash (a torn tail of the newest log)
  uint64_t notes = 0;        // harmless leftovers (orphan tables, old MANIFESTs)
};

// Checks the DB in dir and writes lines to out:
//   manifest: dir/MANIFEST-000007 log_number=6 next_file=9 last_sequence=1000
//   table: dir/000005.sst level=0 entries=1000 bytes=40213 ok
//   log: dir/000006.log batches=3 updates=3 ok
//   note: dir/000003.sst: not referenced by the MANIFEST (orphan)
//   warning: dir/000006.log: torn tail at offset 4096 dropped (...)
//   problem: dir/000005.sst: block at offset 4017: checksum mismatch
//   summary: tables=2 entries=2000 ... problems=0 warnings=0 notes=0 end=ok|corrupt
// Replays CURRENT and the MANIFEST; reads every live table whole with checksums verified
// (keys must parse as internal keys, strictly increase, and lie within the file's smallest
// and largest key and sequence range from the MANIFEST; sizes must match); reads every live
// write-ahead log and decodes each record as a write batch.
// Returns InvalidArgument if dir is not a Strata DB, Corruption (naming the first problem)
// if any problem was found, OK otherwise.
Status CheckDB(Env* env, const std::string& dir, std::FILE* out, DbCheckSummary* summary);

}  // namespace strata
