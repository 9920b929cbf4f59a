#include "objstore/local_store.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cinttypes>
#include <cstdio>
#include <cstring>
#include <ctime>

#include "base/escape.h"
#include "objstore/posix_file.h"

namespace strata::objstore {

namespace {

constexpr std::string_view kTempPrefix = ".strata-tmp-";
constexpr size_t kCopyBytes = 1 << 20;

std::string ETagOf(const struct stat& st) {
  char buf[64];
  std::snprintf(buf, sizeof(buf), "%" PRIx64 "-%" PRIx64 "-%" PRIx64,
                static_cast<uint64_t>(st.st_ino), static_cast<uint64_t>(st.st_size),
                static_cast<uint64_t>(st.st_mtim.tv_sec) * uint64_t{1000000000} +
                    static_cast<uint64_t>(st.st_mtim.tv_nsec));
  return buf;
}

ObjectInfo InfoOf(std::string_view key, const struct stat& st) {
  ObjectInfo info;
  info.key = std::string(key);
  info.size = static_cast<uint64_t>(st.st_size);
  info.etag = ETagOf(st);
  info.last_modified_ms = static_cast<int64_t>(st.st_mtim.tv_sec) * 1000 +
                          static_cast<int64_t>(st.st_mtim.tv_nsec) / 1000000;
  return info;
}

// Whether key can be a file path below the root (local_store.h lists what cannot).
Status ValidateKey(std::string_view key) {
  auto bad = [&](const char* why) {
    return Status::InvalidArgument(std::string("key ") + QuoteBytes(key, 200) + " " + why);
  };
  if (key.empty()) return bad("is empty");
  if (key.find('\0') != std::string_view::npos) return bad("contains a NUL byte");
  size_t start = 0;
  while (true) {
    const size_t slash = key.find('/', start);
    const std::string_view part =
        key.substr(start, slash == std::string_view::npos ? std::string_view::npos : slash - start);
    if (part.empty()) return bad("has an empty path component (a directory store cannot hold it)");
    if (part == "." || part == "..") return bad("has a '.' or '..' component");
    if (part.starts_with(kTempPrefix)) return bad("uses the store's temporary-file prefix");
    if (slash == std::string_view::npos) break;
    start = slash + 1;
  }
  return Status::OK();
}

Status Errno(std::string_view op, const std::string& url, int err) {
  const std::string msg = std::string(op) + " " + url;
  if (err == ENOENT) return Status::NotFound(msg, "no such object");
  return Status::IOError(msg, std::strerror(err));
}

// One entry of a directory listing, with the name it sorts under: a directory's keys all
// start with "<name>/", so it sorts as "<name>/" among its siblings.
struct Entry {
  std::string name;
  bool is_dir = false;
  std::string sort_name() const { return is_dir ? name + "/" : name; }
};

// The entries of dir in key order, temporary files left out. A missing dir has none.
Status ReadDirSorted(const std::string& dir, std::vector<Entry>* out) {
  out->clear();
  DIR* d = ::opendir(dir.c_str());
  if (d == nullptr) {
    if (errno == ENOENT || errno == ENOTDIR) return Status::OK();
    return Status::IOError("list directory " + dir, std::strerror(errno));
  }
  while (true) {
    errno = 0;
    struct dirent* e = ::readdir(d);
    if (e == nullptr) break;
    std::string_view name = e->d_name;
    if (name == "." || name == ".." || name.starts_with(kTempPrefix)) continue;
    bool is_dir = e->d_type == DT_DIR;
    if (e->d_type == DT_UNKNOWN || e->d_type == DT_LNK) {
      struct stat st;
      if (::fstatat(dirfd(d), e->d_name, &st, 0) != 0) continue;  // vanished meanwhile
      is_dir = S_ISDIR(st.st_mode);
    }
    out->push_back({std::string(name), is_dir});
  }
  const int err = errno;
  ::closedir(d);
  if (err != 0) return Status::IOError("list directory " + dir, std::strerror(err));
  std::sort(out->begin(), out->end(),
            [](const Entry& a, const Entry& b) { return a.sort_name() < b.sort_name(); });
  return Status::OK();
}

// The continuation token: where the previous page stopped. "k" + key resumes after that key;
// "p" + prefix resumes after every key under that common prefix. Hex-encoded, so any key
// bytes survive a round trip through a command line.
std::string EncodeToken(char kind, std::string_view marker) {
  static const char kHex[] = "0123456789abcdef";
  std::string out(1, kind);
  for (unsigned char c : marker) {
    out += kHex[c >> 4];
    out += kHex[c & 15];
  }
  return out;
}

Status DecodeToken(std::string_view token, char* kind, std::string* marker) {
  auto nibble = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
  };
  if (token.empty() || (token[0] != 'k' && token[0] != 'p') || token.size() % 2 != 1) {
    return Status::InvalidArgument("not a continuation token of this store", QuoteBytes(token, 80));
  }
  *kind = token[0];
  marker->clear();
  for (size_t i = 1; i < token.size(); i += 2) {
    const int hi = nibble(token[i]), lo = nibble(token[i + 1]);
    if (hi < 0 || lo < 0) {
      return Status::InvalidArgument("not a continuation token of this store",
                                     QuoteBytes(token, 80));
    }
    *marker += static_cast<char>(hi * 16 + lo);
  }
  return Status::OK();
}

// One listing page, produced by a depth-first walk in key order that skips what lies before
// the continuation marker and stops one item after the page is full (to know whether there is
// more).
class PageWalker {
 public:
  PageWalker(std::string root, const ListOptions& options, char kind, std::string marker)
      : root_(std::move(root)),
        options_(options),
        kind_(kind),
        marker_(std::move(marker)),
        limit_(static_cast<size_t>(std::clamp(options.max_keys, 1, 1000))) {}

