// ChildProcess: a real program run as a child, to be killed or waited for.
//
// Started with posix_spawn (no code of the parent runs in the child), its stdout and stderr
// going to one file so a test can show what it said. Whoever owns the object reaps the child:
// the destructor kills (SIGKILL) and reaps one that is still running, so a failing test never
// leaves a process behind.
#pragma once

#include <sys/types.h>

#include <memory>
#include <string>
#include <vector>

#include "strata/status.h"

namespace strata::crash {

// What Wait() returns when there is no child to wait for: no real wait status (16 bits) is -1.
constexpr int kNoStatus = -1;

class ChildProcess {
 public:
  // Runs argv[0] (a path) with arguments argv; output goes to output_path (truncated).
  static Status Start(const std::vector<std::string>& argv, const std::string& output_path,
                      std::unique_ptr<ChildProcess>* child);
  explicit ChildProcess(pid_t pid) : pid_(pid) {}
  ~ChildProcess();
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  // Sends SIGKILL and waits. Returns the wait status: a child that had already exited by
  // itself reports that exit, not the kill.
  int KillAndWait();
  // Waits for the child to end by itself; returns the wait status.
  int Wait();

 private:
  pid_t pid_;  // 0 once reaped
};

// "exit 3", "killed by signal 9", ...: a wait status in words.
std::string DescribeWaitStatus(int status);

// The file's contents, or "" if it cannot be read (for showing a child's output).
std::string ReadFileOrEmpty(const std::string& path);

}  // namespace strata::crash
