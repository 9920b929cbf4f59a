// How a LogReader treats damage it finds.
#pragma once

#include <array>

#include "base/enum_names.h"

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

constexpr auto EnumNameTable(RecoveryMode) {
  return std::to_array<EnumNameEntry<RecoveryMode>>({
      {RecoveryMode::kTolerateCorruptedTail, "tolerate_corrupted_tail"},
      {RecoveryMode::kAbsoluteConsistency, "absolute_consistency"},
      {RecoveryMode::kSkipCorrupted, "skip_corrupted"},
      {RecoveryMode::kPointInTime, "point_in_time"},
  });
}

}  // namespace strata::wal
