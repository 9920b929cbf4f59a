#include "rdbtool/dict_slots.h"

#include <algorithm>
#include <cmath>

namespace strata::rdbtool {

namespace {

constexpr uint64_t kMinSlots = 4;  // DICT_HT_INITIAL_SIZE

uint64_t NextPowerOfTwo(uint64_t n) {
  constexpr uint64_t kMaxSlots = uint64_t{1} << 62;  // past any real dict; keeps shifts defined
  if (n <= kMinSlots) return kMinSlots;
  if (n > kMaxSlots) return kMaxSlots;
  return uint64_t{1} << (64 - __builtin_clzll(n - 1));
}

double NonEmptyBuckets(uint64_t slots, uint64_t entries) {
  const double p = static_cast<double>(slots);
  return p * (1.0 - std::pow(1.0 - 1.0 / p, static_cast<double>(entries)));
}

}  // namespace

void DictSlots::Expand(uint64_t size) {
  if (rehash_target_ != 0 || entries_ > size) return;
  const uint64_t target = NextPowerOfTwo(size);
  if (target == table_) return;
  if (table_ == 0) {
    table_ = target;  // the first table: no rehash
    return;
  }
  rehash_target_ = target;
  buckets_to_move_ = std::ceil(NonEmptyBuckets(table_, entries_));
}

void DictSlots::Insert(uint64_t count) {
  while (count > 0) {
    if (rehash_target_ != 0) {
      // Each insert moves one bucket first; the one that moves the last bucket ends the
      // rehash and then proceeds as an insert into the new table.
      const uint64_t steps = static_cast<uint64_t>(std::max(buckets_to_move_, 1.0));
      if (count < steps) {
        buckets_to_move_ -= static_cast<double>(count);
        entries_ += count;
        return;
      }
      entries_ += steps - 1;
      count -= steps - 1;
      table_ = rehash_target_;
      rehash_target_ = 0;
      buckets_to_move_ = 0;
    }
    if (table_ == 0) table_ = kMinSlots;
    if (entries_ >= table_) {
      // This insert doubles the table and starts a rehash; it moves nothing itself.
      rehash_target_ = NextPowerOfTwo(entries_ + 1);
      buckets_to_move_ = std::ceil(NonEmptyBuckets(table_, entries_));
      entries_++;
      count--;
      continue;
    }
    const uint64_t room = std::min(count, table_ - entries_);
    entries_ += room;
    count -= room;
  }
}

uint64_t DictSlots::Presized(uint64_t n) {
  DictSlots d;
  d.Expand(n);
  d.Insert(n);
  return d.slots();
}

uint64_t DictSlots::Grown(uint64_t n) {
  DictSlots d;
  d.Insert(n);
  return d.slots();
}

}  // namespace strata::rdbtool
