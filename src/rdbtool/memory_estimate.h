// The memory model: what one key of an RDB file takes in the memory of a Redis 7.0 server
// (64-bit, jemalloc) that loads the file, in the terms of `MEMORY USAGE key SAMPLES 0`.
//
// MEMORY USAGE counts the key's entry in the main dictionary (sizeof(dictEntry), 24 bytes),
// the key's sds allocation, and the value as object.c's objectComputeSize() walks it: the
// robj header, the value's encoding's structures (some at their struct size, some at their
// allocation's jemalloc size class, exactly as the server counts them), every element with
// SAMPLES 0. It does not count the key's entry in the expires dictionary, the main
// dictionary's bucket array, nor allocator overhead of the structures it counts at struct
// size. docs/rdb-memory.md lists every structure, its size, and the measured accuracy.
//
// The estimate is for the value *as the server holds it after loading the file*: 7.0
// converts what an older or differently configured server wrote (a ziplist becomes a
// listpack; a hashtable that fits the listpack limits becomes a listpack; a listpack over
// them a hashtable or skiplist), so the model decides the in-memory encoding from the file's
// encoding, the value's figures (KeyRecord::shape) and the loading server's limits.
//
// Thread-safe; no allocation.
#pragma once

#include <cstdint>

#include "rdb/key_record.h"

namespace strata::rdbtool {

struct MemoryModelOptions {
  // The loading server's encoding limits (redis.conf); defaults are Redis 7.0's.
  uint64_t hash_max_listpack_entries = 128;
  uint64_t hash_max_listpack_value = 64;
  uint64_t zset_max_listpack_entries = 128;
  uint64_t zset_max_listpack_value = 64;
  uint64_t set_max_intset_entries = 512;
  // Node size limit of lists that the server re-packs into a quicklist while loading (RDB
  // list types 1 and 10, from Redis < 3.2): -1..-5 for 4..64 KiB, or a count of elements.
  int64_t list_max_listpack_size = -2;
  // cluster-enabled yes: every main-dictionary entry carries 16 bytes of slot-list links,
  // which MEMORY USAGE counts.
  bool cluster_enabled = false;
  // Add the key's entry in the expires dictionary (24 bytes) when it has an expiry. The
  // server holds it, but MEMORY USAGE does not count it; off to match MEMORY USAGE.
  bool count_expires_entry = false;
};

// Bytes the key takes, key and dictionary entry included (MEMORY USAGE's figure).
uint64_t EstimateMemory(const rdb::KeyRecord& record, const MemoryModelOptions& options = {});

// Bytes of the value alone (objectComputeSize()'s figure).
uint64_t EstimateValueMemory(const rdb::KeyRecord& record, const MemoryModelOptions& options = {});

}  // namespace strata::rdbtool
