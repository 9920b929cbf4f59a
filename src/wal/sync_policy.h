// When an acknowledged log record is durable.
#pragma once

#include <array>

#include "base/enum_names.h"

namespace strata::wal {

enum class SyncPolicy {
  // fdatasync before acknowledging: acknowledged records survive a machine crash.
  kAlways,
  // Acknowledge once the record is handed to the OS (it survives a process crash); a
  // background thread fdatasyncs at most every sync_interval_ms, bounding what a machine
  // crash can lose to that window.
  kInterval,
  // Acknowledge once handed to the OS; never fdatasync except on request or Close().
  kNone,
};

constexpr auto EnumNameTable(SyncPolicy) {
  return std::to_array<EnumNameEntry<SyncPolicy>>({
      {SyncPolicy::kAlways, "always"},
      {SyncPolicy::kInterval, "interval"},
      {SyncPolicy::kNone, "none"},
  });
}

}  // namespace strata::wal
