#include "testing/string_file.h"

#include <algorithm>
#include <cstring>

namespace strata::testing {

Status StringWritableFile::Append(const Slice& data) {
  dest_->append(data.data(), data.size());
  return Status::OK();
}

Status StringSequentialFile::Read(size_t n, Slice* result, char* scratch) {
  const size_t take = std::min(n, bytes_.size() - pos_);
  if (take > 0) std::memcpy(scratch, bytes_.data() + pos_, take);
  pos_ += take;
  *result = Slice(scratch, take);
  return Status::OK();
}

Status StringSequentialFile::Skip(uint64_t n) {
  pos_ += static_cast<size_t>(std::min<uint64_t>(n, bytes_.size() - pos_));
  return Status::OK();
}

Status StringRandomAccessFile::Read(uint64_t offset, size_t n, Slice* result, char* scratch) const {
  size_t take = 0;
  if (offset < bytes_.size())
    take = static_cast<size_t>(std::min<uint64_t>(n, bytes_.size() - offset));
  if (take > 0) std::memcpy(scratch, bytes_.data() + offset, take);
  *result = Slice(scratch, take);
  return Status::OK();
}

}  // namespace strata::testing
