#include "db/db_checker.h"

#include <algorithm>
#include <cinttypes>
#include <memory>
#include <set>
#include <vector>

#include "base/path.h"
#include "db/filename.h"
#include "db/version_set.h"
#include "db/write_batch_internal.h"
#include "memtable/internal_key.h"
#include "sst/table_reader.h"
#include "wal/log_reader.h"

namespace strata {

namespace {

// Prints problem/warning/note lines and counts them; remembers the first problem as the
// status CheckDB returns.
class Report {
 public:
  Report(std::FILE* out, DbCheckSummary* summary) : out_(out), summary_(summary) {}

  // what usually comes from a Status whose message already starts with the file name;
  // it is not repeated.
  void Problem(const std::string& file, const std::string& what) {
    summary_->problems++;
    const std::string text = StripFile(file, what);
    std::fprintf(out_, "problem: %s: %s\n", file.c_str(), text.c_str());
    if (first_.ok()) first_ = Status::Corruption(file, text);
  }
  void Problem(const std::string& file, const Status& s) { Problem(file, s.message()); }
  void Warning(const std::string& file, const std::string& what) {
    summary_->warnings++;
    std::fprintf(out_, "warning: %s: %s\n", file.c_str(), what.c_str());
  }
  void Note(const std::string& file, const std::string& what) {
    summary_->notes++;
    std::fprintf(out_, "note: %s: %s\n", file.c_str(), what.c_str());
  }
  const Status& first_problem() const { return first_; }

 private:
  static std::string StripFile(const std::string& file, const std::string& what) {
    const std::string prefix = file + ": ";
    if (what.compare(0, prefix.size(), prefix) == 0) return what.substr(prefix.size());
    return what;
  }

  std::FILE* const out_;
  DbCheckSummary* const summary_;
  Status first_;
};

// Turns damage a LogReader reports into problem lines.
class LogDamage final : public wal::LogReader::Reporter {
 public:
  LogDamage(Report* report, std::string file) : report_(report), file_(std::move(file)) {}
  void Corruption(uint64_t offset, uint64_t bytes, const std::string& reason) override {
    reported_ = true;
    report_->Problem(file_, "offset " + std::to_string(offset) + " (" + std::to_string(bytes) +
                                " bytes): " + reason);
  }
  bool reported() const { return reported_; }

