#include "objstore/s3_config.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>

#include "base/posix_error.h"

extern char** environ;

namespace strata::objstore {

namespace {

// A variable set to "" counts as unset, as in the AWS CLI.
std::string Env(const EnvironmentMap& env, const char* name) {
  auto it = env.find(name);
  return it == env.end() ? std::string() : it->second;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) {
    s.remove_suffix(1);
  }
  return s;
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

// "~/x" with HOME from env; other paths as they are.
std::string ExpandHome(const std::string& path, const EnvironmentMap& env) {
  if (path == "~" || path.starts_with("~/")) return Env(env, "HOME") + path.substr(1);
  return path;
}

// The file's bytes; an absent file reads as empty (*exists false).
Status ReadWholeFile(const std::string& path, std::string* out, bool* exists) {
  out->clear();
  *exists = false;
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT || errno == ENOTDIR) return Status::OK();
    return PosixError("open", path, errno);
  }
  *exists = true;
  char buf[8192];
  while (true) {
    const ssize_t n = ::read(fd, buf, sizeof(buf));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      const int err = errno;
      ::close(fd);
      return PosixError("read", path, err);
    }
    if (n == 0) break;
    // Profile files are a few hundred bytes; a huge one is a mistake, not a profile.
    if (out->size() + static_cast<size_t>(n) > (1u << 20)) {
      ::close(fd);
      return Status::InvalidArgument(path + ": larger than 1 MiB, not an AWS profile file");
    }
    out->append(buf, static_cast<size_t>(n));
  }
  ::close(fd);
  return Status::OK();
}

// A profile's settings from both files.
class Profiles {
 public:
  Profiles(std::string name, const EnvironmentMap& env) : name_(std::move(name)) {
    credentials_path_ = Env(env, "AWS_SHARED_CREDENTIALS_FILE");
    if (credentials_path_.empty()) credentials_path_ = "~/.aws/credentials";
    credentials_path_ = ExpandHome(credentials_path_, env);
    config_path_ = Env(env, "AWS_CONFIG_FILE");
    if (config_path_.empty()) config_path_ = "~/.aws/config";
    config_path_ = ExpandHome(config_path_, env);
  }

  // Reads both files (once); found() tells whether either has the profile.
  Status Load() {
    if (loaded_) return Status::OK();
    loaded_ = true;
    Status s = LoadOne(credentials_path_, &credentials_);
    if (s.ok()) s = LoadOne(config_path_, &config_);
    if (!s.ok()) return s;
    auto c = credentials_.find(name_);
    if (c != credentials_.end()) {
      in_credentials_ = &c->second;
    }
    // The config file names sections "profile NAME", except "default" (either spelling).
    auto f = config_.find("profile " + name_);
    if (f == config_.end() && name_ == "default") f = config_.find("default");
    if (f != config_.end()) in_config_ = &f->second;
    return Status::OK();
  }

  bool found() const { return in_credentials_ != nullptr || in_config_ != nullptr; }
  const std::string& name() const { return name_; }
  std::string Where() const { return credentials_path_ + " or " + config_path_; }

  // A credential: the credentials file first, then the config file.
  std::string Credential(const std::string& key) const {
    std::string v = Lookup(in_credentials_, key);
    return v.empty() ? Lookup(in_config_, key) : v;
  }
  // A setting: the config file first, then the credentials file.
  std::string Setting(const std::string& key) const {
    std::string v = Lookup(in_config_, key);
    return v.empty() ? Lookup(in_credentials_, key) : v;
  }
  // Which file holds the profile's keys, for messages.
  std::string CredentialSource() const {
    return in_credentials_ != nullptr && !Lookup(in_credentials_, "aws_access_key_id").empty()
               ? credentials_path_
               : config_path_;
  }

 private:
  static std::string Lookup(const std::map<std::string, std::string>* section,
                            const std::string& key) {
    if (section == nullptr) return "";
    auto it = section->find(key);
    return it == section->end() ? "" : it->second;
  }

