// DictSlots: the bucket slots of a Redis 7.0 dict (both tables while it rehashes, as MEMORY
// USAGE counts them) after the expands and inserts that loading a value performs. The memory
// model needs it because a dict that loading sizes up front ends with next_pow2(n) slots,
// while one that grows insert by insert, or is resized half way, may end in the middle of an
// incremental rehash, its old table still allocated.
//
// The rules followed (dict.c): the first table has at least 4 slots; an insert into a table
// whose entries reach its size doubles it (next power of two above the count); a rehash
// moves one non-empty bucket per later insert (the insert that starts it moves none) and
// ends when the old table is empty; expanding while rehashing, below the entry count or to
// the current size does nothing. How many buckets of a table are non-empty is taken as its
// expectation, p * (1 - (1 - 1/p)^n) for n entries in p slots: the one approximation.
//
// O(log n) per call, no allocation.
#pragma once

#include <cstdint>

namespace strata::rdbtool {

class DictSlots {
 public:
  // dictExpand(size): sizes the table for `size` entries (at least 4 slots).
  void Expand(uint64_t size);
  // `count` dictAdd() calls.
  void Insert(uint64_t count);
  // Slots of both tables.
  uint64_t slots() const { return table_ + rehash_target_; }
  uint64_t entries() const { return entries_; }

  // Shorthands: a dict sized up front for n entries, and one grown insert by insert.
  static uint64_t Presized(uint64_t n);
  static uint64_t Grown(uint64_t n);

 private:
  uint64_t table_ = 0;          // slots of the main table (0: not allocated yet)
  uint64_t rehash_target_ = 0;  // slots of the table being filled by a rehash, or 0
  double buckets_to_move_ = 0;  // non-empty buckets the rehash has yet to move
  uint64_t entries_ = 0;
};

}  // namespace strata::rdbtool
