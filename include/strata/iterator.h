// Iterator: walks key/value pairs in key order, forward and backward.
//
// The same interface serves the public DB iterator and every internal one (memtable,
// SSTable block, merging iterator), so they compose. An iterator is not safe for concurrent
// use; several threads may each use their own.
#pragma once

#include "strata/slice.h"
#include "strata/status.h"

namespace strata {

class Iterator {
 public:
  Iterator() = default;
  virtual ~Iterator() = default;
  Iterator(const Iterator&) = delete;
  Iterator& operator=(const Iterator&) = delete;

  // True when positioned at an entry. Not valid at either end or after an error.
  virtual bool Valid() const = 0;

  virtual void SeekToFirst() = 0;
  virtual void SeekToLast() = 0;
  // Positions at the first entry with key >= target.
  virtual void Seek(const Slice& target) = 0;
  // Positions at the last entry with key <= target.
  virtual void SeekForPrev(const Slice& target) = 0;
  // Require Valid().
  virtual void Next() = 0;
  virtual void Prev() = 0;

  // Require Valid(). The slices stay valid until the iterator moves or is destroyed.
  virtual Slice key() const = 0;
  virtual Slice value() const = 0;

  // OK unless an error (e.g. a corrupted block) stopped the iteration; an iterator that
  // is not Valid() because of an error says so here.
  virtual Status status() const = 0;
};

}  // namespace strata
