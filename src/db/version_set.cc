#include "db/version_set.h"

#include <algorithm>
#include <map>

#include "db/filename.h"
#include "wal/log_reader.h"

namespace strata {

uint64_t Version::LevelBytes(int level) const {
  uint64_t total = 0;
  for (const auto& f : files[level]) total += f->file_size;
  return total;
}

VersionSet::VersionSet(std::string db, Env* env, const memtable::InternalKeyComparator* icmp)
    : db_(std::move(db)), env_(env), icmp_(icmp), current_(std::make_shared<Version>()) {}

VersionSet::~VersionSet() {
  if (manifest_file_) (void)manifest_file_->Close();
}

Result<std::shared_ptr<Version>> VersionSet::Apply(const Version& base,
                                                   const VersionEdit& edit) const {
  auto v = std::make_shared<Version>();
  for (int level = 0; level < kNumLevels; level++) {
    for (const auto& f : base.files[level]) {
      if (!edit.deleted_files().count({level, f->number})) v->files[level].push_back(f);
    }
  }
  for (const auto& [level, f] : edit.new_files()) {
    v->files[level].push_back(std::make_shared<const FileMetaData>(f));
  }
  std::sort(v->files[0].begin(), v->files[0].end(),
            [](const auto& a, const auto& b) { return a->number > b->number; });
  for (int level = 1; level < kNumLevels; level++) {
    auto& files = v->files[level];
    std::sort(files.begin(), files.end(), [this](const auto& a, const auto& b) {
      return icmp_->Compare(a->smallest, b->smallest) < 0;
    });
    for (size_t i = 1; i < files.size(); i++) {
      if (icmp_->Compare(files[i - 1]->largest, files[i]->smallest) >= 0) {
        return Status::Corruption("MANIFEST", "overlapping files " +
                                                  std::to_string(files[i - 1]->number) + " and " +
                                                  std::to_string(files[i]->number) + " at level " +
                                                  std::to_string(level));
      }
    }
  }
  return v;
}

void VersionSet::Install(std::shared_ptr<Version> v) {
  current_ = v;
  versions_.push_back(v);
}

Status VersionSet::Recover() {
  auto current = ReadCurrentFile(env_, db_);
  if (!current.ok()) return current.status();
  const std::string path = ManifestFileName(db_, *current);
  Status s;
  std::unique_ptr<SequentialFile> file;
  s = env_->NewSequentialFile(path, &file);
  if (s.IsNotFound()) return Status::Corruption(path, "named by CURRENT but missing");
  if (!s.ok()) return s;

  // A torn last edit is what a crash during LogAndApply leaves: that edit never took effect.
  wal::LogReader reader(path, std::move(file), nullptr, wal::RecoveryMode::kTolerateCorruptedTail);
  std::shared_ptr<Version> v = std::make_shared<Version>();
  bool have_next = false;
  bool have_last = false;
  bool have_log = false;
  Slice record;
  std::string scratch;
  while (reader.ReadRecord(&record, &scratch)) {
    if (reader.header().purpose != wal::LogPurpose::kManifest) {
      return Status::Corruption(path, "is a log file, not a MANIFEST");
    }
    VersionEdit edit;
    s = edit.DecodeFrom(record);
    if (!s.ok()) {
      return Status::Corruption(path + ": offset " + std::to_string(reader.last_record_offset()),
                                s.ToString());
    }
    if (edit.comparator() && *edit.comparator() != icmp_->user_comparator()->Name()) {
      return Status::InvalidArgument(path, "the DB uses comparator " + *edit.comparator() +
                                               ", not " + icmp_->user_comparator()->Name());
    }
    auto next = Apply(*v, edit);
    if (!next.ok()) return Status::Corruption(path, next.status().ToString());
    v = std::move(*next);
    if (edit.next_file_number()) {
      next_file_number_ = *edit.next_file_number();
      have_next = true;
    }
    if (edit.last_sequence()) {
      last_sequence_ = *edit.last_sequence();
      have_last = true;
    }
    if (edit.log_number()) {
      log_number_ = *edit.log_number();
      have_log = true;
    }
  }
  if (!reader.status().ok()) return reader.status();
  if (!have_next || !have_last || !have_log) {
    return Status::Corruption(path, "lacks the next file number, last sequence or log number");
  }
  manifest_number_ = *current;
  MarkFileNumberUsed(*current);
  for (const auto& level : v->files) {
    for (const auto& f : level) MarkFileNumberUsed(f->number);
  }
  Install(std::move(v));
  return Status::OK();
}

Status VersionSet::WriteNewManifest() {
  const uint64_t number = NewFileNumber();
  const std::string path = ManifestFileName(db_, number);
  std::unique_ptr<WritableFile> file;
  Status s = env_->NewWritableFile(path, {}, &file);
  if (!s.ok()) return s;
  auto log = std::make_unique<wal::LogWriter>(file.get());
  wal::LogFileHeader header;
  header.purpose = wal::LogPurpose::kManifest;
  header.log_number = number;
  s = log->WriteHeader(header);

  VersionEdit snapshot;
  snapshot.SetComparatorName(icmp_->user_comparator()->Name());
  snapshot.SetNextFileNumber(next_file_number_);
  snapshot.SetLastSequence(last_sequence_);
  snapshot.SetLogNumber(log_number_);
  for (int level = 0; level < kNumLevels; level++) {
    for (const auto& f : current_->files[level]) snapshot.AddFile(level, *f);
  }
  std::string record;
  snapshot.EncodeTo(&record);
  if (s.ok()) s = log->AddRecord(record);
  if (s.ok()) s = file->Sync();
  if (!s.ok()) {
    (void)file->Close();
    (void)env_->DeleteFile(path);
    return s;
  }
  // The rename inside SetCurrentFile syncs the directory, which makes the new MANIFEST's
  // name durable too.
  s = SetCurrentFile(env_, db_, number);
  if (!s.ok()) {
    // The rename may have happened (only its directory sync failed): CURRENT may name this
    // MANIFEST now, so it stays. Obsolete-file deletion never removes the newest MANIFEST.
    (void)file->Close();
    MarkFileNumberUsed(number);
    return s;
  }
  if (manifest_file_) (void)manifest_file_->Close();
  manifest_file_ = std::move(file);
  manifest_log_ = std::move(log);
  manifest_number_ = number;
  return Status::OK();
}

Status VersionSet::LogAndApply(VersionEdit* edit) {
  const uint64_t log_number = edit->log_number() ? *edit->log_number() : log_number_;
  edit->SetNextFileNumber(next_file_number_);
  edit->SetLastSequence(last_sequence_);
  edit->SetLogNumber(log_number);
  auto applied = Apply(*current_, *edit);
  if (!applied.ok()) return applied.status();
  std::shared_ptr<Version> v = std::move(*applied);
  Status s;
  if (!manifest_log_) {
    // No MANIFEST open for appending (right after Recover()): the new state goes into a
    // complete new MANIFEST, installed by the atomic switch of CURRENT.
    std::shared_ptr<const Version> previous = current_;
    const uint64_t previous_log_number = log_number_;
    current_ = v;
    log_number_ = log_number;
    s = WriteNewManifest();
    if (!s.ok()) {
      current_ = previous;
      log_number_ = previous_log_number;
      return s;
    }
    versions_.push_back(v);
    return Status::OK();
  }
  std::string record;
  edit->EncodeTo(&record);
  s = manifest_log_->AddRecord(record);
  if (s.ok()) s = manifest_file_->Sync();
  if (!s.ok()) {
    // The new state is not known to be durable: do not install it. The record may still
    // have reached the file, whole or torn, so nothing more is appended to this MANIFEST: the
    // next edit starts a new one holding the whole state (and only a successful switch of
    // CURRENT makes it the truth). Callers keep the files the edit named until the DB is
    // reopened, since the old MANIFEST may name them.
    (void)manifest_file_->Close();
    manifest_file_.reset();
    manifest_log_.reset();
    return s;
  }
  log_number_ = log_number;
  Install(std::move(v));
  return Status::OK();
}

void VersionSet::AddLiveFiles(std::set<uint64_t>* live) {
  for (auto it = versions_.begin(); it != versions_.end();) {
    std::shared_ptr<const Version> v = it->lock();
    if (!v) {
      it = versions_.erase(it);
      continue;
    }
    for (const auto& level : v->files) {
      for (const auto& f : level) live->insert(f->number);
    }
    ++it;
  }
}

Status VersionSet::WriteManifestInto(const std::string& dir, uint64_t manifest_number,
                                     const Version& version, const Counters& counters) const {
  const std::string path = ManifestFileName(dir, manifest_number);
  std::unique_ptr<WritableFile> file;
  Status s = env_->NewWritableFile(path, {}, &file);
  if (!s.ok()) return s;
  wal::LogWriter log(file.get());
  wal::LogFileHeader header;
  header.purpose = wal::LogPurpose::kManifest;
  header.log_number = manifest_number;
  s = log.WriteHeader(header);
  VersionEdit snapshot;
  snapshot.SetComparatorName(icmp_->user_comparator()->Name());
  snapshot.SetNextFileNumber(counters.next_file_number);
  snapshot.SetLastSequence(counters.last_sequence);
  snapshot.SetLogNumber(counters.log_number);
  for (int level = 0; level < kNumLevels; level++) {
    for (const auto& f : version.files[level]) snapshot.AddFile(level, *f);
  }
  std::string record;
  snapshot.EncodeTo(&record);
  if (s.ok()) s = log.AddRecord(record);
  if (s.ok()) s = file->Sync();
  Status c = file->Close();
  if (s.ok()) s = c;
  if (!s.ok()) return s;

  // The content SetCurrentFile() writes: the MANIFEST's name (an empty directory gives the
  // bare name) and a newline.
  s = env_->NewWritableFile(CurrentFileName(dir), {}, &file);
  if (!s.ok()) return s;
  s = file->Append(ManifestFileName("", manifest_number) + "\n");
  if (s.ok()) s = file->Sync();
  c = file->Close();
  return s.ok() ? c : s;
}

}  // namespace strata
