#include "crash/workload_ops.h"

#include <charconv>
#include <cstdio>

#include "base/random.h"

namespace strata::crash {

namespace {

constexpr int kHotKeys = 16;
constexpr int kColdKeys = 4000;
constexpr int kHotPercent = 40;
constexpr int kFlushOneIn = 400;
constexpr int kCompactOneIn = 1500;
constexpr int kDeletePercent = 15;
constexpr int kBatchPercent = 15;
constexpr int kMaxBatchUpdates = 8;
constexpr int kSyncOneIn = 20;
constexpr int kLargeValueOneIn = 64;

// A generator for one (seed, round, index, salt): distinct arguments give unrelated streams.
// The index takes the low 40 bits and the round the next 20, so for one seed and salt no two
// operations share a stream.
Random StreamFor(uint64_t seed, uint32_t round, uint64_t index, uint64_t salt) {
  uint64_t state = seed ^ (salt * 0x9e3779b97f4a7c15ull);
  const uint64_t base = SplitMix64(&state);
  return Random(base ^ (uint64_t{round} << 40) ^ index);
}

std::string HotKey(uint32_t n) {
  char buf[16];
  std::snprintf(buf, sizeof(buf), "hot-%02u", n);
  return buf;
}

std::string ColdKey(uint32_t n) {
  char buf[16];
  std::snprintf(buf, sizeof(buf), "key-%05u", n);
  return buf;
}

std::string PickKey(Random& rng) {
  if (rng.Uniform(100) < kHotPercent) return HotKey(rng.Uniform(kHotKeys));
  return ColdKey(rng.Uniform(kColdKeys));
}

// "v|round|index|slot|" and then lowercase filler from a stream of its own, so two different
// updates never write the same bytes.
std::string MakeValue(uint64_t seed, uint32_t round, uint64_t index, uint32_t slot, size_t filler) {
  std::string v =
      "v|" + std::to_string(round) + "|" + std::to_string(index) + "|" + std::to_string(slot) + "|";
  Random rng = StreamFor(seed, round, index, /*salt=*/1000 + slot);
  v.reserve(v.size() + filler);
  for (size_t i = 0; i < filler; i++) v.push_back(static_cast<char>('a' + rng.Uniform(26)));
  return v;
}

size_t PickFillerSize(Random& rng) {
  // Mostly small, now and then large enough to fill a memtable quickly.
  if (rng.OneIn(kLargeValueOneIn)) return 8192 + rng.Uniform(24576);
  return rng.Skewed(10);
}

Update MakeUpdate(uint64_t seed, uint32_t round, uint64_t index, uint32_t slot, bool is_delete,
                  Random& rng) {
  Update u;
  u.key = PickKey(rng);
  u.is_delete = is_delete;
  if (!is_delete) u.value = MakeValue(seed, round, index, slot, PickFillerSize(rng));
  return u;
}

// Parses a decimal field ending at the next '|'; advances *pos past the '|'.
template <typename T>
bool ParseField(const Slice& s, size_t* pos, T* out) {
  const char* begin = s.data() + *pos;
  const char* end = s.data() + s.size();
  auto [ptr, ec] = std::from_chars(begin, end, *out);
  if (ec != std::errc() || ptr == begin || ptr == end || *ptr != '|') return false;
  *pos = static_cast<size_t>(ptr - s.data()) + 1;
  return true;
}

}  // namespace

Op MakeOp(uint64_t seed, uint32_t round, uint64_t index) {
  Random rng = StreamFor(seed, round, index, /*salt=*/0);
  Op op;
  const bool sync = rng.OneIn(kSyncOneIn);
  if (rng.OneIn(kCompactOneIn)) {
    op.kind = OpKind::kCompact;
    return op;
  }
  if (rng.OneIn(kFlushOneIn)) {
    op.kind = OpKind::kFlush;
    return op;
  }
  op.sync = sync;  // only writes take WriteOptions
  const uint32_t pick = rng.Uniform(100);
  if (pick < kDeletePercent) {
    op.kind = OpKind::kDelete;
    op.updates.push_back(MakeUpdate(seed, round, index, 0, /*is_delete=*/true, rng));
  } else if (pick < kDeletePercent + kBatchPercent) {
    op.kind = OpKind::kBatch;
    const uint32_t n = 2 + rng.Uniform(kMaxBatchUpdates - 1);
    for (uint32_t slot = 0; slot < n; slot++) {
      const bool is_delete = rng.Uniform(100) < kDeletePercent;
      op.updates.push_back(MakeUpdate(seed, round, index, slot, is_delete, rng));
    }
  } else {
    op.kind = OpKind::kPut;
    op.updates.push_back(MakeUpdate(seed, round, index, 0, /*is_delete=*/false, rng));
  }
  return op;
}

std::vector<std::string> AllKeys() {
  std::vector<std::string> keys;
  for (uint32_t i = 0; i < kHotKeys; i++) keys.push_back(HotKey(i));
  for (uint32_t i = 0; i < kColdKeys; i++) keys.push_back(ColdKey(i));
  return keys;
}

bool ParseValueOrigin(const Slice& value, ValueOrigin* origin) {
  if (!value.starts_with("v|")) return false;
  size_t pos = 2;
  return ParseField(value, &pos, &origin->round) && ParseField(value, &pos, &origin->index) &&
         ParseField(value, &pos, &origin->slot);
}

RoundTuning TuningFor(uint64_t seed, uint32_t round) {
  Random rng = StreamFor(seed, round, 0, /*salt=*/7);
  RoundTuning t;
  t.write_buffer_size = (64 << 10) + rng.Uniform(192 << 10);  // 64-256 KiB
  t.max_write_buffer_number = 2 + static_cast<int>(rng.Uniform(2));
  t.target_file_size = (128 << 10) + rng.Uniform(384 << 10);  // several compaction outputs
  return t;
}

}  // namespace strata::crash
