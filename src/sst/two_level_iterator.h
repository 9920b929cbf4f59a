// TwoLevelIterator: walks a table through its index. The index iterator yields one entry per
// data block (value = encoded BlockHandle); open_block turns such a value into an iterator
// over that block. Empty blocks are skipped in both directions.
//
// An error from either level (a bad handle, a block that fails its checksum) makes the
// iterator invalid with that status; it never skips a damaged block silently.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "strata/iterator.h"

namespace strata::sst {

// Returns an iterator over the block named by index_value; on failure an iterator whose
// status() says why.
using BlockOpener = std::function<std::unique_ptr<Iterator>(const Slice& index_value)>;

std::unique_ptr<Iterator> NewTwoLevelIterator(std::unique_ptr<Iterator> index_iter,
                                              BlockOpener open_block);

}  // namespace strata::sst
