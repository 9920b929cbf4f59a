// LogWriter: frames logical records into the block format of log_format.h.
//
// Single-threaded; GroupCommitWriter adds concurrency and sync policies on top. Records go
// to a WritableFile through its buffer: the caller decides when to Flush() and Sync().
#pragma once

#include <cstdint>

#include "strata/env.h"
#include "wal/log_format.h"

namespace strata::wal {

class LogWriter {
 public:
  // *dest must stay alive while this writer is in use; the writer does not own it.
  // dest must be empty: the writer starts at offset 0 and writes the file header first.
  explicit LogWriter(WritableFile* dest);
  LogWriter(const LogWriter&) = delete;
  LogWriter& operator=(const LogWriter&) = delete;

  // Writes the header record. Must be called once, before any AddRecord().
  Status WriteHeader(const LogFileHeader& header);

  // Appends one logical record (any size, including empty). *record_offset (if not null)
  // gets the offset of its first header, after any block padding that precedes it: the
  // offset a LogReader reports for it.
  Status AddRecord(const Slice& payload, uint64_t* record_offset = nullptr);

  // Bytes written so far, i.e. the offset the next record will start at.
  uint64_t offset() const { return offset_; }

 private:
  Status EmitPhysicalRecord(RecordType type, const char* data, size_t length);

  WritableFile* const dest_;
  uint64_t offset_ = 0;
  size_t block_offset_ = 0;  // position inside the current block
  // crc32c of each type byte, so a record's checksum only has to extend over its payload.
  uint32_t type_crc_[kMaxRecordType + 1];
};

}  // namespace strata::wal
