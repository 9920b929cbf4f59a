// UniqueFd: sole owner of a file descriptor, closed when the owner goes away.
//
// Move-only. -1 means "no descriptor". Close errors are ignored: by the time a descriptor
// is destroyed nothing can be done about them, and POSIX leaves the descriptor closed anyway.
#pragma once

namespace strata::net {

class UniqueFd {
 public:
  UniqueFd() = default;
  explicit UniqueFd(int fd) : fd_(fd) {}
  ~UniqueFd() { Reset(); }
  UniqueFd(UniqueFd&& other) noexcept : fd_(other.Release()) {}
  UniqueFd& operator=(UniqueFd&& other) noexcept {
    if (this != &other) {
      Reset();
      fd_ = other.Release();
    }
    return *this;
  }
  UniqueFd(const UniqueFd&) = delete;
  UniqueFd& operator=(const UniqueFd&) = delete;

  int get() const { return fd_; }
  bool valid() const { return fd_ >= 0; }
  // Gives up ownership without closing; returns the descriptor.
  int Release() {
    const int fd = fd_;
    fd_ = -1;
    return fd;
  }
  // Closes the descriptor, if any.
  void Reset();

 private:
  int fd_ = -1;
};

}  // namespace strata::net
