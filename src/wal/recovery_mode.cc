#include "wal/recovery_mode.h"

namespace strata::wal {

namespace {
constexpr RecoveryMode kAllModes[] = {
    RecoveryMode::kTolerateCorruptedTail,
    RecoveryMode::kAbsoluteConsistency,
    RecoveryMode::kSkipCorrupted,
    RecoveryMode::kPointInTime,
};
}  // namespace

const char* RecoveryModeName(RecoveryMode mode) {
  switch (mode) {
    case RecoveryMode::kTolerateCorruptedTail:
      return "tolerate_corrupted_tail";
    case RecoveryMode::kAbsoluteConsistency:
      return "absolute_consistency";
    case RecoveryMode::kSkipCorrupted:
      return "skip_corrupted";
    case RecoveryMode::kPointInTime:
      return "point_in_time";
  }
  return "unknown";
}

bool ParseRecoveryMode(const std::string& name, RecoveryMode* mode) {
  for (RecoveryMode m : kAllModes) {
    if (name == RecoveryModeName(m)) {
      *mode = m;
      return true;
    }
  }
  return false;
}

}  // namespace strata::wal
