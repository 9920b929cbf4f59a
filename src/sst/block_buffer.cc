#include "sst/block_buffer.h"

#include <mutex>
#include <vector>

namespace strata::sst {

namespace {

constexpr size_t kClassBytes = 1024;
constexpr uint32_t kClasses = 64;  // classes 1..64: up to 64 KiB
// Each thread keeps up to this many bytes of free buffers of its own before it returns them
// to the shared pool: a lookup frees about one buffer (the evicted block) per buffer it
// takes, so a thread mostly serves itself and concurrent readers do not meet on the pool's
// mutex twice per lookup.
constexpr size_t kMaxThreadBytes = 128 << 10;

struct FreeLists {
  std::vector<char*> free[kClasses + 1];  // by class; index 0 unused
  size_t bytes = 0;

  char* Take(uint32_t c) {
    std::vector<char*>& list = free[c];
    if (list.empty()) return nullptr;
    char* p = list.back();
    list.pop_back();
    bytes -= c * kClassBytes;
    return p;
  }
  // False (and p not kept) if keeping it would exceed limit.
  bool Keep(char* p, uint32_t c, size_t limit) {
    if (bytes + c * kClassBytes > limit) return false;
    free[c].push_back(p);
    bytes += c * kClassBytes;
    return true;
  }
};

struct Pool {
  std::mutex mu;
  FreeLists lists;  // guarded by mu
};

Pool& GlobalPool() {
  // Never destroyed: blocks held by static objects may be freed during static destruction.
  static Pool* const pool = new Pool;
  return *pool;
}

void ReturnToPool(char* p, uint32_t c) {
  Pool& pool = GlobalPool();
  {
    std::lock_guard<std::mutex> lock(pool.mu);
    if (pool.lists.Keep(p, c, kMaxPooledBytes)) return;
  }
  delete[] p;
}

// Trivially destructible, so it can be read after the thread's ThreadLists is gone (a static
// object freeing a block during exit).
thread_local bool thread_lists_alive = false;

struct ThreadLists {
  ThreadLists() { thread_lists_alive = true; }
  ~ThreadLists() {
    thread_lists_alive = false;
    for (uint32_t c = 1; c <= kClasses; c++) {
      for (char* p : lists.free[c]) ReturnToPool(p, c);
    }
  }
  FreeLists lists;
};

// The calling thread's lists, or null while they are being destroyed or after.
FreeLists* LocalLists() {
  thread_local ThreadLists local;
  return thread_lists_alive ? &local.lists : nullptr;
}

}  // namespace

BlockBuffer AllocateBlockBuffer(size_t n) {
  const size_t size_class = (n + kClassBytes - 1) / kClassBytes;
  if (size_class == 0 || size_class > kClasses) {
    return BlockBuffer(new char[n], BlockBufferDeleter{0});
  }
  const auto c = static_cast<uint32_t>(size_class);
  if (FreeLists* local = LocalLists()) {
    if (char* p = local->Take(c)) return BlockBuffer(p, BlockBufferDeleter{c});
  }
  Pool& pool = GlobalPool();
  {
    std::lock_guard<std::mutex> lock(pool.mu);
    if (char* p = pool.lists.Take(c)) return BlockBuffer(p, BlockBufferDeleter{c});
  }
  return BlockBuffer(new char[size_class * kClassBytes], BlockBufferDeleter{c});
}

void BlockBufferDeleter::operator()(char* p) const {
  if (size_class == 0) {
    delete[] p;
    return;
  }
  FreeLists* local = thread_lists_alive ? LocalLists() : nullptr;
  if (local != nullptr && local->Keep(p, size_class, kMaxThreadBytes)) return;
  ReturnToPool(p, size_class);
}

}  // namespace strata::sst
