// MotoServer: a real moto_server (an S3 and IAM emulator) for tests, on a loopback port the
// kernel picks, in a scratch directory, killed when the object goes away.
//
//   if (!test::MotoServer::Available()) GTEST_SKIP() << test::MotoServer::SkipReason();
//   auto server = test::MotoServer::Start();
//   ASSERT_TRUE(server.ok()) << server.status().ToString();
//   ASSERT_TRUE((*server)->CreateBucket("bucket").ok());
//   ... S3Options{.endpoint = (*server)->endpoint()} ...
//
// moto accepts unsigned requests and any credentials until auth is enforced: EnforceAuth()
// makes it verify every later request's SigV4 signature against its IAM users (create one
// first with CreateIamUser), or MotoServerOptions::env can set INITIAL_NO_AUTH_ACTION_COUNT=N
// for moto to enforce it by itself after N requests.
//
// The server binds port 0 and Start() reads the port it got from its log, so no other process
// can take the port in between. Start() returns once the server answers HTTP.
//
// Cleanup: the destructor sends SIGKILL to the server's process group, reaps it and removes the
// directory, also when the test failed. If the test process dies, the server gets SIGKILL from
// the kernel (PR_SET_PDEATHSIG; the signal follows the thread that called Start(), so start
// servers from the test's own thread, or from SetUpTestSuite).
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "base/result.h"
#include "support/program.h"  // FindProgram, RunProgram: the tests run peers too
#include "support/test_util.h"

namespace strata::test {

struct MotoServerOptions {
  // "NAME=value" entries added to the server's environment.
  std::vector<std::string> env;
  // How long the server may take to answer (python imports take a second or two).
  std::chrono::milliseconds start_timeout{30'000};
};

class MotoServer {
 public:
  // Whether moto_server can be found ($STRATA_MOTO_SERVER, $PATH, ~/.pyenv/shims).
  static bool Available();
  // Why Available() is false, for GTEST_SKIP().
  static std::string SkipReason();

  static Result<std::unique_ptr<MotoServer>> Start(const MotoServerOptions& options = {});

  ~MotoServer();
  MotoServer(const MotoServer&) = delete;
  MotoServer& operator=(const MotoServer&) = delete;

  uint16_t port() const { return port_; }
  std::string endpoint() const;  // "http://127.0.0.1:<port>"
  const std::string& dir() const { return dir_.path(); }
  pid_t pid() const { return pid_; }

  struct Reply {
    int status = 0;
    std::string headers;  // the raw header block
    std::string body;
  };
  // One plain HTTP/1.1 request, unsigned, with an Authorization header whose scope names
  // service (moto routes by it). Fails only when no answer arrives.
  Result<Reply> Request(const std::string& method, const std::string& target,
                        const std::string& body = "", const std::string& service = "s3",
                        const std::vector<std::string>& headers = {}) const;

  Status CreateBucket(const std::string& name) const;

  struct AccessKey {
    std::string id;
    std::string secret;
  };
  // An IAM user allowed everything, and its access key. Before EnforceAuth().
  Result<AccessKey> CreateIamUser(const std::string& name) const;
  // From now on moto checks every request's signature and its signer's permissions.
  Status EnforceAuth() const;

  // SIGKILL the server's process group and reap it, now. Idempotent; the destructor calls it.
  void Kill();
  // The last max_bytes of the server's output, for failure messages.
  std::string LogTail(size_t max_bytes = 4000) const;

 private:
  MotoServer() = default;
  Status Launch(const MotoServerOptions& options);

  TempDir dir_;  // declared first: removed after the server is dead
  uint16_t port_ = 0;
  pid_t pid_ = -1;
};

}  // namespace strata::test
