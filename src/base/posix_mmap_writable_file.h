// PosixMmapWritableFile: a WritableFile that appends through a shared memory mapping.
//
// Why: a write-ahead log with sync off makes one write() per write group, and for small
// writes that system call costs more than the rest of the put together. Storing the bytes
// into a MAP_SHARED mapping puts them in the same page cache write() would, so they survive
// a process crash just the same, and a machine crash loses them just the same unless they
// are synced; fdatasync() covers pages dirtied through a mapping as well.
//
// Layout and growth. The file grows a chunk (kChunkBytes) at a time: posix_fallocate
// reserves the chunk's blocks first, then the chunk alone is mapped. Reserving first is
// what makes a full disk an error instead of a crash: a store into a mapped page whose
// block cannot be allocated raises SIGBUS, while a failed fallocate is an ordinary error
// returned by Append(). Mapping one chunk at a time keeps the resident pages of the
// mapping (which count as the process's memory) to at most a chunk.
//
// Until Close() truncates the file to Size(), it ends in the zero bytes of the unwritten
// rest of its last chunk; after a crash it keeps them. Readers must take zeros running to
// the end of the file as the end of the data (the log format does, docs/formats/wal.md).
//
// Threading: as WritableFile. SyncFlushed() may run alongside Append(), which may remap:
// it uses only the descriptor, which stays the same until Close().
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "strata/env.h"

namespace strata {

class PosixMmapWritableFile final : public WritableFile {
 public:
  // A multiple of every page size Linux uses for file mappings, and of the log's 32 KiB
  // blocks, so a log's zero tail never starts a block shorter than a record header.
  static constexpr size_t kChunkBytes = 1 << 20;

  // fd: open read-write on an empty file at path; the object owns it.
  PosixMmapWritableFile(std::string path, int fd);
  ~PosixMmapWritableFile() override;
  PosixMmapWritableFile(const PosixMmapWritableFile&) = delete;
  PosixMmapWritableFile& operator=(const PosixMmapWritableFile&) = delete;

  Status Append(const Slice& data) override;
  // Nothing to hand over: appended bytes are in the page cache already.
  Status Flush() override;
  Status Sync() override;
  Status SyncFlushed() override;
  // Unmaps, truncates the file to Size() (dropping the unwritten zeros) and closes it.
  Status Close() override;
  uint64_t Size() const override { return size_; }

 private:
  // Unmaps the current chunk and reserves and maps the next one, which starts at size_.
  Status MapNextChunk();
  Status Unmap();

  const std::string path_;
  int fd_;
  uint64_t size_ = 0;  // bytes appended
  // The mapped chunk: file offset chunk_offset_, kChunkBytes long; null before the first
  // append and after a failure to map.
  char* chunk_ = nullptr;
  uint64_t chunk_offset_ = 0;
};

}  // namespace strata
