#include "strata/write_batch.h"

#include "base/coding.h"
#include "db/write_batch_internal.h"

namespace strata {

namespace {
enum RecordTag : char { kTagDelete = 0, kTagPut = 1 };
}  // namespace

WriteBatch::WriteBatch() { Clear(); }

void WriteBatch::Clear() {
  rep_.clear();
  rep_.resize(WriteBatchInternal::kHeaderSize);
}

uint32_t WriteBatch::Count() const { return DecodeFixed32(rep_.data() + 8); }

void WriteBatch::Put(const Slice& key, const Slice& value) {
  EncodeFixed32(rep_.data() + 8, Count() + 1);
  rep_.push_back(kTagPut);
  PutLengthPrefixedSlice(&rep_, key);
  PutLengthPrefixedSlice(&rep_, value);
}

void WriteBatch::Delete(const Slice& key) {
  EncodeFixed32(rep_.data() + 8, Count() + 1);
  rep_.push_back(kTagDelete);
  PutLengthPrefixedSlice(&rep_, key);
}

Status WriteBatch::Iterate(Handler* handler) const {
  Slice input(rep_);
  if (input.size() < WriteBatchInternal::kHeaderSize) {
    return Status::Corruption("write batch", "shorter than its header");
  }
  input.remove_prefix(WriteBatchInternal::kHeaderSize);
  uint32_t found = 0;
  while (!input.empty()) {
    const size_t at = rep_.size() - input.size();
    const char tag = input[0];
    input.remove_prefix(1);
    Slice key;
    Slice value;
    if (!GetLengthPrefixedSlice(&input, &key)) {
      return Status::Corruption("write batch", "bad key at byte " + std::to_string(at));
    }
    if (tag == kTagPut) {
      if (!GetLengthPrefixedSlice(&input, &value)) {
        return Status::Corruption("write batch", "bad value at byte " + std::to_string(at));
      }
      handler->Put(key, value);
    } else if (tag == kTagDelete) {
      handler->Delete(key);
    } else {
      return Status::Corruption("write batch", "unknown record tag " +
                                                   std::to_string(static_cast<int>(tag)) +
                                                   " at byte " + std::to_string(at));
    }
    found++;
  }
  if (found != Count()) {
    return Status::Corruption(
        "write batch",
        "holds " + std::to_string(found) + " records, header says " + std::to_string(Count()));
  }
  return Status::OK();
}

uint64_t WriteBatchInternal::Sequence(const WriteBatch& batch) {
  return DecodeFixed64(batch.rep_.data());
}

void WriteBatchInternal::SetSequence(WriteBatch* batch, uint64_t sequence) {
  EncodeFixed64(batch->rep_.data(), sequence);
}

Status WriteBatchInternal::SetContents(WriteBatch* batch, const Slice& contents) {
  if (contents.size() < kHeaderSize) {
    return Status::Corruption("write batch", "shorter than its header");
  }
  batch->rep_.assign(contents.data(), contents.size());
  return Status::OK();
}

void WriteBatchInternal::Append(WriteBatch* dst, const WriteBatch& src) {
  EncodeFixed32(dst->rep_.data() + 8, dst->Count() + src.Count());
  dst->rep_.append(src.rep_.data() + kHeaderSize, src.rep_.size() - kHeaderSize);
}

}  // namespace strata
