#include "crash/journal.h"

#include <gtest/gtest.h>

#include <fstream>

#include "support/test_util.h"

namespace strata::crash {
namespace {

void WriteText(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
}

TEST(Journal, WriterAndReaderAgree) {
  test::TempDir dir;
  const std::string path = dir.File("journal");
  std::unique_ptr<JournalWriter> writer;
  ASSERT_TRUE(JournalWriter::Create(path, &writer).ok());
  ASSERT_TRUE(writer->Opened().ok());
  for (uint64_t i = 0; i < 10; i++) {
    ASSERT_TRUE(writer->Issue(i).ok());
    ASSERT_TRUE(writer->Ack(i, /*sync=*/i % 3 == 0).ok());
  }
  ASSERT_TRUE(writer->Issue(10).ok());  // in flight when the process died
  JournalSummary summary;
  Status s = ReadJournal(path, &summary);
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_TRUE(summary.opened);
  EXPECT_EQ(summary.issued, 11u);
  EXPECT_EQ(summary.acked, 10u);
  EXPECT_EQ(summary.synced, 4u);  // 0, 3, 6, 9
}

TEST(Journal, IgnoresALastLineCutShort) {
  test::TempDir dir;
  WriteText(dir.File("j"), "opened\nissue 0\nack 0 1\nissue 1\nack 1");
  JournalSummary summary;
  ASSERT_TRUE(ReadJournal(dir.File("j"), &summary).ok());
  EXPECT_EQ(summary.issued, 2u);
  EXPECT_EQ(summary.acked, 1u);
}

TEST(Journal, EmptyMeansKilledBeforeOpen) {
  test::TempDir dir;
  WriteText(dir.File("j"), "");
  JournalSummary summary;
  ASSERT_TRUE(ReadJournal(dir.File("j"), &summary).ok());
  EXPECT_FALSE(summary.opened);
  EXPECT_EQ(summary.issued, 0u);
}

TEST(Journal, RejectsRecordsOutOfOrder) {
  test::TempDir dir;
  const char* bad[] = {
      "issue 0\n",                         // before opened
      "opened\nissue 1\n",                 // skips 0
      "opened\nissue 0\nissue 1\n",        // issued before the ack
      "opened\nissue 0\nack 1 0\n",        // acks another operation
      "opened\nack 0 0\n",                 // acks nothing in flight
      "opened\nissue 0\nack 0 2\n",        // bad sync flag
      "opened\nissue 0\nack 0 0 extra\n",  // trailing field
      "opened\nopened\n",                  // opened twice
      "opened\nwrote 0\n",                 // unknown record
  };
  for (const char* text : bad) {
    WriteText(dir.File("j"), text);
    JournalSummary summary;
    Status s = ReadJournal(dir.File("j"), &summary);
    EXPECT_TRUE(s.IsCorruption()) << text << " -> " << s.ToString();
  }
}

TEST(Journal, MissingFileIsAnError) {
  JournalSummary summary;
  EXPECT_FALSE(ReadJournal("/nonexistent/journal", &summary).ok());
}

}  // namespace
}  // namespace strata::crash
