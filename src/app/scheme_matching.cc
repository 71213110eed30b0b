#include "app/scheme_matching.h"

#include <spdlog/spdlog.h>

#include "rules/match_input.h"

namespace yuqing::app {

Result<std::unique_ptr<SchemeMatching>> SchemeMatching::Create(store::Database& db,
                                                               std::shared_ptr<const text::Normalizer> norm) {
  YQ_ASSIGN_OR_RETURN(auto store, store::SchemeStore::Open(db));
  std::unique_ptr<SchemeMatching> m(new SchemeMatching(std::move(store), std::move(norm)));
  YQ_ASSIGN_OR_RETURN(m->generation_, m->store_->Generation());
  YQ_ASSIGN_OR_RETURN(auto schemes, m->store_->List(/*include_disabled=*/false));
  m->scheme_count_ = schemes.size();
  YQ_RETURN_IF_ERROR(m->live_.UpdateNow(std::move(schemes)));
  return m;
}

Status SchemeMatching::Refresh() {
  YQ_ASSIGN_OR_RETURN(int64_t gen, store_->Generation());
  if (gen == generation_) return Status::Ok();
  YQ_ASSIGN_OR_RETURN(auto schemes, store_->List(/*include_disabled=*/false));
  generation_ = gen;
  scheme_count_ = schemes.size();
  // Rebuilt here, before the batch is matched, not in the background: a scheme saved with a 2xx
  // answer must tag every post accepted after that answer (a background swap let the first batch
  // through untagged for good). A scheme that no longer compiles is left out by the build and
  // reported by `topics`; only a failed build keeps the previous matcher.
  Status st = live_.UpdateNow(std::move(schemes));
  if (!st.ok()) spdlog::error("monitoring schemes not rebuilt, the previous ones stay: {}", st.ToString());
  return Status::Ok();
}

void SchemeMatching::Match(ProcessedPost& pp, size_t worker) {
  auto matcher = live_.Current();
  pp.schemes.clear();
  matcher->Match(rules::MatchInputFrom(pp.post, pp.title_seg.norm, pp.text_seg.norm), pp.schemes, scratch_[worker]);
}

}  // namespace yuqing::app