  static Status LoadOne(const std::string& path, IniFile* out) {
    std::string text;
    bool exists = false;
    Status s = ReadWholeFile(path, &text, &exists);
    if (!s.ok() || !exists) return s;
    auto parsed = ParseIniFile(text, path);
    if (!parsed.ok()) return parsed.status();
    *out = std::move(*parsed);
    return Status::OK();
  }

  std::string name_;
  std::string credentials_path_;
  std::string config_path_;
  bool loaded_ = false;
  IniFile credentials_;
  IniFile config_;
  // The profile's sections (into credentials_ and config_), null when absent.
  const std::map<std::string, std::string>* in_credentials_ = nullptr;
  const std::map<std::string, std::string>* in_config_ = nullptr;
};

// Checks "http(s)://host[:port]" (a trailing '/' is dropped) and returns it; *host gets the
// host without the port.
Result<std::string> ValidateEndpoint(std::string endpoint, std::string* host) {
  while (endpoint.ends_with('/')) endpoint.pop_back();
  std::string_view rest = endpoint;
  if (rest.starts_with("https://")) {
    rest.remove_prefix(8);
  } else if (rest.starts_with("http://")) {
    rest.remove_prefix(7);
  } else {
    return Status::InvalidArgument("S3 endpoint must start with http:// or https://",
                                   "\"" + endpoint + "\"");
  }
  if (rest.empty() || rest.find_first_of("/?#@ ") != std::string_view::npos) {
    return Status::InvalidArgument("S3 endpoint must be scheme://host[:port], without a path",
                                   "\"" + endpoint + "\"");
  }
  std::string_view h = rest;
  if (h.starts_with('[')) {  // [IPv6]:port
    h = h.substr(0, h.find(']') + 1);
  } else {
    h = h.substr(0, h.find(':'));
  }
  *host = Lower(h);
  return endpoint;
}

bool IsAwsHost(const std::string& host) {
  return host.ends_with(".amazonaws.com") || host.ends_with(".amazonaws.com.cn");
}

}  // namespace

EnvironmentMap CurrentEnvironment() {
  EnvironmentMap env;
  for (char** e = environ; e != nullptr && *e != nullptr; e++) {
    std::string_view entry(*e);
    const size_t eq = entry.find('=');
    if (eq == std::string_view::npos) continue;
    env.emplace(std::string(entry.substr(0, eq)), std::string(entry.substr(eq + 1)));
  }
  return env;
}

Result<IniFile> ParseIniFile(std::string_view text, std::string_view source) {
  IniFile out;
  std::map<std::string, std::string>* section = nullptr;
  bool in_nested = false;  // after "key =" with no value: indented lines belong to it
  int line_number = 0;
  while (!text.empty()) {
    line_number++;
    const size_t nl = text.find('\n');
    std::string_view raw = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
    const bool indented = !raw.empty() && (raw.front() == ' ' || raw.front() == '\t');
    const std::string_view line = Trim(raw);
    if (line.empty() || line.front() == '#' || line.front() == ';') continue;
    auto error = [&](const char* what) {
      return Status::InvalidArgument(std::string(source) + ":" + std::to_string(line_number) +
                                     ": " + what);
    };
    if (indented && in_nested) continue;  // a nested setting ("s3 =" block)
    if (line.front() == '[') {
      if (line.back() != ']') return error("section header without ']'");
      const std::string name(Trim(line.substr(1, line.size() - 2)));
      if (name.empty()) return error("empty section name");
      section = &out[name];
      in_nested = false;
      continue;
    }
    const size_t eq = line.find('=');
    if (eq == std::string_view::npos) return error("expected 'key = value' or '[section]'");
    if (section == nullptr) return error("setting before the first [section]");
    const std::string key = Lower(Trim(line.substr(0, eq)));
    if (key.empty()) return error("setting without a name");
    const std::string_view value = Trim(line.substr(eq + 1));
    in_nested = value.empty();
    (*section)[key] = std::string(value);
  }
  return out;
}

bool VirtualHostableBucket(std::string_view bucket) {
  if (bucket.size() < 3 || bucket.size() > 63) return false;
  for (char c : bucket) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) return false;
  }
  return bucket.front() != '-' && bucket.back() != '-';
}

