// Damaged logs: the reader never returns altered bytes, and each mode does what it says.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>

#include "support/test_util.h"
#include "wal/log_format.h"
#include "wal_test_util.h"

namespace strata::wal {
namespace {

struct Fixture {
  std::vector<std::string> records;
  test::BuiltLog log;
};

Fixture MakeLog() {
  Fixture f;
  for (int i = 0; i < 150; i++) {
    size_t size = (i * 389) % 1200;
    if (i % 13 == 4) size = 20000 + i * 37;  // fragmented over block boundaries
    f.records.push_back(strata::test::RandomBytes(7000 + i, size));
  }
  f.log = test::BuildLog(f.records);
  return f;
}

// Index of the record whose bytes (header and trailer padding before the next record
// included) hold offset, or -1 for the file header. records.size() past the end.
int RecordAt(const test::BuiltLog& log, uint64_t offset) {
  if (offset < log.header_end) return -1;
  const auto it = std::upper_bound(log.ends.begin(), log.ends.end(), offset);
  return static_cast<int>(it - log.ends.begin());
}

// True if offset lies in a zero-filled block trailer, which no reader looks at.
bool InTrailer(const test::BuiltLog& log, uint64_t offset) {
  const int i = RecordAt(log, offset);
  const uint64_t prev_end = i <= 0 ? log.header_end : log.ends[i - 1];
  if (offset < prev_end) return false;
  const uint64_t block_left = kBlockSize - prev_end % kBlockSize;
  return block_left < kHeaderSize && offset < prev_end + block_left;
}

bool IsSubsequence(const std::vector<std::string>& got, const std::vector<std::string>& all) {
  size_t j = 0;
  for (const std::string& g : got) {
    while (j < all.size() && all[j] != g) j++;
    if (j == all.size()) return false;
    j++;
  }
  return true;
}

void CheckDamage(const Fixture& f, const std::string& damaged, uint64_t first, uint64_t last) {
  // The first byte whose change a reader can see (trailer padding is never looked at).
  uint64_t first_bad = last + 1;
  for (uint64_t o = first; o <= last; o++) {
    if (damaged[o] != f.log.bytes[o] && !InTrailer(f.log, o)) {
      first_bad = o;
      break;
    }
  }
  const bool harmless = first_bad > last;
  const int hit = RecordAt(f.log, first_bad);
  const size_t intact_prefix = hit < 0 ? 0 : static_cast<size_t>(hit);
  // Damage is mid-log when a block after the damaged range still starts intact.
  const uint64_t last_block = (f.log.bytes.size() - 1) / kBlockSize;
  const bool intact_block_follows = last / kBlockSize + 1 <= last_block;

  // Absolute: any damage to record bytes is an error, after exactly the intact prefix.
  const test::ReplayResult a = test::Replay(damaged, RecoveryMode::kAbsoluteConsistency);
  if (harmless) {
    ASSERT_TRUE(a.status.ok()) << a.status.ToString();
    ASSERT_EQ(a.records, f.records);
    return;
  }
  ASSERT_FALSE(a.status.ok()) << "damage at " << first_bad << " went unnoticed";
  ASSERT_LE(a.records.size(), intact_prefix);
  ASSERT_TRUE(std::equal(a.records.begin(), a.records.end(), f.records.begin()));

  // Tolerate: the intact prefix; an error unless the damage is in the last block.
  const test::ReplayResult t = test::Replay(damaged, RecoveryMode::kTolerateCorruptedTail);
  ASSERT_TRUE(std::equal(t.records.begin(), t.records.end(), f.records.begin()));
  ASSERT_LE(t.records.size(), intact_prefix);
  if (hit >= 0) {
    ASSERT_EQ(t.records.size(), intact_prefix);
  }
  if (intact_block_follows && hit >= 0) {
    ASSERT_FALSE(t.status.ok()) << "mid-log damage at " << first_bad << " must be an error";
  }
  if (!intact_block_follows && hit >= 0) {
    ASSERT_TRUE(t.status.ok()) << t.status.ToString();
    ASSERT_TRUE(t.tail_dropped);
  }

  // Point in time: the same prefix, never an error past the file header.
  const test::ReplayResult p = test::Replay(damaged, RecoveryMode::kPointInTime);
  if (hit >= 0) {
    ASSERT_TRUE(p.status.ok()) << p.status.ToString();
    ASSERT_EQ(p.records.size(), intact_prefix);
  }

  // Skip: only original records, in order; and every record that starts in a block after
  // the damaged one comes back (the reader resynchronizes at the next block).
  const test::ReplayResult s = test::Replay(damaged, RecoveryMode::kSkipCorrupted);
  ASSERT_TRUE(s.status.ok()) << s.status.ToString();
  ASSERT_TRUE(IsSubsequence(s.records, f.records));
  ASSERT_FALSE(s.reports.empty());
  const uint64_t resync = (last / kBlockSize + 1) * kBlockSize;
  for (size_t i = 0; i < f.records.size(); i++) {
    if (f.log.starts[i] < resync) continue;
    ASSERT_NE(std::find(s.records.begin(), s.records.end(), f.records[i]), s.records.end())
        << "record " << i << " after the damaged block was lost";
  }
}

TEST(LogCorruption, SingleBitFlips) {
  const Fixture f = MakeLog();
  std::mt19937_64 rng(99);
  const int flips = strata::test::Iterations(1500, 40000);
  for (int n = 0; n < flips; n++) {
    // Dense over the file header and the first records, then uniform.
    const uint64_t offset = n < 300 ? static_cast<uint64_t>(n) : rng() % f.log.bytes.size();
    std::string damaged = f.log.bytes;
    damaged[offset] ^= static_cast<char>(1 << (rng() % 8));
    SCOPED_TRACE(offset);
    CheckDamage(f, damaged, offset, offset);
    if (HasFatalFailure()) return;
  }
}

TEST(LogCorruption, GarbageRanges) {
  const Fixture f = MakeLog();
  std::mt19937_64 rng(7);
  const int runs = strata::test::Iterations(300, 5000);
  for (int n = 0; n < runs; n++) {
    const uint64_t offset = f.log.header_end + rng() % (f.log.bytes.size() - f.log.header_end);
    const uint64_t len = std::min<uint64_t>(1 + rng() % 200, f.log.bytes.size() - offset);
    std::string damaged = f.log.bytes;
    for (uint64_t i = 0; i < len; i++) damaged[offset + i] = static_cast<char>(rng());
    SCOPED_TRACE(offset);
    CheckDamage(f, damaged, offset, offset + len - 1);
    if (HasFatalFailure()) return;
  }
}

TEST(LogCorruption, ZeroedBlockInTheMiddleIsAnErrorByDefault) {
  const Fixture f = MakeLog();
  std::string damaged = f.log.bytes;
  std::fill(damaged.begin() + kBlockSize, damaged.begin() + 2 * kBlockSize, '\0');
  const test::ReplayResult t = test::Replay(damaged, RecoveryMode::kTolerateCorruptedTail);
  EXPECT_TRUE(t.status.IsCorruption());
  EXPECT_NE(t.status.ToString().find("offset "), std::string::npos);
  const test::ReplayResult p = test::Replay(damaged, RecoveryMode::kPointInTime);
  EXPECT_TRUE(p.status.ok());
  EXPECT_EQ(p.records.size(), t.records.size());
}

}  // namespace
}  // namespace strata::wal
