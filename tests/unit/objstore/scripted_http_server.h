// ScriptedHttpServer: an HTTP/1.1 server on a loopback port for tests that need to see what a
// client sends and to answer it exactly so: it records every request (line, headers, body) and
// answers each with the next scripted reply, sent as raw bytes, then closes the connection.
// An empty reply closes the connection without answering (a request lost in flight); once the
// script runs out, every request gets "200 OK" with no body. One connection at a time.
#pragma once

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cctype>
#include <deque>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace strata::test {

struct CapturedRequest {
  std::string method;
  std::string target;                // as on the request line
  std::vector<std::string> headers;  // "Name: value" as received
  std::string body;

  // The value of the first header named name (any case), or "" when there is none.
  std::string Header(const std::string& name) const {
    for (const std::string& h : headers) {
      const size_t colon = h.find(':');
      if (colon != name.size()) continue;
      bool same = true;
      for (size_t i = 0; i < colon && same; i++) {
        same = std::tolower(static_cast<unsigned char>(h[i])) ==
               std::tolower(static_cast<unsigned char>(name[i]));
      }
      if (!same) continue;
      size_t v = colon + 1;
      while (v < h.size() && h[v] == ' ') v++;
      return h.substr(v);
    }
    return "";
  }
};

class ScriptedHttpServer {
 public:
  ScriptedHttpServer() {
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof(addr);
    if (fd_ < 0 || ::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0 ||
        ::listen(fd_, 16) != 0 ||
        ::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
      ADD_FAILURE() << "cannot listen on loopback";
      return;
    }
    port_ = ntohs(addr.sin_port);
    thread_ = std::thread([this] { Serve(); });
  }
  ~ScriptedHttpServer() {
    stop_ = true;
    if (thread_.joinable()) thread_.join();
    if (fd_ >= 0) ::close(fd_);
  }
  ScriptedHttpServer(const ScriptedHttpServer&) = delete;
  ScriptedHttpServer& operator=(const ScriptedHttpServer&) = delete;

  std::string endpoint() const { return "http://127.0.0.1:" + std::to_string(port_); }
  std::string host() const { return "127.0.0.1:" + std::to_string(port_); }

  // Replies for the next requests, in order (appended to what is left of the script).
  void Script(const std::vector<std::string>& replies) {
    std::lock_guard<std::mutex> lock(mu_);
    script_.insert(script_.end(), replies.begin(), replies.end());
  }

  // The requests received since the last call.
  std::vector<CapturedRequest> Take() {
    std::lock_guard<std::mutex> lock(mu_);
    return std::move(requests_);
  }

  // An answer with the given status line, headers ("Name: value") and body; Content-Length is
  // the body's unless headers give one (to announce more than is sent).
  static std::string Reply(const std::string& status, const std::vector<std::string>& headers,
                           const std::string& body = "") {
    std::string out = "HTTP/1.1 " + status + "\r\n";
    bool has_length = false;
    for (const std::string& h : headers) {
      out += h + "\r\n";
      has_length = has_length || h.starts_with("Content-Length:");
    }
    if (!has_length) out += "Content-Length: " + std::to_string(body.size()) + "\r\n";
    return out + "Connection: close\r\n\r\n" + body;
  }
  // An S3 error answer.
  static std::string S3Error(const std::string& status, const std::string& code) {
    return Reply(status, {"Content-Type: application/xml"},
                 "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>" + code +
                     "</Code><Message>scripted " + code + "</Message></Error>");
  }

 private:
  void Serve() {
    while (!stop_) {
      pollfd p{fd_, POLLIN, 0};
      if (::poll(&p, 1, 50) <= 0) continue;
      const int c = ::accept4(fd_, nullptr, nullptr, SOCK_CLOEXEC);
      if (c < 0) continue;
      CapturedRequest request;
      if (Read(c, &request)) {
        std::string reply = "HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
        {
          // Recorded before the answer goes out: once the client has its answer, Take() sees
          // the request.
          std::lock_guard<std::mutex> lock(mu_);
          requests_.push_back(std::move(request));
          if (!script_.empty()) {
            reply = std::move(script_.front());
            script_.pop_front();
          }
        }
        size_t sent = 0;
        while (sent < reply.size()) {
          const ssize_t n = ::send(c, reply.data() + sent, reply.size() - sent, MSG_NOSIGNAL);
          if (n <= 0) break;
          sent += static_cast<size_t>(n);
        }
      }
      ::close(c);
    }
  }

  static bool ReadMore(int c, std::string* buf) {
    pollfd p{c, POLLIN, 0};
    if (::poll(&p, 1, 10'000) <= 0) return false;
    char chunk[65536];
    const ssize_t n = ::recv(c, chunk, sizeof(chunk), 0);
    if (n <= 0) return false;
    buf->append(chunk, static_cast<size_t>(n));
    return true;
  }

  static bool Read(int c, CapturedRequest* out) {
    std::string buf;
    size_t end;
    while ((end = buf.find("\r\n\r\n")) == std::string::npos) {
      if (!ReadMore(c, &buf)) return false;
    }
    const std::string head = buf.substr(0, end);
    buf.erase(0, end + 4);
    size_t line_end = head.find("\r\n");
    const std::string request_line = head.substr(0, line_end);
    out->method = request_line.substr(0, request_line.find(' '));
    out->target = request_line.substr(out->method.size() + 1);
    out->target = out->target.substr(0, out->target.rfind(' '));
    while (line_end != std::string::npos) {
      const size_t start = line_end + 2;
      line_end = head.find("\r\n", start);
      out->headers.push_back(head.substr(start, line_end - start));
    }
    const std::string length = out->Header("Content-Length");
    const bool chunked = out->Header("Transfer-Encoding").find("chunked") != std::string::npos;
    if (!out->Header("Expect").empty()) {
      static constexpr char kContinue[] = "HTTP/1.1 100 Continue\r\n\r\n";
      (void)!::send(c, kContinue, sizeof(kContinue) - 1, MSG_NOSIGNAL);
    }
    if (chunked) {
      while (buf.find("0\r\n\r\n") == std::string::npos) {
        if (!ReadMore(c, &buf)) return false;
      }
    } else {
      const size_t n = length.empty() ? 0 : std::stoul(length);
      while (buf.size() < n) {
        if (!ReadMore(c, &buf)) return false;
      }
    }
    out->body = buf;
    return true;
  }

  int fd_ = -1;
  uint16_t port_ = 0;
  std::atomic<bool> stop_{false};
  std::thread thread_;
  std::mutex mu_;  // guards requests_ and script_
  std::vector<CapturedRequest> requests_;
  std::deque<std::string> script_;
};

}  // namespace strata::test
