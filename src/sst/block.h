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

#include "sst/block_buffer.h"
#include "strata/comparator.h"
#include "strata/iterator.h"
#include "strata/slice.h"
#include "strata/status.h"

namespace strata::sst {

// Where a block lies, for error messages; turned into text only when an error is reported
// (building "file: block at offset N" for every block read would cost more than the read).
struct BlockOrigin {
  std::shared_ptr<const std::string> file_name;
  uint64_t offset = 0;
  const char* what = "";  // e.g. " (index)"

  std::string ToString() const;
};

class Block {
 public:
  // Takes the uncompressed block bytes. context is e.g. "t.sst: block at offset 4096".
  Block(std::string contents, std::string context);
  // Takes size bytes at data (read straight from a file).
  Block(BlockBuffer data, size_t size, BlockOrigin origin);

  Block(const Block&) = delete;
  Block& operator=(const Block&) = delete;

  // OK if the restart trailer is well formed; an iterator over a bad block reports this.
  const Status& status() const { return status_; }
  size_t size() const { return size_; }
  std::string context() const;

  // Iterates the block's entries ordered by comparator (which must outlive the iterator).
  // The iterator shares ownership of the block, so it stays valid after a cache evicts it.
  static std::unique_ptr<Iterator> NewIterator(std::shared_ptr<const Block> block,
                                               const Comparator* comparator);

 private:
  friend class BlockIterator;
  void Parse();

  const std::string string_;  // the bytes, when given as a string
  BlockBuffer buffer_;        // the bytes, when read straight from a file
  const char* const data_;
  const size_t size_;
  const BlockOrigin origin_;
  const std::string context_;  // used when origin_.file_name is null
  Status status_;
  uint32_t restarts_offset_ = 0;  // where the restart array starts; entries lie before it
  uint32_t num_restarts_ = 0;
};

}  // namespace strata::sst
