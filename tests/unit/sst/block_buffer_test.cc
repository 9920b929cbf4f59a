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
  constexpr size_t kBig = 200 << 10;
  BlockBuffer big = AllocateBlockBuffer(kBig);
  ASSERT_NE(big.get(), nullptr);
  EXPECT_EQ(big.get_deleter().size_class, 0u);  // beyond the classes: not pooled
  std::memset(big.get(), 3, kBig);              // usable for the whole request (ASan)
  EXPECT_EQ(big[0], 3);
  EXPECT_EQ(big[kBig - 1], 3);

  // An empty request gets a buffer of its own, outside the pool (no class holds 0 bytes),
  // and freeing it is fine (ASan and LeakSanitizer check that).
  BlockBuffer empty = AllocateBlockBuffer(0);
  EXPECT_NE(empty.get(), nullptr);
  EXPECT_EQ(empty.get_deleter().size_class, 0u);
  BlockBuffer another_empty = AllocateBlockBuffer(0);
  EXPECT_NE(another_empty.get(), empty.get());
  empty.reset();
  another_empty.reset();

  BlockBuffer tiny = AllocateBlockBuffer(1);  // the smallest class
  ASSERT_NE(tiny.get(), nullptr);
  EXPECT_EQ(tiny.get_deleter().size_class, 1u);
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
// Each live buffer holds a byte pattern unique among the live buffers of all threads; it must
// still be intact when the buffer is freed, or the pool handed one buffer out twice.
TEST(BlockBufferTest, ConcurrentUse) {
  constexpr int kThreads = 4;
  constexpr size_t kRing = 16;
  constexpr int kPatternsPerThread = 64;  // > kRing: live buffers of a thread differ
  std::vector<int> damaged(kThreads, 0);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; t++) {
    threads.emplace_back([t, &damaged] {
      struct Held {
        BlockBuffer buffer;
        size_t size = 0;
        char pattern = 0;
      };
      std::vector<Held> ring(kRing);
      auto intact = [](const Held& h) {
        for (size_t j = 0; j < h.size; j++) {
          if (h.buffer[j] != h.pattern) return false;
        }
        return true;
      };
      for (int i = 0; i < 20000; i++) {
        const size_t n = 512 + static_cast<size_t>((i * 7919 + t * 104729) % (20 * 1024));
        const auto pattern = static_cast<char>(t * kPatternsPerThread + i % kPatternsPerThread);
        Held& slot = ring[static_cast<size_t>(i) % kRing];
        if (!intact(slot)) damaged[t]++;
        slot = Held{AllocateBlockBuffer(n), n, pattern};  // frees the older one
        std::memset(slot.buffer.get(), pattern, n);
      }
      for (const Held& h : ring) {
        if (!intact(h)) damaged[t]++;
      }
    });
  }
  for (auto& th : threads) th.join();
  for (int t = 0; t < kThreads; t++) {
    EXPECT_EQ(damaged[t], 0) << "thread " << t << ": buffers overwritten while held";
  }
}

}  // namespace
}  // namespace strata::sst
