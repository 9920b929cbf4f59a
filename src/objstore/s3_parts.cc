#include "objstore/s3_parts.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

#include "base/posix_error.h"

namespace strata::objstore {

namespace {

// A part's bytes, owned by its body.
class OwnedBody final : public RequestBody {
 public:
  explicit OwnedBody(std::string bytes) : bytes_(std::move(bytes)), memory_(Slice(bytes_)) {}
  uint64_t size() const override { return memory_.size(); }
  void Rewind() override { memory_.Rewind(); }
  Result<size_t> Read(char* dst, size_t n) override { return memory_.Read(dst, n); }

 private:
  std::string bytes_;
  MemoryBody memory_;  // over bytes_
};

}  // namespace

StreamParts::StreamParts(ByteSource* source, std::string head, uint64_t part_size,
                         std::string context)
    : source_(source),
      head_(std::move(head)),
      part_size_(part_size),
      context_(std::move(context)) {}

Result<std::unique_ptr<RequestBody>> StreamParts::Next() {
  std::string part;
  if (head_pos_ < head_.size()) {
    if (head_pos_ == 0 && head_.size() <= part_size_) {
      part = std::move(head_);  // the head becomes the first part, without a copy
      head_.clear();
    } else {
      const auto take =
          static_cast<size_t>(std::min<uint64_t>(part_size_, head_.size() - head_pos_));
      part = head_.substr(head_pos_, take);
      head_pos_ += take;
    }
    if (head_pos_ >= head_.size()) {
      head_.clear();
      head_.shrink_to_fit();
      head_pos_ = 0;
    }
  }
  if (part.size() < part_size_ && !ended_) {
    size_t filled = part.size();
    part.resize(static_cast<size_t>(part_size_));
    while (filled < part.size()) {
      auto got = source_->Read(part.data() + filled, part.size() - filled);
      if (!got.ok()) {
        return Status::IOError(context_ + ": reading the source: " + got.status().ToString());
      }
      if (*got == 0) {
        ended_ = true;
        break;
      }
      filled += *got;
    }
    part.resize(filled);
  }
  if (part.empty()) return std::unique_ptr<RequestBody>();
  return std::unique_ptr<RequestBody>(new OwnedBody(std::move(part)));
}

Result<std::unique_ptr<FileParts>> FileParts::Open(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return PosixError("open", path, errno);
  struct stat st;
  if (::fstat(fd, &st) != 0) {
    const int err = errno;
    ::close(fd);
    return PosixError("stat", path, err);
  }
  if (!S_ISREG(st.st_mode)) {
    ::close(fd);
    return Status::InvalidArgument(path + ": not a regular file");
  }
  return std::unique_ptr<FileParts>(new FileParts(fd, path, static_cast<uint64_t>(st.st_size)));
}

FileParts::~FileParts() { ::close(fd_); }

void FileParts::SetPartSize(uint64_t part_size, uint64_t max_parts) {
  part_size_ = std::max<uint64_t>(part_size, 1);
  if ((size_ + part_size_ - 1) / part_size_ > max_parts) {
    const uint64_t mib = 1 << 20;
    part_size_ = ((size_ + max_parts - 1) / max_parts + mib - 1) / mib * mib;
  }
}

std::unique_ptr<RequestBody> FileParts::Whole() const {
  return std::make_unique<FileRangeBody>(fd_, path_, 0, size_);
}

Result<std::unique_ptr<RequestBody>> FileParts::Next() {
  if (offset_ >= size_ || part_size_ == 0) return std::unique_ptr<RequestBody>();
  const uint64_t length = std::min(part_size_, size_ - offset_);
  auto body = std::make_unique<FileRangeBody>(fd_, path_, offset_, length);
  offset_ += length;
  return std::unique_ptr<RequestBody>(std::move(body));
}

}  // namespace strata::objstore
