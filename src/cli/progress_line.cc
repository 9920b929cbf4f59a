#include "progress_line.h"

#include <chrono>
#include <cstdio>

namespace strata::cli {

ProgressLine::ProgressLine(std::function<std::string()> render, bool enabled)
    : render_(std::move(render)), enabled_(enabled) {
  if (enabled_) thread_ = std::thread([this] { Loop(); });
}

void ProgressLine::Stop() {
  if (!thread_.joinable()) return;
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  stopped_.notify_all();
  thread_.join();
  std::lock_guard lock(mu_);
  std::fputs("\r\033[K", stderr);
}

void ProgressLine::Print(const std::string& line) {
  std::lock_guard lock(mu_);
  if (enabled_) std::fputs("\r\033[K", stderr);
  std::fprintf(stderr, "%s\n", line.c_str());
}

void ProgressLine::Loop() {
  std::unique_lock lock(mu_);
  while (!stopped_.wait_for(lock, std::chrono::milliseconds(500), [this] { return stop_; })) {
    // render_ runs without the lock: it may take a moment, and Print() must not wait for it.
    lock.unlock();
    const std::string line = render_();
    lock.lock();
    if (stop_) break;
    std::fprintf(stderr, "\r\033[K%s", line.c_str());
    std::fflush(stderr);
  }
}

}  // namespace strata::cli
