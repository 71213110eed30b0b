// Posts with their analysis, full-text indexed (FTS5, "yuqing" tokenizer), and the quarantine.
// A PostStore wraps one Database connection (one thread at a time). Inserts are idempotent by
// post id; callers group them in a Transaction so a batch is stored entirely or not at all.
#pragma once

#include <cstdint>
#include <map>
#include <atomic>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <tuple>
#include <unordered_map>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/post.h"
#include "core/quarantine.h"
#include "store/database.h"

namespace yuqing::store {

struct StoredPost {
  int64_t rowid = 0;
  Post post;
  Analysis analysis;
  std::vector<SchemeHit> schemes;
};

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

// Posts of a time range counted for the dashboard (PostStore::Summarize).
struct VolumeSummary {
  int64_t total = 0;
  // (start of the UTC hour, sentiment) -> posts; whole hours of the display zone too, since
  // its offset is whole hours.
  std::map<std::pair<TimeMs, std::string>, int64_t> hourly;
  std::map<std::string, int64_t> sentiments, sources;
  std::map<std::string, int64_t> provinces;  // posts with a province only
};

struct PostStats {
  int64_t posts = 0;
  int64_t quarantined = 0;
  TimeMs first = 0, last = 0;
  std::vector<std::pair<std::string, int64_t>> by_source;
  std::vector<std::pair<std::string, int64_t>> by_sentiment;
};

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

class PostStore {
 public:
  // Creates the tables when missing. The "yuqing" tokenizer must be registered on db first
  // (see fts_tokenizer.h). With a cache (shared by every connection of the process),
  // newest-first full-text searches reuse earlier queries' matches.
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
  Result<SearchResult> Search(const SearchQuery& q);
  Result<int64_t> Count(TimeMs from = 0, TimeMs to = 0);
  Result<PostStats> Stats();
  // Exact counts of the posts published in [from, to), read from the hourly counts that Insert
  // and UpdateSentiment keep (table post_counts) plus the posts of the partial hours at either
  // end, in one read snapshot.
  Result<VolumeSummary> Summarize(TimeMs from, TimeMs to);

  // Converts a user query (words, "phrases", OR, -word) to an FTS5 MATCH expression.
  // Invalid input (unbalanced quotes, only exclusions) is kInvalid with the column.
  static Result<std::string> ToFtsQuery(const std::string& user_query);

  Database& db() { return db_; }

 private:
  PostStore(Database& db, std::shared_ptr<SearchCache> cache) : db_(db), cache_(std::move(cache)) {}
  Result<StoredPost> Read(Statement& st, int first_col);
  Result<int64_t> MaxRowid();
  // Newest-first full-text page from the shared match list; nullopt when the query is too
  // common to cache (the caller searches directly).
  Result<std::optional<SearchResult>> SearchCached(const SearchQuery& q, const std::string& match, size_t limit);
  Result<SearchResult> SearchRelevance(const SearchQuery& q, const std::string& match, size_t limit);
  // Reads the page's posts with their snippets.
  Status FillHits(const std::string& match, const std::vector<int64_t>& rowids, SearchCache::Entry* cached,
                  SearchResult& res);
  Database& db_;
  std::shared_ptr<SearchCache> cache_;
};

// JSON views shared by the CLI and the API.
nlohmann::json AnalysisToJson(const Analysis& a);
nlohmann::json StoredPostToJson(const StoredPost& p);

class QuarantineStore {
 public:
  static Result<std::unique_ptr<QuarantineStore>> Open(Database& db);
  // Records r, or counts it again when the same record (origin, line, offset, code and raw) is
  // already there: a file ingested twice leaves one row per bad line. Returns the row's id.
  Result<int64_t> Add(const QuarantineRecord& r);
  struct Entry {
    int64_t id = 0;
    QuarantineRecord record;
    std::string status;  // open | resolved
    TimeMs resolved_at = 0;
    int64_t seen = 1;    // times this record was quarantined (the same file ingested again)
    TimeMs last_at = 0;  // the last of them
  };
  Result<std::vector<Entry>> List(const std::string& status, size_t limit, int64_t after_id = 0);
  Result<std::optional<Entry>> Get(int64_t id);
  Status MarkResolved(int64_t id, TimeMs at);
  Status ReplaceRaw(int64_t id, const std::string& raw);
  Result<int64_t> CountOpen();

 private:
  explicit QuarantineStore(Database& db) : db_(db) {}
  Database& db_;
};

}  // namespace yuqing::store
