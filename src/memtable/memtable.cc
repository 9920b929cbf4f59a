#include "memtable/memtable.h"

#include <cassert>
#include <cstring>
#include <limits>

#include "base/coding.h"

namespace strata::memtable {

namespace {

// Reads the length-prefixed slice at p. Entries are written by Add(), so the varint is
// known to be well formed and the limit only bounds its 5 bytes.
Slice GetLengthPrefixed(const char* p) {
  uint32_t len = 0;
  p = GetVarint32Ptr(p, p + kMaxVarint32Bytes, &len);
  assert(p != nullptr);
  return Slice(p, len);
}

}  // namespace

int MemTable::KeyComparator::operator()(const char* a, const char* b) const {
  return comparator.Compare(GetLengthPrefixed(a), GetLengthPrefixed(b));
}

MemTable::MemTable(const InternalKeyComparator& comparator, size_t arena_block_size)
    : comparator_{comparator}, arena_(arena_block_size), table_(comparator_, &arena_) {}

void MemTable::Unref() {
  const int before = refs_.fetch_sub(1, std::memory_order_acq_rel);
  assert(before > 0);
  if (before == 1) {
    // The only way a memtable is freed; see the lifetime note in memtable.h.
    delete this;
  }
}

void MemTable::AddEntry(SequenceNumber sequence, ValueType type, const Slice& user_key,
                        const Slice& value, bool concurrent) {
  constexpr size_t kMaxLength = std::numeric_limits<uint32_t>::max();
  assert(user_key.size() <= kMaxLength - kInternalKeyTrailerSize);
  assert(value.size() <= kMaxLength);
  (void)kMaxLength;

  const auto internal_size = static_cast<uint32_t>(user_key.size() + kInternalKeyTrailerSize);
  const auto value_size = static_cast<uint32_t>(value.size());
  const size_t entry_size =
      VarintLength(internal_size) + internal_size + VarintLength(value_size) + value_size;

  // The entry lives inside its skiplist node. A large one gets an arena block of its own
  // (see Arena::Allocate), so a 64 MiB value costs one allocation and wastes nothing.
  char* const entry =
      concurrent ? table_.AllocateKeyConcurrently(entry_size) : table_.AllocateKey(entry_size);
  char* p = EncodeVarint32(entry, internal_size);
  if (!user_key.empty()) std::memcpy(p, user_key.data(), user_key.size());
  p += user_key.size();
  EncodeFixed64(p, PackSequenceAndType(sequence, type));
  p += kInternalKeyTrailerSize;
  p = EncodeVarint32(p, value_size);
  if (!value.empty()) std::memcpy(p, value.data(), value.size());
  assert(p + value_size == entry + entry_size);

  // The entry is complete before Insert publishes it to readers.
  if (concurrent) {
    table_.InsertConcurrently(entry);
  } else {
    table_.Insert(entry);
  }
  num_entries_.fetch_add(1, std::memory_order_relaxed);
}

bool MemTable::Get(const LookupKey& key, std::string* value, Status* s) const {
  Table::Iterator it(&table_);
  // The lookup key carries the highest type of its sequence, so the first entry at or after
  // it is the newest version of any user key with sequence <= the lookup's.
  it.Seek(key.memtable_key().data());
  if (!it.Valid()) return false;

  const Slice internal_key = GetLengthPrefixed(it.key());
  ParsedInternalKey parsed;
  if (!ParseInternalKey(internal_key, &parsed)) {
    // Add() writes only known types, so this is memory corruption; say so rather than
    // misread the entry.
    *s = Status::Corruption("memtable entry with a bad internal key");
    return true;
  }
  if (comparator_.comparator.user_comparator()->Compare(parsed.user_key, key.user_key()) != 0) {
    return false;  // the next user key: this memtable has no version of ours
  }
  switch (parsed.type) {
    case ValueType::kValue: {
      const Slice v = GetLengthPrefixed(internal_key.data() + internal_key.size());
      value->assign(v.data(), v.size());
      *s = Status::OK();
      return true;
    }
    case ValueType::kDeletion:
      *s = Status::NotFound(Slice());
      return true;
  }
  return false;
}

// Walks the skiplist; holds a reference to the memtable for its lifetime.
class MemTable::MemTableIterator final : public Iterator {
 public:
  explicit MemTableIterator(MemTable* mem) : mem_(mem), it_(&mem->table_) { mem_->Ref(); }
  ~MemTableIterator() override { mem_->Unref(); }

  bool Valid() const override { return it_.Valid(); }
  void SeekToFirst() override { it_.SeekToFirst(); }
  void SeekToLast() override { it_.SeekToLast(); }
  void Seek(const Slice& target) override { it_.Seek(EncodeTarget(target)); }
  void SeekForPrev(const Slice& target) override { it_.SeekForPrev(EncodeTarget(target)); }
  void Next() override { it_.Next(); }
  void Prev() override { it_.Prev(); }
  Slice key() const override { return GetLengthPrefixed(it_.key()); }
  Slice value() const override {
    const Slice k = key();
    return GetLengthPrefixed(k.data() + k.size());
  }
  Status status() const override { return Status::OK(); }

 private:
  // The skiplist compares memtable keys, so an internal key target gets its length prefix.
  const char* EncodeTarget(const Slice& target) {
    scratch_.clear();
    PutVarint32(&scratch_, static_cast<uint32_t>(target.size()));
    scratch_.append(target.data(), target.size());
    return scratch_.data();
  }

  MemTable* const mem_;
  Table::Iterator it_;
  std::string scratch_;  // the encoded seek target
};

std::unique_ptr<Iterator> MemTable::NewIterator() {
  assert(refs_.load(std::memory_order_relaxed) > 0);
  return std::make_unique<MemTableIterator>(this);
}

}  // namespace strata::memtable
