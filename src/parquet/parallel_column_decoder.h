// ParallelColumnDecoder: decodes the columns of one row group on a thread pool, each column
// running up to `window` batches ahead of the consumer on its own.
//
// Decoding the columns of each batch in parallel and waiting for all of them leaves threads
// idle at every batch: columns cost very different amounts (a string column whose next
// page must be decompressed against a column of small integers), and the page boundaries
// of different columns fall in different batches. Letting each column run ahead smooths
// that out; the window bounds the memory to `window` decoded batches per column.
//
// Thread safety: Start and Take from one thread (the consumer); tasks run on the pool. A
// column's chunk reader is used by one task at a time, in batch order.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <mutex>
#include <vector>

#include "base/result.h"
#include "base/thread_pool.h"
#include "parquet/column_batch.h"
#include "parquet/column_chunk_reader.h"
#include "parquet/schema.h"

namespace strata::parquet {

class ParallelColumnDecoder {
 public:
  ParallelColumnDecoder(ThreadPool* pool, Schema schema, size_t window);
  // Waits for the tasks still running (they use the chunk readers and this object).
  ~ParallelColumnDecoder();
  ParallelColumnDecoder(const ParallelColumnDecoder&) = delete;
  ParallelColumnDecoder& operator=(const ParallelColumnDecoder&) = delete;

  // Starts a row group of `rows` rows, cut into batches of batch_rows: chunks[i] decodes
  // column i. The chunk readers must outlive the row group (the next Start, or the
  // destructor). Waits for the previous row group's tasks first.
  void Start(std::vector<ColumnChunkReader*> chunks, int64_t rows, size_t batch_rows);

  // Waits for the running tasks and schedules no more until the next Start: the chunk
  // readers may then be destroyed.
  void Stop();

  // Moves the next batch of every column into *batch (a batch of the schema); false when
  // the row group is done. The first error of any column is returned, and again after.
  Result<bool> Take(ColumnBatch* batch);

 private:
  struct Lane {
    std::deque<ColumnVector> ready;   // decoded batches, oldest first
    std::vector<ColumnVector> spare;  // vectors handed back by Take, for reuse
    ColumnVector decoding;            // the running task's output
    size_t next_batch = 0;            // index of the next batch to decode
    bool running = false;
  };

  size_t BatchRows(size_t index) const;
  // Schedules lane's next batch if it is not running, has one left, and is within the
  // window. Requires mu_.
  void MaybeScheduleLocked(size_t lane);
  void Decode(size_t lane, size_t index);
  void WaitIdleLocked(std::unique_lock<std::mutex>* lock);

  ThreadPool* const pool_;
  const Schema schema_;
  const size_t window_;

  std::mutex mu_;
  std::condition_variable cv_;  // a task finished
  std::vector<ColumnChunkReader*> chunks_;
  std::vector<Lane> lanes_;
  int64_t rows_ = 0;
  size_t batch_rows_ = 1;
  size_t batches_ = 0;  // in the row group
  size_t taken_ = 0;    // batches handed out
  size_t running_ = 0;  // tasks scheduled and not finished
  Status error_;        // the first failure
  bool stopping_ = false;
};

}  // namespace strata::parquet
