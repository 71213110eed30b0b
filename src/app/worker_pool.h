// A fixed set of threads for the pipeline's per-post work (normalise, segment, analyse, match),
// which is independent from post to post. The calling thread works too, so a pool of size 1 has
// no threads at all and runs everything inline. One caller at a time.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace yuqing::app {

class WorkerPool {
 public:
  // workers >= 1: the number of threads that share the work, the caller's included.
  explicit WorkerPool(size_t workers);
  ~WorkerPool();  // stops and joins
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  size_t size() const { return threads_.size() + 1; }

  // Calls fn(worker, i) for every i in [0, n), worker in [0, size()) naming the thread (for its
  // scratch memory); items are handed out in small blocks as threads become free. Returns when
  // every call has returned.
  void ParallelFor(size_t n, const std::function<void(size_t worker, size_t i)>& fn);

 private:
  void Loop(size_t worker);
  void Drain(size_t worker);

  std::vector<std::thread> threads_;
  std::mutex mu_;
  std::condition_variable wake_, done_;
  const std::function<void(size_t, size_t)>* job_ = nullptr;
  size_t n_ = 0, next_ = 0, busy_ = 0;
  uint64_t generation_ = 0;
  bool stop_ = false;
};

}  // namespace yuqing::app
