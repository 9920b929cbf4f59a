// WriteBatch: updates applied atomically, in order. Either all of them become visible and
// durable together, or none does.
#pragma once

#include <cstdint>
#include <string>

#include "strata/slice.h"
#include "strata/status.h"

namespace strata {

class WriteBatch {
 public:
  // Receives the records of a batch, in order (see Iterate()).
  class Handler {
   public:
    virtual ~Handler() = default;
    virtual void Put(const Slice& key, const Slice& value) = 0;
    virtual void Delete(const Slice& key) = 0;
  };

  WriteBatch();

  void Put(const Slice& key, const Slice& value);
  void Delete(const Slice& key);
  void Clear();
  // Number of records (puts and deletes).
  uint32_t Count() const;
  // Bytes of the encoded batch (what goes into the write-ahead log).
  size_t ApproximateSize() const { return rep_.size(); }

  // Calls handler for every record in order. Corruption if the batch's bytes are damaged
  // (a batch decoded from a log that passed its checksum should never be).
  Status Iterate(Handler* handler) const;

 private:
  friend class WriteBatchInternal;
  // Format (docs/formats/manifest.md, "Write batch"): fixed64 sequence, fixed32 count, then
  // per record a type byte (1 = put, 0 = delete), a length-prefixed key and, for a put, a
  // length-prefixed value.
  std::string rep_;
};

}  // namespace strata
