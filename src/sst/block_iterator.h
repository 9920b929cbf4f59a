// BlockIterator: the iterator over a Block's entries (see block.h). Exposed so that point
// lookups can keep one on the stack instead of allocating it.
#pragma once

#include <memory>
#include <string>

#include "base/coding.h"
#include "sst/block.h"
#include "sst/key_buffer.h"

namespace strata::sst {

namespace internal {

// The three varints that start every entry: shared key prefix, non-shared key bytes, value
// length. Returns the byte after them, or nullptr if they run past end.
inline const char* DecodeEntryHeader(const char* p, const char* end, uint32_t* shared,
                                     uint32_t* non_shared, uint32_t* value_length) {
  // Usually all three are below 128 and take one byte each.
  if (end - p >= 3) {
    const auto* u = reinterpret_cast<const unsigned char*>(p);
    if (((u[0] | u[1] | u[2]) & 0x80) == 0) {
      *shared = u[0];
      *non_shared = u[1];
      *value_length = u[2];
      return p + 3;
    }
  }
  if ((p = GetVarint32Ptr(p, end, shared)) == nullptr) return nullptr;
  if ((p = GetVarint32Ptr(p, end, non_shared)) == nullptr) return nullptr;
  return GetVarint32Ptr(p, end, value_length);
}

}  // namespace internal

// Positions are byte offsets of entries; current_ == restarts_offset_ means "not valid".
class BlockIterator final : public Iterator {
 public:
  BlockIterator(std::shared_ptr<const Block> block, const Comparator* comparator)
      : block_(std::move(block)),
        cmp_(comparator),
        data_(block_->data_),
        limit_(block_->restarts_offset_),
        num_restarts_(block_->num_restarts_),
        current_(limit_),
        status_(block_->status_) {}

  bool Valid() const override { return current_ < limit_; }
  Status status() const override { return status_; }
  Slice key() const override { return key_.slice(); }
  Slice value() const override { return value_; }

  void SeekToFirst() override {
    if (!status_.ok()) return;
    SeekToRestart(0);
    ParseNext();
  }

  void SeekToLast() override {
    if (!status_.ok() || num_restarts_ == 0) return;
    SeekToRestart(num_restarts_ - 1);
    while (ParseNext() && NextOffset() < limit_) {
    }
  }

  void Seek(const Slice& target) override {
    if (!status_.ok()) return;
    // The last restart point whose key is < target; the answer lies at or after it.
    uint32_t left = 0;
    uint32_t right = num_restarts_ == 0 ? 0 : num_restarts_ - 1;
    while (left < right) {
      const uint32_t mid = left + (right - left + 1) / 2;
      Slice mid_key;
      if (!RestartKey(mid, &mid_key)) return;
      if (cmp_->Compare(mid_key, target) < 0) {
        left = mid;
      } else {
        right = mid - 1;
      }
    }
    SeekToRestart(left);
    while (ParseNext()) {
      if (cmp_->Compare(key_.slice(), target) >= 0) return;
    }
  }

  void SeekForPrev(const Slice& target) override {
    Seek(target);
    if (!status_.ok()) return;
    if (!Valid()) {
      SeekToLast();
    } else if (cmp_->Compare(key_.slice(), target) > 0) {
      Prev();
    }
  }

  void Next() override { ParseNext(); }

  void Prev() override {
    const uint32_t original = current_;
    // The last restart point strictly before the current entry (restart offsets increase
    // and the first is 0); re-scan forward from it.
    uint32_t left = 0;
    uint32_t right = num_restarts_;
    while (left < right) {
      const uint32_t mid = left + (right - left) / 2;
      if (RestartPoint(mid) < original) {
        left = mid + 1;
      } else {
        right = mid;
      }
    }
    if (left == 0) {
      MarkInvalid();
      return;
    }
    SeekToRestart(left - 1);
    while (ParseNext() && NextOffset() < original) {
    }
  }

 private:
  uint32_t RestartPoint(uint32_t index) const {
    return DecodeFixed32(data_ + limit_ + index * sizeof(uint32_t));
  }
  uint32_t NextOffset() const {
    return static_cast<uint32_t>((value_.data() + value_.size()) - data_);
  }

  void MarkInvalid() {
    current_ = limit_;
    key_.clear();
    value_ = Slice();
  }

  // Positions so that the next ParseNext() decodes the entry at restart point `index`.
  void SeekToRestart(uint32_t index) {
    key_.clear();
    const uint32_t offset = RestartPoint(index);
    value_ = Slice(data_ + offset, 0);
  }

  void Corrupt(uint32_t offset, const std::string& why) {
    status_ = Status::Corruption(
        block_->context() + ": entry at block offset " + std::to_string(offset), why);
    MarkInvalid();
  }

  // Decodes the entry after the current one; false at the end or on damage.
  bool ParseNext() {
    const uint32_t offset = NextOffset();
    if (offset >= limit_) {
      MarkInvalid();
      return false;
    }
    const char* p = data_ + offset;
    const char* const end = data_ + limit_;
    uint32_t shared = 0, non_shared = 0, value_length = 0;
    if ((p = internal::DecodeEntryHeader(p, end, &shared, &non_shared, &value_length)) == nullptr) {
      Corrupt(offset, "truncated entry header");
      return false;
    }
    if (static_cast<uint64_t>(non_shared) + value_length > static_cast<uint64_t>(end - p)) {
      Corrupt(offset, "key and value lengths run past the entries");
      return false;
    }
    if (shared > key_.size()) {
      Corrupt(offset, "shared prefix of " + std::to_string(shared) +
                          " bytes is longer than the previous key");
      return false;
    }
    current_ = offset;
    key_.ReplaceSuffix(shared, p, non_shared);
    value_ = Slice(p + non_shared, value_length);
    return true;
  }

  // The key at restart point `index`, which must not share a prefix with anything.
  bool RestartKey(uint32_t index, Slice* key) {
    const uint32_t offset = RestartPoint(index);
    const char* p = data_ + offset;
    const char* const end = data_ + limit_;
    uint32_t shared = 0, non_shared = 0, value_length = 0;
    if ((p = internal::DecodeEntryHeader(p, end, &shared, &non_shared, &value_length)) == nullptr) {
      Corrupt(offset, "truncated entry header at a restart point");
      return false;
    }
    if (shared != 0 || non_shared > static_cast<uint64_t>(end - p)) {
      Corrupt(offset, "bad key at a restart point");
      return false;
    }
    *key = Slice(p, non_shared);
    return true;
  }

  const std::shared_ptr<const Block> block_;
  const Comparator* const cmp_;
  const char* const data_;
  const uint32_t limit_;  // offset of the restart array
  const uint32_t num_restarts_;
  uint32_t current_;  // offset of the current entry, limit_ if not valid
  KeyBuffer key_;
  Slice value_;  // points into the block; its end is where the next entry starts
  Status status_;
};

}  // namespace strata::sst
