// The journal: the crash workload's own record of what it asked of the DB and what the DB
// acknowledged, kept in a side file outside the DB directory.
//
// Text lines, in this order and no other (one writer, one operation at a time):
//   opened              DB::Open returned OK
//   issue <index>       written before operation <index> is handed to the DB
//   ack <index> <0|1>   written after the DB returned OK for it; 1 if it was a sync write
// so the file is "opened", then pairs "issue i" / "ack i s" for i = 0, 1, ..., possibly ending
// with one "issue n" whose operation was in flight when the process died.
//
// Each line is one write(2) on an O_APPEND descriptor, with no fsync: the journal has to
// survive SIGKILL, not a machine crash, and a write(2) that returned is in the kernel's page
// cache whatever happens to the process afterwards. A line cut short (no newline) can only be
// the last one; the reader ignores it.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "strata/status.h"

namespace strata::crash {

class JournalWriter {
 public:
  // Creates (or truncates) path.
  static Status Create(const std::string& path, std::unique_ptr<JournalWriter>* writer);
  // Takes ownership of fd, an open descriptor of path; Create() is the usual way in.
  JournalWriter(std::string path, int fd) : path_(std::move(path)), fd_(fd) {}
  ~JournalWriter();
  JournalWriter(const JournalWriter&) = delete;
  JournalWriter& operator=(const JournalWriter&) = delete;

  Status Opened();
  Status Issue(uint64_t index);
  Status Ack(uint64_t index, bool sync);

 private:
  Status WriteLine(const std::string& line);

  const std::string path_;
  const int fd_;
};

// What a journal says about one run of the workload.
struct JournalSummary {
  bool opened = false;
  uint64_t issued = 0;  // operations 0 .. issued-1 were handed to the DB
  uint64_t acked = 0;   // operations 0 .. acked-1 were acknowledged (acked is issued or issued-1)
  uint64_t synced = 0;  // how many of the acknowledged operations were sync writes
};

// Reads and validates a journal. Corruption naming the line if it breaks the order above.
Status ReadJournal(const std::string& path, JournalSummary* summary);

}  // namespace strata::crash
