#include "parquet/delta_byte_array.h"

#include <algorithm>
#include <cstring>
#include <vector>

#include "parquet/plain_encoding.h"

namespace strata::parquet {

namespace {

// Lengths decoded per call into the length streams.
constexpr size_t kLengthChunk = 256;

Status CheckLength(const std::string_view* values, size_t i, const char* encoding) {
  if (values[i].size() > kMaxByteArrayLength) {
    return Status::InvalidArgument(std::string(encoding) + ": value " + std::to_string(i) + " of " +
                                   std::to_string(values[i].size()) +
                                   " bytes is longer than 2^31 - 1");
  }
  return Status::OK();
}

size_t CommonPrefix(std::string_view a, std::string_view b) {
  const size_t limit = std::min(a.size(), b.size());
  size_t i = 0;
  // Eight bytes at a time; the first differing byte is the lowest set byte of the XOR
  // (little-endian host).
  for (; i + 8 <= limit; i += 8) {
    uint64_t x, y;
    std::memcpy(&x, a.data() + i, 8);
    std::memcpy(&y, b.data() + i, 8);
    if (x != y) return i + static_cast<size_t>(__builtin_ctzll(x ^ y)) / 8;
  }
  while (i < limit && a[i] == b[i]) i++;
  return i;
}

void AppendBytes(const std::string_view* values, size_t n, size_t total, std::string* dst) {
  size_t at = dst->size();
  dst->resize(at + total);
  for (size_t i = 0; i < n; i++) {
    if (!values[i].empty()) std::memcpy(dst->data() + at, values[i].data(), values[i].size());
    at += values[i].size();
  }
}

}  // namespace

Status DeltaLengthByteArrayEncode(const std::string_view* values, size_t n, std::string* dst,
                                  const DeltaBinaryPackedOptions& options) {
  std::vector<int32_t> lengths(n);
  size_t total = 0;
  for (size_t i = 0; i < n; i++) {
    Status s = CheckLength(values, i, "DELTA_LENGTH_BYTE_ARRAY");
    if (!s.ok()) return s;
    lengths[i] = static_cast<int32_t>(values[i].size());
    total += values[i].size();
  }
  Status s = DeltaBinaryPackedEncode(lengths.data(), n, dst, options);
  if (!s.ok()) return s;
  AppendBytes(values, n, total, dst);
  return Status::OK();
}

Status DeltaByteArrayEncode(const std::string_view* values, size_t n, std::string* dst,
                            const DeltaBinaryPackedOptions& options) {
  std::vector<int32_t> prefixes(n);
  std::vector<int32_t> suffixes(n);
  std::vector<std::string_view> suffix_bytes(n);
  size_t total = 0;
  std::string_view previous;
  for (size_t i = 0; i < n; i++) {
    Status s = CheckLength(values, i, "DELTA_BYTE_ARRAY");
    if (!s.ok()) return s;
    const size_t prefix = CommonPrefix(previous, values[i]);
    prefixes[i] = static_cast<int32_t>(prefix);
    suffixes[i] = static_cast<int32_t>(values[i].size() - prefix);
    suffix_bytes[i] = values[i].substr(prefix);
    total += suffix_bytes[i].size();
    previous = values[i];
  }
  const size_t at = dst->size();
  Status s = DeltaBinaryPackedEncode(prefixes.data(), n, dst, options);
  if (s.ok()) s = DeltaBinaryPackedEncode(suffixes.data(), n, dst, options);
  if (!s.ok()) {
    dst->resize(at);
    return s;
  }
  AppendBytes(suffix_bytes.data(), n, total, dst);
  return Status::OK();
}

// ---------------------------------------------------------------------------------------
// DELTA_LENGTH_BYTE_ARRAY

Status DeltaLengthByteArrayDecoder::Init(const uint8_t* data, size_t size) {
  data_ = data;
  size_ = size;
  values_read_ = 0;
  Status s = lengths_.Init(data, size);
  pos_ = lengths_.encoded_size();
  if (!s.ok()) {
    return Status::Corruption("DELTA_LENGTH_BYTE_ARRAY lengths", s.message());
  }
  return Status::OK();
}

Result<size_t> DeltaLengthByteArrayDecoder::GetBatch(std::string_view* out, size_t n) {
  n = static_cast<size_t>(std::min<uint64_t>(n, lengths_.values_left()));
  const char* const base = reinterpret_cast<const char*>(data_);
  int32_t lengths[kLengthChunk];
  for (size_t done = 0; done < n;) {
    const size_t want = std::min(kLengthChunk, n - done);
    Result<size_t> got = lengths_.GetBatch(lengths, want);
    if (!got.ok())
      return Status::Corruption("DELTA_LENGTH_BYTE_ARRAY lengths", got.status().message());
    for (size_t i = 0; i < *got; i++) {
      const int32_t length = lengths[i];
      if (length < 0 || static_cast<size_t>(length) > size_ - pos_) {
        return Status::Corruption("DELTA_LENGTH_BYTE_ARRAY value " +
                                  std::to_string(values_read_ + i) + " at byte offset " +
                                  std::to_string(pos_) + ": length " + std::to_string(length) +
                                  " (" + std::to_string(size_ - pos_) + " bytes remain)");
      }
      out[done + i] = std::string_view(base + pos_, static_cast<size_t>(length));
      pos_ += static_cast<size_t>(length);
    }
    values_read_ += *got;
    done += *got;
    if (*got < want) return done;  // cannot happen: n was capped by values_left()
  }
  return n;
}

// ---------------------------------------------------------------------------------------
// DELTA_BYTE_ARRAY

Status DeltaByteArrayDecoder::Corrupt(uint64_t value, const std::string& what) const {
  return Status::Corruption("DELTA_BYTE_ARRAY value " + std::to_string(value) +
                            " (suffix bytes at byte offset " + std::to_string(suffix_pos_) +
                            "): " + what);
}

Status DeltaByteArrayDecoder::Init(const uint8_t* data, size_t size) {
  data_ = data;
  size_ = size;
  values_read_ = 0;
  values_left_ = 0;
  buffered_pos_ = buffered_end_ = 0;
  previous_.clear();
  Status s = prefixes_.Init(data, size);
  if (!s.ok()) return Status::Corruption("DELTA_BYTE_ARRAY prefix lengths", s.message());
  const size_t suffixes_at = prefixes_.encoded_size();
  s = suffixes_.Init(data + suffixes_at, size - suffixes_at);
  if (!s.ok()) {
    return Status::Corruption(
        "DELTA_BYTE_ARRAY suffix lengths starting at byte offset " + std::to_string(suffixes_at),
        s.message());
  }
  if (prefixes_.total_values() != suffixes_.total_values()) {
    return Status::Corruption("DELTA_BYTE_ARRAY: " + std::to_string(prefixes_.total_values()) +
                              " prefix lengths but " + std::to_string(suffixes_.total_values()) +
                              " suffix lengths");
  }
  suffix_pos_ = suffixes_at + suffixes_.encoded_size();
  values_left_ = prefixes_.total_values();
  return Status::OK();
}

Status DeltaByteArrayDecoder::Refill() {
  const size_t want = static_cast<size_t>(std::min<uint64_t>(kChunk, prefixes_.values_left()));
  Result<size_t> p = prefixes_.GetBatch(prefix_, want);
  if (!p.ok()) return Status::Corruption("DELTA_BYTE_ARRAY prefix lengths", p.status().message());
  Result<size_t> s = suffixes_.GetBatch(suffix_, want);
  if (!s.ok()) return Status::Corruption("DELTA_BYTE_ARRAY suffix lengths", s.status().message());
  // Both streams have had the same number of lengths taken and Init checked that their
  // counts match, so they end together.
  buffered_pos_ = 0;
  buffered_end_ = std::min(*p, *s);
  if (buffered_end_ < want) return Corrupt(values_read_, "length streams ended early");
  return Status::OK();
}

Result<size_t> DeltaByteArrayDecoder::GetBatch(std::string_view* out, size_t n, Arena* arena) {
  n = static_cast<size_t>(std::min<uint64_t>(n, values_left_));
  const char* const suffix_data = reinterpret_cast<const char*>(data_);
  size_t done = 0;
  size_t batch_bytes = 0;
  bool budget_reached = false;
  while (done < n && !budget_reached) {
    if (buffered_pos_ == buffered_end_) {
      Status s = Refill();
      if (!s.ok()) return s;
    }
    // Check the buffered lengths and size the values; stop at n or the byte budget.
    size_t count = 0;
    size_t chunk_bytes = 0;
    size_t suffix_bytes = 0;
    size_t previous_length = previous_.size();
    const size_t available = size_ - suffix_pos_;
    for (size_t i = buffered_pos_; i < buffered_end_ && done + count < n; i++, count++) {
      const uint64_t value = values_read_ + done + count;
      const int32_t prefix = prefix_[i];
      const int32_t suffix = suffix_[i];
      if (prefix < 0 || suffix < 0) {
        return Corrupt(value, "negative length (prefix " + std::to_string(prefix) + ", suffix " +
                                  std::to_string(suffix) + ")");
      }
      if (static_cast<size_t>(prefix) > previous_length) {
        return Corrupt(value, "prefix length " + std::to_string(prefix) +
                                  " exceeds the previous value's " +
                                  std::to_string(previous_length) + " bytes");
      }
      if (static_cast<size_t>(suffix) > available - suffix_bytes) {
        return Corrupt(value, "suffix length " + std::to_string(suffix) + " exceeds the " +
                                  std::to_string(available - suffix_bytes) + " bytes that remain");
      }
      const size_t length = static_cast<size_t>(prefix) + static_cast<size_t>(suffix);
      if (done + count > 0 && batch_bytes + chunk_bytes + length > max_batch_bytes_) {
        budget_reached = true;
        break;
      }
      chunk_bytes += length;
      suffix_bytes += static_cast<size_t>(suffix);
      previous_length = length;
    }
    if (count == 0) break;

    // Rebuild the values back to back; each prefix comes from the value just before it.
    char* dst = arena->Allocate(chunk_bytes);
    const char* previous = previous_.data();
    for (size_t i = buffered_pos_; i < buffered_pos_ + count; i++) {
      const size_t prefix = static_cast<size_t>(prefix_[i]);
      const size_t suffix = static_cast<size_t>(suffix_[i]);
      if (prefix > 0) std::memcpy(dst, previous, prefix);
      if (suffix > 0) std::memcpy(dst + prefix, suffix_data + suffix_pos_, suffix);
      suffix_pos_ += suffix;
      out[done++] = std::string_view(dst, prefix + suffix);
      previous = dst;
      dst += prefix + suffix;
    }
    previous_.assign(out[done - 1]);
    buffered_pos_ += count;
    batch_bytes += chunk_bytes;
  }
  values_read_ += done;
  values_left_ -= done;
  return done;
}

}  // namespace strata::parquet
