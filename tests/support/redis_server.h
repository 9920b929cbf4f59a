// RedisServer: a real redis-server for tests, started on a free loopback port in a scratch
// directory and killed when the object goes away.
//
//   if (!test::RedisServer::Available()) GTEST_SKIP() << test::RedisServer::SkipReason();
//   auto server = test::RedisServer::Start({.config_lines = {"requirepass s3cret"}});
//   ASSERT_TRUE(server.ok()) << server.status().ToString();
//   (*server)->Cli({"SET", "k", "v"});           // redis-cli -p <port> SET k v
//   (*server)->Cli({"SAVE"});                     // writes (*server)->RdbPath()
//
// The generated configuration binds 127.0.0.1 only, keeps everything (log, dump.rdb,
// nodes.conf) in dir(), and turns persistence off (save "", appendonly no); config_lines
// come after it, so they may override any of it. Start() waits until the server answers
// PING (a -NOAUTH answer counts: the server is up, it wants a password).
//
// Cleanup: the destructor sends SIGKILL to the server's process group (the server and any
// BGSAVE child it forked), reaps the server, then removes the directory, also when the test
// failed. If the test process itself dies, the server gets SIGKILL from the kernel
// (PR_SET_PDEATHSIG), so no server outlives its test binary; a BGSAVE child still running
// then ends on its own. That signal follows the thread that called Start(): start servers
// from the test's own thread.
//
// Free ports: the kernel picks an unused port, which is released and handed to the server;
// should another process take it in between, Start() retries with a new port.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "base/result.h"
#include "support/test_util.h"

namespace strata::test {

struct RedisServerOptions {
  // redis.conf lines appended to the generated ones, e.g. "repl-diskless-sync yes".
  std::vector<std::string> config_lines;
  // Also require port + 10000 to be free: the cluster bus port of a cluster-enabled server.
  bool cluster_bus = false;
  // How long the server may take to answer PING.
  std::chrono::milliseconds start_timeout{20'000};
};

class RedisServer {
 public:
  static constexpr const char* kServerBinary = "/usr/bin/redis-server";
  static constexpr const char* kCliBinary = "/usr/bin/redis-cli";

  // Whether kServerBinary (and kCliBinary) can be run; tests skip when they cannot.
  static bool Available();
  // Why Available() is false, for GTEST_SKIP().
  static std::string SkipReason();

  // Starts a server and waits for it; on failure says why, with the end of its log.
  static Result<std::unique_ptr<RedisServer>> Start(const RedisServerOptions& options = {});

  ~RedisServer();
  RedisServer(const RedisServer&) = delete;
  RedisServer& operator=(const RedisServer&) = delete;

  const std::string& host() const { return host_; }  // "127.0.0.1"
  uint16_t port() const { return port_; }
  std::string address() const;  // "127.0.0.1:<port>"
  const std::string& dir() const { return dir_.path(); }
  std::string RdbPath() const;  // where SAVE writes: dir()/dump.rdb
  pid_t pid() const { return pid_; }

  // Runs redis-cli -h host -p port args... and returns its standard output, in redis-cli's
  // plain (non-terminal) format: "OK\n" for +OK, "1\n" for :1, and an error reply as its
  // text ("ERR unknown command ...\n"), which is not a failure here: check the output.
  // Fails when redis-cli cannot run or exits non-zero. A server with a password needs "-a",
  // password, "--no-auth-warning" first in args.
  Result<std::string> Cli(const std::vector<std::string>& args) const;

  // SIGKILL the server and its children and reap it, now (a crashed server). Idempotent;
  // the destructor calls it.
  void Kill();
  // SIGSTOP / SIGCONT to the server process alone: freeze it (a stalled peer), let it go on.
  void Pause();
  void Resume();
  // The last max_bytes of the server's log, for failure messages.
  std::string LogTail(size_t max_bytes = 4000) const;

 private:
  RedisServer() = default;
  // One attempt on one port. *port_taken is set when the port turned out to be in use.
  Status Launch(const RedisServerOptions& options, uint16_t port, bool* port_taken);
  Status WaitUntilReady(std::chrono::milliseconds timeout, bool* port_taken);

  TempDir dir_;  // declared first: removed after the server is dead
  std::string host_ = "127.0.0.1";
  uint16_t port_ = 0;
  pid_t pid_ = -1;
};

}  // namespace strata::test
