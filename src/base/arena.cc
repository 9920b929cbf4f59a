#include "base/arena.h"

#include <cassert>
#include <cstdint>

namespace strata {

// Blocks come from operator new[], which aligns to at least __STDCPP_DEFAULT_NEW_ALIGNMENT__;
// AllocateAligned relies on every fresh block starting at a kAlignment boundary.
static_assert(__STDCPP_DEFAULT_NEW_ALIGNMENT__ >= Arena::kAlignment);
static_assert((Arena::kAlignment & (Arena::kAlignment - 1)) == 0, "alignment is a power of 2");

Arena::Arena(size_t block_size) : block_size_(block_size) { assert(block_size > 0); }

char* Arena::AllocateFallback(size_t bytes) {
  if (bytes > block_size_ / 4) {
    // A large request gets a block of its own, so the tail of the current block stays in use
    // for the small requests that follow and at most a quarter block is ever wasted.
    char* result = AllocateNewBlock(bytes);
    PublishUsage();
    return result;
  }
  // Start a new block; whatever remained of the current one is abandoned.
  alloc_ptr_ = AllocateNewBlock(block_size_);
  alloc_bytes_remaining_ = block_size_;
  char* result = alloc_ptr_;
  alloc_ptr_ += bytes;
  alloc_bytes_remaining_ -= bytes;
  PublishUsage();
  return result;
}

char* Arena::AllocateAligned(size_t bytes, size_t alignment) {
  assert(alignment > 0 && alignment <= kAlignment && (alignment & (alignment - 1)) == 0);
  if (bytes == 0) bytes = 1;
  const size_t misalignment = reinterpret_cast<uintptr_t>(alloc_ptr_) & (alignment - 1);
  const size_t padding = misalignment == 0 ? 0 : alignment - misalignment;
  // Written as two comparisons so that bytes + padding cannot overflow.
  if (padding <= alloc_bytes_remaining_ && bytes <= alloc_bytes_remaining_ - padding) {
    char* result = alloc_ptr_ + padding;
    alloc_ptr_ = result + bytes;
    alloc_bytes_remaining_ -= padding + bytes;
    PublishUsage();
    return result;
  }
  // Fresh blocks start aligned, so the fallback needs no padding.
  char* result = AllocateFallback(bytes);
  assert((reinterpret_cast<uintptr_t>(result) & (kAlignment - 1)) == 0);
  return result;
}

char* Arena::AllocateConcurrently(size_t bytes) {
  std::lock_guard lock(concurrent_mu_);
  return Allocate(bytes);
}

char* Arena::AllocateAlignedConcurrently(size_t bytes, size_t alignment) {
  std::lock_guard lock(concurrent_mu_);
  return AllocateAligned(bytes, alignment);
}

char* Arena::AllocateNewBlock(size_t block_bytes) {
  // for_overwrite: the memory is about to be written by the caller, so skip zeroing it.
  blocks_.push_back(std::make_unique_for_overwrite<char[]>(block_bytes));
  // The caller publishes the usage once alloc_bytes_remaining_ describes the new state, so
  // readers never see a transient value above the next one.
  blocks_bytes_ += block_bytes + sizeof(blocks_.back());
  return blocks_.back().get();
}

}  // namespace strata
