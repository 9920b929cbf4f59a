// FailureLog: what the threads of a concurrent test found wrong, each failure described in full
// (thread, operation, key, status or values), for the test thread to report once they have
// stopped. A counter of failures says only that something went wrong; this says what.
#pragma once

#include <cstddef>
#include <mutex>
#include <string>
#include <vector>

namespace strata::test {

class FailureLog {
 public:
  // Thread-safe.
  void Add(std::string what) {
    std::lock_guard<std::mutex> lock(mu_);
    total_++;
    if (kept_.size() < kMaxKept) kept_.push_back(std::move(what));
  }

  size_t total() const {
    std::lock_guard<std::mutex> lock(mu_);
    return total_;
  }

  // The failures kept, one per line, and how many more there were; for an assertion's message:
  // ASSERT_EQ(failures.total(), 0u) << failures.Report();
  std::string Report() const {
    std::lock_guard<std::mutex> lock(mu_);
    std::string out;
    for (const std::string& what : kept_) out += "\n  " + what;
    if (total_ > kept_.size()) {
      out += "\n  ... and " + std::to_string(total_ - kept_.size()) + " more";
    }
    return out;
  }

 private:
  // One bug tends to fail thousands of checks; the first ones say enough.
  static constexpr size_t kMaxKept = 20;
  mutable std::mutex mu_;
  std::vector<std::string> kept_;  // guarded by mu_
  size_t total_ = 0;               // guarded by mu_
};

}  // namespace strata::test
