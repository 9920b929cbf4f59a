// Block: a parsed block (see block_builder.h for the layout) and the iterator over it.
//
// The constructor checks the restart trailer once (count, offsets in range and increasing);
// the iterator checks every entry it decodes against the block's bounds. Damage never reads
// outside the block: the iterator becomes invalid with a Corruption status naming `context`
// (the file and the block's offset) and the entry's offset inside the block.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "strata/comparator.h"
#include "strata/iterator.h"
#include "strata/slice.h"
#include "strata/status.h"

namespace strata::sst {

class Block {
 public:
  // Takes the uncompressed block bytes. context is e.g. "t.sst: block at offset 4096".
  Block(std::string contents, std::string context);

  Block(const Block&) = delete;
  Block& operator=(const Block&) = delete;

  // OK if the restart trailer is well formed; an iterator over a bad block reports this.
  const Status& status() const { return status_; }
  size_t size() const { return data_.size(); }
  const std::string& context() const { return context_; }

  // Iterates the block's entries ordered by comparator (which must outlive the iterator).
  // The iterator shares ownership of the block, so it stays valid after a cache evicts it.
  static std::unique_ptr<Iterator> NewIterator(std::shared_ptr<const Block> block,
                                               const Comparator* comparator);

 private:
  friend class BlockIterator;

  const std::string data_;
  const std::string context_;
  Status status_;
  uint32_t restarts_offset_ = 0;  // where the restart array starts; entries lie before it
  uint32_t num_restarts_ = 0;
};

}  // namespace strata::sst
