// The write path: the writer queue, write groups (one WAL record each), parallel memtable
// inserts within a group, the pipeline between the WAL and the memtable, and making room
// (memtable switches, level-0 slowdowns and stops).
#include <algorithm>
#include <chrono>
#include <thread>

#include "db/db_impl.h"
#include "db/memtable_inserter.h"
#include "db/write_batch_internal.h"

namespace strata {

namespace {

// Largest group of batches the write leader merges into one WAL record.
constexpr size_t kMaxGroupBytes = 1 << 20;

}  // namespace

struct DBImpl::Writer {
  Writer(WriteBatch* b, bool s) : batch(b), sync(s) {}
  WriteBatch* const batch;  // null: a Flush() request
  const bool sync;
  bool done = false;  // guarded by mu_
  // Set (under mu_) when the writer has something to do: it is done, has become the leader,
  // or must insert its batch. Lets a waiting writer notice without sleeping; done,
  // insert_now and the queue, read under mu_, remain the truth.
  std::atomic<bool> signaled{false};
  Status status;
  std::condition_variable cv;

  // A parallel insert the leader asks of this follower once the group is in the WAL:
  // insert batch into insert_mem from insert_sequence, store the outcome in insert_status,
  // then decrement *pending_inserts (release: the leader reads insert_status after seeing
  // the count reach zero). insert_now is guarded by mu_; the rest belongs to the follower
  // from the moment it sees insert_now until its decrement.
  bool insert_now = false;
  memtable::SequenceNumber insert_sequence = 0;
  memtable::MemTable* insert_mem = nullptr;
  std::atomic<int>* pending_inserts = nullptr;
  Status insert_status;
};

Status DBImpl::Put(const WriteOptions& options, const Slice& key, const Slice& value) {
  WriteBatch batch;
  batch.Put(key, value);
  return Write(options, &batch);
}

Status DBImpl::Delete(const WriteOptions& options, const Slice& key) {
  WriteBatch batch;
  batch.Delete(key);
  return Write(options, &batch);
}

Status DBImpl::Write(const WriteOptions& options, WriteBatch* batch) {
  Writer w(batch, options.sync);
  std::unique_lock lock(mu_);
  writers_.push_back(&w);
  // A follower leaves the queue when its group leaves the WAL stage, before it is done.
  auto leads = [&] { return !writers_.empty() && writers_.front() == &w; };
  while (!w.done && !leads()) {
    if (w.insert_now) {
      InsertForLeader(lock, &w);
      continue;
    }
    // The leader usually finishes within microseconds, less than a futex sleep and wake
    // cost: wait a moment without sleeping, then block.
    lock.unlock();
    const auto give_up =
        std::chrono::steady_clock::now() + std::chrono::microseconds(kWriterSpinMicros);
    while (!w.signaled.load(std::memory_order_acquire) &&
           std::chrono::steady_clock::now() < give_up) {
      std::this_thread::yield();
    }
    lock.lock();
    w.cv.wait(lock, [&] { return w.done || w.insert_now || leads(); });
  }
  if (w.done) return w.status;

  // Leader. Writes go through two stages: the WAL (one group at a time, in queue order),
  // then the memtable. A leader hands the WAL to the next group as soon as its own group is
  // in the log, and inserts while the next group writes its record; groups then publish
  // their sequence numbers in the order they took them, so readers never see a later write
  // without every earlier one.
  // A null batch only asks for a memtable switch (from Flush()).
  Status s = MakeRoomForWrite(lock, batch == nullptr);
  Writer* last_writer = &w;
  if (!s.ok() || batch == nullptr) {
    PopWriters(&w, last_writer, s);
    return s;
  }
  WriteBatch* group = BuildBatchGroup(&last_writer);
  const memtable::SequenceNumber first = last_allocated_sequence_ + 1;
  const memtable::SequenceNumber last = last_allocated_sequence_ + group->Count();
  last_allocated_sequence_ = last;
  WriteBatchInternal::SetSequence(group, first);
  bool sync = false;
  for (Writer* x : writers_) {
    sync = sync || x->sync;
    if (x == last_writer) break;
  }
  memtable::MemTable* mem = mem_;
  wal::GroupCommitWriter* wal = wal_.get();
  // Only the WAL leader appends to the WAL, and mem_ changes only under a leader once every
  // earlier group has published (MakeRoomForWrite): both are safe without mu_.
  lock.unlock();
  s = wal->Append(WriteBatchInternal::Contents(*group));
  if (s.ok() && sync) s = wal->Sync();
  lock.lock();
  stats_.ingest_bytes += WriteBatchInternal::Contents(*group).size();
  if (group == &group_batch_) group_batch_.Clear();
  if (!s.ok()) {
    // The WAL may hold part of the group: refuse further writes. No later group has taken
    // sequence numbers (the WAL is still ours), so nobody waits for this group to publish.
    if (bg_error_.ok()) bg_error_ = s;
    write_failed_.store(true, std::memory_order_release);
    PopWriters(&w, last_writer, s);
    return s;
  }
  // The group leaves the WAL stage: the next writer in the queue may lead.
  std::vector<Writer*> followers;
  followers.swap(group_followers_);
  for (Writer* x = nullptr; x != last_writer;) {
    x = writers_.front();
    writers_.pop_front();
  }
  if (!writers_.empty()) {
    writers_.front()->signaled.store(true, std::memory_order_release);
    writers_.front()->cv.notify_one();
  }
  s = InsertGroup(lock, &w, followers, first, mem);
  // Publish in sequence order: wait for every earlier group (or a failure, after which
  // nothing more is published). Earlier groups are inserting on other threads right now,
  // so the wait is short: yield rather than sleep.
  if (published_sequence_.load(std::memory_order_acquire) != first - 1) {
    lock.unlock();
    while (published_sequence_.load(std::memory_order_acquire) != first - 1 &&
           !write_failed_.load(std::memory_order_acquire)) {
      std::this_thread::yield();
    }
    lock.lock();
  }
  // A background error that arrived meanwhile does not fail this group: it is in the WAL
  // and the memtable like any group acknowledged before the error.
  if (s.ok() && !write_failed_.load(std::memory_order_relaxed)) {
    versions_->SetLastSequence(last);
    published_sequence_.store(last, std::memory_order_release);
  } else {
    // This group's insert failed (the memtable may hold part of it), or an earlier group's
    // did: nothing after the failure is published, and the DB refuses writes.
    if (s.ok()) s = Status::IOError("write failed", "an earlier write group could not be applied");
    if (bg_error_.ok()) bg_error_ = s;
    write_failed_.store(true, std::memory_order_release);
  }
  for (Writer* x : followers) {
    x->status = s;
    x->done = true;
    x->signaled.store(true, std::memory_order_release);
    x->cv.notify_one();
  }
  return s;
}

void DBImpl::PopWriters(Writer* leader, Writer* last_writer, const Status& s) {
  while (true) {
    Writer* x = writers_.front();
    writers_.pop_front();
    if (x != leader) {
      x->status = s;
      x->done = true;
      x->signaled.store(true, std::memory_order_release);
      x->cv.notify_one();
    }
    if (x == last_writer) break;
  }
  if (!writers_.empty()) {
    writers_.front()->signaled.store(true, std::memory_order_release);
    writers_.front()->cv.notify_one();
  }
}

Status DBImpl::InsertGroup(std::unique_lock<std::mutex>& lock, Writer* leader,
                           const std::vector<Writer*>& followers, memtable::SequenceNumber first,
                           memtable::MemTable* mem) {
  // Groups of earlier and later WAL leaders may be inserting into mem at the same time as
  // this one, so every insert takes the concurrent path.
  lock.unlock();
  if (followers.empty()) {
    MemTableInserter inserter(first, mem, /*concurrent=*/true);
    Status s = leader->batch->Iterate(&inserter);
    lock.lock();
    return s;
  }
  // Each writer inserts its own batch, at the sequence numbers its batch has in the group,
  // in its own thread: the followers are waiting anyway, and insertion is most of the work
  // of a write.
  std::atomic<int> pending{static_cast<int>(followers.size())};
  memtable::SequenceNumber next = first + leader->batch->Count();
  lock.lock();
  for (Writer* x : followers) {
    x->insert_sequence = next;
    next += x->batch->Count();
    x->insert_mem = mem;
    x->pending_inserts = &pending;
    x->insert_now = true;
    x->signaled.store(true, std::memory_order_release);
    x->cv.notify_one();
  }
  lock.unlock();
  MemTableInserter inserter(first, mem, /*concurrent=*/true);
  Status s = leader->batch->Iterate(&inserter);
  // The followers are running, or about to: a short wait, so yield rather than sleep.
  while (pending.load(std::memory_order_acquire) != 0) std::this_thread::yield();
  lock.lock();
  for (Writer* x : followers) {
    if (s.ok() && !x->insert_status.ok()) s = x->insert_status;
  }
  return s;
}

void DBImpl::InsertForLeader(std::unique_lock<std::mutex>& lock, Writer* w) {
  w->insert_now = false;
  // Cleared under mu_ before the leader can signal again (when the group is done).
  w->signaled.store(false, std::memory_order_relaxed);
  lock.unlock();
  MemTableInserter inserter(w->insert_sequence, w->insert_mem, /*concurrent=*/true);
  w->insert_status = w->batch->Iterate(&inserter);
  w->pending_inserts->fetch_sub(1, std::memory_order_release);
  lock.lock();
}

WriteBatch* DBImpl::BuildBatchGroup(Writer** last_writer) {
  Writer* first = writers_.front();
  WriteBatch* result = first->batch;
  size_t size = first->batch->ApproximateSize();
  // A small first batch does not wait for a big group: keep its latency low.
  const size_t max_size = size <= (128 << 10) ? size + (128 << 10) : kMaxGroupBytes;
  *last_writer = first;
  group_followers_.clear();
  for (auto it = writers_.begin() + 1; it != writers_.end(); ++it) {
    Writer* w = *it;
    if (w->batch == nullptr) break;  // a Flush() request: leave it to lead on its own
    size += w->batch->ApproximateSize();
    if (size > max_size) break;
    if (result == first->batch) {
      group_batch_.Clear();
      WriteBatchInternal::Append(&group_batch_, *first->batch);
      result = &group_batch_;
    }
    WriteBatchInternal::Append(result, *w->batch);
    *last_writer = w;
    group_followers_.push_back(w);
  }
  return result;
}

Status DBImpl::MakeRoomForWrite(std::unique_lock<std::mutex>& lock, bool force) {
  bool slowed = false;
  auto micros_since = [](std::chrono::steady_clock::time_point start) {
    return static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::microseconds>(
                                     std::chrono::steady_clock::now() - start)
                                     .count());
  };
  while (true) {
    if (!bg_error_.ok()) return bg_error_;
    const int l0_files = versions_->current()->NumFiles(0);
    if (!slowed && l0_files >= options_.level0_slowdown_writes_trigger &&
        l0_files < options_.level0_stop_writes_trigger) {
      // Level 0 is falling behind: delay this write group by 1 ms, once, handing the time to
      // the compaction rather than stopping writes outright later.
      const auto start = std::chrono::steady_clock::now();
      lock.unlock();
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
      lock.lock();
      slowed = true;
      stats_.slowdown_count++;
      stats_.slowdown_micros += micros_since(start);
      continue;
    }
    if (l0_files >= options_.level0_stop_writes_trigger) {
      // Too many level-0 files: wait for the compaction (never fail for it).
      const auto start = std::chrono::steady_clock::now();
      MaybeScheduleWork();
      bg_cv_.wait(lock);
      stats_.stop_count++;
      stats_.stop_micros += micros_since(start);
      continue;
    }
    if (!force && mem_->ApproximateMemoryUsage() <= options_.write_buffer_size) return Status::OK();
    if (versions_->last_sequence() != last_allocated_sequence_) {
      // Groups that left the WAL stage are still inserting into mem_: it may become
      // immutable (and be flushed) only once they have all published.
      lock.unlock();
      std::this_thread::yield();
      lock.lock();
      continue;
    }
    if (force && mem_->num_entries() == 0) return Status::OK();
    if (static_cast<int>(imms_.size()) >= std::max(options_.max_write_buffer_number, 2) - 1) {
      // Every memtable is full: wait for a flush.
      const auto start = std::chrono::steady_clock::now();
      bg_cv_.wait(lock);
      stats_.stop_count++;
      stats_.stop_micros += micros_since(start);
      continue;
    }
    Status s = NewWal();
    if (!s.ok()) return s;
    imms_.push_back({mem_, wal_number_});  // NewWal() made wal_number_ the log after it
    mem_ = new memtable::MemTable(icmp_, MemTableArenaBlockSize());
    mem_->Ref();
    // Before any write reaches the new memtable and publishes its sequence (see
    // super_version.h for why readers then never miss it).
    InstallSuperVersion();
    MaybeScheduleWork();
    return Status::OK();
  }
}

}  // namespace strata
