#include "memtable/internal_key.h"

#include <cassert>
#include <cstring>

#include "base/coding.h"

namespace strata::memtable {

namespace {

// The trailer of a shortened key: the highest (sequence, type) pair, which sorts before
// every real version of the same user key.
const uint64_t kShortenedTrailer =
    (kMaxSequenceNumber << 8) | static_cast<uint64_t>(ValueType::kValue);

uint64_t ExtractTrailer(const Slice& internal_key) {
  assert(internal_key.size() >= kInternalKeyTrailerSize);
  return DecodeFixed64(internal_key.data() + internal_key.size() - kInternalKeyTrailerSize);
}

}  // namespace

uint64_t PackSequenceAndType(SequenceNumber sequence, ValueType type) {
  assert(sequence <= kMaxSequenceNumber);
  return (sequence << 8) | static_cast<uint64_t>(type);
}

void AppendInternalKey(std::string* dst, const ParsedInternalKey& key) {
  dst->append(key.user_key.data(), key.user_key.size());
  PutFixed64(dst, PackSequenceAndType(key.sequence, key.type));
}

bool ParseInternalKey(const Slice& internal_key, ParsedInternalKey* result) {
  if (internal_key.size() < kInternalKeyTrailerSize) return false;
  const uint64_t trailer = ExtractTrailer(internal_key);
  const auto type = static_cast<uint8_t>(trailer & 0xff);
  if (type > static_cast<uint8_t>(ValueType::kValue)) return false;
  result->user_key = ExtractUserKey(internal_key);
  result->sequence = trailer >> 8;
  result->type = static_cast<ValueType>(type);
  return true;
}

void InternalKeyComparator::FindShortestSeparator(std::string* start, const Slice& limit) const {
  const Slice user_start = ExtractUserKey(*start);
  const Slice user_limit = ExtractUserKey(limit);
  std::string shortened(user_start.data(), user_start.size());
  user_comparator_->FindShortestSeparator(&shortened, user_limit);
  // Checked rather than trusted: a user comparator that strays outside
  // (user_start, user_limit) would otherwise break the index that uses the separator.
  // Strictly greater than user_start makes any trailer lie above *start; strictly less than
  // user_limit makes any trailer lie below limit.
  if (shortened.size() < user_start.size() &&
      user_comparator_->Compare(user_start, shortened) < 0 &&
      user_comparator_->Compare(shortened, user_limit) < 0) {
    PutFixed64(&shortened, kShortenedTrailer);
    assert(Compare(*start, shortened) < 0);
    assert(Compare(shortened, limit) < 0);
    start->swap(shortened);
  }
}

void InternalKeyComparator::FindShortSuccessor(std::string* key) const {
  const Slice user_key = ExtractUserKey(*key);
  std::string shortened(user_key.data(), user_key.size());
  user_comparator_->FindShortSuccessor(&shortened);
  if (shortened.size() < user_key.size() && user_comparator_->Compare(user_key, shortened) < 0) {
    PutFixed64(&shortened, kShortenedTrailer);
    assert(Compare(*key, shortened) < 0);
    key->swap(shortened);
  }
}

LookupKey::LookupKey(const Slice& user_key, SequenceNumber sequence) {
  const size_t internal_size = user_key.size() + kInternalKeyTrailerSize;
  const size_t needed = kMaxVarint32Bytes + internal_size;
  char* dst = inline_;
  if (needed > kInlineSize) {
    heap_ = std::make_unique_for_overwrite<char[]>(needed);
    dst = heap_.get();
  }
  start_ = dst;
  dst = EncodeVarint32(dst, static_cast<uint32_t>(internal_size));
  key_start_ = dst;
  if (!user_key.empty()) std::memcpy(dst, user_key.data(), user_key.size());
  dst += user_key.size();
  EncodeFixed64(dst, PackSequenceAndType(sequence, kValueTypeForSeek));
  end_ = dst + kInternalKeyTrailerSize;
}

}  // namespace strata::memtable