  Status Run(ListPage* page) {
    // Only the directory that the prefix's last '/' names can hold matching keys.
    const size_t slash = options_.prefix.rfind('/');
    const std::string dir_key =
        slash == std::string::npos ? "" : options_.prefix.substr(0, slash + 1);
    Status s = Walk(dir_key);
    if (!s.ok() && !s.IsAborted()) return s;  // Aborted: the page is full
    page->objects.clear();
    page->common_prefixes.clear();
    page->next_token.clear();
    const size_t shown = std::min(items_.size(), limit_);
    for (size_t i = 0; i < shown; i++) {
      if (items_[i].is_prefix) {
        page->common_prefixes.push_back(items_[i].info.key);
      } else {
        page->objects.push_back(std::move(items_[i].info));
      }
    }
    if (items_.size() > limit_) {
      const Item& last = items_[limit_ - 1];
      page->next_token =
          EncodeToken(last.is_prefix ? 'p' : 'k',
                      last.is_prefix ? page->common_prefixes.back() : page->objects.back().key);
    }
    return Status::OK();
  }

 private:
  struct Item {
    bool is_prefix = false;
    ObjectInfo info;  // key only, for a prefix
  };

  // Whether every key starting with key_prefix sorts at or before the continuation marker.
  bool AllBeforeMarker(const std::string& key_prefix) const {
    if (kind_ == 0) return false;
    if (kind_ == 'p' && key_prefix.starts_with(marker_)) return true;
    // Keys under key_prefix all compare below the marker when the prefix does, unless the
    // marker itself lies under the prefix.
    return key_prefix < marker_ && !marker_.starts_with(key_prefix);
  }
  bool AfterMarker(const std::string& key) const {
    if (kind_ == 0) return true;
    if (kind_ == 'p') return !key.starts_with(marker_) && key > marker_;
    return key > marker_;
  }

  Status Emit(Item item) {
    items_.push_back(std::move(item));
    return items_.size() > limit_ ? Status::Aborted("page full") : Status::OK();
  }

  Status EmitPrefix(const std::string& common) {
    if (last_prefix_ == common) return Status::OK();  // keys under one prefix are contiguous
    last_prefix_ = common;
    return Emit({true, ObjectInfo{common, 0, "", 0}});
  }

  // Whether the directory holds an object at any depth (a crash can leave empty ones behind).
  static Status HasAnyKey(const std::string& dir, bool* any) {
    std::vector<Entry> entries;
    Status s = ReadDirSorted(dir, &entries);
    for (size_t i = 0; s.ok() && !*any && i < entries.size(); i++) {
      if (!entries[i].is_dir) {
        *any = true;
      } else {
        s = HasAnyKey(dir + "/" + entries[i].name, any);
      }
    }
    return s;
  }

