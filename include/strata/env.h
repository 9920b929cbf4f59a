// Env: the file system as Strata sees it.
//
// Every byte Strata reads or writes goes through an Env, so tests can swap the real file
// system for one that simulates crashes and injects errors. Env::Default() is the POSIX
// implementation; it lives for the whole process and must not be deleted.
//
// Durability contract, the same for every implementation:
//  - WritableFile::Sync() makes the file's appended bytes durable (fdatasync), not its name.
//  - A newly created, linked or deleted name becomes durable only after SyncDir() on its
//    directory.
//  - RenameFile() is atomic and durable on return: it syncs the directories involved.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "strata/slice.h"
#include "strata/status.h"

namespace strata {

// Reads a file from start to end. Not safe for concurrent use.
class SequentialFile {
 public:
  virtual ~SequentialFile() = default;
  // Reads up to n bytes. *result may point into scratch, which must hold n bytes and stay
  // alive while *result is used. Fewer than n bytes without an error means end of file.
  virtual Status Read(size_t n, Slice* result, char* scratch) = 0;
  virtual Status Skip(uint64_t n) = 0;
};

// Reads at arbitrary offsets. Safe for concurrent use by several threads.
class RandomAccessFile {
 public:
  virtual ~RandomAccessFile() = default;
  // Reads up to n bytes at offset; fewer means end of file. *result may point into scratch
  // (n bytes) or into memory the file owns (mmap), valid while the file is open.
  virtual Status Read(uint64_t offset, size_t n, Slice* result, char* scratch) const = 0;
};

// Appends to a file through a user-space buffer. Not safe for concurrent use, except
// SyncFlushed().
class WritableFile {
 public:
  virtual ~WritableFile() = default;
  virtual Status Append(const Slice& data) = 0;
  // Hands buffered bytes to the operating system: they survive a process crash, not a
  // machine crash.
  virtual Status Flush() = 0;
  // Flush, then make the appended bytes durable (fdatasync).
  virtual Status Sync() = 0;
  // Makes durable the bytes already handed over by Flush(), without touching the buffer.
  // Unlike every other method it may run on one thread while another thread appends and
  // flushes, which lets a background thread sync a log that writers keep appending to.
  virtual Status SyncFlushed() = 0;
  virtual Status Close() = 0;
  // Bytes appended so far, buffered ones included.
  virtual uint64_t Size() const = 0;
};

// An exclusive lock on a file, held until the object is destroyed.
class FileLock {
 public:
  virtual ~FileLock() = default;
};

struct FileOptions {
  // Random reads through a read-only memory mapping instead of pread.
  bool use_mmap_reads = false;
  // User-space buffer of a WritableFile; appends larger than this bypass it.
  size_t write_buffer_size = 64 * 1024;
  // NewWritableFile only: appends are copies into a shared writable mapping of the file,
  // with no system call per Flush(). The bytes are in the operating system's page cache
  // as soon as Append() returns, so they survive a process crash exactly as flushed ones
  // do. The file grows in preallocated steps: until Close() cuts it to Size(), and after
  // a crash, it ends in zero bytes that were never written (readers of such files must
  // accept them; the log format does). An Env may ignore this (the tests' in-memory one does).
  bool use_mmap_writes = false;
};

class Env {
 public:
  virtual ~Env() = default;

  static Env* Default();

  virtual Status NewSequentialFile(const std::string& path,
                                   std::unique_ptr<SequentialFile>* file) = 0;
  virtual Status NewRandomAccessFile(const std::string& path, const FileOptions& options,
                                     std::unique_ptr<RandomAccessFile>* file) = 0;
  // Creates the file, or truncates it if it exists.
  virtual Status NewWritableFile(const std::string& path, const FileOptions& options,
                                 std::unique_ptr<WritableFile>* file) = 0;
  // Opens for appending, creating the file if it does not exist.
  virtual Status NewAppendableFile(const std::string& path, const FileOptions& options,
                                   std::unique_ptr<WritableFile>* file) = 0;

  virtual bool FileExists(const std::string& path) = 0;
  // Names (not paths) of the entries of dir, without "." and "..", in no particular order.
  virtual Status GetChildren(const std::string& dir, std::vector<std::string>* names) = 0;
  virtual Status GetFileSize(const std::string& path, uint64_t* size) = 0;
  virtual Status DeleteFile(const std::string& path) = 0;
  // Creates dir; succeeds if it already exists as a directory.
  virtual Status CreateDirIfMissing(const std::string& dir) = 0;
  virtual Status DeleteDir(const std::string& dir) = 0;
  // Atomically replaces dst with src and syncs the directories of both. src may be a
  // directory, moved with everything in it; dst must then be missing or an empty directory.
  virtual Status RenameFile(const std::string& src, const std::string& dst) = 0;
  // Creates dst as a hard link to src.
  virtual Status LinkFile(const std::string& src, const std::string& dst) = 0;
  // Makes the directory's entries (creates, links, deletes) durable.
  virtual Status SyncDir(const std::string& dir) = 0;
  // Takes an exclusive lock on path (created if missing). Busy if another holder has it.
  virtual Status LockFile(const std::string& path, std::unique_ptr<FileLock>* lock) = 0;
};

}  // namespace strata
