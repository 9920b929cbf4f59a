// ErrorInjectionEnv: an Env that passes every call to another Env and makes chosen ones fail.
//
// It wraps any Env: a MemEnv, to combine injected errors with simulated crashes, or
// Env::Default(), to check that code on the real file system survives the failure of a step.
// The files it hands out wrap the base's, so reads, appends and syncs through them can fail
// too; whatever no fault targets goes through unchanged.
//
// InjectError(op, substring, count) makes the next `count` operations of kind `op` on a path
// containing `substring` fail with IOError naming the operation, the path and "injected
// fault" ("sync /db/000001.log: injected fault"). The failing call does not reach the base,
// so it changes nothing there. InjectErrorAfter() first lets a number of matching operations
// through, to hit the n-th table a flush-then-compaction writes, say. The fault is checked
// before the base is called, so it also fails a call that would have failed for another
// reason (a missing file, say), with two exceptions that keep the fault armed for code that
// is still alive: a handle closed through this wrapper, and, over a MemEnv, a handle from
// before a simulated crash or any call while the process is down. Those calls go to the base,
// which refuses them with its own error. Injected errors persist until ClearErrors(); a crash
// of the MemEnv below does not clear them.
//
// The directory syncs inside RenameFile(). The Env contract makes RenameFile() durable on
// return by syncing the directories of dst and src, so a kSyncDir fault on one of them must
// fail the rename: the rename happens and stays visible (as rename(2) did before its fsync
// failed), and the call returns IOError "rename SRC -> DST: sync directory DIR: injected
// fault". The wrapper cannot fail a sync inside its base's RenameFile(), so it builds the
// rename out of a rename and its directory syncs, each one of its own checked operations:
//  - Over a MemEnv it calls MemEnv::RenameWithoutDirSync() and then its own SyncDir() of
//    DirName(dst) and, if different, DirName(src), stopping at the first failure. A rename
//    whose sync failed is then exactly as durable as a plain link/unlink followed by the
//    syncs that succeeded: within one directory, a crash brings the old names back. A
//    directory rename is durable at once in MemEnv, so a failed sync fails the call but
//    cannot undo it. A crash between the rename and its syncs loses a rename that was not
//    yet acknowledged, which a real crash may do too.
//  - Over any other Env it calls the base's RenameFile(), which has synced both directories
//    when it returns, then checks the same kSyncDir faults without syncing again. The caller
//    sees the same error; whether the rename survives a real crash is then up to the real
//    file system, which is all a failed fsync tells a program anyway.
//
// Thread safety: every method may be called concurrently, and the handles keep the thread
// rules of strata/env.h. The base must outlive this Env, and this Env every handle it hands
// out.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "base/enum_names.h"
#include "strata/env.h"

namespace strata::testing {

class MemEnv;

// The operations an injected error can target.
enum class FaultOp {
  kAppend,   // WritableFile::Append
  kSync,     // WritableFile::Sync and SyncFlushed
  kSyncDir,  // SyncDir, and the directory syncs that end RenameFile
  kRename,   // RenameFile (matches src or dst)
  kCreate,   // NewWritableFile, NewAppendableFile, CreateDirIfMissing
  kRead,     // opening a file for reading, and every SequentialFile/RandomAccessFile::Read
  kDelete,   // DeleteFile, DeleteDir
  kLink,     // LinkFile (matches src or dst)
};

// The operation as error messages name it.
constexpr auto EnumNameTable(FaultOp) {
  return std::to_array<EnumNameEntry<FaultOp>>({
      {FaultOp::kAppend, "append"},
      {FaultOp::kSync, "sync"},
      {FaultOp::kSyncDir, "sync directory"},
      {FaultOp::kRename, "rename"},
      {FaultOp::kCreate, "create"},
      {FaultOp::kRead, "read"},
      {FaultOp::kDelete, "delete"},
      {FaultOp::kLink, "link"},
  });
}

class ErrorInjectionEnv final : public Env {
 public:
  // base is not owned and must outlive this Env. A base that is a MemEnv gets the rename
  // described in the file comment.
  explicit ErrorInjectionEnv(Env* base);
  ~ErrorInjectionEnv() override;
  ErrorInjectionEnv(const ErrorInjectionEnv&) = delete;
  ErrorInjectionEnv& operator=(const ErrorInjectionEnv&) = delete;

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

  // Fails the next `count` matching operations (-1: every one until ClearErrors()). An
  // empty path_substring matches every path.
  void InjectError(FaultOp op, std::string path_substring, int count = -1);
  // Lets the next `skip` matching operations succeed, then fails `count` as InjectError().
  void InjectErrorAfter(FaultOp op, std::string path_substring, int skip, int count = -1);
  void ClearErrors();
  // How many operations an injected error has failed so far.
  int InjectedFailures() const;

 private:
  struct Fault {
    FaultOp op;
    std::string path_substring;
    int remaining;  // -1: until cleared
    int skip;       // matching operations still to let through before failing
  };
  class SequentialReader;
  class RandomReader;
  class Writer;

  // IOError if an injected fault matches op and path (or path2), consuming one count.
  // Takes mu_.
  Status CheckFault(FaultOp op, const std::string& path, const std::string& path2 = "");
  // The CrashCount() of a MemEnv base (0 over another Env), recorded by every handle.
  uint64_t CrashCount() const;
  // True if the base refuses a call on its own whatever a fault says: over a MemEnv, while
  // the process is down, or for a handle opened before the last crash (opened_at is the
  // CrashCount() at its opening). Such calls go to the base unchecked.
  bool BaseRefuses(uint64_t opened_at) const;
  bool BaseRefuses() const { return BaseRefuses(CrashCount()); }
  // The fault check of opening path with op; *opened_at gets the handle's CrashCount().
  Status CheckOpen(FaultOp op, const std::string& path, uint64_t* opened_at);

  Env* const base_;
  MemEnv* const mem_;  // base_ if it is a MemEnv, else null

  mutable std::mutex mu_;  // guards the members below
  std::vector<Fault> faults_;
  int injected_failures_ = 0;
};

}  // namespace strata::testing
