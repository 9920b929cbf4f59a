// The history check must reject every way a crash could damage the DB's contents, or the
// kill -9 test would pass whatever the engine did. Each case builds a "recovered" state by
// hand from the workload's operations and says whether it is one a crash may leave.
#include "crash/history_check.h"

#include <gtest/gtest.h>

namespace strata::crash {
namespace {

constexpr uint64_t kSeed = 99;
constexpr uint32_t kRound = 0;

// The state after operations [0, n) of round kRound applied to start, written out here
// rather than with ApplyOp (which is under test).
State After(uint64_t n, State start = {}) {
  for (uint64_t i = 0; i < n; i++) {
    for (const Update& u : MakeOp(kSeed, kRound, i).updates) {
      if (u.is_delete) {
        start.erase(u.key);
      } else {
        start[u.key] = u.value;
      }
    }
  }
  return start;
}

// The first operation at or after `from` whose kind is `kind` and whose first update is a
// put of a key no later operation before `until` touches: its loss must be visible.
uint64_t FindVisiblePut(uint64_t from, uint64_t until, OpKind kind) {
  for (uint64_t i = from; i < until; i++) {
    const Op op = MakeOp(kSeed, kRound, i);
    if (op.kind != kind || op.updates[0].is_delete) continue;
    bool touched_later = false;
    for (size_t j = 1; j < op.updates.size(); j++) {
      touched_later = touched_later || op.updates[j].key == op.updates[0].key;
    }
    for (uint64_t k = i + 1; k < until && !touched_later; k++) {
      for (const Update& u : MakeOp(kSeed, kRound, k).updates) {
        touched_later = touched_later || u.key == op.updates[0].key;
      }
    }
    if (!touched_later) return i;
  }
  ADD_FAILURE() << "no suitable operation in [" << from << ", " << until << ")";
  return from;
}

Status Check(uint64_t acked, uint64_t issued, const State& recovered, uint64_t* prefix) {
  State model;
  return CheckRound(kSeed, kRound, acked, issued, recovered, &model, prefix);
}

TEST(HistoryCheck, AcceptsTheStateAfterTheAcknowledgedOperations) {
  uint64_t prefix = 0;
  Status s = Check(300, 301, After(300), &prefix);
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(prefix, 300u);
}

TEST(HistoryCheck, AcceptsAnInFlightOperationThatSurvived) {
  uint64_t prefix = 0;
  Status s = Check(300, 301, After(301), &prefix);
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_GE(prefix, 300u);
}

TEST(HistoryCheck, RoundsBuildOnTheModelAndMayBeEmpty) {
  State model;
  uint64_t prefix = 7;
  Status s = CheckRound(kSeed, kRound, 50, 50, After(50), &model, &prefix);
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(prefix, 50u);
  EXPECT_TRUE(model == After(50));

  // Round 1 was killed before it issued anything: the DB must still hold round 0's state.
  s = CheckRound(kSeed, 1, 0, 0, After(50), &model, &prefix);
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(prefix, 0u);
  s = CheckRound(kSeed, 1, 0, 0, After(FindVisiblePut(0, 50, OpKind::kPut)), &model, &prefix);
  EXPECT_TRUE(s.IsCorruption()) << s.ToString();

  // Round 2's operations come on top of what round 0 left.
  State round2 = After(50);
  for (uint64_t i = 0; i < 40; i++) {
    for (const Update& u : MakeOp(kSeed, 2, i).updates) {
      if (u.is_delete) {
        round2.erase(u.key);
      } else {
        round2[u.key] = u.value;
      }
    }
  }
  s = CheckRound(kSeed, 2, 40, 40, round2, &model, &prefix);
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(prefix, 40u);
  EXPECT_TRUE(model == round2);
}

TEST(HistoryCheck, RejectsALostAcknowledgedWrite) {
  const uint64_t lost = FindVisiblePut(250, 300, OpKind::kPut);
  State recovered = After(300);
  // Drop only the lost put: the key falls back to what it held before.
  const State before = After(lost);
  const std::string key = MakeOp(kSeed, kRound, lost).updates[0].key;
  auto it = before.find(key);
  if (it == before.end()) {
    recovered.erase(key);
  } else {
    recovered[key] = it->second;
  }
  uint64_t prefix = 0;
  Status s = Check(300, 300, recovered, &prefix);
  EXPECT_TRUE(s.IsCorruption()) << s.ToString();
  EXPECT_NE(s.ToString().find(key), std::string::npos) << s.ToString();
}

TEST(HistoryCheck, RejectsATruncatedHistoryAndSaysWritesWereLost) {
  const uint64_t last = FindVisiblePut(280, 300, OpKind::kPut);
  uint64_t prefix = 0;
  Status s = Check(last + 1, last + 1, After(last), &prefix);
  EXPECT_TRUE(s.IsCorruption()) << s.ToString();
  EXPECT_NE(s.ToString().find("acknowledged writes were lost"), std::string::npos) << s.ToString();
}

TEST(HistoryCheck, RejectsATornBatch) {
  const uint64_t batch = FindVisiblePut(100, 400, OpKind::kBatch);
  const Op op = MakeOp(kSeed, kRound, batch);
  // Only the batch's first update applied: neither "before the batch" nor "after it".
  State recovered = After(batch);
  recovered[op.updates[0].key] = op.updates[0].value;
  ASSERT_FALSE(recovered == After(batch + 1)) << "the batch's other updates change nothing";
  uint64_t prefix = 0;
  Status s = Check(batch, batch + 1, recovered, &prefix);
  EXPECT_TRUE(s.IsCorruption()) << s.ToString();
}

TEST(HistoryCheck, RejectsAWriteFromBeyondTheIssuedOperations) {
  uint64_t prefix = 0;
  Status s = Check(200, 200, After(210), &prefix);
  EXPECT_TRUE(s.IsCorruption()) << s.ToString();
  EXPECT_NE(s.ToString().find("never issued"), std::string::npos) << s.ToString();
}

TEST(HistoryCheck, RejectsValuesNobodyWrote) {
  uint64_t prefix = 0;
  State recovered = After(100);
  recovered["hot-03"] = "garbage";
  Status s = Check(100, 100, recovered, &prefix);
  EXPECT_TRUE(s.IsCorruption()) << s.ToString();
  EXPECT_NE(s.ToString().find("no workload header"), std::string::npos) << s.ToString();

  // A real value, but under another key.
  recovered = After(100);
  const auto moved = *recovered.begin();
  recovered.erase(recovered.begin());
  recovered["key-99999"] = moved.second;
  s = Check(100, 100, recovered, &prefix);
  EXPECT_TRUE(s.IsCorruption()) << s.ToString();
  EXPECT_NE(s.ToString().find("not here"), std::string::npos) << s.ToString();

  // A real header with damaged filler.
  recovered = After(100);
  std::string& value = recovered.begin()->second;
  value.back() = value.back() == 'a' ? 'b' : 'a';
  s = Check(100, 100, recovered, &prefix);
  EXPECT_TRUE(s.IsCorruption()) << s.ToString();
}

TEST(HistoryCheck, RejectsAResurrectedDeletedKey) {
  // Find a delete of a key that held a value, with the key untouched afterwards.
  for (uint64_t i = 50; i < 400; i++) {
    const Op op = MakeOp(kSeed, kRound, i);
    if (op.kind != OpKind::kDelete) continue;
    const State before = After(i);
    auto old = before.find(op.updates[0].key);
    if (old == before.end()) continue;
    State recovered = After(400);
    if (recovered.count(op.updates[0].key)) continue;  // written again later
    recovered[op.updates[0].key] = old->second;
    uint64_t prefix = 0;
    Status s = Check(400, 400, recovered, &prefix);
    EXPECT_TRUE(s.IsCorruption()) << s.ToString();
    return;
  }
  FAIL() << "no delete of a live key in the first 400 operations";
}

}  // namespace
}  // namespace strata::crash
