// MemTableInserter: applies a WriteBatch to a memtable, record i at sequence first + i.
#pragma once

#include "memtable/memtable.h"
#include "strata/write_batch.h"

namespace strata {

// Inserts a batch's records into a memtable with consecutive sequence numbers. concurrent:
// other threads insert into the same memtable at the same time (a parallel write group).
class MemTableInserter final : public WriteBatch::Handler {
 public:
  MemTableInserter(memtable::SequenceNumber first, memtable::MemTable* mem, bool concurrent)
      : sequence_(first), mem_(mem), concurrent_(concurrent) {}
  void Put(const Slice& key, const Slice& value) override {
    Add(memtable::ValueType::kValue, key, value);
  }
  void Delete(const Slice& key) override { Add(memtable::ValueType::kDeletion, key, Slice()); }

 private:
  void Add(memtable::ValueType type, const Slice& key, const Slice& value) {
    if (concurrent_) {
      mem_->AddConcurrently(sequence_++, type, key, value);
    } else {
      mem_->Add(sequence_++, type, key, value);
    }
  }

  memtable::SequenceNumber sequence_;
  memtable::MemTable* const mem_;
  const bool concurrent_;
};

}  // namespace strata
