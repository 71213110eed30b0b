#include "app/pipeline.h"

#include <spdlog/spdlog.h>

#include <atomic>
#include <thread>

#include "app/analysis_stage.h"
#include "app/listeners.h"
#include "app/scheme_matching.h"
#include "app/worker_pool.h"
#include "notify/router.h"
#include "store/fts_tokenizer.h"
#include "warning/engine.h"

namespace yuqing::app {

const char* OutcomeName(RecordOutcome o) {
  switch (o) {
    case RecordOutcome::kStored: return "stored";
    case RecordOutcome::kDuplicate: return "duplicate";
    case RecordOutcome::kQuarantined: return "quarantined";
  }
  return "?";
}

Result<std::unique_ptr<store::Database>> OpenStoreConnection(Services& services) {
  YQ_ASSIGN_OR_RETURN(auto db, services.OpenDatabase());
  YQ_ASSIGN_OR_RETURN(auto norm, services.normalizer());
  YQ_ASSIGN_OR_RETURN(auto slot, services.segmenter_slot());  // follows a user-dictionary change
  YQ_RETURN_IF_ERROR(store::RegisterYuqingTokenizer(*db, norm, std::move(slot)));
  return db;
}

Result<std::unique_ptr<Pipeline>> Pipeline::Create(Services& services) {
  std::unique_ptr<Pipeline> p(new Pipeline(services));
  YQ_RETURN_IF_ERROR(p->Init());
  return p;
}

Pipeline::Pipeline(Services& s) : services_(s) {}

notify::Router* Pipeline::router() { return listeners_ ? &listeners_->router() : nullptr; }
Pipeline::~Pipeline() = default;

Status Pipeline::Init() {
  YQ_ASSIGN_OR_RETURN(normalizer_, services_.normalizer());
  YQ_ASSIGN_OR_RETURN(slot_, services_.segmenter_slot());
  segmenter_ = slot_->Get();
  YQ_ASSIGN_OR_RETURN(db_, OpenStoreConnection(services_));
  YQ_ASSIGN_OR_RETURN(posts_, store::PostStore::Open(*db_));
  YQ_ASSIGN_OR_RETURN(quarantine_, store::QuarantineStore::Open(*db_));
  YQ_ASSIGN_OR_RETURN(auto listeners, AlertListeners::Open(services_, *db_));  // warning → outbox
  listeners_ = std::make_unique<AlertListeners>(std::move(listeners));
  warning::EngineOptions warning_opts;
  YQ_ASSIGN_OR_RETURN(warning_opts.cascade_model, services_.cascade_model());
  YQ_ASSIGN_OR_RETURN(warning_, warning::Engine::Create(*db_, warning_opts));
  for (warning::AlertListener* l : listeners_->all()) warning_->AddListener(l);
  YQ_ASSIGN_OR_RETURN(schemes_, SchemeMatching::Create(*db_, normalizer_));
  YQ_ASSIGN_OR_RETURN(analysis_, AnalysisStage::Create(*db_, normalizer_, segmenter_, services_.clock().Now()));
  pool_ = std::make_unique<WorkerPool>(services_.workers());
  schemes_->set_workers(pool_->size());
  return Status::Ok();
}

void Pipeline::Segment(std::string_view original, SegmentedField& f) const {
  thread_local std::vector<text::Token> tokens_;  // scratch, one per pipeline thread
  normalizer_->NormalizeWithOffsets(original, f.norm, f.offsets);
  segmenter_->CutForSearch(f.norm, tokens_, f.colocated);
  f.token_begin.resize(tokens_.size());
  f.token_end.resize(tokens_.size());
  for (size_t i = 0; i < tokens_.size(); ++i) {
    f.token_begin[i] = tokens_[i].begin;
    f.token_end[i] = tokens_[i].end;
  }
}

// Segments title and text once (search mode); the full words, in order, are the post's words.
void Pipeline::Prepare(ProcessedPost& pp) const {
  pp.segmenter = segmenter_.get();
  Segment(pp.post.title, pp.title_seg);
  Segment(pp.post.text, pp.text_seg);
  pp.norm_text.clear();
  pp.words.clear();
  if (!pp.post.title.empty()) {
    pp.norm_text = pp.title_seg.norm;
    pp.norm_text.push_back('\n');
  }
  pp.norm_text += pp.text_seg.norm;
  for (const SegmentedField* f : {&pp.title_seg, &pp.text_seg}) {
    for (size_t i = 0; i < f->token_begin.size(); ++i)
      if (!f->colocated[i]) pp.words.emplace_back(f->norm, f->token_begin[i], f->token_end[i] - f->token_begin[i]);
  }
}

Result<std::vector<RecordResult>> Pipeline::Process(std::vector<ingest::Item>& batch) {
  std::vector<RecordResult> results(batch.size());
  // work_ keeps its ProcessedPosts between batches: their buffers are reused, not reallocated.
  std::vector<size_t> work_index;
  for (size_t i = 0; i < batch.size(); ++i)
    if (batch[i].ok) work_index.push_back(i);
  work_.resize(work_index.size());  // batches are usually the same size: nothing is freed
  for (size_t k = 0; k < work_index.size(); ++k) work_[k].Reset(std::move(batch[work_index[k]].post));
  YQ_RETURN_IF_ERROR(schemes_->Refresh());
  // A user-dictionary change takes effect from the next batch; a whole batch is cut with one
  // dictionary. (The analysis stage keeps the segmenter it was built with: it only asks about
  // idf and stop words, which user words do not change.)
  segmenter_ = slot_->Get();
  // The per-post work starts on the pool's threads while this thread stores, in input order, the
  // posts already prepared (helping with the per-post work whenever the next post is not ready):
  // the serial store stage overlaps the parallel one. Every return path below cancels and joins
  // the workers before work_ can change.
  const size_t n = work_.size();
  if (ready_size_ < n) {
    ready_ = std::make_unique<std::atomic<bool>[]>(n);
    ready_size_ = n;
  }
  for (size_t k = 0; k < n; ++k) ready_[k].store(false, std::memory_order_relaxed);
  const WorkerPool::Job job = [this](size_t worker, size_t i) {
    ProcessedPost& pp = work_[i];
    Prepare(pp);
    analysis_->Analyze(pp);
    schemes_->Match(pp, worker);
    ready_[i].store(true, std::memory_order_release);
  };
  pool_->Begin(n, job);
  struct Join {
    WorkerPool& pool;
    ~Join() { pool.Finish(/*cancel=*/true); }
  } join{*pool_};

  store::Transaction tx(*db_);
  YQ_RETURN_IF_ERROR(tx.status());
  Counts delta;
  store::PostStore::CountBatch hourly;
  for (size_t k = 0; k < n; ++k) {
    while (!ready_[k].load(std::memory_order_acquire)) {
      if (!pool_->RunOne(0)) std::this_thread::yield();  // another thread is finishing post k
    }
    RecordResult& r = results[work_index[k]];
    r.id = work_[k].post.id;
    r.line = batch[work_index[k]].line;
    // Events and near-duplicate links only for posts not stored before (in this batch or earlier).
    YQ_ASSIGN_OR_RETURN(bool seen, posts_->Exists(work_[k].post.id));
    if (!seen) analysis_->AssignEvent(work_[k]);
    YQ_ASSIGN_OR_RETURN(bool inserted, posts_->Insert(work_[k], &hourly));
    work_[k].duplicate = !inserted;
    r.outcome = inserted ? RecordOutcome::kStored : RecordOutcome::kDuplicate;
    ++(inserted ? delta.stored : delta.duplicates);
  }
  for (size_t i = 0; i < batch.size(); ++i) {
    if (batch[i].ok) continue;
    RecordResult& r = results[i];
    r.outcome = RecordOutcome::kQuarantined;
    r.code = batch[i].bad.code;
    r.reason = batch[i].bad.reason;
    r.line = batch[i].line;
    YQ_ASSIGN_OR_RETURN(r.quarantine_id, quarantine_->Add(batch[i].bad));
    ++delta.quarantined;
  }
  YQ_RETURN_IF_ERROR(posts_->WriteCounts(hourly));
  YQ_RETURN_IF_ERROR(analysis_->PersistEvents());
  YQ_RETURN_IF_ERROR(tx.Commit());
  counts_.stored += delta.stored;
  counts_.duplicates += delta.duplicates;
  counts_.quarantined += delta.quarantined;
  // The posts are committed: a failure of the warning stage must not report them as lost.
  // It is logged and counted; the next batch or Tick() carries the signals on.
  if (Status st = warning_->Observe(work_); !st.ok()) {
    ++warning_errors_;
    spdlog::error("warning stage failed after storing {} posts: {}", delta.stored, st.ToString());
  }
  return results;
}

Pipeline::Held Pipeline::held() const {
  Held h;
  if (warning_) {
    h.warning_keys = warning_->live_keys();
    h.unresolved_alerts = warning_->unresolved_alerts();
    h.warning_key_bytes = warning_->event_key_bytes();
  }
  if (analysis_) {
    h.live_events = analysis_->live_events();
    h.live_event_bytes = analysis_->live_event_bytes();
  }
  if (db_) h.store_cache_bytes = db_->CacheBytes();
  return h;
}

TimeMs Pipeline::NextWarningDue() const { return warning_ ? warning_->NextDue() : 0; }

Status Pipeline::Tick(TimeMs now) {
  return warning_->Tick(now);  // issue 5: windows, reminders, escalations, quiet resolve
}

}  // namespace yuqing::app
