// What every strata obj command shares: the S3 options, URLs from the command line, errors
// and exit statuses, writing to stdout (obj_commands.h).
#include <sys/stat.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <string_view>
#include <vector>

#include "byte_size.h"
#include "obj_commands.h"
#include "objstore/s3_options.h"

namespace strata::cli {

namespace {

constexpr uint64_t kMinPartSize = 5ull << 20;  // S3's smallest part

// "64M" for a default of 64 MiB: the largest unit that divides it.
std::string ByteSizeText(uint64_t bytes) {
  const char* units = "KMGT";
  std::string suffix;
  for (int i = 0; i < 4 && bytes >= 1024 && bytes % 1024 == 0; i++) {
    bytes /= 1024;
    suffix = std::string(1, units[i]);
  }
  return std::to_string(bytes) + suffix;
}

}  // namespace

void AddObjStoreOptions(CLI::App* cmd, ObjStoreArgs* args) {
  const objstore::S3Options defaults;
  cmd->add_option("--endpoint-url", args->endpoint,
                  "S3 endpoint, e.g. http://127.0.0.1:9000 for MinIO or moto. Empty: "
                  "AWS_ENDPOINT_URL_S3, AWS_ENDPOINT_URL, the profile's endpoint_url, else AWS "
                  "in the region");
  cmd->add_option("--region", args->region,
                  "S3 region. Empty: AWS_REGION, AWS_DEFAULT_REGION, the profile's region, else "
                  "us-east-1");
  cmd->add_option("--profile", args->profile,
                  "Profile in ~/.aws/credentials and ~/.aws/config. Empty: AWS_PROFILE, else "
                  "default");
  cmd->add_flag("--path-style", args->path_style,
                "Address buckets as ENDPOINT/BUCKET/KEY (default: path-style for any endpoint "
                "but AWS's, virtual-hosted BUCKET.ENDPOINT/KEY for AWS)");
  args->part_size = ByteSizeText(defaults.part_size);
  cmd->add_option("--part-size", args->part_size,
                  "S3 objects larger than this go up in parts of this size and come down in "
                  "ranges of this size; at least 5M. K, M, G: powers of 1024");
  args->parallelism = defaults.parallelism;
  cmd->add_option("--parallelism", args->parallelism,
                  "Parts or ranges of one S3 object in flight at once");
  cmd->footer(
      "URLs:\n"
      "  s3://BUCKET/KEY      an object in S3 or an S3-compatible store (--endpoint-url)\n"
      "  file:///DIR/NAME     a file in a local directory\n"
      "  DIR/NAME, /DIR/NAME  the same, as a plain path\n"
      "  A URL ending in '/' names a prefix: everything whose key starts with it.\n"
      "Credentials come from where the AWS CLI finds them: AWS_ACCESS_KEY_ID,\n"
      "AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN, else the profile in\n"
      "~/.aws/credentials (AWS_SHARED_CREDENTIALS_FILE) and ~/.aws/config (AWS_CONFIG_FILE).\n"
      "Exit status: 0 done; 1 an operation failed (the message names the URL); 2 the command\n"
      "line asks for what cannot be done; 3 a conditional put lost (--if-absent: the object\n"
      "exists; --if-match: its ETag is another). A malformed command line (an argument\n"
      "missing, an unknown option) exits with the parser's own status, above 100.");
}

Result<objstore::StoreOptions> MakeStoreOptions(const ObjStoreArgs& args) {
  objstore::StoreOptions options;
  objstore::S3Options& s3 = options.s3;
  s3.endpoint = args.endpoint;
  s3.region = args.region;
  s3.profile = args.profile;
  if (args.path_style) s3.addressing = objstore::S3Addressing::kPathStyle;
  auto size = ParseByteSize(args.part_size);
  if (!size.ok()) return Status::InvalidArgument("--part-size", size.status().message());
  if (*size < kMinPartSize) {
    return Status::InvalidArgument("--part-size must be at least 5M (S3's smallest part)",
                                   args.part_size);
  }
  // The default leaves S3Options' own thresholds alone; another size sets all three.
  if (*size != s3.part_size) {
    s3.part_size = *size;
    s3.multipart_threshold = *size;
    s3.download_part_size = *size;
  }
  if (args.parallelism < 1) return Status::InvalidArgument("--parallelism must be at least 1");
  s3.parallelism = args.parallelism;
  return options;
}

namespace {

// Local paths come back absolute with "." and ".." resolved, so "." and "dir/.." name
// directories (a URL that ends in one of them names a prefix, as if it ended in '/').
Result<ObjTarget> OpenObjTarget(const std::string& text, const objstore::StoreOptions& options) {
  auto url = objstore::SplitObjectUrl(text);
  if (!url.ok()) return url.status();
  auto store = objstore::OpenObjectStore(url->store, options);
  if (!store.ok()) return store.status();
  ObjTarget target;
  target.text = text;
  target.url = std::move(*url);
  target.store = std::move(*store);
  return target;
}

}  // namespace

int OpenObjTargets(const char* command, const std::vector<std::string>& urls,
                   const ObjStoreArgs& store_args, std::vector<ObjTarget>* targets) {
  auto options = MakeStoreOptions(store_args);
  if (!options.ok()) {
    ObjError(command, "", options.status());
    return kObjExitUsage;
  }
  for (const std::string& text : urls) {
    auto target = OpenObjTarget(text, *options);
    if (!target.ok()) {
      ObjError(command, text, target.status());
      return target.status().IsInvalidArgument() ? kObjExitUsage : kObjExitError;
    }
    targets->push_back(std::move(*target));
  }
  return kObjExitOk;
}

bool NamesPrefix(const ObjTarget& target) {
  const std::string& key = target.url.key;
  if (key.empty() || key.back() == '/') return true;
  if (target.url.store.scheme != objstore::StoreUrl::Scheme::kFile) return false;
  const std::string& dir = target.url.store.path;
  const std::string path = dir == "/" ? "/" + key : dir + "/" + key;
  struct stat st;
  return ::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

std::string DirectoryPrefix(const std::string& key) {
  if (key.empty() || key.back() == '/') return key;
  return key + "/";
}

std::string ObjErrorText(const char* command, const std::string& what, const Status& s) {
  const std::string text = s.ToString();
  std::string out = std::string("strata obj ") + command + ": ";
  if (!what.empty() && text.find(what) == std::string::npos) out += what + ": ";
  return out + text;
}

void ObjError(const char* command, const std::string& what, const Status& s) {
  std::fflush(stdout);  // what was printed so far comes before the error
  std::fprintf(stderr, "%s\n", ObjErrorText(command, what, s).c_str());
}

int ObjExitCode(const Status& s) {
  return s.IsPreconditionFailed() ? kObjExitPrecondition : kObjExitError;
}

Status StdoutSink::Append(Slice data) {
  const char* p = data.data();
  size_t left = data.size();
  while (left > 0) {
    const ssize_t n = ::write(STDOUT_FILENO, p, left);
    if (n < 0) {
      if (errno == EINTR) continue;
      return Status::IOError("write to standard output", std::strerror(errno));
    }
    p += n;
    left -= static_cast<size_t>(n);
  }
  return Status::OK();
}

}  // namespace strata::cli
