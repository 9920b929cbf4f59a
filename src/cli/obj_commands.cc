// strata obj ls|stat|rm|cat, and the group itself.
#include "obj_commands.h"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cinttypes>
#include <cstdio>
#include <optional>
#include <vector>

#include "base/escape.h"
#include "commands.h"
#include "progress_line.h"
#include "text_format.h"

namespace strata::cli {

namespace {

// The targets must each name one object, not a prefix.
bool RequireObjects(const char* command, const std::vector<ObjTarget>& targets, const char* hint) {
  for (const ObjTarget& t : targets) {
    if (NamesPrefix(t)) {
      std::fprintf(stderr, "strata obj %s: %s names a prefix, not an object%s\n", command,
                   t.text.c_str(), hint);
      return false;
    }
  }
  return true;
}

// --- ls.

struct LsArgs {
  std::string url;
  bool recursive = false;
  bool long_format = false;
  ObjStoreArgs store;
};

constexpr int kSizeWidth = 12;
constexpr int kEtagWidth = 32;  // an MD5 in hex: most S3 ETags

void PrintLsObject(const objstore::ObjectInfo& o, const std::string& name, bool long_format) {
  if (long_format) {
    std::printf("%s  %*" PRIu64 "  %-*s  %s\n", UtcIso8601(o.last_modified_ms / 1000).c_str(),
                kSizeWidth, o.size, kEtagWidth, o.etag.c_str(), EscapeBytes(name).c_str());
  } else {
    std::printf("%s\n", EscapeBytes(name).c_str());
  }
}

void PrintLsPrefix(const std::string& name, bool long_format) {
  if (long_format) {
    std::printf("%20s  %*s  %-*s  %s\n", "", kSizeWidth, "PRE", kEtagWidth, "",
                EscapeBytes(name).c_str());
  } else {
    std::printf("%s\n", EscapeBytes(name).c_str());
  }
}

int Ls(const LsArgs& a) {
  std::vector<ObjTarget> targets;
  if (int code = OpenObjTargets("ls", {a.url}, a.store, &targets); code != 0) return code;
  ObjTarget& t = targets[0];
  const std::string& prefix = t.url.key;
  // Names are shown from the URL's last '/' on, as aws s3 ls shows them.
  const std::string base = prefix.substr(0, prefix.rfind('/') + 1);
  objstore::ListOptions options;
  options.prefix = prefix;
  options.delimiter = a.recursive ? "" : "/";
  bool any = false;
  while (true) {
    auto page = t.store->List(options);
    if (!page.ok()) {
      ObjError("ls", t.store->Url(prefix), page.status());
      return kObjExitError;
    }
    // One page covers a range of keys; merged, its objects and prefixes print in key order.
    size_t o = 0;
    size_t p = 0;
    while (o < page->objects.size() || p < page->common_prefixes.size()) {
      any = true;
      if (p == page->common_prefixes.size() ||
          (o < page->objects.size() && page->objects[o].key < page->common_prefixes[p])) {
        const objstore::ObjectInfo& info = page->objects[o++];
        PrintLsObject(info, info.key.substr(base.size()), a.long_format);
      } else {
        PrintLsPrefix(page->common_prefixes[p++].substr(base.size()), a.long_format);
      }
    }
    if (page->next_token.empty()) break;
    options.continuation_token = page->next_token;
  }
  if (!any && !prefix.empty()) {
    ObjError("ls", t.text, Status::NotFound("no object's key starts with this prefix"));
    return kObjExitError;
  }
  return kObjExitOk;
}

// --- stat.

struct StatArgs {
  std::vector<std::string> urls;
  ObjStoreArgs store;
};

int Stat(const StatArgs& a) {
  std::vector<ObjTarget> targets;
  if (int code = OpenObjTargets("stat", a.urls, a.store, &targets); code != 0) return code;
  if (!RequireObjects("stat", targets, "")) return kObjExitUsage;
  int code = kObjExitOk;
  bool first = true;
  for (ObjTarget& t : targets) {
    const std::string url = t.store->Url(t.url.key);
    auto info = t.store->Head(t.url.key);
    if (!info.ok()) {
      ObjError("stat", url, info.status());
      code = kObjExitError;
      continue;
    }
    if (!first) std::printf("\n");
    first = false;
    std::printf("url: %s\nsize: %" PRIu64 "\netag: %s\nlast-modified: %s\n", url.c_str(),
                info->size, info->etag.c_str(), UtcIso8601(info->last_modified_ms / 1000).c_str());
  }
  return code;
}

// --- rm.

struct RmArgs {
  std::vector<std::string> urls;
  bool recursive = false;
  bool verbose = false;
  bool quiet = false;
  ObjStoreArgs store;
};

constexpr size_t kDeleteBatch = 1000;  // S3's DeleteObjects limit

int Rm(const RmArgs& a) {
  std::vector<ObjTarget> targets;
  if (int code = OpenObjTargets("rm", a.urls, a.store, &targets); code != 0) return code;
  if (!a.recursive && !RequireObjects("rm", targets, " (add -r to remove everything under it)")) {
    return kObjExitUsage;
  }
  for (const ObjTarget& t : targets) {
    if (a.recursive && t.url.store.scheme == objstore::StoreUrl::Scheme::kFile &&
        t.url.key.empty()) {
      std::fprintf(stderr, "strata obj rm: refusing to remove every file under %s\n",
                   t.text.c_str());
      return kObjExitUsage;
    }
  }
  const auto start = std::chrono::steady_clock::now();
  std::atomic<uint64_t> deleted{0};
  ProgressLine progress([&deleted] { return "deleted " + std::to_string(deleted.load()); },
                        !a.quiet && a.recursive && isatty(STDERR_FILENO) != 0);
  for (ObjTarget& t : targets) {
    std::vector<std::string> keys;
    if (a.recursive) {
      Status s = objstore::ListAll(t.store.get(), DirectoryPrefix(t.url.key), "",
                                   [&keys](const objstore::ObjectInfo& o) {
                                     keys.push_back(o.key);
                                     return Status::OK();
                                   });
      if (!s.ok()) {
        progress.Stop();
        ObjError("rm", t.store->Url(DirectoryPrefix(t.url.key)), s);
        return kObjExitError;
      }
    } else {
      keys.push_back(t.url.key);
    }
    for (size_t i = 0; i < keys.size(); i += kDeleteBatch) {
      const std::vector<std::string> batch(
          keys.begin() + static_cast<ptrdiff_t>(i),
          keys.begin() + static_cast<ptrdiff_t>(std::min(keys.size(), i + kDeleteBatch)));
      Status s = batch.size() == 1 ? t.store->Delete(batch[0]) : t.store->DeleteMany(batch);
      if (!s.ok()) {
        progress.Stop();
        ObjError("rm", batch.size() == 1 ? t.store->Url(batch[0]) : "", s);
        return kObjExitError;
      }
      deleted += batch.size();
      if (a.verbose) {
        for (const std::string& key : batch) std::printf("delete: %s\n", t.store->Url(key).c_str());
      }
    }
  }
  progress.Stop();
  if (a.recursive && !a.quiet && isatty(STDERR_FILENO) != 0) {
    const double secs =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::fprintf(stderr, "deleted %" PRIu64 " object%s in %.2f s\n", deleted.load(),
                 deleted.load() == 1 ? "" : "s", secs);
  }
  return kObjExitOk;
}

// --- cat.

struct CatArgs {
  std::vector<std::string> urls;
  std::string range;
  ObjStoreArgs store;
};

// An HTTP-style byte range: "A-B" (both included), "A-" (to the end), "-N" (the last N).
struct ByteRange {
  uint64_t first = 0;
  std::optional<uint64_t> last;    // included; nullopt: to the end
  std::optional<uint64_t> suffix;  // "-N"
};

Result<ByteRange> ParseRange(const std::string& text) {
  const Status bad = Status::InvalidArgument(
      "--range is A-B (bytes A to B, both included), A- (from A to the end) or -N (the last N "
      "bytes)",
      text);
  const size_t dash = text.find('-');
  if (dash == std::string::npos || text.size() == 1) return bad;
  auto number = [](const std::string& s) -> std::optional<uint64_t> {
    if (s.empty() || s.size() > 19 || s.find_first_not_of("0123456789") != std::string::npos) {
      return std::nullopt;
    }
    return std::stoull(s);
  };
  ByteRange r;
  const std::string left = text.substr(0, dash);
  const std::string right = text.substr(dash + 1);
  if (left.empty()) {
    r.suffix = number(right);
    if (!r.suffix) return bad;
    return r;
  }
  const auto first = number(left);
  if (!first) return bad;
  r.first = *first;
  if (!right.empty()) {
    r.last = number(right);
    if (!r.last || *r.last < r.first) return bad;
  }
  return r;
}

int Cat(const CatArgs& a) {
  std::optional<ByteRange> range;
  if (!a.range.empty()) {
    auto r = ParseRange(a.range);
    if (!r.ok()) {
      ObjError("cat", "", r.status());
      return kObjExitUsage;
    }
    range = *r;
  }
  std::vector<ObjTarget> targets;
  if (int code = OpenObjTargets("cat", a.urls, a.store, &targets); code != 0) return code;
  if (!RequireObjects("cat", targets, "")) return kObjExitUsage;
  std::fflush(stdout);
  int code = kObjExitOk;
  for (ObjTarget& t : targets) {
    const std::string url = t.store->Url(t.url.key);
    objstore::GetOptions options;
    if (range && range->suffix) {
      // The last N bytes: their offset needs the size, and the read is pinned to the version
      // whose size it is.
      auto info = t.store->Head(t.url.key);
      if (!info.ok()) {
        ObjError("cat", url, info.status());
        code = kObjExitError;
        continue;
      }
      const uint64_t n = std::min(*range->suffix, info->size);
      if (n == 0) continue;
      options.offset = info->size - n;
      options.length = n;
      options.if_match = info->etag;
    } else if (range) {
      options.offset = range->first;
      if (range->last) options.length = *range->last - range->first + 1;
    }
    StdoutSink sink;
    auto info = t.store->Get(t.url.key, options, &sink);
    if (!info.ok()) {
      ObjError("cat", url, info.status());
      code = kObjExitError;
    }
  }
  return code;
}

}  // namespace

void AddObjCommands(CLI::App& app, int& exit_code) {
  CLI::App* obj = app.add_subcommand(
      "obj",
      "List, read and write objects in S3 buckets and local directories, named by URL "
      "(s3://bucket/key, file:///dir/name, or a path)");
  obj->require_subcommand(1);

  auto ls_args = std::make_shared<LsArgs>();
  CLI::App* ls = obj->add_subcommand(
      "ls",
      "List what is under URL, like aws s3 ls. URL is a prefix of keys, not a directory: "
      "s3://b/logs lists the prefix logs/ and objects such as logs.txt; end it with '/' to list "
      "inside (s3://b/logs/). Without -r one level is shown: objects, and the prefixes of the next "
      "level as NAME/, in key order. With -r every key under the prefix. Names "
      "are shown from the URL's last '/' on (s3://b/logs/ shows a.txt for logs/a.txt, and "
      "sub/b.txt with -r); bytes other than printable ASCII as \\xNN. --long adds the "
      "last-modified time (UTC, ISO 8601), the size in bytes and the ETag before each name, "
      "and PRE in the size column of a prefix. Exit 1 when nothing matches a prefix (the "
      "root of a bucket may be empty)");
  ls->add_option("URL", ls_args->url, "s3://BUCKET[/PREFIX], file:///DIR[/PREFIX] or a path")
      ->required();
  ls->add_flag("-r,--recursive", ls_args->recursive, "Every key under the prefix, at any depth");
  ls->add_flag("-l,--long", ls_args->long_format, "Show last-modified, size and ETag");
  AddObjStoreOptions(ls, &ls_args->store);
  ls->callback([ls_args, &exit_code] { exit_code = Ls(*ls_args); });

  auto stat_args = std::make_shared<StatArgs>();
  CLI::App* stat = obj->add_subcommand(
      "stat",
      "Print the URL, size in bytes, ETag and last-modified time (UTC, ISO 8601) of each "
      "object, one 'field: value' line each, a blank line between objects. A missing object "
      "is reported on stderr and the others are still shown; exit 1 if any is missing");
  stat->add_option("URL", stat_args->urls, "Objects")->required();
  AddObjStoreOptions(stat, &stat_args->store);
  stat->callback([stat_args, &exit_code] { exit_code = Stat(*stat_args); });

  AddObjGetCommand(*obj, exit_code);
  AddObjPutCommand(*obj, exit_code);

  auto rm_args = std::make_shared<RmArgs>();
  CLI::App* rm = obj->add_subcommand(
      "rm",
      "Remove objects. Removing a missing object succeeds, as in S3. With -r each URL is a "
      "directory: everything under URL/ goes (s3://b/logs removes logs/a, not logs.txt), in "
      "batches of up to 1000 keys; a prefix with nothing under it is not an error. A summary "
      "line goes to stderr when it is a terminal");
  rm->add_option("URL", rm_args->urls, "Objects, or prefixes with -r")->required();
  rm->add_flag("-r,--recursive", rm_args->recursive, "Remove every object under each URL");
  rm->add_flag("-v,--verbose", rm_args->verbose, "Print 'delete: URL' for each object removed");
  rm->add_flag("-q,--quiet", rm_args->quiet, "No progress or summary line on stderr");
  AddObjStoreOptions(rm, &rm_args->store);
  rm->callback([rm_args, &exit_code] { exit_code = Rm(*rm_args); });

  auto cat_args = std::make_shared<CatArgs>();
  CLI::App* cat = obj->add_subcommand(
      "cat", "Write the objects' bytes to stdout, one after the other, as they arrive");
  cat->add_option("URL", cat_args->urls, "Objects")->required();
  cat->add_option("--range", cat_args->range,
                  "Only these bytes of each object, as in HTTP: A-B (offsets A to B, both "
                  "included), A- (from A to the end), -N (the last N bytes). Empty: all");
  AddObjStoreOptions(cat, &cat_args->store);
  cat->callback([cat_args, &exit_code] { exit_code = Cat(*cat_args); });
}

}  // namespace strata::cli
