#include "bench/parquet_bench.h"

#include <chrono>
#include <cinttypes>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <system_error>
#include <thread>

#include "base/random.h"
#include "parquet/codec.h"
#include "parquet/parquet_reader.h"
#include "parquet/parquet_writer.h"
#include "strata/env.h"

namespace strata::bench {

namespace {

using parquet::ColumnBatch;
using parquet::Schema;

Schema GroupBySchema() {
  return Schema({parquet::StringColumn("id1"), parquet::StringColumn("id2"),
                 parquet::StringColumn("id3"), parquet::IntColumn("id4", 32, true),
                 parquet::IntColumn("id5", 32, true), parquet::IntColumn("id6", 32, true),
                 parquet::IntColumn("v1", 32, true), parquet::IntColumn("v2", 32, true),
                 parquet::DoubleColumn("v3")});
}

// The table, and the bytes its values take in memory (string bytes, 4 per int, 8 per double).
ColumnBatch BuildTable(uint64_t rows, uint64_t seed, uint64_t* value_bytes) {
  ColumnBatch t(GroupBySchema());
  for (size_t c = 0; c < 3; c++) t.column(c).Reserve(rows, rows * (c == 2 ? 12 : 5));
  for (size_t c = 3; c < 9; c++) t.column(c).Reserve(rows);
  Random rnd(seed);
  char buf[32];
  uint64_t bytes = 0;
  for (uint64_t r = 0; r < rows; r++) {
    for (int c = 0; c < 2; c++) {
      const int n = std::snprintf(buf, sizeof(buf), "id%03u", 1 + rnd.Uniform(100));
      t.column(c).AppendBytes(std::string_view(buf, n));
      bytes += n;
    }
    const int n = std::snprintf(buf, sizeof(buf), "id%010u", 1 + rnd.Uniform(100000));
    t.column(2).AppendBytes(std::string_view(buf, n));
    bytes += n;
    t.column(3).AppendInt32(static_cast<int32_t>(1 + rnd.Uniform(100)));
    t.column(4).AppendInt32(static_cast<int32_t>(1 + rnd.Uniform(100)));
    t.column(5).AppendInt32(static_cast<int32_t>(1 + rnd.Uniform(100000)));
    t.column(6).AppendInt32(static_cast<int32_t>(1 + rnd.Uniform(5)));
    t.column(7).AppendInt32(static_cast<int32_t>(1 + rnd.Uniform(5)));
    // 53 random bits as a fraction of 1, scaled to [0, 100) and rounded to 4 decimals.
    const double u = static_cast<double>(rnd.Next() >> 11) * 0x1.0p-53;
    t.column(8).AppendDouble(std::round(u * 100.0 * 1e4) / 1e4);
    bytes += 6 * 4 + 8;
  }
  *value_bytes = bytes;
  return t;
}

double SecondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

Status WriteFile(const ColumnBatch& table, const std::string& path,
                 const parquet::WriterOptions& options, uint64_t* file_bytes,
                 uint64_t* row_groups) {
  auto writer = parquet::ParquetWriter::Open(Env::Default(), path, table.schema(), options);
  if (!writer.ok()) return writer.status();
  Status s = (*writer)->Write(table);
  if (!s.ok()) return s;
  auto summary = (*writer)->Close();
  if (!summary.ok()) return summary.status();
  *file_bytes = summary->file_bytes;
  *row_groups = summary->metadata.row_groups.size();
  return Status::OK();
}

// Reads every column of every row group; returns the file's uncompressed page bytes.
Status ReadAll(const std::string& path, int threads, uint64_t* uncompressed_bytes, uint64_t* rows) {
  auto reader = parquet::ParquetReader::Open(Env::Default(), path);
  if (!reader.ok()) return reader.status();
  uint64_t total = 0;
  for (const auto& rg : (*reader)->metadata().row_groups) {
    for (const auto& cc : rg.columns) total += cc.meta_data->total_uncompressed_size;
  }
  *uncompressed_bytes = total;
  parquet::ScanOptions scan_options;
  scan_options.threads = threads;
  auto scan = (*reader)->Scan(scan_options);
  if (!scan.ok()) return scan.status();
  ColumnBatch batch;
  *rows = 0;
  while (true) {
    auto more = (*scan)->Next(&batch);
    if (!more.ok()) return more.status();
    if (!*more) break;
    *rows += batch.num_rows();
  }
  return Status::OK();
}

}  // namespace

Status RunParquetBench(const ParquetBenchOptions& options, std::vector<ParquetBenchResult>* out) {
  Env* env = Env::Default();
  if (!options.read_file.empty()) {
    ParquetBenchResult r;
    r.codec = "file";
    uint64_t uncompressed = 0;
    const auto start = std::chrono::steady_clock::now();
    r.threads = options.threads > 0
                    ? options.threads
                    : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    Status s = ReadAll(options.read_file, r.threads, &uncompressed, &r.rows);
    if (!s.ok()) return s;
    r.read = true;
    r.read_seconds = SecondsSince(start);
    r.read_uncompressed_mb_per_s = static_cast<double>(uncompressed) / 1e6 / r.read_seconds;
    (void)env->GetFileSize(options.read_file, &r.file_bytes);
    out->push_back(r);
    return Status::OK();
  }
  // The parents too, like db_bench: the default strata-data/bench-parquet needs strata-data,
  // which a fresh directory does not have.
  std::error_code ec;
  std::filesystem::create_directories(options.dir, ec);
  if (ec) return Status::IOError("creating " + options.dir, ec.message());
  Status s;
  uint64_t value_bytes = 0;
  const ColumnBatch table = BuildTable(options.rows, options.seed, &value_bytes);
  const int threads = options.threads > 0
                          ? options.threads
                          : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));

  if (!options.source_out.empty()) {
    parquet::WriterOptions plain;
    plain.compression = parquet::CompressionCodec::kUncompressed;
    plain.default_column.dictionary = false;
    plain.page_index = false;
    plain.sync = false;
    uint64_t bytes = 0, groups = 0;
    s = WriteFile(table, options.source_out, plain, &bytes, &groups);
    if (!s.ok()) return s;
  }

  for (const std::string& name : options.codecs) {
    const auto codec = ParseEnum<parquet::CompressionCodec>(name);
    if (!codec || !parquet::CodecSupported(*codec)) {
      return Status::InvalidArgument("unknown codec " + name);
    }
    parquet::WriterOptions wo;
    wo.compression = *codec;
    wo.threads = threads;
    wo.row_group_rows = options.row_group_rows;
    // Durability is not what is measured, and DuckDB's COPY does not fsync either.
    wo.sync = false;
    const std::string path = options.dir + "/groupby-" + name + ".parquet";
    ParquetBenchResult r;
    r.codec = name;
    r.rows = options.rows;
    r.threads = threads;
    const auto start = std::chrono::steady_clock::now();
    s = WriteFile(table, path, wo, &r.file_bytes, &r.row_groups);
    if (!s.ok()) return s;
    r.seconds = SecondsSince(start);
    r.rows_per_s = static_cast<double>(options.rows) / r.seconds;
    r.mb_per_s = static_cast<double>(value_bytes) / 1e6 / r.seconds;
    if (options.read) {
      uint64_t uncompressed = 0, rows = 0;
      const auto read_start = std::chrono::steady_clock::now();
      s = ReadAll(path, threads, &uncompressed, &rows);
      if (!s.ok()) return s;
      r.read = true;
      r.read_seconds = SecondsSince(read_start);
      if (rows != options.rows) return Status::Corruption(path, "read back a different row count");
      r.read_mb_per_s = static_cast<double>(value_bytes) / 1e6 / r.read_seconds;
      r.read_uncompressed_mb_per_s = static_cast<double>(uncompressed) / 1e6 / r.read_seconds;
    }
    if (!options.keep) (void)env->DeleteFile(path);
    out->push_back(r);
  }
  return Status::OK();
}

std::string ToJson(const ParquetBenchResult& r) {
  char buf[512];
  int n = std::snprintf(
      buf, sizeof(buf),
      "{\"bench\":\"parquet\",\"codec\":\"%s\",\"rows\":%" PRIu64
      ",\"seconds\":%.3f,\"rows_per_s\":%.0f,\"mb_per_s\":%.1f,\"file_bytes\":%" PRIu64
      ",\"row_groups\":%" PRIu64 ",\"threads\":%d",
      r.codec.c_str(), r.rows, r.seconds, r.rows_per_s, r.mb_per_s, r.file_bytes, r.row_groups,
      r.threads);
  std::string s(buf, static_cast<size_t>(n));
  if (r.read) {
    n = std::snprintf(buf, sizeof(buf),
                      ",\"read_seconds\":%.3f,\"read_mb_per_s\":%.1f,"
                      "\"read_uncompressed_mb_per_s\":%.1f",
                      r.read_seconds, r.read_mb_per_s, r.read_uncompressed_mb_per_s);
    s.append(buf, static_cast<size_t>(n));
  }
  s += "}";
  return s;
}

}  // namespace strata::bench
