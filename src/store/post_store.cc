#include "store/post_store.h"

#include <algorithm>
#include <cstring>
#include <iterator>
#include <sstream>
#include <unordered_map>

#include <sqlite3.h>

#include "core/hash.h"
#include "store/fts_tokenizer.h"

namespace yuqing::store {
namespace {

using nlohmann::json;

constexpr const char* kCols =
    "p.rowid, p.id, p.source, p.channel, p.url, p.title, p.text, p.author_id, p.author_name, "
    "p.author_location, p.author_followers, p.author_verified, p.published_at, p.ingested_at, p.region, "
    "p.reposts, p.comments, p.likes, p.views, p.parent, p.lang, p.extra, p.sentiment, p.sentiment_score, "
    "p.types, p.province, p.city, p.keywords, p.simhash, p.dup_of, p.event_id, p.schemes, p.rumor, p.region_source";
constexpr int kColCount = 34;

Status Migrate(Database& db, int v) {
  if (v == 1) {
    return db.Exec(R"sql(
      CREATE TABLE posts (
        rowid INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        source TEXT NOT NULL, channel TEXT NOT NULL DEFAULT '', url TEXT NOT NULL DEFAULT '',
        title TEXT NOT NULL DEFAULT '', text TEXT NOT NULL,
        author_id TEXT NOT NULL DEFAULT '', author_name TEXT NOT NULL DEFAULT '',
        author_location TEXT NOT NULL DEFAULT '', author_followers INTEGER NOT NULL DEFAULT 0,
        author_verified INTEGER NOT NULL DEFAULT 0,
        published_at INTEGER NOT NULL, ingested_at INTEGER NOT NULL,
        region TEXT NOT NULL DEFAULT '',
        reposts INTEGER NOT NULL DEFAULT 0, comments INTEGER NOT NULL DEFAULT 0,
        likes INTEGER NOT NULL DEFAULT 0, views INTEGER NOT NULL DEFAULT 0,
        parent TEXT NOT NULL DEFAULT '', lang TEXT NOT NULL DEFAULT '', extra TEXT NOT NULL DEFAULT '',
        sentiment TEXT NOT NULL DEFAULT 'neutral', sentiment_score REAL NOT NULL DEFAULT 0,
        types TEXT NOT NULL DEFAULT '[]', type_list TEXT NOT NULL DEFAULT ',',
        province TEXT NOT NULL DEFAULT '', city TEXT NOT NULL DEFAULT '',
        keywords TEXT NOT NULL DEFAULT '[]', simhash INTEGER NOT NULL DEFAULT 0,
        dup_of TEXT NOT NULL DEFAULT '', event_id INTEGER NOT NULL DEFAULT 0,
        schemes TEXT NOT NULL DEFAULT '[]'
      );
      CREATE INDEX posts_published ON posts(published_at);
      CREATE INDEX posts_event ON posts(event_id, published_at) WHERE event_id != 0;
      CREATE TABLE post_schemes (
        scheme_id INTEGER NOT NULL, published_at INTEGER NOT NULL, post_rowid INTEGER NOT NULL,
        PRIMARY KEY (scheme_id, published_at, post_rowid)
      ) WITHOUT ROWID;
      CREATE VIRTUAL TABLE posts_fts USING fts5(title, text, content='posts', content_rowid='rowid',
                                                tokenize='yuqing', detail='full');
    )sql");
  }
  if (v == 2) {
    // Covers the overview's counts by time, sentiment, source and province (no table lookups);
    // published_at leads, so it also serves every time-range query the old index did.
    return db.Exec(R"sql(
      CREATE INDEX posts_overview ON posts(published_at, sentiment, source, province);
      DROP INDEX posts_published;
    )sql");
  }
  if (v == 3) {
    // Posts per UTC hour by sentiment (dim 0), source (1) and province (2, non-empty only), kept
    // by Insert and UpdateSentiment: the dashboard's counts read these instead of every post.
    return db.Exec(R"sql(
      CREATE TABLE post_counts (
        hour INTEGER NOT NULL, dim INTEGER NOT NULL, value TEXT NOT NULL, n INTEGER NOT NULL,
        PRIMARY KEY (hour, dim, value)
      ) WITHOUT ROWID;
      INSERT INTO post_counts(hour, dim, value, n)
        SELECT published_at - ((published_at % 3600000) + 3600000) % 3600000 AS h, 0, sentiment, count(*)
        FROM posts GROUP BY h, sentiment;
      INSERT INTO post_counts(hour, dim, value, n)
        SELECT published_at - ((published_at % 3600000) + 3600000) % 3600000 AS h, 1, source, count(*)
        FROM posts GROUP BY h, source;
      INSERT INTO post_counts(hour, dim, value, n)
        SELECT published_at - ((published_at % 3600000) + 3600000) % 3600000 AS h, 2, province, count(*)
        FROM posts WHERE province != '' GROUP BY h, province;
    )sql");
  }
  if (v == 4) {
    // p(rumour) on every post, and whether the region came from the text or the author. Each
    // column only when absent, so a store whose version row was rolled back migrates too.
    for (const char* col : {"rumor REAL NOT NULL DEFAULT 0", "region_source TEXT NOT NULL DEFAULT ''"}) {
      std::string name(col, std::strchr(col, ' ') - col);
      YQ_ASSIGN_OR_RETURN(Statement has, db.Prepare("SELECT 1 FROM pragma_table_info('posts') WHERE name = ?1"));
      has.Bind(1, name);
      YQ_ASSIGN_OR_RETURN(bool exists, has.Step());
      if (!exists) YQ_RETURN_IF_ERROR(db.Exec(std::string("ALTER TABLE posts ADD COLUMN ") + col));
    }
  }
  return Status::Ok();
}

TimeMs HourOf(TimeMs t) { return t - ((t % kHour) + kHour) % kHour; }

enum CountDim { kBySentiment = 0, kBySource = 1, kByProvince = 2 };

// Adds `delta` posts to one hourly count.
Status Bump(Database& db, TimeMs published_at, CountDim dim, const std::string& value, int64_t delta) {
  Status err;
  Statement* st = db.Cached(
      "INSERT INTO post_counts(hour, dim, value, n) VALUES(?1, ?2, ?3, ?4) "
      "ON CONFLICT(hour, dim, value) DO UPDATE SET n = n + excluded.n",
      &err);
  if (!st) return err;
  st->Bind(1, HourOf(published_at)).Bind(2, static_cast<int64_t>(dim)).Bind(3, value).Bind(4, delta);
  return st->Run();
}

// A read transaction: the statements inside see one snapshot. Ends (rolled back: it wrote
// nothing) when destroyed.
class ReadSnapshot {
 public:
  explicit ReadSnapshot(Database& db) : db_(db), status_(db.Exec("BEGIN")) {}
  ~ReadSnapshot() {
    if (status_.ok()) (void)db_.Exec("ROLLBACK");
  }
  const Status& status() const { return status_; }

