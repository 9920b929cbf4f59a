// ParquetReader: opens a Parquet file (ours or any conforming writer's, flat schemas),
// checks its footer, and reads it back as ColumnBatches: chosen columns only, row groups
// pruned by predicates, in batches of a bounded number of rows.
//
// Open reads and validates the whole footer: the magic at both ends, the footer length, the
// schema, and for every column chunk that its byte range lies inside the file, before any
// page is touched. Pages are validated as they are read (PageReader, ColumnChunkReader).
// Every error is Corruption or NotSupported naming the file and, where there is one, the
// byte offset.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/result.h"
#include "base/thread_pool.h"
#include "parquet/column_batch.h"
#include "parquet/column_chunk_reader.h"
#include "parquet/metadata.h"
#include "parquet/predicate.h"
#include "parquet/schema.h"
#include "parquet/split_block_bloom_filter.h"
#include "strata/env.h"

namespace strata::parquet {

struct ScanOptions {
  // Columns to read, by name, in this order; empty: every column.
  std::vector<std::string> columns;
  // ANDed; row groups that cannot satisfy them all are skipped.
  std::vector<Predicate> predicates;
  // Probe bloom filters for = and IN after the statistics.
  bool use_bloom_filters = true;
  // Rows per batch (the last batch of each row group may be shorter).
  size_t batch_rows = 64 * 1024;
  // Threads decoding columns in parallel (1: in the calling thread).
  int threads = 1;
};

// Why row groups were skipped, for tools and tests.
struct PruneStats {
  size_t row_groups = 0;
  size_t by_statistics = 0;
  size_t by_bloom_filter = 0;
};

class BatchReader;
class ParallelColumnDecoder;

class ParquetReader {
 public:
  static Result<std::unique_ptr<ParquetReader>> Open(Env* env, const std::string& path,
                                                     bool use_mmap = false);
  // Reads from an open file of file_size bytes; name is used in messages.
  static Result<std::unique_ptr<ParquetReader>> Open(std::unique_ptr<RandomAccessFile> file,
                                                     uint64_t file_size, const std::string& name);

  const FileMetaData& metadata() const { return metadata_; }
  const Schema& schema() const { return schema_; }
  const std::string& name() const { return name_; }
  uint64_t file_size() const { return file_size_; }
  size_t num_row_groups() const { return metadata_.row_groups.size(); }
  int64_t num_rows() const { return metadata_.num_rows; }
  // Offset of the footer (FileMetaData) in the file, and its length.
  uint64_t footer_offset() const { return footer_offset_; }
  uint32_t footer_length() const { return footer_length_; }

  // Row groups that may hold rows satisfying every predicate. InvalidArgument for a
  // predicate on a column the file does not have.
  Result<std::vector<int>> SelectRowGroups(const std::vector<Predicate>& predicates,
                                           bool use_bloom_filters, PruneStats* stats = nullptr);

  // The bloom filter of a column chunk, if it has one.
  Result<std::optional<SplitBlockBloomFilter>> ReadBloomFilter(int row_group, int column);
  Result<std::optional<ColumnIndex>> ReadColumnIndex(int row_group, int column);
  Result<std::optional<OffsetIndex>> ReadOffsetIndex(int row_group, int column);

  // A reader of the chosen columns and row groups, in batches.
  Result<std::unique_ptr<BatchReader>> Scan(const ScanOptions& options);
  // Opens one column chunk for reading (for callers that drive their own batching).
  Result<std::unique_ptr<ColumnChunkReader>> OpenColumnChunk(int row_group, int column);

  const RandomAccessFile* file() const { return file_.get(); }

 private:
  ParquetReader(std::unique_ptr<RandomAccessFile> file, uint64_t size, std::string name);
  Status ReadFooter();
  Status ValidateRowGroups();
  Status Corrupt(uint64_t offset, const std::string& what) const;
  // Reads [offset, offset + length) into *out, checking it lies inside the file.
  Status ReadRange(uint64_t offset, uint64_t length, std::string* out) const;
  // Where a chunk's pages start, and how many bytes they take (validated by Open).
  void ChunkRange(const ColumnMetaData& meta, uint64_t* start, uint64_t* length) const;

  std::unique_ptr<RandomAccessFile> file_;
  const uint64_t file_size_;
  const std::string name_;
  uint64_t footer_offset_ = 0;
  uint32_t footer_length_ = 0;
  FileMetaData metadata_;
  Schema schema_;
};

class BatchReader {
 public:
  ~BatchReader();
  // The next batch of up to batch_rows rows; false when every selected row group is done.
  Result<bool> Next(ColumnBatch* batch);
  const std::vector<int>& row_groups() const { return row_groups_; }
  const Schema& schema() const { return schema_; }
  const PruneStats& prune_stats() const { return prune_stats_; }

 private:
  friend class ParquetReader;
  BatchReader(ParquetReader* reader, Schema schema, std::vector<int> columns,
              std::vector<int> row_groups, size_t batch_rows, int threads);
  Status StartRowGroup();

  ParquetReader* reader_;
  Schema schema_;             // of the projected columns
  std::vector<int> columns_;  // their indexes in the file
  std::vector<int> row_groups_;
  size_t batch_rows_;
  PruneStats prune_stats_;
  size_t next_group_ = 0;  // index into row_groups_ of the group to start next
  int64_t rows_left_ = 0;  // in the current row group
  std::vector<std::unique_ptr<ColumnChunkReader>> chunks_;
  std::unique_ptr<ThreadPool> pool_;  // when decoding columns in parallel
  // Runs the columns ahead on pool_. Declared after chunks_ and pool_: destroyed first, it
  // waits for its tasks, which use both.
  std::unique_ptr<ParallelColumnDecoder> decoder_;
};

}  // namespace strata::parquet
