// MemEnv's handles: the open files and locks, and the methods that hand them out. The
// namespace, crashes and disk capacity are in mem_env.cc.
#include <algorithm>
#include <cstring>
#include <utility>

#include "testing/mem_env.h"

namespace strata::testing {

namespace {

constexpr char kDeadHandle[] = "file handle from before a simulated crash";

}  // namespace

// ---------------------------------------------------------------------------------------------
// Handles. Each keeps the epoch it was opened in; once SimulateCrash() moves the Env to a new
// epoch, every operation on it fails.

class MemEnv::SequentialReader final : public SequentialFile {
 public:
  SequentialReader(MemEnv* env, std::string path, std::shared_ptr<Inode> inode, uint64_t epoch)
      : env_(env), path_(std::move(path)), inode_(std::move(inode)), epoch_(epoch) {}
  ~SequentialReader() override { env_->ReleaseHandle(); }

  Status Read(size_t n, Slice* result, char* scratch) override {
    std::lock_guard<std::mutex> l(env_->mu_);
    Status s = env_->CheckEpochLocked(epoch_, "read", path_);
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
  MemEnv* const env_;
  const std::string path_;
  const std::shared_ptr<Inode> inode_;  // its contents are guarded by env_->mu_
  const uint64_t epoch_;
  uint64_t offset_ = 0;  // owner thread only (SequentialFile is single-threaded)
};

class MemEnv::PreadReader final : public RandomAccessFile {
 public:
  PreadReader(MemEnv* env, std::string path, std::shared_ptr<Inode> inode, uint64_t epoch)
      : env_(env), path_(std::move(path)), inode_(std::move(inode)), epoch_(epoch) {}
  ~PreadReader() override { env_->ReleaseHandle(); }

  Status Read(uint64_t offset, size_t n, Slice* result, char* scratch) const override {
    std::lock_guard<std::mutex> l(env_->mu_);
    Status s = env_->CheckEpochLocked(epoch_, "read", path_);
    if (!s.ok()) return s;
    const std::string& data = inode_->data;
    size_t got = 0;
    if (offset < data.size()) got = std::min<uint64_t>(n, data.size() - offset);
    if (got > 0) std::memcpy(scratch, data.data() + offset, got);
    *result = Slice(scratch, got);
    return Status::OK();
  }

 private:
  MemEnv* const env_;
  const std::string path_;
  const std::shared_ptr<Inode> inode_;  // its contents are guarded by env_->mu_
  const uint64_t epoch_;
};

// Models a read-only mapping: the bytes the file had at open, owned here, so the slices Read
// returns stay valid while this object lives even if the file is appended to meanwhile.
class MemEnv::MappedReader final : public RandomAccessFile {
 public:
  MappedReader(MemEnv* env, std::string path, std::string bytes, uint64_t epoch)
      : env_(env), path_(std::move(path)), bytes_(std::move(bytes)), epoch_(epoch) {}
  ~MappedReader() override { env_->ReleaseHandle(); }

  Status Read(uint64_t offset, size_t n, Slice* result, char*) const override {
    {
      std::lock_guard<std::mutex> l(env_->mu_);
      Status s = env_->CheckEpochLocked(epoch_, "read", path_);
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
  MemEnv* const env_;
  const std::string path_;
  const std::string bytes_;  // immutable, so reads need no lock
  const uint64_t epoch_;
};

class MemEnv::Writer final : public WritableFile {
 public:
  Writer(MemEnv* env, std::string path, std::shared_ptr<Inode> inode, uint64_t epoch,
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
    if (!s.ok()) return s;
    flushed_ = inode_->data.size();
    inode_->synced_size = inode_->data.size();
    return Status::OK();
  }

  Status SyncFlushed() override {
    std::lock_guard<std::mutex> l(env_->mu_);
    Status s = UsableLocked("sync");
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

  MemEnv* const env_;
  const std::string path_;
  const std::shared_ptr<Inode> inode_;  // its contents are guarded by env_->mu_
  const uint64_t epoch_;
  // Owner thread only: SyncFlushed(), the one method another thread may run, never reads it.
  uint64_t size_;
  uint64_t flushed_;     // guarded by env_->mu_: inode length at the last Flush() or Sync()
  bool closed_ = false;  // guarded by env_->mu_
};

class MemEnv::Lock final : public FileLock {
 public:
  Lock(MemEnv* env, std::string path, uint64_t id) : env_(env), path_(std::move(path)), id_(id) {}
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
  MemEnv* const env_;
  const std::string path_;
  const uint64_t id_;
};

// ---------------------------------------------------------------------------------------------
// Handing them out.
//
// Methods that hand out a handle build it under mu_ but assign it to the caller's unique_ptr
// only after unlocking: that assignment destroys whatever handle the pointer held before, and
// handle destructors take mu_.

void MemEnv::ReleaseHandle() {
  std::lock_guard<std::mutex> l(mu_);
  --open_handles_;
}

Status MemEnv::CheckEpochLocked(uint64_t epoch, const char* op, const std::string& path) const {
  if (epoch == epoch_) return Status::OK();
  return Status::IOError(std::string(op) + " " + path, kDeadHandle);
}

Status MemEnv::FindFileForReadLocked(const std::string& path, std::shared_ptr<Inode>* inode) const {
  Status s = CheckUpLocked("open", path);
  if (!s.ok()) return s;
  *inode = FindLocked(path);
  if (*inode != nullptr) return Status::OK();
  if (IsDirLocked(CleanDir(path))) return Status::IOError("open " + path, "is a directory");
  return Status::NotFound("open " + path, "no such file");
}

Status MemEnv::NewSequentialFile(const std::string& path, std::unique_ptr<SequentialFile>* file) {
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

Status MemEnv::NewRandomAccessFile(const std::string& path, const FileOptions& options,
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

Status MemEnv::OpenWritable(const std::string& path, bool truncate,
                            std::unique_ptr<WritableFile>* file) {
  std::unique_ptr<WritableFile> made;
  {
    std::lock_guard<std::mutex> l(mu_);
    const char* op = truncate ? "create" : "open for append";
    Status s = CheckUpLocked(op, path);
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

Status MemEnv::NewWritableFile(const std::string& path, const FileOptions&,
                               std::unique_ptr<WritableFile>* file) {
  return OpenWritable(path, /*truncate=*/true, file);
}

Status MemEnv::NewAppendableFile(const std::string& path, const FileOptions&,
                                 std::unique_ptr<WritableFile>* file) {
  return OpenWritable(path, /*truncate=*/false, file);
}

Status MemEnv::LockFile(const std::string& path, std::unique_ptr<FileLock>* lock) {
  std::unique_ptr<FileLock> made;
  {
    std::lock_guard<std::mutex> l(mu_);
    Status s = CheckUpLocked("lock", path);
    if (!s.ok()) return s;
    if (locks_.count(path) > 0) return Status::Busy("lock " + path, "already held");
    if (live_.count(path) == 0) {
      if (IsDirLocked(CleanDir(path))) return Status::IOError("lock " + path, "is a directory");
      s = CheckParentLocked("lock", path);
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

}  // namespace strata::testing
