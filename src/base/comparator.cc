#include "strata/comparator.h"

#include <algorithm>

namespace strata {

namespace {

class BytewiseComparatorImpl final : public Comparator {
 public:
  int Compare(const Slice& a, const Slice& b) const override { return a.compare(b); }

  const char* Name() const override { return "strata.BytewiseComparator"; }

  void FindShortestSeparator(std::string* start, const Slice& limit) const override {
    // Keep the common prefix, then bump the first differing byte if that stays below limit.
    const size_t min_len = std::min(start->size(), limit.size());
    size_t diff = 0;
    while (diff < min_len && (*start)[diff] == limit[diff]) diff++;
    if (diff >= min_len) return;  // one is a prefix of the other: leave it
    const auto byte = static_cast<unsigned char>((*start)[diff]);
    if (byte < 0xff && byte + 1 < static_cast<unsigned char>(limit[diff])) {
      (*start)[diff] = static_cast<char>(byte + 1);
      start->resize(diff + 1);
      return;
    }
    // Bumping it would reach limit's byte (neighbouring keys such as ...0x23 and ...0x24).
    // Keeping it, start is below limit whatever follows: bump the first byte after it that
    // can be bumped and drop the rest. The result is above start and still below limit.
    for (size_t i = diff + 1; i < start->size(); i++) {
      const auto later = static_cast<unsigned char>((*start)[i]);
      if (later != 0xff) {
        (*start)[i] = static_cast<char>(later + 1);
        start->resize(i + 1);
        return;
      }
    }
  }

  void FindShortSuccessor(std::string* key) const override {
    // The first byte that can be incremented, with everything after it dropped.
    for (size_t i = 0; i < key->size(); i++) {
      const auto byte = static_cast<unsigned char>((*key)[i]);
      if (byte != 0xff) {
        (*key)[i] = static_cast<char>(byte + 1);
        key->resize(i + 1);
        return;
      }
    }
    // All 0xff: no shorter successor.
  }
};

}  // namespace

const Comparator* BytewiseComparator() {
  static const BytewiseComparatorImpl comparator;
  return &comparator;
}

}  // namespace strata
