// Records of every interesting size come back byte for byte, in every recovery mode.
#include <gtest/gtest.h>

#include "support/test_util.h"
#include "wal/log_format.h"
#include "wal_test_util.h"

namespace strata::wal {
namespace {

using test::BuildLog;
using test::Replay;

constexpr RecoveryMode kModes[] = {RecoveryMode::kTolerateCorruptedTail,
                                   RecoveryMode::kAbsoluteConsistency, RecoveryMode::kSkipCorrupted,
                                   RecoveryMode::kPointInTime};

void ExpectRoundTrip(const std::vector<std::string>& records) {
  const test::BuiltLog log = BuildLog(records);
  for (RecoveryMode mode : kModes) {
    SCOPED_TRACE(EnumName(mode));
    const test::ReplayResult r = Replay(log.bytes, mode);
    ASSERT_TRUE(r.status.ok()) << r.status.ToString();
    EXPECT_FALSE(r.tail_dropped);
    EXPECT_TRUE(r.reports.empty());
    ASSERT_EQ(r.records.size(), records.size());
    for (size_t i = 0; i < records.size(); i++) {
      ASSERT_EQ(r.records[i], records[i]) << "record " << i << " of size " << records[i].size();
    }
  }
}

TEST(LogRoundTrip, EmptyLogHasOnlyTheHeader) {
  const test::BuiltLog log = BuildLog({});
  EXPECT_EQ(log.bytes.size(), kHeaderSize + LogFileHeader::kEncodedSize);
  ExpectRoundTrip({});
}

TEST(LogRoundTrip, SingleRecordsOfBoundarySizes) {
  // The header record takes the first bytes of block 0, so a record that fills block 0
  // exactly has this size.
  const size_t fills_first_block = kBlockSize - 2 * kHeaderSize - LogFileHeader::kEncodedSize;
  const size_t sizes[] = {0,
                          1,
                          100,
                          fills_first_block - 1,
                          fills_first_block,
                          fills_first_block + 1,
                          kBlockSize - kHeaderSize - 1,
                          kBlockSize - kHeaderSize,
                          kBlockSize - kHeaderSize + 1,
                          kBlockSize - 1,
                          kBlockSize,
                          kBlockSize + 1,
                          2 * kBlockSize,
                          3 * kBlockSize + 17,
                          1 << 20};
  for (size_t size : sizes) {
    SCOPED_TRACE(size);
    ExpectRoundTrip({strata::test::RandomBytes(size, size)});
  }
}

TEST(LogRoundTrip, RecordsThatLeaveEachPossibleBlockTail) {
  // A first record sized so that 0..kHeaderSize+1 bytes remain in block 0, then records of
  // sizes 0, 1 and large: covers zero-filled trailers and empty records at block ends.
  const size_t fills_first_block = kBlockSize - 2 * kHeaderSize - LogFileHeader::kEncodedSize;
  for (size_t tail = 0; tail <= kHeaderSize + 1; tail++) {
    SCOPED_TRACE(tail);
    const std::string first = strata::test::RandomBytes(tail, fills_first_block - tail);
    ExpectRoundTrip({first, ""});
    ExpectRoundTrip({first, "x"});
    ExpectRoundTrip({first, strata::test::RandomBytes(tail + 1, 2 * kBlockSize)});
    ExpectRoundTrip({first, "", "", "y", ""});
  }
}

TEST(LogRoundTrip, ManySmallRecords) {
  std::vector<std::string> records;
  for (int i = 0; i < 20000; i++) {
    records.push_back(strata::test::RandomBytes(i, static_cast<size_t>(i * 7919 % 300)));
  }
  ExpectRoundTrip(records);
}

TEST(LogRoundTrip, MixedSizes) {
  std::vector<std::string> records;
  for (int i = 0; i < 300; i++) {
    const size_t size = (i % 10 == 0) ? 50000 + i * 101 : (i * 131) % 5000;
    records.push_back(strata::test::RandomBytes(1000 + i, size));
  }
  ExpectRoundTrip(records);
}

TEST(LogRoundTrip, WriterOffsetsMatchTheFile) {
  std::vector<std::string> records;
  for (int i = 0; i < 100; i++) records.push_back(std::string(i * 997 % 70000, 'a' + i % 26));
  const test::BuiltLog log = BuildLog(records);
  EXPECT_EQ(log.ends.back(), log.bytes.size());
  for (size_t i = 1; i < records.size(); i++) {
    // A record starts where the previous one ended, or at the next block if only a
    // zero-filled trailer fit.
    const uint64_t prev_end = log.ends[i - 1];
    const uint64_t block_left = kBlockSize - prev_end % kBlockSize;
    EXPECT_EQ(log.starts[i], block_left < kHeaderSize ? prev_end + block_left : prev_end);
  }
}

TEST(LogRoundTrip, HeaderIsReadBack) {
  const test::BuiltLog log = BuildLog({"a"}, /*log_number=*/42);
  LogReader reader("t.log", std::make_unique<testing::StringSequentialFile>(log.bytes), nullptr,
                   RecoveryMode::kAbsoluteConsistency);
  Slice record;
  std::string scratch;
  ASSERT_TRUE(reader.ReadRecord(&record, &scratch));
  ASSERT_TRUE(reader.has_header());
  EXPECT_EQ(reader.header().log_number, 42u);
  EXPECT_EQ(reader.header().version, LogFileHeader::kVersion);
  EXPECT_EQ(reader.header().purpose, LogPurpose::kWriteAheadLog);
  EXPECT_EQ(reader.last_record_offset(), log.starts[0]);
  EXPECT_EQ(reader.end_of_valid_data(), log.ends[0]);
}

}  // namespace
}  // namespace strata::wal
