// Posts with their analysis, full-text indexed (FTS5, "yuqing" tokenizer), and the quarantine.
// A PostStore wraps one Database connection (one thread at a time). Inserts are idempotent by
// post id; callers group them in a Transaction so a batch is stored entirely or not at all.
#pragma once

#include <memory>
#include <optional>
#include <string>
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
  TimeMs from = 0, to = 0;           // published_at range, [from, to); 0 = open
  std::vector<std::string> sources;  // any of
  std::string sentiment;             // negative | neutral | positive
  std::string type;                  // opinion type
  std::string province, city;
  int64_t event_id = 0;
  int64_t scheme_id = 0;
  std::vector<int64_t> scheme_ids;   // restrict to posts matching any of these (department scoping)
  bool relevance = false;            // sort by relevance (bm25) instead of newest first
  size_t limit = 20;
  int64_t before_rowid = 0;          // cursor for newest-first paging: (before_time, before_rowid)
  TimeMs before_time = 0;
  size_t offset = 0;                 // for relevance paging

  // Reads a next_cursor of an earlier page (kInvalid when it is not one).
  Status SetCursor(const std::string& cursor);
};

struct SearchHit {
  StoredPost post;
  std::string snippet;  // marked with kMarkStart / kMarkEnd around hits
  double rank = 0;
};

struct SearchResult {
  std::vector<SearchHit> hits;
  int64_t total = -1;        // total matches when cheap to count, else -1
  std::string next_cursor;   // "" when no more; pass to SearchQuery::SetCursor
};

// Private-use characters marking highlighted hits inside snippets; callers escape the text and
// then replace them (with <mark>, ANSI bold, 【】 ...).
inline constexpr const char* kMarkStart = "\xEE\x80\x80";  // U+E000
inline constexpr const char* kMarkEnd = "\xEE\x80\x81";    // U+E001

struct PostStats {
  int64_t posts = 0;
  int64_t quarantined = 0;
  TimeMs first = 0, last = 0;
  std::vector<std::pair<std::string, int64_t>> by_source;
  std::vector<std::pair<std::string, int64_t>> by_sentiment;
};

class PostStore {
 public:
  // Creates the tables when missing. The "yuqing" tokenizer must be registered on db first
  // (see fts_tokenizer.h).
  static Result<std::unique_ptr<PostStore>> Open(Database& db);

  // Inserts the post with its analysis and scheme hits; returns false (and changes nothing)
  // when a post with the same id is already stored.
  Result<bool> Insert(const ProcessedPost& p);
  // Writes analysis fields computed after the insert (event merges, corrections).
  Status UpdateEvent(const std::string& id, int64_t event_id);
  Status UpdateSentiment(const std::string& id, const std::string& label, double score);

  Result<std::optional<StoredPost>> Get(const std::string& id);
  Result<bool> Exists(const std::string& id);
  Result<SearchResult> Search(const SearchQuery& q);
  Result<int64_t> Count(TimeMs from = 0, TimeMs to = 0);
  Result<PostStats> Stats();

  // Converts a user query (words, "phrases", OR, -word) to an FTS5 MATCH expression.
  // Invalid input (unbalanced quotes, only exclusions) is kInvalid with the column.
  static Result<std::string> ToFtsQuery(const std::string& user_query);

  Database& db() { return db_; }

 private:
  explicit PostStore(Database& db) : db_(db) {}
  Result<StoredPost> Read(Statement& st, int first_col);
  Database& db_;
};

// JSON views shared by the CLI and the API.
nlohmann::json AnalysisToJson(const Analysis& a);
nlohmann::json StoredPostToJson(const StoredPost& p);

class QuarantineStore {
 public:
  static Result<std::unique_ptr<QuarantineStore>> Open(Database& db);
  Result<int64_t> Add(const QuarantineRecord& r);
  struct Entry {
    int64_t id = 0;
    QuarantineRecord record;
    std::string status;  // open | resolved
    TimeMs resolved_at = 0;
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
