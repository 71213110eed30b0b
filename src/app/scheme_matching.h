// The pipeline's monitoring-scheme stage: keeps a LiveMatcher in step with the scheme store
// (schemes edited while posts flow apply from the next batch on)
// and fills ProcessedPost::schemes.
#pragma once

#include <algorithm>
#include <memory>
#include <vector>

#include "core/post.h"
#include "rules/live_matcher.h"
#include "store/database.h"
#include "store/scheme_store.h"

namespace yuqing::app {

class SchemeMatching {
 public:
  // Loads and compiles the enabled schemes synchronously, so the first batch is matched.
  static Result<std::unique_ptr<SchemeMatching>> Create(store::Database& db,
                                                        std::shared_ptr<const text::Normalizer> norm);

  // Rebuilds the matcher, synchronously, when the stored schemes changed since the last look (one
  // small query otherwise), so the next Match sees every scheme saved before this call.
  Status Refresh();
  // Matches one prepared post (norm_text filled) against the current schemes.
  // worker names the calling pipeline thread (its own matcher scratch); thread-safe across
  // distinct workers below set_workers().
  void Match(ProcessedPost& pp, size_t worker = 0);
  void set_workers(size_t n) { scratch_.resize(std::max<size_t>(n, 1)); }
  size_t scheme_count() const { return scheme_count_; }

 private:
  SchemeMatching(std::unique_ptr<store::SchemeStore> store, std::shared_ptr<const text::Normalizer> norm)
      : store_(std::move(store)), live_(std::move(norm)) {}
  std::unique_ptr<store::SchemeStore> store_;
  rules::LiveMatcher live_;
  std::vector<rules::Scratch> scratch_ = std::vector<rules::Scratch>(1);
  int64_t generation_ = -1;
  size_t scheme_count_ = 0;
};

}  // namespace yuqing::app
