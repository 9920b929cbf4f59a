#include "crash/history_check.h"

#include <algorithm>
#include <vector>

namespace strata::crash {

namespace {

constexpr int kMaxReported = 5;  // differences named in an error message

// A value as error messages show it: its origin header ("v|round|index|slot|") and length.
std::string Describe(const std::string* value) {
  if (value == nullptr) return "<absent>";
  size_t header = std::min<size_t>(value->size(), 24);  // no header: show the first bytes
  int bars = 0;
  for (size_t i = 0; i < value->size() && bars < 4; i++) {
    if ((*value)[i] == '|' && ++bars == 4) header = i + 1;
  }
  return "\"" + value->substr(0, header) + "...\" (" + std::to_string(value->size()) + " bytes)";
}

const std::string* Find(const State& state, const std::string& key) {
  auto it = state.find(key);
  return it == state.end() ? nullptr : &it->second;
}

bool Same(const std::string* a, const std::string* b) {
  if (a == nullptr || b == nullptr) return a == b;
  return *a == *b;
}

// Every recovered value must be one an issued operation wrote to that key, byte for byte.
Status CheckProvenance(uint64_t seed, uint32_t round, uint64_t issued, const State& recovered) {
  std::string errors;
  int reported = 0;
  for (const auto& [key, value] : recovered) {
    std::string why;
    ValueOrigin origin;
    if (!ParseValueOrigin(value, &origin)) {
      why = "has no workload header";
    } else if (origin.round > round || (origin.round == round && origin.index >= issued)) {
      why = "names an operation that was never issued (round " + std::to_string(round) +
            " issued " + std::to_string(issued) + ")";
    } else {
      const Op op = MakeOp(seed, origin.round, origin.index);
      if (origin.slot >= op.updates.size()) {
        why = "names an update slot its operation does not have";
      } else {
        const Update& u = op.updates[origin.slot];
        if (u.is_delete) {
          why = "names an update that is a delete";
        } else if (u.key != key) {
          why = "was written to key " + u.key + ", not here";
        } else if (u.value != value) {
          why = "differs from the value that update wrote";
        }
      }
    }
    if (why.empty()) continue;
    if (reported++ < kMaxReported) errors += "\n  " + key + " = " + Describe(&value) + ": " + why;
  }
  if (reported == 0) return Status::OK();
  return Status::Corruption(std::to_string(reported) + " value(s) no operation wrote", errors);
}

// Keys where a and b differ, described for an error message.
std::string Differences(const State& want, const State& got) {
  std::vector<std::string> keys;
  for (const auto& [k, v] : want) keys.push_back(k);
  for (const auto& [k, v] : got) keys.push_back(k);
  std::sort(keys.begin(), keys.end());
  keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
  std::string out;
  int reported = 0;
  for (const std::string& k : keys) {
    const std::string* w = Find(want, k);
    const std::string* g = Find(got, k);
    if (Same(w, g)) continue;
    if (reported++ < kMaxReported) {
      out += "\n  " + k + ": expected " + Describe(w) + ", DB has " + Describe(g);
    }
  }
  return std::to_string(reported) + " key(s) differ:" + out;
}

}  // namespace

void ApplyOp(const Op& op, State* state) {
  for (const Update& u : op.updates) {
    if (u.is_delete) {
      state->erase(u.key);
    } else {
      (*state)[u.key] = u.value;
    }
  }
}

Status CheckRound(uint64_t seed, uint32_t round, uint64_t acked, uint64_t issued,
                  const State& recovered, State* model, uint64_t* prefix) {
  Status s = CheckProvenance(seed, round, issued, recovered);
  if (!s.ok()) return s;

  // Walk the prefixes p = 0, 1, ..., issued, keeping `mismatched` = the number of keys on
  // which the state after [0, p) differs from recovered. Each operation changes only its own
  // keys, so updating the count costs O(updates), not a comparison of whole states.
  State state = *model;
  size_t mismatched = 0;
  for (const auto& [k, v] : state) mismatched += Same(&v, Find(recovered, k)) ? 0 : 1;
  for (const auto& [k, v] : recovered) mismatched += state.count(k) ? 0 : 1;

  State at_acked;  // the state after [0, acked): the least the DB must hold
  bool matched_before_acked = false;
  uint64_t last_match_before_acked = 0;
  for (uint64_t p = 0;; p++) {
    if (p == acked) at_acked = state;
    if (mismatched == 0) {
      if (p >= acked) {
        *prefix = p;
        *model = recovered;
        return Status::OK();
      }
      matched_before_acked = true;
      last_match_before_acked = p;
    }
    if (p == issued) break;
    const Op op = MakeOp(seed, round, p);
    for (const Update& u : op.updates) {
      const bool was_wrong = !Same(Find(state, u.key), Find(recovered, u.key));
      if (u.is_delete) {
        state.erase(u.key);
      } else {
        state[u.key] = u.value;
      }
      const bool is_wrong = !Same(Find(state, u.key), Find(recovered, u.key));
      mismatched = mismatched - (was_wrong ? 1 : 0) + (is_wrong ? 1 : 0);
    }
  }
  std::string what = "round " + std::to_string(round) + ": the DB is not the state after any " +
                     "prefix of operations covering the " + std::to_string(acked) +
                     " acknowledged ones (" + std::to_string(issued) + " issued)";
  if (matched_before_acked) {
    what += "; it is the state after only " + std::to_string(last_match_before_acked) +
            " operations: acknowledged writes were lost";
  }
  return Status::Corruption(
      what, "vs the state after the acknowledged operations, " + Differences(at_acked, recovered));
}

}  // namespace strata::crash
