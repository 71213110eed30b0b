// The scheduler of `yuqing serve`: one thread that fetches each data source when it is due
// (sources.next_run_at), hands the records to the ingest path (RecordSink), and checks every
// source for silence (source_runner.h). It reads the sources table on every round, so a source
// added, paused or removed by the CLI or the API takes effect within one `poll` period.
//
//   auto sched = SourceScheduler::Start(services, sink, opts);
//   ...
//   sched->Stop();   // finishes the fetch in progress
#pragma once

#include <atomic>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>

#include "app/services.h"
#include "app/source_runner.h"

namespace yuqing::app { class AlertListeners; }

namespace yuqing::app {

struct SchedulerOptions {
  TimeMs poll = kSecond;                 // how often the table is read for due sources
  std::function<void(const SourceRunReport&)> on_run;  // after each fetch (logging, metrics)
};

class SourceScheduler {
 public:
  // Opens its own store connection and starts the thread.
  static Result<std::unique_ptr<SourceScheduler>> Start(Services& services, RecordSink sink, SchedulerOptions opts);
  ~SourceScheduler();  // Stop()s
  void Stop();
  int64_t runs() const { return runs_.load(); }

 private:
  SourceScheduler(Services& s, RecordSink sink, SchedulerOptions o);
  void Loop();
  Status Round();
  Status RunDue(store::SourceRow& s);  // fetches s when due, then checks it for silence

  Services& services_;
  RecordSink sink_;
  SchedulerOptions opts_;
  std::unique_ptr<store::Database> db_;  // the thread's (opened by Start)
  std::unique_ptr<store::SourceStore> sources_;
  std::unique_ptr<AlertListeners> listeners_;  // silence alerts → outbox (app/listeners.h)
  HostGate gate_;                           // per-origin rate limit for page sources
  std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;  // guarded by mu_
  std::atomic<int64_t> runs_{0};
  std::thread thread_;
};

}  // namespace yuqing::app
