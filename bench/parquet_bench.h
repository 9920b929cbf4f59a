// `strata bench parquet`: Parquet write (and read) throughput on the db-benchmark group-by
// table, the data set DuckDB's and others' benchmarks use:
//   id1, id2  'id%03d'   over 1..100      (string)
//   id3       'id%010d'  over 1..100000   (string)
//   id4, id5  integer    over 1..100      (int32)
//   id6       integer    over 1..100000   (int32)
//   v1, v2    integer    over 1..5        (int32)
//   v3        double in [0, 100) rounded to 4 decimals
// every column uniform and independent. The table is built in memory first (not timed), then
// written once per codec; bench/compare/parquet_vs_duckdb.sh has DuckDB write the same rows.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "strata/status.h"

namespace strata::bench {

struct ParquetBenchOptions {
  uint64_t rows = 10000000;
  std::vector<std::string> codecs = {"zstd", "snappy", "none"};
  std::string dir = "strata-data/bench-parquet";
  uint64_t seed = 42;
  int threads = 0;  // 0: one per core
  uint64_t row_group_rows = 1 << 20;
  // Also time a full read (every column decoded) of the file of each codec.
  bool read = false;
  // Write the table here, uncompressed and PLAIN, for another program to load.
  std::string source_out;
  bool keep = false;
  // Only read this existing file (every column), report, and write nothing.
  std::string read_file;
};

struct ParquetBenchResult {
  std::string codec;
  uint64_t rows = 0;
  double seconds = 0;
  double rows_per_s = 0;
  double mb_per_s = 0;  // in-memory bytes of the table (values, string bytes) per second
  uint64_t file_bytes = 0;
  uint64_t row_groups = 0;
  int threads = 1;
  bool read = false;
  double read_seconds = 0;
  double read_mb_per_s = 0;               // in-memory bytes decoded per second
  double read_uncompressed_mb_per_s = 0;  // the file's uncompressed page bytes per second
};

// Runs every codec; one result each, in order.
Status RunParquetBench(const ParquetBenchOptions& options, std::vector<ParquetBenchResult>* out);
std::string ToJson(const ParquetBenchResult& result);

}  // namespace strata::bench
