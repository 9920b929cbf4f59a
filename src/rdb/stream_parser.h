// Stream values (types 15, 19 and 21: STREAM_LISTPACKS, _2 and _3).
//
//   nodes(length), then per node: master ID (string of 16 bytes), listpack (string)
//   length(length)                 entries in the stream: XLEN
//   last ID: ms(length) seq(length)
//   [v2+] first ID ms seq, max deleted ID ms seq, entries added   (all lengths)
//   groups(length), then per group:
//     name(string), last delivered ID ms(length) seq(length)
//     [v2+] entries read(length)
//     PEL size(length), per entry: ID (16 raw bytes), delivery time (8 bytes LE ms),
//                                  delivery count(length)
//     consumers(length), per consumer:
//       name(string), seen time (8 bytes LE ms), [v3] active time (8 bytes LE ms)
//       PEL size(length), per entry: ID (16 raw bytes)
//
// The entry count comes from the stored length, so the node listpacks need not be read for
// counting; they are still validated as listpacks (plain ones entirely, LZF ones by header
// unless walk_compressed).
#pragma once

#include <cstdint>

#include "rdb/container_reader.h"
#include "rdb/key_record.h"
#include "rdb/rdb_reader.h"

namespace strata::rdb {

Status ReadStreamValue(RdbReader* reader, uint8_t type, bool walk_compressed,
                       ContainerReader* container, KeyRecord* record);

}  // namespace strata::rdb
