// Running other programs from tests: finding them, and running them to completion with their
// output captured. (Servers that run alongside a test have their own fixtures: redis_server.h,
// moto_server.h.)
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

#include "base/result.h"

namespace strata::test {

// Whether path is a regular file this process may execute.
bool IsExecutable(const std::string& path);

// The absolute path of an executable found in $PATH (or at one of fallbacks), or "".
std::string FindProgram(const std::string& name, const std::vector<std::string>& fallbacks = {});

// The process's environment with extra "NAME=value" entries added, replacing variables of the
// same name.
std::vector<std::string> EnvironmentWith(const std::vector<std::string>& extra);

// A null-terminated array for execv/execve pointing into strings, which must outlive it (and
// not change). Build it before fork(): the child may only make async-signal-safe calls.
std::vector<char*> ExecArgs(std::vector<std::string>& strings);

struct RunOptions {
  std::vector<std::string> extra_env;  // "NAME=value", added to the environment
  bool capture_stderr = true;          // standard error into the output too, else inherited
};

// Runs argv (argv[0] a path) with standard input from /dev/null and returns its standard output
// (and error). Fails when the program cannot run or exits non-zero; the status names the command
// and its wait status, with the output as detail.
Result<std::string> RunProgram(const std::vector<std::string>& argv,
                               const RunOptions& options = {});

// Starts argv (argv[0] a path) as a server beside the test: in its own process group, so that
// KillAndReap also ends what it forks; killed by the kernel if this thread's process dies
// (PR_SET_PDEATHSIG: start servers from the test's own thread); standard input from /dev/null,
// output and errors to log_path; in work_dir unless it is empty.
Result<pid_t> StartServerProcess(const std::vector<std::string>& argv,
                                 const std::vector<std::string>& extra_env,
                                 const std::string& log_path, const std::string& work_dir = "");

// SIGKILL to pid's process group (and pid, in case it had not made its group yet), then waits
// for it.
void KillAndReap(pid_t pid);

}  // namespace strata::test
