#include "base/fault_injection_env.h"

#include <algorithm>
#include <cassert>
#include <cstring>
#include <utility>
#include <vector>

#include "base/path.h"

namespace strata {

namespace {

// "db/" and "db" name the same directory; "/" stays "/".
std::string CleanDir(std::string dir) {
  while (dir.size() > 1 && dir.back() == '/') dir.pop_back();
  return dir;
}

// True if path lies strictly below directory dir.
bool IsBelow(const std::string& path, const std::string& dir) {
  return path.size() > dir.size() && path.compare(0, dir.size(), dir) == 0 &&
         path[dir.size()] == '/';
}

// The new name of path when directory `from` is renamed to `to`: /a/x -> /b/x.
std::string MovedName(const std::string& path, const std::string& from, const std::string& to) {
  return to + path.substr(from.size());
}

// Renames the entries of a namespace map that lie below directory `from`.
template <typename Map>
void MoveEntries(Map& names, const std::string& from, const std::string& to) {
  std::vector<std::string> moving;
  for (const auto& entry : names) {
    if (IsBelow(entry.first, from)) moving.push_back(entry.first);
  }
  for (const std::string& name : moving) {
    auto node = names.extract(name);
    node.key() = MovedName(name, from, to);
    names.insert(std::move(node));
  }
}

// Renames directory `from` and the directories below it.
void MoveDirs(std::set<std::string>& dirs, const std::string& from, const std::string& to) {
  std::vector<std::string> moving;
  for (const std::string& dir : dirs) {
    if (dir == from || IsBelow(dir, from)) moving.push_back(dir);
  }
  for (const std::string& dir : moving) {
    dirs.erase(dir);
    dirs.insert(MovedName(dir, from, to));
  }
}

constexpr char kDeadHandle[] = "file handle from before a simulated crash";
constexpr char kProcessDown[] = "process is down (simulated crash)";
constexpr char kInjected[] = "injected fault";
constexpr char kNoSpace[] = "No space left on device";

}  // namespace

const char* FaultOpName(FaultOp op) {
  switch (op) {
    case FaultOp::kAppend:
      return "append";
    case FaultOp::kSync:
      return "sync";
    case FaultOp::kSyncDir:
      return "sync directory";
    case FaultOp::kRename:
      return "rename";
    case FaultOp::kCreate:
      return "create";
    case FaultOp::kRead:
      return "read";
    case FaultOp::kDelete:
      return "delete";
    case FaultOp::kLink:
      return "link";
  }
  return "unknown operation";
}

struct FaultInjectionEnv::Inode {
  std::string data;
  // Length of the prefix of data that survives a crash. Invariant: synced_size <= data.size().
  uint64_t synced_size = 0;
};

// ---------------------------------------------------------------------------------------------
// Handles. Each keeps the epoch it was opened in; once SimulateCrash() moves the Env to a new
// epoch, every operation on it fails.

class FaultInjectionEnv::SequentialReader final : public SequentialFile {
 public:
  SequentialReader(FaultInjectionEnv* env, std::string path, std::shared_ptr<Inode> inode,
                   uint64_t epoch)
      : env_(env), path_(std::move(path)), inode_(std::move(inode)), epoch_(epoch) {}
  ~SequentialReader() override { env_->ReleaseHandle(); }

  Status Read(size_t n, Slice* result, char* scratch) override {
    std::lock_guard<std::mutex> l(env_->mu_);
    Status s = env_->CheckEpochLocked(epoch_, "read", path_);
    if (s.ok()) s = env_->CheckFaultLocked(FaultOp::kRead, path_);
    if (!s.ok()) return s;
    const std::string& data = inode_->data;
    size_t got = 0;
    if (offset_ < data.size()) got = std::min<uint64_t>(n, data.size() - offset_);
    if (got > 0) std::memcpy(scratch, data.data() + offset_, got);
    offset_ += got;
    *result = Slice(scratch, got);
    return Status::OK();
  }

  Status Skip(uint64_t n) override {
    std::lock_guard<std::mutex> l(env_->mu_);
    Status s = env_->CheckEpochLocked(epoch_, "skip", path_);
    if (!s.ok()) return s;
    offset_ += n;  // past the end is allowed, as with lseek; later reads return nothing
    return Status::OK();
  }

