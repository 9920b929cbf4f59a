// Internal keys: how the engine tells apart the versions of one user key.
//
// An internal key is the user key followed by an 8-byte little-endian trailer that packs
// `sequence << 8 | type`. Every write gets a fresh sequence number, so (user key, sequence)
// names one version. Internal keys sort by user key ascending, then by sequence DESCENDING
// (the newest version first), then by type descending; a reader at snapshot S therefore
// finds the version it must see by seeking to (user key, S) and taking the first entry.
//
// The memtable stores an internal key with a varint32 length in front of it (the "memtable
// key"); LookupKey builds both forms for a Get.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>

#include "strata/comparator.h"
#include "strata/slice.h"

namespace strata::memtable {

// The byte values are part of the on-disk format (WAL, SSTables): never renumber them.
enum class ValueType : uint8_t { kDeletion = 0, kValue = 1 };

// The type a lookup key carries. Among entries with the same user key and sequence, the one
// with the highest type sorts first, so a seek for (key, seq, kValueTypeForSeek) lands at or
// before every entry with that key and a sequence <= seq.
constexpr ValueType kValueTypeForSeek = ValueType::kValue;

using SequenceNumber = uint64_t;
// Sequences take 56 bits so that the type fits into the low byte of the trailer.
constexpr SequenceNumber kMaxSequenceNumber = (1ull << 56) - 1;

constexpr size_t kInternalKeyTrailerSize = 8;

struct ParsedInternalKey {
  Slice user_key;
  SequenceNumber sequence = 0;
  ValueType type = ValueType::kValue;
};

// The trailer value for (sequence, type); sequence must be <= kMaxSequenceNumber.
uint64_t PackSequenceAndType(SequenceNumber sequence, ValueType type);

// Appends the internal key for `key` to *dst.
void AppendInternalKey(std::string* dst, const ParsedInternalKey& key);

// Splits an internal key. False if it is shorter than the trailer or the type is unknown;
// *result is then unspecified. On success result->user_key points into internal_key.
[[nodiscard]] bool ParseInternalKey(const Slice& internal_key, ParsedInternalKey* result);

// The user key part. internal_key must be at least kInternalKeyTrailerSize bytes long.
inline Slice ExtractUserKey(const Slice& internal_key) {
  return Slice(internal_key.data(), internal_key.size() - kInternalKeyTrailerSize);
}

static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__, "Strata assumes a little-endian host");

// Orders internal keys as described at the top of this file. The user comparator must
// outlive this object.
class InternalKeyComparator final : public Comparator {
 public:
  explicit InternalKeyComparator(const Comparator* user_comparator)
      : user_comparator_(user_comparator), bytewise_(user_comparator == BytewiseComparator()) {}

  // Both arguments must be internal keys (at least kInternalKeyTrailerSize bytes). Inline,
  // with the bytewise order compared directly: this runs in every seek step of every read.
  int Compare(const Slice& a, const Slice& b) const override {
    const Slice ua = ExtractUserKey(a);
    const Slice ub = ExtractUserKey(b);
    const int r = bytewise_ ? ua.compare(ub) : user_comparator_->Compare(ua, ub);
    if (r != 0) return r;
    // Sequence and type share the trailer with the sequence in the high bits, so comparing
    // the trailers as numbers orders by sequence, then type; descending: larger sorts first.
    const uint64_t ta = DecodeTrailer(a);
    const uint64_t tb = DecodeTrailer(b);
    return ta > tb ? -1 : (ta < tb ? +1 : 0);
  }
  const char* Name() const override { return "strata.InternalKeyComparator"; }

  // Both shorten only the user key part, and only when the user comparator makes it
  // strictly shorter and strictly greater; the result then carries the trailer
  // (kMaxSequenceNumber, kValue), which sorts first among the versions of its user key, so
  // it is still above *start. Otherwise the key is left unchanged, which is always correct.
  void FindShortestSeparator(std::string* start, const Slice& limit) const override;
  void FindShortSuccessor(std::string* key) const override;

  const Comparator* user_comparator() const { return user_comparator_; }

 private:
  static uint64_t DecodeTrailer(const Slice& internal_key) {
    uint64_t trailer;
    std::memcpy(&trailer, internal_key.data() + internal_key.size() - kInternalKeyTrailerSize,
                sizeof(trailer));
    return trailer;  // the trailer is little-endian, like the host (asserted below)
  }

  const Comparator* const user_comparator_;
  const bool bytewise_;  // user_comparator_ is BytewiseComparator()
};

// The key a memtable Get looks for: (user_key, sequence) encoded once, in memtable form
// (varint32 length of the internal key, then the internal key) and as a bare internal key.
// Short keys live in an inline buffer, longer ones in one heap allocation.
class LookupKey {
 public:
  LookupKey(const Slice& user_key, SequenceNumber sequence);
  LookupKey(const LookupKey&) = delete;
  LookupKey& operator=(const LookupKey&) = delete;

  // Varint32 length followed by the internal key: the format of a memtable entry's key.
  Slice memtable_key() const { return Slice(start_, end_ - start_); }
  Slice internal_key() const { return Slice(key_start_, end_ - key_start_); }
  Slice user_key() const { return Slice(key_start_, end_ - key_start_ - kInternalKeyTrailerSize); }

 private:
  // Enough for the common case (user keys up to ~100 bytes) without touching the heap.
  static constexpr size_t kInlineSize = 128;

  // [start_, end_) is the memtable key; key_start_ is where the internal key begins.
  const char* start_;
  const char* key_start_;
  const char* end_;
  char inline_[kInlineSize];
  std::unique_ptr<char[]> heap_;  // used when the key does not fit in inline_
};

}  // namespace strata::memtable
