// LevelIterator: one iterator over all the files of a level >= 1 (sorted, non-overlapping),
// opening each file's table only when the iteration reaches it.
//
// A DB iterator merges one LevelIterator per level instead of one iterator per file, so a
// seek costs one binary search over the level's files plus one table seek, however many
// files the level holds.
#pragma once

#include <memory>

#include "db/compaction.h"
#include "db/table_cache.h"
#include "sst/table_reader.h"

namespace strata {

// files must stay alive while the iterator exists (the caller holds their Version).
std::unique_ptr<Iterator> NewLevelIterator(const memtable::InternalKeyComparator* icmp,
                                           TableCache* table_cache, const FileList* files,
                                           const sst::TableReadOptions& read_options);

}  // namespace strata
