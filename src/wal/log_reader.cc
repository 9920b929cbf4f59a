#include "wal/log_reader.h"

#include <algorithm>

#include "base/coding.h"
#include "base/crc32c.h"

namespace strata::wal {

namespace {

// Bytes read per system call: a whole number of blocks (see the invariant on buffer_).
constexpr size_t kReadSize = 8 * kBlockSize;

bool AllZero(const char* p, size_t n) {
  return std::all_of(p, p + n, [](char c) { return c == 0; });
}

}  // namespace

LogReader::LogReader(std::string file_name, std::unique_ptr<SequentialFile> file,
                     Reporter* reporter, RecoveryMode mode)
    : file_name_(std::move(file_name)),
      file_(std::move(file)),
      reporter_(reporter),
      mode_(mode),
      backing_(new char[kReadSize]) {}

Status LogReader::CorruptionAt(uint64_t offset, const std::string& reason) const {
  return Status::Corruption(file_name_ + ": offset " + std::to_string(offset), reason);
}

bool LogReader::Refill() {
  const uint64_t next = buffer_offset_ + buffer_.size();
  Slice got;
  Status s = file_->Read(kReadSize, &got, backing_.get());
  if (!s.ok()) {
    status_ = Status::IOError(file_name_ + ": offset " + std::to_string(next), s.ToString());
    stopped_ = true;
    return false;
  }
  buffer_ = got;
  buffer_offset_ = next;
  if (got.size() < kReadSize) eof_ = true;
  return !got.empty();
}

void LogReader::Consume(size_t n) {
  buffer_.remove_prefix(n);
  buffer_offset_ += n;
}

LogReader::Fragment LogReader::ParsePhysical(size_t block_left, Physical* out) const {
  out->offset = buffer_offset_;
  if (buffer_.size() < kHeaderSize) {
    // Reads are whole blocks and this block has room for a header, so the file ends here.
    out->bytes = buffer_.size();
    out->problem = "file ends inside a record header";
    out->zero_filled = AllZero(buffer_.data(), buffer_.size());
    return Fragment::kTruncated;
  }
  const char* h = buffer_.data();
  const uint32_t stored_crc = DecodeFixed32(h);
  const uint32_t length = DecodeFixed16(h + 4);
  const auto type = static_cast<uint8_t>(h[6]);
  if (type == kZeroType && length == 0 && stored_crc == 0) {
    out->bytes = std::min(block_left, buffer_.size());
    out->problem = "zero-filled bytes where a record should start";
    out->zero_filled = true;
    return Fragment::kBad;
  }
  if (kHeaderSize + length > block_left) {
    out->bytes = std::min(block_left, buffer_.size());
    out->problem = "record length " + std::to_string(length) + " runs past the end of its block";
    return Fragment::kBad;
  }
  if (kHeaderSize + length > buffer_.size()) {
    out->bytes = buffer_.size();
    out->problem = "file ends inside a record (" + std::to_string(kHeaderSize + length) +
                   " bytes needed, " + std::to_string(buffer_.size()) + " present)";
    return Fragment::kTruncated;
  }
  if (type == kZeroType || type > kMaxRecordType) {
    out->bytes = std::min(block_left, buffer_.size());
    out->problem = "unknown record type " + std::to_string(type);
    return Fragment::kBad;
  }
  const uint32_t actual = crc32c::Extend(crc32c::Value(h + 6, 1), h + kHeaderSize, length);
  if (crc32c::Unmask(stored_crc) != actual) {
    out->bytes = std::min(block_left, buffer_.size());
    out->problem = "checksum mismatch in " + EnumName(static_cast<RecordType>(type)) + " record";
    return Fragment::kBad;
  }
  out->type = type;
  out->payload = Slice(h + kHeaderSize, length);
  out->bytes = kHeaderSize + length;
  return Fragment::kRecord;
}

LogReader::Fragment LogReader::ReadPhysical(Physical* out) {
  while (true) {
    if (buffer_.empty()) {
      if (eof_) return Fragment::kEndOfFile;
      if (!Refill()) return stopped_ ? Fragment::kReadError : Fragment::kEndOfFile;
      continue;
    }
    const size_t block_left = kBlockSize - buffer_offset_ % kBlockSize;
    if (block_left < kHeaderSize) {
      Consume(std::min(block_left, buffer_.size()));  // zero-filled block trailer
      continue;
    }
    const Fragment f = ParsePhysical(block_left, out);
    if (out->zero_filled) {
      // Zeros from here to the end of the file were never written: the preallocated rest
      // of a log written through a memory mapping (the file is cut to its data only when
      // the log is closed). That is the end of the log, not damage, in every mode: a
      // writer never leaves zeros where a record should start, and zeros carry no data
      // that could have been acknowledged. Zeros followed by data are damage as before,
      // spanning the zero blocks up to the data.
      const uint64_t start = buffer_offset_;
      if (SkipZeroBlocks()) return Fragment::kEndOfFile;
      if (stopped_) return Fragment::kReadError;
      if (buffer_offset_ > start) {
        out->bytes = buffer_offset_ - start;
        return f;
      }
    }
    // Damage makes the rest of the block untrustworthy: resume at the next block.
    Consume(static_cast<size_t>(out->bytes));
    return f;
  }
}

bool LogReader::SkipZeroBlocks() {
  while (true) {
    if (buffer_.empty() && (eof_ || !Refill())) return !stopped_;
    const size_t in_block =
        std::min<size_t>(kBlockSize - buffer_offset_ % kBlockSize, buffer_.size());
    if (!AllZero(buffer_.data(), in_block)) return false;
    Consume(in_block);
  }
}

bool LogReader::ValidRecordFollows() {
  // Damage consumed the rest of its block, so buffer_ starts at a block boundary (or the
  // file's end), and every block starts with a header.
  while (true) {
    if (buffer_.empty() && (eof_ || !Refill())) return false;
    Physical p;
    if (ParsePhysical(kBlockSize, &p) == Fragment::kRecord) return true;
    Consume(std::min(kBlockSize, buffer_.size()));
  }
}

bool LogReader::OnDamage(uint64_t offset, uint64_t bytes, const std::string& reason,
                         bool followed_by_valid) {
  switch (mode_) {
    case RecoveryMode::kSkipCorrupted:
      if (reporter_) reporter_->Corruption(offset, bytes, reason);
      return true;
    case RecoveryMode::kPointInTime:
      if (reporter_) reporter_->Corruption(offset, bytes, reason);
      stopped_ = true;
      return false;
    case RecoveryMode::kAbsoluteConsistency:
      break;
    case RecoveryMode::kTolerateCorruptedTail:
      if (!followed_by_valid && !ValidRecordFollows()) return OnTornTail(offset, reason);
      break;
  }
  if (reporter_) reporter_->Corruption(offset, bytes, reason);
  status_ = CorruptionAt(offset, reason);
  stopped_ = true;
  return false;
}

bool LogReader::OnTornTail(uint64_t offset, const std::string& reason) {
  stopped_ = true;
  if (mode_ == RecoveryMode::kAbsoluteConsistency) {
    if (reporter_) reporter_->Corruption(offset, 0, reason);
    status_ = CorruptionAt(offset, reason);
    return false;
  }
  tail_dropped_ = true;
  tail_offset_ = offset;
  tail_reason_ = reason;
  return false;
}

bool LogReader::ReadHeaderRecord() {
  header_read_ = true;
  Physical p;
  switch (ReadPhysical(&p)) {
    case Fragment::kEndOfFile:
      return true;  // an empty file is an empty log
    case Fragment::kReadError:
      return false;
    case Fragment::kTruncated:
      return OnTornTail(p.offset, p.problem + " (the file header)");
    case Fragment::kBad:
      if (p.zero_filled) return OnDamage(p.offset, p.bytes, p.problem, false);
      if (mode_ == RecoveryMode::kSkipCorrupted)
        return OnDamage(p.offset, p.bytes, p.problem, true);
      status_ = CorruptionAt(p.offset, "not a Strata log, or its header is damaged: " + p.problem);
      stopped_ = true;
      return false;
    case Fragment::kRecord:
      break;
  }
  Status s;
  if (p.type != kFullType) {
    s = Status::Corruption("first record is " + EnumName(static_cast<RecordType>(p.type)) +
                           ", expected the FULL header record");
  } else {
    auto header = LogFileHeader::Decode(p.payload);
    if (header.ok()) {
      header_ = *header;
    } else {
      s = header.status();
    }
  }
  if (!s.ok()) {
    if (mode_ == RecoveryMode::kSkipCorrupted)
      return OnDamage(p.offset, p.bytes, s.message(), true);
    status_ = s.IsNotSupported() ? Status::NotSupported(file_name_, s.message())
                                 : CorruptionAt(p.offset, s.message());
    stopped_ = true;
    return false;
  }
  has_header_ = true;
  end_of_valid_data_ = p.offset + p.bytes;
  return true;
}

bool LogReader::ReadRecord(Slice* record, std::string* scratch) {
  if (stopped_) return false;
  if (!header_read_ && !ReadHeaderRecord()) return false;

  scratch->clear();
  bool in_fragmented = false;
  uint64_t record_offset = 0;
  int fragments = 0;
  // A fragmented record cut short by damage: drop it (reported along with the damage).
  auto drop_partial = [&](const std::string& why, bool followed_by_valid) {
    const bool go_on = OnDamage(record_offset, scratch->size(), why, followed_by_valid);
    scratch->clear();
    in_fragmented = false;
    return go_on;
  };

  while (true) {
    Physical p;
    switch (ReadPhysical(&p)) {
      case Fragment::kRecord:
        break;
      case Fragment::kEndOfFile:
        if (in_fragmented) OnTornTail(record_offset, "file ends inside a fragmented record");
        return false;
      case Fragment::kTruncated:
        OnTornTail(in_fragmented ? record_offset : p.offset, p.problem);
        return false;
      case Fragment::kBad: {
        // A partial fragmented record goes down with the damaged fragment.
        const uint64_t at = in_fragmented ? record_offset : p.offset;
        scratch->clear();
        in_fragmented = false;
        if (!OnDamage(at, p.offset + p.bytes - at, p.problem, false)) return false;
        continue;
      }
      case Fragment::kReadError:
        return false;
    }

    const uint64_t end = p.offset + p.bytes;
    switch (p.type) {
      case kFullType:
        if (in_fragmented &&
            !drop_partial("fragmented record interrupted by a FULL record", true)) {
          return false;
        }
        *record = p.payload;
        last_record_offset_ = p.offset;
        last_record_fragments_ = 1;
        end_of_valid_data_ = end;
        return true;
      case kFirstType:
        if (in_fragmented &&
            !drop_partial("fragmented record interrupted by a FIRST record", true)) {
          return false;
        }
        scratch->assign(p.payload.data(), p.payload.size());
        in_fragmented = true;
        record_offset = p.offset;
        fragments = 1;
        break;
      case kMiddleType:
      case kLastType:
        if (!in_fragmented) {
          const std::string why =
              EnumName(static_cast<RecordType>(p.type)) + " fragment without a FIRST fragment";
          if (!OnDamage(p.offset, p.bytes, why, true)) return false;
          break;
        }
        scratch->append(p.payload.data(), p.payload.size());
        fragments++;
        if (p.type == kLastType) {
          *record = Slice(*scratch);
          last_record_offset_ = record_offset;
          last_record_fragments_ = fragments;
          end_of_valid_data_ = end;
          return true;
        }
        break;
      default:
        break;  // ParsePhysical accepts only the four types above
    }
  }
}

}  // namespace strata::wal
