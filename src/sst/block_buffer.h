// BlockBuffer: the bytes of a block read from a table file, in a buffer recycled through a
// small pool.
//
// A point lookup that misses the block cache allocates about one block, and inserting that
// block into a full cache evicts another, freeing its buffer. glibc's malloc serves sizes
// above its per-thread cache (1,032 bytes) from the arena's bins under a lock, and that
// free/malloc pair took about 9% of a readrandom lookup (perf, 1M keys, 8 MiB cache).
// Buffers are recycled in size classes of 1 KiB up to 64 KiB; larger ones are plain
// allocations. Each thread keeps a few free buffers of its own (128 KiB) in front of a shared
// pool of at most kMaxPooledBytes; both are outside the block cache's charge.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>

namespace strata::sst {

inline constexpr size_t kMaxPooledBytes = 1 << 20;

struct BlockBufferDeleter {
  uint32_t size_class = 0;  // 0: not pooled
  void operator()(char* p) const;
};

using BlockBuffer = std::unique_ptr<char[], BlockBufferDeleter>;

// An uninitialized buffer of at least n bytes.
BlockBuffer AllocateBlockBuffer(size_t n);

}  // namespace strata::sst
