#include "sst/block_buffer.h"

#include <mutex>
#include <vector>

namespace strata::sst {

namespace {

constexpr size_t kClassBytes = 1024;
constexpr uint32_t kClasses = 64;  // classes 1..64: up to 64 KiB

struct Pool {
  std::mutex mu;
  std::vector<char*> free[kClasses + 1];  // by class; index 0 unused
  size_t free_bytes = 0;
};

Pool& GlobalPool() {
  // Never destroyed: blocks held by static objects may be freed during static destruction.
  static Pool* const pool = new Pool;
  return *pool;
}

}  // namespace

BlockBuffer AllocateBlockBuffer(size_t n) {
  const size_t size_class = (n + kClassBytes - 1) / kClassBytes;
  if (size_class == 0 || size_class > kClasses) {
    return BlockBuffer(new char[n], BlockBufferDeleter{0});
  }
  const auto c = static_cast<uint32_t>(size_class);
  Pool& pool = GlobalPool();
  {
    std::lock_guard<std::mutex> lock(pool.mu);
    std::vector<char*>& list = pool.free[c];
    if (!list.empty()) {
      char* p = list.back();
      list.pop_back();
      pool.free_bytes -= size_class * kClassBytes;
      return BlockBuffer(p, BlockBufferDeleter{c});
    }
  }
  return BlockBuffer(new char[size_class * kClassBytes], BlockBufferDeleter{c});
}

void BlockBufferDeleter::operator()(char* p) const {
  if (size_class == 0) {
    delete[] p;
    return;
  }
  const size_t bytes = size_t{size_class} * kClassBytes;
  Pool& pool = GlobalPool();
  {
    std::lock_guard<std::mutex> lock(pool.mu);
    if (pool.free_bytes + bytes <= kMaxPooledBytes) {
      pool.free[size_class].push_back(p);
      pool.free_bytes += bytes;
      return;
    }
  }
  delete[] p;
}

}  // namespace strata::sst
