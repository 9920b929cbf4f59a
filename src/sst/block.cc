#include "sst/block.h"

#include "base/coding.h"
#include "sst/block_iterator.h"

namespace strata::sst {

std::string BlockOrigin::ToString() const {
  return (file_name ? *file_name : std::string("?")) + ": block at offset " +
         std::to_string(offset) + what;
}

Block::Block(std::string contents, std::string context)
    : string_(std::move(contents)),
      data_(string_.data()),
      size_(string_.size()),
      context_(std::move(context)) {
  Parse();
}

Block::Block(BlockBuffer data, size_t size, BlockOrigin origin)
    : buffer_(std::move(data)), data_(buffer_.get()), size_(size), origin_(std::move(origin)) {
  Parse();
}

std::string Block::context() const { return origin_.file_name ? origin_.ToString() : context_; }

void Block::Parse() {
  auto bad = [&](const std::string& why) {
    status_ = Status::Corruption(context(), why);
    restarts_offset_ = 0;
    num_restarts_ = 0;
  };
  if (size_ < sizeof(uint32_t)) {
    bad("block of " + std::to_string(size_) + " bytes is too small for its trailer");
    return;
  }
  const size_t count_offset = size_ - sizeof(uint32_t);
  const uint32_t count = DecodeFixed32(data_ + count_offset);
  if (count == 0 || count > count_offset / sizeof(uint32_t)) {
    bad("restart count " + std::to_string(count) + " does not fit a block of " +
        std::to_string(size_) + " bytes");
    return;
  }
  const size_t restarts_offset = count_offset - size_t{count} * sizeof(uint32_t);
  if (restarts_offset > UINT32_MAX) {
    bad("block larger than 4 GiB");
    return;
  }
  // Restart points strictly increase from 0 and each leaves room for an entry header, so the
  // binary search in the iterator can trust the array.
  uint32_t previous = 0;
  for (uint32_t i = 0; i < count; i++) {
    const uint32_t r = DecodeFixed32(data_ + restarts_offset + i * sizeof(uint32_t));
    const bool in_order = i == 0 ? r == 0 : r > previous;
    if (!in_order || (r >= restarts_offset && !(i == 0 && restarts_offset == 0))) {
      bad("restart point " + std::to_string(i) + " has bad offset " + std::to_string(r));
      return;
    }
    previous = r;
  }
  restarts_offset_ = static_cast<uint32_t>(restarts_offset);
  num_restarts_ = count;
}

std::unique_ptr<Iterator> Block::NewIterator(std::shared_ptr<const Block> block,
                                             const Comparator* comparator) {
  return std::make_unique<BlockIterator>(std::move(block), comparator);
}

}  // namespace strata::sst
