// Posts with their analysis, full-text indexed (FTS5, "yuqing" tokenizer). A PostStore wraps one
// Database connection (one thread at a time). Inserts are idempotent by post id; callers group
// them in a Transaction so a batch is stored entirely or not at all.
//
// One class, implemented by job: writes and row reads in post_store.cc, search in post_search.cc
// (types in post_search.h, the query language in fts_query.h), the dashboard's counts in
// post_stats.cc (types in post_stats.h). The quarantine is quarantine_store.h.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "core/post.h"
#include "core/stored_post.h"
#include "store/sqlite/connection.h"
#include "store/fts_query.h"
#include "store/post_search.h"
#include "store/post_stats.h"

namespace yuqing::store {

using StoredPost = ::yuqing::StoredPost;

class PostStore {
 public:
  // The posts component's schema version (Database::EnsureSchema).
  static constexpr int kSchemaVersion = 4;

  // Creates the tables when missing (the quarantine's too: Stats counts it). The "yuqing"
  // tokenizer must be registered on db first (see fts_tokenizer.h). With a cache (shared by
  // every connection of the process), newest-first full-text searches reuse earlier queries'
  // matches.
  static Result<std::unique_ptr<PostStore>> Open(Database& db, std::shared_ptr<SearchCache> cache = nullptr);

  // The hourly counts (table post_counts) of many inserts added up in memory, so that a batch
  // writes one upsert per hour, dimension and value instead of three per post.
  class CountBatch {
   public:
    bool empty() const { return counts_.empty(); }

   private:
    friend class PostStore;
    std::map<std::tuple<TimeMs, int, std::string>, int64_t> counts_;  // (hour, dimension, value) -> posts
  };

  // ---- writes (post_store.cc) ----
  // Inserts the post with its analysis and scheme hits; returns false (and changes nothing)
  // when a post with the same id is already stored. Its hourly counts are written at once, or,
  // with `counts`, added there for WriteCounts (which must run in the same transaction).
  Result<bool> Insert(const ProcessedPost& p, CountBatch* counts = nullptr);
  // Writes and clears the counts gathered by Insert.
  Status WriteCounts(CountBatch& counts);
  // Writes analysis fields computed after the insert (event merges, corrections).
  Status UpdateEvent(const std::string& id, int64_t event_id);
  Status UpdateSentiment(const std::string& id, const std::string& label, double score);
  // Sets a stored post's event and near-duplicate link (a rebuild correcting an older store).
  Status UpdateAssignment(int64_t rowid, int64_t event_id, const std::string& dup_of);

  // ---- rows (post_store.cc) ----
  // An event's spread: its first `limit` posts by publication time, with what a cascade forecast
  // reads of them (forecast/, app/event_forecast.h). Text is cut to its first 70 characters.
  struct TimelinePost {
    std::string id, parent, text;
    TimeMs published_at = 0;
    int64_t author_followers = 0;
    bool author_verified = false;
    double rumor = 0;
  };
  Result<std::vector<TimelinePost>> EventTimeline(int64_t event_id, size_t limit);
  // Up to `limit` posts stored after `after_rowid`, in the order they were stored.
  Result<std::vector<StoredPost>> ReadInOrder(int64_t after_rowid, size_t limit);
  Result<std::optional<StoredPost>> Get(const std::string& id);
  Result<bool> Exists(const std::string& id);

  // ---- search (post_search.cc) ----
  // A page of posts: newest first (filters only, or full text through the shared cache), or by
  // relevance within kRelevanceWindow. A query FTS5 rejects is kInvalid.
  Result<SearchResult> Search(const SearchQuery& q);

  // ---- counts (post_stats.cc) ----
  // Posts published in [from, to) (both 0: all posts).
  Result<int64_t> Count(TimeMs from = 0, TimeMs to = 0);
  // Totals by source and sentiment (from the hourly counts), the time range and the open
  // quarantine, in one read snapshot.
  Result<PostStats> Stats();
  // Exact counts of the posts published in [from, to), read from the hourly counts that Insert
  // and UpdateSentiment keep (table post_counts) plus the posts of the partial hours at either
  // end, in one read snapshot.
  Result<VolumeSummary> Summarize(TimeMs from, TimeMs to);

  Database& db() { return db_; }

 private:
  PostStore(sqlite::Connection& db, std::shared_ptr<SearchCache> cache) : db_(db), cache_(std::move(cache)) {}
  // Decodes a row of kPostColumns (post_rows.h) starting at column `first_col`.
  Result<StoredPost> Read(sqlite::Statement& st, int first_col);
  Result<int64_t> MaxRowid();
  // Newest-first full-text page from the shared match list; nullopt when the query is too
  // common to cache (the caller searches directly).
  Result<std::optional<SearchResult>> SearchCached(const SearchQuery& q, const std::string& match, size_t limit);
  Result<SearchResult> SearchRelevance(const SearchQuery& q, const std::string& match, size_t limit);
  // Reads the page's posts with their snippets.
  Status FillHits(const std::string& match, const std::vector<int64_t>& rowids, SearchCache::Entry* cached,
                  SearchResult& res);
  sqlite::Connection& db_;
  std::shared_ptr<SearchCache> cache_;
};

}  // namespace yuqing::store
