// strata bench wal ... / strata bench db ...
#include <cstdio>
#include <memory>
#include <string>

#include "bench/db_bench.h"
#include "bench/parquet_bench.h"
#include "bench/wal_bench.h"
#include "commands.h"
#include "parquet/codec.h"
#include "sst/compression.h"

namespace strata::cli {

namespace {

// strata bench db: db_bench's flags (written --name=value), workloads and result lines.
void AddDbBenchCommand(CLI::App& bench, int& exit_code) {
  auto opts = std::make_shared<bench::DbBenchOptions>();
  CLI::App* db = bench.add_subcommand(
      "db",
      "Run RocksDB db_bench workloads on a Strata DB, with db_bench's flags and result lines "
      "(name : micros/op ops/sec seconds operations; MB/s)");
  db->add_option("--benchmarks", opts->benchmarks,
                 "Comma-separated workloads, run in order on the same DB: fillseq, fillrandom, "
                 "overwrite, fillsync (num/1000 synced writes), readrandom, readseq, "
                 "readreverse, seekrandom, readwhilewriting (threads readers + 1 writer), "
                 "waitforcompaction (untimed: until no flush or compaction is due or running)");
  db->add_option("--num", opts->num, "Keys in the key space; operations per thread of a fill");
  db->add_option("--reads", opts->reads, "Operations per thread of a read workload; -1: --num");
  db->add_option("--value_size", opts->value_size, "Bytes per value");
  db->add_option("--key_size", opts->key_size, "Bytes per key (index big-endian, '0'-padded)");
  db->add_option("--threads", opts->threads,
                 "Threads; each runs the whole workload (total ops = threads x ops)");
  db->add_option("--compression_type", opts->compression_type,
                 "SSTable block compression: " + EnumChoices<sst::CompressionType>(", ") +
                     " (snappy: db_bench's default too)");
  db->add_option("--compression_ratio", opts->compression_ratio,
                 "Values compress to about this fraction of their size");
  db->add_option("--sync", opts->sync, "0/1: fdatasync the WAL on every write");
  db->add_option("--db", opts->db, "DB directory");
  db->add_option("--use_existing_db", opts->use_existing_db,
                 "0/1: keep the DB; otherwise it is destroyed first and fill workloads start "
                 "empty (with 1 they are skipped)");
  db->add_option("--cache_size", opts->cache_size, "Block cache bytes");
  db->add_option("--bloom_bits", opts->bloom_bits,
                 "Bloom filter bits per key, <= 0: none (db_bench's default is -1 = none; "
                 "pass --bloom_bits=10 to it for the same filters)");
  db->add_option("--write_buffer_size", opts->write_buffer_size, "Memtable bytes before a flush");
  db->add_option("--seek_nexts", opts->seek_nexts, "Next() calls after each seek of seekrandom");
  db->add_option("--seed", opts->seed, "Random seed; 0: derived from the clock");
  db->add_option("--statistics", opts->statistics,
                 "0/1: print strata.stats (per-level files, bytes, amplification, stalls) at "
                 "the end");
  db->add_option("--wal_mmap_writes", opts->wal_mmap_writes,
                 "0/1: write the WAL through a shared memory mapping (the engine's default) or "
                 "with one write() per write group; the durability is the same");
  db->callback([opts, &exit_code] {
    Status s = bench::RunDbBench(*opts, stdout);
    if (!s.ok()) {
      std::fflush(stdout);
      std::fprintf(stderr, "strata bench db: %s\n", s.ToString().c_str());
      exit_code = 1;
    }
  });
}

void AddParquetBenchCommand(CLI::App& bench, int& exit_code) {
  auto opts = std::make_shared<bench::ParquetBenchOptions>();
  CLI::App* pq = bench.add_subcommand(
      "parquet",
      "Build the db-benchmark group-by table in memory (id1-id3 strings, id4-id6 and v1-v2 "
      "int32, v3 double) and write it as Parquet once per codec; one JSON line per codec "
      "with codec, rows, seconds, rows_per_s, mb_per_s (in-memory value bytes) and "
      "file_bytes");
  pq->add_option("--rows", opts->rows, "Rows in the table");
  pq->add_option("--codecs", opts->codecs,
                 "Codecs to write with, in any letter case: " +
                     EnumChoices<parquet::CompressionCodec>(", ", parquet::CodecSupported))
      ->delimiter(',');
  pq->add_option("--dir", opts->dir, "Directory for the files");
  pq->add_option("--seed", opts->seed, "Random seed of the table");
  pq->add_option("--threads", opts->threads, "Encoding threads; 0: one per core");
  pq->add_option("--row-group-rows", opts->row_group_rows, "Rows per row group");
  pq->add_flag("--read", opts->read,
               "Also read each file back, decoding every column, and report read_mb_per_s "
               "(in-memory bytes) and read_uncompressed_mb_per_s (page bytes)");
  pq->add_option("--source-out", opts->source_out,
                 "Also write the table uncompressed and PLAIN to this path (for DuckDB to "
                 "load). Empty: not written");
  pq->add_flag("--keep", opts->keep, "Keep the files afterwards");
  pq->add_option("--read-file", opts->read_file,
                 "Only read this existing Parquet file, decoding every column, and report. "
                 "Empty: write the table with each codec");
  pq->callback([opts, &exit_code] {
    std::vector<bench::ParquetBenchResult> results;
    Status s = bench::RunParquetBench(*opts, &results);
    if (!s.ok()) {
      std::fprintf(stderr, "strata bench parquet: %s\n", s.ToString().c_str());
      exit_code = 1;
      return;
    }
    for (const auto& r : results) std::printf("%s\n", bench::ToJson(r).c_str());
  });
}

}  // namespace

void AddBenchCommands(CLI::App& app, int& exit_code) {
  CLI::App* bench = app.add_subcommand(
      "bench", "Benchmarks: wal prints one JSON line, db prints db_bench's result lines");
  bench->require_subcommand(1);

  auto opts = std::make_shared<bench::WalBenchOptions>();
  auto sync = std::make_shared<std::string>("none");
  CLI::App* wal = bench->add_subcommand(
      "wal",
      "Append records to a write-ahead log from N threads; report records/s, MB/s and "
      "append latency (p50/p99/p99.9), and replay speed with --replay");
  wal->add_option("--writers", opts->writers, "Concurrent appending threads");
  wal->add_option("--sync", *sync, "Sync policy: " + EnumChoices<wal::SyncPolicy>(", "));
  wal->add_option("--sync-interval-ms", opts->sync_interval_ms,
                  "With --sync interval: longest time between fdatasyncs");
  wal->add_option("--records", opts->records, "Records in total, split across writers");
  wal->add_option("--value-size", opts->value_size, "Payload bytes per record");
  wal->add_flag("--replay", opts->replay, "Then read the log back and report replay GB/s");
  wal->add_option("--dir", opts->dir, "Directory for the log file");
  wal->add_flag("--keep", opts->keep_log, "Keep the log file afterwards");
  wal->callback([opts, sync, &exit_code] {
    const auto policy = ParseEnum<wal::SyncPolicy>(*sync);
    if (!policy) {
      std::fprintf(stderr, "unknown --sync %s (%s)\n", sync->c_str(),
                   EnumChoices<wal::SyncPolicy>(", ").c_str());
      exit_code = 2;
      return;
    }
    opts->sync = *policy;
    bench::WalBenchResult result;
    Status s = bench::RunWalBench(*opts, &result);
    if (!s.ok()) {
      std::fprintf(stderr, "strata bench wal: %s\n", s.ToString().c_str());
      exit_code = 1;
      return;
    }
    std::printf("%s\n", bench::ToJson(result).c_str());
  });

  AddDbBenchCommand(*bench, exit_code);
  AddParquetBenchCommand(*bench, exit_code);
}

}  // namespace strata::cli
