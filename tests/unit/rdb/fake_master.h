// FakeMaster: a scripted stand-in for a Redis master, for the replication answers a real
// server does not give on demand: keepalives in odd places, payloads cut short, an end mark
// split across packets, +CONTINUE, a server too old for PSYNC.
//
// It listens on a free loopback port, accepts one connection and runs the script on it in
// a thread; the connection closes when the script returns. Every wait is bounded (10 s), so
// a script that expects more than the client sends ends instead of hanging the test.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <functional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "rdb/redis_connection.h"
#include "rdb/resp_reader.h"

namespace strata::rdb::test {

class FakeMaster {
 public:
  static constexpr std::chrono::milliseconds kWait{10'000};

  // One accepted connection, as the script sees it.
  class Session final : public ByteStream {
   public:
    explicit Session(int fd) : fd_(fd), reader_(this, "client") {}
    ~Session() override { ::close(fd_); }

    // The next command, or an empty vector when the client closed or sent nothing in time.
    std::vector<std::string> ReadCommand() {
      Result<RespValue> value = reader_.ReadValue();
      std::vector<std::string> command;
      if (!value.ok()) return command;
      for (const RespValue& arg : value->elements) command.push_back(arg.text);
      commands.push_back(command);
      return command;
    }

    // Answers +OK to commands until PSYNC (or SYNC) arrives; returns its name.
    std::string AnswerHandshake() {
      while (true) {
        std::vector<std::string> command = ReadCommand();
        if (command.empty()) return "";
        if (command[0] == "PSYNC" || command[0] == "SYNC") return command[0];
        Write("+OK\r\n");
      }
    }

    void Write(std::string_view bytes) {
      while (!bytes.empty()) {
        const ssize_t put = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
        if (put <= 0) return;  // the client is gone; the test sees that on its side
        bytes.remove_prefix(static_cast<size_t>(put));
      }
    }

    // Writes bytes in pieces with a pause between, so that they arrive in separate reads.
    void WriteInPieces(std::string_view bytes, size_t piece, std::chrono::milliseconds pause) {
      while (!bytes.empty()) {
        Write(bytes.substr(0, piece));
        bytes.remove_prefix(std::min(piece, bytes.size()));
        std::this_thread::sleep_for(pause);
      }
    }

    // Waits until the client closes its end.
    void WaitForClose() {
      char buf[4096];
      while (true) {
        Result<size_t> got = ReadSome(buf, sizeof(buf));
        if (!got.ok() || *got == 0) return;
      }
    }

    Result<size_t> ReadSome(char* dst, size_t n) override {
      pollfd p{fd_, POLLIN, 0};
      if (::poll(&p, 1, static_cast<int>(kWait.count())) <= 0) return size_t{0};
      const ssize_t got = ::recv(fd_, dst, n, 0);
      return got > 0 ? static_cast<size_t>(got) : size_t{0};
    }

    std::vector<std::vector<std::string>> commands;  // every command read, in order

   private:
    int fd_;
    RespReader reader_;
  };

  using Script = std::function<void(Session&)>;

  explicit FakeMaster(Script script) {
    listen_fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof(addr);
    ::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr));
    ::listen(listen_fd_, 4);
    ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    thread_ = std::thread([this, script = std::move(script)] {
      pollfd p{listen_fd_, POLLIN, 0};
      if (::poll(&p, 1, static_cast<int>(kWait.count())) <= 0) return;
      const int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
      if (fd < 0) return;
      Session session(fd);
      script(session);
      commands_ = std::move(session.commands);
    });
  }

  ~FakeMaster() {
    Join();
    ::close(listen_fd_);
  }

  RedisAddress address() const { return RedisAddress{"127.0.0.1", port_}; }

  // Waits for the script to end and returns the commands it read.
  const std::vector<std::vector<std::string>>& Join() {
    if (thread_.joinable()) thread_.join();
    return commands_;
  }

 private:
  int listen_fd_ = -1;
  uint16_t port_ = 0;
  std::thread thread_;
  std::vector<std::vector<std::string>> commands_;  // written by thread_ until joined
};

}  // namespace strata::rdb::test
