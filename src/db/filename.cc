#include "db/filename.h"

#include <cinttypes>
#include <cstdio>

#include "base/path.h"

namespace strata {

namespace {

constexpr char kManifestPrefix[] = "MANIFEST-";

std::string Numbered(const std::string& db, uint64_t number, const char* suffix) {
  char buf[64];
  std::snprintf(buf, sizeof(buf), "%06" PRIu64 "%s", number, suffix);
  return JoinPath(db, buf);
}

// Parses all of s as a decimal number without sign or overflow.
bool ParseNumber(const std::string& s, uint64_t* number) {
  if (s.empty() || s.size() > 20) return false;
  uint64_t n = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    const uint64_t d = static_cast<uint64_t>(c - '0');
    if (n > (UINT64_MAX - d) / 10) return false;
    n = n * 10 + d;
  }
  *number = n;
  return true;
}

bool EndsWith(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() &&
         s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

}  // namespace

std::string LogFileName(const std::string& db, uint64_t number) {
  return Numbered(db, number, ".log");
}
std::string TableFileName(const std::string& db, uint64_t number) {
  return Numbered(db, number, ".sst");
}
std::string TempFileName(const std::string& db, uint64_t number) {
  return Numbered(db, number, ".dbtmp");
}
std::string ManifestFileName(const std::string& db, uint64_t number) {
  char buf[64];
  std::snprintf(buf, sizeof(buf), "%s%06" PRIu64, kManifestPrefix, number);
  return JoinPath(db, buf);
}
std::string CurrentFileName(const std::string& db) { return JoinPath(db, "CURRENT"); }
std::string LockFileName(const std::string& db) { return JoinPath(db, "LOCK"); }

bool ParseFileName(const std::string& name, uint64_t* number, FileType* type) {
  if (name == "CURRENT" || name == "LOCK") {
    *number = 0;
    *type = name == "CURRENT" ? FileType::kCurrent : FileType::kLock;
    return true;
  }
  const std::string prefix = kManifestPrefix;
  if (name.compare(0, prefix.size(), prefix) == 0) {
    if (!ParseNumber(name.substr(prefix.size()), number)) return false;
    *type = FileType::kManifest;
    return true;
  }
  static const struct {
    const char* suffix;
    FileType type;
  } kSuffixes[] = {
      {".log", FileType::kLog}, {".sst", FileType::kTable}, {".dbtmp", FileType::kTemp}};
  for (const auto& s : kSuffixes) {
    if (EndsWith(name, s.suffix)) {
      if (!ParseNumber(name.substr(0, name.size() - std::string(s.suffix).size()), number)) {
        return false;
      }
      *type = s.type;
      return true;
    }
  }
  return false;
}

Status SetCurrentFile(Env* env, const std::string& db, uint64_t manifest_number) {
  const std::string content = BaseName(ManifestFileName(db, manifest_number)) + "\n";
  const std::string tmp = TempFileName(db, manifest_number);
  std::unique_ptr<WritableFile> file;
  Status s = env->NewWritableFile(tmp, {}, &file);
  if (s.ok()) s = file->Append(content);
  if (s.ok()) s = file->Sync();
  if (s.ok()) s = file->Close();
  if (s.ok()) s = env->RenameFile(tmp, CurrentFileName(db));
  if (!s.ok()) (void)env->DeleteFile(tmp);
  return s;
}

Result<uint64_t> ReadCurrentFile(Env* env, const std::string& db) {
  const std::string path = CurrentFileName(db);
  std::unique_ptr<SequentialFile> file;
  Status s = env->NewSequentialFile(path, &file);
  if (!s.ok()) return s;
  // A valid CURRENT is short; read a little more than the longest valid one.
  char scratch[64];
  Slice content;
  s = file->Read(sizeof(scratch), &content, scratch);
  if (!s.ok()) return s;
  std::string text = content.ToString();
  const std::string prefix = kManifestPrefix;
  uint64_t number = 0;
  if (text.size() < prefix.size() + 2 || text.back() != '\n' ||
      text.compare(0, prefix.size(), prefix) != 0 ||
      !ParseNumber(text.substr(prefix.size(), text.size() - prefix.size() - 1), &number)) {
    return Status::Corruption(path, "does not name a MANIFEST");
  }
  return number;
}

}  // namespace strata
