// PostStore::Search: newest-first pages (by the filters alone, or full text through the shared
// SearchCache or a walk of the time index) and relevance pages (bm25 over a window of the
// newest matches); snippets made for the page's posts only.
#include "store/post_store.h"

#include <algorithm>
#include <iterator>
#include <sstream>
#include <unordered_map>

#include "store/fts_query.h"
#include "store/post_rows.h"

namespace yuqing::store {

using post_rows::kCols;

struct SearchCache::Entry {
  std::mutex mu;                                        // held while building or topping up
  std::shared_ptr<const std::vector<Match>> list;       // newest first; guarded by mu
  int64_t watermark = 0;                                // every match with rowid <= this; guarded by mu
  bool uncached = false;                                // too many matches; guarded by mu
  std::mutex snippets_mu;
  std::unordered_map<int64_t, std::string> snippets;    // rowid -> snippet; guarded by snippets_mu
  uint64_t used = 0;                                    // guarded by SearchCache::mu_
  size_t size = 0;                                      // guarded by SearchCache::mu_
};

namespace {

constexpr size_t kMaxSnippetsPerQuery = 2000;

const char* const kSnippetSql = "SELECT snippet(posts_fts, -1, '\xEE\x80\x80', '\xEE\x80\x81', '…', 24) FROM posts_fts "
                                "WHERE posts_fts MATCH ?1 AND rowid = ?2";

// The query's filters as " AND ..." over posts p. Parameters: ?2 from, ?3 to, ?4 sentiment,
// ?5 type, ?6 province, ?7 city, ?8 event, ?9 scheme, ?20.. sources (BindFilters). Scheme
// membership is a probe of post_schemes per row when `probe_schemes` (for a row at a time) and a
// set otherwise (for a walk of the time index).
std::string FilterSql(const SearchQuery& q, bool with_time, bool probe_schemes) {
  std::ostringstream sql;
  if (with_time && q.from) sql << " AND p.published_at >= ?2";
  if (with_time && q.to) sql << " AND p.published_at < ?3";
  if (!q.sentiment.empty()) sql << " AND p.sentiment = ?4";
  if (!q.type.empty()) sql << " AND p.type_list LIKE ?5";
  if (!q.province.empty()) sql << " AND p.province = ?6";
  if (!q.city.empty()) sql << " AND p.city = ?7";
  if (q.event_id) sql << " AND p.event_id = ?8";
  auto schemes = [&](const std::string& cond) {
    if (probe_schemes)
      sql << " AND EXISTS (SELECT 1 FROM post_schemes s WHERE " << cond
          << " AND s.published_at = p.published_at AND s.post_rowid = p.rowid)";
    else
      sql << " AND p.rowid IN (SELECT post_rowid FROM post_schemes s WHERE " << cond << ")";
  };
  if (q.scheme_id) schemes("s.scheme_id = ?9");
  if (!q.scheme_ids.empty()) {
    std::string in = "s.scheme_id IN (";
    for (size_t k = 0; k < q.scheme_ids.size(); ++k) in += (k ? "," : "") + std::to_string(q.scheme_ids[k]);
    schemes(in + ")");
  }
  if (!q.sources.empty()) {
    sql << " AND p.source IN (";
    for (size_t k = 0; k < q.sources.size(); ++k) sql << (k ? "," : "") << "?" << (20 + k);
    sql << ")";
  }
  return sql.str();
}

void BindFilters(sqlite::Statement& st, const SearchQuery& q, bool with_time) {
  if (with_time && q.from) st.Bind(2, q.from);
  if (with_time && q.to) st.Bind(3, q.to);
  if (!q.sentiment.empty()) st.Bind(4, q.sentiment);
  if (!q.type.empty()) st.Bind(5, "%," + q.type + ",%");
  if (!q.province.empty()) st.Bind(6, q.province);
  if (!q.city.empty()) st.Bind(7, q.city);
  if (q.event_id) st.Bind(8, q.event_id);
  if (q.scheme_id) st.Bind(9, q.scheme_id);
  for (size_t k = 0; k < q.sources.size(); ++k) st.Bind(static_cast<int>(20 + k), q.sources[k]);
}

// Filters other than the time range.
bool HasRowFilters(const SearchQuery& q) {
  return !q.sentiment.empty() || !q.type.empty() || !q.province.empty() || !q.city.empty() || q.event_id ||
         q.scheme_id || !q.scheme_ids.empty() || !q.sources.empty();
}

// FTS5 reports query syntax problems as SQL errors: show them as bad input.
Status BadQuery(const Status& st) { return Status::Invalid("search query: " + st.message()); }

}  // namespace

SearchCache::Counters SearchCache::counters() const {
  std::lock_guard<std::mutex> lock(mu_);
  Counters c = counters_;
  c.queries = entries_.size();
  c.matches = total_;
  return c;
}

void SearchCache::Forget(bool bypass) {
  std::lock_guard<std::mutex> lock(mu_);
  bypass_.store(bypass);
  for (auto& [match, e] : entries_) e->size = 0;  // an owner still filling it charges from zero
  entries_.clear();
  total_ = 0;
}

std::shared_ptr<SearchCache::Entry> SearchCache::Find(const std::string& match) {
  std::lock_guard<std::mutex> lock(mu_);
  auto& e = entries_[match];
  if (!e) e = std::make_shared<Entry>();
  e->used = ++clock_;
  return e;
}

void SearchCache::Charge(const std::shared_ptr<Entry>& e, size_t size) {
  std::lock_guard<std::mutex> lock(mu_);
  total_ = total_ - e->size + size;
  e->size = size;
  while (total_ > max_matches_ && entries_.size() > 1) {
    auto victim = entries_.end();
    for (auto it = entries_.begin(); it != entries_.end(); ++it)
      if (it->second != e && (victim == entries_.end() || it->second->used < victim->second->used)) victim = it;
    if (victim == entries_.end()) break;
    total_ -= victim->second->size;
    victim->second->size = 0;  // an owner still topping it up charges again from zero
    entries_.erase(victim);
    ++counters_.evictions;
  }
}

Result<int64_t> PostStore::MaxRowid() {
  Status err;
  sqlite::Statement* st = db_.Cached("SELECT coalesce(max(rowid), 0) FROM posts", &err);
  if (!st) return err;
  YQ_ASSIGN_OR_RETURN(bool row, st->Step());
  int64_t w = row ? st->Int(0) : 0;
  st->Reset();
  return w;
}

Result<SearchResult> PostStore::Search(const SearchQuery& q) {
  size_t limit = q.limit == 0 ? 20 : std::min<size_t>(q.limit, 1000);
  SearchResult res;
  if (q.text.empty()) {
    std::string sql = std::string("SELECT ") + kCols + " FROM posts p WHERE 1" + FilterSql(q, true, false);
    if (q.before_rowid) sql += " AND (p.published_at < ?11 OR (p.published_at = ?11 AND p.rowid < ?10))";
    sql += " ORDER BY p.published_at DESC, p.rowid DESC LIMIT " + std::to_string(limit + 1);
    YQ_ASSIGN_OR_RETURN(sqlite::Statement st, db_.Prepare(sql));
    BindFilters(st, q, true);
    if (q.before_rowid) st.Bind(10, q.before_rowid).Bind(11, q.before_time);
    bool more = false;
    while (true) {
      YQ_ASSIGN_OR_RETURN(bool row, st.Step());
      if (!row) break;
      if (res.hits.size() == limit) {
        more = true;
        break;
      }
      SearchHit h;
      YQ_ASSIGN_OR_RETURN(h.post, Read(st, 0));
      h.snippet = h.post.post.text.substr(0, 300);
      res.hits.push_back(std::move(h));
    }
    if (more && !res.hits.empty()) {
      const StoredPost& last = res.hits.back().post;
      res.next_cursor = std::to_string(last.post.published_at) + "_" + std::to_string(last.rowid);
    }
    return res;
  }
  std::string match = q.match;
  if (match.empty()) {
    YQ_ASSIGN_OR_RETURN(match, ToFtsQuery(q.text));
  }
  if (q.relevance) return SearchRelevance(q, match, limit);
  if (cache_ && !cache_->bypass_.load()) {
    YQ_ASSIGN_OR_RETURN(auto cached, SearchCached(q, match, limit));
    if (cached) return std::move(*cached);
  }
  // Without a cache: walk the time index from the newest post and keep those in the match set
  // ("+" keeps SQLite from driving the loop by the set and sorting every match), so a common
  // word stops after one page instead of sorting all its matches.
  std::string sql = "SELECT p.rowid FROM posts p WHERE +p.rowid IN (SELECT rowid FROM posts_fts WHERE posts_fts MATCH ?1)" +
                    FilterSql(q, true, false);
  if (q.before_rowid) sql += " AND (p.published_at < ?11 OR (p.published_at = ?11 AND p.rowid < ?10))";
  sql += " ORDER BY p.published_at DESC, p.rowid DESC LIMIT " + std::to_string(limit + 1);
  YQ_ASSIGN_OR_RETURN(sqlite::Statement st, db_.Prepare(sql));
  st.Bind(1, match);
  BindFilters(st, q, true);
  if (q.before_rowid) st.Bind(10, q.before_rowid).Bind(11, q.before_time);
  std::vector<int64_t> page;
  while (true) {
    auto row = st.Step();
    if (!row.ok()) return BadQuery(row.status());
    if (!*row) break;
    page.push_back(st.Int(0));
  }
  bool more = page.size() > limit;
  if (more) page.pop_back();
  YQ_RETURN_IF_ERROR(FillHits(match, page, nullptr, res));
  if (more && !res.hits.empty()) {
    const StoredPost& last = res.hits.back().post;
    res.next_cursor = std::to_string(last.post.published_at) + "_" + std::to_string(last.rowid);
  }
  return res;
}

Result<std::optional<SearchResult>> PostStore::SearchCached(const SearchQuery& q, const std::string& match,
                                                            size_t limit) {
  // Rows up to the newest committed one now: rowids are given in commit order by the single
  // writer, so every row <= w is visible to this and any later read.
  YQ_ASSIGN_OR_RETURN(int64_t w, MaxRowid());
  std::shared_ptr<SearchCache::Entry> e = cache_->Find(match);
  std::shared_ptr<const std::vector<SearchCache::Match>> list;
  bool hit = false, built = false;
  {
    std::lock_guard<std::mutex> lock(e->mu);
    if (e->uncached) return std::optional<SearchResult>();
    hit = e->list && e->watermark >= w;
    if (!hit) {
      YQ_ASSIGN_OR_RETURN(sqlite::Statement st, db_.Prepare("SELECT posts_fts.rowid, p.published_at FROM posts_fts JOIN posts p ON "
                                                    "p.rowid = posts_fts.rowid WHERE posts_fts MATCH ?1 AND "
                                                    "posts_fts.rowid > ?2 AND posts_fts.rowid <= ?3"));
      st.Bind(1, match).Bind(2, e->list ? e->watermark : int64_t{0}).Bind(3, w);
      std::vector<SearchCache::Match> fresh;
      size_t old = e->list ? e->list->size() : 0, cap = cache_->max_matches_ / 2;
      while (true) {
        auto row = st.Step();
        if (!row.ok()) return BadQuery(row.status());
        if (!*row) break;
        fresh.push_back({st.Int(1), st.Int(0)});
        if (old + fresh.size() > cap) {
          e->uncached = true;
          e->list.reset();
          break;
        }
      }
      if (e->uncached) {
        cache_->Charge(e, 0);
        std::lock_guard<std::mutex> c(cache_->mu_);
        ++cache_->counters_.uncached;
        return std::optional<SearchResult>();
      }
      auto newer = [](const SearchCache::Match& a, const SearchCache::Match& b) {
        return a.published_at != b.published_at ? a.published_at > b.published_at : a.rowid > b.rowid;
      };
      std::sort(fresh.begin(), fresh.end(), newer);
      auto merged = std::make_shared<std::vector<SearchCache::Match>>();
      merged->reserve(old + fresh.size());
      if (e->list) std::merge(e->list->begin(), e->list->end(), fresh.begin(), fresh.end(), std::back_inserter(*merged), newer);
      else *merged = std::move(fresh);
      built = !e->list;
      e->list = std::move(merged);
      e->watermark = w;
    }
    list = e->list;
  }
  cache_->Charge(e, list->size());
  {
    std::lock_guard<std::mutex> c(cache_->mu_);
    ++(hit ? cache_->counters_.hits : built ? cache_->counters_.builds : cache_->counters_.topups);
  }

  const std::vector<SearchCache::Match>& v = *list;
  size_t i = 0;
  if (q.before_rowid) {
    i = std::partition_point(v.begin(), v.end(), [&](const SearchCache::Match& m) {
          return m.published_at > q.before_time || (m.published_at == q.before_time && m.rowid >= q.before_rowid);
        }) - v.begin();
  }
  if (q.to) {
    size_t j = std::partition_point(v.begin(), v.end(), [&](const SearchCache::Match& m) { return m.published_at >= q.to; }) -
               v.begin();
    i = std::max(i, j);
  }
  std::optional<sqlite::Statement> check;
  if (HasRowFilters(q)) {
    YQ_ASSIGN_OR_RETURN(check, db_.Prepare("SELECT 1 FROM posts p WHERE p.rowid = ?50" + FilterSql(q, false, true)));
  }
  std::vector<int64_t> page;
  for (; i < v.size() && page.size() <= limit; ++i) {
    if (q.from && v[i].published_at < q.from) break;
    if (check) {
      check->Reset();
      BindFilters(*check, q, false);
      check->Bind(50, v[i].rowid);
      YQ_ASSIGN_OR_RETURN(bool ok, check->Step());
      if (!ok) continue;
    }
    page.push_back(v[i].rowid);
  }
  bool more = page.size() > limit;
  if (more) page.pop_back();
  SearchResult res;
  YQ_RETURN_IF_ERROR(FillHits(match, page, e.get(), res));
  if (more && !res.hits.empty()) {
    const StoredPost& last = res.hits.back().post;
    res.next_cursor = std::to_string(last.post.published_at) + "_" + std::to_string(last.rowid);
  }
  return std::optional<SearchResult>(std::move(res));
}

Result<SearchResult> PostStore::SearchRelevance(const SearchQuery& q, const std::string& match, size_t limit) {
  // bm25 needs a pass over every candidate, so only the window of the kRelevanceWindow matches
  // stored last is ranked. The first page fixes the window; later pages carry it in the cursor.
  bool join = q.from || q.to || HasRowFilters(q);
  std::string from = join ? " FROM posts_fts JOIN posts p ON p.rowid = posts_fts.rowid" : " FROM posts_fts";
  std::string filters = join ? FilterSql(q, true, true) : "";
  int64_t lo = q.window_lo, hi = q.window_hi;
  if (hi == 0) {
    YQ_ASSIGN_OR_RETURN(hi, MaxRowid());
    YQ_ASSIGN_OR_RETURN(sqlite::Statement w, db_.Prepare("SELECT posts_fts.rowid" + from +
                                                 " WHERE posts_fts MATCH ?1 AND posts_fts.rowid <= ?13" + filters +
                                                 " ORDER BY posts_fts.rowid DESC LIMIT 1 OFFSET " +
                                                 std::to_string(kRelevanceWindow - 1)));
    w.Bind(1, match).Bind(13, hi);
    if (join) BindFilters(w, q, true);
    auto row = w.Step();
    if (!row.ok()) return BadQuery(row.status());
    lo = *row ? w.Int(0) : 0;
  }
  std::string sql = "SELECT posts_fts.rowid, bm25(posts_fts, 2.0, 1.0)" + from +
                    " WHERE posts_fts MATCH ?1 AND posts_fts.rowid >= ?12 AND posts_fts.rowid <= ?13" + filters +
                    " ORDER BY 2, posts_fts.rowid DESC LIMIT " + std::to_string(limit + 1);
  if (q.offset) sql += " OFFSET " + std::to_string(q.offset);
  YQ_ASSIGN_OR_RETURN(sqlite::Statement st, db_.Prepare(sql));
  st.Bind(1, match).Bind(12, lo).Bind(13, hi);
  if (join) BindFilters(st, q, true);
  std::vector<int64_t> page;
  std::unordered_map<int64_t, double> rank;
  while (true) {
    auto row = st.Step();
    if (!row.ok()) return BadQuery(row.status());
    if (!*row) break;
    page.push_back(st.Int(0));
    rank[st.Int(0)] = st.Double(1);
  }
  bool more = page.size() > limit;
  if (more) page.pop_back();
  SearchResult res;
  std::shared_ptr<SearchCache::Entry> e = cache_ && !cache_->bypass_.load() ? cache_->Find(match) : nullptr;
  YQ_RETURN_IF_ERROR(FillHits(match, page, e.get(), res));
  for (auto& h : res.hits) h.rank = rank[h.post.rowid];
  if (more) res.next_cursor = std::to_string(q.offset + limit) + "_" + std::to_string(lo) + "_" + std::to_string(hi);
  return res;
}

Status PostStore::FillHits(const std::string& match, const std::vector<int64_t>& rowids, SearchCache::Entry* cached,
                           SearchResult& res) {
  Status err;
  sqlite::Statement* read = db_.Cached(std::string("SELECT ") + kCols + " FROM posts p WHERE p.rowid = ?1", &err);
  if (!read) return err;
  sqlite::Statement* snip = db_.Cached(kSnippetSql, &err);
  if (!snip) return err;
  for (int64_t rowid : rowids) {
    std::optional<std::string> snippet;
    if (cached) {
      std::lock_guard<std::mutex> lock(cached->snippets_mu);
      if (auto it = cached->snippets.find(rowid); it != cached->snippets.end()) snippet = it->second;
    }
    if (!snippet) {
      // A snippet re-tokenizes its post: made for the page's posts only, and kept with the query.
      snip->Reset();
      snip->Bind(1, match).Bind(2, rowid);
      auto row = snip->Step();
      if (!row.ok()) return BadQuery(row.status());
      if (!*row) continue;  // not a match after all
      snippet = snip->Text(0);
      snip->Reset();
      if (cached) {
        std::lock_guard<std::mutex> lock(cached->snippets_mu);
        if (cached->snippets.size() >= kMaxSnippetsPerQuery) cached->snippets.clear();
        cached->snippets.emplace(rowid, *snippet);
      }
    }
    read->Reset();
    read->Bind(1, rowid);
    YQ_ASSIGN_OR_RETURN(bool found, read->Step());
    if (!found) continue;
    SearchHit h;
    YQ_ASSIGN_OR_RETURN(h.post, Read(*read, 0));
    read->Reset();
    h.snippet = snippet->empty() ? h.post.post.text.substr(0, 300) : std::move(*snippet);
    res.hits.push_back(std::move(h));
  }
  return Status::Ok();
}

Status SearchQuery::SetCursor(const std::string& cursor) {
  try {
    if (relevance) {
      // "offset" (older cursors) or "offset_lo_hi": the window the first page ranked.
      size_t a = cursor.find('_');
      offset = std::stoull(cursor.substr(0, a));
      if (a != std::string::npos) {
        size_t b = cursor.find('_', a + 1);
        if (b == std::string::npos) throw std::invalid_argument("no window end");
        window_lo = std::stoll(cursor.substr(a + 1, b - a - 1));
        window_hi = std::stoll(cursor.substr(b + 1));
        if (window_lo < 0 || window_hi <= 0 || window_lo > window_hi) throw std::invalid_argument("bad window");
      }
      return Status::Ok();
    }
    auto sep = cursor.find('_');
    if (sep == std::string::npos) throw std::invalid_argument("no separator");
    before_time = std::stoll(cursor.substr(0, sep));
    before_rowid = std::stoll(cursor.substr(sep + 1));
    return Status::Ok();
  } catch (...) {
    return Status::Invalid("bad cursor '" + cursor + "': use the next_cursor of a previous page");
  }
}
}  // namespace yuqing::store
