#include "rdb/lzf_stream.h"

#include <algorithm>
#include <cstring>

namespace strata::rdb {

LzfStream::LzfStream() : out_(std::make_unique<char[]>(kOutputBytes)) {}

void LzfStream::Start(RdbReader* reader, uint64_t compressed_length, uint64_t uncompressed_length) {
  reader_ = reader;
  in_remaining_ = compressed_length;
  in_pos_ = in_end_ = nullptr;
  out_length_ = uncompressed_length;
  produced_ = 0;
  out_fill_ = 0;
}

Status LzfStream::RefillInput() {
  if (in_remaining_ == 0) {
    return reader_->Corruption("LZF data ends in the middle of an instruction (" +
                               std::to_string(produced_) + " of " + std::to_string(out_length_) +
                               " bytes decompressed)");
  }
  Slice chunk;
  Status s = reader_->ReadSome(in_remaining_, &chunk);
  if (!s.ok()) return s;
  in_remaining_ -= chunk.size();
  in_pos_ = chunk.data();
  in_end_ = chunk.data() + chunk.size();
  return Status::OK();
}

Status LzfStream::DecodeOne() {
  uint8_t ctrl = 0;
  Status s = InputByte(&ctrl);
  if (!s.ok()) return s;
  char* const out = out_.get();
  size_t n;
  if (ctrl < 32) {
    n = static_cast<size_t>(ctrl) + 1;
    if (produced_ + n > out_length_) {
      return reader_->Corruption("LZF data decompresses past its declared length " +
                                 std::to_string(out_length_));
    }
    if (static_cast<size_t>(in_end_ - in_pos_) >= n) {
      std::memcpy(out + out_fill_, in_pos_, n);
      in_pos_ += n;
    } else {
      for (size_t i = 0; i < n; i++) {
        uint8_t b = 0;
        s = InputByte(&b);
        if (!s.ok()) return s;
        out[out_fill_ + i] = static_cast<char>(b);
      }
    }
  } else {
    n = ctrl >> 5;
    uint8_t b = 0;
    if (n == 7) {
      s = InputByte(&b);
      if (!s.ok()) return s;
      n += b;
    }
    s = InputByte(&b);
    if (!s.ok()) return s;
    const size_t distance = ((static_cast<size_t>(ctrl) & 0x1F) << 8) + b + 1;
    n += 2;
    // out_fill_ >= min(produced_, kHistory) and distance <= 8192 == kHistory, so a distance
    // within out_fill_ is exactly a distance within the output produced so far.
    if (distance > out_fill_) {
      return reader_->Corruption("LZF back reference " + std::to_string(distance) +
                                 " bytes before the start of the output");
    }
    if (produced_ + n > out_length_) {
      return reader_->Corruption("LZF data decompresses past its declared length " +
                                 std::to_string(out_length_));
    }
    // Byte by byte on purpose: source and destination overlap when distance < n (runs).
    const char* from = out + out_fill_ - distance;
    char* to = out + out_fill_;
    for (size_t i = 0; i < n; i++) to[i] = from[i];
  }
  out_fill_ += n;
  produced_ += n;
  return Status::OK();
}

Status LzfStream::Next(size_t want, Slice* out) {
  want = std::clamp<size_t>(want, 1, kMaxWant);
  if (done()) {
    *out = Slice();
    return Status::OK();
  }
  // The bytes handed out last time are no longer needed except as history.
  if (out_fill_ > kHistory) {
    std::memmove(out_.get(), out_.get() + out_fill_ - kHistory, kHistory);
    out_fill_ = kHistory;
  }
  const size_t start = out_fill_;
  while (out_fill_ - start < want && !done() && out_fill_ + kMaxInstructionOutput <= kOutputBytes) {
    Status s = DecodeOne();
    if (!s.ok()) return s;
  }
  *out = Slice(out_.get() + start, out_fill_ - start);
  return Status::OK();
}

Status LzfStream::Abandon() {
  in_pos_ = in_end_;
  const uint64_t rest = in_remaining_;
  in_remaining_ = 0;
  return reader_->Skip(rest);
}

Status LzfStream::Finish() {
  if (!done()) {
    return reader_->Corruption("LZF data decompresses to " + std::to_string(produced_) +
                               " bytes, fewer than its declared " + std::to_string(out_length_));
  }
  if (in_pos_ != in_end_ || in_remaining_ > 0) {
    return reader_->Corruption("LZF data continues past its declared uncompressed length " +
                               std::to_string(out_length_));
  }
  return Status::OK();
}

}  // namespace strata::rdb
