// VersionEdit: one change to the set of live files, as appended to the MANIFEST.
//
// Replaying a MANIFEST's edits in order rebuilds the DB's state: which SSTables are live at
// which level, and the counters that must never go backwards (next file number, last
// sequence, the oldest write-ahead log still needed). docs/formats/manifest.md has the
// encoding.
#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "strata/slice.h"
#include "strata/status.h"

namespace strata {

constexpr int kNumLevels = 7;

// An SSTable as the MANIFEST describes it. Keys are internal keys.
struct FileMetaData {
  uint64_t number = 0;
  uint64_t file_size = 0;
  std::string smallest;
  std::string largest;
  uint64_t smallest_sequence = 0;
  uint64_t largest_sequence = 0;
};

class VersionEdit {
 public:
  void SetComparatorName(const Slice& name) { comparator_ = name.ToString(); }
  // Write-ahead logs numbered below this are no longer needed.
  void SetLogNumber(uint64_t number) { log_number_ = number; }
  void SetNextFileNumber(uint64_t number) { next_file_number_ = number; }
  void SetLastSequence(uint64_t sequence) { last_sequence_ = sequence; }
  void AddFile(int level, const FileMetaData& file) { new_files_.emplace_back(level, file); }
  void DeleteFile(int level, uint64_t number) { deleted_files_.emplace(level, number); }

  const std::optional<std::string>& comparator() const { return comparator_; }
  const std::optional<uint64_t>& log_number() const { return log_number_; }
  const std::optional<uint64_t>& next_file_number() const { return next_file_number_; }
  const std::optional<uint64_t>& last_sequence() const { return last_sequence_; }
  const std::vector<std::pair<int, FileMetaData>>& new_files() const { return new_files_; }
  const std::set<std::pair<int, uint64_t>>& deleted_files() const { return deleted_files_; }

  void EncodeTo(std::string* dst) const;
  // Replaces this edit with the one encoded in src. Corruption (with the byte offset) on a
  // truncated field, an unknown tag or a level out of range.
  Status DecodeFrom(const Slice& src);

  std::string DebugString() const;

 private:
  std::optional<std::string> comparator_;
  std::optional<uint64_t> log_number_;
  std::optional<uint64_t> next_file_number_;
  std::optional<uint64_t> last_sequence_;
  std::vector<std::pair<int, FileMetaData>> new_files_;
  std::set<std::pair<int, uint64_t>> deleted_files_;
};

}  // namespace strata
