// The pipeline's analysis stage: per-post judgement (sentiment, opinion types, region, keywords,
// SimHash) and the stateful part (near-duplicate links, online event clustering), with events
// persisted in the same transaction as the posts that changed them.
#pragma once

#include <memory>
#include <optional>

#include "analysis/analyzer.h"
#include "analysis/event_tracker.h"
#include "core/post.h"
#include "store/database.h"
#include "store/event_store.h"

namespace yuqing::app {

class AnalysisStage {
 public:
  // Loads the models (models/ in the source tree or $YUQING_MODELS_DIR) and replays the stored
  // posts through the event tracker, so a restart continues exactly where one uninterrupted run
  // would be (a store written by an older tracker is rebuilt once). `now` is unused.
  static Result<std::unique_ptr<AnalysisStage>> Create(store::Database& db,
                                                       std::shared_ptr<const text::Normalizer> norm,
                                                       std::shared_ptr<const text::Segmenter> seg,
                                                       TimeMs now);

  // Per-post analysis of a prepared post (norm_text and words filled). Thread-safe.
  void Analyze(ProcessedPost& pp) const { analyzer_->Analyze(pp); }
  // Near-duplicate link and event of a new (not yet stored) post, in arrival order.
  void AssignEvent(ProcessedPost& pp) { tracker_->Assign(pp); }
  // Writes the events changed since the last call; call inside the batch's transaction.
  Status PersistEvents();
  size_t live_events() const { return tracker_->live_events(); }
  size_t live_event_bytes() const { return tracker_->live_event_bytes(); }

 private:
  struct ReplayStats {
    int64_t posts = 0;
    int64_t mismatched = 0;  // stored event or near-duplicate link unlike the replay's
  };
  AnalysisStage(std::unique_ptr<analysis::Analyzer> a, std::unique_ptr<store::EventStore> events)
      : analyzer_(std::move(a)), events_(std::move(events)) {}
  Result<ReplayStats> Replay(store::Database& db, bool repair);
  std::unique_ptr<analysis::Analyzer> analyzer_;
  std::unique_ptr<analysis::EventTracker> tracker_;
  std::unique_ptr<store::EventStore> events_;
};

}  // namespace yuqing::app
