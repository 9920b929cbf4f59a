#include "parquet/dictionary_encoder.h"

#include <xxhash.h>

#include <cstring>

#include "parquet/byte_order.h"
#include "parquet/plain_encoding.h"

namespace strata::parquet {

namespace {

constexpr size_t kInitialSlots = 1024;

}  // namespace

DictionaryEncoder::DictionaryEncoder(Type physical, int32_t type_length)
    : physical_(physical), width_(FixedWidth(physical, type_length)) {
  Clear();
}

void DictionaryEncoder::Clear() {
  slots_.assign(kInitialSlots, kEmpty);
  slot_hashes_.assign(kInitialSlots, 0);
  mask_ = kInitialSlots - 1;
  count_ = 0;
  bytes_.clear();
  offsets_.assign(1, 0);
  plain_bytes_ = 0;
}

uint64_t DictionaryEncoder::HashOf(std::string_view v) const {
  if (width_ == 8) {
    // A strong mix of the 64-bit pattern is cheaper than a general hash.
    uint64_t x;
    std::memcpy(&x, v.data(), 8);
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdull;
    x ^= x >> 33;
    x *= 0xc4ceb9fe1a85ec53ull;
    return x ^ (x >> 33);
  }
  if (width_ == 4) {
    uint32_t y;
    std::memcpy(&y, v.data(), 4);
    uint64_t x = y * 0x9e3779b97f4a7c15ull;
    return x ^ (x >> 29);
  }
  return XXH3_64bits(v.data(), v.size());
}

std::string_view DictionaryEncoder::Value(uint32_t i) const {
  if (width_ > 0) return {bytes_.data() + size_t{i} * width_, width_};
  return {bytes_.data() + offsets_[i], static_cast<size_t>(offsets_[i + 1] - offsets_[i])};
}

void DictionaryEncoder::Grow() {
  const size_t n = slots_.size() * 2;
  std::vector<uint32_t> slots(n, kEmpty);
  std::vector<uint64_t> hashes(n, 0);
  const size_t mask = n - 1;
  for (size_t s = 0; s < slots_.size(); s++) {
    if (slots_[s] == kEmpty) continue;
    size_t p = slot_hashes_[s] & mask;
    while (slots[p] != kEmpty) p = (p + 1) & mask;
    slots[p] = slots_[s];
    hashes[p] = slot_hashes_[s];
  }
  slots_.swap(slots);
  slot_hashes_.swap(hashes);
  mask_ = mask;
}

uint32_t DictionaryEncoder::Lookup(std::string_view v, uint64_t hash) {
  size_t p = hash & mask_;
  while (true) {
    const uint32_t index = slots_[p];
    if (index == kEmpty) break;
    if (slot_hashes_[p] == hash && EqualBytes(Value(index), v)) return index;
    p = (p + 1) & mask_;
  }
  const uint32_t index = count_++;
  slots_[p] = index;
  slot_hashes_[p] = hash;
  bytes_.append(v.data(), v.size());
  if (width_ == 0) {
    offsets_.push_back(bytes_.size());
    plain_bytes_ += 4 + v.size();
  } else {
    plain_bytes_ += physical_ == Type::kBoolean ? 1 : v.size();
  }
  // Keep the load factor under 1/2 so probes stay short.
  if (size_t{count_} * 2 > slots_.size()) Grow();
  return index;
}

void DictionaryEncoder::Encode(const ColumnVector& values, size_t begin, size_t end,
                               std::vector<uint32_t>* indices) {
  const uint8_t* valid = values.validity();
  indices->reserve(indices->size() + (end - begin));
  // Runs of one value (a constant column, a sorted low-cardinality one) skip the hash table:
  // a value equal to the previous one gets the previous index.
  uint32_t last = kEmpty;
  if (width_ > 0) {
    const char* base = reinterpret_cast<const char*>(values.data<uint8_t>());
    for (size_t i = begin; i < end; i++) {
      if (valid != nullptr && valid[i] == 0) continue;
      const std::string_view v(base + i * width_, width_);
      if (last == kEmpty || !EqualBytes(Value(last), v)) {
        last = Lookup(v, HashOf(v));
      }
      indices->push_back(last);
    }
    return;
  }
  for (size_t i = begin; i < end; i++) {
    if (valid != nullptr && valid[i] == 0) continue;
    const std::string_view v = values.Bytes(i);
    if (last == kEmpty || !EqualBytes(Value(last), v)) last = Lookup(v, HashOf(v));
    indices->push_back(last);
  }
}

void DictionaryEncoder::WritePlain(std::string* dst) const {
  switch (physical_) {
    case Type::kBoolean: {
      // Dictionaries of booleans are legal if pointless; keep the PLAIN bit packing.
      PlainEncodeBooleans(reinterpret_cast<const uint8_t*>(bytes_.data()), count_, dst);
      return;
    }
    case Type::kByteArray: {
      dst->reserve(dst->size() + plain_bytes_);
      for (uint32_t i = 0; i < count_; i++) {
        const std::string_view v = Value(i);
        const auto len = static_cast<uint32_t>(v.size());
        dst->append(reinterpret_cast<const char*>(&len), 4);
        dst->append(v.data(), v.size());
      }
      return;
    }
    default:
      // Fixed width: the values back to back are their PLAIN encoding.
      dst->append(bytes_);
      return;
  }
}

}  // namespace strata::parquet
