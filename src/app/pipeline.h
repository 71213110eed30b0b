// The ingest path every source shares (files, feeds, the HTTP API, replay):
//   normalise + segment → analysis → scheme matching → events → store (one transaction per
//   batch: posts, their index, quarantine records) → warning.
// A batch is acknowledged only after its transaction commits, so a kill loses nothing that was
// acknowledged. One Pipeline is used by one thread at a time; it owns its own connection. The
// per-post work of a batch (normalise, segment, analyse, match) runs on Services::workers()
// threads; events, store and warning stay on the calling thread, in input order, and overlap
// with the per-post work of the posts behind.
#pragma once

#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include "app/services.h"
#include "core/post.h"
#include "core/quarantine.h"
#include "ingest/item.h"
#include "store/database.h"
#include "store/post_store.h"
#include "store/quarantine_store.h"

namespace yuqing::warning { class Engine; }  // issue 5: early warning
namespace yuqing::notify { class Router; }

namespace yuqing::app { class AlertListeners; class SchemeMatching; class AnalysisStage; class WorkerPool; }

namespace yuqing::app {

enum class RecordOutcome { kStored, kDuplicate, kQuarantined };
const char* OutcomeName(RecordOutcome o);

struct RecordResult {
  RecordOutcome outcome = RecordOutcome::kStored;
  std::string id;        // post id (stored/duplicate)
  std::string code;      // quarantine reason code
  std::string reason;    // quarantine reason
  int64_t quarantine_id = 0;
  int64_t line = 0;
};

struct Counts {
  int64_t stored = 0;
  int64_t duplicates = 0;
  int64_t quarantined = 0;
};

class Pipeline {
 public:
  static Result<std::unique_ptr<Pipeline>> Create(Services& services);
  ~Pipeline();

  // Processes one batch (readers' items: a post or a quarantine record each; the posts are moved
  // out); the results are in input order. On a store failure nothing of the batch
  // is stored (the transaction rolls back) and the error is returned.
  Result<std::vector<RecordResult>> Process(std::vector<ingest::Item>& batch);

  // Moves time-driven stages (warning windows, escalations, reminders) to `now`.
  Status Tick(TimeMs now);
  // When the warning stage next has work on an unresolved alert (0: none); see Engine::NextDue.
  TimeMs NextWarningDue() const;

  const Counts& counts() const { return counts_; }
  // What the pipeline's stages hold in memory now, in entries (each bounded by its option): for
  // /metrics, so that growth of the process can be traced to a structure.
  struct Held {
    size_t warning_keys = 0;       // scheme and event series in the warning engine
    size_t unresolved_alerts = 0;  // the engine's cache of unresolved alerts
    size_t warning_key_bytes = 0;  // heap bytes of the engine's event keys
    size_t live_events = 0;        // events the event tracker can still extend
    size_t live_event_bytes = 0;   // their estimated bytes (bounded)
    int64_t store_cache_bytes = 0;  // the writer connection's page cache
  };
  Held held() const;
  // Batches whose warning stage failed after their posts were stored (logged, not fatal).
  int64_t warning_errors() const { return warning_errors_; }
  store::PostStore& posts() { return *posts_; }
  store::Database& db() { return *db_; }
  // The warning engine (issue 5): serve may AddListener() for live alert feeds (SSE).
  warning::Engine* warning() { return warning_.get(); }
  // Routes alerts to the outbox (app/listeners.h: the services' dashboard link and wake-up).
  notify::Router* router();

  // Normalises and segments a post the way the store and the matcher expect.
  void Prepare(ProcessedPost& pp) const;

 private:
  void Segment(std::string_view original, SegmentedField& f) const;

  explicit Pipeline(Services& s);
  Status Init();

  Services& services_;
  std::unique_ptr<store::Database> db_;
  std::unique_ptr<store::PostStore> posts_;
  std::unique_ptr<store::QuarantineStore> quarantine_;
  std::unique_ptr<AlertListeners> listeners_;  // declared before warning_, so they outlive it
  std::unique_ptr<warning::Engine> warning_;  // issue 5
  std::unique_ptr<SchemeMatching> schemes_;
  std::unique_ptr<AnalysisStage> analysis_;
  std::shared_ptr<const text::Normalizer> normalizer_;
  std::shared_ptr<text::SegmenterSlot> slot_;        // the services' current segmenter
  std::shared_ptr<const text::Segmenter> segmenter_;  // this batch's: slot_ at its start
  Counts counts_;
  int64_t warning_errors_ = 0;
  std::vector<ProcessedPost> work_;
  std::unique_ptr<WorkerPool> pool_;  // per-post stage (Services::workers())
  std::unique_ptr<std::atomic<bool>[]> ready_;  // per post of the batch: its per-post work is done
  size_t ready_size_ = 0;
};

// Opens a connection on the services' store with the FTS tokenizer registered.
Result<std::unique_ptr<store::Database>> OpenStoreConnection(Services& services);

}  // namespace yuqing::app
