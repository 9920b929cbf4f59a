#include "support/moto_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <thread>

#include "support/program.h"

namespace strata::test {

namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

constexpr char kLogName[] = "moto.log";

std::string MotoBinary() {
  const char* override_path = std::getenv("STRATA_MOTO_SERVER");
  if (override_path != nullptr && *override_path != '\0') {
    return IsExecutable(override_path) ? override_path : "";
  }
  const char* home = std::getenv("HOME");
  std::vector<std::string> fallbacks = {"/usr/local/bin/moto_server"};
  if (home != nullptr) fallbacks.push_back(std::string(home) + "/.pyenv/shims/moto_server");
  return FindProgram("moto_server", fallbacks);
}

// The port in the server's "Running on http://127.0.0.1:<port>" line, or 0.
uint16_t PortFromLog(const std::string& log) {
  static constexpr char kMarker[] = "Running on http://127.0.0.1:";
  const size_t at = log.find(kMarker);
  if (at == std::string::npos) return 0;
  int port = 0;
  for (size_t i = at + sizeof(kMarker) - 1; i < log.size() && log[i] >= '0' && log[i] <= '9'; i++) {
    port = port * 10 + (log[i] - '0');
    if (port > 65535) return 0;
  }
  return static_cast<uint16_t>(port);
}

std::string UrlEncodeForm(const std::string& s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

// The text between <tag> and </tag>, or "".
std::string XmlValue(const std::string& xml, const std::string& tag) {
  const size_t start = xml.find("<" + tag + ">");
  if (start == std::string::npos) return "";
  const size_t from = start + tag.size() + 2;
  const size_t end = xml.find("</" + tag + ">", from);
  return end == std::string::npos ? "" : xml.substr(from, end - from);
}

}  // namespace

bool MotoServer::Available() { return !MotoBinary().empty(); }

std::string MotoServer::SkipReason() {
  return "moto_server is not installed (pip install 'moto[server]'), or set "
         "STRATA_MOTO_SERVER to its path";
}

Result<std::unique_ptr<MotoServer>> MotoServer::Start(const MotoServerOptions& options) {
  std::unique_ptr<MotoServer> server(new MotoServer());
  if (server->dir().empty()) return Status::IOError("cannot create a scratch directory");
  Status s = server->Launch(options);
  if (!s.ok()) return s;
  return server;
}

Status MotoServer::Launch(const MotoServerOptions& options) {
  const std::string binary = MotoBinary();
  if (binary.empty()) return Status::NotSupported(SkipReason());
  auto pid = StartServerProcess({binary, "-H", "127.0.0.1", "-p", "0"}, options.env,
                                dir() + "/" + kLogName, dir());
  if (!pid.ok()) return pid.status();
  pid_ = *pid;

  const Clock::time_point deadline = Clock::now() + options.start_timeout;
  Status last = Status::IOError("moto_server did not start");
  while (Clock::now() < deadline) {
    int wstatus = 0;
    if (::waitpid(pid_, &wstatus, WNOHANG) == pid_) {
      pid_ = -1;
      return Status::IOError("moto_server exited during start-up (wait status " +
                             std::to_string(wstatus) + "); its output ends with:\n" + LogTail());
    }
    if (port_ == 0) port_ = PortFromLog(ReadFile(dir() + "/" + kLogName));
    if (port_ != 0) {
      // moto's own API answers without touching any service (or auth's request count).
      auto reply = Request("GET", "/moto-api/data.json");
      if (reply.ok() && reply->status == 200) return Status::OK();
      last = reply.ok()
                 ? Status::IOError("moto_server answered HTTP " + std::to_string(reply->status))
                 : reply.status();
    }
    std::this_thread::sleep_for(milliseconds(50));
  }
  Kill();
  return Status::IOError("moto_server did not answer within " +
                         std::to_string(options.start_timeout.count()) + " ms (" + last.ToString() +
                         "); its output ends with:\n" + LogTail());
}

MotoServer::~MotoServer() { Kill(); }

std::string MotoServer::endpoint() const { return "http://127.0.0.1:" + std::to_string(port_); }

void MotoServer::Kill() {
  KillAndReap(pid_);
  pid_ = -1;
}

std::string MotoServer::LogTail(size_t max_bytes) const {
  const std::string log = ReadFile(dir() + "/" + kLogName);
  return log.size() <= max_bytes ? log : log.substr(log.size() - max_bytes);
}

Result<MotoServer::Reply> MotoServer::Request(const std::string& method, const std::string& target,
                                              const std::string& body, const std::string& service,
                                              const std::vector<std::string>& headers) const {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return Status::IOError("socket", std::strerror(errno));
  struct Closer {
    int fd;
    ~Closer() { ::close(fd); }
  } closer{fd};
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port_);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
    return Status::IOError("connect to moto_server", std::strerror(errno));
  }
  std::string request = method + " " + target +
                        " HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(port_) +
                        "\r\nConnection: close\r\n"
                        "Authorization: AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/"
                        "20240101/us-east-1/" +
                        service + "/aws4_request, SignedHeaders=host, Signature=0\r\n";
  for (const std::string& h : headers) request += h + "\r\n";
  request += "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
  size_t sent = 0;
  while (sent < request.size()) {
    const ssize_t n = ::send(fd, request.data() + sent, request.size() - sent, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return Status::IOError("send to moto_server", std::strerror(errno));
    sent += static_cast<size_t>(n);
  }
  // moto closes the connection after each answer.
  std::string raw;
  const Clock::time_point deadline = Clock::now() + milliseconds(30'000);
  while (true) {
    const auto left = std::chrono::duration_cast<milliseconds>(deadline - Clock::now()).count();
    if (left <= 0) return Status::IOError("moto_server did not finish its answer in 30 s");
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(left)) <= 0) continue;
    char buf[65536];
    const ssize_t got = ::recv(fd, buf, sizeof(buf), 0);
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) break;
    raw.append(buf, static_cast<size_t>(got));
  }
  const size_t end = raw.find("\r\n\r\n");
  if (!raw.starts_with("HTTP/1.") || raw.size() < 12 || end == std::string::npos) {
    return Status::IOError("not an HTTP answer from moto_server", raw.substr(0, 200));
  }
  Reply reply;
  reply.status = std::atoi(raw.c_str() + 9);
  reply.headers = raw.substr(0, end);
  reply.body = raw.substr(end + 4);
  return reply;
}

