#include "rdb/key_record.h"

namespace strata::rdb {

void KeyRecord::Reset() {
  db = 0;
  key.clear();
  type = KeyType::kString;
  encoding = {};
  member_count = 0;
  rdb_size = 0;
  expire_at_ms.reset();
  idle_seconds.reset();
  freq.reset();
  value_offset = 0;
  rdb_type = 0;
  shape.elements = 0;
  shape.element_bytes = 0;
  shape.max_element_len = 0;
  shape.all_integers = false;
  shape.element_stats_exact = true;
  shape.quicklist_nodes = 0;
  shape.quicklist_plain_nodes = 0;
  shape.container_bytes = 0;
  shape.fields_with_expiry = 0;
  shape.stream_nodes = 0;
  shape.stream_groups = 0;
  shape.stream_consumers = 0;
  shape.stream_group_pel = 0;
  shape.stream_consumer_pel = 0;
  shape.integer_elements = 0;
  shape.integer_width = 0;
  shape.sds_alloc_bytes = 0;
  shape.packed_bytes = 0;
  shape.packed_alloc_bytes = 0;
  shape.stream_rax_nodes = 0;
  shape.stream_pel_rax_nodes = 0;
  shape.stream_consumer_name_bytes = 0;
  shape.hash_first_long_pair = ValueShape::kNoLongPair;
  shape.module_name.clear();
}

}  // namespace strata::rdb
