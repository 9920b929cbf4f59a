#include "parquet/rle_bit_packed.h"

#include <algorithm>
#include <cstring>
#include <limits>

#include "base/coding.h"
#include "parquet/bit_packing.h"

namespace strata::parquet {

namespace {

constexpr size_t kGroup = 8;
// The most groups one bit-packed run header may announce: 8 * groups <= kMaxRleRunLength.
constexpr uint32_t kMaxGroupsPerRun = kMaxRleRunLength / kGroup;

size_t RleValueBytes(int bit_width) { return (static_cast<size_t>(bit_width) + 7) / 8; }

// ---------------------------------------------------------------------------------------
// Encoder

// Appends the bit-packed runs for values[0, n), splitting runs longer than the format allows.
// Only the last group of the last run is padded.
template <typename T>
void EmitBitPacked(const T* values, size_t n, int bit_width, std::string* dst) {
  while (n > 0) {
    const size_t groups = std::min<size_t>((n + kGroup - 1) / kGroup, kMaxGroupsPerRun);
    const size_t count = std::min(n, groups * kGroup);
    PutVarint32(dst, static_cast<uint32_t>(groups << 1 | 1));
    const size_t at = dst->size();
    // resize zero-fills, which provides the padding bytes of a partial last group.
    dst->resize(at + groups * static_cast<size_t>(bit_width));
    uint8_t* out = reinterpret_cast<uint8_t*>(dst->data()) + at;
    if constexpr (sizeof(T) == sizeof(uint32_t)) {
      Pack32(values, count, bit_width, out);
    } else {
      // Widen in chunks of a multiple of 8 values, so each chunk ends on a byte boundary.
      constexpr size_t kChunk = 256;
      uint32_t wide[kChunk];
      for (size_t done = 0; done < count; done += kChunk) {
        const size_t k = std::min(kChunk, count - done);
        std::copy_n(values + done, k, wide);
        Pack32(wide, k, bit_width, out + done / kGroup * static_cast<size_t>(bit_width));
      }
    }
    values += count;
    n -= count;
  }
}

void EmitRle(uint32_t value, size_t count, int bit_width, std::string* dst) {
  char bytes[4];
  EncodeFixed32(bytes, value);
  while (count > 0) {
    const uint32_t run = static_cast<uint32_t>(std::min<size_t>(count, kMaxRleRunLength));
    PutVarint32(dst, run << 1);
    dst->append(bytes, RleValueBytes(bit_width));
    count -= run;
  }
}

template <typename T>
Status EncodeImpl(const T* values, size_t n, int bit_width, std::string* dst) {
  if (bit_width < 0 || bit_width > kMaxBitWidth32) {
    return Status::InvalidArgument("RLE/bit-packed encoding: bit width " +
                                   std::to_string(bit_width) + " is outside [0, 32]");
  }
  // One OR over all values checks that they fit (it vectorizes; a per-run check would not).
  uint32_t all_bits = 0;
  for (size_t i = 0; i < n; i++) all_bits |= values[i];
  if (BitWidthOf(all_bits) > bit_width) {
    return Status::InvalidArgument("RLE/bit-packed encoding: a value needs more than " +
                                   std::to_string(bit_width) + " bits");
  }

  // values[literal_start, i) are waiting to be bit-packed.
  size_t literal_start = 0;
  size_t i = 0;
  while (i < n) {
    size_t j = i + 1;
    while (j < n && values[j] == values[i]) j++;
    const size_t repeat = j - i;
    if (repeat >= kMinRleRunLength) {
      // A bit-packed run holds whole groups of 8; borrow from the repeat to fill the last one
      // rather than pad it, as padding would put false values in the middle of the data.
      const size_t pending = i - literal_start;
      const size_t borrow = (kGroup - pending % kGroup) % kGroup;
      if (repeat - borrow >= kMinRleRunLength) {
        EmitBitPacked(values + literal_start, pending + borrow, bit_width, dst);
        EmitRle(values[i], repeat - borrow, bit_width, dst);
        literal_start = j;
      }
    }
    i = j;
  }
  EmitBitPacked(values + literal_start, n - literal_start, bit_width, dst);
  return Status::OK();
}

template <typename T>
Status EncodeWithLengthImpl(const T* values, size_t n, int bit_width, std::string* dst) {
  const size_t at = dst->size();
  dst->append(kRleLengthPrefixSize, '\0');
  Status s = EncodeImpl(values, n, bit_width, dst);
  const size_t length = dst->size() - at - kRleLengthPrefixSize;
  if (s.ok() && length > std::numeric_limits<uint32_t>::max()) {
    s = Status::InvalidArgument("RLE/bit-packed encoding of " + std::to_string(length) +
                                " bytes does not fit its 4-byte length prefix");
  }
  if (!s.ok()) {
    dst->resize(at);
    return s;
  }
  EncodeFixed32(dst->data() + at, static_cast<uint32_t>(length));
  return Status::OK();
}

}  // namespace

Status RleBitPackedEncode(const uint32_t* values, size_t n, int bit_width, std::string* dst) {
  const size_t at = dst->size();
  Status s = EncodeImpl(values, n, bit_width, dst);
  if (!s.ok()) dst->resize(at);
  return s;
}

Status RleBitPackedEncode(const uint8_t* values, size_t n, int bit_width, std::string* dst) {
  const size_t at = dst->size();
  Status s = EncodeImpl(values, n, bit_width, dst);
  if (!s.ok()) dst->resize(at);
  return s;
}

Status RleBitPackedEncodeWithLength(const uint32_t* values, size_t n, int bit_width,
                                    std::string* dst) {
  return EncodeWithLengthImpl(values, n, bit_width, dst);
}

Status RleBitPackedEncodeWithLength(const uint8_t* values, size_t n, int bit_width,
                                    std::string* dst) {
  return EncodeWithLengthImpl(values, n, bit_width, dst);
}

Result<size_t> ParseRleLengthPrefix(const uint8_t* data, size_t size) {
  if (size < kRleLengthPrefixSize) {
    return Status::Corruption("RLE/bit-packed length prefix at byte offset 0: " +
                              std::to_string(size) + " bytes, need 4");
  }
  const uint32_t length = DecodeFixed32(reinterpret_cast<const char*>(data));
  if (length > size - kRleLengthPrefixSize) {
    return Status::Corruption("RLE/bit-packed length prefix at byte offset 0 claims " +
                              std::to_string(length) + " bytes, only " +
                              std::to_string(size - kRleLengthPrefixSize) + " follow");
  }
  return static_cast<size_t>(length);
}

// ---------------------------------------------------------------------------------------
// Decoder

Status RleBitPackedDecoder::Init(const uint8_t* data, size_t size, int bit_width) {
  if (bit_width < 0 || bit_width > kMaxBitWidth32) {
    end_ = true;
    return Status::InvalidArgument("RLE/bit-packed decoding: bit width " +
                                   std::to_string(bit_width) + " is outside [0, 32]");
  }
  data_ = data;
  size_ = size;
  pos_ = 0;
  bit_width_ = bit_width;
  end_ = false;
  values_read_ = 0;
  run_at_ = 0;
  rle_left_ = 0;
  packed_left_ = 0;
  group_pos_ = group_size_ = 0;
  return Status::OK();
}

Status RleBitPackedDecoder::InitDictionaryIndices(const uint8_t* data, size_t size) {
  if (size == 0) {
    end_ = true;
    return Status::Corruption("RLE dictionary indices at byte offset 0: no bit width byte");
  }
  if (data[0] > kMaxBitWidth32) {
    end_ = true;
    return Status::Corruption("RLE dictionary indices at byte offset 0: bit width " +
                              std::to_string(data[0]) + " exceeds 32");
  }
  Status s = Init(data, size, data[0]);
  pos_ = 1;  // offsets stay relative to data, width byte included
  return s;
}

Status RleBitPackedDecoder::Corrupt(size_t offset, const std::string& what) const {
  return Status::Corruption("RLE/bit-packed data (bit width " + std::to_string(bit_width_) +
                            ") at byte offset " + std::to_string(offset) + ": " + what);
}

Status RleBitPackedDecoder::NextRun() {
  if (end_ || pos_ >= size_) {
    end_ = true;
    return Status::OK();
  }
  const size_t header_at = pos_;
  run_at_ = header_at;
  const char* begin = reinterpret_cast<const char*>(data_);
  uint32_t header;
  const char* p = GetVarint32Ptr(begin + pos_, begin + size_, &header);
  if (p == nullptr) {
    end_ = true;
    return Corrupt(header_at, "truncated or overlong run header");
  }
  pos_ = static_cast<size_t>(p - begin);
  const size_t remaining = size_ - pos_;
  const uint32_t count = header >> 1;  // < 2^31 by construction
  if (count == 0) {
    end_ = true;
    return Corrupt(header_at, "run header announces 0 values");
  }

  if ((header & 1) == 0) {
    const size_t value_bytes = RleValueBytes(bit_width_);
    if (value_bytes > remaining) {
      end_ = true;
      return Corrupt(header_at, "RLE run value needs " + std::to_string(value_bytes) +
                                    " bytes, only " + std::to_string(remaining) + " remain");
    }
    uint32_t value = 0;
    if (value_bytes > 0) std::memcpy(&value, data_ + pos_, value_bytes);  // little-endian host
    if (BitWidthOf(value) > bit_width_) {
      end_ = true;
      return Corrupt(header_at, "RLE run value " + std::to_string(value) + " does not fit");
    }
    pos_ += value_bytes;
    rle_value_ = value;
    rle_left_ = count;
    return Status::OK();
  }

  if (count > kMaxGroupsPerRun) {
    end_ = true;
    return Corrupt(header_at, "bit-packed run of " + std::to_string(count) +
                                  " groups exceeds the 2^31 - 1 value limit");
  }
  const uint64_t needed = uint64_t{count} * static_cast<uint64_t>(bit_width_);
  if (needed <= remaining) {
    packed_left_ = count * static_cast<uint32_t>(kGroup);
    return Status::OK();
  }
  // The run is cut short by the end of the data: keep the values that are wholly present and
  // make this the last run.
  const uint64_t present = uint64_t{remaining} * 8 / static_cast<uint64_t>(bit_width_);
  if (present == 0) {
    end_ = true;
    return Corrupt(header_at, "bit-packed run of " + std::to_string(count) + " groups needs " +
                                  std::to_string(needed) + " bytes, only " +
                                  std::to_string(remaining) + " remain");
  }
  packed_left_ = static_cast<uint32_t>(present);  // < 8 * count, so it fits
  size_ = pos_ + BitPackedSize(present, bit_width_);
  return Status::OK();
}

template <typename T>
void RleBitPackedDecoder::UnpackGroups(T* out, size_t count) {
  const uint8_t* in = data_ + pos_;
  if constexpr (sizeof(T) == sizeof(uint32_t)) {
    Unpack32(in, count, bit_width_, out);
  } else if (bit_width_ == 1) {
    UnpackBits(in, count, out);
  } else {
    constexpr size_t kChunk = 256;  // a multiple of 8, so chunks start on byte boundaries
    uint32_t wide[kChunk];
    for (size_t done = 0; done < count; done += kChunk) {
      const size_t k = std::min(kChunk, count - done);
      Unpack32(in + done / kGroup * static_cast<size_t>(bit_width_), k, bit_width_, wide);
      for (size_t i = 0; i < k; i++) out[done + i] = static_cast<T>(wide[i]);
    }
  }
  pos_ += count / kGroup * static_cast<size_t>(bit_width_);
  packed_left_ -= static_cast<uint32_t>(count);
}

void RleBitPackedDecoder::BufferGroup() {
  const size_t k = std::min<size_t>(kGroup, packed_left_);
  Unpack32(data_ + pos_, k, bit_width_, group_);
  pos_ += BitPackedSize(k, bit_width_);
  packed_left_ -= static_cast<uint32_t>(k);
  group_pos_ = 0;
  group_size_ = static_cast<int>(k);
}

namespace {

// What Decode checks in the values it produces. Each stretch it produces is either one RLE
// value repeated (checked once, however long the run) or bit-packed values already in out
// (checked in one pass over them). Ok() decides a single value; Error() describes a bad one.
struct NoCheck {
  bool Repeated(uint32_t, size_t) { return true; }
  template <typename T>
  bool Values(const T*, size_t) {
    return true;
  }
  bool Ok(uint32_t) const { return true; }
  Status Error(uint32_t, uint64_t, size_t) const { return Status::OK(); }
};

struct IndexCheck {
  uint32_t dictionary_size;

