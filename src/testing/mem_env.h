// MemEnv: an in-memory file system that forgets what a machine crash forgets.
//
// Crash tests run the code under test on this Env, call SimulateCrash() at an interesting
// moment, reopen and check that everything acknowledged as durable is still there. The Env
// keeps exactly what the durability contract in strata/env.h promises, and nothing more:
//
//  - A file is an inode: its bytes and `synced_size`, the length made durable by the last
//    WritableFile::Sync(). Files only grow through WritableFile, so what survives a crash is
//    the prefix of synced_size bytes.
//  - The namespace has two views. The live view (name -> inode) is what the running program
//    sees. The durable view is what survives a crash. Creating, linking and deleting a name
//    change only the live view; SyncDir(dir) makes the durable view of dir's direct children
//    equal to the live one. RenameFile() changes the live view, then syncs the directories of
//    dst and src, all under one lock, so it is atomic and durable on return.
//    RenameWithoutDirSync() is the same rename without those syncs: it stays as non-durable
//    as a plain link/unlink until a SyncDir(); ErrorInjectionEnv builds a rename whose
//    directory sync fails out of it.
//  - SimulateCrash(): the live view becomes the durable view and every surviving inode is cut
//    to its synced_size. Every file opened before the crash is dead: its operations return
//    IOError "file handle from before a simulated crash", as the process that held it would
//    be gone; its locks are released. Afterwards the Env works normally.
//
// Rules where the contract leaves room (the simplest faithful choice, written down):
//  - Truncation. NewWritableFile() on an existing name truncates that inode in place, as
//    O_TRUNC does: hard links and open readers see the empty file, and the truncation is
//    durable at once (synced_size drops to 0). So after a crash a durably named file that was
//    rewritten holds exactly the synced prefix of its new contents: empty before the first
//    Sync(). This is the worst outcome a real file system allows, and the one that exposes
//    code rewriting a file in place instead of writing a new file and renaming it.
//  - Directories are durable from the moment they are created, and DeleteDir() (allowed
//    only when the directory has no live entries) is durable at once, taking with it any
//    durable entries that no SyncDir() removed. "/" and "." always exist. A file can only be
//    created in an existing directory. LinkFile() works on files only. RenameFile() of a
//    directory (onto a name that does not exist or is an empty directory, as rename(2))
//    moves it with every live and durable entry below it, and, like creating and deleting
//    one, is durable at once, with or without the directory syncs that follow it. A
//    directory holding a locked file cannot be renamed (NotSupported).
//  - WritableFile buffers nothing: appended bytes are visible to readers at once, and
//    WritableFile::Size() equals the bytes appended through the handle. Flush() records how
//    far the handle has handed bytes over; SyncFlushed() makes durable only up to that mark,
//    so a caller that forgets to Flush() before SyncFlushed() loses the tail in a crash.
//    FileOptions::use_mmap_writes is ignored.
//  - Reads see the live bytes, unsynced ones included. A RandomAccessFile opened with
//    use_mmap_reads sees the bytes the file had when it was opened, as a mapping of that
//    length would.
//  - LockFile() creates the file if missing (live view only) and locks the name; a second
//    LockFile() of a held name returns Busy. A crash releases all locks; destroying a lock
//    from before the crash does not release a lock taken after it.
//  - Paths are compared as strings (apart from trailing slashes on directories), so use one
//    spelling per file, as the code under test does.
//  - Namespace operations (DeleteFile, RenameFile, ...) are not tied to a handle, so the Env
//    cannot refuse them from code that "died" in a crash: stop or destroy everything that
//    used the Env before the crash before reopening, or use SimulateProcessDeath().
//
// Disk full: SetCapacity(bytes) bounds the live bytes, the sizes of the distinct files the
// live view names (a hard link counts once; directories and names are free). An Append that
// would take them past the capacity, and the creation of a new file once they have reached
// it, fail with IOError "No space left on device" and change nothing: a failed append
// appends no byte (a real one may write part; the all-or-nothing rule matches the injected
// faults of ErrorInjectionEnv). Opening an existing file, truncating, deleting, renaming,
// linking and syncing still work, as they need no new blocks. A deleted file frees its bytes
// at once, even while a handle still has it open (on POSIX its blocks stay used until the
// last close): the simplest rule, and the generous one. The capacity survives
// SimulateCrash(); after a crash the live view is the durable one, so unsynced bytes no
// longer count.
//
// Injected I/O errors are not this class's business: put an ErrorInjectionEnv in front of it.
//
// Thread safety: every method may be called concurrently; the handles keep the thread rules
// of strata/env.h. The Env must outlive every file and lock it hands out.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "strata/env.h"

namespace strata::testing {

class MemEnv final : public Env {
 public:
  MemEnv();
  // Every file and lock handed out must be destroyed first.
  ~MemEnv() override;
  MemEnv(const MemEnv&) = delete;
  MemEnv& operator=(const MemEnv&) = delete;

  Status NewSequentialFile(const std::string& path, std::unique_ptr<SequentialFile>* file) override;
  Status NewRandomAccessFile(const std::string& path, const FileOptions& options,
                             std::unique_ptr<RandomAccessFile>* file) override;
  Status NewWritableFile(const std::string& path, const FileOptions& options,
                         std::unique_ptr<WritableFile>* file) override;
  Status NewAppendableFile(const std::string& path, const FileOptions& options,
                           std::unique_ptr<WritableFile>* file) override;

