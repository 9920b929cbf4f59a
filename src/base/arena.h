// Arena: a bump allocator for many small objects that share one lifetime, such as the
// entries of a memtable. Memory comes from blocks that are freed all at once when the Arena
// is destroyed; there is no per-object free.
//
// Allocate and AllocateAligned are not thread-safe: one thread (or one writer under a lock)
// allocates. The *Concurrently variants may be called from several threads at once (under a
// lock of the arena's own), but never at the same time as the plain ones. MemoryUsage may be
// read from any thread at any time.
#pragma once

#include <atomic>
#include <cstddef>
#include <memory>
#include <mutex>
#include <vector>

namespace strata {

class Arena {
 public:
  static constexpr size_t kDefaultBlockSize = 4096;
  // Every AllocateAligned result is a multiple of this.
  static constexpr size_t kAlignment = alignof(std::max_align_t);

  explicit Arena(size_t block_size = kDefaultBlockSize);
  Arena(const Arena&) = delete;
  Arena& operator=(const Arena&) = delete;

  // Returns a pointer to `bytes` writable bytes, valid until the Arena is destroyed. The
  // result has no particular alignment. A request of 0 bytes returns a distinct non-null
  // pointer, as if it asked for 1. A request that does not fit in the rest of the current
  // block starts a new block, unless it is larger than a quarter block: then it gets a block
  // of its own and the current block stays in use, so at most a quarter block is wasted.
  char* Allocate(size_t bytes);
  // As Allocate, but the result is a multiple of alignment (a power of two, at most
  // kAlignment): kAlignment suits any ordinary type; a smaller one wastes less padding between
  // objects that need less, such as skiplist nodes of pointers.
  char* AllocateAligned(size_t bytes, size_t alignment = kAlignment);
  // Thread-safe forms of the two above; see the class comment.
  char* AllocateConcurrently(size_t bytes);
  char* AllocateAlignedConcurrently(size_t bytes, size_t alignment = kAlignment);

  // Bytes taken from the system (the blocks plus the bookkeeping for each) minus the unused
  // tail of the current block, which is still free for the next requests: what the arena's
  // contents cost, including padding and abandoned block tails. Grows monotonically; a
  // memtable compares it with its flush threshold.
  size_t MemoryUsage() const { return memory_usage_.load(std::memory_order_relaxed); }
  // Bytes taken from the system, the current block's unused tail included.
  size_t AllocatedBytes() const { return blocks_bytes_; }

 private:
  // Serves a request that does not fit in the current block.
  char* AllocateFallback(size_t bytes);
  char* AllocateNewBlock(size_t block_bytes);

  const size_t block_size_;
  // The unused tail of the current block: [alloc_ptr_, alloc_ptr_ + alloc_bytes_remaining_).
  char* alloc_ptr_ = nullptr;
  size_t alloc_bytes_remaining_ = 0;
  std::vector<std::unique_ptr<char[]>> blocks_;
  size_t blocks_bytes_ = 0;  // blocks plus bookkeeping
  // blocks_bytes_ - alloc_bytes_remaining_, published after every allocation. Written only by
  // the allocating thread, read by anyone.
  std::atomic<size_t> memory_usage_{0};

  void PublishUsage() {
    memory_usage_.store(blocks_bytes_ - alloc_bytes_remaining_, std::memory_order_relaxed);
  }
  // Serializes the *Concurrently calls. Held for a pointer bump, rarely for a new block.
  std::mutex concurrent_mu_;
};

inline char* Arena::Allocate(size_t bytes) {
  if (bytes == 0) bytes = 1;
  if (bytes <= alloc_bytes_remaining_) {
    char* result = alloc_ptr_;
    alloc_ptr_ += bytes;
    alloc_bytes_remaining_ -= bytes;
    PublishUsage();
    return result;
  }
  return AllocateFallback(bytes);
}

}  // namespace strata
