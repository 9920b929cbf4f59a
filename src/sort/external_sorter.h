// ExternalSorter: sorts more rows than fit in memory. Rows arrive as ColumnBatches; they
// are gathered into runs of bounded size, each run is sorted and written as a Parquet file,
// and Finish() merges the runs with a loser tree into one sorted stream of batches.
//
//   Add(batch) ... Add(batch)       the run buffer fills; a full buffer is handed to a
//                                    worker that sorts it and writes <prefix>.0001.parquet
//                                    while the caller fills the next buffer
//   Finish(sink)                     more runs than fan_in: intermediate passes merge
//                                    groups of fan_in runs into larger runs; then the final
//                                    pass streams batches of output_batch_rows to sink
//
// Memory: two run buffers (the one filling and the one being sorted and written) while
// adding; while merging, one batch per input run plus one output batch. Run files carry the
// run codec and sorting_columns; they are deleted once merged. Rows with equal keys are an
// error when `unique_keys` is set (the caller says what that means, e.g. a duplicate key in
// an RDB): Finish reports Corruption through the duplicate_message callback.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "base/result.h"
#include "base/thread_pool.h"
#include "parquet/column_batch.h"
#include "parquet/metadata.h"
#include "parquet/schema.h"
#include "sort/row_order.h"
#include "strata/env.h"

namespace strata::sort {

struct ExternalSorterOptions {
  Env* env = nullptr;  // Env::Default() when null
  // Run files are "<run_dir>/<run_prefix>.NNNN.parquet" (NNNN from 0001).
  std::string run_dir;
  std::string run_prefix = "run";
  // A run ends at whichever comes first.
  size_t run_rows = 100000;
  size_t run_bytes = 64 << 20;
  parquet::CompressionCodec run_codec = parquet::CompressionCodec::kLz4Raw;
  // Runs merged at once; more runs take intermediate passes.
  size_t fan_in = 128;
  // Rows per batch handed to the sink, and read per input run while merging.
  size_t output_batch_rows = 64 * 1024;
  size_t merge_read_batch_rows = 4096;
  // Sort and write full runs here while the caller keeps adding (null: in the caller).
  ThreadPool* pool = nullptr;
  bool unique_keys = false;
  // Describes a duplicate for the error message, from the batch and row holding it.
  std::function<std::string(const parquet::ColumnBatch&, size_t)> duplicate_message;
  // Called after each run is written and after each merge pass, for logs.
  std::function<void(const std::string&)> log;
};

struct ExternalSorterStats {
  uint64_t rows = 0;
  uint64_t runs = 0;               // first-pass runs
  uint64_t intermediate_runs = 0;  // written by intermediate passes
  uint64_t merge_passes = 0;       // intermediate passes plus the final one
  uint64_t run_bytes = 0;          // bytes of every run file written
};

class ExternalSorter {
 public:
  // key_columns: the sort key (ascending, nulls first), most significant first.
  ExternalSorter(parquet::Schema schema, std::vector<int> key_columns,
                 ExternalSorterOptions options);
  ~ExternalSorter();

  const parquet::Schema& schema() const { return schema_; }
  // The run buffer, for callers that build rows in place: append rows to it, then call
  // AddBuffered(), which spills it when it is full.
  parquet::ColumnBatch* buffer() { return &buffer_; }
  Status AddBuffered();
  // Appends a batch's rows (same schema).
  Status Add(const parquet::ColumnBatch& batch);

  // Merges everything added and calls sink with each sorted output batch, in order.
  Status Finish(const std::function<Status(const parquet::ColumnBatch&)>& sink);

  const ExternalSorterStats& stats() const { return stats_; }
  // Run files that exist now (for cleanup after a failure).
  std::vector<std::string> LiveRunFiles() const;
  // Deletes every run file still on disk.
  void RemoveRunFiles();

 private:
  std::string RunPath(uint64_t number) const;
  // Sorts and writes the full buffer, on the pool if there is one.
  Status SpillBuffer();
  Status WaitForSpill();
  Status WriteRun(const parquet::ColumnBatch& rows, const std::string& path, uint64_t* bytes);
  Status MergeRuns(const std::vector<std::string>& inputs,
                   const std::function<Status(const parquet::ColumnBatch&)>& sink);
  Status MergeIntoRun(const std::vector<std::string>& inputs, const std::string& output);

  const parquet::Schema schema_;
  const RowOrder order_;
  ExternalSorterOptions options_;
  Env* env_;

  parquet::ColumnBatch buffer_;    // filling
  parquet::ColumnBatch spilling_;  // being sorted and written by the pool
  bool spill_pending_ = false;
  std::mutex spill_mu_;
  std::condition_variable spill_done_;
  Status spill_status_;  // guarded by spill_mu_

  std::vector<std::string> runs_;  // written runs, in order
  uint64_t next_run_ = 1;
  ExternalSorterStats stats_;
};

}  // namespace strata::sort
