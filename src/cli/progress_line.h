// ProgressLine: one self-rewriting status line on stderr while a long command runs.
//
// Every half second a background thread asks render() for the line and rewrites the terminal
// line with it ("\r", erase to the end of the line). Messages that must stay go through
// Print(), which clears the progress line first, so the two never mix. A disabled line (stderr
// is not a terminal, or the user asked for quiet) starts no thread and Print() just prints.
#pragma once

#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

namespace strata::cli {

class ProgressLine {
 public:
  // render is called from the progress thread; it must be safe to call while the command
  // runs (read atomics, not plain counters). It must outlive Stop().
  ProgressLine(std::function<std::string()> render, bool enabled);
  ~ProgressLine() { Stop(); }
  ProgressLine(const ProgressLine&) = delete;
  ProgressLine& operator=(const ProgressLine&) = delete;

  // Stops the thread and clears the line. Idempotent.
  void Stop();
  // Prints line and a newline on stderr, above the progress line. Thread-safe.
  void Print(const std::string& line);

 private:
  void Loop();

  const std::function<std::string()> render_;
  const bool enabled_;
  // Guards stop_ and stderr (the progress thread's rewrites and Print() calls).
  std::mutex mu_;
  bool stop_ = false;
  // Signalled by Stop(), so a command never waits out the half second.
  std::condition_variable stopped_;
  std::thread thread_;
};

}  // namespace strata::cli