  // The common prefix that key collapses into under the delimiter, or "" for none.
  std::string CommonPrefix(const std::string& key) const {
    if (options_.delimiter.empty()) return "";
    const size_t at = key.find(options_.delimiter, options_.prefix.size());
    if (at == std::string::npos) return "";
    return key.substr(0, at + options_.delimiter.size());
  }

  // Walks the directory holding keys that start with dir_key ("" or ending in '/').
  Status Walk(const std::string& dir_key) {
    std::vector<Entry> entries;
    Status s = ReadDirSorted(root_ + "/" + dir_key, &entries);
    if (!s.ok()) return s;
    for (const Entry& e : entries) {
      const std::string key = dir_key + e.name;
      if (e.is_dir) {
        const std::string sub = key + "/";
        // Skip subtrees that cannot match the prefix or lie before the marker.
        if (!sub.starts_with(options_.prefix) && !options_.prefix.starts_with(sub)) continue;
        if (AllBeforeMarker(sub)) continue;
        // When the delimiter occurs in the directory's own name, every key below it collapses
        // into one common prefix: no need to walk it, only to know it holds a key.
        const std::string common = CommonPrefix(sub);
        if (!common.empty()) {
          bool any = false;
          s = HasAnyKey(root_ + "/" + sub, &any);
          if (s.ok() && any) s = EmitPrefix(common);
          if (!s.ok()) return s;
          continue;
        }
        s = Walk(sub);
        if (!s.ok()) return s;
        continue;
      }
      if (!key.starts_with(options_.prefix)) continue;
      const std::string common = CommonPrefix(key);
      if (!common.empty()) {
        if (!AfterMarker(key)) continue;
        s = EmitPrefix(common);
        if (!s.ok()) return s;
        continue;
      }
      if (!AfterMarker(key)) continue;
      struct stat st;
      if (::stat((root_ + "/" + key).c_str(), &st) != 0) continue;  // deleted meanwhile
      s = Emit({false, InfoOf(key, st)});
      if (!s.ok()) return s;
    }
    return Status::OK();
  }

  const std::string root_;
  const ListOptions& options_;
  const char kind_;  // 0: first page
  const std::string marker_;
  const size_t limit_;
  std::vector<Item> items_;
  std::string last_prefix_;
};

class LocalStore final : public ObjectStore {
 public:
  explicit LocalStore(std::string root) : root_(std::move(root)) {}

  std::string Url(std::string_view key) const override {
    return "file://" + root_ + (root_ == "/" ? "" : "/") + std::string(key);
  }

  Result<ObjectInfo> Put(std::string_view key, ByteSource* source,
                         const PutOptions& options) override {
    Status s = ValidateKey(key);
    if (!s.ok()) return s;
    const std::string path = PathOf(key);
    const std::string dir = path.substr(0, path.rfind('/'));
    std::string tmp;
    Fd fd;
    s = CreateTemp(key, dir, &tmp, &fd);
    if (!s.ok()) return s;
    struct stat st;
    s = WriteAll(key, source, fd.get());
    // The kernel stamps files with a coarse clock (one tick is milliseconds), and a freed inode
    // number is soon reused: two versions of a key could share inode, size and mtime, and so an
    // ETag, within one tick. A precise stamp of our own keeps ETags unique.
    struct timespec now[2];
    ::clock_gettime(CLOCK_REALTIME, &now[0]);
    now[1] = now[0];
    if (s.ok() && ::futimens(fd.get(), now) != 0) s = Errno("PUT (futimens)", Url(key), errno);
    if (s.ok() && ::fsync(fd.get()) != 0) s = Errno("PUT (fsync)", Url(key), errno);
    if (s.ok() && ::fstat(fd.get(), &st) != 0) s = Errno("PUT (fstat)", Url(key), errno);
    if (s.ok() && ::close(fd.Release()) != 0) s = Errno("PUT (close)", Url(key), errno);
    if (s.ok()) s = Publish(key, tmp, path, dir, options);
    if (!s.ok()) {
      ::unlink(tmp.c_str());
      return s;
    }
    return InfoOf(key, st);
  }

