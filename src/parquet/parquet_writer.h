// ParquetWriter: writes ColumnBatches into a Parquet file, streaming.
//
//   "PAR1" | row group 0: column chunks (dictionary page, data pages) | its bloom filters |
//   row group 1 ... | column indexes | offset indexes | footer (FileMetaData) |
//   footer length (4 bytes LE) | "PAR1"
//
// Rows are buffered only until their row group is complete, as compressed pages: memory is
// bounded by one row group, never by the file. Close() writes the page index and the
// footer; a writer destroyed without Close leaves a file without a footer, which no reader
// accepts (the caller deletes it, or writes under a temporary name and renames).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "base/result.h"
#include "base/thread_pool.h"
#include "parquet/column_batch.h"
#include "parquet/column_chunk_writer.h"
#include "parquet/metadata.h"
#include "parquet/schema.h"
#include "parquet/writer_options.h"
#include "strata/env.h"

namespace strata::parquet {

// What Close() wrote.
struct WriteSummary {
  FileMetaData metadata;
  uint64_t file_bytes = 0;
};

class ParquetWriter {
 public:
  // Creates (or truncates) path through env. InvalidArgument for a bad schema or options.
  static Result<std::unique_ptr<ParquetWriter>> Open(Env* env, const std::string& path,
                                                     const Schema& schema,
                                                     const WriterOptions& options);
  // Writes into an open file; name is used in error messages.
  static Result<std::unique_ptr<ParquetWriter>> Open(std::unique_ptr<WritableFile> file,
                                                     const std::string& name, const Schema& schema,
                                                     const WriterOptions& options);
  ~ParquetWriter();

  // Appends the batch's rows. Its columns must match the schema in number, order, physical
  // type and nullability (InvalidArgument naming the column otherwise).
  Status Write(const ColumnBatch& batch);
  // Appends the batch's rows in the order rows lists them (indexes into the batch).
  Status WriteRows(const ColumnBatch& batch, const std::vector<uint32_t>& rows);
  // Adds (or replaces) a key/value metadata entry of the footer; until Close.
  void SetKeyValue(const std::string& key, std::string value);
  // Ends the file. The writer can do nothing more afterwards.
  Result<WriteSummary> Close();

  const Schema& schema() const { return schema_; }
  uint64_t rows_written() const { return rows_written_; }
  // Bytes written to the file so far (row groups already flushed).
  uint64_t bytes_written() const { return offset_; }

 private:
  ParquetWriter(std::unique_ptr<WritableFile> file, std::string name, Schema schema,
                WriterOptions options);

  Status Init();
  Status CheckBatch(const ColumnBatch& batch) const;
  // Appends n rows: [0, n) of the batch, or rows[0, n) when rows is given.
  Status AppendRows(const ColumnBatch& batch, size_t n, const uint32_t* rows);
  Status Append(const void* data, size_t n);
  // Runs fn(i) for every column, on the pool if there is one; the first error wins.
  Status ForEachColumn(const std::function<Status(size_t)>& fn);
  Status FlushRowGroup();
  Status WritePageIndex();
  Status Fail(Status s);

  std::unique_ptr<WritableFile> file_;
  const std::string name_;
  const Schema schema_;
  const WriterOptions options_;
  std::unique_ptr<ThreadPool> pool_;
  std::vector<std::unique_ptr<ColumnChunkWriter>> columns_;
  std::vector<FinishedChunk> finished_;

  uint64_t offset_ = 0;  // bytes written to the file
  uint64_t rows_written_ = 0;
  size_t row_group_rows_ = 0;  // rows in the open row group
  FileMetaData metadata_;
  // Per row group, per column: the page index, written at Close.
  std::vector<std::vector<ColumnIndex>> column_indexes_;
  std::vector<std::vector<OffsetIndex>> offset_indexes_;
  Status error_;  // sticky: after a failure the file is unusable
  bool closed_ = false;
};

}  // namespace strata::parquet
