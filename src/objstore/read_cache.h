// ReadCache: whole objects kept as local files, for readers that need a file (the Parquet and
// SST readers take paths), bounded in bytes, least recently used evicted first.
//
// An entry is one version of one object: its name is derived from the object's URL, ETag and
// size (64-bit hashes of the URL and the ETag), so a changed object is a different entry and a
// stale copy is never served; the stale one ages out. Fetch asks the store for the object's
// current ETag (one HEAD), then serves the cached file (a hit) or downloads it (a miss).
//
// Files in the directory survive the process: Open adopts the entries it finds, oldest first by
// modification time, removes leftover temporary files, and evicts down to the capacity. Reads
// refresh an entry's time. An entry in use (a CachedFile holds it) is never evicted; the cache
// may exceed its capacity while every entry is in use. An object larger than the whole capacity
// is downloaded to a private temporary file that goes away with its CachedFile.
//
// Thread-safe. Two processes may share a directory (writes are atomic renames), but each
// accounts only for what it saw at Open and what it added.
#pragma once

#include <cstdint>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include "base/result.h"
#include "objstore/object_store.h"

namespace strata::objstore {

struct ReadCacheOptions {
  std::string dir;                       // created when missing
  uint64_t capacity_bytes = 1ull << 30;  // 1 GiB
};

struct ReadCacheStats {
  uint64_t hits = 0;
  uint64_t misses = 0;
  uint64_t evictions = 0;
  uint64_t bytes = 0;    // held now
  uint64_t entries = 0;  // held now
};

class ReadCache;

// A fetched object's local file. The file stays while this handle lives.
class CachedFile {
 public:
  CachedFile() = default;
  CachedFile(CachedFile&& other) noexcept;
  CachedFile& operator=(CachedFile&& other) noexcept;
  ~CachedFile();

  const std::string& path() const { return path_; }
  const ObjectInfo& info() const { return info_; }

 private:
  friend class ReadCache;
  void Release();

  ReadCache* cache_ = nullptr;
  std::string name_;  // the entry; empty for a private file
  std::string path_;
  ObjectInfo info_;
};

class ReadCache {
 public:
  static Result<std::unique_ptr<ReadCache>> Open(const ReadCacheOptions& options);
  ~ReadCache();
  ReadCache(const ReadCache&) = delete;
  ReadCache& operator=(const ReadCache&) = delete;

  // The current version of store's key as a local file.
  Result<CachedFile> Fetch(ObjectStore* store, std::string_view key);

  ReadCacheStats stats() const;

 private:
  friend class CachedFile;
  struct Entry {
    uint64_t bytes = 0;
    int pins = 0;
    std::list<std::string>::iterator lru;  // position in lru_
  };

  explicit ReadCache(ReadCacheOptions options) : options_(std::move(options)) {}
  Status Load();
  void Unpin(const std::string& name);
  // Removes unpinned entries, least recently used first, until the cache fits. mu_ held.
  void EvictLocked();
  void TouchLocked(const std::string& name);

  const ReadCacheOptions options_;
  mutable std::mutex mu_;
  std::unordered_map<std::string, Entry> entries_;
  std::list<std::string> lru_;  // front: least recently used
  ReadCacheStats stats_;
};

}  // namespace strata::objstore