  Result<ObjectInfo> Get(std::string_view key, const GetOptions& options, ByteSink* sink) override {
    Status s = ValidateKey(key);
    if (!s.ok()) return s;
    Fd fd(::open(PathOf(key).c_str(), O_RDONLY | O_CLOEXEC));
    struct stat st;
    if (fd.get() < 0) return Errno("GET", Url(key), errno == EISDIR ? ENOENT : errno);
    if (::fstat(fd.get(), &st) != 0) return Errno("GET", Url(key), errno);
    if (S_ISDIR(st.st_mode)) return Errno("GET", Url(key), ENOENT);
    ObjectInfo info = InfoOf(key, st);
    if (!options.if_match.empty() && options.if_match != info.etag) {
      return Status::PreconditionFailed("GET " + Url(key),
                                        "the object changed (ETag " + info.etag + ")");
    }
    if (options.offset > 0 && options.offset >= info.size) {
      return Status::InvalidArgument(
          "GET " + Url(key), "range starts past the end (" + std::to_string(info.size) + " bytes)");
    }
    uint64_t end = info.size;
    if (options.length) end = std::min(end, options.offset + *options.length);
    std::string buffer(static_cast<size_t>(std::min<uint64_t>(kCopyBytes, end - options.offset)),
                       '\0');
    for (uint64_t at = options.offset; at < end;) {
      const size_t want = static_cast<size_t>(std::min<uint64_t>(buffer.size(), end - at));
      const ssize_t n = ::pread(fd.get(), buffer.data(), want, static_cast<off_t>(at));
      if (n < 0) {
        if (errno == EINTR) continue;
        return Errno("GET", Url(key), errno);
      }
      if (n == 0) {
        return Status::IOError("GET " + Url(key), "the file ended at byte " + std::to_string(at) +
                                                      " of " + std::to_string(end));
      }
      s = sink->Append(Slice(buffer.data(), static_cast<size_t>(n)));
      if (!s.ok()) return s;
      at += static_cast<uint64_t>(n);
    }
    return info;
  }

  Result<ObjectInfo> Head(std::string_view key) override {
    Status s = ValidateKey(key);
    if (!s.ok()) return s;
    struct stat st;
    if (::stat(PathOf(key).c_str(), &st) != 0) return Errno("HEAD", Url(key), errno);
    if (S_ISDIR(st.st_mode)) return Errno("HEAD", Url(key), ENOENT);
    return InfoOf(key, st);
  }

  Result<ListPage> List(const ListOptions& options) override {
    char kind = 0;
    std::string marker;
    if (!options.continuation_token.empty()) {
      Status s = DecodeToken(options.continuation_token, &kind, &marker);
      if (!s.ok()) return s;
    }
    ListPage page;
    PageWalker walker(root_, options, kind, marker);
    Status s = walker.Run(&page);
    if (!s.ok()) return Status::IOError("LIST " + Url(options.prefix), s.ToString());
    return page;
  }

  Status Delete(std::string_view key) override {
    Status s = ValidateKey(key);
    if (!s.ok()) return s;
    const std::string path = PathOf(key);
    if (::unlink(path.c_str()) != 0) {
      if (errno == ENOENT || errno == EISDIR || errno == ENOTDIR) return Status::OK();
      return Errno("DELETE", Url(key), errno);
    }
    std::string dir = path.substr(0, path.rfind('/'));
    s = SyncDir(dir);
    if (!s.ok()) return s;
    // Directories exist only for the keys in them: remove the ones left empty (a concurrent
    // Put recreates what it needs, see CreateTemp).
    while (dir.size() > root_.size() && ::rmdir(dir.c_str()) == 0) {
      dir.resize(dir.rfind('/'));
    }
    return Status::OK();
  }

  Status DeleteMany(const std::vector<std::string>& keys) override {
    for (const std::string& key : keys) {
      Status s = Delete(key);
      if (!s.ok()) return s;
    }
    return Status::OK();
  }

 private:
  std::string PathOf(std::string_view key) const {
    return (root_ == "/" ? "" : root_) + "/" + std::string(key);
  }

  // mkdir -p of the key's directory; each directory made is made durable in its parent.
  Status CreateDirs(std::string_view key, const std::string& dir) {
    Status s = MakeDirs(dir, /*sync=*/true);
    if (s.IsInvalidArgument()) {
      return Status::InvalidArgument("PUT " + Url(key), "a prefix of the key is an object");
    }
    return s;
  }

