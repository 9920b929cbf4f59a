#include "parquet/delta_binary_packed.h"

#include <algorithm>
#include <limits>
#include <vector>

#include "base/coding.h"
#include "parquet/bit_packing.h"

namespace strata::parquet {

namespace {

constexpr uint64_t kBlockSizeUnit = 128;
constexpr uint64_t kMiniblockUnit = 32;

uint64_t ZigZag(int64_t v) {
  return (static_cast<uint64_t>(v) << 1) ^ static_cast<uint64_t>(v >> 63);
}

int64_t UnZigZag(uint64_t u) { return static_cast<int64_t>((u >> 1) ^ (0 - (u & 1))); }

// Reads a ULEB128 at *pos; false if it is truncated or longer than 64 bits.
bool ReadUleb(const uint8_t* data, size_t size, size_t* pos, uint64_t* v) {
  const char* base = reinterpret_cast<const char*>(data);
  const char* p = GetVarint64Ptr(base + *pos, base + size, v);
  if (p == nullptr) return false;
  *pos = static_cast<size_t>(p - base);
  return true;
}

bool LegalLayout(uint64_t block_size, uint64_t miniblocks) {
  return block_size > 0 && block_size % kBlockSizeUnit == 0 && block_size <= kDeltaMaxBlockSize &&
         miniblocks > 0 && block_size % miniblocks == 0 &&
         (block_size / miniblocks) % kMiniblockUnit == 0;
}

template <typename U>
void Unpack(const uint8_t* in, size_t n, int width, U* out) {
  if constexpr (sizeof(U) == sizeof(uint32_t)) {
    Unpack32(in, n, width, out);
  } else {
    Unpack64(in, n, width, out);
  }
}

// Unpacks n (a multiple of 32) deltas of a miniblock. INT32 deltas packed wider than 32 bits
// by a writer that computed them in 64 bits keep only their low 32 bits: the sum that
// restores the values wraps at 32 bits, so the high bits cannot change it.
template <typename U>
void UnpackDeltas(const uint8_t* in, size_t n, int width, U* out) {
  if constexpr (sizeof(U) == sizeof(uint32_t)) {
    if (width > 32) {
      constexpr size_t kGroup = 32;
      uint64_t wide[kGroup];
      for (size_t i = 0; i < n; i += kGroup) {
        Unpack64(in + i / 8 * static_cast<size_t>(width), kGroup, width, wide);
        for (size_t k = 0; k < kGroup; k++) out[i + k] = static_cast<uint32_t>(wide[k]);
      }
      return;
    }
  }
  Unpack(in, n, width, out);
}

template <typename U>
void Pack(const U* in, size_t n, int width, uint8_t* out) {
  if constexpr (sizeof(U) == sizeof(uint32_t)) {
    Pack32(in, n, width, out);
  } else {
    Pack64(in, n, width, out);
  }
}

template <typename T>
Status EncodeImpl(const T* values, size_t n, std::string* dst,
                  const DeltaBinaryPackedOptions& options) {
  using U = std::make_unsigned_t<T>;
  const uint64_t block_size = options.block_size;
  const uint64_t miniblocks = options.miniblocks_per_block;
  if (!LegalLayout(block_size, miniblocks)) {
    return Status::InvalidArgument(
        "DELTA_BINARY_PACKED: " + std::to_string(miniblocks) + " miniblocks per block of " +
        std::to_string(block_size) +
        " values (need a multiple of 128 split into miniblocks of a multiple of 32)");
  }
  const size_t miniblock_values = block_size / miniblocks;

  PutVarint64(dst, block_size);
  PutVarint64(dst, miniblocks);
  PutVarint64(dst, n);
  PutVarint64(dst, ZigZag(n > 0 ? values[0] : 0));
  if (n <= 1) return Status::OK();

  // The deltas of one block, less the block's min delta, then zero padding to whole
  // miniblocks. All arithmetic is unsigned, which is the wrapping the format asks for.
  std::vector<U> deltas(block_size);
  U previous = static_cast<U>(values[0]);
  for (size_t i = 1; i < n;) {
    const size_t count = std::min<size_t>(block_size, n - i);
    T min_delta = std::numeric_limits<T>::max();
    for (size_t k = 0; k < count; k++) {
      const U value = static_cast<U>(values[i + k]);
      deltas[k] = value - previous;
      previous = value;
      min_delta = std::min(min_delta, static_cast<T>(deltas[k]));
    }
    PutVarint64(dst, ZigZag(min_delta));
    for (size_t k = 0; k < count; k++) deltas[k] -= static_cast<U>(min_delta);
    const size_t used = (count + miniblock_values - 1) / miniblock_values;
    std::fill(deltas.begin() + count, deltas.begin() + used * miniblock_values, U{0});

    // Width bytes (zero for the unused miniblocks of a last block), then the miniblocks.
    const size_t widths_at = dst->size();
    dst->append(miniblocks, '\0');
    size_t packed_bytes = 0;
    for (size_t m = 0; m < used; m++) {
      U all_bits = 0;
      for (size_t k = 0; k < miniblock_values; k++) all_bits |= deltas[m * miniblock_values + k];
      const int width = BitWidthOf(all_bits);
      (*dst)[widths_at + m] = static_cast<char>(width);
      packed_bytes += miniblock_values * static_cast<size_t>(width) / 8;
    }
    size_t at = dst->size();
    dst->resize(at + packed_bytes);
    for (size_t m = 0; m < used; m++) {
      const int width = static_cast<uint8_t>((*dst)[widths_at + m]);
      Pack(deltas.data() + m * miniblock_values, miniblock_values, width,
           reinterpret_cast<uint8_t*>(dst->data()) + at);
      at += miniblock_values * static_cast<size_t>(width) / 8;
    }
    i += count;
  }
  return Status::OK();
}

}  // namespace

Status DeltaBinaryPackedEncode(const int32_t* values, size_t n, std::string* dst,
                               const DeltaBinaryPackedOptions& options) {
  return EncodeImpl(values, n, dst, options);
}

Status DeltaBinaryPackedEncode(const int64_t* values, size_t n, std::string* dst,
                               const DeltaBinaryPackedOptions& options) {
  return EncodeImpl(values, n, dst, options);
}

template <typename T>
Status DeltaBinaryPackedDecoder<T>::Corrupt(size_t offset, const std::string& what) const {
  return Status::Corruption("DELTA_BINARY_PACKED data at byte offset " + std::to_string(offset) +
                            ": " + what);
}

template <typename T>
Status DeltaBinaryPackedDecoder<T>::Init(const uint8_t* data, size_t size) {
  *this = DeltaBinaryPackedDecoder();  // a failed Init leaves a decoder with no values
  data_ = data;
  size_ = size;

  size_t pos = 0;
  uint64_t block_size, miniblocks, total, first;
  if (!ReadUleb(data, size, &pos, &block_size)) {
    return Corrupt(pos, "truncated or overlong block size");
  }
  if (!ReadUleb(data, size, &pos, &miniblocks)) {
    return Corrupt(pos, "truncated or overlong miniblock count");
  }
  if (!LegalLayout(block_size, miniblocks)) {
    return Corrupt(0, "block size " + std::to_string(block_size) + " with " +
                          std::to_string(miniblocks) +
                          " miniblocks (need a multiple of 128, at most 2^31, split into "
                          "miniblocks of a multiple of 32 values)");
  }
  if (!ReadUleb(data, size, &pos, &total)) {
    return Corrupt(pos, "truncated or overlong value count");
  }
  const size_t first_at = pos;
  if (!ReadUleb(data, size, &pos, &first)) {
    return Corrupt(pos, "truncated or overlong first value");
  }
  const size_t header_size = pos;
  const int64_t first_value = UnZigZag(first);
  // An INT32 first value may also be written as its unsigned reading (DuckDB does for
  // UINT_32 columns, e.g. 4294967295 for the bits of -1): both name the same 32 bits.
  const int64_t first_max = sizeof(T) == sizeof(int32_t)
                                ? int64_t{std::numeric_limits<uint32_t>::max()}
                                : int64_t{std::numeric_limits<T>::max()};
  if (total > 0 && (first_value < std::numeric_limits<T>::min() || first_value > first_max)) {
    return Corrupt(first_at,
                   "first value " + std::to_string(first_value) + " does not fit the type");
  }
  const uint64_t miniblock_values = block_size / miniblocks;

  // Walk the blocks the value count needs, checking each, to find the end of the stream.
  // Every block consumes at least one byte, so the walk is bounded by size.
  uint64_t deltas_left = total > 0 ? total - 1 : 0;
  while (deltas_left > 0) {
    const size_t block_at = pos;
    uint64_t min_delta;
    if (!ReadUleb(data, size, &pos, &min_delta)) {
      return Corrupt(block_at, "truncated or overlong min delta (" + std::to_string(deltas_left) +
                                   " deltas still expected)");
    }
    if (miniblocks > size - pos) {
      return Corrupt(pos, "block needs " + std::to_string(miniblocks) + " width bytes, only " +
                              std::to_string(size - pos) + " remain");
    }
    const size_t widths_at = pos;
    pos += miniblocks;
    for (uint64_t m = 0; m < miniblocks && deltas_left > 0; m++) {
      const int width = data[widths_at + m];
      if (width > kMaxWidth) {
        return Corrupt(widths_at + m, "miniblock bit width " + std::to_string(width) + " exceeds " +
                                          std::to_string(kMaxWidth));
      }
      const uint64_t bytes = miniblock_values * static_cast<uint64_t>(width) / 8;
      if (bytes > size - pos) {
        return Corrupt(pos, "miniblock of " + std::to_string(miniblock_values) +
                                " values at bit width " + std::to_string(width) + " needs " +
                                std::to_string(bytes) + " bytes, only " +
                                std::to_string(size - pos) + " remain");
      }
      pos += bytes;
      deltas_left -= std::min(deltas_left, miniblock_values);
    }
  }

  encoded_size_ = pos;
  miniblocks_ = miniblocks;
  miniblock_values_ = miniblock_values;
  total_values_ = total;
  values_left_ = total;
  first_pending_ = total > 0;
  last_ = static_cast<U>(first_value);
  pos_ = header_size;
  miniblock_index_ = miniblocks_;  // the first miniblock needs a block header
  return Status::OK();
}

template <typename T>
Status DeltaBinaryPackedDecoder<T>::NextMiniblock() {
  if (miniblock_index_ == miniblocks_) {
    const size_t block_at = pos_;
    uint64_t min_delta;
    if (!ReadUleb(data_, size_, &pos_, &min_delta)) {
      return Corrupt(block_at, "truncated or overlong min delta");
    }
    // INT32 min deltas wrap to 32 bits, as the deltas themselves do.
    min_delta_ = static_cast<U>(UnZigZag(min_delta));
    if (miniblocks_ > size_ - pos_) {
      return Corrupt(pos_, "block needs " + std::to_string(miniblocks_) + " width bytes, only " +
                               std::to_string(size_ - pos_) + " remain");
    }
    widths_at_ = pos_;
    pos_ += miniblocks_;
    miniblock_index_ = 0;
  }
  const size_t width_at = widths_at_ + miniblock_index_;
  const int width = data_[width_at];
  if (width > kMaxWidth) {
    return Corrupt(width_at, "miniblock bit width " + std::to_string(width) + " exceeds " +
                                 std::to_string(kMaxWidth));
  }
  const uint64_t bytes = miniblock_values_ * static_cast<uint64_t>(width) / 8;
  if (bytes > size_ - pos_) {
    return Corrupt(pos_, "miniblock at bit width " + std::to_string(width) + " needs " +
                             std::to_string(bytes) + " bytes, only " +
                             std::to_string(size_ - pos_) + " remain");
  }
  width_ = width;
  miniblock_left_ = miniblock_values_;
  miniblock_index_++;
  return Status::OK();
}

template <typename T>
Result<size_t> DeltaBinaryPackedDecoder<T>::GetBatch(T* out, size_t n) {
  n = static_cast<size_t>(std::min<uint64_t>(n, values_left_));
  size_t done = 0;
  if (n > 0 && first_pending_) {
    out[0] = static_cast<T>(last_);
    first_pending_ = false;
    done = 1;
  }
  // T and U are the signed and unsigned forms of one type, which may alias: the deltas are
  // unpacked straight into out and summed in place.
  U* const values = reinterpret_cast<U*>(out);
  U last = last_;
  while (done < n) {
    if (group_pos_ < group_size_) {
      const size_t k = std::min<size_t>(n - done, group_size_ - group_pos_);
      const U min_delta = min_delta_;
      for (size_t i = 0; i < k; i++) {
        last += group_[group_pos_ + i] + min_delta;
        values[done + i] = last;
      }
      group_pos_ += static_cast<int>(k);
      done += k;
      continue;
    }
    if (miniblock_left_ == 0) {
      last_ = last;
      Status s = NextMiniblock();
      if (!s.ok()) {
        values_left_ -= done;
        return s;
      }
      continue;  // min_delta_ may have changed
    }
    const size_t want = n - done;
    if (want >= static_cast<size_t>(kGroup)) {
      const size_t count = std::min<uint64_t>(want, miniblock_left_) / kGroup * kGroup;
      U* const dst = values + done;
      UnpackDeltas(data_ + pos_, count, width_, dst);
      pos_ += count * static_cast<size_t>(width_) / 8;
      miniblock_left_ -= count;
      // A local copy: stores through dst could alias min_delta_ as far as the compiler knows.
      const U min_delta = min_delta_;
      for (size_t i = 0; i < count; i++) {
        last += dst[i] + min_delta;
        dst[i] = last;
      }
      done += count;
    } else {
      UnpackDeltas(data_ + pos_, kGroup, width_, group_);
      pos_ += static_cast<size_t>(kGroup) * static_cast<size_t>(width_) / 8;
      miniblock_left_ -= kGroup;
      group_pos_ = 0;
      group_size_ = kGroup;
    }
  }
  last_ = last;
  values_left_ -= n;
  return n;
}

template class DeltaBinaryPackedDecoder<int32_t>;
template class DeltaBinaryPackedDecoder<int64_t>;

}  // namespace strata::parquet