  bool Ok(uint32_t index) const { return index < dictionary_size; }
  bool Repeated(uint32_t index, size_t) const { return Ok(index); }
  bool Values(const uint32_t* p, size_t k) const {
    uint32_t max = 0;  // a branch-free maximum; the culprit is looked for only on failure
    for (size_t i = 0; i < k; i++) max = std::max(max, p[i]);
    return k == 0 || max < dictionary_size;
  }
  Status Error(uint32_t index, uint64_t value, size_t offset) const {
    return Status::Corruption("RLE/bit-packed dictionary indices: index " + std::to_string(index) +
                              " of value " + std::to_string(value) +
                              " is out of range for a dictionary of " +
                              std::to_string(dictionary_size) + " entries (run at byte offset " +
                              std::to_string(offset) + ")");
  }
};

// Levels: none may exceed the maximum, and those equal to it are counted.
struct LevelCheck {
  uint8_t max_level;
  size_t at_max = 0;

  bool Ok(uint32_t level) const { return level <= max_level; }
  bool Repeated(uint32_t level, size_t count) {
    if (level > max_level) return false;
    if (level == max_level) at_max += count;
    return true;
  }
  bool Values(const uint8_t* p, size_t k) {
    constexpr uint64_t kOnes = 0x0101010101010101;
    constexpr uint64_t kLow7 = 0x7F7F7F7F7F7F7F7F;
    constexpr uint64_t kHigh = 0x8080808080808080;
    size_t i = 0;
    size_t count = 0;
    if (max_level < 128) {
      // Eight levels per step. A byte b exceeds max_level iff its top bit is set or its low
      // 7 bits plus (127 - max_level) reach 128; that sum stays below 256, so no byte carries
      // into the next. A byte equal to max_level is a zero byte of w ^ max_level, found the
      // same carry-free way; the marks are summed with one multiply.
      const uint64_t max_bytes = kOnes * max_level;
      const uint64_t over_bias = kOnes * (127u - max_level);
      uint64_t over = 0;
      for (; i + 8 <= k; i += 8) {
        uint64_t w;
        std::memcpy(&w, p + i, 8);
        over |= ((w & kLow7) + over_bias) | w;
        const uint64_t x = w ^ max_bytes;
        const uint64_t zero_bytes = ~(((x & kLow7) + kLow7) | x | kLow7);
        count += ((zero_bytes >> 7) * kOnes) >> 56;
      }
      if ((over & kHigh) != 0) return false;
    }
    for (; i < k; i++) {
      if (p[i] > max_level) return false;
      count += p[i] == max_level;
    }
    at_max += count;
    return true;
  }
  Status Error(uint32_t level, uint64_t value, size_t offset) const {
    return Status::Corruption("RLE/bit-packed levels: level " + std::to_string(level) +
                              " of value " + std::to_string(value) + " exceeds the maximum " +
                              std::to_string(max_level) + " (run at byte offset " +
                              std::to_string(offset) + ")");
  }
};

}  // namespace

template <typename T, typename Check>
Result<size_t> RleBitPackedDecoder::Decode(T* out, size_t n, Check* check) {
  size_t done = 0;
  // Reports the first value of out[from, from + k) that fails the check.
  auto fail = [&](size_t from, size_t k) -> Status {
    for (size_t i = from; i < from + k; i++) {
      if (!check->Ok(out[i])) return check->Error(out[i], values_read_ + i, run_at_);
    }
    return check->Error(0, values_read_ + from, run_at_);  // unreachable: a value failed
  };
  while (done < n) {
    const size_t want = n - done;
    if (group_pos_ < group_size_) {
      const size_t k = std::min<size_t>(want, group_size_ - group_pos_);
      for (size_t i = 0; i < k; i++) out[done + i] = static_cast<T>(group_[group_pos_ + i]);
      if (!check->Values(out + done, k)) return fail(done, k);
      group_pos_ += static_cast<int>(k);
      done += k;
    } else if (rle_left_ > 0) {
      const size_t k = std::min<size_t>(want, rle_left_);
      if (!check->Repeated(rle_value_, k)) {
        return check->Error(rle_value_, values_read_ + done, run_at_);
      }
      std::fill_n(out + done, k, static_cast<T>(rle_value_));
      rle_left_ -= static_cast<uint32_t>(k);
      done += k;
    } else if (packed_left_ > 0) {
      const size_t whole = std::min<size_t>(want, packed_left_) / kGroup * kGroup;
      if (whole > 0) {
        UnpackGroups(out + done, whole);
        if (!check->Values(out + done, whole)) return fail(done, whole);
        done += whole;
      } else {
        BufferGroup();
      }
    } else {
      Status s = NextRun();
      if (!s.ok()) {
        values_read_ += done;
        return s;
      }
      if (end_) break;
    }
  }
  values_read_ += done;
  return done;
}

Result<size_t> RleBitPackedDecoder::GetBatch(uint32_t* out, size_t n) {
  NoCheck check;
  return Decode(out, n, &check);
}

Result<size_t> RleBitPackedDecoder::GetIndices(uint32_t* out, size_t n, uint32_t dictionary_size) {
  IndexCheck check{dictionary_size};
  return Decode(out, n, &check);
}

Result<size_t> RleBitPackedDecoder::GetLevels(uint8_t* out, size_t n, int max_level,
                                              size_t* num_at_max) {
  if (bit_width_ > 8 || max_level < 0 || max_level > 255) {
    return Status::InvalidArgument("RLE/bit-packed levels: bit width " +
                                   std::to_string(bit_width_) + ", max level " +
                                   std::to_string(max_level));
  }
  LevelCheck check{static_cast<uint8_t>(max_level)};
  Result<size_t> r = Decode(out, n, &check);
  if (r.ok() && num_at_max != nullptr) *num_at_max += check.at_max;
  return r;
}

Result<size_t> RleBitPackedDecoder::Skip(size_t n) {
  size_t done = 0;
  while (done < n) {
    const size_t want = n - done;
    if (group_pos_ < group_size_) {
      const size_t k = std::min<size_t>(want, group_size_ - group_pos_);
      group_pos_ += static_cast<int>(k);
      done += k;
    } else if (rle_left_ > 0) {
      const size_t k = std::min<size_t>(want, rle_left_);
      rle_left_ -= static_cast<uint32_t>(k);
      done += k;
    } else if (packed_left_ > 0) {
      const size_t whole = std::min<size_t>(want, packed_left_) / kGroup * kGroup;
      if (whole > 0) {
        pos_ += whole / kGroup * static_cast<size_t>(bit_width_);
        packed_left_ -= static_cast<uint32_t>(whole);
        done += whole;
      } else {
        BufferGroup();
      }
    } else {
      Status s = NextRun();
      if (!s.ok()) {
        values_read_ += done;
        return s;
      }
      if (end_) break;
    }
  }
  values_read_ += done;
  return done;
}

}  // namespace strata::parquet
