// TableOutput: one SSTable being written by a flush or a compaction, from creation to a
// synced, closed file described by a FileMetaData.
//
// The directory entry is not synced here: the caller syncs the directory once, after its
// last output, and before a MANIFEST names any of them.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "base/rate_limiter.h"
#include "db/version_edit.h"
#include "sst/table_builder.h"
#include "strata/env.h"

namespace strata {

class TableOutput {
 public:
  // limiter (may be null) paces the bytes written.
  TableOutput(Env* env, std::string db, const sst::TableOptions& options,
              RateLimiter* limiter = nullptr);
  ~TableOutput();  // abandons an open file

  TableOutput(const TableOutput&) = delete;
  TableOutput& operator=(const TableOutput&) = delete;

  Status Open(uint64_t number);
  bool is_open() const { return builder_ != nullptr; }
  Status Add(const Slice& key, const Slice& value);
  uint64_t FileSize() const { return builder_ ? builder_->FileSize() : 0; }

  // Finishes, syncs and closes the file and describes it in *meta. A file with no entries is
  // deleted instead, and meta->file_size is 0.
  Status Finish(FileMetaData* meta);
  // Closes and deletes the open file, if any.
  void Abandon();

 private:
  Env* const env_;
  const std::string db_;
  const sst::TableOptions& options_;
  RateLimiter* const limiter_;
  uint64_t number_ = 0;
  uint64_t paced_bytes_ = 0;  // bytes of the file already passed through the limiter
  std::unique_ptr<WritableFile> file_;
  std::unique_ptr<sst::TableBuilder> builder_;
};

}  // namespace strata
