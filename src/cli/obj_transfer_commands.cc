// strata obj get|put: objects to local files and back, one or a whole tree, several at once.
#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cinttypes>
#include <cstdio>
#include <functional>
#include <mutex>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "base/path.h"
#include "base/posix_error.h"
#include "base/thread_pool.h"
#include "obj_commands.h"
#include "progress_line.h"
#include "text_format.h"

namespace strata::cli {

namespace {

// --- Local files.

bool IsDirectory(const std::string& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

// The size of a regular file; 0 for anything else (stdin, a missing file).
uint64_t LocalFileSize(const std::string& path) {
  struct stat st;
  if (::stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return 0;
  return static_cast<uint64_t>(st.st_size);
}

// Creates dir and its missing parents. Safe to call from several threads for the same tree.
Status MakeDirs(const std::string& dir) {
  if (dir.empty() || dir == "." || dir == "/" || IsDirectory(dir)) return Status::OK();
  Status s = MakeDirs(DirName(dir));
  if (!s.ok()) return s;
  if (::mkdir(dir.c_str(), 0777) != 0 && errno != EEXIST) return PosixError("mkdir", dir, errno);
  if (!IsDirectory(dir)) return Status::IOError("mkdir " + dir, "a file has this name");
  return Status::OK();
}

// Whether rel ("a/b.txt") can be a path under a local directory: no empty, "." or ".."
// component, so no key can write outside the directory it is downloaded into.
bool SafeRelativePath(const std::string& rel) {
  size_t start = 0;
  while (true) {
    const size_t slash = rel.find('/', start);
    const std::string part = rel.substr(start, slash - start);
    if (part.empty() || part == "." || part == "..") return false;
    if (slash == std::string::npos) return true;
    start = slash + 1;
  }
}

// Standard input as a ByteSource.
class StdinSource final : public ByteSource {
 public:
  Result<size_t> Read(char* dst, size_t n) override {
    while (true) {
      const ssize_t got = ::read(STDIN_FILENO, dst, n);
      if (got >= 0) return static_cast<size_t>(got);
      if (errno != EINTR) return PosixError("read", "standard input", errno);
    }
  }
};

// The regular files under dir, as paths relative to it, in byte order. Symbolic links are
// followed, each directory entered once (a link loop ends there); other kinds of file are
// skipped with a warning.
Status ListLocalTree(const std::string& dir, const std::string& rel,
                     std::set<std::pair<dev_t, ino_t>>* seen, std::vector<std::string>* files) {
  const std::string path = rel.empty() ? dir : JoinPath(dir, rel);
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) return PosixError("stat", path, errno);
  if (!seen->insert({st.st_dev, st.st_ino}).second) return Status::OK();
  DIR* d = ::opendir(path.c_str());
  if (d == nullptr) return PosixError("opendir", path, errno);
  std::vector<std::string> names;
  while (const dirent* e = ::readdir(d)) {
    const std::string name = e->d_name;
    if (name != "." && name != "..") names.push_back(name);
  }
  ::closedir(d);
  std::sort(names.begin(), names.end());
  for (const std::string& name : names) {
    const std::string child_rel = rel.empty() ? name : rel + "/" + name;
    const std::string child = JoinPath(dir, child_rel);
    if (::stat(child.c_str(), &st) != 0) return PosixError("stat", child, errno);
    if (S_ISDIR(st.st_mode)) {
      Status s = ListLocalTree(dir, child_rel, seen, files);
      if (!s.ok()) return s;
    } else if (S_ISREG(st.st_mode)) {
      files->push_back(child_rel);
    } else {
      std::fprintf(stderr, "strata obj put: skipping %s: not a regular file\n", child.c_str());
    }
  }
  return Status::OK();
}

// --- Running transfers.

struct TransferDone {
  uint64_t bytes = 0;
  std::string line;  // for --verbose
};

struct Transfer {
  std::string what;  // the object's URL, for messages
  std::function<Result<TransferDone>()> run;
  uint64_t size = 0;  // the bytes it will move, when known: for the progress line
};

struct TransferFlags {
  int jobs = 10;
  bool verbose = false;
  bool quiet = false;
};

// Runs the transfers, flags.jobs at once. A failure is printed as it happens and the others go
// on. While they run, a progress line shows on stderr when it is a terminal, and a summary
// line ("downloaded 3 objects, 1.20 MB in 0.52 s (2.31 MB/s)") once they are done, unless none
// was. Returns the exit code: kObjExitError if any failed, else kObjExitPrecondition if a
// condition did not hold.
int RunTransfers(const char* command, const char* verb, std::vector<Transfer>& transfers,
                 const TransferFlags& flags) {
  const bool terminal = !flags.quiet && isatty(STDERR_FILENO) != 0;
  const auto start = std::chrono::steady_clock::now();
  auto seconds = [start] {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  };
  const size_t total = transfers.size();
  std::atomic<size_t> done{0};
  std::atomic<uint64_t> bytes{0};
  std::mutex mu;  // guards failed, lost and the lines printed
  size_t failed = 0;
  size_t lost = 0;  // conditions that did not hold
  uint64_t total_bytes = 0;
  for (const Transfer& t : transfers) total_bytes += t.size;
  // "get: 12/1000 objects, 1.20 MB of 65.54 MB, 3 s"; one object: "put URL (2.00 GB): 3 s".
  // Bytes count when an object is complete: the store reports no partial progress.
  ProgressLine progress(
      [&] {
        std::string line = std::string(command) + " ";
        if (total == 1) {
          line += transfers[0].what;
          if (total_bytes > 0) line += " (" + HumanBytes(static_cast<double>(total_bytes)) + ")";
          line += ":";
        } else {
          line += std::to_string(done.load()) + "/" + std::to_string(total) + " objects, " +
                  HumanBytes(static_cast<double>(bytes.load()));
          if (total_bytes > 0) line += " of " + HumanBytes(static_cast<double>(total_bytes));
          line += ",";
        }
        char secs[32];
        std::snprintf(secs, sizeof(secs), " %.0f s", seconds());
        return line + secs;
      },
      terminal);
  auto run_one = [&](Transfer& t) {
    auto result = t.run();
    std::lock_guard lock(mu);
    if (!result.ok()) {
      (result.status().IsPreconditionFailed() ? lost : failed)++;
      std::fflush(stdout);
      progress.Print(ObjErrorText(command, t.what, result.status()));
      return;
    }
    bytes += result->bytes;
    done++;
    if (flags.verbose) std::printf("%s\n", result->line.c_str());
  };
  if (transfers.size() <= 1 || flags.jobs <= 1) {
    for (Transfer& t : transfers) run_one(t);
  } else {
    ThreadPool pool(static_cast<int>(std::min<size_t>(flags.jobs, transfers.size())));
    for (Transfer& t : transfers) pool.Schedule([&run_one, &t] { run_one(t); });
    pool.Wait();
  }
  progress.Stop();
  if (terminal && done.load() > 0) {
    const double secs = seconds();
    std::string summary = std::string(verb) + " " + std::to_string(done.load());
    if (done.load() != total) summary += " of " + std::to_string(total);
    summary += total == 1 ? " object, " : " objects, ";
    summary += HumanBytes(static_cast<double>(bytes.load()));
    char timing[80];
    std::snprintf(timing, sizeof(timing), " in %.2f s (%s/s)", secs,
                  HumanBytes(secs > 0 ? static_cast<double>(bytes.load()) / secs : 0).c_str());
    summary += timing;
    std::fflush(stdout);
    std::fprintf(stderr, "%s\n", summary.c_str());
  }
  if (failed > 0) return kObjExitError;
  return lost > 0 ? kObjExitPrecondition : kObjExitOk;
}

// --- get.

struct GetArgs {
  std::string url;
  std::string dest;
  bool recursive = false;
  TransferFlags flags;
  ObjStoreArgs store;
};

// Downloads key into path, making its directory first.
Result<TransferDone> Download(objstore::ObjectStore* store, const std::string& key,
                              const std::string& path) {
  Status s = MakeDirs(DirName(path));
  if (!s.ok()) return s;
  auto info = store->GetFile(key, path);
  if (!info.ok()) return info.status();
  return TransferDone{info->size, "download: " + store->Url(key) + " to " + path};
}

// --jobs must be positive; prints the error otherwise.
bool ValidJobs(const char* command, int jobs) {
  if (jobs >= 1) return true;
  std::fprintf(stderr, "strata obj %s: --jobs must be at least 1\n", command);
  return false;
}

int Get(const GetArgs& a) {
  if (!ValidJobs("get", a.flags.jobs)) return kObjExitUsage;
  std::vector<ObjTarget> targets;
  if (int code = OpenObjTargets("get", {a.url}, a.store, &targets); code != 0) return code;
  ObjTarget* target = &targets[0];
  objstore::ObjectStore* store = target->store.get();
  const std::string& key = target->url.key;
  std::vector<Transfer> transfers;

  if (!a.recursive) {
    if (NamesPrefix(*target)) {
      std::fprintf(stderr,
                   "strata obj get: %s names a prefix, not an object (add -r to download "
                   "everything under it)\n",
                   a.url.c_str());
      return kObjExitUsage;
    }
    const std::string url = store->Url(key);
    if (a.dest == "-") {
      std::fflush(stdout);
      StdoutSink sink;
      auto info = store->Get(key, objstore::GetOptions(), &sink);
      if (!info.ok()) {
        ObjError("get", url, info.status());
        return ObjExitCode(info.status());
      }
      return kObjExitOk;
    }
    // DEST names the file, or the directory it goes in under the key's last part.
    const std::string name = BaseName(key);
    const bool into_directory = a.dest.empty() || a.dest.back() == '/' || IsDirectory(a.dest);
    if (into_directory && !SafeRelativePath(name)) {
      std::fprintf(stderr,
                   "strata obj get: %s: the key's last part is no file name; give DEST as a "
                   "file\n",
                   url.c_str());
      return kObjExitUsage;
    }
    const std::string path = !into_directory  ? a.dest
                             : a.dest.empty() ? name
                                              : JoinPath(a.dest, name);
    transfers.push_back({url, [store, key, path] { return Download(store, key, path); }});
    return RunTransfers("get", "downloaded", transfers, a.flags);
  }

  // -r: URL is a directory; every key under it lands at the same place under DEST.
  const std::string prefix = DirectoryPrefix(key);
  std::string dest = a.dest;
  if (dest.empty()) {
    // The URL's last component in the working directory, as gsutil cp -r does.
    std::string last = prefix.empty() ? target->url.store.bucket : prefix;
    while (!last.empty() && last.back() == '/') last.pop_back();
    dest = BaseName(last);
    if (!SafeRelativePath(dest)) dest = ".";
  }
  if (dest == "-") {
    std::fprintf(stderr, "strata obj get: -r downloads into a directory, not stdout\n");
    return kObjExitUsage;
  }
  size_t unsafe = 0;
  Status s = objstore::ListAll(store, prefix, "", [&](const objstore::ObjectInfo& o) {
    const std::string rel = o.key.substr(prefix.size());
    // "dir/" objects some tools make to show folders (the prefix's own too) hold no file.
    if (rel.empty() || (rel.back() == '/' && o.size == 0)) return Status::OK();
    const std::string url = store->Url(o.key);
    if (!SafeRelativePath(rel)) {
      std::fprintf(stderr,
                   "strata obj get: %s: skipped: its key has an empty, '.' or '..' part, so it "
                   "has no place under %s\n",
                   url.c_str(), dest.c_str());
      unsafe++;
      return Status::OK();
    }
    const std::string path = JoinPath(dest, rel);
    const std::string object_key = o.key;
    transfers.push_back(
        {url, [store, object_key, path] { return Download(store, object_key, path); }, o.size});
    return Status::OK();
  });
  if (!s.ok()) {
    ObjError("get", store->Url(prefix), s);
    return kObjExitError;
  }
  if (transfers.empty() && unsafe == 0) {
    ObjError("get", store->Url(prefix), Status::NotFound("no objects under this prefix"));
    return kObjExitError;
  }
  const int code = RunTransfers("get", "downloaded", transfers, a.flags);
  return unsafe > 0 ? kObjExitError : code;
}

// --- put.

struct PutArgs {
  std::string src;
  std::string url;
  bool recursive = false;
  bool if_absent = false;
  std::string if_match;
  std::string content_type;
  TransferFlags flags;
  ObjStoreArgs store;
};

// A lost condition, said plainly: which condition, and that nothing was written.
Status ExplainCondition(const Status& s, const objstore::PutOptions& options,
                        const std::string& url) {
  if (!s.IsPreconditionFailed()) return s;
  if (options.condition == objstore::PutCondition::kIfAbsent) {
    return Status::PreconditionFailed(url, "the object exists (--if-absent); it was not replaced");
  }
  return Status::PreconditionFailed(url, "the object's ETag is not " + options.if_match +
                                             ", or it is missing (--if-match); nothing was "
                                             "written");
}

Result<TransferDone> Upload(objstore::ObjectStore* store, const std::string& key,
                            const std::string& path, const objstore::PutOptions& options) {
  const std::string url = store->Url(key);
  auto info = [&]() -> Result<objstore::ObjectInfo> {
    if (path != "-") return store->PutFile(key, path, options);
    StdinSource source;
    return store->Put(key, &source, options);
  }();
  if (!info.ok()) return ExplainCondition(info.status(), options, url);
  return TransferDone{info->size, "upload: " + (path == "-" ? std::string("stdin") : path) +
                                      " to " + url + " (ETag " + info->etag + ")"};
}

int Put(const PutArgs& a) {
  if (!ValidJobs("put", a.flags.jobs)) return kObjExitUsage;
  std::vector<ObjTarget> targets;
  if (int code = OpenObjTargets("put", {a.url}, a.store, &targets); code != 0) return code;
  ObjTarget* target = &targets[0];
  objstore::ObjectStore* store = target->store.get();
  if (a.if_absent && !a.if_match.empty()) {
    std::fprintf(stderr, "strata obj put: --if-absent and --if-match exclude each other\n");
    return kObjExitUsage;
  }
  objstore::PutOptions options;
  if (a.if_absent) options.condition = objstore::PutCondition::kIfAbsent;
  if (!a.if_match.empty()) {
    options.condition = objstore::PutCondition::kIfMatch;
    options.if_match = a.if_match;
  }
  if (!a.content_type.empty()) options.content_type = a.content_type;
  // A URL naming a prefix, a local directory included, gets SRC's name, as for cp.
  std::string key = target->url.key;
  const bool into_prefix = NamesPrefix(*target);
  if (into_prefix && !key.empty() && key.back() != '/') key += '/';
  std::vector<Transfer> transfers;

  if (!a.recursive) {
    if (a.src != "-" && IsDirectory(a.src)) {
      std::fprintf(stderr, "strata obj put: %s is a directory (add -r to upload its tree)\n",
                   a.src.c_str());
      return kObjExitUsage;
    }
    if (into_prefix) {
      if (a.src == "-") {
        std::fprintf(stderr,
                     "strata obj put: %s names a prefix; stdin needs the object's whole URL\n",
                     a.url.c_str());
        return kObjExitUsage;
      }
      key += BaseName(a.src);
    }
    const std::string src = a.src;
    transfers.push_back({store->Url(key),
                         [store, key, src, options] { return Upload(store, key, src, options); },
                         LocalFileSize(src)});
    return RunTransfers("put", "uploaded", transfers, a.flags);
  }

  // -r: SRC is a directory; each file under it goes to the same place under URL/.
  if (!a.if_match.empty()) {
    std::fprintf(stderr, "strata obj put: --if-match names one object's version; not with -r\n");
    return kObjExitUsage;
  }
  if (!IsDirectory(a.src)) {
    std::fprintf(stderr, "strata obj put: %s is not a directory (-r uploads a directory tree)\n",
                 a.src.c_str());
    return kObjExitUsage;
  }
  const std::string prefix = DirectoryPrefix(key);
  std::set<std::pair<dev_t, ino_t>> seen;
  std::vector<std::string> files;
  Status s = ListLocalTree(a.src, "", &seen, &files);
  if (!s.ok()) {
    ObjError("put", a.src, s);
    return kObjExitError;
  }
  for (const std::string& rel : files) {
    const std::string object_key = prefix + rel;
    const std::string path = JoinPath(a.src, rel);
    transfers.push_back(
        {store->Url(object_key),
         [store, object_key, path, options] { return Upload(store, object_key, path, options); },
         LocalFileSize(path)});
  }
  return RunTransfers("put", "uploaded", transfers, a.flags);
}

void AddTransferFlags(CLI::App* cmd, TransferFlags* flags, const char* verb_line) {
  cmd->add_option("-j,--jobs", flags->jobs, "Objects transferred at once with -r");
  cmd->add_flag("-v,--verbose", flags->verbose, verb_line);
  cmd->add_flag("-q,--quiet", flags->quiet, "No progress or summary line on stderr");
}

}  // namespace

void AddObjGetCommand(CLI::App& obj, int& exit_code) {
  auto a = std::make_shared<GetArgs>();
  CLI::App* get = obj.add_subcommand(
      "get",
      "Download an object to a local file, replacing it atomically (the bytes go to a "
      "temporary file beside it, renamed once complete). DEST is a file, a directory (the "
      "object keeps its name; a DEST ending in '/' is made), or - for stdout; missing parent "
      "directories are made. With -r, URL is a directory: every object under URL/ is "
      "downloaded to the same relative path under DEST (default: the URL's last component, "
      "made in the working directory), --jobs at once; keys with an empty, '.' or '..' part are "
      "skipped with an error. Exit 1 if any download failed (the others are done), or with -r "
      "if nothing is under URL/. A progress line, then a summary, go to stderr when it is a "
      "terminal");
  get->add_option("URL", a->url, "The object, or with -r the prefix")->required();
  get->add_option("DEST", a->dest,
                  "Where to: a file, a directory, or -. Empty: the key's last part (with -r: "
                  "the URL's last component) in the working directory");
  get->add_flag("-r,--recursive", a->recursive, "Download every object under URL/");
  AddTransferFlags(get, &a->flags, "Print 'download: URL to PATH' for each object");
  AddObjStoreOptions(get, &a->store);
  get->callback([a, &exit_code] { exit_code = Get(*a); });
}

void AddObjPutCommand(CLI::App& obj, int& exit_code) {
  auto a = std::make_shared<PutArgs>();
  CLI::App* put = obj.add_subcommand(
      "put",
      "Upload a local file, or stdin when SRC is -, as the object URL. The write is atomic: "
      "readers see the old object or the whole new one. A URL ending in '/' (or naming a "
      "bucket or a local directory) gets SRC's file name appended. With -r, SRC is a "
      "directory and each regular file under it (symbolic links followed) goes to the same "
      "relative key under URL/, --jobs at once. --if-absent and --if-match make the write "
      "conditional; when the condition fails nothing is written and the exit status is 3. "
      "A progress line, then a summary, go to stderr when it is a terminal");
  put->add_option("SRC", a->src, "A file, - for stdin, or with -r a directory")->required();
  put->add_option("URL", a->url, "The object, or a prefix ending in '/'")->required();
  put->add_flag("-r,--recursive", a->recursive, "Upload the directory tree under SRC");
  put->add_flag("--if-absent", a->if_absent,
                "Only create: fail with exit status 3 if the object exists (with -r: for each "
                "object; the others are still written)");
  put->add_option("--if-match", a->if_match,
                  "Only replace the object if its ETag is this one (see strata obj stat), "
                  "else exit status 3; not with --if-absent. Empty: no condition");
  put->add_option("--content-type", a->content_type,
                  "The objects' Content-Type. Empty: application/octet-stream");
  AddTransferFlags(put, &a->flags, "Print 'upload: SRC to URL (ETag E)' for each object");
  AddObjStoreOptions(put, &a->store);
  put->callback([a, &exit_code] { exit_code = Put(*a); });
}

}  // namespace strata::cli
