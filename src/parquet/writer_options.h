// WriterOptions: how ParquetWriter lays out a file. The defaults suit analytical readers
// (DuckDB, Spark, Trino): dictionary encoding where it pays, data page v1, SNAPPY, ~1 MiB
// pages, statistics everywhere and a page index.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "parquet/metadata.h"

namespace strata::parquet {

struct ColumnOptions {
  // Dictionary-encode the column (PLAIN dictionary page + RLE_DICTIONARY data pages) while
  // the dictionary pays for itself and stays under dictionary_page_bytes; then `encoding`.
  bool dictionary = true;
  // The encoding without (or after) the dictionary: kPlain, kDeltaBinaryPacked (INT32,
  // INT64), kDeltaLengthByteArray or kDeltaByteArray (BYTE_ARRAY), kByteStreamSplit (FLOAT,
  // DOUBLE, INT32, INT64, FIXED_LEN_BYTE_ARRAY).
  Encoding encoding = Encoding::kPlain;
  // Write a split-block bloom filter for each column chunk.
  bool bloom_filter = false;
};

struct WriterOptions {
  CompressionCodec compression = CompressionCodec::kSnappy;
  // zstd level (1..22, 0 = 3) or gzip level (1..9, 0 = 6).
  int compression_level = 0;

  // A row group ends at whichever comes first: this many rows, or this many bytes of
  // encoded (uncompressed) pages. Memory use is about one row group's compressed pages.
  size_t row_group_rows = 1 << 20;
  size_t row_group_bytes = 128 << 20;
  // A data page ends at this many bytes of encoded values and levels, or this many rows.
  size_t page_bytes = 1 << 20;
  size_t page_rows = 100000;
  // Data page version: 1 (the widest reader support) or 2.
  int data_page_version = 1;
  // CRC-32 of every page's bytes in its header.
  bool page_crc = false;
  // A dictionary larger than this (PLAIN bytes) stops growing: the column falls back to
  // its encoding for the rest of the row group.
  size_t dictionary_page_bytes = 1 << 20;
  // ColumnIndex and OffsetIndex for every column chunk (the ColumnIndex needs statistics).
  bool page_index = true;
  // Statistics in page headers and column chunks. Off only for files no reader will prune,
  // such as the external sorter's runs: computing bounds of byte arrays costs a comparison
  // per value.
  bool statistics = true;
  // Longest byte-array statistics bound written as is; longer ones are truncated and marked
  // inexact. 0: never truncate.
  size_t statistics_truncate_length = 64;
  // False-positive probability the bloom filters are sized for.
  double bloom_filter_fpp = 0.01;

  ColumnOptions default_column;
  std::map<std::string, ColumnOptions> columns;  // by column name, overriding the default

  // Written into every row group, e.g. {0, false, false}: sorted by the first column.
  std::vector<SortingColumn> sorting_columns;
  std::vector<KeyValue> key_value_metadata;

  // Threads that encode and compress columns in parallel (1: in the calling thread).
  int threads = 1;
  // Sync the file before Close returns.
  bool sync = true;

  const ColumnOptions& For(const std::string& column) const {
    auto it = columns.find(column);
    return it == columns.end() ? default_column : it->second;
  }
};

}  // namespace strata::parquet
