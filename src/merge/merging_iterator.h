// The merging iterator: one sorted view over several sorted iterators.
//
// It yields every entry of every child, in comparator order. Entries with equal keys in
// several children come in child order: the child with the LOWER index first (and, going
// backward, last). The DB lists its sources newest first (memtable, immutable memtables,
// L0 newest to oldest, then the levels), so the newest version of a key comes first. The
// merged order is therefore the order of (key, child index, position in the child), which
// is what every move below keeps exact, including direction changes.
//
// Cost: a tournament (loser) tree picks the next entry with one comparison per tree level,
// so Next() and Prev() in a steady direction cost O(log k) comparisons for k children.
// Changing direction and every Seek*/SeekTo* reposition all children: O(k) child seeks.
//
// Errors: a child that fails stops being Valid() and drops out of the merge; status()
// reports the first non-OK child status (by child index). Callers must check status() when
// the iteration ends, as with any Iterator.
#pragma once

#include <memory>
#include <vector>

#include "strata/comparator.h"
#include "strata/iterator.h"

namespace strata::merge {

// cmp must outlive the result. With one child, that child is returned as it is; with none,
// an iterator that is never Valid().
std::unique_ptr<Iterator> NewMergingIterator(const Comparator* cmp,
                                             std::vector<std::unique_ptr<Iterator>> children);

}  // namespace strata::merge
