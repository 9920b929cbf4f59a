#include "testing/error_injection_env.h"

#include <atomic>
#include <utility>

#include "base/path.h"
#include "testing/mem_env.h"

namespace strata::testing {

namespace {

// "db/" and "db" name the same directory, as in MemEnv; "/" stays "/".
std::string CleanDir(std::string dir) {
  while (dir.size() > 1 && dir.back() == '/') dir.pop_back();
  return dir;
}

constexpr char kInjected[] = "injected fault";

}  // namespace

// ---------------------------------------------------------------------------------------------
// Handles: each wraps the base's and checks the faults of its operations first.

class ErrorInjectionEnv::SequentialReader final : public SequentialFile {
 public:
  SequentialReader(ErrorInjectionEnv* env, std::string path, std::unique_ptr<SequentialFile> base,
                   uint64_t opened_at)
      : env_(env), path_(std::move(path)), base_(std::move(base)), opened_at_(opened_at) {}

  Status Read(size_t n, Slice* result, char* scratch) override {
    if (!env_->BaseRefuses(opened_at_)) {
      Status s = env_->CheckFault(FaultOp::kRead, path_);
      if (!s.ok()) return s;
    }
    return base_->Read(n, result, scratch);
  }

  Status Skip(uint64_t n) override { return base_->Skip(n); }

 private:
  ErrorInjectionEnv* const env_;
  const std::string path_;
  const std::unique_ptr<SequentialFile> base_;
  const uint64_t opened_at_;
};

class ErrorInjectionEnv::RandomReader final : public RandomAccessFile {
 public:
  RandomReader(ErrorInjectionEnv* env, std::string path, std::unique_ptr<RandomAccessFile> base,
               uint64_t opened_at)
      : env_(env), path_(std::move(path)), base_(std::move(base)), opened_at_(opened_at) {}

  Status Read(uint64_t offset, size_t n, Slice* result, char* scratch) const override {
    if (!env_->BaseRefuses(opened_at_)) {
      Status s = env_->CheckFault(FaultOp::kRead, path_);
      if (!s.ok()) return s;
    }
    return base_->Read(offset, n, result, scratch);
  }

 private:
  ErrorInjectionEnv* const env_;
  const std::string path_;
  const std::unique_ptr<RandomAccessFile> base_;
  const uint64_t opened_at_;
};

class ErrorInjectionEnv::Writer final : public WritableFile {
 public:
  Writer(ErrorInjectionEnv* env, std::string path, std::unique_ptr<WritableFile> base,
         uint64_t opened_at)
      : env_(env), path_(std::move(path)), base_(std::move(base)), opened_at_(opened_at) {}

  Status Append(const Slice& data) override {
    Status s = Check(FaultOp::kAppend);
    if (!s.ok()) return s;
    return base_->Append(data);
  }

  Status Flush() override { return base_->Flush(); }

  Status Sync() override {
    Status s = Check(FaultOp::kSync);
    if (!s.ok()) return s;
    return base_->Sync();
  }

  Status SyncFlushed() override {
    Status s = Check(FaultOp::kSync);
    if (!s.ok()) return s;
    return base_->SyncFlushed();
  }

  Status Close() override {
    Status s = base_->Close();
    if (s.ok()) closed_.store(true, std::memory_order_relaxed);
    return s;
  }

  uint64_t Size() const override { return base_->Size(); }

 private:
  // The fault of op, unless the base refuses the call anyway (closed or dead handle).
  Status Check(FaultOp op) {
    if (closed_.load(std::memory_order_relaxed) || env_->BaseRefuses(opened_at_)) {
      return Status::OK();
    }
    return env_->CheckFault(op, path_);
  }

  ErrorInjectionEnv* const env_;
  const std::string path_;
  const std::unique_ptr<WritableFile> base_;
  const uint64_t opened_at_;
  // Atomic: SyncFlushed() may run on another thread than the one that closes.
  std::atomic<bool> closed_{false};
};

// ---------------------------------------------------------------------------------------------
// The Env.

ErrorInjectionEnv::ErrorInjectionEnv(Env* base) : base_(base), mem_(dynamic_cast<MemEnv*>(base)) {}

ErrorInjectionEnv::~ErrorInjectionEnv() = default;

Status ErrorInjectionEnv::CheckFault(FaultOp op, const std::string& path,
                                     const std::string& path2) {
  std::lock_guard<std::mutex> l(mu_);
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
    return Status::IOError(EnumName(op) + " " + what, kInjected);
  }
  return Status::OK();
}

uint64_t ErrorInjectionEnv::CrashCount() const { return mem_ == nullptr ? 0 : mem_->CrashCount(); }

bool ErrorInjectionEnv::BaseRefuses(uint64_t opened_at) const {
  if (mem_ == nullptr) return false;
  return mem_->ProcessDown() || mem_->CrashCount() != opened_at;
}

Status ErrorInjectionEnv::CheckOpen(FaultOp op, const std::string& path, uint64_t* opened_at) {
  // Read before the base opens the file: a crash in between makes the handle look dead, and
  // the fault stays armed for the code that runs after it.
  *opened_at = CrashCount();
  if (BaseRefuses(*opened_at)) return Status::OK();
  return CheckFault(op, path);
}

Status ErrorInjectionEnv::NewSequentialFile(const std::string& path,
                                            std::unique_ptr<SequentialFile>* file) {
  uint64_t opened_at = 0;
  Status s = CheckOpen(FaultOp::kRead, path, &opened_at);
  if (!s.ok()) return s;
  std::unique_ptr<SequentialFile> base_file;
  s = base_->NewSequentialFile(path, &base_file);
  if (!s.ok()) return s;
  *file = std::make_unique<SequentialReader>(this, path, std::move(base_file), opened_at);
  return Status::OK();
}

