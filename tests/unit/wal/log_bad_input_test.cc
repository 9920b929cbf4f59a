// Files that are not logs, or whose header is wrong, give clear errors.
#include <gtest/gtest.h>

#include "base/coding.h"
#include "base/crc32c.h"
#include "wal/log_format.h"
#include "wal_test_util.h"

namespace strata::wal {
namespace {

TEST(LogBadInput, EmptyFileIsAnEmptyLog) {
  for (RecoveryMode mode :
       {RecoveryMode::kTolerateCorruptedTail, RecoveryMode::kAbsoluteConsistency}) {
    const test::ReplayResult r = test::Replay("", mode);
    EXPECT_TRUE(r.status.ok());
    EXPECT_TRUE(r.records.empty());
  }
}

TEST(LogBadInput, TextFileIsNotALog) {
  std::string text;
  for (int i = 0; i < 2000; i++) text += "this is a line of a text file, not a log\n";
  for (RecoveryMode mode : {RecoveryMode::kTolerateCorruptedTail,
                            RecoveryMode::kAbsoluteConsistency, RecoveryMode::kPointInTime}) {
    const test::ReplayResult r = test::Replay(text, mode);
    EXPECT_TRUE(r.status.IsCorruption()) << EnumName(mode);
    EXPECT_NE(r.status.ToString().find("test.log: offset 0"), std::string::npos)
        << r.status.ToString();
    EXPECT_NE(r.status.ToString().find("not a Strata log"), std::string::npos);
    EXPECT_TRUE(r.records.empty());
  }
}

// A well-framed first record whose payload is chosen by the test.
std::string FramedFirstRecord(const std::string& payload, uint8_t type = kFullType) {
  std::string out(kHeaderSize, '\0');
  const char t = static_cast<char>(type);
  const uint32_t crc = crc32c::Extend(crc32c::Value(&t, 1), payload.data(), payload.size());
  EncodeFixed32(out.data(), crc32c::Mask(crc));
  EncodeFixed16(out.data() + 4, static_cast<uint16_t>(payload.size()));
  out[6] = t;
  return out + payload;
}

TEST(LogBadInput, WrongMagicIsRejected) {
  std::string payload = LogFileHeader{}.Encode();
  payload[0] = 'X';
  const test::ReplayResult r =
      test::Replay(FramedFirstRecord(payload), RecoveryMode::kTolerateCorruptedTail);
  EXPECT_TRUE(r.status.IsCorruption());
  EXPECT_NE(r.status.ToString().find("bad magic"), std::string::npos) << r.status.ToString();
}

TEST(LogBadInput, NewerVersionIsNotSupported) {
  LogFileHeader h;
  h.version = 2;
  const test::ReplayResult r =
      test::Replay(FramedFirstRecord(h.Encode()), RecoveryMode::kTolerateCorruptedTail);
  EXPECT_TRUE(r.status.IsNotSupported()) << r.status.ToString();
}

TEST(LogBadInput, FirstRecordMustBeAFullHeader) {
  const test::ReplayResult r = test::Replay(FramedFirstRecord(LogFileHeader{}.Encode(), kFirstType),
                                            RecoveryMode::kTolerateCorruptedTail);
  EXPECT_TRUE(r.status.IsCorruption());
  const test::ReplayResult s =
      test::Replay(FramedFirstRecord("short", kFullType), RecoveryMode::kAbsoluteConsistency);
  EXPECT_TRUE(s.status.IsCorruption());
}

TEST(LogBadInput, TornHeaderIsAnEmptyLogUnlessAbsolute) {
  const test::BuiltLog log = test::BuildLog({"a", "b"});
  for (uint64_t cut = 1; cut < log.header_end; cut++) {
    const std::string torn = log.bytes.substr(0, cut);
    const test::ReplayResult t = test::Replay(torn, RecoveryMode::kTolerateCorruptedTail);
    EXPECT_TRUE(t.status.ok());
    EXPECT_TRUE(t.records.empty());
    EXPECT_TRUE(t.tail_dropped);
    EXPECT_FALSE(test::Replay(torn, RecoveryMode::kAbsoluteConsistency).status.ok());
  }
}

TEST(LogBadInput, HugeLengthFieldAllocatesNothing) {
  // 0xffff in the length field of the first record after the header: rejected as running
  // past the block, whatever the mode.
  test::BuiltLog log = test::BuildLog({"abc"});
  log.bytes[log.header_end + 4] = '\xff';
  log.bytes[log.header_end + 5] = '\xff';
  const test::ReplayResult r = test::Replay(log.bytes, RecoveryMode::kAbsoluteConsistency);
  EXPECT_TRUE(r.status.IsCorruption());
  EXPECT_NE(r.status.ToString().find("runs past the end of its block"), std::string::npos)
      << r.status.ToString();
}

}  // namespace
}  // namespace strata::wal
