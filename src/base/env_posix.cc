// Env::Default(): the POSIX file system.
//
// Every error names the operation and the path, with the system's reason.
#include <dirent.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

#include "base/path.h"
#include "base/posix_error.h"
#include "base/posix_mmap_writable_file.h"
#include "strata/env.h"

namespace strata {

namespace {

class PosixSequentialFile final : public SequentialFile {
 public:
  PosixSequentialFile(std::string path, int fd) : path_(std::move(path)), fd_(fd) {}
  ~PosixSequentialFile() override { ::close(fd_); }

  Status Read(size_t n, Slice* result, char* scratch) override {
    size_t got = 0;
    while (got < n) {
      const ssize_t r = ::read(fd_, scratch + got, n - got);
      if (r < 0) {
        if (errno == EINTR) continue;
        return PosixError("read", path_, errno);
      }
      if (r == 0) break;  // end of file
      got += static_cast<size_t>(r);
    }
    *result = Slice(scratch, got);
    return Status::OK();
  }

  Status Skip(uint64_t n) override {
    if (::lseek(fd_, static_cast<off_t>(n), SEEK_CUR) < 0) return PosixError("seek", path_, errno);
    return Status::OK();
  }

 private:
  const std::string path_;
  const int fd_;
};

class PosixPreadFile final : public RandomAccessFile {
 public:
  PosixPreadFile(std::string path, int fd) : path_(std::move(path)), fd_(fd) {}
  ~PosixPreadFile() override { ::close(fd_); }

  Status Read(uint64_t offset, size_t n, Slice* result, char* scratch) const override {
    size_t got = 0;
    while (got < n) {
      const ssize_t r = ::pread(fd_, scratch + got, n - got, static_cast<off_t>(offset + got));
      if (r < 0) {
        if (errno == EINTR) continue;
        return PosixError("pread", path_, errno);
      }
      if (r == 0) break;
      got += static_cast<size_t>(r);
    }
    *result = Slice(scratch, got);
    return Status::OK();
  }

 private:
  const std::string path_;
  const int fd_;
};

// The whole file mapped read-only; reads return slices into the mapping, no copy.
class PosixMmapFile final : public RandomAccessFile {
 public:
  PosixMmapFile(const char* base, size_t size) : base_(base), size_(size) {}
  ~PosixMmapFile() override {
    if (size_ > 0) ::munmap(const_cast<char*>(base_), size_);
  }

  Status Read(uint64_t offset, size_t n, Slice* result, char*) const override {
    if (offset >= size_) {
      *result = Slice();
      return Status::OK();
    }
    const size_t avail = size_ - static_cast<size_t>(offset);
    *result = Slice(base_ + offset, n < avail ? n : avail);
    return Status::OK();
  }

 private:
  const char* const base_;
  const size_t size_;
};

class PosixWritableFile final : public WritableFile {
 public:
  PosixWritableFile(std::string path, int fd, uint64_t initial_size, size_t buffer_size)
      : path_(std::move(path)), fd_(fd), size_(initial_size), capacity_(buffer_size) {
    buffer_.reserve(capacity_);
  }
  ~PosixWritableFile() override {
    if (fd_ >= 0) (void)Close();
  }

  Status Append(const Slice& data) override {
    size_ += data.size();
    if (buffer_.size() + data.size() <= capacity_) {
      buffer_.append(data.data(), data.size());
      return Status::OK();
    }
    Status s = FlushBuffer();
    if (!s.ok()) return s;
    if (data.size() < capacity_) {
      buffer_.append(data.data(), data.size());
      return Status::OK();
    }
    return WriteAll(data.data(), data.size());  // large appends bypass the buffer
  }

  Status Flush() override { return FlushBuffer(); }

  Status Sync() override {
    Status s = FlushBuffer();
    if (!s.ok()) return s;
    if (::fdatasync(fd_) != 0) return PosixError("fdatasync", path_, errno);
    return Status::OK();
  }

  Status SyncFlushed() override {
    // fd_ is fixed until Close(), which the owner never runs concurrently with this.
    if (::fdatasync(fd_) != 0) return PosixError("fdatasync", path_, errno);
    return Status::OK();
  }

  Status Close() override {
    if (fd_ < 0) return Status::OK();
    Status s = FlushBuffer();
    if (::close(fd_) != 0 && s.ok()) s = PosixError("close", path_, errno);
    fd_ = -1;
    return s;
  }

  uint64_t Size() const override { return size_; }

 private:
  Status FlushBuffer() {
    if (buffer_.empty()) return Status::OK();
    Status s = WriteAll(buffer_.data(), buffer_.size());
    buffer_.clear();
    return s;
  }

  Status WriteAll(const char* p, size_t n) {
    if (fd_ < 0) return Status::IOError("write " + path_, "file is closed");
    while (n > 0) {
      const ssize_t w = ::write(fd_, p, n);
      if (w < 0) {
        if (errno == EINTR) continue;
        return PosixError("write", path_, errno);
      }
      p += w;
      n -= static_cast<size_t>(w);
    }
    return Status::OK();
  }

  const std::string path_;
  int fd_;
  uint64_t size_;
  const size_t capacity_;
  std::string buffer_;
};

class PosixFileLock final : public FileLock {
 public:
  explicit PosixFileLock(int fd) : fd_(fd) {}
  ~PosixFileLock() override {
    ::flock(fd_, LOCK_UN);
    ::close(fd_);
  }

