#include "support/redis_server.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <thread>

#include "support/program.h"
#include "support/test_util.h"

namespace strata::test {

namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

constexpr int kClusterBusOffset = 10000;  // Redis puts the cluster bus at port + 10000
constexpr int kStartAttempts = 5;         // ports that may be taken under our feet
constexpr milliseconds kPollInterval{20};

// A socket that closes itself.
struct Socket {
  int fd = -1;
  explicit Socket(int f) : fd(f) {}
  ~Socket() {
    if (fd >= 0) ::close(fd);
  }
  Socket(const Socket&) = delete;
  Socket& operator=(const Socket&) = delete;
};

sockaddr_in Loopback(uint16_t port) {
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return addr;
}

bool CanBind(uint16_t port) {
  Socket s(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
  if (s.fd < 0) return false;
  sockaddr_in addr = Loopback(port);
  return ::bind(s.fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0;
}

// A port the kernel considers free now (and port + 10000 too, with cluster_bus); 0 if none
// turned up.
uint16_t PickFreePort(bool cluster_bus) {
  for (int attempt = 0; attempt < 200; attempt++) {
    Socket s(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
    if (s.fd < 0) return 0;
    sockaddr_in addr = Loopback(0);
    socklen_t len = sizeof(addr);
    if (::bind(s.fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0 ||
        ::getsockname(s.fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
      return 0;
    }
    const int port = ntohs(addr.sin_port);
    if (!cluster_bus) return static_cast<uint16_t>(port);
    if (port + kClusterBusOffset <= 65535 &&
        CanBind(static_cast<uint16_t>(port + kClusterBusOffset))) {
      return static_cast<uint16_t>(port);
    }
  }
  return 0;
}

// Connects to 127.0.0.1:port, sends PING and returns the first line of the answer ("" when
// there is none within timeout).
std::string PingOnce(uint16_t port, milliseconds timeout) {
  Socket s(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
  if (s.fd < 0) return "";
  sockaddr_in addr = Loopback(port);
  if (::connect(s.fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) return "";
  static constexpr char kPing[] = "PING\r\n";
  if (::send(s.fd, kPing, sizeof(kPing) - 1, MSG_NOSIGNAL) != sizeof(kPing) - 1) return "";
  std::string reply;
  const Clock::time_point deadline = Clock::now() + timeout;
  while (reply.find('\n') == std::string::npos) {
    const auto left = std::chrono::duration_cast<milliseconds>(deadline - Clock::now()).count();
    if (left <= 0) return "";
    pollfd p{s.fd, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(left)) <= 0) continue;
    char buf[256];
    const ssize_t got = ::recv(s.fd, buf, sizeof(buf), 0);
    if (got <= 0) return "";
    reply.append(buf, static_cast<size_t>(got));
  }
  return reply.substr(0, reply.find('\n'));
}

}  // namespace

bool RedisServer::Available() { return IsExecutable(kServerBinary) && IsExecutable(kCliBinary); }

std::string RedisServer::SkipReason() {
  return std::string(kServerBinary) + " or " + kCliBinary +
         " is not installed (apt-get install redis-server)";
}

Result<std::unique_ptr<RedisServer>> RedisServer::Start(const RedisServerOptions& options) {
  Status last = Status::IOError("no free loopback port found");
  for (int attempt = 0; attempt < kStartAttempts; attempt++) {
    const uint16_t port = PickFreePort(options.cluster_bus);
    if (port == 0) break;
    std::unique_ptr<RedisServer> server(new RedisServer());
    if (server->dir().empty()) return Status::IOError("cannot create a scratch directory");
    bool port_taken = false;
    last = server->Launch(options, port, &port_taken);
    if (last.ok()) return server;
    if (!port_taken) return last;
    // The port went to someone else between our check and the server's bind: try another.
  }
  return last;
}

Status RedisServer::Launch(const RedisServerOptions& options, uint16_t port, bool* port_taken) {
  port_ = port;
  const std::string config_path = dir() + "/redis.conf";
  {
    std::ofstream config(config_path);
    config << "port " << port << "\n"
           << "bind " << host_ << "\n"
           << "dir \"" << dir() << "\"\n"
           << "logfile \"" << dir() << "/redis.log\"\n"
           << "daemonize no\n"
           << "save \"\"\n"
           << "appendonly no\n";
    for (const std::string& line : options.config_lines) config << line << "\n";
    if (!config) return Status::IOError("cannot write " + config_path);
  }

  auto pid = StartServerProcess({kServerBinary, config_path}, {}, dir() + "/stdout.log");
  if (!pid.ok()) return pid.status();
  pid_ = *pid;
  Status s = WaitUntilReady(options.start_timeout, port_taken);
  if (!s.ok()) Kill();
  return s;
}

Status RedisServer::WaitUntilReady(milliseconds timeout, bool* port_taken) {
  const Clock::time_point deadline = Clock::now() + timeout;
  std::string last_answer;
  while (Clock::now() < deadline) {
    int wstatus = 0;
    if (::waitpid(pid_, &wstatus, WNOHANG) == pid_) {
      pid_ = -1;
      const std::string log = LogTail() + ReadFile(dir() + "/stdout.log");
      *port_taken = log.find("Address already in use") != std::string::npos;
      return Status::IOError("redis-server on port " + std::to_string(port_) +
                             " exited during start-up (status " + std::to_string(wstatus) +
                             "); its log ends with:\n" + log);
    }
    last_answer = PingOnce(port_, milliseconds(500));
    // -NOAUTH: up, and wants a password. -LOADING and friends: not ready yet.
    if (last_answer.starts_with("+PONG") || last_answer.starts_with("-NOAUTH")) {
      return Status::OK();
    }
    std::this_thread::sleep_for(kPollInterval);
  }
  return Status::IOError("redis-server on port " + std::to_string(port_) +
                         " did not answer PING within " + std::to_string(timeout.count()) +
                         " ms (last answer: \"" + last_answer + "\"); its log ends with:\n" +
                         LogTail());
}

RedisServer::~RedisServer() { Kill(); }

std::string RedisServer::address() const { return host_ + ":" + std::to_string(port_); }

std::string RedisServer::RdbPath() const { return dir() + "/dump.rdb"; }

void RedisServer::Kill() {
  // The whole group: the server and any BGSAVE child.
  KillAndReap(pid_);
  pid_ = -1;
}

void RedisServer::Pause() {
  if (pid_ > 0) ::kill(pid_, SIGSTOP);
}

void RedisServer::Resume() {
  if (pid_ > 0) ::kill(pid_, SIGCONT);
}

std::string RedisServer::LogTail(size_t max_bytes) const {
  const std::string log = ReadFile(dir() + "/redis.log");
  return log.size() <= max_bytes ? log : log.substr(log.size() - max_bytes);
}

Result<std::string> RedisServer::Cli(const std::vector<std::string>& args) const {
  std::vector<std::string> full = {kCliBinary, "-h", host_, "-p", std::to_string(port_)};
  full.insert(full.end(), args.begin(), args.end());
  RunOptions options;
  options.capture_stderr = false;  // the output is redis-cli's answer alone
  return RunProgram(full, options);
}

}  // namespace strata::test
