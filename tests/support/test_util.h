// Helpers for tests: scratch directories and reproducible random bytes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace strata::test {

// A fresh directory under $TMPDIR (or /tmp), removed with everything in it on destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::string& path() const { return path_; }
  std::string File(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

// The whole file at path on the real file system; empty if it cannot be read.
std::string ReadFile(const std::string& path);

// n pseudo-random bytes determined by seed.
std::string RandomBytes(uint64_t seed, size_t n);

// "t<thread>-<n as 8 digits>": keys of concurrent writers, sorted by thread, then by n.
std::string ThreadKey(int thread, int n);

// True when STRATA_TORTURE is set: long runs for `make torture`.
bool TortureMode();
// `normal` iterations, or `torture` under TortureMode().
int Iterations(int normal, int torture);

// True in a ThreadSanitizer build (the tsan preset). TSan finds nothing in single-threaded
// code and can slow it a hundredfold (LogTornTail: 2.2 s in release, 278 s under TSan), so a
// long single-threaded test may do less there.
bool ThreadSanitizerBuild();

// Bytes of heap in use by the process, for tests that check what an operation allocates.
// AddressSanitizer and ThreadSanitizer replace malloc, so under them this is their allocator's
// count: glibc's mallinfo2() sees none of their allocations (under TSan it reads 0 whatever
// is allocated, and a test comparing two readings could not fail).
size_t HeapInUse();

}  // namespace strata::test
