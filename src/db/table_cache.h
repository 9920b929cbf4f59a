// TableCache: open SSTable readers, bounded in number (Options::max_open_files).
#pragma once

#include <cstdint>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include "sst/table_options.h"
#include "sst/table_reader.h"
#include "strata/env.h"

namespace strata {

class TableCache {
 public:
  // options is copied; its comparator and cache must outlive this object.
  TableCache(Env* env, std::string db, const sst::TableOptions& options, size_t capacity,
             bool use_mmap_reads);

  // The reader of table `number` (of file_size bytes), opening it if needed. Corruption,
  // naming the file, for a missing, truncated or damaged table.
  Status Find(uint64_t number, uint64_t file_size, std::shared_ptr<sst::TableReader>* table);
  // Forgets a table (after it is deleted).
  void Evict(uint64_t number);

 private:
  Env* const env_;
  const std::string db_;
  const sst::TableOptions options_;
  const size_t capacity_;
  const bool use_mmap_reads_;

  std::mutex mu_;  // guards lru_ and tables_
  // Most recently used at the front. Readers stay alive while a caller holds them.
  std::list<std::pair<uint64_t, std::shared_ptr<sst::TableReader>>> lru_;
  std::unordered_map<uint64_t, decltype(lru_)::iterator> tables_;
};

}  // namespace strata
