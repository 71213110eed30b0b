#include "app/analysis_stage.h"

#include <spdlog/spdlog.h>

#include <chrono>
#include <optional>

#include "store/post_store.h"

namespace yuqing::app {

namespace {

// Version 2: the deterministic tracker (its state depends only on the posts assigned). A store
// written by an older one is rebuilt once, on the first start that sees it.
constexpr int64_t kTrackerVersion = 2;
constexpr size_t kReplayChunk = 4096;

}  // namespace

Result<std::unique_ptr<AnalysisStage>> AnalysisStage::Create(store::Database& db,
                                                             std::shared_ptr<const text::Normalizer> norm,
                                                             std::shared_ptr<const text::Segmenter> seg,
                                                             TimeMs /*now*/) {
  YQ_ASSIGN_OR_RETURN(auto analyzer, analysis::Analyzer::Create({}, std::move(norm), std::move(seg)));
  YQ_ASSIGN_OR_RETURN(std::unique_ptr<store::EventStore> events, store::EventStore::Open(db));
  std::unique_ptr<AnalysisStage> s(new AnalysisStage(std::move(analyzer), std::move(events)));
  YQ_ASSIGN_OR_RETURN(int64_t version, s->events_->TrackerVersion());
  YQ_ASSIGN_OR_RETURN(ReplayStats st, s->Replay(db, /*repair=*/version != kTrackerVersion));
  if (version == kTrackerVersion && st.mismatched > 0) {
    // The store disagrees with its own replay (written by a build with another analysis, say):
    // the replay is the truth; rewrite the events and the posts' links to match it.
    spdlog::warn("{} stored posts disagree with the event replay; rebuilding the events", st.mismatched);
    YQ_ASSIGN_OR_RETURN(st, s->Replay(db, /*repair=*/true));
  }
  return s;
}

// Feeds every stored post, in stored order, through a fresh tracker: its state is then exactly
// that of one uninterrupted run over the same posts (EventTracker is deterministic), however the
// ingest was split, restarted or killed. With `repair` the replay's events replace the stored ones
// and the posts' event and near-duplicate links are corrected, in one transaction.
Result<AnalysisStage::ReplayStats> AnalysisStage::Replay(store::Database& db, bool repair) {
  const auto t0 = std::chrono::steady_clock::now();
  tracker_ = std::make_unique<analysis::EventTracker>();
  YQ_ASSIGN_OR_RETURN(auto posts, store::PostStore::Open(db));
  std::optional<store::Transaction> tx;
  if (repair) {
    tx.emplace(db);
    YQ_RETURN_IF_ERROR(tx->status());
    YQ_RETURN_IF_ERROR(events_->DeleteAll());
  }
  ReplayStats st;
  int64_t after = 0;
  ProcessedPost pp;
  while (true) {
    YQ_ASSIGN_OR_RETURN(auto chunk, posts->ReadInOrder(after, kReplayChunk));
    if (chunk.empty()) break;
    for (auto& sp : chunk) {
      after = sp.rowid;
      const int64_t stored_event = sp.analysis.event_id;
      const std::string stored_dup = sp.analysis.dup_of;
      pp.post = std::move(sp.post);
      pp.analysis = std::move(sp.analysis);
      tracker_->Assign(pp);
      ++st.posts;
      if (pp.analysis.event_id == stored_event && pp.analysis.dup_of == stored_dup) continue;
      ++st.mismatched;
      if (repair) YQ_RETURN_IF_ERROR(posts->UpdateAssignment(after, pp.analysis.event_id, pp.analysis.dup_of));
    }
    auto dirty = tracker_->TakeDirty();
    if (repair) YQ_RETURN_IF_ERROR(events_->Upsert(dirty));
  }
  if (repair) {
    YQ_RETURN_IF_ERROR(events_->SetTrackerVersion(kTrackerVersion));
    YQ_RETURN_IF_ERROR(tx->Commit());
  }
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0).count();
  if (repair && st.posts > 0)
    spdlog::info("events rebuilt from {} stored posts ({} links corrected) in {} ms", st.posts, st.mismatched, ms);
  else if (ms > 2000)
    spdlog::info("events replayed from {} stored posts in {} ms", st.posts, ms);
  return st;
}

Status AnalysisStage::PersistEvents() {
  auto dirty = tracker_->TakeDirty();
  if (dirty.empty()) return Status::Ok();
  return events_->Upsert(dirty);
}

}  // namespace yuqing::app
