#include "wal/sync_policy.h"

namespace strata::wal {

const char* SyncPolicyName(SyncPolicy policy) {
  switch (policy) {
    case SyncPolicy::kAlways:
      return "always";
    case SyncPolicy::kInterval:
      return "interval";
    case SyncPolicy::kNone:
      return "none";
  }
  return "unknown";
}

bool ParseSyncPolicy(const std::string& name, SyncPolicy* policy) {
  for (SyncPolicy p : {SyncPolicy::kAlways, SyncPolicy::kInterval, SyncPolicy::kNone}) {
    if (name == SyncPolicyName(p)) {
      *policy = p;
      return true;
    }
  }
  return false;
}

}  // namespace strata::wal
