#include "wal/log_writer.h"

#include <algorithm>

#include "base/coding.h"
#include "base/crc32c.h"

namespace strata::wal {

LogWriter::LogWriter(WritableFile* dest) : dest_(dest) {
  for (uint8_t t = 0; t <= kMaxRecordType; t++) {
    const char c = static_cast<char>(t);
    type_crc_[t] = crc32c::Value(&c, 1);
  }
}

Status LogWriter::WriteHeader(const LogFileHeader& header) {
  if (offset_ != 0) return Status::InvalidArgument("log header must be the first record");
  return AddRecord(header.Encode());
}

Status LogWriter::AddRecord(const Slice& payload, uint64_t* record_offset) {
  const char* p = payload.data();
  size_t left = payload.size();
  bool begin = true;
  // An empty payload still emits one (empty) FULL record, hence do/while.
  do {
    const size_t block_left = kBlockSize - block_offset_;
    if (block_left < kHeaderSize) {
      // Too small for a header: zero-fill and move to the next block.
      static constexpr char kZeroes[kHeaderSize] = {};
      if (block_left > 0) {
        Status s = dest_->Append(Slice(kZeroes, block_left));
        if (!s.ok()) return s;
        offset_ += block_left;
      }
      block_offset_ = 0;
    }
    if (begin && record_offset != nullptr) *record_offset = offset_;
    const size_t avail = kBlockSize - block_offset_ - kHeaderSize;
    const size_t fragment = std::min(left, avail);
    const bool end = fragment == left;
    const RecordType type = begin && end ? kFullType
                            : begin      ? kFirstType
                            : end        ? kLastType
                                         : kMiddleType;
    Status s = EmitPhysicalRecord(type, p, fragment);
    if (!s.ok()) return s;
    p += fragment;
    left -= fragment;
    begin = false;
  } while (left > 0);
  return Status::OK();
}

Status LogWriter::EmitPhysicalRecord(RecordType type, const char* data, size_t length) {
  char header[kHeaderSize];
  const uint32_t crc = crc32c::Extend(type_crc_[type], data, length);
  EncodeFixed32(header, crc32c::Mask(crc));
  EncodeFixed16(header + 4, static_cast<uint16_t>(length));
  header[6] = static_cast<char>(type);
  Status s = dest_->Append(Slice(header, kHeaderSize));
  if (s.ok()) s = dest_->Append(Slice(data, length));
  // Even on failure the file may hold part of the record; callers treat any error as fatal
  // for this log (GroupCommitWriter makes it sticky), so offsets need not be exact then.
  block_offset_ += kHeaderSize + length;
  offset_ += kHeaderSize + length;
  return s;
}

}  // namespace strata::wal
