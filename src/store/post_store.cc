// PostStore: the schema, writes (inserts, hourly counts, later analysis updates) and row reads.
// Search is post_search.cc, the dashboard's counts post_stats.cc.
#include "store/post_store.h"

#include <cstring>

#include <nlohmann/json.hpp>
#include <sqlite3.h>

#include "core/post_json.h"
#include "store/fts_tokenizer.h"
#include "store/post_rows.h"
#include "store/quarantine_store.h"

namespace yuqing::store {

using namespace post_rows;

namespace {

using nlohmann::json;

Status Migrate(sqlite::Connection& db, int v) {
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
      YQ_ASSIGN_OR_RETURN(sqlite::Statement has, db.Prepare("SELECT 1 FROM pragma_table_info('posts') WHERE name = ?1"));
      has.Bind(1, name);
      YQ_ASSIGN_OR_RETURN(bool exists, has.Step());
      if (!exists) YQ_RETURN_IF_ERROR(db.Exec(std::string("ALTER TABLE posts ADD COLUMN ") + col));
    }
  }
  return Status::Ok();
}

// Adds `delta` posts to one hourly count.
Status Bump(sqlite::Connection& db, TimeMs published_at, CountDim dim, const std::string& value, int64_t delta) {
  Status err;
  sqlite::Statement* st = db.Cached(
      "INSERT INTO post_counts(hour, dim, value, n) VALUES(?1, ?2, ?3, ?4) "
      "ON CONFLICT(hour, dim, value) DO UPDATE SET n = n + excluded.n",
      &err);
  if (!st) return err;
  st->Bind(1, HourOf(published_at)).Bind(2, static_cast<int64_t>(dim)).Bind(3, value).Bind(4, delta);
  return st->Run();
}

// The stored form of the types, keywords and scheme hits columns (JSON text).
std::string Dump(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

}  // namespace

Result<std::unique_ptr<PostStore>> PostStore::Open(Database& session, std::shared_ptr<SearchCache> cache) {
  YQ_ASSIGN_OR_RETURN(sqlite::Connection* connection, sqlite::Connect(session));
  sqlite::Connection& db = *connection;
  YQ_RETURN_IF_ERROR(db.EnsureSchema("posts", kSchemaVersion, Migrate));
  // Stats counts the open quarantine: its table exists whenever posts do.
  YQ_RETURN_IF_ERROR(QuarantineStore::Open(db).status());
  return std::unique_ptr<PostStore>(new PostStore(db, std::move(cache)));
}

Result<bool> PostStore::Insert(const ProcessedPost& pp, CountBatch* counts) {
  const Post& p = pp.post;
  const Analysis& a = pp.analysis;
  Status err;
  sqlite::Statement* ins = db_.Cached(
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
  sqlite::Statement* fts = db_.Cached("INSERT INTO posts_fts(rowid, title, text) VALUES(?, ?, ?)", &err);
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
    sqlite::Statement* ps = db_.Cached("INSERT OR IGNORE INTO post_schemes(scheme_id, published_at, post_rowid) VALUES(?,?,?)", &err);
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
  sqlite::Statement* st = db_.Cached("UPDATE posts SET event_id = ? WHERE id = ?", &err);
  if (!st) return err;
  st->Bind(1, event_id).Bind(2, id);
  return st->Run();
}

Status PostStore::UpdateAssignment(int64_t rowid, int64_t event_id, const std::string& dup_of) {
  Status err;
  sqlite::Statement* st = db_.Cached("UPDATE posts SET event_id = ?, dup_of = ? WHERE rowid = ?", &err);
  if (!st) return err;
  st->Bind(1, event_id).Bind(2, dup_of).Bind(3, rowid);
  return st->Run();
}

Result<std::vector<PostStore::TimelinePost>> PostStore::EventTimeline(int64_t event_id, size_t limit) {
  Status err;
  sqlite::Statement* st = db_.Cached(
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
  sqlite::Statement* st = db_.Cached(std::string("SELECT ") + kCols + " FROM posts p WHERE p.rowid > ? ORDER BY p.rowid LIMIT ?", &err);
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
  sqlite::Statement* old = db_.Cached("SELECT sentiment, published_at FROM posts WHERE id = ?", &err);
  if (!old) return err;
  old->Bind(1, id);
  YQ_ASSIGN_OR_RETURN(bool found, old->Step());
  if (!found) return Status::NotFound("no post with id " + id);
  std::string was = old->Text(0);
  TimeMs published_at = old->Int(1);
  old->Reset();
  sqlite::Statement* st = db_.Cached("UPDATE posts SET sentiment = ?, sentiment_score = ? WHERE id = ?", &err);
  if (!st) return err;
  st->Bind(1, label).Bind(2, score).Bind(3, id);
  YQ_RETURN_IF_ERROR(st->Run());
  if (was != label) {
    YQ_RETURN_IF_ERROR(Bump(db_, published_at, kBySentiment, was, -1));
    YQ_RETURN_IF_ERROR(Bump(db_, published_at, kBySentiment, label, 1));
  }
  return tx ? tx->Commit() : Status::Ok();
}

Result<StoredPost> PostStore::Read(sqlite::Statement& st, int c) {
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
  YQ_ASSIGN_OR_RETURN(sqlite::Statement st, db_.Prepare(std::string("SELECT ") + kCols + " FROM posts p WHERE p.id = ?"));
  st.Bind(1, id);
  YQ_ASSIGN_OR_RETURN(bool row, st.Step());
  if (!row) return std::optional<StoredPost>();
  YQ_ASSIGN_OR_RETURN(StoredPost sp, Read(st, 0));
  return std::optional<StoredPost>(std::move(sp));
}

Result<bool> PostStore::Exists(const std::string& id) {
  Status err;
  sqlite::Statement* st = db_.Cached("SELECT 1 FROM posts WHERE id = ?", &err);
  if (!st) return err;
  st->Bind(1, id);
  YQ_ASSIGN_OR_RETURN(bool row, st->Step());
  st->Reset();
  return row;
}
}  // namespace yuqing::store
