// Events and sentiment corrections on SQLite.
#include "store/event_rows.h"
#include "store/event_store.h"
#include "store/sqlite/stores.h"

namespace yuqing::store::sqlite {
namespace {

constexpr int kSchemaVersion = 2;

Status Migrate(Connection& db, int to) {
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

class SqliteEventStore final : public store::EventStore {
 public:
  explicit SqliteEventStore(Connection& db) : db_(db) {}

  Status Upsert(const std::vector<EventRecord>& events) override {
    Status err;
    Statement* st = db_.Cached(
        "INSERT INTO events(id, title, first_seen, last_seen, posts, merged_into, doc) VALUES (?,?,?,?,?,?,?) "
        "ON CONFLICT(id) DO UPDATE SET title=excluded.title, first_seen=excluded.first_seen, "
        "last_seen=excluded.last_seen, posts=excluded.posts, merged_into=excluded.merged_into, doc=excluded.doc",
        &err);
    if (!st) return err;
    for (const auto& e : events) {
      st->Reset();
      st->Bind(1, e.id).Bind(2, e.title).Bind(3, e.first_seen).Bind(4, e.last_seen).Bind(5, e.posts);
      st->Bind(6, e.merged_into).Bind(7, event_rows::Doc(e));
      YQ_RETURN_IF_ERROR(st->Run());
    }
    return Status::Ok();
  }

  Result<std::vector<EventRecord>> List(const EventQuery& q) override {
    const std::string order = event_rows::OrderColumn(q);
    std::string sql = "SELECT " + (q.summary ? "id, " + order + " AS k" : std::string("doc")) +
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
    return Docs(sql, args);
  }

  Result<std::vector<EventRecord>> LoadActive(TimeMs since) override {
    return Docs("SELECT doc FROM events WHERE last_seen >= ? ORDER BY id", {since});
  }

  Result<int64_t> MaxId() override { return One("SELECT COALESCE(MAX(id), 0) FROM events", {}); }

  Result<int64_t> CountActive(TimeMs from, TimeMs to) override {
    return One("SELECT COUNT(*) FROM events WHERE merged_into = 0 AND last_seen >= ? AND first_seen < ?", {from, to});
  }

  Result<int64_t> TrackerVersion() override {
    return One("SELECT COALESCE((SELECT value FROM event_tracker WHERE key = 'version'), 0)", {});
  }

  Status SetTrackerVersion(int64_t v) override {
    YQ_ASSIGN_OR_RETURN(Statement st, db_.Prepare("INSERT INTO event_tracker(key, value) VALUES ('version', ?) "
                                                  "ON CONFLICT(key) DO UPDATE SET value = excluded.value"));
    st.Bind(1, v);
    return st.Run();
  }

  Status DeleteAll() override { return db_.Exec("DELETE FROM events"); }

  Result<std::vector<SentimentCorrection>> Corrections() override {
    YQ_ASSIGN_OR_RETURN(Statement st, db_.Prepare("SELECT id, post_id, text, label, user, created_at "
                                                  "FROM sentiment_corrections ORDER BY id"));
    std::vector<SentimentCorrection> out;
    while (true) {
      YQ_ASSIGN_OR_RETURN(bool row, st.Step());
      if (!row) break;
      out.push_back(event_rows::ReadCorrection(st));
    }
    return out;
  }

 protected:
  Result<std::optional<EventRecord>> Read(int64_t id) override {
    YQ_ASSIGN_OR_RETURN(auto rows, Docs("SELECT doc FROM events WHERE id = ?", {id}));
    if (rows.empty()) return std::optional<EventRecord>();
    return std::optional<EventRecord>(std::move(rows[0]));
  }

  Status InsertCorrection(const SentimentCorrection& c) override {
    YQ_ASSIGN_OR_RETURN(Statement st, db_.Prepare("INSERT INTO sentiment_corrections(post_id, text, label, user, "
                                                  "created_at) VALUES (?,?,?,?,?)"));
    st.Bind(1, c.post_id).Bind(2, c.text).Bind(3, c.label).Bind(4, c.user).Bind(5, c.created_at);
    return st.Run();
  }

 private:
  Result<std::vector<EventRecord>> Docs(const std::string& sql, const std::vector<int64_t>& args) {
    YQ_ASSIGN_OR_RETURN(Statement st, db_.Prepare(sql));
    for (size_t i = 0; i < args.size(); ++i) st.Bind(static_cast<int>(i + 1), args[i]);
    std::vector<EventRecord> out;
    while (true) {
      YQ_ASSIGN_OR_RETURN(bool row, st.Step());
      if (!row) break;
      YQ_ASSIGN_OR_RETURN(EventRecord e, event_rows::FromDoc(st.TextView(0)));
      out.push_back(std::move(e));
    }
    return out;
  }

  Result<int64_t> One(const char* sql, const std::vector<int64_t>& args) {
    YQ_ASSIGN_OR_RETURN(Statement st, db_.Prepare(sql));
    for (size_t i = 0; i < args.size(); ++i) st.Bind(static_cast<int>(i + 1), args[i]);
    YQ_ASSIGN_OR_RETURN(bool row, st.Step());
    return row ? st.Int(0) : int64_t{0};
  }

  Connection& db_;
};

}  // namespace

Result<std::unique_ptr<store::EventStore>> OpenEventStore(Connection& db) {
  YQ_RETURN_IF_ERROR(db.EnsureSchema("events", kSchemaVersion, Migrate));
  return std::unique_ptr<store::EventStore>(new SqliteEventStore(db));
}

}  // namespace yuqing::store::sqlite
