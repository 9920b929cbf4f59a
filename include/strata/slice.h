// Slice: a non-owning view of a byte range.
//
// A Slice never owns its bytes; whoever created it must keep the bytes alive and unchanged
// for as long as the Slice is used. Keys and values are arbitrary bytes, so a Slice may hold
// NUL bytes and is not NUL-terminated.
#pragma once

#include <cassert>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace strata {

class Slice {
 public:
  // Up to this many common bytes, compare() runs inline instead of calling memcmp.
  static constexpr size_t kInlineCompareBytes = 32;

  Slice() = default;
  Slice(const char* data, size_t size) : data_(data), size_(size) {}
  Slice(const std::string& s) : data_(s.data()), size_(s.size()) {}  // NOLINT: implicit on purpose
  Slice(std::string_view s) : data_(s.data()), size_(s.size()) {}    // NOLINT
  Slice(const char* s) : data_(s), size_(std::strlen(s)) {}          // NOLINT

  const char* data() const { return data_; }
  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }

  char operator[](size_t i) const {
    assert(i < size_);
    return data_[i];
  }

  void clear() {
    data_ = "";
    size_ = 0;
  }

  // Drops the first n bytes; n must not exceed size().
  void remove_prefix(size_t n) {
    assert(n <= size_);
    data_ += n;
    size_ -= n;
  }

  std::string ToString() const { return std::string(data_, size_); }
  std::string_view view() const { return std::string_view(data_, size_); }

  // Three-way bytewise comparison, bytes compared as unsigned: <0, 0 or >0.
  int compare(const Slice& b) const {
    const size_t min_len = size_ < b.size_ ? size_ : b.size_;
    int r = 0;
    if (min_len <= kInlineCompareBytes) {
      // Keys are mostly short, and a call into memcmp costs more than comparing them here,
      // eight bytes at a time as big-endian words (which order like their bytes).
      size_t i = 0;
      for (; i + 8 <= min_len && r == 0; i += 8) {
        uint64_t x;
        uint64_t y;
        std::memcpy(&x, data_ + i, 8);
        std::memcpy(&y, b.data_ + i, 8);
        if (x != y) r = __builtin_bswap64(x) < __builtin_bswap64(y) ? -1 : +1;
      }
      for (; i < min_len && r == 0; i++) {
        const auto x = static_cast<unsigned char>(data_[i]);
        const auto y = static_cast<unsigned char>(b.data_[i]);
        if (x != y) r = x < y ? -1 : +1;
      }
    } else {
      r = std::memcmp(data_, b.data_, min_len);
    }
    if (r == 0) {
      if (size_ < b.size_) r = -1;
      if (size_ > b.size_) r = +1;
    }
    return r;
  }

  bool starts_with(const Slice& x) const {
    return size_ >= x.size_ && (x.size_ == 0 || std::memcmp(data_, x.data_, x.size_) == 0);
  }

 private:
  const char* data_ = "";
  size_t size_ = 0;
};

inline bool operator==(const Slice& a, const Slice& b) {
  return a.size() == b.size() && (a.size() == 0 || std::memcmp(a.data(), b.data(), a.size()) == 0);
}
inline bool operator!=(const Slice& a, const Slice& b) { return !(a == b); }
inline bool operator<(const Slice& a, const Slice& b) { return a.compare(b) < 0; }

}  // namespace strata
