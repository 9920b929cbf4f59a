#include "parquet/parallel_column_decoder.h"

#include <algorithm>
#include <utility>

namespace strata::parquet {

ParallelColumnDecoder::ParallelColumnDecoder(ThreadPool* pool, Schema schema, size_t window)
    : pool_(pool), schema_(std::move(schema)), window_(std::max<size_t>(1, window)) {}

ParallelColumnDecoder::~ParallelColumnDecoder() { Stop(); }

void ParallelColumnDecoder::Stop() {
  std::unique_lock<std::mutex> lock(mu_);
  stopping_ = true;  // finishing tasks schedule no more
  WaitIdleLocked(&lock);
}

void ParallelColumnDecoder::WaitIdleLocked(std::unique_lock<std::mutex>* lock) {
  // Tasks reschedule themselves only while the window allows, so this ends: without Take,
  // at most `window_` batches per lane are decoded.
  cv_.wait(*lock, [&] { return running_ == 0; });
}

size_t ParallelColumnDecoder::BatchRows(size_t index) const {
  const auto start = static_cast<int64_t>(index * batch_rows_);
  return static_cast<size_t>(std::min<int64_t>(static_cast<int64_t>(batch_rows_), rows_ - start));
}

void ParallelColumnDecoder::Start(std::vector<ColumnChunkReader*> chunks, int64_t rows,
                                  size_t batch_rows) {
  std::unique_lock<std::mutex> lock(mu_);
  WaitIdleLocked(&lock);
  stopping_ = false;
  chunks_ = std::move(chunks);
  rows_ = rows;
  batch_rows_ = std::max<size_t>(1, batch_rows);
  batches_ = static_cast<size_t>((rows + static_cast<int64_t>(batch_rows_) - 1) /
                                 static_cast<int64_t>(batch_rows_));
  taken_ = 0;
  // Vectors decoded ahead for the old row group cannot be left: Take consumed them all, or
  // the consumer is abandoning the group. Keep them as spares.
  lanes_.resize(chunks_.size());
  for (Lane& lane : lanes_) {
    for (ColumnVector& v : lane.ready) lane.spare.push_back(std::move(v));
    lane.ready.clear();
    lane.next_batch = 0;
    lane.running = false;
  }
  if (!error_.ok()) return;
  for (size_t i = 0; i < lanes_.size(); i++) MaybeScheduleLocked(i);
}

void ParallelColumnDecoder::MaybeScheduleLocked(size_t lane_index) {
  Lane& lane = lanes_[lane_index];
  if (lane.running || stopping_ || !error_.ok()) return;
  if (lane.next_batch >= batches_ || lane.next_batch >= taken_ + window_) return;
  if (lane.spare.empty()) {
    lane.decoding =
        ColumnVector(schema_.column(lane_index).physical, schema_.column(lane_index).type_length);
  } else {
    lane.decoding = std::move(lane.spare.back());
    lane.spare.pop_back();
    lane.decoding.Clear();
  }
  const size_t index = lane.next_batch++;
  lane.running = true;
  running_++;
  pool_->Schedule([this, lane_index, index] { Decode(lane_index, index); });
}

void ParallelColumnDecoder::Decode(size_t lane_index, size_t index) {
  // While the lane is running, only this task touches its chunk reader and its `decoding`
  // vector, and lanes_ does not change size (Start waits for running tasks).
  Lane& lane = lanes_[lane_index];
  Status s = chunks_[lane_index]->Read(BatchRows(index), &lane.decoding);
  std::lock_guard<std::mutex> lock(mu_);
  lane.running = false;
  running_--;
  if (!s.ok()) {
    if (error_.ok()) error_ = s;
  } else {
    lane.ready.push_back(std::move(lane.decoding));
    MaybeScheduleLocked(lane_index);
  }
  cv_.notify_all();
}

Result<bool> ParallelColumnDecoder::Take(ColumnBatch* batch) {
  std::unique_lock<std::mutex> lock(mu_);
  if (!error_.ok()) return error_;
  // Stopped, with nothing scheduled: a wait would never end.
  if (stopping_) return Status::InvalidArgument("parallel column decoder", "Take after Stop");
  if (taken_ >= batches_) return false;
  cv_.wait(lock, [&] {
    if (!error_.ok()) return true;
    return std::all_of(lanes_.begin(), lanes_.end(),
                       [](const Lane& l) { return !l.ready.empty(); });
  });
  if (!error_.ok()) return error_;
  for (size_t i = 0; i < lanes_.size(); i++) {
    Lane& lane = lanes_[i];
    // The caller's old vector becomes a spare (its buffers keep their capacity), unless
    // enough are kept already.
    if (lane.spare.size() <= window_) lane.spare.push_back(std::move(batch->column(i)));
    batch->column(i) = std::move(lane.ready.front());
    lane.ready.pop_front();
  }
  taken_++;
  for (size_t i = 0; i < lanes_.size(); i++) MaybeScheduleLocked(i);
  return true;
}

}  // namespace strata::parquet
