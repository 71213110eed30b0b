// The single writer of `yuqing serve`: one thread owns an app::Pipeline and commits what
// POST /api/v1/posts (and other in-process sources) hand it through a bounded queue. Several
// waiting requests are merged into one pipeline batch (one transaction); each caller gets its
// own records' results once the batch has committed. Committed posts go to the live stream.
#pragma once

#include <condition_variable>
#include <deque>
#include <future>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "app/pipeline.h"
#include "app/services.h"
#include "core/status.h"
#include "server/metrics.h"
#include "server/stream.h"

namespace yuqing::server {

struct IngestOptions {
  size_t max_queued_records = 20000;  // Submit waits (then fails Unavailable) beyond this
  size_t max_batch_records = 2000;    // records per pipeline batch (transaction)
  int submit_wait_ms = 5000;          // how long Submit waits for room in the queue
  TimeMs tick_interval = kSecond;     // Pipeline::Tick cadence (warning windows, escalations)
};

class IngestWriter {
 public:
  // Creates the pipeline (loads the segmenter) and starts the writer thread.
  static Result<std::unique_ptr<IngestWriter>> Start(app::Services& services, IngestOptions opts,
                                                     StreamPublisher* publisher, Metrics* metrics);
  // Stops after draining the queue: everything accepted is processed and committed.
  ~IngestWriter();
  void Stop();

  // Queues `inputs` and waits for their results (input order). Unavailable when the queue stays
  // full for submit_wait_ms or the writer is stopping; the store's error when the batch failed
  // (then none of it was stored). Thread-safe.
  Result<std::vector<app::RecordResult>> Submit(std::vector<ingest::Item> inputs);

  size_t queued_records() const;
  app::Counts counts() const;
  // The pipeline's in-memory sizes as of its last batch or tick (app::Pipeline::held). Thread-safe.
  app::Pipeline::Held held() const;

 private:
  struct Job {
    std::vector<ingest::Item> inputs;
    std::promise<Result<std::vector<app::RecordResult>>> done;
  };
  IngestWriter(app::Services& s, IngestOptions o, StreamPublisher* p, Metrics* m);
  void Loop();
  void RunBatch(std::vector<std::unique_ptr<Job>>& jobs);
  void PublishHeld();
  class AlertTap;
  std::unique_ptr<AlertTap> tap_;  // the warning engine's alerts → live stream, after commit

  app::Services& services_;
  IngestOptions opts_;
  StreamPublisher* publisher_;
  Metrics* metrics_;
  std::unique_ptr<app::Pipeline> pipeline_;  // writer thread only

  mutable std::mutex mu_;
  std::condition_variable cv_work_, cv_room_;
  std::deque<std::unique_ptr<Job>> queue_;  // guarded by mu_
  size_t queued_records_ = 0;               // guarded by mu_
  bool stopping_ = false;                   // guarded by mu_
  app::Counts counts_;                      // guarded by mu_
  app::Pipeline::Held held_;                // guarded by mu_
  std::thread thread_;
};

}  // namespace yuqing::server
