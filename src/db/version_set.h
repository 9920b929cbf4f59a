// Version and VersionSet: which SSTables are live, and the MANIFEST that records it.
//
// A Version is an immutable snapshot of the live files per level, shared through
// shared_ptr by the DB, its iterators and compactions: whoever reads through a Version keeps
// its files alive. A file is deleted only when no live Version lists it.
//
// The VersionSet owns the current Version and the MANIFEST: LogAndApply() appends an edit,
// syncs the MANIFEST and only then installs the new Version, so what readers see is always
// what a recovery would rebuild.
#pragma once

#include <cstdint>
#include <list>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "base/result.h"
#include "db/version_edit.h"
#include "memtable/internal_key.h"
#include "strata/env.h"
#include "wal/log_writer.h"

namespace strata {

struct Version {
  // Level 0: newest file (highest number) first; files may overlap. Levels 1 and up: sorted
  // by smallest key, no overlaps.
  std::vector<std::shared_ptr<const FileMetaData>> files[kNumLevels];

  uint64_t LevelBytes(int level) const;
  int NumFiles(int level) const { return static_cast<int>(files[level].size()); }
};

class VersionSet {
 public:
  // env and icmp must outlive this object.
  VersionSet(std::string db, Env* env, const memtable::InternalKeyComparator* icmp);
  ~VersionSet();

  // Reads CURRENT and replays the MANIFEST it names. Corruption naming the MANIFEST on
  // damage; InvalidArgument if the DB was made with another comparator.
  Status Recover();

  // Writes a new MANIFEST holding the whole current state and points CURRENT at it. Used
  // when creating a DB and after every open, so the MANIFEST never grows without bound.
  Status WriteNewManifest();

  // Appends edit (completed with the counters) to the MANIFEST, syncs it, and installs the
  // resulting Version; with no MANIFEST open yet (after Recover() or for a new DB) it writes
  // a new one holding the whole state. The caller serializes calls.
  Status LogAndApply(VersionEdit* edit);

  std::shared_ptr<const Version> current() const { return current_; }

  uint64_t NewFileNumber() { return next_file_number_++; }
  // Makes sure numbers found on disk are never handed out again.
  void MarkFileNumberUsed(uint64_t number) {
    if (next_file_number_ <= number) next_file_number_ = number + 1;
  }
  uint64_t last_sequence() const { return last_sequence_; }
  void SetLastSequence(uint64_t s) { last_sequence_ = s; }
  // Write-ahead logs below this number are fully in SSTables.
  uint64_t log_number() const { return log_number_; }
  uint64_t manifest_number() const { return manifest_number_; }

  // Every file listed by a Version that someone still holds.
  void AddLiveFiles(std::set<uint64_t>* live);

  // For checkpoints: what a MANIFEST records besides the files.
  struct Counters {
    uint64_t next_file_number = 0;
    memtable::SequenceNumber last_sequence = 0;
    uint64_t log_number = 0;
  };
  // Makes dir, a new directory no DB uses yet (a checkpoint being built), describe version:
  // writes MANIFEST-<manifest_number> holding one snapshot edit (this DB's comparator, the
  // counters, every file of version) and syncs it, then writes and syncs CURRENT naming it.
  // CURRENT is written in place rather than renamed into place: nobody can open dir until
  // the caller publishes the whole directory. The caller syncs dir and removes it on error.
  // Reads only what never changes here (env, comparator), so needs no lock.
  Status WriteManifestInto(const std::string& dir, uint64_t manifest_number, const Version& version,
                           const Counters& counters) const;

 private:
  // The Version base becomes with edit applied; Corruption if the result breaks a level's
  // invariants (files of a level above 0 overlapping).
  Result<std::shared_ptr<Version>> Apply(const Version& base, const VersionEdit& edit) const;
  void Install(std::shared_ptr<Version> v);

  const std::string db_;
  Env* const env_;
  const memtable::InternalKeyComparator* const icmp_;

  std::shared_ptr<const Version> current_;
  // Versions handed out; expired entries are pruned in AddLiveFiles().
  std::list<std::weak_ptr<const Version>> versions_;

  uint64_t next_file_number_ = 2;
  uint64_t last_sequence_ = 0;
  uint64_t log_number_ = 0;
  uint64_t manifest_number_ = 0;
  std::unique_ptr<WritableFile> manifest_file_;
  std::unique_ptr<wal::LogWriter> manifest_log_;
};

}  // namespace strata
