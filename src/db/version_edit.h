// VersionEdit: one change to the set of live files, as appended to the MANIFEST.
//
// Replaying a MANIFEST's edits in order rebuilds the DB's state: which SSTables are live at
// which level, and the counters that must never go backwards (next file number, last
// sequence, the oldest write-ahead log still needed). docs/formats/manifest.md has the
// encoding.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "strata/slice.h"
#include "strata/status.h"

namespace strata {

namespace sst {
class TableReader;
}

constexpr int kNumLevels = 7;

// The open reader of a table, kept by the metadata that the live Versions share, so a point
// read finds it with one atomic load: no table cache lock, no reference count. Set once, by
// TableCache::FindPinned, while fewer tables are pinned than the table cache's capacity; gone
// with the metadata, when no Version lists the table any more. A copy starts without one
// (a trivially moved table gets new metadata and is pinned again on its next read).
class TablePin {
 public:
  TablePin() = default;
  TablePin(const TablePin&) noexcept {}
  TablePin& operator=(const TablePin&) noexcept { return *this; }
  ~TablePin() {
    if (pinned_count_) pinned_count_->fetch_sub(1, std::memory_order_relaxed);
  }

  // The pinned reader, or null. Acquire: pairs with the release that set it.
  const sst::TableReader* reader() const { return reader_.load(std::memory_order_acquire); }

 private:
  friend class TableCache;
  std::atomic<const sst::TableReader*> reader_{nullptr};
  // Set before reader_ is published, never changed afterwards.
  std::shared_ptr<sst::TableReader> owner_;
  std::shared_ptr<std::atomic<int>> pinned_count_;  // the table cache's count of pins
};

// An SSTable as the MANIFEST describes it. Keys are internal keys.
struct FileMetaData {
  uint64_t number = 0;
  uint64_t file_size = 0;
  std::string smallest;
  std::string largest;
  uint64_t smallest_sequence = 0;
  uint64_t largest_sequence = 0;
  // Not part of the MANIFEST: the reader, once a read pinned it. Versions hold their
  // metadata as const; the pin is the one thing set afterwards.
  mutable TablePin pin;
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