 private:
  Report* const report_;
  const std::string file_;
  bool reported_ = false;
};

class CountingHandler final : public WriteBatch::Handler {
 public:
  void Put(const Slice&, const Slice&) override { updates++; }
  void Delete(const Slice&) override { updates++; }
  uint64_t updates = 0;
};

// Reads a whole log in kTolerateCorruptedTail mode: damage is a problem, a torn tail is
// returned through *tail (empty if none). on_record sees every record.
template <typename OnRecord>
void ScanLog(Env* env, const std::string& path, Report* report, wal::LogFileHeader* header,
             std::string* tail, OnRecord on_record) {
  tail->clear();
  std::unique_ptr<SequentialFile> file;
  Status s = env->NewSequentialFile(path, &file);
  if (!s.ok()) {
    report->Problem(path, s);
    return;
  }
  LogDamage damage(report, path);
  wal::LogReader reader(path, std::move(file), &damage, wal::RecoveryMode::kTolerateCorruptedTail);
  Slice record;
  std::string scratch;
  while (reader.ReadRecord(&record, &scratch)) {
    on_record(record, reader.last_record_offset());
  }
  if (!reader.status().ok() && !damage.reported()) report->Problem(path, reader.status());
  if (reader.has_header()) *header = reader.header();
  if (reader.tail_dropped()) {
    // How much is dropped tells a torn last write (less than a record) from damage early in
    // the last block, which the reader cannot tell apart.
    uint64_t size = 0;
    const std::string dropped = env->GetFileSize(path, &size).ok() && size >= reader.tail_offset()
                                    ? std::to_string(size - reader.tail_offset()) + " bytes"
                                    : "the rest";
    *tail = "torn tail at offset " + std::to_string(reader.tail_offset()) + ": " + dropped +
            " dropped (" + reader.tail_reason() + ")";
  }
}

// Reads one live table whole. Stops at its first problem: what follows a damaged spot says
// little more.
void CheckTable(Env* env, const std::string& dir, const memtable::InternalKeyComparator& icmp,
                int level, const FileMetaData& meta, Report* report, DbCheckSummary* summary) {
  const std::string path = TableFileName(dir, meta.number);
  uint64_t size = 0;
  Status s = env->GetFileSize(path, &size);
  if (s.IsNotFound()) {
    report->Problem(path, "missing (the MANIFEST lists it at level " + std::to_string(level) + ")");
    return;
  }
  if (!s.ok()) return report->Problem(path, s);
  if (size != meta.file_size) {
    return report->Problem(path, "has " + std::to_string(size) + " bytes, the MANIFEST says " +
                                     std::to_string(meta.file_size));
  }
  std::unique_ptr<RandomAccessFile> file;
  s = env->NewRandomAccessFile(path, {}, &file);
  if (!s.ok()) return report->Problem(path, s);
  sst::TableOptions options;
  options.comparator = &icmp;
  options.user_key = [](const Slice& k) { return memtable::ExtractUserKey(k); };
  options.user_comparator = icmp.user_comparator();
  auto opened = sst::TableReader::Open(options, path, std::move(file), size);
  if (!opened.ok()) return report->Problem(path, opened.status());
  const std::unique_ptr<sst::TableReader>& table = *opened;

  sst::TableReadOptions read_options;
  read_options.verify_checksums = true;
  read_options.fill_cache = false;
  std::unique_ptr<Iterator> it = table->NewIterator(read_options);
  std::string previous;
  uint64_t entries = 0;
  for (it->SeekToFirst(); it->Valid(); it->Next(), entries++) {
    const Slice key = it->key();
    const std::string at = "entry " + std::to_string(entries) + ": ";
    memtable::ParsedInternalKey parsed;
    if (!memtable::ParseInternalKey(key, &parsed)) {
      return report->Problem(path, at + "not an internal key");
    }
    if (entries > 0 && icmp.Compare(previous, key) >= 0) {
      return report->Problem(path, at + "key does not sort after the one before it");
    }
    if (icmp.Compare(key, meta.smallest) < 0 || icmp.Compare(key, meta.largest) > 0) {
      return report->Problem(path, at + "key lies outside the smallest/largest range the "
                                        "MANIFEST records for this table");
    }
    if (parsed.sequence < meta.smallest_sequence || parsed.sequence > meta.largest_sequence) {
      return report->Problem(path, at + "sequence " + std::to_string(parsed.sequence) +
                                       " lies outside the MANIFEST's range [" +
                                       std::to_string(meta.smallest_sequence) + ", " +
                                       std::to_string(meta.largest_sequence) + "]");
    }
    previous.assign(key.data(), key.size());
  }
  if (!it->status().ok()) return report->Problem(path, it->status());
  if (entries != table->properties().num_entries) {
    return report->Problem(path, "holds " + std::to_string(entries) +
                                     " entries, its properties say " +
                                     std::to_string(table->properties().num_entries));
  }
  if (entries == 0 || icmp.Compare(previous, meta.largest) != 0) {
    return report->Problem(path, "its last key is not the largest key the MANIFEST records");
  }
  summary->tables++;
  summary->table_entries += entries;
  summary->table_bytes += size;
}

}  // namespace

Status CheckDB(Env* env, const std::string& dir, std::FILE* out, DbCheckSummary* summary) {
  *summary = DbCheckSummary();
  std::vector<std::string> children;
  Status s = env->GetChildren(dir, &children);
  if (!s.ok()) return Status::InvalidArgument(dir, "cannot list the directory: " + s.ToString());
  if (!env->FileExists(CurrentFileName(dir))) {
    return Status::InvalidArgument(dir, "is not a Strata DB (no CURRENT file)");
  }
  Report report(out, summary);
  auto finish = [&]() -> Status {
    const Status& first = report.first_problem();
    std::fprintf(out,
                 "summary: tables=%" PRIu64 " entries=%" PRIu64 " table_bytes=%" PRIu64
                 " logs=%" PRIu64 " batches=%" PRIu64 " updates=%" PRIu64 " problems=%" PRIu64
                 " warnings=%" PRIu64 " notes=%" PRIu64 " end=%s\n",
                 summary->tables, summary->table_entries, summary->table_bytes, summary->logs,
                 summary->log_batches, summary->log_updates, summary->problems, summary->warnings,
                 summary->notes, first.ok() ? "ok" : "corrupt");
    if (first.ok()) return first;
    return Status::Corruption(
        dir, std::to_string(summary->problems) + " problem(s); the first: " + first.message());
  };

  // CURRENT and the MANIFEST it names. Without them nothing else can be judged.
  auto current = ReadCurrentFile(env, dir);
  if (!current.ok()) {
    report.Problem(CurrentFileName(dir), current.status());
    return finish();
  }
  const uint64_t manifest_number = *current;
  const std::string manifest = ManifestFileName(dir, manifest_number);
  // VersionSet::Recover() tolerates a torn last edit silently (that edit never took effect);
  // a first pass of our own tells the user about it.
  wal::LogFileHeader header;
  std::string tail;
  ScanLog(env, manifest, &report, &header, &tail, [](const Slice&, uint64_t) {});
  if (!tail.empty()) report.Warning(manifest, tail);
  if (!report.first_problem().ok()) return finish();

  const memtable::InternalKeyComparator icmp(BytewiseComparator());
  VersionSet versions(dir, env, &icmp);
  s = versions.Recover();
  if (!s.ok()) {
    report.Problem(manifest, s);
    return finish();
  }
  const uint64_t log_number = versions.log_number();
  std::fprintf(out, "manifest: %s log_number=%" PRIu64 " last_sequence=%" PRIu64 "\n",
               manifest.c_str(), log_number, versions.last_sequence());

  // Every live table.
  std::shared_ptr<const Version> version = versions.current();
  std::set<uint64_t> live;
  for (int level = 0; level < kNumLevels; level++) {
    for (const auto& f : version->files[level]) {
      live.insert(f->number);
      const uint64_t problems_before = summary->problems;
      const uint64_t entries_before = summary->table_entries;
      CheckTable(env, dir, icmp, level, *f, &report, summary);
      if (summary->problems == problems_before) {
        std::fprintf(out, "table: %s level=%d entries=%" PRIu64 " bytes=%" PRIu64 " ok\n",
                     TableFileName(dir, f->number).c_str(), level,
                     summary->table_entries - entries_before, f->file_size);
      }
    }
  }

  // Every write-ahead log the next open would replay, oldest first, and the leftovers.
  std::vector<uint64_t> logs;
  std::sort(children.begin(), children.end());
  for (const std::string& name : children) {
    const std::string path = JoinPath(dir, name);
    uint64_t number = 0;
    FileType type;
    if (!ParseFileName(name, &number, &type)) {
      report.Note(path, "not a Strata file");
      continue;
    }
    switch (type) {
      case FileType::kLog:
        if (number >= log_number) {
          logs.push_back(number);
        } else {
          report.Note(path, "log below the MANIFEST's log number (already in tables)");
        }
        break;
      case FileType::kTable:
        if (!live.count(number)) report.Note(path, "table not referenced by the MANIFEST (orphan)");
        break;
      case FileType::kManifest:
        if (number != manifest_number) report.Note(path, "MANIFEST not named by CURRENT");
        break;
      case FileType::kTemp:
        report.Note(path, "temporary file left by an interrupted write");
        break;
      case FileType::kCurrent:
      case FileType::kLock:
        break;
    }
  }
  std::sort(logs.begin(), logs.end());
  for (size_t i = 0; i < logs.size(); i++) {
    const std::string path = LogFileName(dir, logs[i]);
    const uint64_t problems_before = summary->problems;
    uint64_t batches = 0;
    uint64_t updates = 0;
    wal::LogFileHeader log_header;
    ScanLog(env, path, &report, &log_header, &tail, [&](const Slice& record, uint64_t offset) {
      WriteBatch batch;
      CountingHandler counter;
      Status b = WriteBatchInternal::SetContents(&batch, record);
      if (b.ok()) b = batch.Iterate(&counter);
      if (!b.ok()) {
        report.Problem(path, "offset " + std::to_string(offset) + ": " + b.message());
        return;
      }
      batches++;
      updates += counter.updates;
    });
    if (log_header.purpose != wal::LogPurpose::kWriteAheadLog) {
      report.Problem(path, "its header says it is not a write-ahead log");
    } else if (log_header.log_number != 0 && log_header.log_number != logs[i]) {
      report.Problem(path, "its header names log " + std::to_string(log_header.log_number));
    }
    if (!tail.empty()) {
      // A crash mid-write tears the newest log. An older log was synced and closed before
      // the next one started, so a torn tail there means acknowledged data is gone.
      if (i + 1 == logs.size()) {
        report.Warning(path, tail + "; normal after a crash");
      } else {
        report.Problem(path, tail + " in a log that is not the newest");
      }
    }
    summary->logs++;
    summary->log_batches += batches;
    summary->log_updates += updates;
    if (summary->problems == problems_before) {
      std::fprintf(out, "log: %s batches=%" PRIu64 " updates=%" PRIu64 " ok\n", path.c_str(),
                   batches, updates);
    }
  }
  return finish();
}

}  // namespace strata
