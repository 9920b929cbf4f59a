#include "parquet/plain_encoding.h"

#include <algorithm>

#include "base/coding.h"
#include "parquet/bit_packing.h"

namespace strata::parquet {

void PlainEncodeBooleans(const uint8_t* values, size_t n, std::string* dst) {
  const size_t at = dst->size();
  dst->resize(at + BitPackedSize(n, 1));
  PackBits(values, n, reinterpret_cast<uint8_t*>(dst->data()) + at);
}

Status PlainEncodeByteArrays(const std::string_view* values, size_t n, std::string* dst) {
  size_t total = 0;
  for (size_t i = 0; i < n; i++) {
    if (values[i].size() > kMaxByteArrayLength) {
      return Status::InvalidArgument("PLAIN BYTE_ARRAY value " + std::to_string(i) + " of " +
                                     std::to_string(values[i].size()) +
                                     " bytes is longer than 2^31 - 1");
    }
    total += sizeof(uint32_t) + values[i].size();
  }
  // One resize and direct stores: appending value by value would check capacity twice each.
  size_t at = dst->size();
  dst->resize(at + total);
  char* out = dst->data();
  for (size_t i = 0; i < n; i++) {
    EncodeFixed32(out + at, static_cast<uint32_t>(values[i].size()));
    if (!values[i].empty())
      std::memcpy(out + at + sizeof(uint32_t), values[i].data(), values[i].size());
    at += sizeof(uint32_t) + values[i].size();
  }
  return Status::OK();
}

Status PlainEncodeFixedLenByteArrays(const std::string_view* values, size_t n, size_t width,
                                     std::string* dst) {
  for (size_t i = 0; i < n; i++) {
    if (values[i].size() != width) {
      return Status::InvalidArgument("PLAIN FIXED_LEN_BYTE_ARRAY value " + std::to_string(i) +
                                     " has " + std::to_string(values[i].size()) +
                                     " bytes, the column's length is " + std::to_string(width));
    }
  }
  size_t at = dst->size();
  dst->resize(at + n * width);
  for (size_t i = 0; i < n; i++, at += width) {
    if (width > 0) std::memcpy(dst->data() + at, values[i].data(), width);
  }
  return Status::OK();
}

Status PlainDecoder::Short(size_t n, size_t value_size) const {
  return Status::Corruption("PLAIN data at byte offset " + std::to_string(pos_) + ": " +
                            std::to_string(n) + " values of " + std::to_string(value_size) +
                            " bytes need more than the " + std::to_string(size_ - pos_) +
                            " bytes that remain");
}

Status PlainDecoder::GetBooleans(uint8_t* out, size_t n) {
  // Bits still unread: the rest of the current byte, then whole bytes.
  const size_t bits_left = (size_ - pos_) * 8 - static_cast<size_t>(bit_offset_);
  if (n > bits_left) {
    return Status::Corruption("PLAIN BOOLEAN data at byte offset " + std::to_string(pos_) + ": " +
                              std::to_string(n) + " values, only " + std::to_string(bits_left) +
                              " bits remain");
  }
  size_t done = 0;
  // Finish a byte that an earlier call started, so the bulk of the work is byte-aligned.
  while (bit_offset_ != 0 && done < n) {
    out[done++] = (data_[pos_] >> bit_offset_) & 1;
    if (++bit_offset_ == 8) {
      bit_offset_ = 0;
      pos_++;
    }
  }
  if (done == n) return Status::OK();  // still inside the byte an earlier call started
  const size_t rest = n - done;
  UnpackBits(data_ + pos_, rest, out + done);
  pos_ += rest / 8;
  bit_offset_ = static_cast<int>(rest % 8);
  return Status::OK();
}

Status PlainDecoder::GetByteArrays(std::string_view* out, size_t n) {
  const char* const base = reinterpret_cast<const char*>(data_);
  size_t pos = pos_;
  for (size_t i = 0; i < n; i++) {
    if (size_ - pos < sizeof(uint32_t)) {
      return Status::Corruption("PLAIN BYTE_ARRAY value " + std::to_string(i) + " at byte offset " +
                                std::to_string(pos) + ": truncated length (" +
                                std::to_string(size_ - pos) + " bytes remain)");
    }
    const uint32_t length = DecodeFixed32(base + pos);
    pos += sizeof(uint32_t);
    if (length > size_ - pos) {
      return Status::Corruption("PLAIN BYTE_ARRAY value " + std::to_string(i) + " at byte offset " +
                                std::to_string(pos - sizeof(uint32_t)) + ": length " +
                                std::to_string(length) + " exceeds the " +
                                std::to_string(size_ - pos) + " bytes that remain");
    }
    out[i] = std::string_view(base + pos, length);
    pos += length;
  }
  pos_ = pos;
  return Status::OK();
}

Status PlainDecoder::GetFixedLenByteArrays(std::string_view* out, size_t n, size_t width) {
  if (width == 0) {
    return Status::InvalidArgument("PLAIN FIXED_LEN_BYTE_ARRAY: length 0");
  }
  if (n > (size_ - pos_) / width) return Short(n, width);
  const char* p = reinterpret_cast<const char*>(data_) + pos_;
  for (size_t i = 0; i < n; i++) out[i] = std::string_view(p + i * width, width);
  pos_ += n * width;
  return Status::OK();
}

}  // namespace strata::parquet
