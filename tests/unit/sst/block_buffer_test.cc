#include "sst/block_buffer.h"

#include <gtest/gtest.h>

#include <cstring>
#include <set>
#include <thread>
#include <vector>

namespace strata::sst {
namespace {

TEST(BlockBufferTest, FreedBufferIsReusedByTheSameThread) {
  BlockBuffer a = AllocateBlockBuffer(4000);
  std::memset(a.get(), 1, 4000);  // usable for the whole request (ASan checks the bounds)
  char* const address = a.get();
  a.reset();
  BlockBuffer b = AllocateBlockBuffer(3500);  // the same 4 KiB class
  EXPECT_EQ(b.get(), address);
  std::memset(b.get(), 2, 3500);
}

TEST(BlockBufferTest, LargeAndEmptyRequestsAreServed) {
  BlockBuffer big = AllocateBlockBuffer(200 << 10);  // beyond the classes: not pooled
  std::memset(big.get(), 3, 200 << 10);
  BlockBuffer tiny = AllocateBlockBuffer(1);
  tiny[0] = 'x';
  EXPECT_EQ(tiny[0], 'x');
}

// A thread's own free buffers go to the shared pool when it exits, where another thread
// finds them.
TEST(BlockBufferTest, ExitingThreadHandsItsBuffersToOthers) {
  std::set<char*> freed_by_worker;
  std::thread worker([&] {
    std::vector<BlockBuffer> held;
    for (int i = 0; i < 8; i++) held.push_back(AllocateBlockBuffer(7 * 1024));
    for (auto& b : held) freed_by_worker.insert(b.get());
  });
  worker.join();
  int reused = 0;
  std::vector<BlockBuffer> mine;
  for (int i = 0; i < 8; i++) {
    mine.push_back(AllocateBlockBuffer(7 * 1024));
    reused += freed_by_worker.count(mine.back().get()) ? 1 : 0;
  }
  EXPECT_EQ(reused, 8);
}

// Many threads allocating and freeing at once (run under TSan and ASan by make tsan/asan).
TEST(BlockBufferTest, ConcurrentUse) {
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; t++) {
    threads.emplace_back([t] {
      std::vector<BlockBuffer> ring(16);
      for (int i = 0; i < 20000; i++) {
        const size_t n = 512 + static_cast<size_t>((i * 7919 + t * 104729) % (20 * 1024));
        BlockBuffer b = AllocateBlockBuffer(n);
        std::memset(b.get(), t, n);
        ring[static_cast<size_t>(i) % ring.size()] = std::move(b);  // frees an older one
      }
    });
  }
  for (auto& th : threads) th.join();
}

}  // namespace
}  // namespace strata::sst
