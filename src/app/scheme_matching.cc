#include "app/scheme_matching.h"

#include <spdlog/spdlog.h>

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
  const Post& p = pp.post;
  rules::MatchInput in;
  in.title = pp.title_seg.norm;
  in.text = pp.text_seg.norm;
  in.author = p.author.name;
  in.source = p.source;
  in.channel = p.channel;
  in.region = p.region;
  in.lang = p.lang;
  in.verified = p.author.verified;
  in.followers = p.author.followers;
  pp.schemes.clear();
  matcher->Match(in, pp.schemes, scratch_[worker]);
}

}  // namespace yuqing::app
