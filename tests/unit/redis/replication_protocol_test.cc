// ReplicationSource against a scripted master (fake_master.h): the handshake it sends, the
// answers it accepts or refuses, and the payload framing, byte-exact, however the bytes are
// split. The same source against a real redis-server is in replication_source_test.cc.
#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "fake_master.h"
#include "redis/replication_source.h"
#include "support/test_util.h"

namespace strata::redis {
namespace {

using std::chrono::milliseconds;
using test::FakeMaster;

const std::string kReplId = "8e3fe8d1a4f2c9a75e0e1b6b2d0c4f1a9b3c7d21";
const std::string kMark = "4bf0a1e3c2d5f6a7b8c9d0e1f2a3b4c5d6e7f809";  // 40 bytes

// Reads the whole source in reads of read_size, as a parser would.
Result<std::string> Drain(ReplicationSource* source, size_t read_size) {
  std::string out;
  std::string buf(read_size, '\0');
  while (true) {
    Result<size_t> got = source->Read(buf.data(), buf.size());
    if (!got.ok()) return got.status();
    if (*got == 0) return out;
    out.append(buf.data(), *got);
  }
}

ReplicationOptions FastOptions() {
  ReplicationOptions options;
  options.handshake_timeout = milliseconds(5000);
  options.stall_timeout = milliseconds(5000);
  return options;
}

// A payload that tries to fool the mark detection: it holds the mark's first 39 bytes at
// chunk boundaries and ends with them, right before the real mark.
std::string TrickyPayload() {
  std::string payload = "REDIS0011" + strata::test::RandomBytes(1, 300'000);
  for (size_t at : {1000u, 65536u - 20u, 131072u}) {
    payload.replace(at, kMark.size() - 1, kMark.substr(0, kMark.size() - 1));
  }
  return payload + kMark.substr(0, kMark.size() - 1);
}

TEST(ReplicationProtocolTest, DisklessPayloadEndsAtTheMark) {
  const std::string payload = TrickyPayload();
  for (size_t read_size : {size_t{1} << 20, size_t{4096}, size_t{41}, size_t{7}}) {
    SCOPED_TRACE("read size " + std::to_string(read_size));
    FakeMaster master([&](FakeMaster::Session& s) {
      if (s.AnswerHandshake() != "PSYNC") return;
      // Keepalives before the answer and before the payload header, as a master waiting for
      // a BGSAVE sends them.
      s.Write("\n\n+FULLRESYNC " + kReplId + " 1234\r\n\n\n$EOF:" + kMark + "\r\n");
      s.WriteInPieces(payload + kMark, 70'000, milliseconds(2));
      s.WaitForClose();
    });
    auto source = ReplicationSource::Open(master.address(), FastOptions());
    ASSERT_TRUE(source.ok()) << source.status().ToString();
    EXPECT_EQ((*source)->mode(), TransferMode::kDiskless);
    EXPECT_FALSE((*source)->total_bytes().has_value());
    EXPECT_EQ((*source)->replication_id(), kReplId);
    EXPECT_EQ((*source)->replication_offset(), 1234);
    Result<std::string> got = Drain(source->get(), read_size);
    ASSERT_TRUE(got.ok()) << got.status().ToString();
    EXPECT_TRUE(*got == payload) << "got " << got->size() << " bytes, expected " << payload.size();
    EXPECT_EQ((*source)->bytes_read(), payload.size());
    // The end is sticky.
    char c;
    EXPECT_EQ(*(*source)->Read(&c, 1), 0u);
  }
}

TEST(ReplicationProtocolTest, HandshakeCommands) {
  FakeMaster master([](FakeMaster::Session& s) {
    s.AnswerHandshake();
    s.Write("+FULLRESYNC " + kReplId + " 0\r\n$5\r\nREDIS");
    s.WaitForClose();
  });
  ReplicationOptions options = FastOptions();
  options.password = "pw";
  options.user = "dumper";
  options.announce_port = 6390;
  auto source = ReplicationSource::Open(master.address(), options);
  ASSERT_TRUE(source.ok()) << source.status().ToString();
  EXPECT_EQ(*Drain(source->get(), 100), "REDIS");
  const std::vector<std::vector<std::string>> expected = {
      {"AUTH", "dumper", "pw"},
      {"REPLCONF", "listening-port", "6390"},
      {"REPLCONF", "capa", "eof", "capa", "psync2"},
      {"REPLCONF", "rdb-only", "1"},
      {"PSYNC", "?", "-1"},
  };
  EXPECT_EQ(master.Join(), expected);
}

TEST(ReplicationProtocolTest, MarkSplitAcrossPackets) {
  const std::string payload = "REDIS0009" + strata::test::RandomBytes(2, 5000);
  for (size_t split : {size_t{1}, size_t{13}, size_t{39}}) {
    SCOPED_TRACE("mark split after " + std::to_string(split));
    FakeMaster master([&](FakeMaster::Session& s) {
      s.AnswerHandshake();
      s.Write("+FULLRESYNC " + kReplId + " 0\r\n$EOF:" + kMark + "\r\n");
      s.Write(payload + kMark.substr(0, split));
      std::this_thread::sleep_for(milliseconds(30));
      s.Write(kMark.substr(split));
      s.WaitForClose();
    });
    auto source = ReplicationSource::Open(master.address(), FastOptions());
    ASSERT_TRUE(source.ok()) << source.status().ToString();
    Result<std::string> got = Drain(source->get(), 1 << 20);
    ASSERT_TRUE(got.ok()) << got.status().ToString();
    EXPECT_TRUE(*got == payload);
  }
}

TEST(ReplicationProtocolTest, DiskBasedPayloadStopsAtItsLength) {
  const std::string payload = "REDIS0009" + strata::test::RandomBytes(3, 200'000);
  FakeMaster master([&](FakeMaster::Session& s) {
    s.AnswerHandshake();
    s.Write("\n+FULLRESYNC " + kReplId + " 99\r\n\n\n\n$" + std::to_string(payload.size()) +
            "\r\n");
    // What follows the RDB (the write stream of a master without rdb-only) is not ours.
    s.WriteInPieces(payload + "*1\r\n$4\r\nPING\r\n", 50'000, milliseconds(1));
    s.WaitForClose();
  });
  auto source = ReplicationSource::Open(master.address(), FastOptions());
  ASSERT_TRUE(source.ok()) << source.status().ToString();
  EXPECT_EQ((*source)->mode(), TransferMode::kDiskBased);
  EXPECT_EQ((*source)->total_bytes(), payload.size());
  Result<std::string> got = Drain(source->get(), 10'000);
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_TRUE(*got == payload);
  EXPECT_EQ((*source)->bytes_read(), payload.size());
}

// Opens a source against a master that runs script after the handshake, and returns the
// error of Open() or of reading the payload to its end.
Status TransferError(const std::function<void(FakeMaster::Session&)>& script,
                     ReplicationOptions options = FastOptions(), std::string* name = nullptr) {
  FakeMaster master([&](FakeMaster::Session& s) {
    s.AnswerHandshake();
    script(s);
  });
  if (name != nullptr) *name = master.address().ToString();
  auto source = ReplicationSource::Open(master.address(), options);
  if (!source.ok()) return source.status();
  Result<std::string> got = Drain(source->get(), 1 << 20);
  if (!got.ok()) {
    // Failures are sticky.
    char c;
    Result<size_t> again = (*source)->Read(&c, 1);
    EXPECT_FALSE(again.ok());
    if (!again.ok()) {
      EXPECT_EQ(again.status().message(), got.status().message());
    }
    return got.status();
  }
  return Status::OK();
}

#define EXPECT_MESSAGE_HAS(status, fragment) \
  EXPECT_NE((status).message().find(fragment), std::string::npos) << (status).ToString()

TEST(ReplicationProtocolTest, TruncatedDiskBasedPayload) {
  std::string name;
  Status s = TransferError(
      [](FakeMaster::Session& s) {
        s.Write("+FULLRESYNC " + kReplId + " 0\r\n$1000\r\n" + std::string(500, 'x'));
      },
      FastOptions(), &name);
  EXPECT_TRUE(s.IsIOError()) << s.ToString();
  EXPECT_MESSAGE_HAS(s, name + ": RDB transfer, after 500 of 1000 bytes: connection closed");
}

TEST(ReplicationProtocolTest, TruncatedDisklessPayload) {
  std::string name;
  Status s = TransferError(
      [](FakeMaster::Session& s) {
        s.Write("+FULLRESYNC " + kReplId + " 0\r\n$EOF:" + kMark + "\r\n" + std::string(500, 'x'));
      },
      FastOptions(), &name);
  EXPECT_TRUE(s.IsIOError()) << s.ToString();
  // 40 of the 500 bytes are held back as a possible mark, so 460 were handed out.
  EXPECT_MESSAGE_HAS(s, name +
                            ": RDB transfer (diskless), after 460 bytes: connection closed "
                            "by the server before the end mark");
}

TEST(ReplicationProtocolTest, ClosedBeforeThePayloadHeader) {
  Status s = TransferError([](FakeMaster::Session& s) { s.Write("+FULLRESYNC x 0\r\n\n"); });
  EXPECT_TRUE(s.IsIOError()) << s.ToString();
  EXPECT_MESSAGE_HAS(s, ": waiting for the RDB payload: connection closed by the server");
}

TEST(ReplicationProtocolTest, StalledMasterTimesOut) {
  ReplicationOptions options = FastOptions();
  options.stall_timeout = milliseconds(300);
  const auto start = std::chrono::steady_clock::now();
  Status s = TransferError(
      [](FakeMaster::Session& s) {
        s.Write("+FULLRESYNC " + kReplId + " 0\r\n$1000\r\n" + std::string(10, 'x'));
        s.WaitForClose();  // sends nothing more until the client gives up
      },
      options);
  EXPECT_LT(std::chrono::steady_clock::now() - start, milliseconds(5000));
  EXPECT_TRUE(s.IsIOError()) << s.ToString();
  EXPECT_MESSAGE_HAS(s, "RDB transfer, after 10 of 1000 bytes: no data received for 0.3 s");
}

TEST(ReplicationProtocolTest, KeepalivesRestartTheTimeouts) {
  // A master waiting for a BGSAVE sends "\n" every second; here every 50 ms for 1 s, both
  // before its PSYNC answer and before the payload, against 300 ms timeouts.
  FakeMaster master([](FakeMaster::Session& s) {
    s.AnswerHandshake();
    s.WriteInPieces(std::string(20, '\n'), 1, milliseconds(50));
    s.Write("+FULLRESYNC " + kReplId + " 0\r\n");
    s.WriteInPieces(std::string(20, '\n'), 1, milliseconds(50));
    s.Write("$3\r\nabc");
    s.WaitForClose();
  });
  ReplicationOptions options;
  options.handshake_timeout = milliseconds(300);
  options.stall_timeout = milliseconds(300);
  auto source = ReplicationSource::Open(master.address(), options);
  ASSERT_TRUE(source.ok()) << source.status().ToString();
  EXPECT_EQ(*Drain(source->get(), 10), "abc");
}

TEST(ReplicationProtocolTest, SilenceAfterPsyncTimesOut) {
  ReplicationOptions options = FastOptions();
  options.handshake_timeout = milliseconds(300);
  std::string name;
  Status s = TransferError([](FakeMaster::Session& s) { s.WaitForClose(); }, options, &name);
  EXPECT_TRUE(s.IsIOError()) << s.ToString();
  EXPECT_EQ(s.message(), name + ": PSYNC: no data received for 0.3 s");
}

TEST(ReplicationProtocolTest, PsyncAnswers) {
  struct Case {
    std::string answer;
    Status::Code code;
    std::string fragment;
  };
  const std::vector<Case> cases = {
      {"+CONTINUE " + kReplId + "\r\n", Status::Code::kCorruption,
       "PSYNC: the server offered a partial resync"},
      {"-LOADING Redis is loading the dataset in memory\r\n", Status::Code::kBusy,
       "PSYNC: the server cannot serve a full sync now, try again later: LOADING Redis is"},
      {"-NOMASTERLINK Can't SYNC while not connected with my master\r\n", Status::Code::kBusy,
       "try again later: NOMASTERLINK"},
      {"-NOPERM this user has no permissions to run the 'psync' command\r\n",
       Status::Code::kInvalidArgument, "PSYNC failed: NOPERM"},
      {"+FULLRESYNC " + kReplId + "\r\n", Status::Code::kCorruption, "PSYNC: malformed answer"},
      {"+FULLRESYNC " + kReplId + " 12x\r\n", Status::Code::kCorruption, "malformed answer"},
      {"+OK\r\n", Status::Code::kCorruption, "PSYNC: unexpected answer \"+OK\""},
      {"+FULLRESYNC x 0\r\nhello\r\n", Status::Code::kCorruption,
       "RDB transfer: expected \"$<length>\" or \"$EOF:<mark>\", got \"hello\""},
      {"+FULLRESYNC x 0\r\n$EOF:short\r\n", Status::Code::kCorruption,
       "an end mark of 5 bytes, expected 40"},
      {"+FULLRESYNC x 0\r\n$-5\r\n", Status::Code::kCorruption, "bad payload length \"$-5\""},
      {"+FULLRESYNC x 0\r\n\n-ERR BGSAVE failed, replication can't continue\r\n",
       Status::Code::kInvalidArgument,
       "RDB transfer: the server refused to send its snapshot: ERR BGSAVE failed"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.answer);
    Status s = TransferError([&](FakeMaster::Session& s) {
      s.Write(c.answer);
      s.WaitForClose();
    });
    EXPECT_EQ(s.code(), c.code) << s.ToString();
    EXPECT_MESSAGE_HAS(s, c.fragment);
  }
}

TEST(ReplicationProtocolTest, OldServerWithoutPsyncGetsSync) {
  FakeMaster master([](FakeMaster::Session& s) {
    // A 2.6 server knows neither REPLCONF nor PSYNC.
    while (true) {
      std::vector<std::string> command = s.ReadCommand();
      if (command.empty()) return;
      if (command[0] == "SYNC") break;
      s.Write("-ERR unknown command '" + command[0] + "'\r\n");
    }
    s.Write("\n\n$9\r\nREDIS0006");
    s.WaitForClose();
  });
  auto source = ReplicationSource::Open(master.address(), FastOptions());
  ASSERT_TRUE(source.ok()) << source.status().ToString();
  EXPECT_EQ(*Drain(source->get(), 4), "REDIS0006");
  EXPECT_EQ((*source)->replication_id(), "");
  EXPECT_EQ((*source)->replication_offset(), -1);
  const auto& commands = master.Join();
  ASSERT_FALSE(commands.empty());
  EXPECT_EQ(commands.back(), std::vector<std::string>{"SYNC"});
}

TEST(ReplicationProtocolTest, SyncRefusedToo) {
  FakeMaster master([](FakeMaster::Session& s) {
    s.AnswerHandshake();
    s.Write("-ERR psync disabled here\r\n");
    if (s.ReadCommand() == std::vector<std::string>{"SYNC"}) s.Write("-ERR sync disabled too\r\n");
    s.WaitForClose();
  });
  auto source = ReplicationSource::Open(master.address(), FastOptions());
  ASSERT_FALSE(source.ok());
  EXPECT_MESSAGE_HAS(source.status(),
                     "the server refused to send its snapshot: ERR sync "
                     "disabled too (PSYNC had answered: ERR psync disabled "
                     "here)");
}

TEST(ReplicationProtocolTest, AuthenticationRequiredButNotGiven) {
  FakeMaster master([](FakeMaster::Session& s) {
    s.ReadCommand();
    s.Write("-NOAUTH Authentication required.\r\n");
    s.WaitForClose();
  });
  auto source = ReplicationSource::Open(master.address(), FastOptions());
  ASSERT_FALSE(source.ok());
  EXPECT_TRUE(source.status().IsInvalidArgument());
  EXPECT_MESSAGE_HAS(source.status(), master.address().ToString() +
                                          ": REPLCONF refused (the server needs a password): "
                                          "NOAUTH Authentication required.");
}

TEST(ReplicationProtocolTest, UnknownReplconfOptionsAreTolerated) {
  FakeMaster master([](FakeMaster::Session& s) {
    while (true) {
      std::vector<std::string> command = s.ReadCommand();
      if (command.empty()) return;
      if (command[0] == "PSYNC") break;
      s.Write("-ERR Unrecognized REPLCONF option: " + command[1] + "\r\n");
    }
    s.Write("+FULLRESYNC " + kReplId + " 0\r\n$3\r\nabc");
    s.WaitForClose();
  });
  auto source = ReplicationSource::Open(master.address(), FastOptions());
  ASSERT_TRUE(source.ok()) << source.status().ToString();
  EXPECT_EQ(*Drain(source->get(), 10), "abc");
}

}  // namespace
}  // namespace strata::redis
