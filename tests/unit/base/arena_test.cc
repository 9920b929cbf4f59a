#include "base/arena.h"

#include <gtest/gtest.h>

#include <atomic>
#include <cstdint>
#include <cstring>
#include <memory>
#include <thread>
#include <utility>
#include <vector>

#include "base/random.h"

namespace strata {
namespace {

bool IsAligned(const char* p) {
  return reinterpret_cast<uintptr_t>(p) % alignof(std::max_align_t) == 0;
}

TEST(ArenaTest, EmptyUsesNoMemory) {
  Arena arena;
  EXPECT_EQ(arena.MemoryUsage(), 0u);
}

TEST(ArenaTest, AllocationsKeepTheirContents) {
  // Fill every allocation with a byte pattern derived from its index, then check them all
  // at the end: overlapping allocations would overwrite each other's pattern.
  Arena arena;
  Random rnd(301);
  std::vector<std::pair<size_t, char*>> allocated;
  size_t total = 0;
  const int n = 20000;
  for (int i = 0; i < n; i++) {
    size_t size;
    if (i % (n / 10) == 0) {
      size = i;  // an occasional large one
    } else {
      size = rnd.OneIn(4000) ? rnd.Uniform(6000)
                             : (rnd.OneIn(10) ? rnd.Uniform(100) : rnd.Uniform(20));
    }
    if (size == 0) size = 1;
    char* p = rnd.OneIn(10) ? arena.AllocateAligned(size) : arena.Allocate(size);
    ASSERT_NE(p, nullptr);
    for (size_t b = 0; b < size; b++) p[b] = static_cast<char>(i % 256);
    total += size;
    allocated.emplace_back(size, p);
    EXPECT_GE(arena.MemoryUsage(), total);
    if (i > n / 10) {
      // Waste is bounded: at most a quarter block is abandoned per block, plus bookkeeping.
      EXPECT_LE(arena.MemoryUsage(), total * 1.5 + Arena::kDefaultBlockSize);
    }
  }
  for (size_t i = 0; i < allocated.size(); i++) {
    const auto [size, p] = allocated[i];
    for (size_t b = 0; b < size; b++) {
      ASSERT_EQ(static_cast<unsigned char>(p[b]), i % 256) << "allocation " << i << " byte " << b;
    }
  }
}

TEST(ArenaTest, AlignedAllocationsAreAligned) {
  Arena arena;
  for (int i = 0; i < 1000; i++) {
    arena.Allocate(static_cast<size_t>(i % 7) + 1);  // knock the bump pointer off alignment
    char* p = arena.AllocateAligned(static_cast<size_t>(i % 50) + 1);
    EXPECT_TRUE(IsAligned(p)) << i;
  }
  EXPECT_TRUE(IsAligned(arena.AllocateAligned(10000)));  // a block of its own
}

TEST(ArenaTest, SmallAllocationsAreContiguousInABlock) {
  Arena arena;
  char* a = arena.Allocate(10);
  char* b = arena.Allocate(20);
  EXPECT_EQ(b, a + 10);
}

TEST(ArenaTest, LargeRequestThatDoesNotFitGetsItsOwnBlock) {
  Arena arena;
  char* a = arena.Allocate(100);
  for (int i = 0; i < 3; i++) arena.Allocate(900);  // 1296 bytes of the block remain
  const size_t before = arena.MemoryUsage();
  const size_t large = 2000;  // over a quarter block, and more than remains
  arena.Allocate(large);
  EXPECT_GE(arena.MemoryUsage(), before + large);
  EXPECT_LT(arena.MemoryUsage(), before + Arena::kDefaultBlockSize);
  // The current block was not abandoned: the next small request continues in it.
  char* b = arena.Allocate(100);
  EXPECT_EQ(b, a + 100 + 3 * 900);
}

TEST(ArenaTest, SmallRequestThatDoesNotFitStartsANewBlock) {
  Arena arena;
  for (int i = 0; i < 4; i++) arena.Allocate(1000);  // 96 bytes remain
  const size_t before = arena.MemoryUsage();
  const size_t allocated_before = arena.AllocatedBytes();
  arena.Allocate(500);
  // A new block was taken from the system...
  EXPECT_EQ(arena.AllocatedBytes(),
            allocated_before + Arena::kDefaultBlockSize + sizeof(std::unique_ptr<char[]>));
  // ...and the usage grew by what the arena's contents now cost: the abandoned 96-byte tail,
  // the 500 bytes and the new block's bookkeeping; the new block's free tail does not count.
  EXPECT_EQ(arena.MemoryUsage(), before + 96 + 500 + sizeof(std::unique_ptr<char[]>));
}

TEST(ArenaTest, RequestLargerThanABlock) {
  Arena arena;
  const size_t size = 10 * Arena::kDefaultBlockSize;
  char* p = arena.Allocate(size);
  std::memset(p, 0xab, size);
  EXPECT_GE(arena.MemoryUsage(), size);
}

TEST(ArenaTest, CustomBlockSize) {
  Arena arena(64 * 1024);
  arena.Allocate(1);
  EXPECT_EQ(arena.AllocatedBytes(), 64u * 1024 + sizeof(std::unique_ptr<char[]>));
  EXPECT_EQ(arena.MemoryUsage(), 1 + sizeof(std::unique_ptr<char[]>));
  // 1000-byte requests are well under a quarter block and share it.
  char* a = arena.Allocate(1000);
  char* b = arena.Allocate(1000);
  EXPECT_EQ(b, a + 1000);
}

TEST(ArenaTest, ZeroByteRequestsGetDistinctPointers) {
  Arena arena;
  char* a = arena.Allocate(0);
  char* b = arena.Allocate(0);
  char* c = arena.AllocateAligned(0);
  EXPECT_NE(a, nullptr);
  EXPECT_NE(a, b);
  EXPECT_NE(b, c);
}

TEST(ArenaTest, MemoryUsageReadableWhileAllocating) {
  // One thread allocates while another reads MemoryUsage: it must only grow (and TSan must
  // find no race).
  Arena arena;
  std::atomic<bool> done{false};
  std::thread reader([&] {
    size_t last = 0;
    while (!done.load(std::memory_order_acquire)) {
      const size_t now = arena.MemoryUsage();
      EXPECT_GE(now, last);
      last = now;
    }
  });
  for (int i = 0; i < 100000; i++) arena.Allocate(static_cast<size_t>(i % 300) + 1);
  done.store(true, std::memory_order_release);
  reader.join();
  EXPECT_GT(arena.MemoryUsage(), 0u);
}

}  // namespace
}  // namespace strata

namespace strata {
namespace {

TEST(ArenaTest, SmallerAlignmentsPadLess) {
  Arena arena;
  // After a 1-byte allocation, 8-byte alignment pads 7 bytes where 16-byte alignment pads 15.
  (void)arena.Allocate(1);
  char* eight = arena.AllocateAligned(8, 8);
  EXPECT_EQ(reinterpret_cast<uintptr_t>(eight) % 8, 0u);
  char* next = arena.Allocate(1);
  EXPECT_EQ(next, eight + 8);  // no padding after an 8-byte-aligned request of 8 bytes
  (void)arena.Allocate(1);
  char* sixteen = arena.AllocateAligned(8);
  EXPECT_EQ(reinterpret_cast<uintptr_t>(sixteen) % Arena::kAlignment, 0u);
}

}  // namespace
}  // namespace strata
