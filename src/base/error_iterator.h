// An iterator over nothing that reports an error: what a function returning an iterator
// gives when it cannot build the real one (a table that fails to open, a damaged index).
#pragma once

#include <memory>

#include "strata/iterator.h"

namespace strata {

// Never Valid(); status() returns status.
std::unique_ptr<Iterator> NewErrorIterator(Status status);

}  // namespace strata
