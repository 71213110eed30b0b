// The store reads behind a report: counts of a period's posts (the dashboard's hourly counts when
// the report covers everything, the posts themselves when it is scoped to schemes or events), the
// period's keywords and the posts that matter. Read-only, one connection, one thread.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/status.h"
#include "core/time.h"
#include "store/database.h"
#include "store/scoped_reads.h"

namespace yuqing::report {

// Which posts a report covers (both lists empty: every post).
using PostFilter = store::ReadScope;

struct Volume {
  int64_t total = 0;
  std::map<TimeMs, std::array<int64_t, 3>> trend;  // bucket start -> negative, neutral, positive
  std::map<std::string, int64_t> sentiments, sources, provinces;
};

// Counts of the filter's posts published in [from, to), with the trend in buckets of `bucket` ms
// starting at whole hours/days of the display zone.
Result<Volume> CountPosts(store::Database& db, const PostFilter& f, TimeMs from, TimeMs to, TimeMs bucket);

// The most frequent analysis keywords of the filter's posts in [from, to): [{"word", "count"}],
// at most `n`, read from at most `scan` posts (the newest) so a busy day stays fast.
Result<nlohmann::json> TopKeywords(store::Database& db, const PostFilter& f, TimeMs from, TimeMs to, size_t n,
                                   size_t scan = 20000);

// The negative and rumour posts of [from, to) that matter most (most interactions, then reach):
// [{"id", "source", "url", "author", "published_at", "text", "sentiment", "rumor", "interactions",
//   "reason": "negative"|"rumor"|"both"}], at most `n`; text cut to 200 characters.
Result<nlohmann::json> NotablePosts(store::Database& db, const PostFilter& f, TimeMs from, TimeMs to, size_t n);

// Events (not merged) with posts in [from, to) of the filter, most posts first, at most `n`.
Result<std::vector<int64_t>> ActiveEvents(store::Database& db, const PostFilter& f, TimeMs from, TimeMs to, size_t n);

// The start of the bucket holding t, buckets aligned to the display zone's hours and days.
TimeMs BucketOf(TimeMs t, TimeMs bucket);

}  // namespace yuqing::report
