// DBImpl::CreateCheckpoint: a new DB directory holding this DB's state at one sequence
// number S, made of hard links to the live SSTables, one new SSTable holding the writes the
// memtables have and the SSTables lack, a MANIFEST describing exactly those tables, and
// CURRENT.
//
// Why a new table instead of a copy of the write-ahead logs, or a flush of the DB first:
//  - A flush first would give a checkpoint without logs too, but switches the memtable,
//    adds a level-0 file to the source, and makes the checkpoint wait for the flush (and any
//    writer stall it causes).
//  - Copied logs hold writes beyond S (the write leader appends to the log before it
//    publishes the new last sequence), and the live log is being appended to while it is
//    copied; the copy would have to be cut record by record at S, and the logs pinned
//    against deletion by flushes. Opening the checkpoint would then replay them.
//  - The memtables already hold exactly what the SSTables lack, in order and with their
//    sequence numbers, and can be read while the leader inserts (memtable.h). Writing their
//    entries up to S into one table costs what copying the logs costs, touches nothing in
//    the source, needs no log pinning, and leaves a checkpoint that opens without replay.
//
// Consistency: under mu_, the current Version, the memtables and S = the last sequence are
// taken together. The Version's tables hold only writes <= S, since a memtable is flushed
// only after its writes are published; a flush that installs a Version also drops its
// memtable from imms_ in the same critical section, so Version + memtables hold every write
// <= S exactly once. Last sequence moves only when a whole group is in the memtable, so
// cutting at S keeps each batch whole or leaves it out; every write acknowledged before the
// call has a sequence <= S.
//
// Lifetime: the Version (shared_ptr) keeps its tables from DeleteObsoleteFiles() until they
// are linked, and each memtable is referenced until its entries are written.
//
// Atomicity: everything goes into dir + ".tmp", each file is synced, then the directory,
// then RenameFile() moves it to dir and syncs the parent. A crash leaves dir complete or
// absent; a leftover ".tmp" is removed by the next attempt.
#include <memory>
#include <string>
#include <vector>

#include "base/path.h"
#include "db/db_impl.h"
#include "db/filename.h"
#include "db/obsolete_version_filter.h"
#include "merge/merging_iterator.h"
#include "sst/table_builder.h"

namespace strata {

namespace {

constexpr char kTempSuffix[] = ".tmp";

// "a/b/" names the directory "a/b"; "/" stays "/".
std::string WithoutTrailingSlashes(std::string dir) {
  while (dir.size() > 1 && dir.back() == '/') dir.pop_back();
  return dir;
}

// Removes dir and the files in it, if it holds nothing but files named as a DB names them
// (a checkpoint under construction is one). Anything else makes it refuse before deleting
// anything: a directory that merely has the temporary name may hold someone's data.
Status RemoveDbDirectory(Env* env, const std::string& dir) {
  std::vector<std::string> names;
  Status s = env->GetChildren(dir, &names);
  if (!s.ok()) return s;
  for (const std::string& name : names) {
    uint64_t number;
    FileType type;
    if (!ParseFileName(name, &number, &type)) {
      return Status::InvalidArgument(
          dir, "holds " + name + ", which no checkpoint writes; remove the directory by hand");
    }
  }
  for (const std::string& name : names) {
    s = env->DeleteFile(JoinPath(dir, name));
    if (!s.ok()) return s;
  }
  return env->DeleteDir(dir);
}

}  // namespace

// What the checkpoint holds, taken under mu_.
struct DBImpl::CheckpointState {
  CheckpointState() = default;
  CheckpointState(const CheckpointState&) = delete;
  CheckpointState& operator=(const CheckpointState&) = delete;
  ~CheckpointState() {
    for (memtable::MemTable* mem : mems) mem->Unref();
  }

