// When an acknowledged log record is durable.
#pragma once

#include <string>

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

const char* SyncPolicyName(SyncPolicy policy);
bool ParseSyncPolicy(const std::string& name, SyncPolicy* policy);

}  // namespace strata::wal
