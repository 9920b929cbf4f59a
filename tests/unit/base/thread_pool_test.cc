#include "base/thread_pool.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

namespace strata {
namespace {

TEST(ThreadPoolTest, RunsEveryTask) {
  ThreadPool pool(4);
  std::atomic<int> counter{0};
  for (int i = 0; i < 10000; i++) {
    pool.Schedule([&counter] { counter.fetch_add(1, std::memory_order_relaxed); });
  }
  pool.Wait();
  EXPECT_EQ(counter.load(), 10000);
}

TEST(ThreadPoolTest, WaitWithNothingScheduledReturns) {
  ThreadPool pool(2);
  pool.Wait();
  pool.Wait();
}

TEST(ThreadPoolTest, WaitCanBeRepeated) {
  ThreadPool pool(3);
  std::atomic<int> counter{0};
  for (int round = 1; round <= 5; round++) {
    for (int i = 0; i < 100; i++) pool.Schedule([&counter] { counter++; });
    pool.Wait();
    EXPECT_EQ(counter.load(), round * 100);
  }
}

TEST(ThreadPoolTest, WaitCoversTasksScheduledByTasks) {
  ThreadPool pool(4);
  std::atomic<int> counter{0};
  for (int i = 0; i < 100; i++) {
    pool.Schedule([&pool, &counter] {
      counter++;
      pool.Schedule([&counter] { counter++; });
    });
  }
  pool.Wait();
  EXPECT_EQ(counter.load(), 200);
}

TEST(ThreadPoolTest, DestructionRunsPendingWork) {
  std::atomic<int> counter{0};
  {
    ThreadPool pool(2);
    // The first tasks are slow, so most of the work is still queued when the pool goes away.
    for (int i = 0; i < 4; i++) {
      pool.Schedule([&counter] {
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
        counter++;
      });
    }
    for (int i = 0; i < 1000; i++) pool.Schedule([&counter] { counter++; });
  }
  EXPECT_EQ(counter.load(), 1004);
}

TEST(ThreadPoolTest, UsesSeveralThreads) {
  constexpr int kThreads = 4;
  ThreadPool pool(kThreads);
  EXPECT_EQ(pool.NumThreads(), kThreads);
  // Every task blocks until all kThreads are inside one at the same time, which can only
  // happen if the pool really runs kThreads of them in parallel.
  std::atomic<int> arrived{0};
  std::mutex mu;  // guards ids
  std::set<std::thread::id> ids;
  for (int i = 0; i < kThreads; i++) {
    pool.Schedule([&] {
      {
        std::lock_guard<std::mutex> lock(mu);
        ids.insert(std::this_thread::get_id());
      }
      arrived++;
      while (arrived.load() < kThreads) std::this_thread::yield();
    });
  }
  pool.Wait();
  EXPECT_EQ(ids.size(), static_cast<size_t>(kThreads));
}

TEST(ThreadPoolTest, NonPositiveThreadCountMeansOne) {
  ThreadPool pool(0);
  EXPECT_EQ(pool.NumThreads(), 1);
  std::atomic<int> counter{0};
  pool.Schedule([&counter] { counter++; });
  pool.Wait();
  EXPECT_EQ(counter.load(), 1);
}

TEST(ThreadPoolTest, ScheduleFromManyThreads) {
  ThreadPool pool(3);
  std::atomic<int> counter{0};
  std::vector<std::thread> producers;
  for (int t = 0; t < 4; t++) {
    producers.emplace_back([&] {
      for (int i = 0; i < 1000; i++) pool.Schedule([&counter] { counter++; });
    });
  }
  for (std::thread& t : producers) t.join();
  pool.Wait();
  EXPECT_EQ(counter.load(), 4000);
}

TEST(ThreadPoolTest, TaskStateIsReleasedBeforeWaitReturns) {
  ThreadPool pool(2);
  auto token = std::make_shared<int>(0);
  for (int i = 0; i < 100; i++) pool.Schedule([token] { (void)*token; });
  pool.Wait();
  EXPECT_EQ(token.use_count(), 1);
}

}  // namespace
}  // namespace strata
