#include "rdb/container_reader.h"

#include <algorithm>

namespace strata::rdb {

Status ContainerReader::Open(RdbReader* reader, const char* what) {
  reader_ = reader;
  what_ = what;
  delivered_ = 0;
  pos_ = end_ = nullptr;
  StringHeader h;
  Status s = reader->ReadStringHeader(&h);
  if (!s.ok()) return s;
  if (h.kind == StringHeader::Kind::kInt) {
    return reader->Corruption(std::string(what) + " stored as an integer string");
  }
  compressed_ = h.kind == StringHeader::Kind::kLzf;
  size_ = h.length;
  stored_size_ = h.stored_length;
  if (compressed_) lzf_.Start(reader, h.stored_length, h.length);
  return Status::OK();
}

Status ContainerReader::NextWindow(size_t want) {
  Slice window;
  if (compressed_) {
    Status s = lzf_.Next(want, &window);
    if (!s.ok()) return s;
  } else {
    Status s = reader_->ReadSome(size_ - delivered_, &window);
    if (!s.ok()) return s;
  }
  pos_ = window.data();
  end_ = window.data() + window.size();
  delivered_ += window.size();
  return Status::OK();
}

Status ContainerReader::ReadSlow(void* dst, size_t n) {
  if (n > remaining()) {
    return Corruption("read of " + std::to_string(n) + " bytes runs past the end (size " +
                      std::to_string(size_) + ")");
  }
  char* out = static_cast<char*>(dst);
  while (n > 0) {
    if (pos_ == end_) {
      Status s = NextWindow(n);
      if (!s.ok()) return s;
      if (pos_ == end_) return Corruption("container data ends early");
    }
    const size_t take = std::min(n, static_cast<size_t>(end_ - pos_));
    std::memcpy(out, pos_, take);
    pos_ += take;
    out += take;
    n -= take;
  }
  return Status::OK();
}

Status ContainerReader::Skip(uint64_t n) {
  if (n > remaining()) {
    return Corruption("skip of " + std::to_string(n) + " bytes runs past the end (size " +
                      std::to_string(size_) + ")");
  }
  const uint64_t in_window = std::min<uint64_t>(n, static_cast<uint64_t>(end_ - pos_));
  pos_ += in_window;
  n -= in_window;
  if (n == 0) return Status::OK();
  if (!compressed_) {
    // Plain bytes beyond the window go straight through the reader.
    delivered_ += n;
    return reader_->Skip(n);
  }
  while (n > 0) {
    Status s = NextWindow(LzfStream::kMaxWant);
    if (!s.ok()) return s;
    if (pos_ == end_) return Corruption("container data ends early");
    const uint64_t take = std::min<uint64_t>(n, static_cast<uint64_t>(end_ - pos_));
    pos_ += take;
    n -= take;
  }
  return Status::OK();
}

Status ContainerReader::Finish(bool require_end) {
  if (require_end && remaining() != 0) {
    return Corruption(std::to_string(remaining()) + " bytes follow the end marker");
  }
  pos_ = end_;
  if (compressed_) {
    if (require_end) return lzf_.Finish();
    return lzf_.Abandon();
  }
  const uint64_t rest = size_ - delivered_;
  delivered_ = size_;
  return reader_->Skip(rest);
}

Status ContainerReader::Corruption(const std::string& detail) const {
  return reader_->Corruption(std::string(what_) + (compressed_ ? " (LZF)" : "") + " byte " +
                             std::to_string(position()) + ": " + detail);
}

}  // namespace strata::rdb