Result<S3Config> ResolveS3Config(const S3Options& options, const std::string& bucket,
                                 const EnvironmentMap& env) {
  S3Config config;
  std::string profile_name = options.profile;
  if (profile_name.empty()) profile_name = Env(env, "AWS_PROFILE");
  const bool explicit_profile = !profile_name.empty();
  if (profile_name.empty()) profile_name = "default";
  config.profile = profile_name;
  Profiles profiles(profile_name, env);

  // Every lookup that reaches the profile files goes through here: a profile named on purpose
  // must exist once it is needed.
  auto use_profile = [&]() -> Status {
    Status s = profiles.Load();
    if (!s.ok()) return s;
    if (explicit_profile && !profiles.found()) {
      return Status::InvalidArgument("AWS profile \"" + profile_name + "\" not found in " +
                                     profiles.Where());
    }
    return Status::OK();
  };

  // Credentials.
  if (options.credentials.has_value()) {
    config.credentials = options.credentials;
  } else {
    const std::string id = Env(env, "AWS_ACCESS_KEY_ID");
    const std::string secret = Env(env, "AWS_SECRET_ACCESS_KEY");
    if (!id.empty() || !secret.empty()) {
      if (id.empty() || secret.empty()) {
        return Status::InvalidArgument(
            "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY must be set together");
      }
      config.credentials = S3Credentials{id, secret, Env(env, "AWS_SESSION_TOKEN")};
    } else {
      Status s = use_profile();
      if (!s.ok()) return s;
      const std::string pid = profiles.Credential("aws_access_key_id");
      const std::string psecret = profiles.Credential("aws_secret_access_key");
      if (!pid.empty() || !psecret.empty()) {
        if (pid.empty() || psecret.empty()) {
          return Status::InvalidArgument("AWS profile \"" + profile_name + "\" in " +
                                         profiles.CredentialSource() +
                                         " has only one of aws_access_key_id and "
                                         "aws_secret_access_key");
        }
        config.credentials = S3Credentials{pid, psecret, profiles.Credential("aws_session_token")};
      } else {
        for (const char* other :
             {"role_arn", "credential_process", "sso_start_url", "sso_session"}) {
          if (!profiles.Setting(other).empty()) {
            return Status::NotSupported("AWS profile \"" + profile_name +
                                        "\" gets credentials from " + other +
                                        ", which Strata does not support; export "
                                        "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY instead");
          }
        }
      }
    }
  }

  // Region.
  config.region = options.region;
  if (config.region.empty()) config.region = Env(env, "AWS_REGION");
  if (config.region.empty()) config.region = Env(env, "AWS_DEFAULT_REGION");
  if (config.region.empty()) {
    Status s = use_profile();
    if (!s.ok()) return s;
    config.region = profiles.Setting("region");
  }
  if (config.region.empty()) config.region = "us-east-1";

  // Endpoint.
  std::string endpoint = options.endpoint;
  if (endpoint.empty()) endpoint = Env(env, "AWS_ENDPOINT_URL_S3");
  if (endpoint.empty()) endpoint = Env(env, "AWS_ENDPOINT_URL");
  if (endpoint.empty()) {
    Status s = use_profile();
    if (!s.ok()) return s;
    endpoint = profiles.Setting("endpoint_url");
  }
  if (endpoint.empty()) endpoint = "https://s3." + config.region + ".amazonaws.com";
  std::string host;
  auto valid = ValidateEndpoint(std::move(endpoint), &host);
  if (!valid.ok()) return valid.status();
  config.endpoint = std::move(*valid);

  switch (options.addressing) {
    case S3Addressing::kPathStyle:
      config.path_style = true;
      break;
    case S3Addressing::kVirtualHosted:
      if (!VirtualHostableBucket(bucket)) {
        return Status::InvalidArgument("bucket \"" + bucket +
                                       "\" cannot be a host name; use path-style addressing");
      }
      config.path_style = false;
      break;
    case S3Addressing::kAuto:
      config.path_style = !(IsAwsHost(host) && VirtualHostableBucket(bucket));
      break;
  }
  return config;
}

}  // namespace strata::objstore
