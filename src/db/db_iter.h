// The DB iterator: turns a merged stream of internal keys (every version of every key,
// newest first per key) into the user's view at one sequence number: for each user key the
// newest version visible at that sequence, skipping keys whose visible version is a
// deletion.
#pragma once

#include <cstdint>
#include <memory>

#include "memtable/internal_key.h"
#include "strata/iterator.h"

namespace strata {

// internal yields internal keys in InternalKeyComparator order over user_comparator.
std::unique_ptr<Iterator> NewDBIterator(const Comparator* user_comparator,
                                        std::unique_ptr<Iterator> internal,
                                        memtable::SequenceNumber sequence);

}  // namespace strata