Status MotoServer::CreateBucket(const std::string& name) const {
  auto reply = Request("PUT", "/" + name);
  if (!reply.ok()) return reply.status();
  if (reply->status != 200) {
    return Status::IOError("CreateBucket " + name + ": HTTP " + std::to_string(reply->status),
                           reply->body);
  }
  return Status::OK();
}

Result<MotoServer::AccessKey> MotoServer::CreateIamUser(const std::string& name) const {
  const std::string policy =
      R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]})";
  const std::vector<std::string> form = {"Content-Type: application/x-www-form-urlencoded"};
  const std::vector<std::string> actions = {
      "Action=CreateUser&UserName=" + name,
      "Action=PutUserPolicy&UserName=" + name +
          "&PolicyName=all&PolicyDocument=" + UrlEncodeForm(policy),
      "Action=CreateAccessKey&UserName=" + name};
  std::string last_body;
  for (const std::string& action : actions) {
    auto reply = Request("POST", "/", action + "&Version=2010-05-08", "iam", form);
    if (!reply.ok()) return reply.status();
    if (reply->status != 200) {
      return Status::IOError(
          "IAM " + action.substr(0, action.find('&')) + ": HTTP " + std::to_string(reply->status),
          reply->body);
    }
    last_body = reply->body;
  }
  AccessKey key{XmlValue(last_body, "AccessKeyId"), XmlValue(last_body, "SecretAccessKey")};
  if (key.id.empty() || key.secret.empty()) {
    return Status::IOError("IAM CreateAccessKey: no key in the answer", last_body);
  }
  return key;
}

Status MotoServer::EnforceAuth() const {
  auto reply = Request("POST", "/moto-api/reset-auth", "0");
  if (!reply.ok()) return reply.status();
  if (reply->status != 200) {
    return Status::IOError("moto-api/reset-auth: HTTP " + std::to_string(reply->status),
                           reply->body);
  }
  return Status::OK();
}

}  // namespace strata::test