Status ErrorInjectionEnv::NewRandomAccessFile(const std::string& path, const FileOptions& options,
                                              std::unique_ptr<RandomAccessFile>* file) {
  uint64_t opened_at = 0;
  Status s = CheckOpen(FaultOp::kRead, path, &opened_at);
  if (!s.ok()) return s;
  std::unique_ptr<RandomAccessFile> base_file;
  s = base_->NewRandomAccessFile(path, options, &base_file);
  if (!s.ok()) return s;
  *file = std::make_unique<RandomReader>(this, path, std::move(base_file), opened_at);
  return Status::OK();
}

Status ErrorInjectionEnv::NewWritableFile(const std::string& path, const FileOptions& options,
                                          std::unique_ptr<WritableFile>* file) {
  uint64_t opened_at = 0;
  Status s = CheckOpen(FaultOp::kCreate, path, &opened_at);
  if (!s.ok()) return s;
  std::unique_ptr<WritableFile> base_file;
  s = base_->NewWritableFile(path, options, &base_file);
  if (!s.ok()) return s;
  *file = std::make_unique<Writer>(this, path, std::move(base_file), opened_at);
  return Status::OK();
}

Status ErrorInjectionEnv::NewAppendableFile(const std::string& path, const FileOptions& options,
                                            std::unique_ptr<WritableFile>* file) {
  uint64_t opened_at = 0;
  Status s = CheckOpen(FaultOp::kCreate, path, &opened_at);
  if (!s.ok()) return s;
  std::unique_ptr<WritableFile> base_file;
  s = base_->NewAppendableFile(path, options, &base_file);
  if (!s.ok()) return s;
  *file = std::make_unique<Writer>(this, path, std::move(base_file), opened_at);
  return Status::OK();
}

bool ErrorInjectionEnv::FileExists(const std::string& path) { return base_->FileExists(path); }

Status ErrorInjectionEnv::GetChildren(const std::string& dir, std::vector<std::string>* names) {
  return base_->GetChildren(dir, names);
}

Status ErrorInjectionEnv::GetFileSize(const std::string& path, uint64_t* size) {
  return base_->GetFileSize(path, size);
}

Status ErrorInjectionEnv::DeleteFile(const std::string& path) {
  if (!BaseRefuses()) {
    Status s = CheckFault(FaultOp::kDelete, path);
    if (!s.ok()) return s;
  }
  return base_->DeleteFile(path);
}

Status ErrorInjectionEnv::CreateDirIfMissing(const std::string& dir) {
  if (!BaseRefuses()) {
    Status s = CheckFault(FaultOp::kCreate, CleanDir(dir));
    if (!s.ok()) return s;
  }
  return base_->CreateDirIfMissing(dir);
}

Status ErrorInjectionEnv::DeleteDir(const std::string& dir) {
  if (!BaseRefuses()) {
    Status s = CheckFault(FaultOp::kDelete, CleanDir(dir));
    if (!s.ok()) return s;
  }
  return base_->DeleteDir(dir);
}

Status ErrorInjectionEnv::RenameFile(const std::string& src, const std::string& dst) {
  if (BaseRefuses()) return base_->RenameFile(src, dst);
  Status s = CheckFault(FaultOp::kRename, src, dst);
  if (!s.ok()) return s;
  // The rename, then the directory syncs the contract puts inside RenameFile(), each open to
  // a kSyncDir fault (see the file comment). Over another Env than MemEnv, its RenameFile()
  // has synced already and the syncs below are the fault checks alone.
  s = mem_ != nullptr ? mem_->RenameWithoutDirSync(src, dst) : base_->RenameFile(src, dst);
  if (!s.ok()) return s;
  const auto sync_dir = [&](const std::string& dir) {
    return mem_ != nullptr ? SyncDir(dir) : CheckFault(FaultOp::kSyncDir, dir);
  };
  const std::string dst_dir = DirName(CleanDir(dst));
  const std::string src_dir = DirName(CleanDir(src));
  s = sync_dir(dst_dir);
  if (s.ok() && src_dir != dst_dir) s = sync_dir(src_dir);
  if (!s.ok()) return Status::IOError("rename " + src + " -> " + dst, s.message());
  return Status::OK();
}

Status ErrorInjectionEnv::LinkFile(const std::string& src, const std::string& dst) {
  if (!BaseRefuses()) {
    Status s = CheckFault(FaultOp::kLink, src, dst);
    if (!s.ok()) return s;
  }
  return base_->LinkFile(src, dst);
}

Status ErrorInjectionEnv::SyncDir(const std::string& dir) {
  if (!BaseRefuses()) {
    Status s = CheckFault(FaultOp::kSyncDir, CleanDir(dir));
    if (!s.ok()) return s;
  }
  return base_->SyncDir(dir);
}

Status ErrorInjectionEnv::LockFile(const std::string& path, std::unique_ptr<FileLock>* lock) {
  return base_->LockFile(path, lock);
}

void ErrorInjectionEnv::InjectError(FaultOp op, std::string path_substring, int count) {
  InjectErrorAfter(op, std::move(path_substring), 0, count);
}

void ErrorInjectionEnv::InjectErrorAfter(FaultOp op, std::string path_substring, int skip,
                                         int count) {
  if (count == 0) return;
  std::lock_guard<std::mutex> l(mu_);
  faults_.push_back(
      Fault{op, std::move(path_substring), count < 0 ? -1 : count, skip < 0 ? 0 : skip});
}

void ErrorInjectionEnv::ClearErrors() {
  std::lock_guard<std::mutex> l(mu_);
  faults_.clear();
}

int ErrorInjectionEnv::InjectedFailures() const {
  std::lock_guard<std::mutex> l(mu_);
  return injected_failures_;
}

}  // namespace strata::testing
