#include "app/analysis_stage.h"

namespace yuqing::app {

Result<std::unique_ptr<AnalysisStage>> AnalysisStage::Create(store::Database& db,
                                                             std::shared_ptr<const text::Normalizer> norm,
                                                             std::shared_ptr<const text::Segmenter> seg,
                                                             TimeMs now) {
  YQ_ASSIGN_OR_RETURN(auto analyzer, analysis::Analyzer::Create({}, std::move(norm), std::move(seg)));
  YQ_ASSIGN_OR_RETURN(store::EventStore events, store::EventStore::Open(db));
  std::unique_ptr<AnalysisStage> s(new AnalysisStage(std::move(analyzer), std::move(events)));
  // Restore the events still taking posts. A replay starts its clock at the stream's beginning
  // (0 before the first post), which restores the newest events of the store: bounded below.
  analysis::EventTrackerOptions defaults;
  YQ_ASSIGN_OR_RETURN(auto active, s->events_.LoadActive(now - defaults.window_ms));
  constexpr size_t kMaxRestored = 20000;
  if (active.size() > kMaxRestored) active.erase(active.begin(), active.end() - kMaxRestored);
  s->tracker_.Restore(active);
  return s;
}

Status AnalysisStage::PersistEvents() {
  auto dirty = tracker_.TakeDirty();
  if (dirty.empty()) return Status::Ok();
  return events_.Upsert(dirty);
}

}  // namespace yuqing::app