  bool FileExists(const std::string& path) override;
  Status GetChildren(const std::string& dir, std::vector<std::string>* names) override;
  Status GetFileSize(const std::string& path, uint64_t* size) override;
  Status DeleteFile(const std::string& path) override;
  Status CreateDirIfMissing(const std::string& dir) override;
  Status DeleteDir(const std::string& dir) override;
  Status RenameFile(const std::string& src, const std::string& dst) override;
  Status LinkFile(const std::string& src, const std::string& dst) override;
  Status SyncDir(const std::string& dir) override;
  Status LockFile(const std::string& path, std::unique_ptr<FileLock>* lock) override;

  // RenameFile() without the directory syncs: the rename is in the live view only, as a
  // link of dst plus an unlink of src would be, until SyncDir() of their directories. (A
  // directory rename is durable at once all the same; see the file comment.)
  Status RenameWithoutDirSync(const std::string& src, const std::string& dst);

  // Loses everything a machine crash would lose; see the file comment.
  void SimulateCrash();
  // A machine crash that also kills the process using the Env: SimulateCrash(), and then
  // every operation fails ("process is down") until Restart(). Threads of the dead process
  // that keep running can neither change what survived nor acknowledge anything, which
  // SimulateCrash() alone cannot promise for namespace operations (SyncDir, DeleteFile...).
  void SimulateProcessDeath();
  void Restart();

  // How many times SimulateCrash() (or SimulateProcessDeath()) has run: a handle opened when
  // this was n is dead once it is larger. Wrappers use it to tell a dead handle's call from
  // a live one.
  uint64_t CrashCount() const;
  // True between SimulateProcessDeath() and Restart(), when every operation fails.
  bool ProcessDown() const;

  // Disk full at `bytes` live bytes; 0 (the default) means unlimited. See the file comment.
  void SetCapacity(uint64_t bytes);
  // The live bytes SetCapacity() limits: sizes of the distinct files the live view names.
  uint64_t LiveBytes() const;

  // The synced length of the file the live name points to; 0 if there is none.
  uint64_t SyncedSize(const std::string& path) const;
  // True if the name would exist after a crash now (durable file entry, or directory).
  bool DurablyExists(const std::string& path) const;

 private:
  // A file's contents, shared by its names and open handles.
  struct Inode {
    std::string data;
    // Length of the prefix of data that survives a crash. Invariant: synced_size <= data.size().
    uint64_t synced_size = 0;
  };
  // The handles, defined in mem_env_files.cc with the methods that hand them out.
  class SequentialReader;
  class PreadReader;
  class MappedReader;
  class Writer;
  class Lock;

  using Namespace = std::map<std::string, std::shared_ptr<Inode>>;

  // "db/" and "db" name the same directory; "/" stays "/".
  static std::string CleanDir(std::string dir);
  // Takes mu_; the handle is assigned to *file after mu_ is released.
  Status OpenWritable(const std::string& path, bool truncate, std::unique_ptr<WritableFile>* file);
  // Takes mu_. Called by every handle's destructor.
  void ReleaseHandle();

  // The helpers below run with mu_ held.
  void SimulateCrashLocked();
  bool IsDirLocked(const std::string& dir) const;
  // IOError "process is down" between SimulateProcessDeath() and Restart(), else OK.
  Status CheckUpLocked(const char* op, const std::string& path) const;
  // IOError "No space left on device" if `more` bytes would take the live files past the
  // capacity (for a create, `more` is 0 and reaching the capacity is enough).
  Status CheckSpaceLocked(const char* op, const std::string& path, uint64_t more) const;
  uint64_t LiveBytesLocked() const;
  // The error of a handle used after SimulateCrash(), or OK.
  Status CheckEpochLocked(uint64_t epoch, const char* op, const std::string& path) const;
  // NotFound unless the parent directory of path exists.
  Status CheckParentLocked(const char* op, const std::string& path) const;
  Status SyncDirLocked(const std::string& dir);
  // The rename in the namespace, without syncing any directory.
  Status RenameLocked(const std::string& src, const std::string& dst, const std::string& what);
  // RenameLocked() when src is a directory.
  Status RenameDirLocked(const std::string& src, const std::string& dst, const std::string& what);
  std::shared_ptr<Inode> FindLocked(const std::string& path) const;
  // The file to open for reading: checks that path is a file.
  Status FindFileForReadLocked(const std::string& path, std::shared_ptr<Inode>* inode) const;

  mutable std::mutex mu_;  // guards every member below, and the Inodes they point to
  // Inodes are shared: by every live and durable name that is a link to them, and by the
  // open handles, which keep writing to a file after its name is deleted, as on POSIX.
  Namespace live_;                         // what the running program sees
  Namespace durable_;                      // what a crash would leave
  std::set<std::string> dirs_;             // every directory except "/" and "."
  std::map<std::string, uint64_t> locks_;  // locked path -> id of the Lock holding it
  uint64_t next_lock_id_ = 1;
  bool down_ = false;      // between SimulateProcessDeath() and Restart()
  uint64_t epoch_ = 0;     // bumped by SimulateCrash(); handles from older epochs are dead
  int open_handles_ = 0;   // files and locks not yet destroyed; must be 0 at destruction
  uint64_t capacity_ = 0;  // 0: unlimited
};

}  // namespace strata::testing