  std::shared_ptr<const Version> version;  // keeps its tables alive until they are linked
  std::vector<memtable::MemTable*> mems;   // referenced; mem_ and every immutable memtable
  memtable::SequenceNumber sequence = 0;   // S: the checkpoint holds exactly the writes <= S
  // Numbers from this DB's counter, above every table in version: the tail table sorts as
  // the newest level-0 file, and no number in the checkpoint repeats.
  uint64_t tail_number = 0;
  uint64_t manifest_number = 0;
};

Status DBImpl::CreateCheckpoint(const std::string& dir_arg) {
  const std::string dir = WithoutTrailingSlashes(dir_arg);
  if (dir.empty()) return Status::InvalidArgument("checkpoint", "the directory name is empty");
  std::lock_guard checkpoint_lock(checkpoint_mu_);
  if (env_->FileExists(dir)) {
    return Status::InvalidArgument(dir, "exists; a checkpoint needs a new directory");
  }
  const std::string parent = DirName(dir);
  std::vector<std::string> siblings;
  Status s = env_->GetChildren(parent, &siblings);
  if (s.IsNotFound()) {
    return Status::InvalidArgument(dir, "its parent directory " + parent + " does not exist");
  }
  if (!s.ok()) return s;
  const std::string tmp = dir + kTempSuffix;
  if (env_->FileExists(tmp)) {
    s = RemoveDbDirectory(env_, tmp);  // left by an attempt that crashed
    if (!s.ok()) return s;
  }
  s = env_->CreateDirIfMissing(tmp);
  if (!s.ok()) return s;

  CheckpointState state;
  {
    // Pointer copies and counters only: writers wait no longer than for a Get().
    std::lock_guard lock(mu_);
    state.version = versions_->current();
    state.sequence = versions_->last_sequence();
    mem_->Ref();
    state.mems.push_back(mem_);
    for (const Immutable& imm : imms_) {
      imm.mem->Ref();
      state.mems.push_back(imm.mem);
    }
    state.tail_number = versions_->NewFileNumber();
    state.manifest_number = versions_->NewFileNumber();
  }

  s = WriteCheckpoint(state, tmp);
  // The links and new files' names must be durable before the directory gets its name.
  if (s.ok()) s = env_->SyncDir(tmp);
  if (s.ok()) s = env_->RenameFile(tmp, dir);
  if (!s.ok()) {
    // A failed call leaves no dir. If the rename happened and only its sync failed, undo it
    // by renaming, not by deleting in place, so a crash meanwhile cannot leave a part of it.
    if (!env_->FileExists(tmp) && env_->FileExists(dir)) (void)env_->RenameFile(dir, tmp);
    if (env_->FileExists(tmp)) (void)RemoveDbDirectory(env_, tmp);
  }
  return s;
}

Status DBImpl::WriteCheckpoint(const CheckpointState& state, const std::string& dir) {
  // SSTables are never modified once written, so a link shares them safely: each DB
  // deletes only its own name when it no longer needs the table. Their bytes were synced
  // when they were written.
  Version version = *state.version;
  for (const auto& level : version.files) {
    for (const auto& f : level) {
      Status s = env_->LinkFile(TableFileName(path_, f->number), TableFileName(dir, f->number));
      if (!s.ok()) return s;
    }
  }
  FileMetaData tail;
  tail.number = state.tail_number;
  Status s = WriteCheckpointTail(state, dir, &tail);
  if (!s.ok()) return s;
  if (tail.file_size > 0) {
    // Level 0 lists the newest file first, and Get() trusts the first it finds: the tail
    // holds the newest writes, and its number, above every linked table's, says so.
    version.files[0].insert(version.files[0].begin(), std::make_shared<const FileMetaData>(tail));
  }
  // No log: the checkpoint's own logs start above every number it uses.
  VersionSet::Counters counters;
  counters.next_file_number = state.manifest_number + 1;
  counters.last_sequence = state.sequence;
  counters.log_number = counters.next_file_number;
  return versions_->WriteManifestInto(dir, state.manifest_number, version, counters);
}

Status DBImpl::WriteCheckpointTail(const CheckpointState& state, const std::string& dir,
                                   FileMetaData* meta) {
  const std::string path = TableFileName(dir, meta->number);
  meta->file_size = 0;
  std::vector<std::unique_ptr<Iterator>> children;
  for (memtable::MemTable* mem : state.mems) children.push_back(mem->NewIterator());
  std::unique_ptr<Iterator> input = merge::NewMergingIterator(&icmp_, std::move(children));
  // The checkpoint starts without snapshots: of each key only the newest version up to S
  // matters. Deletions stay: older versions may lie in the linked tables.
  ObsoleteVersionFilter filter(options_.comparator, {}, /*bottommost=*/false);

  std::unique_ptr<WritableFile> file;
  Status s = env_->NewWritableFile(path, {}, &file);
  if (!s.ok()) return s;
  sst::TableBuilder builder(table_options_, file.get());
  for (input->SeekToFirst(); s.ok() && input->Valid(); input->Next()) {
    memtable::ParsedInternalKey k;
    if (!memtable::ParseInternalKey(input->key(), &k)) {
      s = Status::Corruption(path, "malformed internal key from a memtable");
      break;
    }
    // Written after S, maybe by a group the leader is inserting right now: not in the
    // checkpoint. Skipped before the filter, so it sees the newest version up to S first.
    if (k.sequence > state.sequence) continue;
    if (filter.Drop(k)) continue;
    s = builder.Add(input->key(), input->value());
  }
  if (s.ok()) s = input->status();
  const bool empty = builder.NumEntries() == 0;
  if (s.ok() && !empty) {
    s = builder.Finish();
  } else {
    builder.Abandon();
  }
  if (s.ok() && !empty) s = file->Sync();
  Status c = file->Close();
  if (s.ok()) s = c;
  if (!s.ok() || empty) {
    (void)env_->DeleteFile(path);
    return s;
  }
  const sst::TableProperties& props = builder.properties();
  meta->file_size = builder.FileSize();
  meta->smallest = props.smallest_key;
  meta->largest = props.largest_key;
  meta->smallest_sequence = props.min_sequence;
  meta->largest_sequence = props.max_sequence;
  return Status::OK();
}

}  // namespace strata