 private:
  FaultInjectionEnv* const env_;
  const std::string path_;
  const std::shared_ptr<Inode> inode_;  // its contents are guarded by env_->mu_
  const uint64_t epoch_;
  uint64_t offset_ = 0;  // owner thread only (SequentialFile is single-threaded)
};

class FaultInjectionEnv::PreadReader final : public RandomAccessFile {
 public:
  PreadReader(FaultInjectionEnv* env, std::string path, std::shared_ptr<Inode> inode,
              uint64_t epoch)
      : env_(env), path_(std::move(path)), inode_(std::move(inode)), epoch_(epoch) {}
  ~PreadReader() override { env_->ReleaseHandle(); }

  Status Read(uint64_t offset, size_t n, Slice* result, char* scratch) const override {
    std::lock_guard<std::mutex> l(env_->mu_);
    Status s = env_->CheckEpochLocked(epoch_, "read", path_);
    if (s.ok()) s = env_->CheckFaultLocked(FaultOp::kRead, path_);
    if (!s.ok()) return s;
    const std::string& data = inode_->data;
    size_t got = 0;
    if (offset < data.size()) got = std::min<uint64_t>(n, data.size() - offset);
    if (got > 0) std::memcpy(scratch, data.data() + offset, got);
    *result = Slice(scratch, got);
    return Status::OK();
  }

 private:
  FaultInjectionEnv* const env_;
  const std::string path_;
  const std::shared_ptr<Inode> inode_;  // its contents are guarded by env_->mu_
  const uint64_t epoch_;
};

// Models a read-only mapping: the bytes the file had at open, owned here, so the slices Read
// returns stay valid while this object lives even if the file is appended to meanwhile.
class FaultInjectionEnv::MappedReader final : public RandomAccessFile {
 public:
  MappedReader(FaultInjectionEnv* env, std::string path, std::string bytes, uint64_t epoch)
      : env_(env), path_(std::move(path)), bytes_(std::move(bytes)), epoch_(epoch) {}
  ~MappedReader() override { env_->ReleaseHandle(); }

  Status Read(uint64_t offset, size_t n, Slice* result, char*) const override {
    {
      std::lock_guard<std::mutex> l(env_->mu_);
      Status s = env_->CheckEpochLocked(epoch_, "read", path_);
      if (s.ok()) s = env_->CheckFaultLocked(FaultOp::kRead, path_);
      if (!s.ok()) return s;
    }
    if (offset >= bytes_.size()) {
      *result = Slice();
      return Status::OK();
    }
    const size_t avail = bytes_.size() - static_cast<size_t>(offset);
    *result = Slice(bytes_.data() + offset, std::min(n, avail));
    return Status::OK();
  }

 private:
  FaultInjectionEnv* const env_;
  const std::string path_;
  const std::string bytes_;  // immutable, so reads need no lock
  const uint64_t epoch_;
};

class FaultInjectionEnv::Writer final : public WritableFile {
 public:
  Writer(FaultInjectionEnv* env, std::string path, std::shared_ptr<Inode> inode, uint64_t epoch,
         uint64_t initial_size)
      : env_(env),
        path_(std::move(path)),
        inode_(std::move(inode)),
        epoch_(epoch),
        size_(initial_size),
        flushed_(initial_size) {}
  ~Writer() override { env_->ReleaseHandle(); }

  Status Append(const Slice& data) override {
    std::lock_guard<std::mutex> l(env_->mu_);
    Status s = UsableLocked("append");
    if (s.ok()) s = env_->CheckFaultLocked(FaultOp::kAppend, path_);
    if (s.ok()) s = env_->CheckSpaceLocked("append", path_, data.size());
    if (!s.ok()) return s;
    inode_->data.append(data.data(), data.size());
    size_ += data.size();
    return Status::OK();
  }

  Status Flush() override {
    std::lock_guard<std::mutex> l(env_->mu_);
    Status s = UsableLocked("flush");
    if (!s.ok()) return s;
    flushed_ = inode_->data.size();
    return Status::OK();
  }

  Status Sync() override {
    std::lock_guard<std::mutex> l(env_->mu_);
    Status s = UsableLocked("sync");
    if (s.ok()) s = env_->CheckFaultLocked(FaultOp::kSync, path_);
    if (!s.ok()) return s;
    flushed_ = inode_->data.size();
    inode_->synced_size = inode_->data.size();
    return Status::OK();
  }

