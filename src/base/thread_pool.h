// ThreadPool: a fixed number of threads running scheduled tasks in FIFO order.
//
// Tasks must not throw (Strata code does not use exceptions; a throwing task terminates the
// process). A task may Schedule more tasks, but must not call Wait() or destroy the pool:
// both wait for the task itself to finish.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace strata {

class ThreadPool {
 public:
  // Starts `threads` worker threads; fewer than 1 is taken as 1.
  explicit ThreadPool(int threads);
  // Runs every task still queued, then joins the workers.
  ~ThreadPool();
  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;

  // Queues task to run on some worker thread. Thread-safe.
  void Schedule(std::function<void()> task);
  // Blocks until every task scheduled so far, and every task those tasks scheduled, has
  // finished. Thread-safe; returns at once when nothing is pending.
  void Wait();

  int NumThreads() const { return static_cast<int>(workers_.size()); }

 private:
  void WorkerLoop();

  // Guards queue_, pending_ and stopping_.
  std::mutex mu_;
  // Signalled when queue_ gains a task or stopping_ becomes true.
  std::condition_variable work_available_;
  // Signalled when pending_ drops to 0.
  std::condition_variable all_done_;
  std::deque<std::function<void()>> queue_;
  // Tasks scheduled and not yet finished: those in queue_ plus those running. Wait() returns
  // when it is 0.
  size_t pending_ = 0;
  // Set by the destructor: workers exit once queue_ is empty.
  bool stopping_ = false;
  // Written only by the constructor and destructor.
  std::vector<std::thread> workers_;
};

}  // namespace strata
