#include "app/worker_pool.h"

#include <gtest/gtest.h>

#include <atomic>
#include <set>
#include <thread>
#include <vector>

namespace yuqing::app {
namespace {

// Every item done when it returns: the pool's threads start, the caller finishes what is left.
void RunAll(WorkerPool& pool, size_t n, const WorkerPool::Job& job) {
  pool.Begin(n, job);
  pool.Finish();
}

TEST(WorkerPool, EveryItemExactlyOnceAcrossManyRounds) {
  WorkerPool pool(3);
  EXPECT_EQ(pool.size(), 3u);
  for (size_t round = 0; round < 200; ++round) {
    const size_t n = round * 7 % 1000;  // 0, tiny and large batches
    std::vector<std::atomic<int>> hits(n);
    std::vector<std::atomic<int>> by_worker(pool.size());
    RunAll(pool, n, [&](size_t worker, size_t i) {
      ASSERT_LT(worker, pool.size());
      hits[i].fetch_add(1);
      by_worker[worker].fetch_add(1);
    });
    for (size_t i = 0; i < n; ++i) ASSERT_EQ(hits[i].load(), 1) << "round " << round << " item " << i;
  }
}

TEST(WorkerPool, WorkersRunConcurrentlyAndNameThemselves) {
  WorkerPool pool(2);
  std::atomic<int> inside{0}, most{0};
  std::set<std::thread::id> threads;
  std::mutex mu;
  RunAll(pool, 2000, [&](size_t, size_t) {
    int now = inside.fetch_add(1) + 1;
    int seen = most.load();
    while (now > seen && !most.compare_exchange_weak(seen, now)) {
    }
    {
      std::lock_guard<std::mutex> lock(mu);
      threads.insert(std::this_thread::get_id());
    }
    volatile double x = 0;
    for (int k = 0; k < 2000; ++k) x = x + k;
    inside.fetch_sub(1);
  });
  EXPECT_EQ(threads.size(), 2u);  // the caller and the pool's thread both took items
}

TEST(WorkerPool, SizeOneRunsInlineOnTheCaller) {
  WorkerPool pool(1);
  EXPECT_EQ(pool.size(), 1u);
  const auto me = std::this_thread::get_id();
  size_t count = 0;
  RunAll(pool, 100, [&](size_t worker, size_t) {
    EXPECT_EQ(worker, 0u);
    EXPECT_EQ(std::this_thread::get_id(), me);
    ++count;
  });
  EXPECT_EQ(count, 100u);
}

TEST(WorkerPool, BeginLetsTheCallerConsumeInOrderWhileThreadsWork) {
  for (size_t workers : {1, 2, 3}) {
    WorkerPool pool(workers);
    const size_t n = 997;
    std::vector<std::atomic<bool>> ready(n);
    std::vector<int> value(n, 0);
    WorkerPool::Job job = [&](size_t, size_t i) {
      value[i] = static_cast<int>(i) * 2;
      ready[i].store(true, std::memory_order_release);
    };
    pool.Begin(n, job);
    long long sum = 0;
    for (size_t k = 0; k < n; ++k) {
      while (!ready[k].load(std::memory_order_acquire))
        if (!pool.RunOne(0)) std::this_thread::yield();
      sum += value[k];
    }
    pool.Finish();
    EXPECT_EQ(sum, static_cast<long long>(n) * (n - 1)) << workers << " workers";
  }
}

TEST(WorkerPool, FinishWithCancelDropsUntakenItemsAndJoins) {
  WorkerPool pool(2);
  std::atomic<size_t> done{0};
  WorkerPool::Job job = [&](size_t, size_t) {
    volatile double x = 0;
    for (int k = 0; k < 20000; ++k) x = x + k;
    done.fetch_add(1);
  };
  pool.Begin(100000, job);
  pool.Finish(/*cancel=*/true);
  size_t after = done.load();
  EXPECT_LT(after, 100000u);  // most items were dropped
  // Nothing runs after Finish returns, and the pool is reusable.
  std::this_thread::yield();
  EXPECT_EQ(done.load(), after);
  std::atomic<size_t> again{0};
  RunAll(pool, 50, [&](size_t, size_t) { again.fetch_add(1); });
  EXPECT_EQ(again.load(), 50u);
}

TEST(WorkerPool, FinishWithoutCancelRunsWhatIsLeftOnTheCaller) {
  WorkerPool pool(1);  // no threads: Finish must do the work itself
  std::atomic<size_t> done{0};
  WorkerPool::Job job = [&](size_t, size_t) { done.fetch_add(1); };
  pool.Begin(30, job);
  pool.Finish();
  EXPECT_EQ(done.load(), 30u);
}

}  // namespace
}  // namespace yuqing::app
