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

// Takes the next block; the taker counts as busy until it reports back (in RunOne / Loop).
bool WorkerPool::Take(size_t& begin, size_t& end) {
  std::lock_guard<std::mutex> lock(mu_);
  if (!job_ || next_ >= n_) return false;
  begin = next_;
  end = std::min(n_, begin + kBlock);
  next_ = end;
  ++busy_;
  return true;
}

bool WorkerPool::RunOne(size_t worker) {
  size_t begin, end;
  if (!Take(begin, end)) return false;
  for (size_t i = begin; i < end; ++i) (*job_)(worker, i);
  {
    std::lock_guard<std::mutex> lock(mu_);
    --busy_;
  }
  done_.notify_all();
  return true;
}

void WorkerPool::Loop(size_t worker) {
  uint64_t seen = 0;
  for (;;) {
    {
      std::unique_lock<std::mutex> lock(mu_);
      wake_.wait(lock, [&] { return stop_ || generation_ != seen; });
      if (stop_) return;
      seen = generation_;
    }
    while (RunOne(worker)) {
    }
  }
}

void WorkerPool::Begin(size_t n, const Job& fn) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    job_ = &fn;
    n_ = n;
    next_ = 0;
    ++generation_;
  }
  if (!threads_.empty()) wake_.notify_all();
}

void WorkerPool::Finish(bool cancel) {
  while (!cancel && RunOne(0)) {  // items nobody took yet (a pool of size 1 has no threads)
  }
  std::unique_lock<std::mutex> lock(mu_);
  if (cancel) next_ = n_;
  // Every block is taken (or dropped); wait for those still running. A thread that wakes only
  // now finds nothing to take and never touches job_.
  done_.wait(lock, [&] { return next_ >= n_ && busy_ == 0; });
  job_ = nullptr;
}

}  // namespace yuqing::app
