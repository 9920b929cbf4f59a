// Which entries of a sorted internal-key stream no reader can ever see again.
//
// Readers read at a sequence number: each live snapshot, and "now" (any sequence). A
// version with sequence s is what readers at the smallest snapshot >= s see, and every
// snapshot between s and the next newer version of the same key. So the snapshots cut the
// sequence line into stripes, and of several versions of one key in the same stripe only
// the newest is visible to anyone: the rest are dropped. At the bottom of the tree a
// deletion in the lowest stripe is dropped too: nothing older is left for it to hide.
//
// A value in the lowest stripe whose key no level below holds is the oldest version of its
// key anywhere: every reader sees it, so its sequence can be written as zero. That changes
// nothing for readers (it stays older than every other version of the key) and makes every
// such trailer the same eight bytes, which compression then removes.
//
// Fed every entry in InternalKeyComparator order (user key ascending, newest first).
// Flushes use bottommost = false (older data lies below level 0). Compactions pass a
// function that tells, for a user key, whether a level below the output may still hold it:
// a deletion is dropped, and a value's sequence zeroed, only where it returns false.
#pragma once

#include <algorithm>
#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include "memtable/internal_key.h"
#include "strata/comparator.h"

namespace strata {

class ObsoleteVersionFilter {
 public:
  // snapshots: the sequence numbers of live snapshots, in any order.
  ObsoleteVersionFilter(const Comparator* user_comparator,
                        std::vector<memtable::SequenceNumber> snapshots, bool bottommost)
      : ObsoleteVersionFilter(user_comparator, std::move(snapshots),
                              [bottommost](const Slice&) { return !bottommost; }) {}

  // may_exist_below(user_key): whether older data for the key may lie below the output.
  // Asked only for entries in the lowest stripe, in ascending key order.
  ObsoleteVersionFilter(const Comparator* user_comparator,
                        std::vector<memtable::SequenceNumber> snapshots,
                        std::function<bool(const Slice&)> may_exist_below)
      : ucmp_(user_comparator),
        snapshots_(std::move(snapshots)),
        may_exist_below_(std::move(may_exist_below)) {
    std::sort(snapshots_.begin(), snapshots_.end());
    snapshots_.push_back(memtable::kMaxSequenceNumber);  // "now": sees everything
  }

  // True if the entry can be dropped. Call for every entry, in order.
  bool Drop(const memtable::ParsedInternalKey& k) {
    const size_t stripe = Stripe(k.sequence);
    bool drop = false;
    if (has_key_ && ucmp_->Compare(k.user_key, current_key_) == 0) {
      drop = stripe == last_stripe_;  // a newer version in the same stripe hides it
    } else {
      current_key_.assign(k.user_key.data(), k.user_key.size());
      has_key_ = true;
    }
    if (!drop && k.type == memtable::ValueType::kDeletion && stripe == 0 &&
        !may_exist_below_(k.user_key)) {
      drop = true;
    }
    last_stripe_ = stripe;
    return drop;
  }

  // Whether the entry Drop just kept may be written with sequence zero: a value that every
  // snapshot sees, with nothing older below the output. Call only after Drop(k) was false.
  bool CanZeroSequence(const memtable::ParsedInternalKey& k) const {
    return k.type == memtable::ValueType::kValue && k.sequence != 0 && last_stripe_ == 0 &&
           !may_exist_below_(k.user_key);
  }

 private:
  // Index of the smallest snapshot >= sequence.
  size_t Stripe(memtable::SequenceNumber sequence) const {
    return static_cast<size_t>(std::lower_bound(snapshots_.begin(), snapshots_.end(), sequence) -
                               snapshots_.begin());
  }

  const Comparator* const ucmp_;
  std::vector<memtable::SequenceNumber> snapshots_;  // ascending, ending with kMaxSequenceNumber
  const std::function<bool(const Slice&)> may_exist_below_;
  std::string current_key_;
  bool has_key_ = false;
  size_t last_stripe_ = 0;
};

}  // namespace strata
