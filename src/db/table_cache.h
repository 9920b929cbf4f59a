// TableCache: open SSTable readers, bounded in number (Options::max_open_files). Readers of
// live tables are pinned in their Version metadata while the bound allows (TablePin); the
// rest are kept in an LRU list, pinned and listed together never above the bound.
#pragma once

#include <cstdint>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include "base/result.h"
#include "db/version_edit.h"
#include "sst/table_options.h"
#include "sst/table_reader.h"
#include "strata/env.h"

namespace strata {

class TableCache {
 public:
  // options is copied; its comparator and cache must outlive this object.
  TableCache(Env* env, std::string db, const sst::TableOptions& options, size_t capacity,
             bool use_mmap_reads);

  // The reader of table f, opening it if needed, and pinning it in f.pin when fewer than
  // capacity tables are pinned (see TablePin). Corruption, naming the file, for a missing,
  // truncated or damaged table. Every reader of a live table comes through here with the
  // Version's metadata, so a table is open at most once.
  Result<std::shared_ptr<sst::TableReader>> Find(const FileMetaData& f);
  // As Find, for point reads: a pinned reader comes back as a plain pointer (no lock, no
  // reference count) and *hold stays empty; otherwise *hold owns it. *reader stays valid
  // while f exists or *hold is kept, whichever is longer.
  Status FindPinned(const FileMetaData& f, const sst::TableReader** reader,
                    std::shared_ptr<sst::TableReader>* hold);
  // Forgets a table (after it is deleted).
  void Evict(uint64_t number);

 private:
  Result<std::shared_ptr<sst::TableReader>> Open(const FileMetaData& f);
  // Pins table in f.pin if it is not pinned and the budget allows; true if f is pinned
  // afterwards. mu_ held.
  bool MaybePin(const FileMetaData& f, const std::shared_ptr<sst::TableReader>& table);

  Env* const env_;
  const std::string db_;
  const sst::TableOptions options_;
  const size_t capacity_;
  const bool use_mmap_reads_;

  // Tables pinned in live metadata (each also counts against capacity_); shared with the
  // pins, which give their count back when their metadata goes.
  const std::shared_ptr<std::atomic<int>> pinned_count_ = std::make_shared<std::atomic<int>>(0);
  std::mutex mu_;  // guards lru_ and tables_, and every pin's setting
  // Most recently used at the front. Readers stay alive while a caller holds them.
  std::list<std::pair<uint64_t, std::shared_ptr<sst::TableReader>>> lru_;
  std::unordered_map<uint64_t, decltype(lru_)::iterator> tables_;
};

}  // namespace strata
