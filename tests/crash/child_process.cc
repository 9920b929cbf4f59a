#include "crash/child_process.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>

extern char** environ;

namespace strata::crash {

Status ChildProcess::Start(const std::vector<std::string>& argv, const std::string& output_path,
                           std::unique_ptr<ChildProcess>* child) {
  std::vector<char*> args;
  for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, output_path.c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
  pid_t pid = 0;
  const int rc = posix_spawn(&pid, args[0], &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) return Status::IOError("spawn " + argv[0], std::strerror(rc));
  *child = std::make_unique<ChildProcess>(pid);
  return Status::OK();
}

ChildProcess::~ChildProcess() {
  if (pid_ != 0) (void)KillAndWait();
}

int ChildProcess::KillAndWait() {
  if (pid_ != 0) ::kill(pid_, SIGKILL);  // harmless if it has already exited (a zombie)
  return Wait();
}

int ChildProcess::Wait() {
  if (pid_ == 0) return kNoStatus;
  int status = 0;
  pid_t r;
  do {
    r = ::waitpid(pid_, &status, 0);
  } while (r < 0 && errno == EINTR);
  pid_ = 0;
  return r < 0 ? kNoStatus : status;
}

std::string DescribeWaitStatus(int status) {
  if (status == kNoStatus) return "no status (already reaped, or waitpid failed)";
  if (WIFEXITED(status)) return "exit " + std::to_string(WEXITSTATUS(status));
  if (WIFSIGNALED(status)) return "killed by signal " + std::to_string(WTERMSIG(status));
  return "wait status " + std::to_string(status);
}

std::string ReadFileOrEmpty(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

}  // namespace strata::crash
