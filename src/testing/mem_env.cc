#include "testing/mem_env.h"

#include <algorithm>
#include <cassert>
#include <utility>
#include <vector>

#include "base/path.h"

namespace strata::testing {

namespace {

// True if path lies strictly below directory dir.
bool IsBelow(const std::string& path, const std::string& dir) {
  return path.size() > dir.size() && path.compare(0, dir.size(), dir) == 0 &&
         path[dir.size()] == '/';
}

// The new name of path when directory `from` is renamed to `to`: /a/x -> /b/x.
std::string MovedName(const std::string& path, const std::string& from, const std::string& to) {
  return to + path.substr(from.size());
}

// Renames the entries of a namespace map that lie below directory `from`.
template <typename Map>
void MoveEntries(Map& names, const std::string& from, const std::string& to) {
  std::vector<std::string> moving;
  for (const auto& entry : names) {
    if (IsBelow(entry.first, from)) moving.push_back(entry.first);
  }
  for (const std::string& name : moving) {
    auto node = names.extract(name);
    node.key() = MovedName(name, from, to);
    names.insert(std::move(node));
  }
}

// Renames directory `from` and the directories below it.
void MoveDirs(std::set<std::string>& dirs, const std::string& from, const std::string& to) {
  std::vector<std::string> moving;
  for (const std::string& dir : dirs) {
    if (dir == from || IsBelow(dir, from)) moving.push_back(dir);
  }
  for (const std::string& dir : moving) {
    dirs.erase(dir);
    dirs.insert(MovedName(dir, from, to));
  }
}

constexpr char kProcessDown[] = "process is down (simulated crash)";
constexpr char kNoSpace[] = "No space left on device";

}  // namespace

std::string MemEnv::CleanDir(std::string dir) {
  while (dir.size() > 1 && dir.back() == '/') dir.pop_back();
  return dir;
}

MemEnv::MemEnv() = default;

MemEnv::~MemEnv() { assert(open_handles_ == 0 && "destroy every file and lock before the MemEnv"); }

bool MemEnv::IsDirLocked(const std::string& dir) const {
  return dir == "/" || dir == "." || dirs_.count(dir) > 0;
}

std::shared_ptr<MemEnv::Inode> MemEnv::FindLocked(const std::string& path) const {
  auto it = live_.find(path);
  return it == live_.end() ? nullptr : it->second;
}

Status MemEnv::CheckUpLocked(const char* op, const std::string& path) const {
  if (!down_) return Status::OK();
  return Status::IOError(std::string(op) + " " + path, kProcessDown);
}

uint64_t MemEnv::LiveBytesLocked() const {
  std::set<const Inode*> counted;  // hard links share an inode, and its bytes
  uint64_t total = 0;
  for (const auto& [name, inode] : live_) {
    if (counted.insert(inode.get()).second) total += inode->data.size();
  }
  return total;
}

Status MemEnv::CheckSpaceLocked(const char* op, const std::string& path, uint64_t more) const {
  if (capacity_ == 0) return Status::OK();
  const uint64_t used = LiveBytesLocked();
  // A create needs room for at least its first byte; an append for all of its bytes.
  const bool fits = more == 0 ? used < capacity_ : used + more <= capacity_;
  if (fits) return Status::OK();
  return Status::IOError(std::string(op) + " " + path, std::string(kNoSpace) + " (capacity " +
                                                           std::to_string(capacity_) + " bytes, " +
                                                           std::to_string(used) + " in use, " +
                                                           std::to_string(more) + " more asked)");
}

Status MemEnv::CheckParentLocked(const char* op, const std::string& path) const {
  const std::string parent = DirName(path);
  if (IsDirLocked(parent)) return Status::OK();
  return Status::NotFound(std::string(op) + " " + path, "no such directory " + parent);
}

bool MemEnv::FileExists(const std::string& path) {
  std::lock_guard<std::mutex> l(mu_);
  if (down_) return false;
  return live_.count(path) > 0 || IsDirLocked(CleanDir(path));
}

Status MemEnv::GetChildren(const std::string& dir, std::vector<std::string>* names) {
  const std::string d = CleanDir(dir);
  std::lock_guard<std::mutex> l(mu_);
  names->clear();
  if (down_) return Status::IOError("list " + dir, kProcessDown);
  if (!IsDirLocked(d)) return Status::NotFound("list " + dir, "no such directory");
  for (const auto& [name, inode] : live_) {
    if (DirName(name) == d) names->push_back(BaseName(name));
  }
  for (const std::string& sub : dirs_) {
    if (DirName(sub) == d) names->push_back(BaseName(sub));
  }
  return Status::OK();
}

Status MemEnv::GetFileSize(const std::string& path, uint64_t* size) {
  std::lock_guard<std::mutex> l(mu_);
  if (down_) return Status::IOError("stat " + path, kProcessDown);
  std::shared_ptr<Inode> inode = FindLocked(path);
  if (inode == nullptr) {
    if (IsDirLocked(CleanDir(path))) return Status::IOError("stat " + path, "is a directory");
    return Status::NotFound("stat " + path, "no such file");
  }
  *size = inode->data.size();
  return Status::OK();
}

Status MemEnv::DeleteFile(const std::string& path) {
  std::lock_guard<std::mutex> l(mu_);
  Status s = CheckUpLocked("delete", path);
  if (!s.ok()) return s;
  if (live_.erase(path) > 0) return Status::OK();
  if (IsDirLocked(CleanDir(path))) return Status::IOError("delete " + path, "is a directory");
  return Status::NotFound("delete " + path, "no such file");
}

Status MemEnv::CreateDirIfMissing(const std::string& dir) {
  const std::string d = CleanDir(dir);
  std::lock_guard<std::mutex> l(mu_);
  Status s = CheckUpLocked("create directory", d);
  if (!s.ok()) return s;
  if (IsDirLocked(d)) return Status::OK();
  if (live_.count(d) > 0) {
    return Status::IOError("create directory " + d, "exists and is not a directory");
  }
  s = CheckParentLocked("create directory", d);
  if (!s.ok()) return s;
  dirs_.insert(d);
  return Status::OK();
}

Status MemEnv::DeleteDir(const std::string& dir) {
  const std::string d = CleanDir(dir);
  std::lock_guard<std::mutex> l(mu_);
  Status s = CheckUpLocked("delete directory", d);
  if (!s.ok()) return s;
  if (d == "/" || d == ".") return Status::IOError("delete directory " + d, "is the root");
  if (dirs_.count(d) == 0) {
    if (live_.count(d) > 0) return Status::IOError("delete directory " + d, "not a directory");
    return Status::NotFound("delete directory " + d, "no such directory");
  }
  const auto is_child = [&d](const std::string& name) { return DirName(name) == d; };
  const bool has_files = std::any_of(live_.begin(), live_.end(),
                                     [&](const auto& entry) { return is_child(entry.first); });
  if (has_files || std::any_of(dirs_.begin(), dirs_.end(), is_child)) {
    return Status::IOError("delete directory " + d, "directory not empty");
  }
  // The removal is durable at once, and so are the deletions that emptied the directory.
  std::erase_if(durable_, [&](const auto& entry) { return is_child(entry.first); });
  dirs_.erase(d);
  return Status::OK();
}

Status MemEnv::SyncDirLocked(const std::string& dir) {
  Status s = CheckUpLocked("sync directory", dir);
  if (!s.ok()) return s;
  if (!IsDirLocked(dir)) return Status::NotFound("sync directory " + dir, "no such directory");
  std::erase_if(durable_, [&dir](const auto& entry) { return DirName(entry.first) == dir; });
  for (const auto& [name, inode] : live_) {
    if (DirName(name) == dir) durable_[name] = inode;
  }
  return Status::OK();
}

Status MemEnv::SyncDir(const std::string& dir) {
  std::lock_guard<std::mutex> l(mu_);
  return SyncDirLocked(CleanDir(dir));
}

Status MemEnv::RenameFile(const std::string& src, const std::string& dst) {
  const std::string what = "rename " + src + " -> " + dst;
  std::lock_guard<std::mutex> l(mu_);
  Status s = RenameLocked(src, dst, what);
  if (!s.ok()) return s;
  // One critical section with the rename: no crash can come between it and the syncs.
  const std::string dst_dir = DirName(CleanDir(dst));
  const std::string src_dir = DirName(CleanDir(src));
  s = SyncDirLocked(dst_dir);
  if (s.ok() && src_dir != dst_dir) s = SyncDirLocked(src_dir);
  if (!s.ok()) return Status::IOError(what, s.message());
  return Status::OK();
}

Status MemEnv::RenameWithoutDirSync(const std::string& src, const std::string& dst) {
  std::lock_guard<std::mutex> l(mu_);
  return RenameLocked(src, dst, "rename " + src + " -> " + dst);
}

Status MemEnv::RenameLocked(const std::string& src, const std::string& dst,
                            const std::string& what) {
  Status s = CheckUpLocked("rename", src);
  if (!s.ok()) return s;
  std::shared_ptr<Inode> inode = FindLocked(src);
  if (inode == nullptr) {
    if (IsDirLocked(CleanDir(src))) return RenameDirLocked(CleanDir(src), CleanDir(dst), what);
    return Status::NotFound(what, "no such file " + src);
  }
  if (IsDirLocked(CleanDir(dst))) return Status::IOError(what, "destination is a directory");
  s = CheckParentLocked("rename", dst);
  if (!s.ok()) return Status::NotFound(what, "no such directory " + DirName(dst));
  // As rename(2): if both names already point to the same inode, nothing changes.
  if (FindLocked(dst) != inode) {
    live_[dst] = std::move(inode);
    live_.erase(src);
  }
  return Status::OK();
}

Status MemEnv::RenameDirLocked(const std::string& src, const std::string& dst,
                               const std::string& what) {
  if (src == "/" || src == ".") return Status::IOError(what, "cannot rename the root");
  if (dst == src) return Status::OK();
  if (IsBelow(dst, src)) return Status::IOError(what, "destination is inside the source");
  if (live_.count(dst) > 0) return Status::IOError(what, "destination is a file");
  Status s = CheckParentLocked("rename", dst);
  if (!s.ok()) return Status::NotFound(what, "no such directory " + DirName(dst));
  for (const auto& [path, id] : locks_) {
    if (IsBelow(path, src)) return Status::NotSupported(what, "the directory holds a locked file");
  }
  if (IsDirLocked(dst)) {
    // rename(2) replaces an empty directory, and only an empty one.
    const auto in_dst = [&dst](const std::string& name) { return DirName(name) == dst; };
    const bool has_files = std::any_of(live_.begin(), live_.end(),
                                       [&](const auto& entry) { return in_dst(entry.first); });
    if (dst == "/" || dst == "." || has_files || std::any_of(dirs_.begin(), dirs_.end(), in_dst)) {
      return Status::IOError(what, "destination directory not empty");
    }
    // As DeleteDir(): the removal takes the durable entries no SyncDir() removed.
    std::erase_if(durable_, [&](const auto& entry) { return in_dst(entry.first); });
    dirs_.erase(dst);
  }
  // Directories have no durable view of their own (they are durable from creation), so the
  // move is durable at once; each entry below keeps the durability it had.
  MoveEntries(live_, src, dst);
  MoveEntries(durable_, src, dst);
  MoveDirs(dirs_, src, dst);
  return Status::OK();
}

Status MemEnv::LinkFile(const std::string& src, const std::string& dst) {
  const std::string what = "link " + src + " -> " + dst;
  std::lock_guard<std::mutex> l(mu_);
  Status s = CheckUpLocked("link", src);
  if (!s.ok()) return s;
  std::shared_ptr<Inode> inode = FindLocked(src);
  if (inode == nullptr) {
    if (IsDirLocked(CleanDir(src))) return Status::IOError(what, "source is a directory");
    return Status::NotFound(what, "no such file " + src);
  }
  if (live_.count(dst) > 0 || IsDirLocked(CleanDir(dst))) {
    return Status::IOError(what, "destination exists");
  }
  s = CheckParentLocked("link", dst);
  if (!s.ok()) return Status::NotFound(what, "no such directory " + DirName(dst));
  live_[dst] = std::move(inode);
  return Status::OK();
}

void MemEnv::SimulateCrash() {
  std::lock_guard<std::mutex> l(mu_);
  SimulateCrashLocked();
}

void MemEnv::SimulateCrashLocked() {
  live_ = durable_;
  for (auto& [name, inode] : live_) inode->data.resize(inode->synced_size);
  locks_.clear();  // the holders died with the process
  ++epoch_;
}

void MemEnv::SimulateProcessDeath() {
  // One critical section: were the process marked down only after the crash, a thread of
  // the dead process could act on the crashed state in between (sync and rename a directory
  // whose unsynced links the crash just dropped) and acknowledge it.
  std::lock_guard<std::mutex> l(mu_);
  SimulateCrashLocked();
  down_ = true;
}

void MemEnv::Restart() {
  std::lock_guard<std::mutex> l(mu_);
  down_ = false;
}

uint64_t MemEnv::CrashCount() const {
  std::lock_guard<std::mutex> l(mu_);
  return epoch_;
}

bool MemEnv::ProcessDown() const {
  std::lock_guard<std::mutex> l(mu_);
  return down_;
}

void MemEnv::SetCapacity(uint64_t bytes) {
  std::lock_guard<std::mutex> l(mu_);
  capacity_ = bytes;
}

uint64_t MemEnv::LiveBytes() const {
  std::lock_guard<std::mutex> l(mu_);
  return LiveBytesLocked();
}

uint64_t MemEnv::SyncedSize(const std::string& path) const {
  std::lock_guard<std::mutex> l(mu_);
  std::shared_ptr<Inode> inode = FindLocked(path);
  return inode == nullptr ? 0 : inode->synced_size;
}

bool MemEnv::DurablyExists(const std::string& path) const {
  std::lock_guard<std::mutex> l(mu_);
  return durable_.count(path) > 0 || IsDirLocked(CleanDir(path));
}

}  // namespace strata::testing
