#include "base/posix_mmap_writable_file.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "base/posix_error.h"

namespace strata {

PosixMmapWritableFile::PosixMmapWritableFile(std::string path, int fd)
    : path_(std::move(path)), fd_(fd) {}

PosixMmapWritableFile::~PosixMmapWritableFile() {
  if (fd_ >= 0) (void)Close();
}

Status PosixMmapWritableFile::Append(const Slice& data) {
  if (fd_ < 0) return Status::IOError("write " + path_, "file is closed");
  const char* p = data.data();
  size_t left = data.size();
  while (left > 0) {
    // Invariant: size_ lies within the mapped chunk or at its end.
    if (chunk_ == nullptr || size_ == chunk_offset_ + kChunkBytes) {
      Status s = MapNextChunk();
      if (!s.ok()) return s;
    }
    const size_t room = static_cast<size_t>(chunk_offset_ + kChunkBytes - size_);
    const size_t n = std::min(left, room);
    std::memcpy(chunk_ + (size_ - chunk_offset_), p, n);
    size_ += n;
    p += n;
    left -= n;
  }
  return Status::OK();
}

Status PosixMmapWritableFile::MapNextChunk() {
  Status s = Unmap();
  if (!s.ok()) return s;
  // Chunks are mapped only when the previous one is full, so size_ is chunk-aligned.
  const uint64_t offset = size_;
  const int err = ::posix_fallocate(fd_, static_cast<off_t>(offset), kChunkBytes);
  if (err != 0) return PosixError("allocate", path_, err);
  void* base = ::mmap(nullptr, kChunkBytes, PROT_READ | PROT_WRITE, MAP_SHARED, fd_,
                      static_cast<off_t>(offset));
  if (base == MAP_FAILED) return PosixError("mmap", path_, errno);
  chunk_ = static_cast<char*>(base);
  chunk_offset_ = offset;
  return Status::OK();
}

Status PosixMmapWritableFile::Unmap() {
  if (chunk_ == nullptr) return Status::OK();
  // The dirty pages stay in the page cache: unmapping neither loses nor writes them.
  const int r = ::munmap(chunk_, kChunkBytes);
  chunk_ = nullptr;
  if (r != 0) return PosixError("munmap", path_, errno);
  return Status::OK();
}

Status PosixMmapWritableFile::Flush() {
  if (fd_ < 0) return Status::IOError("flush " + path_, "file is closed");
  return Status::OK();
}

Status PosixMmapWritableFile::Sync() { return SyncFlushed(); }

Status PosixMmapWritableFile::SyncFlushed() {
  // fdatasync writes back every dirty page of the file, those dirtied through a mapping
  // included (Linux tracks them in the page cache, not per mapping).
  if (::fdatasync(fd_) != 0) return PosixError("fdatasync", path_, errno);
  return Status::OK();
}

Status PosixMmapWritableFile::Close() {
  if (fd_ < 0) return Status::OK();
  Status s = Unmap();
  if (::ftruncate(fd_, static_cast<off_t>(size_)) != 0 && s.ok())
    s = PosixError("truncate", path_, errno);
  if (::close(fd_) != 0 && s.ok()) s = PosixError("close", path_, errno);
  fd_ = -1;
  return s;
}

}  // namespace strata