 private:
  const int fd_;
};

Status SyncDirectory(const std::string& dir) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return PosixError("open directory", dir, errno);
  Status s;
  if (::fsync(fd) != 0) s = PosixError("fsync directory", dir, errno);
  ::close(fd);
  return s;
}

class PosixEnv final : public Env {
 public:
  Status NewSequentialFile(const std::string& path,
                           std::unique_ptr<SequentialFile>* file) override {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return PosixError("open", path, errno);
    *file = std::make_unique<PosixSequentialFile>(path, fd);
    return Status::OK();
  }

  Status NewRandomAccessFile(const std::string& path, const FileOptions& options,
                             std::unique_ptr<RandomAccessFile>* file) override {
    // No access-time updates: every read would otherwise dirty the inode (a point lookup is
    // one pread). O_NOATIME is refused (EPERM) for files the process does not own.
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOATIME);
    if (fd < 0 && errno == EPERM) fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return PosixError("open", path, errno);
    if (!options.use_mmap_reads) {
      *file = std::make_unique<PosixPreadFile>(path, fd);
      return Status::OK();
    }
    struct stat st;
    if (::fstat(fd, &st) != 0) {
      Status s = PosixError("stat", path, errno);
      ::close(fd);
      return s;
    }
    const auto size = static_cast<size_t>(st.st_size);
    void* base = nullptr;
    if (size > 0) {
      base = ::mmap(nullptr, size, PROT_READ, MAP_SHARED, fd, 0);
      if (base == MAP_FAILED) {
        Status s = PosixError("mmap", path, errno);
        ::close(fd);
        return s;
      }
    }
    ::close(fd);  // the mapping outlives the descriptor
    *file = std::make_unique<PosixMmapFile>(static_cast<const char*>(base), size);
    return Status::OK();
  }

  Status NewWritableFile(const std::string& path, const FileOptions& options,
                         std::unique_ptr<WritableFile>* file) override {
    if (options.use_mmap_writes) {
      // A shared writable mapping needs the descriptor open for reading too.
      const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
      if (fd < 0) return PosixError("create", path, errno);
      *file = std::make_unique<PosixMmapWritableFile>(path, fd);
      return Status::OK();
    }
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) return PosixError("create", path, errno);
    *file = std::make_unique<PosixWritableFile>(path, fd, 0, options.write_buffer_size);
    return Status::OK();
  }

  Status NewAppendableFile(const std::string& path, const FileOptions& options,
                           std::unique_ptr<WritableFile>* file) override {
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (fd < 0) return PosixError("open for append", path, errno);
    struct stat st;
    if (::fstat(fd, &st) != 0) {
      Status s = PosixError("stat", path, errno);
      ::close(fd);
      return s;
    }
    *file = std::make_unique<PosixWritableFile>(path, fd, static_cast<uint64_t>(st.st_size),
                                                options.write_buffer_size);
    return Status::OK();
  }

  bool FileExists(const std::string& path) override { return ::access(path.c_str(), F_OK) == 0; }

  Status GetChildren(const std::string& dir, std::vector<std::string>* names) override {
    names->clear();
    DIR* d = ::opendir(dir.c_str());
    if (d == nullptr) return PosixError("list", dir, errno);
    while (struct dirent* e = ::readdir(d)) {
      if (std::strcmp(e->d_name, ".") == 0 || std::strcmp(e->d_name, "..") == 0) continue;
      names->emplace_back(e->d_name);
    }
    ::closedir(d);
    return Status::OK();
  }

  Status GetFileSize(const std::string& path, uint64_t* size) override {
    struct stat st;
    if (::stat(path.c_str(), &st) != 0) return PosixError("stat", path, errno);
    *size = static_cast<uint64_t>(st.st_size);
    return Status::OK();
  }

  Status DeleteFile(const std::string& path) override {
    if (::unlink(path.c_str()) != 0) return PosixError("delete", path, errno);
    return Status::OK();
  }

  Status CreateDirIfMissing(const std::string& dir) override {
    if (::mkdir(dir.c_str(), 0755) == 0) return Status::OK();
    if (errno != EEXIST) return PosixError("create directory", dir, errno);
    struct stat st;
    if (::stat(dir.c_str(), &st) == 0 && S_ISDIR(st.st_mode)) return Status::OK();
    return Status::IOError("create directory " + dir, "exists and is not a directory");
  }

  Status DeleteDir(const std::string& dir) override {
    if (::rmdir(dir.c_str()) != 0) return PosixError("delete directory", dir, errno);
    return Status::OK();
  }

  Status RenameFile(const std::string& src, const std::string& dst) override {
    if (::rename(src.c_str(), dst.c_str()) != 0) {
      return PosixError("rename", src + " -> " + dst, errno);
    }
    Status s = SyncDirectory(DirName(dst));
    if (s.ok() && DirName(src) != DirName(dst)) s = SyncDirectory(DirName(src));
    return s;
  }

  Status LinkFile(const std::string& src, const std::string& dst) override {
    if (::link(src.c_str(), dst.c_str()) != 0) {
      return PosixError("link", src + " -> " + dst, errno);
    }
    return Status::OK();
  }

  Status SyncDir(const std::string& dir) override { return SyncDirectory(dir); }

  Status LockFile(const std::string& path, std::unique_ptr<FileLock>* lock) override {
    const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0) return PosixError("open lock file", path, errno);
    if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
      const int err = errno;
      ::close(fd);
      if (err == EWOULDBLOCK) return Status::Busy("lock " + path, "held by another process");
      return PosixError("lock", path, err);
    }
    *lock = std::make_unique<PosixFileLock>(fd);
    return Status::OK();
  }
};

}  // namespace

Env* Env::Default() {
  static PosixEnv env;  // stateless, so destruction at exit is harmless
  return &env;
}

}  // namespace strata
