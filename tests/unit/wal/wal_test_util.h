// In-memory files for WAL tests: logs written to a string and read back from one, so tests
// can cut and damage them byte by byte quickly.
#pragma once

#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "testing/string_file.h"
#include "wal/log_reader.h"
#include "wal/log_writer.h"

namespace strata::wal::test {

struct Damage {
  uint64_t offset;
  uint64_t bytes;
  std::string reason;
};

class CollectingReporter final : public LogReader::Reporter {
 public:
  void Corruption(uint64_t offset, uint64_t bytes, const std::string& reason) override {
    reports.push_back({offset, bytes, reason});
  }
  std::vector<Damage> reports;
};

struct ReplayResult {
  std::vector<std::string> records;
  Status status;
  bool tail_dropped = false;
  std::vector<Damage> reports;
};

inline ReplayResult Replay(const std::string& log, RecoveryMode mode) {
  ReplayResult r;
  CollectingReporter reporter;
  LogReader reader("test.log", std::make_unique<testing::StringSequentialFile>(log), &reporter,
                   mode);
  Slice record;
  std::string scratch;
  while (reader.ReadRecord(&record, &scratch)) r.records.push_back(record.ToString());
  r.status = reader.status();
  r.tail_dropped = reader.tail_dropped();
  r.reports = reporter.reports;
  return r;
}

// A log holding `records`, with the end offset of each record (after the header record).
struct BuiltLog {
  std::string bytes;
  uint64_t header_end = 0;
  std::vector<uint64_t> starts;
  std::vector<uint64_t> ends;
};

inline BuiltLog BuildLog(const std::vector<std::string>& records, uint64_t log_number = 1) {
  BuiltLog b;
  testing::StringWritableFile sink(&b.bytes);
  LogWriter writer(&sink);
  LogFileHeader header;
  header.log_number = log_number;
  if (!writer.WriteHeader(header).ok()) std::abort();
  b.header_end = writer.offset();
  for (const std::string& r : records) {
    uint64_t start = 0;
    if (!writer.AddRecord(r, &start).ok()) std::abort();
    b.starts.push_back(start);
    b.ends.push_back(writer.offset());
  }
  return b;
}

}  // namespace strata::wal::test
