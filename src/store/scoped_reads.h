// Reads over the posts of a scope — the posts a department's schemes matched, or that belong to
// chosen events — for the dashboard's department view (server/stats_handlers.cc) and the reports
// (report/queries.cc). The SQL lives here so that the callers only shape the rows; one connection,
// one thread at a time.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "core/time.h"
#include "store/sqlite/connection.h"

namespace yuqing::store {

// Which posts a read covers. Both lists empty: every post (unless `restricted`).
struct ReadScope {
  std::vector<int64_t> scheme_ids;  // posts that matched any of these schemes
  std::vector<int64_t> event_ids;   // or belong to any of these events
  bool restricted = false;          // true with both lists empty: no post at all
  bool all() const { return !restricted && scheme_ids.empty() && event_ids.empty(); }
};

// What a count of posts reads of each post. The views are valid only during the callback.
struct PostFacets {
  TimeMs published_at = 0;
  std::string_view sentiment, source, province;
  int64_t event_id = 0;
};

// Calls fn for every post of the scope published in [from, to) (one indexed range scan).
Status ForEachPostFacets(Database& db, const ReadScope& scope, TimeMs from, TimeMs to,
                         const std::function<void(const PostFacets&)>& fn);

// The analysis keywords (each a JSON array as stored) of the newest `scan` posts of the scope in
// [from, to).
Result<std::vector<std::string>> ReadKeywordLists(Database& db, const ReadScope& scope, TimeMs from, TimeMs to,
                                              size_t scan);

struct NotablePostRow {
  std::string id, source, url, author, title, text, sentiment;
  TimeMs published_at = 0;
  double rumor = 0;
  int64_t interactions = 0;  // reposts + comments + likes
};
// The scope's negative or rumour (p ≥ 0.5) posts of [from, to) with the most interactions, then
// the widest reach, then the newest; at most n.
Result<std::vector<NotablePostRow>> ReadNotablePosts(Database& db, const ReadScope& scope, TimeMs from, TimeMs to,
                                                 size_t n);

// Events (not merged) with posts of the scope in [from, to), most posts first, at most n.
Result<std::vector<int64_t>> ReadActiveEvents(Database& db, const ReadScope& scope, TimeMs from, TimeMs to, size_t n);

// Whether any post of event `event_id` matched one of `scheme_ids` (a department may see it).
Result<bool> EventTouchesSchemes(Database& db, int64_t event_id, const std::vector<int64_t>& scheme_ids);

}  // namespace yuqing::store