  Status SyncFlushed() override {
    std::lock_guard<std::mutex> l(env_->mu_);
    Status s = UsableLocked("sync");
    if (s.ok()) s = env_->CheckFaultLocked(FaultOp::kSync, path_);
    if (!s.ok()) return s;
    // The inode may have been truncated by another handle since the last Flush().
    const uint64_t mark = std::min<uint64_t>(flushed_, inode_->data.size());
    inode_->synced_size = std::max(inode_->synced_size, mark);
    return Status::OK();
  }

  Status Close() override {
    std::lock_guard<std::mutex> l(env_->mu_);
    Status s = env_->CheckEpochLocked(epoch_, "close", path_);
    if (!s.ok()) return s;
    closed_ = true;  // closing twice is fine, as with the POSIX Env
    return Status::OK();
  }

  uint64_t Size() const override { return size_; }

 private:
  Status UsableLocked(const char* op) const {
    Status s = env_->CheckEpochLocked(epoch_, op, path_);
    if (!s.ok()) return s;
    if (closed_) return Status::IOError(std::string(op) + " " + path_, "file is closed");
    return Status::OK();
  }

  FaultInjectionEnv* const env_;
  const std::string path_;
  const std::shared_ptr<Inode> inode_;  // its contents are guarded by env_->mu_
  const uint64_t epoch_;
  // Owner thread only: SyncFlushed(), the one method another thread may run, never reads it.
  uint64_t size_;
  uint64_t flushed_;     // guarded by env_->mu_: inode length at the last Flush() or Sync()
  bool closed_ = false;  // guarded by env_->mu_
};

class FaultInjectionEnv::Lock final : public FileLock {
 public:
  Lock(FaultInjectionEnv* env, std::string path, uint64_t id)
      : env_(env), path_(std::move(path)), id_(id) {}
  ~Lock() override {
    {
      std::lock_guard<std::mutex> l(env_->mu_);
      // After a crash the path may be locked again by a new holder; leave that lock alone.
      auto it = env_->locks_.find(path_);
      if (it != env_->locks_.end() && it->second == id_) env_->locks_.erase(it);
    }
    env_->ReleaseHandle();
  }

