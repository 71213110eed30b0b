#include "app/worker_pool.h"

#include <algorithm>

namespace yuqing::app {

namespace {
constexpr size_t kBlock = 8;  // posts per hand-out: small enough to balance long and short posts
}

WorkerPool::WorkerPool(size_t workers) {
  for (size_t w = 1; w < std::max<size_t>(workers, 1); ++w) threads_.emplace_back([this, w] { Loop(w); });
}

WorkerPool::~WorkerPool() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  wake_.notify_all();
  for (auto& t : threads_) t.join();
}

// Takes blocks of items until none is left. Called with mu_ unlocked.
void WorkerPool::Drain(size_t worker) {
  for (;;) {
    size_t begin, end;
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (next_ >= n_) return;
      begin = next_;
      end = std::min(n_, begin + kBlock);
      next_ = end;
    }
    for (size_t i = begin; i < end; ++i) (*job_)(worker, i);
  }
}

void WorkerPool::Loop(size_t worker) {
  uint64_t seen = 0;
  for (;;) {
    {
      std::unique_lock<std::mutex> lock(mu_);
      wake_.wait(lock, [&] { return stop_ || generation_ != seen; });
      if (stop_) return;
      seen = generation_;
      ++busy_;
    }
    Drain(worker);
    {
      std::lock_guard<std::mutex> lock(mu_);
      --busy_;
    }
    done_.notify_all();
  }
}

void WorkerPool::ParallelFor(size_t n, const std::function<void(size_t, size_t)>& fn) {
  if (threads_.empty() || n <= kBlock) {
    for (size_t i = 0; i < n; ++i) fn(0, i);
    return;
  }
  {
    std::lock_guard<std::mutex> lock(mu_);
    job_ = &fn;
    n_ = n;
    next_ = 0;
    ++generation_;
  }
  wake_.notify_all();
  Drain(0);
  // Every item is handed out; wait for the threads still finishing theirs. A thread that wakes
  // only now finds nothing left and never touches job_.
  std::unique_lock<std::mutex> lock(mu_);
  done_.wait(lock, [&] { return busy_ == 0; });
  job_ = nullptr;
}

}  // namespace yuqing::app