  // A new temporary file in dir. A concurrent Delete may remove a directory it found empty
  // between our mkdir and our create; then the directories are made again.
  Status CreateTemp(std::string_view key, const std::string& dir, std::string* tmp, Fd* fd) {
    static std::atomic<uint64_t> counter{0};
    for (int attempt = 0;; attempt++) {
      Status s = CreateDirs(key, dir);
      if (!s.ok()) return s;
      *tmp = dir + "/" + std::string(kTempPrefix) + std::to_string(::getpid()) + "-" +
             std::to_string(counter.fetch_add(1));
      const int f = ::open(tmp->c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
      if (f >= 0) {
        fd->Reset(f);
        return Status::OK();
      }
      if (errno == ENOTDIR) {
        return Status::InvalidArgument("PUT " + Url(key), "a prefix of the key is an object");
      }
      if (errno != ENOENT || attempt == 3) return Errno("PUT (create)", Url(key), errno);
    }
  }

  Status WriteAll(std::string_view key, ByteSource* source, int fd) {
    std::string buffer(kCopyBytes, '\0');
    while (true) {
      auto got = source->Read(buffer.data(), buffer.size());
      if (!got.ok()) return got.status();
      if (*got == 0) return Status::OK();
      for (size_t done = 0; done < *got;) {
        const ssize_t n = ::write(fd, buffer.data() + done, *got - done);
        if (n < 0) {
          if (errno == EINTR) continue;
          return Errno("PUT (write)", Url(key), errno);
        }
        done += static_cast<size_t>(n);
      }
    }
  }

  // Moves the synced temporary file to the key's path as options say, then syncs the directory.
  Status Publish(std::string_view key, const std::string& tmp, const std::string& path,
                 const std::string& dir, const PutOptions& options) {
    struct stat st;
    if (::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode)) {
      return Status::InvalidArgument("PUT " + Url(key), "the key is a prefix of other keys");
    }
    switch (options.condition) {
      case PutCondition::kNone:
        if (::rename(tmp.c_str(), path.c_str()) != 0) return Errno("PUT", Url(key), errno);
        break;
      case PutCondition::kIfAbsent:
        // link(2) fails if the name exists: the check and the creation are one step.
        if (::link(tmp.c_str(), path.c_str()) != 0) {
          if (errno == EEXIST) {
            return Status::PreconditionFailed("PUT " + Url(key), "the object exists");
          }
          return Errno("PUT", Url(key), errno);
        }
        ::unlink(tmp.c_str());
        break;
      case PutCondition::kIfMatch: {
        // Every If-Match writer of this directory holds its flock from the check to the rename.
        Fd dir_fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
        if (dir_fd.get() < 0 || ::flock(dir_fd.get(), LOCK_EX) != 0) {
          return Errno("PUT (lock)", Url(key), errno);
        }
        if (::stat(path.c_str(), &st) != 0) {
          if (errno == ENOENT) {
            return Status::PreconditionFailed("PUT " + Url(key), "the object does not exist");
          }
          return Errno("PUT", Url(key), errno);
        }
        if (ETagOf(st) != options.if_match) {
          return Status::PreconditionFailed(
              "PUT " + Url(key),
              "the object's ETag is " + ETagOf(st) + ", not " + options.if_match);
        }
        if (::rename(tmp.c_str(), path.c_str()) != 0) return Errno("PUT", Url(key), errno);
        break;  // the lock goes with dir_fd
      }
    }
    return SyncDir(dir);
  }

  const std::string root_;
};

}  // namespace

Result<std::unique_ptr<ObjectStore>> OpenLocalStore(const std::string& dir) {
  if (dir.empty() || dir.front() != '/') {
    return Status::InvalidArgument("a local store needs an absolute directory", dir);
  }
  std::string root = dir;
  while (root.size() > 1 && root.back() == '/') root.pop_back();
  Status s = MakeDirs(root, /*sync=*/false);
  if (!s.ok()) return Status::IOError("create store directory " + root, s.ToString());
  struct stat st;
  if (::stat(root.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) {
    return Status::InvalidArgument("not a directory", root);
  }
  return std::unique_ptr<ObjectStore>(std::make_unique<LocalStore>(root));
}

}  // namespace strata::objstore
