// Socket and Listener on loopback: connects that fail name the address, reads and writes that
// wait past their deadline fail naming the peer and the time, bytes arrive intact through
// writes bigger than the socket buffers, and a peer that goes away is an error, not a signal.
#include "net/socket.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <string>
#include <thread>

#include "net/listener.h"
#include "net/unique_fd.h"
#include "support/test_util.h"

namespace strata::net {
namespace {

using std::chrono::milliseconds;

#define EXPECT_MESSAGE_HAS(status, fragment) \
  EXPECT_NE((status).message().find(fragment), std::string::npos) << (status).ToString()

const HostPort kLoopbackAnyPort{"127.0.0.1", 0};

Listener MustListen(const HostPort& address = kLoopbackAnyPort, int backlog = 16) {
  Result<Listener> listener = Listener::Bind(address, backlog);
  EXPECT_TRUE(listener.ok()) << listener.status().ToString();
  return std::move(listener).value();
}

// A loopback port with nothing listening on it.
uint16_t ClosedPort() {
  Listener listener = MustListen();  // bound, then closed at the end of this scope
  return listener.port();
}

// Reads until the peer closes its end or n bytes have arrived.
std::string ReadAll(Socket* socket, size_t n) {
  std::string out;
  std::string buf(1 << 16, '\0');
  while (out.size() < n) {
    Result<size_t> got = socket->Read(buf.data(), buf.size(), DeadlineAfter(milliseconds(10'000)));
    EXPECT_TRUE(got.ok()) << got.status().ToString();
    if (!got.ok() || *got == 0) break;
    out.append(buf.data(), *got);
  }
  return out;
}

TEST(UniqueFdTest, ClosesOnceAndMovesOwnership) {
  int pipe_fds[2];
  ASSERT_EQ(::pipe(pipe_fds), 0);
  const int read_end = pipe_fds[0];
  ::close(pipe_fds[1]);
  {
    UniqueFd a(read_end);
    EXPECT_TRUE(a.valid());
    UniqueFd b(std::move(a));
    EXPECT_FALSE(a.valid());  // NOLINT: checking the moved-from state is the point
    EXPECT_EQ(b.get(), read_end);
    EXPECT_NE(::fcntl(read_end, F_GETFD), -1);  // still open while b owns it
  }
  errno = 0;
  EXPECT_EQ(::fcntl(read_end, F_GETFD), -1);
  EXPECT_EQ(errno, EBADF);

  UniqueFd released(::dup(STDIN_FILENO));
  const int fd = released.Release();
  EXPECT_FALSE(released.valid());
  EXPECT_NE(::fcntl(fd, F_GETFD), -1);  // Release() did not close it
  ::close(fd);
}

TEST(SocketTest, RefusedConnectNamesTheAddress) {
  const HostPort address{"127.0.0.1", ClosedPort()};
  Result<Socket> s = Socket::Connect(address, DeadlineAfter(milliseconds(5000)));
  ASSERT_FALSE(s.ok());
  EXPECT_TRUE(s.status().IsIOError());
  EXPECT_MESSAGE_HAS(s.status(), address.ToString() + ": connect: ");
  EXPECT_MESSAGE_HAS(s.status(), "refused");
}

TEST(SocketTest, UnresolvableHost) {
  Result<Socket> s =
      Socket::Connect({"no-such-host.invalid", 6379}, DeadlineAfter(milliseconds(5000)));
  ASSERT_FALSE(s.ok());
  EXPECT_TRUE(s.status().IsIOError());
  EXPECT_MESSAGE_HAS(s.status(), "no-such-host.invalid:6379: cannot resolve");
}

TEST(SocketTest, ReadPastItsDeadlineNamesThePeerAndTheWait) {
  // A listener that never accepts: the kernel completes the connect from the backlog, and
  // then nothing comes back.
  Listener silent = MustListen();
  Result<Socket> s =
      Socket::Connect({"127.0.0.1", silent.port()}, DeadlineAfter(milliseconds(5000)));
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EXPECT_EQ(s->name(), "127.0.0.1:" + std::to_string(silent.port()));
  char buf[16];
  const auto start = Clock::now();
  Result<size_t> got = s->Read(buf, sizeof(buf), DeadlineAfter(milliseconds(200)));
  const auto waited = Clock::now() - start;
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.status().ToString(), "IOError: " + s->name() + ": no data received for 0.2 s");
  EXPECT_GE(waited, milliseconds(190));
  EXPECT_LT(waited, milliseconds(5000));
}

TEST(SocketTest, BytesArriveIntactBothWaysAndShutdownEndsTheStream) {
  Listener listener = MustListen();
  Result<Socket> client =
      Socket::Connect({"127.0.0.1", listener.port()}, DeadlineAfter(milliseconds(5000)));
  ASSERT_TRUE(client.ok()) << client.status().ToString();
  Result<Socket> server = listener.Accept(DeadlineAfter(milliseconds(5000)));
  ASSERT_TRUE(server.ok()) << server.status().ToString();
  // The accepted side is named after the client's address: its own port, not the listener's.
  EXPECT_TRUE(server->name().starts_with("127.0.0.1:")) << server->name();
  EXPECT_NE(server->name(), "127.0.0.1:" + std::to_string(listener.port()));

  // Far more than the socket buffers hold: WriteAll must wait for the reader repeatedly.
  const std::string payload = strata::test::RandomBytes(7, 8 << 20);
  std::string received;
  std::thread reader([&] { received = ReadAll(&*server, payload.size() + 1); });
  Status s = client->WriteAll(payload, DeadlineAfter(milliseconds(20'000)));
  ASSERT_TRUE(s.ok()) << s.ToString();
  ASSERT_TRUE(client->ShutdownWrite().ok());
  reader.join();
  EXPECT_TRUE(received == payload) << "received " << received.size() << " of " << payload.size();

  // The other direction still works after the client's shutdown.
  ASSERT_TRUE(server->WriteAll("pong", DeadlineAfter(milliseconds(5000))).ok());
  EXPECT_EQ(ReadAll(&*client, 4), "pong");
}

TEST(SocketTest, WriteToAPeerThatReadsNothingTimesOut) {
  Listener listener = MustListen();
  Result<Socket> client =
      Socket::Connect({"127.0.0.1", listener.port()}, DeadlineAfter(milliseconds(5000)));
  ASSERT_TRUE(client.ok()) << client.status().ToString();
  Result<Socket> server = listener.Accept(DeadlineAfter(milliseconds(5000)));
  ASSERT_TRUE(server.ok());
  const std::string payload(64 << 20, 'x');  // more than both socket buffers together
  const auto start = Clock::now();
  Status s = client->WriteAll(payload, DeadlineAfter(milliseconds(300)));
  EXPECT_LT(Clock::now() - start, milliseconds(5000));
  ASSERT_FALSE(s.ok());
  EXPECT_TRUE(s.IsIOError());
  EXPECT_MESSAGE_HAS(s, client->name() + ": sending timed out after 0.3 s (");
  EXPECT_MESSAGE_HAS(s, " of 67108864 bytes sent)");
}

TEST(SocketTest, WriteToAPeerThatLeftIsAnErrorNotASignal) {
  Listener listener = MustListen();
  Result<Socket> client =
      Socket::Connect({"127.0.0.1", listener.port()}, DeadlineAfter(milliseconds(5000)));
  ASSERT_TRUE(client.ok());
  {
    Result<Socket> server = listener.Accept(DeadlineAfter(milliseconds(5000)));
    ASSERT_TRUE(server.ok());
  }  // the server side closes
  // The first write may still be taken by the kernel; the peer answers it with a reset, and a
  // later one fails (with EPIPE or ECONNRESET; without MSG_NOSIGNAL it would kill us).
  Status s;
  for (int i = 0; i < 50 && s.ok(); i++) {
    s = client->WriteAll("hello", DeadlineAfter(milliseconds(1000)));
    if (s.ok()) std::this_thread::sleep_for(milliseconds(10));
  }
  ASSERT_FALSE(s.ok());
  EXPECT_TRUE(s.IsIOError());
  EXPECT_MESSAGE_HAS(s, client->name() + ": sending: ");
}

TEST(SocketTest, ReadSeesTheEndOfTheStream) {
  Listener listener = MustListen();
  Result<Socket> client =
      Socket::Connect({"127.0.0.1", listener.port()}, DeadlineAfter(milliseconds(5000)));
  ASSERT_TRUE(client.ok());
  {
    Result<Socket> server = listener.Accept(DeadlineAfter(milliseconds(5000)));
    ASSERT_TRUE(server.ok());
    ASSERT_TRUE(server->WriteAll("bye", DeadlineAfter(milliseconds(5000))).ok());
  }
  char buf[16];
  std::string got;
  while (true) {
    Result<size_t> n = client->Read(buf, sizeof(buf), DeadlineAfter(milliseconds(5000)));
    ASSERT_TRUE(n.ok()) << n.status().ToString();
    if (*n == 0) break;
    got.append(buf, *n);
  }
  EXPECT_EQ(got, "bye");
}

TEST(ListenerTest, AcceptPastItsDeadline) {
  Listener listener = MustListen();
  Result<Socket> s = listener.Accept(DeadlineAfter(milliseconds(100)));
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().ToString(), "IOError: 127.0.0.1:" + std::to_string(listener.port()) +
                                       ": no connection within 0.1 s");
}

TEST(ListenerTest, BindErrorsNameTheAddress) {
  Result<Listener> named = Listener::Bind({"localhost", 0});
  ASSERT_FALSE(named.ok());
  EXPECT_TRUE(named.status().IsInvalidArgument());
  EXPECT_MESSAGE_HAS(named.status(), "listen on localhost:0: not a numeric");

  Listener taken = MustListen();
  Result<Listener> again = Listener::Bind({"127.0.0.1", taken.port()});
  ASSERT_FALSE(again.ok());
  EXPECT_TRUE(again.status().IsIOError());
  EXPECT_MESSAGE_HAS(again.status(),
                     "listen on 127.0.0.1:" + std::to_string(taken.port()) + ": bind: ");
}

TEST(SocketTest, Ipv6Loopback) {
  Result<Listener> v6 = Listener::Bind({"::1", 0});
  if (!v6.ok()) GTEST_SKIP() << "no IPv6 loopback here: " << v6.status().ToString();
  Result<Socket> s = Socket::Connect({"::1", v6->port()}, DeadlineAfter(milliseconds(5000)));
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EXPECT_EQ(s->name(), "[::1]:" + std::to_string(v6->port()));
  Result<Socket> accepted = v6->Accept(DeadlineAfter(milliseconds(5000)));
  ASSERT_TRUE(accepted.ok());
  EXPECT_TRUE(accepted->name().starts_with("[::1]:")) << accepted->name();
}

TEST(SocketTest, HostNameResolvesToItsAddresses) {
  // "localhost" resolves to ::1 or 127.0.0.1 first; a listener on 127.0.0.1 only is still
  // reached, through the next address when the first is refused.
  Listener v4 = MustListen();
  Result<Socket> by_name =
      Socket::Connect({"localhost", v4.port()}, DeadlineAfter(milliseconds(5000)));
  ASSERT_TRUE(by_name.ok()) << by_name.status().ToString();
  EXPECT_EQ(by_name->name(), "localhost:" + std::to_string(v4.port()));
}

}  // namespace
}  // namespace strata::net
