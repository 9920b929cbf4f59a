#include "objstore/read_cache.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cinttypes>
#include <cstdio>
#include <cstring>
#include <vector>

#include "base/crc64.h"
#include "objstore/posix_file.h"

namespace strata::objstore {

namespace {

constexpr std::string_view kEntrySuffix = ".obj";
// Downloads in progress and private copies; a crash leaves them, Open removes them.
constexpr std::string_view kTempPrefix = ".tmp-";

std::string EntryName(const std::string& url, const ObjectInfo& info) {
  char buf[80];
  std::snprintf(buf, sizeof(buf), "%016" PRIx64 "-%016" PRIx64 "-%" PRIu64,
                crc64::Value(url.data(), url.size()),
                crc64::Value(info.etag.data(), info.etag.size()), info.size);
  return std::string(buf) + std::string(kEntrySuffix);
}

std::string NewTempName() {
  static std::atomic<uint64_t> counter{0};
  return std::string(kTempPrefix) + std::to_string(::getpid()) + "-" +
         std::to_string(counter.fetch_add(1));
}

}  // namespace

CachedFile::CachedFile(CachedFile&& other) noexcept { *this = std::move(other); }

CachedFile& CachedFile::operator=(CachedFile&& other) noexcept {
  if (this != &other) {
    Release();
    cache_ = other.cache_;
    name_ = std::move(other.name_);
    path_ = std::move(other.path_);
    info_ = std::move(other.info_);
    other.cache_ = nullptr;
    other.path_.clear();
  }
  return *this;
}

CachedFile::~CachedFile() { Release(); }

void CachedFile::Release() {
  if (cache_ == nullptr) return;
  if (name_.empty()) {
    ::unlink(path_.c_str());  // a private copy of an object too large to cache
  } else {
    cache_->Unpin(name_);
  }
  cache_ = nullptr;
}

Result<std::unique_ptr<ReadCache>> ReadCache::Open(const ReadCacheOptions& options) {
  if (options.dir.empty()) return Status::InvalidArgument("read cache: no directory given");
  std::unique_ptr<ReadCache> cache(new ReadCache(options));
  Status s = cache->Load();
  if (!s.ok()) return s;
  return cache;
}

ReadCache::~ReadCache() = default;

Status ReadCache::Load() {
  const std::string& dir = options_.dir;
  Status s = MakeDirs(dir, /*sync=*/false);
  if (!s.ok()) return Status::IOError("read cache: create " + dir, s.ToString());
  DIR* d = ::opendir(dir.c_str());
  if (d == nullptr) return Status::IOError("read cache: open " + dir, std::strerror(errno));
  struct Found {
    std::string name;
    uint64_t bytes;
    int64_t mtime_ns;
  };
  std::vector<Found> found;
  while (struct dirent* e = ::readdir(d)) {
    const std::string name = e->d_name;
    const std::string path = dir + "/" + name;
    if (name.starts_with(kTempPrefix)) {
      ::unlink(path.c_str());
      continue;
    }
    struct stat st;
    if (!name.ends_with(kEntrySuffix) || ::stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) {
      continue;
    }
    found.push_back({name, static_cast<uint64_t>(st.st_size),
                     static_cast<int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec});
  }
  ::closedir(d);
  std::sort(found.begin(), found.end(),
            [](const Found& a, const Found& b) { return a.mtime_ns < b.mtime_ns; });
  std::lock_guard lock(mu_);
  for (const Found& f : found) {
    Entry& e = entries_[f.name];
    e.bytes = f.bytes;
    e.lru = lru_.insert(lru_.end(), f.name);
    stats_.bytes += f.bytes;
  }
  stats_.entries = entries_.size();
  EvictLocked();
  return Status::OK();
}

Result<CachedFile> ReadCache::Fetch(ObjectStore* store, std::string_view key) {
  auto head = store->Head(key);
  if (!head.ok()) return head.status();
  const std::string url = store->Url(key);
  CachedFile file;
  file.cache_ = this;
  {
    std::lock_guard lock(mu_);
    const std::string name = EntryName(url, *head);
    auto it = entries_.find(name);
    if (it != entries_.end()) {
      it->second.pins++;
      TouchLocked(name);
      stats_.hits++;
      file.name_ = name;
      file.path_ = options_.dir + "/" + name;
      file.info_ = *head;
      ::utimensat(AT_FDCWD, file.path_.c_str(), nullptr, 0);  // LRU order survives restarts
      return file;
    }
    stats_.misses++;
  }
  // A miss: download outside the lock. GetFile fetches the object's version at that moment,
  // which names the entry (it may be newer than head's).
  const std::string tmp = options_.dir + "/" + NewTempName();
  auto got = store->GetFile(key, tmp);
  if (!got.ok()) return got.status();
  file.info_ = *got;
  if (got->size > options_.capacity_bytes) {
    file.path_ = tmp;  // private: deleted with the handle
    return file;
  }
  const std::string name = EntryName(url, *got);
  const std::string path = options_.dir + "/" + name;
  std::lock_guard lock(mu_);
  auto it = entries_.find(name);
  if (it != entries_.end()) {
    ::unlink(tmp.c_str());  // another thread fetched the same version meanwhile
    it->second.pins++;
    TouchLocked(name);
  } else {
    if (::rename(tmp.c_str(), path.c_str()) != 0) {
      const int err = errno;
      ::unlink(tmp.c_str());
      return Status::IOError("read cache: rename to " + path, std::strerror(err));
    }
    Entry& e = entries_[name];
    e.bytes = got->size;
    e.pins = 1;
    e.lru = lru_.insert(lru_.end(), name);
    stats_.bytes += got->size;
    stats_.entries = entries_.size();
  }
  file.name_ = name;
  file.path_ = path;
  EvictLocked();
  return file;
}

void ReadCache::Unpin(const std::string& name) {
  std::lock_guard lock(mu_);
  auto it = entries_.find(name);
  if (it != entries_.end() && it->second.pins > 0) it->second.pins--;
  EvictLocked();
}

void ReadCache::TouchLocked(const std::string& name) {
  Entry& e = entries_[name];
  lru_.splice(lru_.end(), lru_, e.lru);
}

void ReadCache::EvictLocked() {
  for (auto it = lru_.begin(); it != lru_.end() && stats_.bytes > options_.capacity_bytes;) {
    auto entry = entries_.find(*it);
    if (entry->second.pins > 0) {
      ++it;
      continue;
    }
    ::unlink((options_.dir + "/" + *it).c_str());
    stats_.bytes -= entry->second.bytes;
    stats_.evictions++;
    entries_.erase(entry);
    it = lru_.erase(it);
  }
  stats_.entries = entries_.size();
}

ReadCacheStats ReadCache::stats() const {
  std::lock_guard lock(mu_);
  return stats_;
}

}  // namespace strata::objstore
