// A fixed set of threads for the pipeline's per-post work (normalise, segment, analyse, match),
// which is independent from post to post. The calling thread works too (as worker 0), so a pool
// of size 1 has no threads at all and runs everything inline. One caller at a time.
//
// Begin(n, fn) starts the pool's threads on the items at once while the caller does something
// else (the pipeline stores the posts already prepared), helping with RunOne(0) when it must
// wait; Finish() returns when every item is done. Items are handed out in increasing order, in
// blocks of a few.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace yuqing::app {

class WorkerPool {
 public:
  using Job = std::function<void(size_t worker, size_t i)>;

  // workers >= 1: the number of threads that share the work, the caller's included.
  explicit WorkerPool(size_t workers);
  ~WorkerPool();  // stops and joins
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  size_t size() const { return threads_.size() + 1; }

  // Starts fn(worker, i) for every i in [0, n) on the pool's threads and returns at once; worker
  // in [0, size()) names the thread (for its scratch memory). fn must outlive Finish().
  void Begin(size_t n, const Job& fn);
  // Runs the next block of items on the caller (as `worker`); false when none is left to take.
  bool RunOne(size_t worker);
  // Runs the items nobody took yet on the caller, then waits until every item is done.
  // cancel: items not yet taken are dropped instead.
  void Finish(bool cancel = false);

 private:
  void Loop(size_t worker);
  bool Take(size_t& begin, size_t& end);

  std::vector<std::thread> threads_;
  std::mutex mu_;
  std::condition_variable wake_, done_;
  const Job* job_ = nullptr;
  size_t n_ = 0, next_ = 0, busy_ = 0;
  uint64_t generation_ = 0;
  bool stop_ = false;
};

}  // namespace yuqing::app
