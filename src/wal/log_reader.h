// LogReader: reads the logical records of a log file back, validating every byte.
//
// Guarantees, in every recovery mode:
//  - a returned record is byte for byte what was written (each fragment's checksum is
//    verified, fragments are joined only in FIRST, MIDDLE..., LAST order);
//  - nothing is allocated beyond the fragments actually present in the file;
//  - every problem carries the file name and byte offset.
// What happens at damage depends on the RecoveryMode (recovery_mode.h).
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "strata/env.h"
#include "wal/log_format.h"
#include "wal/recovery_mode.h"

namespace strata::wal {

class LogReader {
 public:
  // Told about every piece of damage that is skipped or that stops the reader. A torn tail
  // tolerated by kTolerateCorruptedTail or kPointInTime is not reported here; see
  // tail_dropped().
  class Reporter {
   public:
    virtual ~Reporter() = default;
    virtual void Corruption(uint64_t offset, uint64_t bytes, const std::string& reason) = 0;
  };

  // reporter may be null; if not, it must outlive the reader. file_name is used in messages.
  LogReader(std::string file_name, std::unique_ptr<SequentialFile> file, Reporter* reporter,
            RecoveryMode mode);
  LogReader(const LogReader&) = delete;
  LogReader& operator=(const LogReader&) = delete;

  // Reads the next logical record. On true, *record holds it until the next call; it may
  // point into *scratch or into the reader's own buffer. On false the log has ended or the
  // reader stopped: status() is OK for a clean end (a tolerated torn tail included) and the
  // error otherwise.
  bool ReadRecord(Slice* record, std::string* scratch);

  const Status& status() const { return status_; }

  // The file header, once the first ReadRecord() has been called. An empty file (or one
  // whose header was torn off) has none.
  bool has_header() const { return has_header_; }
  const LogFileHeader& header() const { return header_; }

  // Offset of the first byte of the last record returned, and its number of fragments.
  uint64_t last_record_offset() const { return last_record_offset_; }
  int last_record_fragments() const { return last_record_fragments_; }
  // Offset just past the last valid record read (the header record included).
  uint64_t end_of_valid_data() const { return end_of_valid_data_; }

  // A tolerated torn tail: where it starts and what was wrong.
  bool tail_dropped() const { return tail_dropped_; }
  uint64_t tail_offset() const { return tail_offset_; }
  const std::string& tail_reason() const { return tail_reason_; }

 private:
  enum class Fragment { kRecord, kEndOfFile, kTruncated, kBad, kReadError };
  struct Physical {
    uint8_t type = kZeroType;
    Slice payload;
    uint64_t offset = 0;       // of the header
    uint64_t bytes = 0;        // bytes consumed (for damage reports)
    std::string problem;       // for kTruncated and kBad
    bool zero_filled = false;  // kBad or kTruncated on bytes that are all zero
  };

  bool ReadHeaderRecord();
  Fragment ReadPhysical(Physical* out);
  // Parses the physical record at the start of buffer_ without consuming it.
  Fragment ParsePhysical(size_t block_left, Physical* out) const;
  bool Refill();
  void Consume(size_t n);
  // Consumes zero bytes, a block at a time, up to the first block (the current one
  // included) that holds a non-zero byte. True if only zeros were left in the file.
  bool SkipZeroBlocks();

  // Damage at offset: reports it and applies the mode. followed_by_valid says that a valid
  // record is already known to come after it. Returns true if reading should go on.
  bool OnDamage(uint64_t offset, uint64_t bytes, const std::string& reason, bool followed_by_valid);
  // The file ends inside a record. Returns false (reading always stops).
  bool OnTornTail(uint64_t offset, const std::string& reason);
  // Scans the blocks after the current position for one that starts with a valid record.
  bool ValidRecordFollows();
  Status CorruptionAt(uint64_t offset, const std::string& reason) const;

  const std::string file_name_;
  const std::unique_ptr<SequentialFile> file_;
  Reporter* const reporter_;
  const RecoveryMode mode_;

  // Reads are whole multiples of kBlockSize starting at block boundaries, so a physical
  // record (which never crosses a block boundary) is either entirely in buffer_ or cut off
  // by the end of the file.
  std::unique_ptr<char[]> backing_;
  Slice buffer_;                // unread bytes of the last read
  uint64_t buffer_offset_ = 0;  // file offset of buffer_.data()
  bool eof_ = false;

  bool header_read_ = false;
  bool has_header_ = false;
  LogFileHeader header_;
  bool stopped_ = false;
  Status status_;

  uint64_t last_record_offset_ = 0;
  int last_record_fragments_ = 0;
  uint64_t end_of_valid_data_ = 0;
  bool tail_dropped_ = false;
  uint64_t tail_offset_ = 0;
  std::string tail_reason_;
};

}  // namespace strata::wal
