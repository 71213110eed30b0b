// The types of PostStore::Search (post_store.h): the query, its hits and pages, and the
// full-text match cache shared by the PostStores of one process. Implemented in post_search.cc.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/status.h"
#include "core/stored_post.h"
#include "core/time.h"

namespace yuqing::store {

struct SearchQuery {
  std::string text;                  // words and "phrases"; OR; -excluded (empty: everything)
  // The query in the scheme language already translated (rules::ToFtsMatch): when set, it is
  // searched instead of `text` (which stays the query as typed).
  std::string match;
  TimeMs from = 0, to = 0;           // published_at range, [from, to); 0 = open
  std::vector<std::string> sources;  // any of
  std::string sentiment;             // negative | neutral | positive
  std::string type;                  // opinion type
  std::string province, city;
  int64_t event_id = 0;
  int64_t scheme_id = 0;
  std::vector<int64_t> scheme_ids;   // restrict to posts matching any of these (department scoping)
  // Sort by relevance (bm25, title weighted 2) instead of newest first. Only the
  // kRelevanceWindow matches stored last (after the filters) are ranked; ties go to the post
  // stored later.
  bool relevance = false;
  size_t limit = 20;
  int64_t before_rowid = 0;          // cursor for newest-first paging: (before_time, before_rowid)
  TimeMs before_time = 0;
  size_t offset = 0;                 // for relevance paging
  int64_t window_lo = 0, window_hi = 0;  // relevance paging: the rowids ranked by the first page

  // Reads a next_cursor of an earlier page (kInvalid when it is not one).
  Status SetCursor(const std::string& cursor);
};

struct SearchHit {
  StoredPost post;
  std::string snippet;  // marked with kMarkStart / kMarkEnd around hits
  double rank = 0;      // bm25 (lower is better) when sorted by relevance; 0 when newest first
};

// How many of the last-stored matches a relevance-sorted search ranks (bm25 costs a pass over
// every candidate; the newest matches are what a monitoring user ranks).
inline constexpr int64_t kRelevanceWindow = 2000;

struct SearchResult {
  std::vector<SearchHit> hits;
  int64_t total = -1;        // total matches when cheap to count, else -1
  std::string next_cursor;   // "" when no more; pass to SearchQuery::SetCursor
};

// Private-use characters marking highlighted hits inside snippets; callers escape the text and
// then replace them (with <mark>, ANSI bold, 【】 ...).
inline constexpr const char* kMarkStart = "\xEE\x80\x80";  // U+E000
inline constexpr const char* kMarkEnd = "\xEE\x80\x81";    // U+E001

// Full-text matches shared by the PostStores of one process (one store per connection): for
// each recent query, every matching post as (published_at, rowid), newest first, and the
// snippets already made for it. Entries stay exact without invalidation because posts are
// append-only: rowids only grow and a post's title and text are never rewritten, so an entry is
// topped up with the posts stored after its watermark. Thread-safe. Holds at most `max_matches`
// matches in all (16 bytes each); the least recently used queries are dropped first, and a query
// with more than half of that is not cached (it is searched directly).
class SearchCache {
 public:
  explicit SearchCache(size_t max_matches = 2'000'000) : max_matches_(max_matches) {}
  SearchCache(const SearchCache&) = delete;
  SearchCache& operator=(const SearchCache&) = delete;

  struct Counters {
    int64_t hits = 0, builds = 0, topups = 0, evictions = 0, uncached = 0;
    size_t queries = 0, matches = 0;
  };
  Counters counters() const;
  // Forgets every cached match list: the user dictionary changed, so queries and the index are
  // cut differently. While `bypass`, searches skip the cache (a rebuild of the index is
  // changing the matches of old posts as it goes); Forget(false) when it is done.
  void Forget(bool bypass);

  struct Match {
    TimeMs published_at;
    int64_t rowid;
  };
  struct Entry;

 private:
  friend class PostStore;
  std::shared_ptr<Entry> Find(const std::string& match);
  // Records an entry's new size and drops least recently used entries over the budget.
  void Charge(const std::shared_ptr<Entry>& e, size_t size);
  size_t max_matches_;
  std::atomic<bool> bypass_{false};
  mutable std::mutex mu_;
  std::unordered_map<std::string, std::shared_ptr<Entry>> entries_;  // guarded by mu_
  uint64_t clock_ = 0;                                               // guarded by mu_
  size_t total_ = 0;                                                 // guarded by mu_
  Counters counters_;                                                // guarded by mu_
};

}  // namespace yuqing::store
