// What the engine needs of a WriteBatch beyond the public API: its sequence number and raw
// bytes (the write-ahead log stores a batch's bytes as one record).
#pragma once

#include <cstdint>

#include "strata/slice.h"
#include "strata/status.h"
#include "strata/write_batch.h"

namespace strata {

class WriteBatchInternal {
 public:
  static constexpr size_t kHeaderSize = 12;  // fixed64 sequence + fixed32 count

  // Sequence number of the first record; record i gets sequence + i.
  static uint64_t Sequence(const WriteBatch& batch);
  static void SetSequence(WriteBatch* batch, uint64_t sequence);

  static Slice Contents(const WriteBatch& batch) { return Slice(batch.rep_); }
  // Replaces the batch with bytes read from a log; Corruption if they are too short to be a
  // batch. Records are validated by Iterate().
  static Status SetContents(WriteBatch* batch, const Slice& contents);

  // Appends src's records to dst (dst keeps its sequence).
  static void Append(WriteBatch* dst, const WriteBatch& src);
};

}  // namespace strata
