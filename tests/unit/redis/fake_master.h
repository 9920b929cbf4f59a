// FakeMaster: a scripted stand-in for a Redis master, for the replication answers a real
// server does not give on demand: keepalives in odd places, payloads cut short, an end mark
// split across packets, +CONTINUE, a server too old for PSYNC.
//
// It listens on a free loopback port, accepts one connection and runs the script on it in
// a thread; the connection closes when the script returns. Every wait is bounded (10 s), so
// a script that expects more than the client sends ends instead of hanging the test.
#pragma once

#include <algorithm>
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "net/host_port.h"
#include "net/listener.h"
#include "net/socket.h"
#include "resp/parser.h"

namespace strata::redis::test {

class FakeMaster {
 public:
  static constexpr std::chrono::milliseconds kWait{10'000};

  // One accepted connection, as the script sees it.
  class Session {
   public:
    explicit Session(net::Socket socket)
        : socket_(std::move(socket)), parser_("client " + socket_.name()) {}

    // The next command, or an empty vector when the client closed or sent nothing in time.
    std::vector<std::string> ReadCommand() {
      std::vector<std::string> command;
      while (true) {
        Result<std::optional<resp::Value>> value = parser_.Next();
        if (!value.ok()) return command;
        if (value->has_value()) {
          for (const resp::Value& arg : (*value)->elements) command.push_back(arg.text);
          commands.push_back(command);
          return command;
        }
        char buf[4096];
        Result<size_t> got = socket_.Read(buf, sizeof(buf), net::DeadlineAfter(kWait));
        if (!got.ok() || *got == 0) return command;
        parser_.Feed(Slice(buf, *got));
      }
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

    // A client that is gone shows on its own side; the script goes on regardless.
    void Write(std::string_view bytes) {
      (void)socket_.WriteAll(Slice(bytes.data(), bytes.size()), net::DeadlineAfter(kWait));
    }

    // Writes bytes in pieces with a pause between, so that they arrive in separate reads.
    void WriteInPieces(std::string_view bytes, size_t piece, std::chrono::milliseconds pause) {
      while (!bytes.empty()) {
        Write(bytes.substr(0, piece));
        bytes.remove_prefix(std::min(piece, bytes.size()));
        std::this_thread::sleep_for(pause);
      }
    }

    // Waits until the client closes its end (or kWait passes without a byte).
    void WaitForClose() {
      char buf[4096];
      while (true) {
        Result<size_t> got = socket_.Read(buf, sizeof(buf), net::DeadlineAfter(kWait));
        if (!got.ok() || *got == 0) return;
      }
    }

    std::vector<std::vector<std::string>> commands;  // every command read, in order

   private:
    net::Socket socket_;
    resp::Parser parser_;  // the client's commands
  };

  using Script = std::function<void(Session&)>;

  explicit FakeMaster(Script script) {
    Result<net::Listener> listener = net::Listener::Bind({"127.0.0.1", 0});
    if (!listener.ok()) return;  // address() then names port 0, and the test fails to connect
    listener_ = std::make_unique<net::Listener>(std::move(listener).value());
    thread_ = std::thread([this, script = std::move(script)] {
      Result<net::Socket> socket = listener_->Accept(net::DeadlineAfter(kWait));
      if (!socket.ok()) return;
      Session session(std::move(socket).value());
      script(session);
      commands_ = std::move(session.commands);
    });
  }

  ~FakeMaster() { Join(); }

  net::HostPort address() const {
    return net::HostPort{"127.0.0.1", listener_ ? listener_->port() : uint16_t{0}};
  }

  // Waits for the script to end and returns the commands it read.
  const std::vector<std::vector<std::string>>& Join() {
    if (thread_.joinable()) thread_.join();
    return commands_;
  }

 private:
  std::unique_ptr<net::Listener> listener_;
  std::thread thread_;
  std::vector<std::vector<std::string>> commands_;  // written by thread_ until joined
};

}  // namespace strata::redis::test
