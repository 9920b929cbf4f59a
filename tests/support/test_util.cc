#include "support/test_util.h"

#include <gtest/gtest.h>
#include <malloc.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>

// Whether a sanitizer replaced malloc, and whether it is ThreadSanitizer: GCC says so with
// __SANITIZE_*__, clang with __has_feature.
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define STRATA_TEST_SANITIZER_MALLOC 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define STRATA_TEST_SANITIZER_MALLOC 1
#endif
#endif
#if defined(__SANITIZE_THREAD__)
#define STRATA_TEST_TSAN 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define STRATA_TEST_TSAN 1
#endif
#endif

#ifdef STRATA_TEST_SANITIZER_MALLOC
// The sanitizers' allocator interface (<sanitizer/allocator_interface.h>, which GCC 12 does
// not ship).
extern "C" size_t __sanitizer_get_current_allocated_bytes();
#endif

namespace strata::test {

TempDir::TempDir() {
  const char* base = std::getenv("TMPDIR");
  std::string templ = std::string(base && *base ? base : "/tmp") + "/strata-test-XXXXXX";
  char* made = ::mkdtemp(templ.data());
  if (made == nullptr) {
    ADD_FAILURE() << "mkdtemp failed for " << templ;
    return;
  }
  path_ = made;
}

TempDir::~TempDir() {
  if (path_.empty()) return;
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

std::string RandomBytes(uint64_t seed, size_t n) {
  std::mt19937_64 rng(seed);
  std::string s(n, '\0');
  for (size_t i = 0; i < n; i++) s[i] = static_cast<char>(rng() & 0xff);
  return s;
}

std::string ThreadKey(int thread, int n) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "t%d-%08d", thread, n);
  return buf;
}

bool TortureMode() {
  const char* v = std::getenv("STRATA_TORTURE");
  return v != nullptr && *v != '\0' && std::string(v) != "0";
}

int Iterations(int normal, int torture) { return TortureMode() ? torture : normal; }

bool ThreadSanitizerBuild() {
#ifdef STRATA_TEST_TSAN
  return true;
#else
  return false;
#endif
}

size_t HeapInUse() {
#ifdef STRATA_TEST_SANITIZER_MALLOC
  return __sanitizer_get_current_allocated_bytes();
#else
  const struct mallinfo2 info = mallinfo2();
  return info.uordblks + info.hblkhd;
#endif
}

}  // namespace strata::test
