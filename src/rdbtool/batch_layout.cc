#include "rdbtool/batch_layout.h"

#include <charconv>
#include <cstdio>
#include <ctime>

namespace strata::rdbtool {

namespace {

constexpr int64_t kNanosPerSecond = 1000000000;

// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil).
int64_t DaysFromCivil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

// The directory holding path ("." for a bare name).
std::string ParentOf(const std::string& path) {
  const size_t slash = path.find_last_of('/');
  if (slash == std::string::npos) return ".";
  return slash == 0 ? "/" : path.substr(0, slash);
}

// Creates dir and every missing parent. A new directory's name becomes durable only when its
// parent is synced (env.h), so each parent that gained one is synced.
Status CreateDirs(Env* env, const std::string& dir) {
  for (size_t at = 1; at <= dir.size(); at++) {
    if (at == dir.size() || dir[at] == '/') {
      const std::string prefix = dir.substr(0, at);
      if (env->FileExists(prefix)) continue;
      Status s = env->CreateDirIfMissing(prefix);
      if (s.ok()) s = env->SyncDir(ParentOf(prefix));
      if (!s.ok()) return s;
    }
  }
  return Status::OK();
}

bool Digits(std::string_view s, size_t at, size_t n, int* out) {
  if (at + n > s.size()) return false;
  int v = 0;
  for (size_t i = at; i < at + n; i++) {
    if (s[i] < '0' || s[i] > '9') return false;
    v = v * 10 + (s[i] - '0');
  }
  *out = v;
  return true;
}

}  // namespace

std::string FormatBatchId(int64_t unix_ns) {
  const int64_t secs = unix_ns / kNanosPerSecond;
  const int millis = static_cast<int>((unix_ns % kNanosPerSecond) / 1000000);
  const std::time_t t = static_cast<std::time_t>(secs);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[64];
  std::snprintf(buf, sizeof(buf), "%04d-%02d-%02d_%02d-%02d-%02d.%03dZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, millis);
  return buf;
}

std::string FormatRfc3339(int64_t unix_ns) {
  const std::string id = FormatBatchId(unix_ns);  // 2026-11-30_16-05-09.123Z
  return id.substr(0, 10) + "T" + id.substr(11, 2) + ":" + id.substr(14, 2) + ":" + id.substr(17);
}

Result<int64_t> ParseRfc3339(std::string_view s) {
  auto bad = [&] {
    return Status::InvalidArgument("not an RFC 3339 date-time (e.g. 2026-11-30T16:05:09.123Z)",
                                   std::string(s));
  };
  int year, month, day, hour, minute, second;
  if (!Digits(s, 0, 4, &year) || s.size() < 19 || s[4] != '-' || !Digits(s, 5, 2, &month) ||
      s[7] != '-' || !Digits(s, 8, 2, &day) || (s[10] != 'T' && s[10] != 't' && s[10] != ' ') ||
      !Digits(s, 11, 2, &hour) || s[13] != ':' || !Digits(s, 14, 2, &minute) || s[16] != ':' ||
      !Digits(s, 17, 2, &second)) {
    return bad();
  }
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) {
    return bad();
  }
  size_t at = 19;
  int64_t frac_ns = 0;
  if (at < s.size() && s[at] == '.') {
    at++;
    int digits = 0;
    while (at < s.size() && s[at] >= '0' && s[at] <= '9') {
      if (digits < 9) {
        frac_ns = frac_ns * 10 + (s[at] - '0');
        digits++;
      }
      at++;
    }
    if (digits == 0) return bad();
    for (; digits < 9; digits++) frac_ns *= 10;
  }
  int64_t offset_s = 0;
  if (at < s.size() && (s[at] == 'Z' || s[at] == 'z')) {
    at++;
  } else if (at < s.size() && (s[at] == '+' || s[at] == '-')) {
    int oh, om;
    if (!Digits(s, at + 1, 2, &oh) || at + 3 >= s.size() || s[at + 3] != ':' ||
        !Digits(s, at + 4, 2, &om) || oh > 23 || om > 59) {
      return bad();
    }
    offset_s = (oh * 3600 + om * 60) * (s[at] == '+' ? 1 : -1);
    at += 6;
  } else {
    return bad();  // RFC 3339 requires a zone
  }
  if (at != s.size()) return bad();
  const int64_t days =
      DaysFromCivil(year, static_cast<unsigned>(month), static_cast<unsigned>(day));
  const int64_t secs = days * 86400 + hour * 3600 + minute * 60 + std::min(second, 59) - offset_s;
  if (secs < 0) return Status::InvalidArgument("batch time before 1970", std::string(s));
  return secs * kNanosPerSecond + frac_ns;
}

std::string SafePathComponent(std::string_view name) {
  if (name.empty() || name == "." || name == "..") return "_";
  std::string out(name);
  for (char& c : out) {
    if (c == ':') {
      c = '-';
    } else if (c == '/' || c == '\\' || static_cast<unsigned char>(c) < 0x20) {
      c = '_';
    }
  }
  return out;
}

BatchPaths MakeBatchPaths(const std::string& dir, std::string_view cluster,
                          const std::string& batch_id) {
  BatchPaths p;
  p.cluster_dir = dir + "/cluster=" + SafePathComponent(cluster);
  p.tmp_dir = p.cluster_dir + "/_tmp_batch=" + batch_id;
  p.runs_dir = p.tmp_dir + "/_runs";
  p.final_dir = p.cluster_dir + "/batch=" + batch_id;
  return p;
}

Status CreateBatchDir(Env* env, const BatchPaths& paths) {
  if (env->FileExists(paths.final_dir)) {
    return Status::InvalidArgument(paths.final_dir, "batch already exists");
  }
  if (env->FileExists(paths.tmp_dir)) {
    return Status::InvalidArgument(paths.tmp_dir,
                                   "a failed or running attempt of this batch is in the way; "
                                   "remove it to rerun");
  }
  return CreateDirs(env, paths.runs_dir);
}

Status CommitBatch(Env* env, const BatchPaths& paths) {
  // DeleteDir refuses a directory that still holds a file: a run left behind stops the batch.
  Status s = env->DeleteDir(paths.runs_dir);
  if (s.ok()) s = env->SyncDir(paths.tmp_dir);
  if (!s.ok()) return s;
  return env->RenameFile(paths.tmp_dir, paths.final_dir);
}

}  // namespace strata::rdbtool
