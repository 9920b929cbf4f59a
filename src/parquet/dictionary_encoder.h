// DictionaryEncoder: maps a column chunk's values to dictionary indices, in order of first
// appearance, for RLE_DICTIONARY data pages; the dictionary page holds the distinct values
// PLAIN-encoded.
//
// Values are keyed by their bytes (the bit pattern for numbers, so -0.0 and +0.0, or two NaN
// payloads, are distinct entries: the column reads back exactly as written). The table is
// open addressing with linear probing over 64-bit hashes; byte-array values are copied once
// into one arena.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "parquet/column_batch.h"
#include "parquet/metadata.h"

namespace strata::parquet {

class DictionaryEncoder {
 public:
  DictionaryEncoder(Type physical, int32_t type_length);

  // Appends the index of each valid row of values[begin, end) to *indices (nulls have no
  // index), adding new values to the dictionary.
  void Encode(const ColumnVector& values, size_t begin, size_t end, std::vector<uint32_t>* indices);

  size_t size() const { return count_; }
  // Bytes of the dictionary page's PLAIN values.
  size_t plain_bytes() const { return plain_bytes_; }
  // The dictionary page payload (PLAIN).
  void WritePlain(std::string* dst) const;
  // Value i as PLAIN bytes (without a length prefix for byte arrays).
  std::string_view Value(uint32_t i) const;

  void Clear();

 private:
  static constexpr uint32_t kEmpty = 0xffffffffu;

  uint64_t HashOf(std::string_view v) const;
  // Index of v, adding it if new.
  uint32_t Lookup(std::string_view v, uint64_t hash);
  void Grow();

  const Type physical_;
  const size_t width_;  // bytes per value for fixed-width types; 0 for BYTE_ARRAY
  // Slots hold indices (kEmpty for none); slot_hashes_ the hash of the value in each slot.
  std::vector<uint32_t> slots_;
  std::vector<uint64_t> slot_hashes_;
  size_t mask_ = 0;
  uint32_t count_ = 0;
  // The values in index order: fixed-width values back to back, or byte arrays in bytes_
  // with their offsets (count_ + 1) in offsets_.
  std::string bytes_;
  std::vector<uint64_t> offsets_;
  size_t plain_bytes_ = 0;
};

}  // namespace strata::parquet
