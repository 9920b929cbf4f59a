#include "db/version_edit.h"

#include "base/coding.h"

namespace strata {

namespace {

// Field tags. Values are part of the MANIFEST format: never renumber, only add.
enum Tag : uint32_t {
  kComparator = 1,
  kLogNumber = 2,
  kNextFileNumber = 3,
  kLastSequence = 4,
  kDeletedFile = 5,
  kNewFile = 6,
};

bool GetLevel(Slice* input, int* level) {
  uint32_t v;
  if (!GetVarint32(input, &v) || v >= static_cast<uint32_t>(kNumLevels)) return false;
  *level = static_cast<int>(v);
  return true;
}

bool GetString(Slice* input, std::string* out) {
  Slice s;
  if (!GetLengthPrefixedSlice(input, &s)) return false;
  *out = s.ToString();
  return true;
}

}  // namespace

void VersionEdit::EncodeTo(std::string* dst) const {
  if (comparator_) {
    PutVarint32(dst, kComparator);
    PutLengthPrefixedSlice(dst, *comparator_);
  }
  if (log_number_) {
    PutVarint32(dst, kLogNumber);
    PutVarint64(dst, *log_number_);
  }
  if (next_file_number_) {
    PutVarint32(dst, kNextFileNumber);
    PutVarint64(dst, *next_file_number_);
  }
  if (last_sequence_) {
    PutVarint32(dst, kLastSequence);
    PutVarint64(dst, *last_sequence_);
  }
  for (const auto& [level, number] : deleted_files_) {
    PutVarint32(dst, kDeletedFile);
    PutVarint32(dst, static_cast<uint32_t>(level));
    PutVarint64(dst, number);
  }
  for (const auto& [level, f] : new_files_) {
    PutVarint32(dst, kNewFile);
    PutVarint32(dst, static_cast<uint32_t>(level));
    PutVarint64(dst, f.number);
    PutVarint64(dst, f.file_size);
    PutLengthPrefixedSlice(dst, f.smallest);
    PutLengthPrefixedSlice(dst, f.largest);
    PutVarint64(dst, f.smallest_sequence);
    PutVarint64(dst, f.largest_sequence);
  }
}

Status VersionEdit::DecodeFrom(const Slice& src) {
  *this = VersionEdit();
  Slice input = src;
  while (!input.empty()) {
    const size_t at = src.size() - input.size();
    auto bad = [&](const char* what) {
      return Status::Corruption("version edit",
                                std::string(what) + " at byte " + std::to_string(at));
    };
    uint32_t tag;
    if (!GetVarint32(&input, &tag)) return bad("truncated tag");
    uint64_t v;
    switch (tag) {
      case kComparator: {
        std::string name;
        if (!GetString(&input, &name)) return bad("bad comparator name");
        comparator_ = std::move(name);
        break;
      }
      case kLogNumber:
        if (!GetVarint64(&input, &v)) return bad("bad log number");
        log_number_ = v;
        break;
      case kNextFileNumber:
        if (!GetVarint64(&input, &v)) return bad("bad next file number");
        next_file_number_ = v;
        break;
      case kLastSequence:
        if (!GetVarint64(&input, &v)) return bad("bad last sequence");
        last_sequence_ = v;
        break;
      case kDeletedFile: {
        int level;
        if (!GetLevel(&input, &level) || !GetVarint64(&input, &v)) return bad("bad deleted file");
        deleted_files_.emplace(level, v);
        break;
      }
      case kNewFile: {
        int level;
        FileMetaData f;
        if (!GetLevel(&input, &level) || !GetVarint64(&input, &f.number) ||
            !GetVarint64(&input, &f.file_size) || !GetString(&input, &f.smallest) ||
            !GetString(&input, &f.largest) || !GetVarint64(&input, &f.smallest_sequence) ||
            !GetVarint64(&input, &f.largest_sequence)) {
          return bad("bad new file");
        }
        new_files_.emplace_back(level, std::move(f));
        break;
      }
      default:
        return bad(("unknown tag " + std::to_string(tag)).c_str());
    }
  }
  return Status::OK();
}

std::string VersionEdit::DebugString() const {
  std::string r = "VersionEdit {";
  if (comparator_) r += " comparator=" + *comparator_;
  if (log_number_) r += " log_number=" + std::to_string(*log_number_);
  if (next_file_number_) r += " next_file=" + std::to_string(*next_file_number_);
  if (last_sequence_) r += " last_sequence=" + std::to_string(*last_sequence_);
  for (const auto& [level, number] : deleted_files_) {
    r += " delete L" + std::to_string(level) + ":" + std::to_string(number);
  }
  for (const auto& [level, f] : new_files_) {
    r += " add L" + std::to_string(level) + ":" + std::to_string(f.number) + "(" +
         std::to_string(f.file_size) + " bytes)";
  }
  return r + " }";
}

}  // namespace strata
