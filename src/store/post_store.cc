#include "store/post_store.h"

#include <sstream>

#include "store/fts_tokenizer.h"

namespace yuqing::store {
namespace {

using nlohmann::json;

constexpr const char* kCols =
    "p.rowid, p.id, p.source, p.channel, p.url, p.title, p.text, p.author_id, p.author_name, "
    "p.author_location, p.author_followers, p.author_verified, p.published_at, p.ingested_at, p.region, "
    "p.reposts, p.comments, p.likes, p.views, p.parent, p.lang, p.extra, p.sentiment, p.sentiment_score, "
    "p.types, p.province, p.city, p.keywords, p.simhash, p.dup_of, p.event_id, p.schemes";
constexpr int kColCount = 32;

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
  return Status::Ok();
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

Result<std::unique_ptr<PostStore>> PostStore::Open(Database& db) {
  YQ_RETURN_IF_ERROR(db.EnsureSchema("posts", 2, Migrate));
  YQ_RETURN_IF_ERROR(db.EnsureSchema("quarantine", 1, MigrateQuarantine));
  return std::unique_ptr<PostStore>(new PostStore(db));
}

Result<bool> PostStore::Insert(const ProcessedPost& pp) {
  const Post& p = pp.post;
  const Analysis& a = pp.analysis;
  Status err;
  Statement* ins = db_.Cached(
      "INSERT INTO posts(id, source, channel, url, title, text, author_id, author_name, author_location, "
      "author_followers, author_verified, published_at, ingested_at, region, reposts, comments, likes, views, "
      "parent, lang, extra, sentiment, sentiment_score, types, type_list, province, city, keywords, simhash, "
      "dup_of, event_id, schemes) VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?) "
      "ON CONFLICT(id) DO NOTHING",
      &err);
  if (!ins) return err;
  std::string type_list = ",";
  for (const auto& t : a.types) type_list += t.type + ",";
  int i = 1;
  ins->Bind(i++, p.id).Bind(i++, p.source).Bind(i++, p.channel).Bind(i++, p.url).Bind(i++, p.title);
  ins->Bind(i++, p.text).Bind(i++, p.author.id).Bind(i++, p.author.name).Bind(i++, p.author.location);
  ins->Bind(i++, p.author.followers).Bind(i++, p.author.verified ? 1 : 0).Bind(i++, p.published_at);
  ins->Bind(i++, p.ingested_at).Bind(i++, p.region).Bind(i++, p.metrics.reposts).Bind(i++, p.metrics.comments);
  ins->Bind(i++, p.metrics.likes).Bind(i++, p.metrics.views).Bind(i++, p.parent).Bind(i++, p.lang);
  ins->Bind(i++, p.extra_json).Bind(i++, a.sentiment_label).Bind(i++, a.sentiment_score);
  ins->Bind(i++, Dump(TypesToJson(a.types))).Bind(i++, type_list).Bind(i++, a.province).Bind(i++, a.city);
  ins->Bind(i++, Dump(json(a.keywords))).Bind(i++, static_cast<int64_t>(a.simhash)).Bind(i++, a.dup_of);
  ins->Bind(i++, a.event_id).Bind(i++, Dump(SchemesToJson(pp.schemes)));
  YQ_RETURN_IF_ERROR(ins->Run());
  if (db_.Changes() == 0) return false;
  int64_t rowid = db_.LastInsertRowid();
  Statement* fts = db_.Cached("INSERT INTO posts_fts(rowid, title, text) VALUES(?, ?, ?)", &err);
  if (!fts) return err;
  fts->Bind(1, rowid).Bind(2, p.title).Bind(3, p.text);
  // Reuse the pipeline's segmentation when it was done (token_begin filled or the field empty).
  TokenHint hints[2] = {{p.title, &pp.title_seg}, {p.text, &pp.text_seg}};
  bool segmented = !pp.text_seg.norm.empty();
  SetTokenHints(segmented ? hints : nullptr, segmented ? 2 : 0);
  Status fts_status = fts->Run();
  SetTokenHints(nullptr, 0);
  YQ_RETURN_IF_ERROR(fts_status);
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

Status PostStore::UpdateEvent(const std::string& id, int64_t event_id) {
  Status err;
  Statement* st = db_.Cached("UPDATE posts SET event_id = ? WHERE id = ?", &err);
  if (!st) return err;
  st->Bind(1, event_id).Bind(2, id);
  return st->Run();
}

Status PostStore::UpdateSentiment(const std::string& id, const std::string& label, double score) {
  Status err;
  Statement* st = db_.Cached("UPDATE posts SET sentiment = ?, sentiment_score = ? WHERE id = ?", &err);
  if (!st) return err;
  st->Bind(1, label).Bind(2, score).Bind(3, id);
  YQ_RETURN_IF_ERROR(st->Run());
  if (db_.Changes() == 0) return Status::NotFound("no post with id " + id);
  return Status::Ok();
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

Result<SearchResult> PostStore::Search(const SearchQuery& q) {
  std::ostringstream sql;
  std::vector<std::pair<int, std::string>> text_binds;
  bool fts = !q.text.empty();
  std::string match;
  if (fts) {
    YQ_ASSIGN_OR_RETURN(match, ToFtsQuery(q.text));
  }
  // With words, the page is chosen first (row ids only) and snippets are made for that page
  // alone: a snippet re-tokenizes its post, and a common word matches a large share of the store.
  if (fts) {
    if (q.relevance) {
      sql << "SELECT p.rowid FROM posts_fts JOIN posts p ON p.rowid = posts_fts.rowid WHERE posts_fts MATCH ?1";
    } else {
      // Newest first: walk the time index from the newest post and keep those in the match set
      // ("+" keeps SQLite from driving the loop by the set and sorting every match), so a common
      // word stops after one page instead of sorting all its matches.
      sql << "SELECT p.rowid FROM posts p WHERE +p.rowid IN (SELECT rowid FROM posts_fts WHERE posts_fts MATCH ?1)";
    }
  } else {
    sql << "SELECT " << kCols;
    sql << ", '', 0 FROM posts p WHERE 1";
  }
  if (q.from) sql << " AND p.published_at >= ?2";
  if (q.to) sql << " AND p.published_at < ?3";
  if (!q.sentiment.empty()) sql << " AND p.sentiment = ?4";
  if (!q.type.empty()) sql << " AND p.type_list LIKE ?5";
  if (!q.province.empty()) sql << " AND p.province = ?6";
  if (!q.city.empty()) sql << " AND p.city = ?7";
  if (q.event_id) sql << " AND p.event_id = ?8";
  if (q.scheme_id) sql << " AND p.rowid IN (SELECT post_rowid FROM post_schemes WHERE scheme_id = ?9)";
  if (!q.scheme_ids.empty()) {
    sql << " AND p.rowid IN (SELECT post_rowid FROM post_schemes WHERE scheme_id IN (";
    for (size_t k = 0; k < q.scheme_ids.size(); ++k) sql << (k ? "," : "") << q.scheme_ids[k];
    sql << "))";
  }
  if (!q.sources.empty()) {
    sql << " AND p.source IN (";
    for (size_t k = 0; k < q.sources.size(); ++k) sql << (k ? "," : "") << "?" << (20 + k);
    sql << ")";
  }
  if (q.before_rowid && !q.relevance)
    sql << " AND (p.published_at < ?11 OR (p.published_at = ?11 AND p.rowid < ?10))";
  if (q.relevance && fts) sql << " ORDER BY bm25(posts_fts, 2.0, 1.0), p.published_at DESC";
  else sql << " ORDER BY p.published_at DESC, p.rowid DESC";
  size_t limit = q.limit == 0 ? 20 : std::min<size_t>(q.limit, 1000);
  sql << " LIMIT " << (limit + 1);
  if (q.relevance && q.offset) sql << " OFFSET " << q.offset;

  YQ_ASSIGN_OR_RETURN(Statement st, db_.Prepare(sql.str()));
  if (fts) st.Bind(1, match);
  if (q.from) st.Bind(2, q.from);
  if (q.to) st.Bind(3, q.to);
  if (!q.sentiment.empty()) st.Bind(4, q.sentiment);
  if (!q.type.empty()) st.Bind(5, "%," + q.type + ",%");
  if (!q.province.empty()) st.Bind(6, q.province);
  if (!q.city.empty()) st.Bind(7, q.city);
  if (q.event_id) st.Bind(8, q.event_id);
  if (q.scheme_id) st.Bind(9, q.scheme_id);
  if (q.before_rowid && !q.relevance) st.Bind(10, q.before_rowid).Bind(11, q.before_time);
  for (size_t k = 0; k < q.sources.size(); ++k) st.Bind(static_cast<int>(20 + k), q.sources[k]);

  SearchResult res;
  std::vector<int64_t> page;
  bool more = false;
  while (true) {
    auto row = st.Step();
    if (!row.ok()) {
      // FTS5 reports query syntax problems as SQL errors: show them as bad input.
      return Status::Invalid("search query: " + row.status().message());
    }
    if (!*row) break;
    if ((fts ? page.size() : res.hits.size()) == limit) {
      more = true;
      break;
    }
    if (fts) {
      page.push_back(st.Int(0));
      continue;
    }
    SearchHit h;
    YQ_ASSIGN_OR_RETURN(h.post, Read(st, 0));
    h.snippet = h.post.post.text.substr(0, 300);
    res.hits.push_back(std::move(h));
  }
  if (fts && !page.empty()) {
    YQ_ASSIGN_OR_RETURN(Statement one,
                        db_.Prepare(std::string("SELECT ") + kCols + ", snippet(posts_fts, -1, '" + kMarkStart + "', '" +
                                    kMarkEnd + "', '…', 24), bm25(posts_fts, 2.0, 1.0) FROM posts_fts JOIN posts p ON "
                                    "p.rowid = posts_fts.rowid WHERE posts_fts MATCH ?1 AND posts_fts.rowid = ?2"));
    for (int64_t rowid : page) {
      one.Reset();
      one.Bind(1, match).Bind(2, rowid);
      YQ_ASSIGN_OR_RETURN(bool found, one.Step());
      if (!found) continue;
      SearchHit h;
      YQ_ASSIGN_OR_RETURN(h.post, Read(one, 0));
      h.snippet = one.Text(kColCount);
      h.rank = one.Double(kColCount + 1);
      if (h.snippet.empty()) h.snippet = h.post.post.text.substr(0, 300);
      res.hits.push_back(std::move(h));
    }
  }
  if (more && !res.hits.empty()) {
    const StoredPost& last = res.hits.back().post;
    res.next_cursor = q.relevance ? std::to_string(q.offset + limit)
                                  : std::to_string(last.post.published_at) + "_" + std::to_string(last.rowid);
  }
  return res;
}

Status SearchQuery::SetCursor(const std::string& cursor) {
  try {
    if (relevance) {
      offset = std::stoull(cursor);
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
  {
    YQ_ASSIGN_OR_RETURN(Statement st, db_.Prepare("SELECT count(*), min(published_at), max(published_at) FROM posts"));
    YQ_ASSIGN_OR_RETURN(bool row, st.Step());
    if (row) {
      s.posts = st.Int(0);
      s.first = st.Int(1);
      s.last = st.Int(2);
    }
  }
  {
    YQ_ASSIGN_OR_RETURN(Statement st, db_.Prepare("SELECT count(*) FROM quarantine WHERE status = 'open'"));
    YQ_ASSIGN_OR_RETURN(bool row, st.Step());
    if (row) s.quarantined = st.Int(0);
  }
  for (auto [col, out] : {std::pair{"source", &s.by_source}, std::pair{"sentiment", &s.by_sentiment}}) {
    YQ_ASSIGN_OR_RETURN(Statement st, db_.Prepare(std::string("SELECT ") + col + ", count(*) FROM posts GROUP BY 1 ORDER BY 2 DESC"));
    while (true) {
      YQ_ASSIGN_OR_RETURN(bool row, st.Step());
      if (!row) break;
      out->emplace_back(st.Text(0), st.Int(1));
    }
  }
  return s;
}

json AnalysisToJson(const Analysis& a) {
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(a.simhash));
  return {{"sentiment", {{"label", a.sentiment_label}, {"score", a.sentiment_score}}},
          {"types", TypesToJson(a.types)},
          {"region", {{"province", a.province}, {"city", a.city}}},
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
  YQ_RETURN_IF_ERROR(db.EnsureSchema("quarantine", 1, MigrateQuarantine));
  return std::unique_ptr<QuarantineStore>(new QuarantineStore(db));
}

Result<int64_t> QuarantineStore::Add(const QuarantineRecord& r) {
  Status err;
  Statement* st = db_.Cached(
      "INSERT INTO quarantine(origin, line, offset, code, reason, raw, format, at) VALUES(?,?,?,?,?,?,?,?)", &err);
  if (!st) return err;
  st->Bind(1, r.origin).Bind(2, r.line).Bind(3, r.offset).Bind(4, r.code).Bind(5, r.reason);
  st->Bind(6, r.raw.substr(0, kMaxQuarantineRawBytes)).Bind(7, r.format).Bind(8, r.at);
  YQ_RETURN_IF_ERROR(st->Run());
  return db_.LastInsertRowid();
}

namespace {
constexpr const char* kQCols = "id, origin, line, offset, code, reason, raw, format, at, status, resolved_at";
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
