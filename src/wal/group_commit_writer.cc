#include "wal/group_commit_writer.h"

#include <algorithm>
#include <chrono>
#include <vector>

#include "base/path.h"

namespace strata::wal {

// One queued Append(). Lives on the appending thread's stack; the leader touches it only
// while holding mu_, and the owner cannot return before done is set under mu_.
struct GroupCommitWriter::Waiter {
  explicit Waiter(const Slice& p) : payload(p) {}
  const Slice payload;
  Status status;
  uint64_t offset = 0;
  bool done = false;
  std::condition_variable cv;
};

Result<std::unique_ptr<GroupCommitWriter>> GroupCommitWriter::Create(Env* env,
                                                                     const std::string& path,
                                                                     uint64_t log_number,
                                                                     const WalOptions& options) {
  if (env->FileExists(path)) return Status::InvalidArgument("log file already exists", path);
  FileOptions file_options;
  // Room for a whole group plus its block framing, so a group leaves in one write().
  file_options.write_buffer_size = options.max_group_bytes + 64 * 1024;
  file_options.use_mmap_writes = options.mmap_writes;
  std::unique_ptr<WritableFile> file;
  Status s = env->NewWritableFile(path, file_options, &file);
  if (!s.ok()) return s;
  std::unique_ptr<GroupCommitWriter> w(
      new GroupCommitWriter(env, path, log_number, options, std::move(file)));

  LogFileHeader header;
  header.purpose = options.purpose;
  header.log_number = log_number;
  s = w->log_.WriteHeader(header);
  if (s.ok()) s = w->file_->Flush();
  if (s.ok() && options.sync != SyncPolicy::kNone) {
    // An acknowledged record must not vanish with an unsynced directory entry.
    s = w->file_->Sync();
    if (s.ok()) s = env->SyncDir(DirName(path));
    w->synced_ = w->log_.offset();
    w->name_durable_ = s.ok();
  }
  if (!s.ok()) return s;
  w->acknowledged_ = w->log_.offset();
  if (options.sync == SyncPolicy::kInterval)
    w->syncer_ = std::thread([p = w.get()] { p->SyncLoop(); });
  return w;
}

GroupCommitWriter::GroupCommitWriter(Env* env, std::string path, uint64_t log_number,
                                     const WalOptions& options, std::unique_ptr<WritableFile> file)
    : env_(env),
      path_(std::move(path)),
      log_number_(log_number),
      options_(options),
      file_(std::move(file)),
      log_(file_.get()) {}

GroupCommitWriter::~GroupCommitWriter() { (void)Close(); }

Status GroupCommitWriter::Append(const Slice& payload, uint64_t* record_offset) {
  Waiter w(payload);
  std::unique_lock lock(mu_);
  if (!error_.ok()) return error_;
  if (closing_) return Status::Aborted("append to a closed log", path_);
  queue_.push_back(&w);
  w.cv.wait(lock, [&] { return w.done || queue_.front() == &w; });
  if (w.done) {
    if (record_offset != nullptr) *record_offset = w.offset;
    return w.status;
  }

  // This thread leads: take the queue's front (itself first) up to max_group_bytes.
  std::vector<Waiter*> group;
  size_t group_bytes = 0;
  for (Waiter* x : queue_) {
    if (!group.empty() && group_bytes + x->payload.size() > options_.max_group_bytes) break;
    group.push_back(x);
    group_bytes += x->payload.size();
  }
  Status s = error_;
  lock.unlock();

  // Only the leader writes, and there is one leader at a time, so log_ needs no lock.
  for (size_t i = 0; s.ok() && i < group.size(); i++) {
    s = log_.AddRecord(group[i]->payload, &group[i]->offset);
  }
  if (s.ok()) s = file_->Flush();
  const uint64_t end = log_.offset();
  if (s.ok() && options_.sync == SyncPolicy::kAlways) s = SyncUpTo(end);

  lock.lock();
  if (!s.ok() && error_.ok()) error_ = s;
  if (s.ok()) acknowledged_ = end;
  groups_++;
  for (Waiter* x : group) {
    queue_.pop_front();
    x->status = s;
    x->done = true;
    if (x != &w) x->cv.notify_one();
  }
  if (!queue_.empty()) queue_.front()->cv.notify_one();  // the next leader
  if (record_offset != nullptr) *record_offset = w.offset;
  return s;
}

Status GroupCommitWriter::SyncUpTo(uint64_t target) {
  std::lock_guard sync_lock(sync_mu_);
  {
    std::lock_guard lock(mu_);
    if (synced_ >= target) return Status::OK();
  }
  // Every byte up to target has been flushed, so SyncFlushed() covers it; the leader may be
  // appending meanwhile, which SyncFlushed() allows.
  Status s = file_->SyncFlushed();
  if (s.ok() && !name_durable_) {
    s = env_->SyncDir(DirName(path_));
    name_durable_ = s.ok();
  }
  std::lock_guard lock(mu_);
  if (s.ok()) {
    synced_ = std::max(synced_, target);
  } else if (error_.ok()) {
    error_ = s;
  }
  return s;
}

Status GroupCommitWriter::Sync() {
  uint64_t target;
  {
    std::lock_guard lock(mu_);
    if (!error_.ok()) return error_;
    target = acknowledged_;
  }
  return SyncUpTo(target);
}

void GroupCommitWriter::SyncLoop() {
  const auto interval = std::chrono::milliseconds(options_.sync_interval_ms);
  std::unique_lock lock(mu_);
  while (!closing_) {
    sync_cv_.wait_for(lock, interval, [this] { return closing_; });
    if (closing_ || !error_.ok() || acknowledged_ <= synced_) continue;
    const uint64_t target = acknowledged_;
    lock.unlock();
    (void)SyncUpTo(target);  // a failure becomes error_, which the next Append returns
    lock.lock();
  }
}

uint64_t GroupCommitWriter::acknowledged_bytes() const {
  std::lock_guard lock(mu_);
  return acknowledged_;
}

uint64_t GroupCommitWriter::groups() const {
  std::lock_guard lock(mu_);
  return groups_;
}

Status GroupCommitWriter::Close() {
  {
    std::lock_guard lock(mu_);
    if (closing_) return error_;
    closing_ = true;
  }
  sync_cv_.notify_all();
  if (syncer_.joinable()) syncer_.join();
  Status s;
  uint64_t target;
  {
    std::lock_guard lock(mu_);
    s = error_;
    target = acknowledged_;
  }
  if (s.ok() && options_.sync != SyncPolicy::kNone) s = SyncUpTo(target);
  Status c = file_->Close();
  if (s.ok()) s = c;
  std::lock_guard lock(mu_);
  if (!s.ok() && error_.ok()) error_ = s;
  return s;
}

}  // namespace strata::wal
