// A holder for the current Matcher that rebuilds in a background thread and swaps atomically,
// so schemes can change while posts flow: readers never wait for a rebuild, and see either the
// old or the new matcher, never a mix.
//
//   LiveMatcher live(norm);
//   live.UpdateNow(schemes);                 // at start-up
//   auto m = live.Current();                 // per batch of posts: one atomic load
//   m->Match(input, hits, scratch);          // scratch per thread
//   live.Update(new_schemes);                // when the store changes: returns immediately
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "core/status.h"
#include "rules/matcher.h"

namespace yuqing::rules {

class LiveMatcher {
 public:
  // Starts with an empty matcher (matches nothing).
  explicit LiveMatcher(std::shared_ptr<const text::Normalizer> norm, CompileOptions opts = {});
  // Stops the background thread; a pending rebuild is abandoned.
  ~LiveMatcher();
  LiveMatcher(const LiveMatcher&) = delete;
  LiveMatcher& operator=(const LiveMatcher&) = delete;

  // The current matcher; never null. Lock-free for readers in practice (one atomic load).
  std::shared_ptr<const Matcher> Current() const { return current_.load(std::memory_order_acquire); }

  // Schedules a rebuild from `schemes` and returns at once. A newer Update supersedes a pending
  // one that has not started. The old matcher keeps serving until the new one is swapped in.
  void Update(std::vector<Scheme> schemes);

  // Rebuilds synchronously in the calling thread and swaps (start-up, tests). Fails only when
  // compilation fails; then the current matcher stays.
  Status UpdateNow(std::vector<Scheme> schemes);

  // Blocks until no rebuild is pending or running; returns the status of the last build.
  Status Wait();

  // Incremented by every successful swap.
  uint64_t generation() const { return generation_.load(std::memory_order_acquire); }
  // Schemes the last build left out because they did not parse.
  std::vector<CompileError> last_errors() const;

 private:
  void Loop();
  Status Build(const std::vector<Scheme>& schemes);

  std::shared_ptr<const text::Normalizer> norm_;
  CompileOptions opts_;
  std::atomic<std::shared_ptr<const Matcher>> current_;
  std::atomic<uint64_t> generation_{0};

  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::optional<std::vector<Scheme>> pending_;  // guarded by mu_
  bool busy_ = false;                           // guarded by mu_
  bool stop_ = false;                           // guarded by mu_
  Status last_status_;                          // guarded by mu_
  std::vector<CompileError> last_errors_;       // guarded by mu_
  std::thread worker_;
};

}  // namespace yuqing::rules
