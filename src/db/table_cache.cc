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

Result<std::shared_ptr<sst::TableReader>> TableCache::Open(const FileMetaData& f) {
  const std::string path = TableFileName(db_, f.number);
  uint64_t actual_size = 0;
  Status s = env_->GetFileSize(path, &actual_size);
  if (s.IsNotFound())
    return Status::Corruption(path, "table referenced by the MANIFEST is missing");
  if (!s.ok()) return s;
  if (actual_size != f.file_size) {
    return Status::Corruption(path, "has " + std::to_string(actual_size) +
                                        " bytes, MANIFEST says " + std::to_string(f.file_size));
  }
  std::unique_ptr<RandomAccessFile> file;
  FileOptions file_options;
  file_options.use_mmap_reads = use_mmap_reads_;
  s = env_->NewRandomAccessFile(path, file_options, &file);
  if (!s.ok()) return s;
  auto reader = sst::TableReader::Open(options_, path, std::move(file), f.file_size);
  if (!reader.ok()) return reader.status();
  return std::shared_ptr<sst::TableReader>(std::move(*reader));
}

Result<std::shared_ptr<sst::TableReader>> TableCache::Find(const FileMetaData& f) {
  // owner_ is set before reader_ is published (release) and never changes afterwards.
  if (f.pin.reader() != nullptr) return f.pin.owner_;
  {
    std::lock_guard lock(mu_);
    auto it = tables_.find(f.number);
    if (it != tables_.end()) {
      lru_.splice(lru_.begin(), lru_, it->second);
      std::shared_ptr<sst::TableReader> table = it->second->second;
      MaybePin(f, table);
      return table;
    }
  }
  // Open outside the lock: opening reads the footer, index and filter.
  auto opened = Open(f);
  if (!opened.ok()) return opened.status();

  std::lock_guard lock(mu_);
  // Another thread may have opened or pinned it meanwhile: keep theirs, one reader per table.
  if (f.pin.reader() != nullptr) return f.pin.owner_;
  auto it = tables_.find(f.number);
  if (it != tables_.end()) return it->second->second;
  std::shared_ptr<sst::TableReader> table = std::move(*opened);
  if (MaybePin(f, table)) return table;
  lru_.emplace_front(f.number, table);
  tables_[f.number] = lru_.begin();
  while (!lru_.empty() &&
         lru_.size() + static_cast<size_t>(pinned_count_->load(std::memory_order_relaxed)) >
             capacity_) {
    tables_.erase(lru_.back().first);
    lru_.pop_back();
  }
  return table;
}

bool TableCache::MaybePin(const FileMetaData& f, const std::shared_ptr<sst::TableReader>& table) {
  TablePin& pin = f.pin;
  if (pin.reader_.load(std::memory_order_relaxed) != nullptr) return true;
  if (static_cast<size_t>(pinned_count_->load(std::memory_order_relaxed)) >= capacity_) {
    return false;
  }
  pin.owner_ = table;
  pin.pinned_count_ = pinned_count_;
  pinned_count_->fetch_add(1, std::memory_order_relaxed);
  pin.reader_.store(table.get(), std::memory_order_release);
  // The pin owns the reader now: the LRU list keeps only unpinned tables, so pinned plus
  // listed stays within capacity_.
  auto it = tables_.find(f.number);
  if (it != tables_.end()) {
    lru_.erase(it->second);
    tables_.erase(it);
  }
  return true;
}

Status TableCache::FindPinned(const FileMetaData& f, const sst::TableReader** reader,
                              std::shared_ptr<sst::TableReader>* hold) {
  if (const sst::TableReader* pinned = f.pin.reader()) {
    *reader = pinned;
    return Status::OK();
  }
  auto found = Find(f);
  if (!found.ok()) return found.status();
  *hold = std::move(*found);
  *reader = hold->get();
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
