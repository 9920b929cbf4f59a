// How a LogReader treats damage it finds.
#pragma once

#include <string>

namespace strata::wal {

enum class RecoveryMode {
  // Default. A torn or partial last record (a crash during a write) ends the log cleanly.
  // Damage counts as that tail only if no later block starts with a valid record; damage
  // followed by valid records is real corruption and an error.
  kTolerateCorruptedTail,
  // Any damage, a torn tail included, is an error.
  kAbsoluteConsistency,
  // Damage is reported and skipped; reading resumes at the next block boundary.
  kSkipCorrupted,
  // Stop at the first damage without an error, whatever follows (RocksDB's default):
  // recovers a consistent prefix even after a torn multi-block write.
  kPointInTime,
};

const char* RecoveryModeName(RecoveryMode mode);
// Accepts the names RecoveryModeName() prints; false for anything else.
bool ParseRecoveryMode(const std::string& name, RecoveryMode* mode);

}  // namespace strata::wal
