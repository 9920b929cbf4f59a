#include "crash/workload_ops.h"

#include <gtest/gtest.h>

#include <map>
#include <set>

namespace strata::crash {
namespace {

bool SameOp(const Op& a, const Op& b) {
  if (a.kind != b.kind || a.sync != b.sync || a.updates.size() != b.updates.size()) return false;
  for (size_t i = 0; i < a.updates.size(); i++) {
    const Update& x = a.updates[i];
    const Update& y = b.updates[i];
    if (x.key != y.key || x.is_delete != y.is_delete || x.value != y.value) return false;
  }
  return true;
}

TEST(WorkloadOps, SameNumbersSameOperation) {
  for (uint64_t i = 0; i < 200; i++) EXPECT_TRUE(SameOp(MakeOp(5, 2, i), MakeOp(5, 2, i))) << i;
}

TEST(WorkloadOps, ValuesNameTheirOrigin) {
  int values = 0;
  for (uint32_t round : {0u, 1u, 77u}) {
    for (uint64_t i = 0; i < 300; i++) {
      const Op op = MakeOp(5, round, i);
      for (uint32_t slot = 0; slot < op.updates.size(); slot++) {
        if (op.updates[slot].is_delete) continue;
        ValueOrigin origin;
        ASSERT_TRUE(ParseValueOrigin(op.updates[slot].value, &origin));
        EXPECT_EQ(origin.round, round);
        EXPECT_EQ(origin.index, i);
        EXPECT_EQ(origin.slot, slot);
        values++;
      }
    }
  }
  EXPECT_GT(values, 500);
}

TEST(WorkloadOps, ParseRejectsForeignValues) {
  ValueOrigin origin;
  for (const char* v : {"", "v|", "v|1|2|", "v|1|2|x|", "x|1|2|3|", "v|-1|2|3|", "v|1||3|"}) {
    EXPECT_FALSE(ParseValueOrigin(v, &origin)) << v;
  }
}

TEST(WorkloadOps, MixHasEveryKindHotKeysAndSyncWrites) {
  std::set<OpKind> kinds;
  std::map<std::string, int> writes_per_key;
  int syncs = 0;
  for (uint64_t i = 0; i < 20000; i++) {
    const Op op = MakeOp(11, 0, i);
    kinds.insert(op.kind);
    syncs += op.sync ? 1 : 0;
    for (const Update& u : op.updates) writes_per_key[u.key]++;
    if (op.kind == OpKind::kBatch) {
      EXPECT_GE(op.updates.size(), 2u);
    }
    if (op.kind == OpKind::kFlush || op.kind == OpKind::kCompact) {
      EXPECT_TRUE(op.updates.empty());
      EXPECT_FALSE(op.sync);
    }
  }
  EXPECT_EQ(kinds.size(), 5u);
  EXPECT_GT(syncs, 500);  // about 1 in 20
  EXPECT_LT(syncs, 1500);
  EXPECT_GT(writes_per_key["hot-00"], 300);  // hot keys are overwritten all the time
  const std::vector<std::string> all = AllKeys();
  const std::set<std::string> known(all.begin(), all.end());
  for (const auto& [key, n] : writes_per_key) EXPECT_TRUE(known.count(key)) << key;
}

}  // namespace
}  // namespace strata::crash
