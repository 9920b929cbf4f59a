// Comparator: the order of keys. The default orders keys as unsigned bytes.
//
// A DB remembers its comparator's name and refuses to open with a different one, so the
// name must change whenever the order does.
//
// Thread safety: a DB calls its comparator from many threads at once (readers, writers,
// background compactions), so every method must be safe to call concurrently; a comparator
// without state, as the bytewise one, is. The comparator must outlive every DB opened with
// it, and its order must never change: tables written in one order are searched assuming it.
#pragma once

#include <string>

#include "strata/slice.h"

namespace strata {

class Comparator {
 public:
  virtual ~Comparator() = default;

  // <0, 0 or >0 as a is before, equal to or after b. Must be a total order: consistent
  // across calls, transitive, and 0 only for keys the DB may treat as the same key.
  virtual int Compare(const Slice& a, const Slice& b) const = 0;

  // Stored in the DB; e.g. "strata.BytewiseComparator".
  virtual const char* Name() const = 0;

  // Space savers for index blocks. May change *start to any key in [*start, limit);
  // leaving it unchanged is correct.
  virtual void FindShortestSeparator(std::string* start, const Slice& limit) const = 0;
  // May change *key to any key >= *key; leaving it unchanged is correct.
  virtual void FindShortSuccessor(std::string* key) const = 0;
};

// The bytewise comparator; a singleton that lives for the whole process.
const Comparator* BytewiseComparator();

}  // namespace strata
