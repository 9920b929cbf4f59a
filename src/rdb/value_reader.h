// ValueReader: reads one value of any type from the stream and fills a KeyRecord's type,
// encoding, member count and shape. The parser has already read the type byte and the key.
//
// Values are never materialized: strings are skipped, containers walked with fixed buffers
// (see container_walkers.h), module values stepped over item by item.
#pragma once

#include <cstdint>

#include "rdb/container_reader.h"
#include "rdb/container_walkers.h"
#include "rdb/key_record.h"
#include "rdb/rdb_reader.h"

namespace strata::rdb {

class ValueReader {
 public:
  // valkey: the file has the VALKEY magic (RDB >= 80), which renumbers types 22 and 23.
  // walk_compressed: decompress LZF containers to walk every element, rather than reading
  // only their header when the header's count is exact.
  ValueReader(RdbReader* reader, bool valkey, bool walk_compressed)
      : reader_(reader), valkey_(valkey), walk_compressed_(walk_compressed) {}

  // True for the type bytes this reader knows (for the file's flavour).
  bool IsValueType(uint8_t type) const;
  // Reads the value; record->type, encoding, member_count and shape are set.
  Status Read(uint8_t type, KeyRecord* record);

 private:
  // One string of a value, and whether Redis would hold it as an integer.
  struct Element {
    StringHeader header;
    bool integer = false;
    int64_t value = 0;
    // The listpack entry it becomes when Redis appends it to a listpack.
    uint64_t ListpackEntry() const;
  };
  // Reads one string of a value and adds it to the shape as an element. Its bytes are
  // skipped, but plain text of up to 20 bytes that starts like a number is read to learn
  // whether it is one.
  Status ReadElement(ValueShape* shape, Element* e);
  // Element accounting for values stored as a sequence of RDB strings, each also counted as
  // a listpack entry (packed_bytes) and, when priced, as an sds string (sds_alloc_bytes).
  Status ReadStringSequence(uint64_t count, bool priced, ValueShape* shape);
  Status ReadStringValue(KeyRecord* record);
  Status ReadOldZset(bool binary_scores, KeyRecord* record);
  Status ReadPlainHash(KeyRecord* record);
  Status ReadHashMetadata(bool relative_ttls, KeyRecord* record);
  Status ReadValkeyHash2(KeyRecord* record);
  Status ReadQuicklist(bool version2, KeyRecord* record);
  Status ReadModule(KeyRecord* record);

  enum class Container : uint8_t { kListpack, kZiplist, kIntset, kZipmap };
  // Opens, walks and finishes one container; adds its figures to the shape and returns
  // its entry count in *entries.
  Status WalkContainer(Container kind, const TupleLayout& layout, ValueShape* shape,
                       uint64_t* entries);
  // Adds the container just walked to shape->packed_bytes / packed_alloc_bytes.
  void AddPacked(Container kind, const ContainerStats& stats, ValueShape* shape);
  // A container value holding tuples of layout.width entries: member_count = tuples.
  Status ReadContainerValue(Container kind, const TupleLayout& layout, KeyRecord* record);

  RdbReader* const reader_;
  const bool valkey_;
  const bool walk_compressed_;
  bool all_integers_ = true;  // over the elements of the current value
  ContainerReader container_;
};

}  // namespace strata::rdb
