#include "support/program.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <string_view>

extern char** environ;

namespace strata::test {

bool IsExecutable(const std::string& path) {
  struct stat st;
  return !path.empty() && ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode) &&
         ::access(path.c_str(), X_OK) == 0;
}

std::string FindProgram(const std::string& name, const std::vector<std::string>& fallbacks) {
  const char* path = std::getenv("PATH");
  std::string_view dirs = path == nullptr ? "" : path;
  while (!dirs.empty()) {
    const size_t colon = dirs.find(':');
    const std::string dir(dirs.substr(0, colon));
    dirs = colon == std::string_view::npos ? std::string_view() : dirs.substr(colon + 1);
    if (dir.empty()) continue;
    const std::string candidate = dir + "/" + name;
    if (IsExecutable(candidate)) return candidate;
  }
  for (const std::string& f : fallbacks) {
    if (IsExecutable(f)) return f;
  }
  return "";
}

std::vector<std::string> EnvironmentWith(const std::vector<std::string>& extra) {
  std::vector<std::string> env;
  for (char** e = environ; e != nullptr && *e != nullptr; e++) {
    const std::string entry(*e);
    const std::string name = entry.substr(0, entry.find('='));
    bool replaced = false;
    for (const std::string& x : extra) replaced = replaced || x.starts_with(name + "=");
    if (!replaced) env.push_back(entry);
  }
  env.insert(env.end(), extra.begin(), extra.end());
  return env;
}

std::vector<char*> ExecArgs(std::vector<std::string>& strings) {
  std::vector<char*> out;
  for (std::string& s : strings) out.push_back(s.data());
  out.push_back(nullptr);
  return out;
}

Result<std::string> RunProgram(const std::vector<std::string>& argv, const RunOptions& options) {
  std::vector<std::string> args = argv;
  std::vector<std::string> env = EnvironmentWith(options.extra_env);
  std::vector<char*> cargs = ExecArgs(args);
  std::vector<char*> cenv = ExecArgs(env);
  int out[2];
  if (::pipe2(out, O_CLOEXEC) != 0) return Status::IOError("pipe", std::strerror(errno));
  const pid_t pid = ::fork();
  if (pid < 0) {
    ::close(out[0]);
    ::close(out[1]);
    return Status::IOError("fork", std::strerror(errno));
  }
  if (pid == 0) {
    const int null_fd = ::open("/dev/null", O_RDONLY);
    if (null_fd >= 0) ::dup2(null_fd, STDIN_FILENO);
    ::dup2(out[1], STDOUT_FILENO);
    if (options.capture_stderr) ::dup2(out[1], STDERR_FILENO);
    ::execve(cargs[0], cargs.data(), cenv.data());
    ::_exit(127);
  }
  ::close(out[1]);
  std::string output;
  char buf[4096];
  while (true) {
    const ssize_t got = ::read(out[0], buf, sizeof(buf));
    if (got > 0) {
      output.append(buf, static_cast<size_t>(got));
    } else if (got == 0 || errno != EINTR) {
      break;
    }
  }
  ::close(out[0]);
  int wstatus = 0;
  while (::waitpid(pid, &wstatus, 0) < 0 && errno == EINTR) {
  }
  if (!WIFEXITED(wstatus) || WEXITSTATUS(wstatus) != 0) {
    std::string command;
    for (const std::string& a : argv) command += (command.empty() ? "" : " ") + a;
    return Status::IOError(command + " failed (wait status " + std::to_string(wstatus) + ")",
                           output);
  }
  return output;
}

Result<pid_t> StartServerProcess(const std::vector<std::string>& argv,
                                 const std::vector<std::string>& extra_env,
                                 const std::string& log_path, const std::string& work_dir) {
  // Everything the child needs is prepared before fork(): after it, only async-signal-safe
  // calls (the test binary may have threads).
  std::vector<std::string> args = argv;
  std::vector<std::string> env = EnvironmentWith(extra_env);
  std::vector<char*> cargs = ExecArgs(args);
  std::vector<char*> cenv = ExecArgs(env);
  const pid_t parent = ::getpid();
  const pid_t pid = ::fork();
  if (pid < 0) return Status::IOError("fork", std::strerror(errno));
  if (pid == 0) {
    ::setpgid(0, 0);
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != parent) ::_exit(1);  // the parent died before prctl
    if (!work_dir.empty() && ::chdir(work_dir.c_str()) != 0) ::_exit(1);
    const int null_fd = ::open("/dev/null", O_RDONLY);
    const int out_fd = ::open(log_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (null_fd >= 0) ::dup2(null_fd, STDIN_FILENO);
    if (out_fd >= 0) {
      ::dup2(out_fd, STDOUT_FILENO);
      ::dup2(out_fd, STDERR_FILENO);
    }
    ::execve(cargs[0], cargs.data(), cenv.data());
    ::_exit(127);
  }
  return pid;
}

void KillAndReap(pid_t pid) {
  if (pid <= 0) return;
  // SIGKILL also ends a stopped process.
  ::kill(-pid, SIGKILL);
  ::kill(pid, SIGKILL);
  int wstatus = 0;
  while (::waitpid(pid, &wstatus, 0) < 0 && errno == EINTR) {
  }
}

}  // namespace strata::test