 private:
  Database& db_;
  Status status_;
};

// One quarantined record is one row however often its file is ingested: the row is keyed by
// where it came from and what it was, and a repeat only counts (`seen`, `last_at`).
int64_t QuarantineFingerprint(const QuarantineRecord& r) {
  std::string key = r.origin;
  key += '\n' + std::to_string(r.line) + '\n' + std::to_string(r.offset) + '\n' + r.code + '\n';
  key += std::string_view(r.raw).substr(0, kMaxQuarantineRawBytes);
  return static_cast<int64_t>(Hash64(key));
}

// v2: the fingerprint column; rows a store already holds twice fold into their first row.
Status MigrateQuarantineOnce(Database& db) {
  YQ_RETURN_IF_ERROR(db.Exec("ALTER TABLE quarantine ADD COLUMN fingerprint INTEGER;"
                             "ALTER TABLE quarantine ADD COLUMN seen INTEGER NOT NULL DEFAULT 1;"
                             "ALTER TABLE quarantine ADD COLUMN last_at INTEGER NOT NULL DEFAULT 0;"
                             "UPDATE quarantine SET last_at = at"));
  std::unordered_map<int64_t, int64_t> first;  // fingerprint → id of its first row
  std::vector<std::pair<int64_t, int64_t>> fold;  // (repeat id, first id)
  {
    YQ_ASSIGN_OR_RETURN(Statement st, db.Prepare("SELECT id, origin, line, offset, code, raw FROM quarantine ORDER BY id"));
    YQ_ASSIGN_OR_RETURN(Statement set, db.Prepare("UPDATE quarantine SET fingerprint = ? WHERE id = ?"));
    while (true) {
      YQ_ASSIGN_OR_RETURN(bool row, st.Step());
      if (!row) break;
      QuarantineRecord r;
      r.origin = st.Text(1);
      r.line = st.Int(2);
      r.offset = st.Int(3);
      r.code = st.Text(4);
      r.raw = st.Text(5);
      int64_t fp = QuarantineFingerprint(r);
      auto [it, fresh] = first.emplace(fp, st.Int(0));
      if (!fresh) {
        fold.emplace_back(st.Int(0), it->second);
        continue;
      }
      set.Reset();
      set.Bind(1, fp).Bind(2, st.Int(0));
      YQ_RETURN_IF_ERROR(set.Run());
    }
  }
  for (auto [dup, keep] : fold) {
    YQ_ASSIGN_OR_RETURN(Statement up, db.Prepare(
        "UPDATE quarantine SET seen = seen + 1, last_at = max(last_at, (SELECT at FROM quarantine WHERE id = ?1)) "
        "WHERE id = ?2"));
    up.Bind(1, dup).Bind(2, keep);
    YQ_RETURN_IF_ERROR(up.Run());
    YQ_ASSIGN_OR_RETURN(Statement del, db.Prepare("DELETE FROM quarantine WHERE id = ?"));
    del.Bind(1, dup);
    YQ_RETURN_IF_ERROR(del.Run());
  }
  return db.Exec("CREATE UNIQUE INDEX quarantine_fingerprint ON quarantine(fingerprint)");
}

Status MigrateQuarantine(Database& db, int v) {
  if (v == 1) {
    return db.Exec(R"sql(
      CREATE TABLE quarantine (
        id INTEGER PRIMARY KEY,
        origin TEXT NOT NULL, line INTEGER NOT NULL, offset INTEGER NOT NULL,
        code TEXT NOT NULL, reason TEXT NOT NULL, raw BLOB NOT NULL, format TEXT NOT NULL,
        at INTEGER NOT NULL, status TEXT NOT NULL DEFAULT 'open', resolved_at INTEGER NOT NULL DEFAULT 0
      );
      CREATE INDEX quarantine_status ON quarantine(status, id);
    )sql");
  }
  if (v == 2) return MigrateQuarantineOnce(db);
  return Status::Ok();
}

json TypesToJson(const std::vector<TypeHit>& types) {
  json a = json::array();
  for (const auto& t : types) a.push_back({{"type", t.type}, {"evidence", t.evidence}, {"score", t.score}});
  return a;
}

json SchemesToJson(const std::vector<SchemeHit>& s) {
  json a = json::array();
  for (const auto& h : s) a.push_back({{"id", h.scheme_id}, {"terms", h.terms}});
  return a;
}

std::string Dump(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

}  // namespace

Result<std::unique_ptr<PostStore>> PostStore::Open(Database& db, std::shared_ptr<SearchCache> cache) {
  YQ_RETURN_IF_ERROR(db.EnsureSchema("posts", 4, Migrate));
  YQ_RETURN_IF_ERROR(db.EnsureSchema("quarantine", 2, MigrateQuarantine));
  return std::unique_ptr<PostStore>(new PostStore(db, std::move(cache)));
}

Result<bool> PostStore::Insert(const ProcessedPost& pp, CountBatch* counts) {
  const Post& p = pp.post;
  const Analysis& a = pp.analysis;
  Status err;
  Statement* ins = db_.Cached(
      "INSERT INTO posts(id, source, channel, url, title, text, author_id, author_name, author_location, "
      "author_followers, author_verified, published_at, ingested_at, region, reposts, comments, likes, views, "
      "parent, lang, extra, sentiment, sentiment_score, types, type_list, province, city, keywords, simhash, "
      "dup_of, event_id, schemes, rumor, region_source) "
      "VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?) "
      "ON CONFLICT(id) DO NOTHING",
      &err);
  if (!ins) return err;
  std::string type_list = ",";
  for (const auto& t : a.types) type_list += t.type + ",";
  // Placeholders in column order; a comma fold evaluates left to right.
  auto bind = [&](const auto&... v) {
    int i = 1;
    (ins->Bind(i++, v), ...);
  };
  bind(p.id, p.source, p.channel, p.url, p.title, p.text, p.author.id, p.author.name, p.author.location,
       p.author.followers, p.author.verified ? 1 : 0, p.published_at, p.ingested_at, p.region, p.metrics.reposts,
       p.metrics.comments, p.metrics.likes, p.metrics.views, p.parent, p.lang, p.extra_json, a.sentiment_label,
       a.sentiment_score, Dump(TypesToJson(a.types)), type_list, a.province, a.city, Dump(json(a.keywords)),
       static_cast<int64_t>(a.simhash), a.dup_of, a.event_id, Dump(SchemesToJson(pp.schemes)), a.rumor,
       a.region_source);
  YQ_RETURN_IF_ERROR(ins->Run());
  if (db_.Changes() == 0) return false;
  int64_t rowid = db_.LastInsertRowid();
  Statement* fts = db_.Cached("INSERT INTO posts_fts(rowid, title, text) VALUES(?, ?, ?)", &err);
  if (!fts) return err;
  fts->Bind(1, rowid).Bind(2, p.title).Bind(3, p.text);
  // Reuse the pipeline's segmentation when it was done (token_begin filled or the field empty).
  TokenHint hints[2] = {{p.title, &pp.title_seg, pp.segmenter}, {p.text, &pp.text_seg, pp.segmenter}};
  bool segmented = !pp.text_seg.norm.empty();
  SetTokenHints(segmented ? hints : nullptr, segmented ? 2 : 0);
  Status fts_status = fts->Run();
  SetTokenHints(nullptr, 0);
  YQ_RETURN_IF_ERROR(fts_status);
  CountBatch own;
  CountBatch& batch = counts ? *counts : own;
  const TimeMs hour = HourOf(p.published_at);
  ++batch.counts_[{hour, kBySentiment, a.sentiment_label}];
  ++batch.counts_[{hour, kBySource, p.source}];
  if (!a.province.empty()) ++batch.counts_[{hour, kByProvince, a.province}];
  if (!counts) YQ_RETURN_IF_ERROR(WriteCounts(own));
  if (!pp.schemes.empty()) {
    Statement* ps = db_.Cached("INSERT OR IGNORE INTO post_schemes(scheme_id, published_at, post_rowid) VALUES(?,?,?)", &err);
    if (!ps) return err;
    for (const auto& h : pp.schemes) {
      ps->Reset();
      ps->Bind(1, h.scheme_id).Bind(2, p.published_at).Bind(3, rowid);
      YQ_RETURN_IF_ERROR(ps->Run());
    }
  }
  return true;
}

Status PostStore::WriteCounts(CountBatch& counts) {
  for (const auto& [key, n] : counts.counts_) {
    const auto& [hour, dim, value] = key;
    YQ_RETURN_IF_ERROR(Bump(db_, hour, static_cast<CountDim>(dim), value, n));
  }
  counts.counts_.clear();
  return Status::Ok();
}

Status PostStore::UpdateEvent(const std::string& id, int64_t event_id) {
  Status err;
  Statement* st = db_.Cached("UPDATE posts SET event_id = ? WHERE id = ?", &err);
  if (!st) return err;
  st->Bind(1, event_id).Bind(2, id);
  return st->Run();
}

Status PostStore::UpdateAssignment(int64_t rowid, int64_t event_id, const std::string& dup_of) {
  Status err;
  Statement* st = db_.Cached("UPDATE posts SET event_id = ?, dup_of = ? WHERE rowid = ?", &err);
  if (!st) return err;
  st->Bind(1, event_id).Bind(2, dup_of).Bind(3, rowid);
  return st->Run();
}

Result<std::vector<PostStore::TimelinePost>> PostStore::EventTimeline(int64_t event_id, size_t limit) {
  Status err;
  Statement* st = db_.Cached(
      "SELECT id, parent, substr(text, 1, 70), published_at, author_followers, author_verified, rumor FROM posts "
      "WHERE event_id = ? ORDER BY published_at, rowid LIMIT ?",
      &err);
  if (!st) return err;
  st->Bind(1, event_id).Bind(2, static_cast<int64_t>(limit));
  std::vector<TimelinePost> out;
  while (true) {
    YQ_ASSIGN_OR_RETURN(bool row, st->Step());
    if (!row) break;
    TimelinePost p;
    p.id = st->Text(0);
    p.parent = st->Text(1);
    p.text = st->Text(2);
    p.published_at = st->Int(3);
    p.author_followers = st->Int(4);
    p.author_verified = st->Int(5) != 0;
    p.rumor = st->Double(6);
    out.push_back(std::move(p));
  }
  st->Reset();
  return out;
}

Result<std::vector<StoredPost>> PostStore::ReadInOrder(int64_t after_rowid, size_t limit) {
  Status err;
  Statement* st = db_.Cached(std::string("SELECT ") + kCols + " FROM posts p WHERE p.rowid > ? ORDER BY p.rowid LIMIT ?", &err);
  if (!st) return err;
  st->Bind(1, after_rowid).Bind(2, static_cast<int64_t>(limit));
  std::vector<StoredPost> out;
  while (true) {
    auto row = st->Step();
    if (!row.ok() || !*row) {
      st->Reset();
      if (!row.ok()) return row.status();
      break;
    }
    auto sp = Read(*st, 0);
    if (!sp.ok()) {
      st->Reset();
      return sp.status();
    }
    out.push_back(std::move(*sp));
  }
  return out;
}

Status PostStore::UpdateSentiment(const std::string& id, const std::string& label, double score) {
  // The hourly counts move with the label, in the same transaction.
  bool own = sqlite3_get_autocommit(db_.handle()) != 0;
  std::optional<Transaction> tx;
  if (own) {
    tx.emplace(db_);
    YQ_RETURN_IF_ERROR(tx->status());
  }
  Status err;
  Statement* old = db_.Cached("SELECT sentiment, published_at FROM posts WHERE id = ?", &err);
  if (!old) return err;
  old->Bind(1, id);
  YQ_ASSIGN_OR_RETURN(bool found, old->Step());
  if (!found) return Status::NotFound("no post with id " + id);
  std::string was = old->Text(0);
  TimeMs published_at = old->Int(1);
  old->Reset();
  Statement* st = db_.Cached("UPDATE posts SET sentiment = ?, sentiment_score = ? WHERE id = ?", &err);
  if (!st) return err;
  st->Bind(1, label).Bind(2, score).Bind(3, id);
  YQ_RETURN_IF_ERROR(st->Run());
  if (was != label) {
    YQ_RETURN_IF_ERROR(Bump(db_, published_at, kBySentiment, was, -1));
    YQ_RETURN_IF_ERROR(Bump(db_, published_at, kBySentiment, label, 1));
  }
  return tx ? tx->Commit() : Status::Ok();
}

Result<StoredPost> PostStore::Read(Statement& st, int c) {
  StoredPost sp;
  Post& p = sp.post;
  Analysis& a = sp.analysis;
  sp.rowid = st.Int(c++);
  p.id = st.Text(c++);
  p.source = st.Text(c++);
  p.channel = st.Text(c++);
  p.url = st.Text(c++);
  p.title = st.Text(c++);
  p.text = st.Text(c++);
  p.author.id = st.Text(c++);
  p.author.name = st.Text(c++);
  p.author.location = st.Text(c++);
  p.author.followers = st.Int(c++);
  p.author.verified = st.Int(c++) != 0;
  p.published_at = st.Int(c++);
  p.ingested_at = st.Int(c++);
  p.region = st.Text(c++);
  p.metrics.reposts = st.Int(c++);
  p.metrics.comments = st.Int(c++);
  p.metrics.likes = st.Int(c++);
  p.metrics.views = st.Int(c++);
  p.parent = st.Text(c++);
  p.lang = st.Text(c++);
  p.extra_json = st.Text(c++);
  a.sentiment_label = st.Text(c++);
  a.sentiment_score = st.Double(c++);
  json types = json::parse(st.TextView(c++), nullptr, false);
  if (types.is_array()) {
    for (const auto& t : types) {
      TypeHit h;
      h.type = t.value("type", "");
      if (t.contains("evidence") && t["evidence"].is_array())
        for (const auto& e : t["evidence"]) h.evidence.push_back(e.is_string() ? e.get<std::string>() : e.dump());
      h.score = t.value("score", 1.0);
      a.types.push_back(std::move(h));
    }
  }
  a.province = st.Text(c++);
  a.city = st.Text(c++);
  json kw = json::parse(st.TextView(c++), nullptr, false);
  if (kw.is_array())
    for (const auto& k : kw)
      if (k.is_string()) a.keywords.push_back(k.get<std::string>());
  a.simhash = static_cast<uint64_t>(st.Int(c++));
  a.dup_of = st.Text(c++);
  a.event_id = st.Int(c++);
  json sc = json::parse(st.TextView(c++), nullptr, false);
  if (sc.is_array()) {
    for (const auto& s : sc) {
      SchemeHit h;
      h.scheme_id = s.value("id", int64_t{0});
      if (s.contains("terms") && s["terms"].is_array())
        for (const auto& t : s["terms"])
          if (t.is_string()) h.terms.push_back(t.get<std::string>());
      sp.schemes.push_back(std::move(h));
    }
  }
  a.rumor = st.Double(c++);
  a.region_source = st.Text(c++);
  return sp;
}

Result<std::optional<StoredPost>> PostStore::Get(const std::string& id) {
  YQ_ASSIGN_OR_RETURN(Statement st, db_.Prepare(std::string("SELECT ") + kCols + " FROM posts p WHERE p.id = ?"));
  st.Bind(1, id);
  YQ_ASSIGN_OR_RETURN(bool row, st.Step());
  if (!row) return std::optional<StoredPost>();
  YQ_ASSIGN_OR_RETURN(StoredPost sp, Read(st, 0));
  return std::optional<StoredPost>(std::move(sp));
}

Result<bool> PostStore::Exists(const std::string& id) {
  Status err;
  Statement* st = db_.Cached("SELECT 1 FROM posts WHERE id = ?", &err);
  if (!st) return err;
  st->Bind(1, id);
  YQ_ASSIGN_OR_RETURN(bool row, st->Step());
  st->Reset();
  return row;
}

Result<std::string> PostStore::ToFtsQuery(const std::string& q) {
  std::vector<std::string> parts;
  bool any_positive = false;
  size_t i = 0, n = q.size();
  auto quote = [](const std::string& term) {
    std::string out = "\"";
    for (char c : term) {
      if (c == '"') out += "\"\"";
      else out.push_back(c);
    }
    return out + "\"";
  };
  while (i < n) {
    while (i < n && (q[i] == ' ' || q[i] == '\t')) ++i;
    if (i >= n) break;
    size_t col = i + 1;
    bool negate = false;
    if (q[i] == '-' && i + 1 < n && q[i + 1] != ' ') {
      negate = true;
      ++i;
    }
    std::string term;
    if (q[i] == '"') {
      size_t close = q.find('"', i + 1);
      if (close == std::string::npos)
        return Status::Invalid("column " + std::to_string(col) + ": unclosed quote (expected '\"')");
      term = q.substr(i + 1, close - i - 1);
      i = close + 1;
    } else {
      size_t end = q.find_first_of(" \t", i);
      if (end == std::string::npos) end = n;
      term = q.substr(i, end - i);
      i = end;
    }
    if (term.empty()) continue;
    if (!negate && (term == "OR" || term == "or" || term == "|")) {
      if (parts.empty() || parts.back() == "OR")
        return Status::Invalid("column " + std::to_string(col) + ": OR needs a word on each side");
      parts.push_back("OR");
      continue;
    }
    if (negate) {
      parts.push_back("NOT " + quote(term));
    } else {
      any_positive = true;
      parts.push_back(quote(term));
    }
  }
  if (!parts.empty() && parts.back() == "OR") return Status::Invalid("column " + std::to_string(n) + ": OR needs a word after it");
  if (!any_positive) return Status::Invalid("the query needs at least one word that is not excluded");
  // FTS5's NOT is binary: "a NOT b". Join positives with AND (implicit) and move exclusions last.
  std::string pos, neg;
  for (size_t k = 0; k < parts.size(); ++k) {
    if (parts[k].rfind("NOT ", 0) == 0) {
      neg += " " + parts[k];
    } else {
      if (!pos.empty()) pos += " ";
      pos += parts[k];
    }
  }
  return neg.empty() ? pos : "(" + pos + ")" + neg;
}

// ---------------------------------------------------------------- search

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

void BindFilters(Statement& st, const SearchQuery& q, bool with_time) {
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
  Statement* st = db_.Cached("SELECT coalesce(max(rowid), 0) FROM posts", &err);
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
    YQ_ASSIGN_OR_RETURN(Statement st, db_.Prepare(sql));
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
  YQ_ASSIGN_OR_RETURN(Statement st, db_.Prepare(sql));
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
      YQ_ASSIGN_OR_RETURN(Statement st, db_.Prepare("SELECT posts_fts.rowid, p.published_at FROM posts_fts JOIN posts p ON "
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
  std::optional<Statement> check;
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
    YQ_ASSIGN_OR_RETURN(Statement w, db_.Prepare("SELECT posts_fts.rowid" + from +
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
  YQ_ASSIGN_OR_RETURN(Statement st, db_.Prepare(sql));
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
  Statement* read = db_.Cached(std::string("SELECT ") + kCols + " FROM posts p WHERE p.rowid = ?1", &err);
  if (!read) return err;
  Statement* snip = db_.Cached(kSnippetSql, &err);
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

Result<int64_t> PostStore::Count(TimeMs from, TimeMs to) {
  std::string sql = "SELECT count(*) FROM posts";
  if (from || to) sql += " WHERE published_at >= ?1 AND published_at < ?2";
  YQ_ASSIGN_OR_RETURN(Statement st, db_.Prepare(sql));
  if (from || to) st.Bind(1, from).Bind(2, to ? to : INT64_MAX);
  YQ_ASSIGN_OR_RETURN(bool row, st.Step());
  return row ? st.Int(0) : 0;
}

Result<PostStats> PostStore::Stats() {
  PostStats s;
  ReadSnapshot snap(db_);
  YQ_RETURN_IF_ERROR(snap.status());
  {
    YQ_ASSIGN_OR_RETURN(Statement st, db_.Prepare("SELECT min(published_at), max(published_at) FROM posts"));
    YQ_ASSIGN_OR_RETURN(bool row, st.Step());
    if (row) {
      s.first = st.Int(0);
      s.last = st.Int(1);
    }
  }
  {
    YQ_ASSIGN_OR_RETURN(Statement st, db_.Prepare("SELECT count(*) FROM quarantine WHERE status = 'open'"));
    YQ_ASSIGN_OR_RETURN(bool row, st.Step());
    if (row) s.quarantined = st.Int(0);
  }
  // From the hourly counts: the same as grouping every post, without reading them.
  for (auto [dim, out] : {std::pair{kBySource, &s.by_source}, std::pair{kBySentiment, &s.by_sentiment}}) {
    YQ_ASSIGN_OR_RETURN(Statement st, db_.Prepare("SELECT value, sum(n) FROM post_counts WHERE dim = ?1 GROUP BY value "
                                                  "HAVING sum(n) > 0 ORDER BY 2 DESC, 1"));
    st.Bind(1, static_cast<int64_t>(dim));
    while (true) {
      YQ_ASSIGN_OR_RETURN(bool row, st.Step());
      if (!row) break;
      out->emplace_back(st.Text(0), st.Int(1));
      if (dim == kBySentiment) s.posts += st.Int(1);
    }
  }
  return s;
}

Result<VolumeSummary> PostStore::Summarize(TimeMs from, TimeMs to) {
  VolumeSummary v;
  if (from >= to) return v;
  ReadSnapshot snap(db_);
  YQ_RETURN_IF_ERROR(snap.status());
  // Whole hours [h0, h1) from post_counts; the rest of [from, to) from the posts themselves.
  TimeMs h0 = HourOf(from) == from ? from : HourOf(from) + kHour;
  TimeMs h1 = HourOf(to);
  std::vector<std::pair<TimeMs, TimeMs>> scans;
  if (h0 >= h1) {
    scans.push_back({from, to});
  } else {
    if (from < h0) scans.push_back({from, h0});
    if (h1 < to) scans.push_back({h1, to});
  }
  Status err;
  Statement* scan = db_.Cached("SELECT published_at, sentiment, source, province FROM posts "
                               "WHERE published_at >= ?1 AND published_at < ?2", &err);
  if (!scan) return err;
  for (auto [a, b] : scans) {
    scan->Reset();
    scan->Bind(1, a).Bind(2, b);
    while (true) {
      YQ_ASSIGN_OR_RETURN(bool row, scan->Step());
      if (!row) break;
      std::string sentiment(scan->TextView(1));
      ++v.total;
      ++v.hourly[{HourOf(scan->Int(0)), sentiment}];
      ++v.sentiments[sentiment];
      ++v.sources[std::string(scan->TextView(2))];
      std::string_view province = scan->TextView(3);
      if (!province.empty()) ++v.provinces[std::string(province)];
    }
  }
  scan->Reset();
  if (h0 < h1) {
    Statement* counts = db_.Cached("SELECT hour, dim, value, n FROM post_counts WHERE hour >= ?1 AND hour < ?2 AND n != 0", &err);
    if (!counts) return err;
    counts->Bind(1, h0).Bind(2, h1);
    while (true) {
      YQ_ASSIGN_OR_RETURN(bool row, counts->Step());
      if (!row) break;
      int64_t n = counts->Int(3);
      std::string value = counts->Text(2);
      switch (counts->Int(1)) {
        case kBySentiment:
          v.total += n;
          v.hourly[{counts->Int(0), value}] += n;
          v.sentiments[value] += n;
          break;
        case kBySource: v.sources[value] += n; break;
        case kByProvince: v.provinces[value] += n; break;
      }
    }
    counts->Reset();
  }
  return v;
}

json AnalysisToJson(const Analysis& a) {
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(a.simhash));
  return {{"sentiment", {{"label", a.sentiment_label}, {"score", a.sentiment_score}}},
          {"types", TypesToJson(a.types)},
          {"rumor", a.rumor},
          {"region", {{"province", a.province}, {"city", a.city}, {"source", a.region_source}}},
          {"keywords", a.keywords},
          {"simhash", hex},
          {"dup_of", a.dup_of.empty() ? json(nullptr) : json(a.dup_of)},
          {"event", a.event_id ? json(a.event_id) : json(nullptr)}};
}

json StoredPostToJson(const StoredPost& sp) {
  const Post& p = sp.post;
  json j = {{"id", p.id},
            {"source", p.source},
            {"channel", p.channel},
            {"url", p.url},
            {"title", p.title},
            {"text", p.text},
            {"author", {{"id", p.author.id}, {"name", p.author.name}, {"followers", p.author.followers},
                        {"verified", p.author.verified}, {"location", p.author.location}}},
            {"published_at", FormatTime(p.published_at)},
            {"ingested_at", FormatTime(p.ingested_at)},
            {"region", p.region},
            {"metrics", {{"reposts", p.metrics.reposts}, {"comments", p.metrics.comments},
                         {"likes", p.metrics.likes}, {"views", p.metrics.views}}},
            {"parent", p.parent},
            {"lang", p.lang},
            {"analysis", AnalysisToJson(sp.analysis)},
            {"schemes", SchemesToJson(sp.schemes)}};
  if (!p.extra_json.empty()) {
    json e = json::parse(p.extra_json, nullptr, false);
    if (!e.is_discarded()) j["extra"] = e;
  }
  return j;
}

// ---------------------------------------------------------------- quarantine

Result<std::unique_ptr<QuarantineStore>> QuarantineStore::Open(Database& db) {
  YQ_RETURN_IF_ERROR(db.EnsureSchema("quarantine", 2, MigrateQuarantine));
  return std::unique_ptr<QuarantineStore>(new QuarantineStore(db));
}

Result<int64_t> QuarantineStore::Add(const QuarantineRecord& r) {
  Status err;
  Statement* st = db_.Cached(
      "INSERT INTO quarantine(origin, line, offset, code, reason, raw, format, at, fingerprint, last_at) "
      "VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?8) "
      "ON CONFLICT(fingerprint) DO UPDATE SET seen = seen + 1, last_at = excluded.last_at RETURNING id",
      &err);
  if (!st) return err;
  st->Bind(1, r.origin).Bind(2, r.line).Bind(3, r.offset).Bind(4, r.code).Bind(5, r.reason);
  st->Bind(6, r.raw.substr(0, kMaxQuarantineRawBytes)).Bind(7, r.format).Bind(8, r.at);
  st->Bind(9, QuarantineFingerprint(r));
  YQ_ASSIGN_OR_RETURN(bool row, st->Step());
  int64_t id = row ? st->Int(0) : 0;
  st->Reset();
  if (!row) return Status::Internal("quarantine insert returned no id");
  return id;
}

namespace {
constexpr const char* kQCols = "id, origin, line, offset, code, reason, raw, format, at, status, resolved_at, seen, last_at";
QuarantineStore::Entry ReadQ(Statement& st) {
  QuarantineStore::Entry e;
  e.id = st.Int(0);
  e.record.origin = st.Text(1);
  e.record.line = st.Int(2);
  e.record.offset = st.Int(3);
  e.record.code = st.Text(4);
  e.record.reason = st.Text(5);
  e.record.raw = st.Text(6);
  e.record.format = st.Text(7);
  e.record.at = st.Int(8);
  e.status = st.Text(9);
  e.resolved_at = st.Int(10);
  e.seen = st.Int(11);
  e.last_at = st.Int(12);
  return e;
}
}  // namespace

Result<std::vector<QuarantineStore::Entry>> QuarantineStore::List(const std::string& status, size_t limit,
                                                                  int64_t after_id) {
  std::string sql = std::string("SELECT ") + kQCols + " FROM quarantine WHERE id > ?1";
  if (!status.empty() && status != "all") sql += " AND status = ?2";
  sql += " ORDER BY id LIMIT " + std::to_string(limit);
  YQ_ASSIGN_OR_RETURN(Statement st, db_.Prepare(sql));
  st.Bind(1, after_id);
  if (!status.empty() && status != "all") st.Bind(2, status);
  std::vector<Entry> out;
  while (true) {
    YQ_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    out.push_back(ReadQ(st));
  }
  return out;
}

Result<std::optional<QuarantineStore::Entry>> QuarantineStore::Get(int64_t id) {
  YQ_ASSIGN_OR_RETURN(Statement st, db_.Prepare(std::string("SELECT ") + kQCols + " FROM quarantine WHERE id = ?"));
  st.Bind(1, id);
  YQ_ASSIGN_OR_RETURN(bool row, st.Step());
  if (!row) return std::optional<Entry>();
  return std::optional<Entry>(ReadQ(st));
}

Status QuarantineStore::MarkResolved(int64_t id, TimeMs at) {
  YQ_ASSIGN_OR_RETURN(Statement st, db_.Prepare("UPDATE quarantine SET status = 'resolved', resolved_at = ? WHERE id = ?"));
  st.Bind(1, at).Bind(2, id);
  return st.Run();
}

Status QuarantineStore::ReplaceRaw(int64_t id, const std::string& raw) {
  YQ_ASSIGN_OR_RETURN(Statement st, db_.Prepare("UPDATE quarantine SET raw = ? WHERE id = ?"));
  st.Bind(1, raw.substr(0, kMaxQuarantineRawBytes)).Bind(2, id);
  return st.Run();
}

Result<int64_t> QuarantineStore::CountOpen() {
  YQ_ASSIGN_OR_RETURN(Statement st, db_.Prepare("SELECT count(*) FROM quarantine WHERE status = 'open'"));
  YQ_ASSIGN_OR_RETURN(bool row, st.Step());
  return row ? st.Int(0) : 0;
}

}  // namespace yuqing::store
