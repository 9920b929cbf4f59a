// `strata bench db`: workloads of RocksDB's db_bench against the Strata engine.
//
// The flags, workload names and result lines follow db_bench, so the same command line runs
// against both programs and bench/compare/vs_rocksdb.sh parses both outputs with one regex.
// This is a separate implementation; only the interface is shared.
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>

#include "strata/status.h"

namespace strata::bench {

struct DbBenchOptions {
  // Comma-separated workloads, run in order on the same DB: fillseq, fillrandom, overwrite,
  // fillsync, readrandom, readseq, readreverse, seekrandom, readwhilewriting.
  std::string benchmarks = "fillseq,fillrandom,overwrite,readrandom,readseq,readreverse,seekrandom";
  int64_t num = 1000000;  // keys in the key space, and operations per thread of a fill
  int64_t reads = -1;     // operations per thread of a read workload; negative: num
  int value_size = 100;
  int key_size = 16;
  int threads = 1;  // every thread runs the whole workload (db_bench's convention)
  std::string compression_type = "snappy";  // none, snappy, zstd, lz4
  double compression_ratio = 0.5;           // values shrink to about this fraction
  bool sync = false;
  std::string db = "strata-data/bench-db";
  // Keep what is in db. Otherwise it is destroyed at the start, and fill workloads
  // (fillseq, fillrandom, fillsync) start from an empty DB.
  bool use_existing_db = false;
  int64_t cache_size = 8388608;  // block cache bytes
  int bloom_bits = 10;           // bloom filter bits per key; <= 0: no filters
  int64_t write_buffer_size = 64 << 20;
  int seek_nexts = 0;  // Next() calls after each Seek of seekrandom
  uint64_t seed = 0;   // 0: derived from the clock (printed in the header)
  // After the workloads, print the engine's "strata.stats" (levels, amplification, stalls).
  bool statistics = false;
  // Write the WAL through a shared mapping (Options::wal_mmap_writes, the engine's default)
  // rather than with write().
  bool wal_mmap_writes = true;
};

// Runs every workload of options.benchmarks and prints db_bench's header and one result line
// per workload to out, e.g.
//   fillrandom   :       3.456 micros/op 289352 ops/sec 3.456 seconds 1000000 operations;
//   32.0 MB/s
// (on one line). Fails on a bad option, an unknown workload or an engine error.
Status RunDbBench(const DbBenchOptions& options, std::FILE* out);

}  // namespace strata::bench
