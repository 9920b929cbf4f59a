#include "wal/log_directory.h"

#include <algorithm>
#include <cinttypes>
#include <cstdio>

#include "base/path.h"

namespace strata::wal {

namespace {
constexpr char kSuffix[] = ".log";
constexpr size_t kSuffixLen = sizeof(kSuffix) - 1;
constexpr size_t kMinDigits = 6;
}  // namespace

LogDirectory::LogDirectory(Env* env, std::string dir) : env_(env), dir_(std::move(dir)) {}

std::string LogDirectory::FileName(uint64_t number) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%06" PRIu64 "%s", number, kSuffix);
  return buf;
}

bool LogDirectory::ParseFileName(const std::string& name, uint64_t* number) {
  if (name.size() < kMinDigits + kSuffixLen) return false;
  if (name.compare(name.size() - kSuffixLen, kSuffixLen, kSuffix) != 0) return false;
  const size_t digits = name.size() - kSuffixLen;
  if (digits > 20) return false;
  uint64_t n = 0;
  for (size_t i = 0; i < digits; i++) {
    const char c = name[i];
    if (c < '0' || c > '9') return false;
    const uint64_t d = static_cast<uint64_t>(c - '0');
    if (n > (UINT64_MAX - d) / 10) return false;  // overflow
    n = n * 10 + d;
  }
  // Only the canonical spelling: "0000001.log" is not a name FileName() would make.
  if (digits > kMinDigits && name[0] == '0') return false;
  *number = n;
  return true;
}

std::string LogDirectory::PathOf(uint64_t number) const { return JoinPath(dir_, FileName(number)); }

Result<std::vector<uint64_t>> LogDirectory::List() const {
  std::vector<uint64_t> numbers;
  std::vector<std::string> names;
  Status s = env_->GetChildren(dir_, &names);
  if (s.IsNotFound()) return numbers;
  if (!s.ok()) return s;
  for (const std::string& name : names) {
    uint64_t n;
    if (ParseFileName(name, &n)) numbers.push_back(n);
  }
  std::sort(numbers.begin(), numbers.end());
  return numbers;
}

Result<std::unique_ptr<GroupCommitWriter>> LogDirectory::StartNext(const WalOptions& options) {
  Status s = env_->CreateDirIfMissing(dir_);
  if (!s.ok()) return s;
  auto numbers = List();
  if (!numbers.ok()) return numbers.status();
  const uint64_t next = numbers->empty() ? 1 : numbers->back() + 1;
  return GroupCommitWriter::Create(env_, PathOf(next), next, options);
}

Status LogDirectory::DeleteBelow(uint64_t number, int* deleted) {
  auto numbers = List();
  if (!numbers.ok()) return numbers.status();
  Status s;
  int count = 0;
  for (uint64_t n : *numbers) {
    if (n >= number) break;
    s = env_->DeleteFile(PathOf(n));
    if (!s.ok()) return s;
    count++;
  }
  if (count > 0) s = env_->SyncDir(dir_);
  if (deleted != nullptr) *deleted = count;
  return s;
}

}  // namespace strata::wal
