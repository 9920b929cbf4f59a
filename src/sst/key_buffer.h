// KeyBuffer: the current key of a block iterator, rebuilt entry by entry from a shared
// prefix of the previous key plus new bytes.
//
// Keys up to kInlineBytes live inside the object. A point lookup keeps its iterators on the
// stack, and internal keys (user key + 8-byte trailer) are usually longer than the 15 bytes a
// std::string holds inline, so a std::string here cost a heap allocation and free per seek.
#pragma once

#include <cstddef>
#include <cstring>
#include <memory>

#include "strata/slice.h"

namespace strata::sst {

class KeyBuffer {
 public:
  KeyBuffer() = default;
  KeyBuffer(const KeyBuffer&) = delete;
  KeyBuffer& operator=(const KeyBuffer&) = delete;

  Slice slice() const { return Slice(data_, size_); }
  size_t size() const { return size_; }
  void clear() { size_ = 0; }

  // Keeps the first `keep` bytes (keep <= size()) and appends n bytes from p.
  void ReplaceSuffix(size_t keep, const char* p, size_t n) {
    const size_t needed = keep + n;
    if (needed > capacity_) Grow(keep, needed);
    std::memcpy(data_ + keep, p, n);
    size_ = needed;
  }

 private:
  static constexpr size_t kInlineBytes = 64;

  // Moves the first `keep` bytes to a heap buffer of at least `needed` bytes.
  void Grow(size_t keep, size_t needed) {
    size_t capacity = capacity_ * 2;
    while (capacity < needed) capacity *= 2;
    std::unique_ptr<char[]> bigger(new char[capacity]);
    std::memcpy(bigger.get(), data_, keep);
    heap_ = std::move(bigger);
    data_ = heap_.get();
    capacity_ = capacity;
  }

  char inline_[kInlineBytes];
  std::unique_ptr<char[]> heap_;  // holds the key once it outgrew inline_
  char* data_ = inline_;
  size_t capacity_ = kInlineBytes;
  size_t size_ = 0;
};

}  // namespace strata::sst
