#include "app/worker_pool.h"

#include <gtest/gtest.h>

#include <atomic>
#include <set>
#include <thread>
#include <vector>

namespace yuqing::app {
namespace {

TEST(WorkerPool, EveryItemExactlyOnceAcrossManyRounds) {
  WorkerPool pool(3);
  EXPECT_EQ(pool.size(), 3u);
  for (size_t round = 0; round < 200; ++round) {
    const size_t n = round * 7 % 1000;  // 0, tiny and large batches
    std::vector<std::atomic<int>> hits(n);
    std::vector<std::atomic<int>> by_worker(pool.size());
    pool.ParallelFor(n, [&](size_t worker, size_t i) {
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
  pool.ParallelFor(2000, [&](size_t, size_t) {
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
  pool.ParallelFor(100, [&](size_t worker, size_t) {
    EXPECT_EQ(worker, 0u);
    EXPECT_EQ(std::this_thread::get_id(), me);
    ++count;
  });
  EXPECT_EQ(count, 100u);
}

}  // namespace
}  // namespace yuqing::app
