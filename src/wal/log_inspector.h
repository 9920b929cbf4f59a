// Reading a log file for people: `strata wal dump` and `strata wal verify` are thin
// wrappers over InspectLog().
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>

#include "strata/env.h"
#include "wal/recovery_mode.h"

namespace strata::wal {

struct InspectOptions {
  RecoveryMode mode = RecoveryMode::kAbsoluteConsistency;
  // Print one line per record (dump) or only damage and the summary (verify).
  bool print_records = true;
  // How many leading payload bytes a record line shows.
  size_t preview_bytes = 16;
};

struct InspectSummary {
  uint64_t records = 0;
  uint64_t payload_bytes = 0;
  uint64_t damage_reports = 0;  // corruptions reported (skipped or fatal)
  bool tail_dropped = false;
};

// Reads path with a LogReader and writes lines to out:
//   header: version=1 purpose=wal log_number=7
//   record offset=31 length=100 type=FULL fragments=1 data=68656c6c6f "hello"
//   corruption offset=32768 bytes=32768 reason=checksum mismatch in FULL record
//   torn-tail offset=65500 reason=file ends inside a record (...)
//   summary: records=... payload_bytes=... corruptions=... end=clean|torn-tail|error
// Returns the reader's final status: an error for damage the mode does not accept (the
// caller prints it).
Status InspectLog(Env* env, const std::string& path, const InspectOptions& options, std::FILE* out,
                  InspectSummary* summary);

}  // namespace strata::wal
