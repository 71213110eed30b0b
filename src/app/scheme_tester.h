// How a monitoring scheme would have done on the stored posts: the one tester behind
// `yuqing topics test` and POST /api/v1/schemes/test, so both count and sample alike.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "core/status.h"
#include "core/time.h"
#include "rules/reference.h"
#include "rules/scheme.h"
#include "store/post_store.h"
#include "text/normalizer.h"

namespace yuqing::app {

struct SchemeTestOptions {
  TimeMs from = 0;         // posts published at or after this (0: every post)
  size_t max_scan = 0;     // read at most this many posts, newest first (0: all of them)
  size_t max_samples = 5;  // matching posts kept as samples
};

// A matching post with what matched in it.
struct SchemeTestSample {
  store::StoredPost post;
  std::vector<std::string> terms;     // the query's positive terms that occur (query order)
  std::vector<rules::HitSpan> spans;  // every occurrence of them, in characters of the field
};

struct SchemeTestResult {
  int64_t scanned = 0;     // posts read
  int64_t matched = 0;     // of which the scheme matches
  bool truncated = false;  // max_scan reached with older posts of the period left unread
  std::vector<SchemeTestSample> samples;  // the newest matches, at most max_samples
};

// Runs `scheme` (its query and exclusions; enabled or not) with the compiled matcher over the
// posts of `posts` published since opts.from, newest first (by published_at, then the later
// stored first). kInvalid when the scheme does not parse, with *error (when given) saying where;
// other failures are the store's.
Result<SchemeTestResult> TestScheme(store::PostStore& posts, rules::Scheme scheme,
                                    std::shared_ptr<const text::Normalizer> norm, const SchemeTestOptions& opts,
                                    rules::ParseError* error = nullptr);

}  // namespace yuqing::app