 private:
  FaultInjectionEnv* const env_;
  const std::string path_;
  const uint64_t id_;
};

// ---------------------------------------------------------------------------------------------
// The Env.
//
// Methods that hand out a handle build it under mu_ but assign it to the caller's unique_ptr
// only after unlocking: that assignment destroys whatever handle the pointer held before, and
// handle destructors take mu_.

FaultInjectionEnv::FaultInjectionEnv() = default;

FaultInjectionEnv::~FaultInjectionEnv() {
  assert(open_handles_ == 0 && "destroy every file and lock before the FaultInjectionEnv");
}

void FaultInjectionEnv::ReleaseHandle() {
  std::lock_guard<std::mutex> l(mu_);
  --open_handles_;
}

bool FaultInjectionEnv::IsDirLocked(const std::string& dir) const {
  return dir == "/" || dir == "." || dirs_.count(dir) > 0;
}

std::shared_ptr<FaultInjectionEnv::Inode> FaultInjectionEnv::FindLocked(
    const std::string& path) const {
  auto it = live_.find(path);
  return it == live_.end() ? nullptr : it->second;
}

Status FaultInjectionEnv::CheckFaultLocked(FaultOp op, const std::string& path,
                                           const std::string& path2) {
  if (down_) return Status::IOError(std::string(FaultOpName(op)) + " " + path, kProcessDown);
  for (auto it = faults_.begin(); it != faults_.end(); ++it) {
    if (it->op != op) continue;
    const bool match = path.find(it->path_substring) != std::string::npos ||
                       (!path2.empty() && path2.find(it->path_substring) != std::string::npos);
    if (!match) continue;
    if (it->skip > 0) {
      --it->skip;  // this one goes through; a later fault may still match it
      continue;
    }
    if (it->remaining > 0 && --it->remaining == 0) faults_.erase(it);
    ++injected_failures_;
    const std::string what = path2.empty() ? path : path + " -> " + path2;
    return Status::IOError(std::string(FaultOpName(op)) + " " + what, kInjected);
  }
  return Status::OK();
}

uint64_t FaultInjectionEnv::LiveBytesLocked() const {
  std::set<const Inode*> counted;  // hard links share an inode, and its bytes
  uint64_t total = 0;
  for (const auto& [name, inode] : live_) {
    if (counted.insert(inode.get()).second) total += inode->data.size();
  }
  return total;
}

Status FaultInjectionEnv::CheckSpaceLocked(const char* op, const std::string& path,
                                           uint64_t more) const {
  if (capacity_ == 0) return Status::OK();
  const uint64_t used = LiveBytesLocked();
  // A create needs room for at least its first byte; an append for all of its bytes.
  const bool fits = more == 0 ? used < capacity_ : used + more <= capacity_;
  if (fits) return Status::OK();
  return Status::IOError(std::string(op) + " " + path, std::string(kNoSpace) + " (capacity " +
                                                           std::to_string(capacity_) + " bytes, " +
                                                           std::to_string(used) + " in use, " +
                                                           std::to_string(more) + " more asked)");
}

Status FaultInjectionEnv::CheckEpochLocked(uint64_t epoch, const char* op,
                                           const std::string& path) const {
  if (epoch == epoch_) return Status::OK();
  return Status::IOError(std::string(op) + " " + path, kDeadHandle);
}

Status FaultInjectionEnv::CheckParentLocked(const char* op, const std::string& path) const {
  const std::string parent = DirName(path);
  if (IsDirLocked(parent)) return Status::OK();
  return Status::NotFound(std::string(op) + " " + path, "no such directory " + parent);
}

Status FaultInjectionEnv::FindFileForReadLocked(const std::string& path,
                                                std::shared_ptr<Inode>* inode) {
  Status s = CheckFaultLocked(FaultOp::kRead, path);
  if (!s.ok()) return s;
  *inode = FindLocked(path);
  if (*inode != nullptr) return Status::OK();
  if (IsDirLocked(CleanDir(path))) return Status::IOError("open " + path, "is a directory");
  return Status::NotFound("open " + path, "no such file");
}

Status FaultInjectionEnv::NewSequentialFile(const std::string& path,
                                            std::unique_ptr<SequentialFile>* file) {
  std::unique_ptr<SequentialFile> made;
  {
    std::lock_guard<std::mutex> l(mu_);
    std::shared_ptr<Inode> inode;
    Status s = FindFileForReadLocked(path, &inode);
    if (!s.ok()) return s;
    made = std::make_unique<SequentialReader>(this, path, std::move(inode), epoch_);
    ++open_handles_;
  }
  *file = std::move(made);
  return Status::OK();
}

Status FaultInjectionEnv::NewRandomAccessFile(const std::string& path, const FileOptions& options,
                                              std::unique_ptr<RandomAccessFile>* file) {
  std::unique_ptr<RandomAccessFile> made;
  {
    std::lock_guard<std::mutex> l(mu_);
    std::shared_ptr<Inode> inode;
    Status s = FindFileForReadLocked(path, &inode);
    if (!s.ok()) return s;
    if (options.use_mmap_reads) {
      made = std::make_unique<MappedReader>(this, path, inode->data, epoch_);
    } else {
      made = std::make_unique<PreadReader>(this, path, std::move(inode), epoch_);
    }
    ++open_handles_;
  }
  *file = std::move(made);
  return Status::OK();
}

Status FaultInjectionEnv::OpenWritable(const std::string& path, bool truncate,
                                       std::unique_ptr<WritableFile>* file) {
  std::unique_ptr<WritableFile> made;
  {
    std::lock_guard<std::mutex> l(mu_);
    const char* op = truncate ? "create" : "open for append";
    Status s = CheckFaultLocked(FaultOp::kCreate, path);
    if (!s.ok()) return s;
    if (IsDirLocked(CleanDir(path))) return Status::IOError(op + (" " + path), "is a directory");
    std::shared_ptr<Inode> inode = FindLocked(path);
    if (inode == nullptr) {
      s = CheckParentLocked(op, path);
      if (s.ok()) s = CheckSpaceLocked(op, path, 0);
      if (!s.ok()) return s;
      inode = std::make_shared<Inode>();
      live_[path] = inode;
    } else if (truncate) {
      // In place, as O_TRUNC: links and readers see it, and it is durable at once.
      inode->data.clear();
      inode->synced_size = 0;
    }
    const uint64_t initial_size = inode->data.size();
    made = std::make_unique<Writer>(this, path, std::move(inode), epoch_, initial_size);
    ++open_handles_;
  }
  *file = std::move(made);
  return Status::OK();
}

Status FaultInjectionEnv::NewWritableFile(const std::string& path, const FileOptions&,
                                          std::unique_ptr<WritableFile>* file) {
  return OpenWritable(path, /*truncate=*/true, file);
}

Status FaultInjectionEnv::NewAppendableFile(const std::string& path, const FileOptions&,
                                            std::unique_ptr<WritableFile>* file) {
  return OpenWritable(path, /*truncate=*/false, file);
}

bool FaultInjectionEnv::FileExists(const std::string& path) {
  std::lock_guard<std::mutex> l(mu_);
  if (down_) return false;
  return live_.count(path) > 0 || IsDirLocked(CleanDir(path));
}

Status FaultInjectionEnv::GetChildren(const std::string& dir, std::vector<std::string>* names) {
  const std::string d = CleanDir(dir);
  std::lock_guard<std::mutex> l(mu_);
  names->clear();
  if (down_) return Status::IOError("list " + dir, kProcessDown);
  if (!IsDirLocked(d)) return Status::NotFound("list " + dir, "no such directory");
  for (const auto& [name, inode] : live_) {
    if (DirName(name) == d) names->push_back(BaseName(name));
  }
  for (const std::string& sub : dirs_) {
    if (DirName(sub) == d) names->push_back(BaseName(sub));
  }
  return Status::OK();
}

Status FaultInjectionEnv::GetFileSize(const std::string& path, uint64_t* size) {
  std::lock_guard<std::mutex> l(mu_);
  if (down_) return Status::IOError("stat " + path, kProcessDown);
  std::shared_ptr<Inode> inode = FindLocked(path);
  if (inode == nullptr) {
    if (IsDirLocked(CleanDir(path))) return Status::IOError("stat " + path, "is a directory");
    return Status::NotFound("stat " + path, "no such file");
  }
  *size = inode->data.size();
  return Status::OK();
}

Status FaultInjectionEnv::DeleteFile(const std::string& path) {
  std::lock_guard<std::mutex> l(mu_);
  Status s = CheckFaultLocked(FaultOp::kDelete, path);
  if (!s.ok()) return s;
  if (live_.erase(path) > 0) return Status::OK();
  if (IsDirLocked(CleanDir(path))) return Status::IOError("delete " + path, "is a directory");
  return Status::NotFound("delete " + path, "no such file");
}

Status FaultInjectionEnv::CreateDirIfMissing(const std::string& dir) {
  const std::string d = CleanDir(dir);
  std::lock_guard<std::mutex> l(mu_);
  Status s = CheckFaultLocked(FaultOp::kCreate, d);
  if (!s.ok()) return s;
  if (IsDirLocked(d)) return Status::OK();
  if (live_.count(d) > 0) {
    return Status::IOError("create directory " + d, "exists and is not a directory");
  }
  s = CheckParentLocked("create directory", d);
  if (!s.ok()) return s;
  dirs_.insert(d);
  return Status::OK();
}

Status FaultInjectionEnv::DeleteDir(const std::string& dir) {
  const std::string d = CleanDir(dir);
  std::lock_guard<std::mutex> l(mu_);
  Status s = CheckFaultLocked(FaultOp::kDelete, d);
  if (!s.ok()) return s;
  if (d == "/" || d == ".") return Status::IOError("delete directory " + d, "is the root");
  if (dirs_.count(d) == 0) {
    if (live_.count(d) > 0) return Status::IOError("delete directory " + d, "not a directory");
    return Status::NotFound("delete directory " + d, "no such directory");
  }
  const auto is_child = [&d](const std::string& name) { return DirName(name) == d; };
  const bool has_files = std::any_of(live_.begin(), live_.end(),
                                     [&](const auto& entry) { return is_child(entry.first); });
  if (has_files || std::any_of(dirs_.begin(), dirs_.end(), is_child)) {
    return Status::IOError("delete directory " + d, "directory not empty");
  }
  // The removal is durable at once, and so are the deletions that emptied the directory.
  std::erase_if(durable_, [&](const auto& entry) { return is_child(entry.first); });
  dirs_.erase(d);
  return Status::OK();
}

Status FaultInjectionEnv::SyncDirLocked(const std::string& dir) {
  Status s = CheckFaultLocked(FaultOp::kSyncDir, dir);
  if (!s.ok()) return s;
  if (!IsDirLocked(dir)) return Status::NotFound("sync directory " + dir, "no such directory");
  std::erase_if(durable_, [&dir](const auto& entry) { return DirName(entry.first) == dir; });
  for (const auto& [name, inode] : live_) {
    if (DirName(name) == dir) durable_[name] = inode;
  }
  return Status::OK();
}

Status FaultInjectionEnv::SyncDir(const std::string& dir) {
  std::lock_guard<std::mutex> l(mu_);
  return SyncDirLocked(CleanDir(dir));
}

Status FaultInjectionEnv::RenameFile(const std::string& src, const std::string& dst) {
  const std::string what = "rename " + src + " -> " + dst;
  std::lock_guard<std::mutex> l(mu_);
  Status s = CheckFaultLocked(FaultOp::kRename, src, dst);
  if (!s.ok()) return s;
  std::shared_ptr<Inode> inode = FindLocked(src);
  if (inode == nullptr) {
    if (IsDirLocked(CleanDir(src))) return RenameDirLocked(CleanDir(src), CleanDir(dst), what);
    return Status::NotFound(what, "no such file " + src);
  }
  if (IsDirLocked(CleanDir(dst))) return Status::IOError(what, "destination is a directory");
  s = CheckParentLocked("rename", dst);
  if (!s.ok()) return Status::NotFound(what, "no such directory " + DirName(dst));
  // As rename(2): if both names already point to the same inode, nothing changes.
  if (FindLocked(dst) != inode) {
    live_[dst] = std::move(inode);
    live_.erase(src);
  }
  s = SyncDirLocked(DirName(dst));
  if (s.ok() && DirName(src) != DirName(dst)) s = SyncDirLocked(DirName(src));
  if (!s.ok()) return Status::IOError(what, s.message());
  return Status::OK();
}

Status FaultInjectionEnv::RenameDirLocked(const std::string& src, const std::string& dst,
                                          const std::string& what) {
  if (src == "/" || src == ".") return Status::IOError(what, "cannot rename the root");
  if (dst == src) return Status::OK();
  if (IsBelow(dst, src)) return Status::IOError(what, "destination is inside the source");
  if (live_.count(dst) > 0) return Status::IOError(what, "destination is a file");
  Status s = CheckParentLocked("rename", dst);
  if (!s.ok()) return Status::NotFound(what, "no such directory " + DirName(dst));
  for (const auto& [path, id] : locks_) {
    if (IsBelow(path, src)) return Status::NotSupported(what, "the directory holds a locked file");
  }
  if (IsDirLocked(dst)) {
    // rename(2) replaces an empty directory, and only an empty one.
    const auto in_dst = [&dst](const std::string& name) { return DirName(name) == dst; };
    const bool has_files = std::any_of(live_.begin(), live_.end(),
                                       [&](const auto& entry) { return in_dst(entry.first); });
    if (dst == "/" || dst == "." || has_files || std::any_of(dirs_.begin(), dirs_.end(), in_dst)) {
      return Status::IOError(what, "destination directory not empty");
    }
    // As DeleteDir(): the removal takes the durable entries no SyncDir() removed.
    std::erase_if(durable_, [&](const auto& entry) { return in_dst(entry.first); });
    dirs_.erase(dst);
  }
  MoveEntries(live_, src, dst);
  MoveEntries(durable_, src, dst);
  MoveDirs(dirs_, src, dst);
  s = SyncDirLocked(DirName(dst));
  if (s.ok() && DirName(src) != DirName(dst)) s = SyncDirLocked(DirName(src));
  if (!s.ok()) return Status::IOError(what, s.message());
  return Status::OK();
}

Status FaultInjectionEnv::LinkFile(const std::string& src, const std::string& dst) {
  const std::string what = "link " + src + " -> " + dst;
  std::lock_guard<std::mutex> l(mu_);
  Status s = CheckFaultLocked(FaultOp::kLink, src, dst);
  if (!s.ok()) return s;
  std::shared_ptr<Inode> inode = FindLocked(src);
  if (inode == nullptr) {
    if (IsDirLocked(CleanDir(src))) return Status::IOError(what, "source is a directory");
    return Status::NotFound(what, "no such file " + src);
  }
  if (live_.count(dst) > 0 || IsDirLocked(CleanDir(dst))) {
    return Status::IOError(what, "destination exists");
  }
  s = CheckParentLocked("link", dst);
  if (!s.ok()) return Status::NotFound(what, "no such directory " + DirName(dst));
  live_[dst] = std::move(inode);
  return Status::OK();
}

Status FaultInjectionEnv::LockFile(const std::string& path, std::unique_ptr<FileLock>* lock) {
  std::unique_ptr<FileLock> made;
  {
    std::lock_guard<std::mutex> l(mu_);
    if (down_) return Status::IOError("lock " + path, kProcessDown);
    if (locks_.count(path) > 0) return Status::Busy("lock " + path, "already held");
    if (live_.count(path) == 0) {
      if (IsDirLocked(CleanDir(path))) return Status::IOError("lock " + path, "is a directory");
      Status s = CheckParentLocked("lock", path);
      if (!s.ok()) return s;
      live_[path] = std::make_shared<Inode>();
    }
    const uint64_t id = next_lock_id_++;
    locks_[path] = id;
    made = std::make_unique<Lock>(this, path, id);
    ++open_handles_;
  }
  *lock = std::move(made);
  return Status::OK();
}

void FaultInjectionEnv::SimulateCrash() {
  std::lock_guard<std::mutex> l(mu_);
  SimulateCrashLocked();
}

void FaultInjectionEnv::SimulateCrashLocked() {
  live_ = durable_;
  for (auto& [name, inode] : live_) inode->data.resize(inode->synced_size);
  locks_.clear();  // the holders died with the process
  ++epoch_;
}

void FaultInjectionEnv::SimulateProcessDeath() {
  // One critical section: were the process marked down only after the crash, a thread of
  // the dead process could act on the crashed state in between (sync and rename a directory
  // whose unsynced links the crash just dropped) and acknowledge it.
  std::lock_guard<std::mutex> l(mu_);
  SimulateCrashLocked();
  down_ = true;
}

void FaultInjectionEnv::Restart() {
  std::lock_guard<std::mutex> l(mu_);
  down_ = false;
}

void FaultInjectionEnv::InjectError(FaultOp op, std::string path_substring, int count) {
  InjectErrorAfter(op, std::move(path_substring), 0, count);
}

void FaultInjectionEnv::InjectErrorAfter(FaultOp op, std::string path_substring, int skip,
                                         int count) {
  if (count == 0) return;
  std::lock_guard<std::mutex> l(mu_);
  faults_.push_back(
      Fault{op, std::move(path_substring), count < 0 ? -1 : count, skip < 0 ? 0 : skip});
}

void FaultInjectionEnv::SetCapacity(uint64_t bytes) {
  std::lock_guard<std::mutex> l(mu_);
  capacity_ = bytes;
}

uint64_t FaultInjectionEnv::LiveBytes() const {
  std::lock_guard<std::mutex> l(mu_);
  return LiveBytesLocked();
}

void FaultInjectionEnv::ClearErrors() {
  std::lock_guard<std::mutex> l(mu_);
  faults_.clear();
}

int FaultInjectionEnv::InjectedFailures() const {
  std::lock_guard<std::mutex> l(mu_);
  return injected_failures_;
}

uint64_t FaultInjectionEnv::SyncedSize(const std::string& path) const {
  std::lock_guard<std::mutex> l(mu_);
  std::shared_ptr<Inode> inode = FindLocked(path);
  return inode == nullptr ? 0 : inode->synced_size;
}

bool FaultInjectionEnv::DurablyExists(const std::string& path) const {
  std::lock_guard<std::mutex> l(mu_);
  return durable_.count(path) > 0 || IsDirLocked(CleanDir(path));
}

}  // namespace strata
