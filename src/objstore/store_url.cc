#include "objstore/store_url.h"

#include <unistd.h>

#include <vector>

#include "objstore/local_store.h"
#include "objstore/s3_store.h"

namespace strata::objstore {

namespace {

constexpr std::string_view kS3Scheme = "s3://";
constexpr std::string_view kFileScheme = "file://";

// Legacy buckets allow upper case and '_', so only the characters S3 never allows are refused
// here; S3 itself rejects the rest with InvalidBucketName.
bool ValidBucketName(std::string_view name) {
  if (name.empty() || name.size() > 255) return false;
  for (char c : name) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '.' || c == '-' || c == '_';
    if (!ok) return false;
  }
  return true;
}

std::string TrimSlashes(std::string_view s) {
  while (!s.empty() && s.front() == '/') s.remove_prefix(1);
  while (!s.empty() && s.back() == '/') s.remove_suffix(1);
  return std::string(s);
}

// "/a/./b/../c" -> "/a/c": "." and ".." resolved by text, as the shell's `cd -L` does (symbolic
// links are not followed); ".." of the root is the root.
std::string ResolveDots(const std::string& absolute) {
  std::vector<std::string> parts;
  size_t start = 0;
  while (start <= absolute.size()) {
    size_t slash = absolute.find('/', start);
    if (slash == std::string::npos) slash = absolute.size();
    const std::string part = absolute.substr(start, slash - start);
    if (part == "..") {
      if (!parts.empty()) parts.pop_back();
    } else if (!part.empty() && part != ".") {
      parts.push_back(part);
    }
    start = slash + 1;
  }
  std::string out;
  for (const std::string& p : parts) out += "/" + p;
  return out.empty() ? "/" : out;
}

// Whether a local path names a directory by its form: it ends in '/', "." or "..".
bool NamesDirectory(std::string_view path) {
  return path.ends_with('/') || path == "." || path == ".." || path.ends_with("/.") ||
         path.ends_with("/..");
}

// An absolute path: relative ones are taken from the working directory; "." and ".." resolved,
// trailing '/' dropped.
Result<std::string> AbsolutePath(std::string_view path) {
  if (path.empty()) return Status::InvalidArgument("empty path");
  std::string out;
  if (path.front() != '/') {
    char cwd[4096];
    if (::getcwd(cwd, sizeof(cwd)) == nullptr) {
      return Status::IOError("getcwd", "the working directory is not available");
    }
    out = cwd;
    if (out != "/") out += '/';
  }
  out.append(path);
  return ResolveDots(out);
}

}  // namespace

std::string StoreUrl::ToString() const {
  if (scheme == Scheme::kS3) return "s3://" + bucket + (path.empty() ? "" : "/" + path);
  return "file://" + path;
}

bool HasUrlScheme(std::string_view text) {
  return text.starts_with(kS3Scheme) || text.starts_with(kFileScheme);
}

Result<StoreUrl> ParseStoreUrl(std::string_view text) {
  if (text.find('\0') != std::string_view::npos) {
    return Status::InvalidArgument("store URL contains a NUL byte");
  }
  StoreUrl url;
  if (text.starts_with(kS3Scheme)) {
    std::string_view rest = text.substr(kS3Scheme.size());
    const size_t slash = rest.find('/');
    const std::string_view bucket = rest.substr(0, slash);
    if (!ValidBucketName(bucket)) {
      return Status::InvalidArgument("not a valid S3 bucket name in URL", std::string(text));
    }
    url.scheme = StoreUrl::Scheme::kS3;
    url.bucket = std::string(bucket);
    url.path = slash == std::string_view::npos ? "" : TrimSlashes(rest.substr(slash));
    return url;
  }
  std::string_view path = text;
  if (text.starts_with(kFileScheme)) {
    path = text.substr(kFileScheme.size());
    if (!path.starts_with('/')) {
      return Status::InvalidArgument("a file:// URL needs an absolute path (file:///dir)",
                                     std::string(text));
    }
  } else if (text.find("://") != std::string_view::npos) {
    return Status::InvalidArgument("unknown URL scheme (s3:// and file:// are known)",
                                   std::string(text));
  }
  auto abs = AbsolutePath(path);
  if (!abs.ok()) return abs.status();
  url.scheme = StoreUrl::Scheme::kFile;
  url.path = std::move(*abs);
  return url;
}

Result<ObjectUrl> SplitObjectUrl(std::string_view text) {
  auto parsed = ParseStoreUrl(text);
  if (!parsed.ok()) return parsed.status();
  ObjectUrl out;
  out.store = *parsed;
  bool names_prefix = text.ends_with('/');
  if (parsed->scheme == StoreUrl::Scheme::kS3) {
    out.key = parsed->path;
    out.store.path.clear();
  } else {
    names_prefix = NamesDirectory(text);
    // The object is the last component; its directory is the store.
    const std::string& path = parsed->path;
    const size_t slash = path.find_last_of('/');
    out.store.path = slash == 0 ? "/" : path.substr(0, slash);
    out.key = path.substr(slash + 1);
    if (path == "/") {
      out.store.path = "/";
      out.key.clear();
    }
  }
  if (names_prefix && !out.key.empty()) out.key += '/';
  return out;
}

Result<std::unique_ptr<ObjectStore>> OpenObjectStore(const StoreUrl& url,
                                                     const StoreOptions& options) {
  if (url.scheme == StoreUrl::Scheme::kS3) return OpenS3Store(url.bucket, url.path, options.s3);
  return OpenLocalStore(url.path);
}

Result<std::unique_ptr<ObjectStore>> OpenObjectStore(std::string_view url,
                                                     const StoreOptions& options) {
  auto parsed = ParseStoreUrl(url);
  if (!parsed.ok()) return parsed.status();
  return OpenObjectStore(*parsed, options);
}

}  // namespace strata::objstore
