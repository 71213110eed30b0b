#include "store/event_store.h"

#include <nlohmann/json.hpp>

#include "core/event_json.h"

namespace yuqing::store {

using nlohmann::json;

namespace {

constexpr int kSchemaVersion = 2;

Status Migrate(sqlite::Connection& db, int to) {
  if (to == 1) {
    return db.Exec(R"sql(
      CREATE TABLE IF NOT EXISTS events (
        id INTEGER PRIMARY KEY,
        title TEXT NOT NULL DEFAULT '',
        first_seen INTEGER NOT NULL,
        last_seen INTEGER NOT NULL,
        posts INTEGER NOT NULL DEFAULT 0,
        merged_into INTEGER NOT NULL DEFAULT 0,
        doc TEXT NOT NULL
      );
      CREATE INDEX IF NOT EXISTS events_last_seen ON events(last_seen);
      CREATE TABLE IF NOT EXISTS sentiment_corrections (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        post_id TEXT NOT NULL DEFAULT '',
        text TEXT NOT NULL,
        label TEXT NOT NULL CHECK (label IN ('negative', 'neutral', 'positive')),
        user TEXT NOT NULL DEFAULT '',
        created_at INTEGER NOT NULL
      );)sql");
  }
  if (to == 2) {
    // Which event tracker wrote the events and the posts' links (0: one older than the
    // deterministic tracker, whose output the next start rebuilds: app/analysis_stage.cc).
    return db.Exec(R"sql(
      CREATE TABLE IF NOT EXISTS event_tracker (key TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;
      INSERT OR IGNORE INTO event_tracker(key, value) VALUES ('version', 0);
    )sql");
  }
  return Status::Internal("unknown events schema version " + std::to_string(to));
}

}  // namespace

Result<EventStore> EventStore::Open(Database& session) {
  YQ_ASSIGN_OR_RETURN(sqlite::Connection* connection, sqlite::Connect(session));
  sqlite::Connection& db = *connection;
  YQ_RETURN_IF_ERROR(db.EnsureSchema("events", kSchemaVersion, Migrate));
  return EventStore(db);
}

Result<int64_t> EventStore::TrackerVersion() {
  YQ_ASSIGN_OR_RETURN(sqlite::Statement st, db_->Prepare("SELECT value FROM event_tracker WHERE key = 'version'"));
  YQ_ASSIGN_OR_RETURN(bool row, st.Step());
  return row ? st.Int(0) : int64_t{0};
}

Status EventStore::SetTrackerVersion(int64_t v) {
  YQ_ASSIGN_OR_RETURN(sqlite::Statement st, db_->Prepare("INSERT INTO event_tracker(key, value) VALUES ('version', ?) "
                                                 "ON CONFLICT(key) DO UPDATE SET value = excluded.value"));
  st.Bind(1, v);
  return st.Run();
}

Status EventStore::DeleteAll() { return db_->Exec("DELETE FROM events"); }

Status EventStore::Upsert(const std::vector<EventRecord>& events) {
  Status err;
  sqlite::Statement* st = db_->Cached(
      "INSERT INTO events(id, title, first_seen, last_seen, posts, merged_into, doc) VALUES (?,?,?,?,?,?,?) "
      "ON CONFLICT(id) DO UPDATE SET title=excluded.title, first_seen=excluded.first_seen, "
      "last_seen=excluded.last_seen, posts=excluded.posts, merged_into=excluded.merged_into, doc=excluded.doc",
      &err);
  if (!st) return err;
  for (const auto& e : events) {
    st->Reset();
    st->Bind(1, e.id).Bind(2, e.title).Bind(3, e.first_seen).Bind(4, e.last_seen).Bind(5, e.posts).Bind(6, e.merged_into);
    st->Bind(7, EventToJson(e).dump(-1, ' ', false, json::error_handler_t::replace));
    YQ_RETURN_IF_ERROR(st->Run());
  }
  return Status::Ok();
}

Result<std::vector<EventRecord>> EventStore::Query(const std::string& sql, const std::vector<int64_t>& args) {
  YQ_ASSIGN_OR_RETURN(sqlite::Statement st, db_->Prepare(sql));
  for (size_t i = 0; i < args.size(); ++i) st.Bind(static_cast<int>(i + 1), args[i]);
  std::vector<EventRecord> out;
  while (true) {
    YQ_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    auto j = json::parse(st.TextView(0), nullptr, false);
    YQ_ASSIGN_OR_RETURN(EventRecord e, EventFromJson(j));
    out.push_back(std::move(e));
  }
  return out;
}

Result<EventRecord> EventStore::Get(int64_t id, bool follow_merges) {
  for (int hops = 0; hops < 64; ++hops) {
    YQ_ASSIGN_OR_RETURN(auto rows, Query("SELECT doc FROM events WHERE id = ?", {id}));
    if (rows.empty()) return Status::NotFound("no event " + std::to_string(id));
    if (!follow_merges || rows[0].merged_into == 0) return std::move(rows[0]);
    id = rows[0].merged_into;
  }
  return Status::Internal("event merge chain too long");
}

Result<std::vector<EventRecord>> EventStore::List(const EventQuery& q) {
  std::string order = q.order == "posts" ? "posts" : q.order == "first_seen" ? "first_seen" : "last_seen";
  std::string sql = std::string("SELECT ") + (q.summary ? "id, " + order + " AS k" : std::string("doc")) +
                    " FROM events WHERE last_seen >= ? AND posts >= ?";
  std::vector<int64_t> args = {q.since, q.min_posts};
  if (q.until > 0) {
    sql += " AND first_seen <= ?";
    args.push_back(q.until);
  }
  if (!q.include_merged) sql += " AND merged_into = 0";
  sql += " ORDER BY " + order + " DESC, id DESC LIMIT ?";
  args.push_back(static_cast<int64_t>(q.limit));
  // A summary picks the page by id first and trims only the page's documents.
  if (q.summary)
    sql = "SELECT json_remove(e.doc, '$.volume', '$.spreaders') FROM (" + sql +
          ") t JOIN events e ON e.id = t.id ORDER BY t.k DESC, t.id DESC";
  return Query(sql, args);
}

Result<std::vector<EventRecord>> EventStore::LoadActive(TimeMs since) {
  return Query("SELECT doc FROM events WHERE last_seen >= ? ORDER BY id", {since});
}

Result<int64_t> EventStore::MaxId() {
  YQ_ASSIGN_OR_RETURN(sqlite::Statement st, db_->Prepare("SELECT COALESCE(MAX(id), 0) FROM events"));
  YQ_ASSIGN_OR_RETURN(bool row, st.Step());
  return row ? st.Int(0) : int64_t{0};
}

Result<int64_t> EventStore::CountActive(TimeMs from, TimeMs to) {
  YQ_ASSIGN_OR_RETURN(sqlite::Statement st, db_->Prepare(
      "SELECT COUNT(*) FROM events WHERE merged_into = 0 AND last_seen >= ?1 AND first_seen < ?2"));
  st.Bind(1, from).Bind(2, to);
  YQ_ASSIGN_OR_RETURN(bool row, st.Step());
  return row ? st.Int(0) : int64_t{0};
}

Status EventStore::AddCorrection(SentimentCorrection c) {
  if (c.label != "negative" && c.label != "neutral" && c.label != "positive")
    return Status::Invalid("label must be negative, neutral or positive");
  if (c.text.empty()) return Status::Invalid("a correction needs the text");
  YQ_ASSIGN_OR_RETURN(sqlite::Statement st, db_->Prepare(
      "INSERT INTO sentiment_corrections(post_id, text, label, user, created_at) VALUES (?,?,?,?,?)"));
  st.Bind(1, c.post_id).Bind(2, c.text).Bind(3, c.label).Bind(4, c.user).Bind(5, c.created_at);
  return st.Run();
}

Result<std::vector<SentimentCorrection>> EventStore::Corrections() {
  YQ_ASSIGN_OR_RETURN(sqlite::Statement st, db_->Prepare(
      "SELECT id, post_id, text, label, user, created_at FROM sentiment_corrections ORDER BY id"));
  std::vector<SentimentCorrection> out;
  while (true) {
    YQ_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    out.push_back({st.Int(0), st.Text(1), st.Text(2), st.Text(3), st.Text(4), st.Int(5)});
  }
  return out;
}

}  // namespace yuqing::store
