#include "db/table_cache.h"

#include "db/filename.h"

namespace strata {

TableCache::TableCache(Env* env, std::string db, const sst::TableOptions& options, size_t capacity,
                       bool use_mmap_reads)
    : env_(env),
      db_(std::move(db)),
      options_(options),
      capacity_(capacity < 1 ? 1 : capacity),
      use_mmap_reads_(use_mmap_reads) {}

Status TableCache::Find(uint64_t number, uint64_t file_size,
                        std::shared_ptr<sst::TableReader>* table) {
  {
    std::lock_guard lock(mu_);
    auto it = tables_.find(number);
    if (it != tables_.end()) {
      lru_.splice(lru_.begin(), lru_, it->second);
      *table = it->second->second;
      return Status::OK();
    }
  }
  // Open outside the lock: opening reads the footer, index and filter.
  const std::string path = TableFileName(db_, number);
  uint64_t actual_size = 0;
  Status s = env_->GetFileSize(path, &actual_size);
  if (s.IsNotFound())
    return Status::Corruption(path, "table referenced by the MANIFEST is missing");
  if (!s.ok()) return s;
  if (actual_size != file_size) {
    return Status::Corruption(path, "has " + std::to_string(actual_size) +
                                        " bytes, MANIFEST says " + std::to_string(file_size));
  }
  std::unique_ptr<RandomAccessFile> file;
  FileOptions file_options;
  file_options.use_mmap_reads = use_mmap_reads_;
  s = env_->NewRandomAccessFile(path, file_options, &file);
  if (!s.ok()) return s;
  std::unique_ptr<sst::TableReader> reader;
  s = sst::TableReader::Open(options_, path, std::move(file), file_size, &reader);
  if (!s.ok()) return s;
  std::shared_ptr<sst::TableReader> shared = std::move(reader);

  std::lock_guard lock(mu_);
  auto it = tables_.find(number);
  if (it != tables_.end()) {  // another thread opened it meanwhile
    *table = it->second->second;
    return Status::OK();
  }
  lru_.emplace_front(number, shared);
  tables_[number] = lru_.begin();
  while (lru_.size() > capacity_) {
    tables_.erase(lru_.back().first);
    lru_.pop_back();
  }
  *table = std::move(shared);
  return Status::OK();
}

void TableCache::Evict(uint64_t number) {
  std::lock_guard lock(mu_);
  auto it = tables_.find(number);
  if (it == tables_.end()) return;
  lru_.erase(it->second);
  tables_.erase(it);
}

}  // namespace strata
