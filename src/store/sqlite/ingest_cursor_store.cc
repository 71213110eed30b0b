// Ingest cursors on SQLite.
#include "store/ingest_cursor_store.h"
#include "store/sqlite/stores.h"

namespace yuqing::store::sqlite {
namespace {

Status Migrate(Connection& db, int v) {
  if (v == 1) {
    return db.Exec(R"sql(
      CREATE TABLE ingest_cursors (
        source TEXT NOT NULL,
        key TEXT NOT NULL,
        a INTEGER NOT NULL,
        b INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        PRIMARY KEY (source, key)
      ) WITHOUT ROWID;
    )sql");
  }
  return Status::Ok();
}

class SqliteIngestCursorStore final : public store::IngestCursorStore {
 public:
  explicit SqliteIngestCursorStore(Connection& db) : db_(db) {}
  Result<IngestCursor> Get(const std::string& source, const std::string& key) override;
  Status Put(const std::string& source, const std::string& key, const IngestCursor& c, TimeMs now) override;

 private:
  Connection& db_;
};

}  // namespace

Result<std::unique_ptr<store::IngestCursorStore>> OpenIngestCursorStore(Connection& db) {
  YQ_RETURN_IF_ERROR(db.EnsureSchema("ingest_cursors", 1, Migrate));
  return std::unique_ptr<store::IngestCursorStore>(new SqliteIngestCursorStore(db));
}

Result<IngestCursor> SqliteIngestCursorStore::Get(const std::string& source, const std::string& key) {
  YQ_ASSIGN_OR_RETURN(Statement st, db_.Prepare("SELECT a, b FROM ingest_cursors WHERE source = ? AND key = ?"));
  st.Bind(1, source).Bind(2, key);
  YQ_ASSIGN_OR_RETURN(bool row, st.Step());
  if (!row) return IngestCursor{};
  return IngestCursor{st.Int(0), st.Int(1)};
}

Status SqliteIngestCursorStore::Put(const std::string& source, const std::string& key, const IngestCursor& c, TimeMs now) {
  YQ_ASSIGN_OR_RETURN(Statement st, db_.Prepare(
      "INSERT INTO ingest_cursors(source, key, a, b, updated_at) VALUES (?, ?, ?, ?, ?) "
      "ON CONFLICT(source, key) DO UPDATE SET a = excluded.a, b = excluded.b, updated_at = excluded.updated_at"));
  st.Bind(1, source).Bind(2, key).Bind(3, c.a).Bind(4, c.b).Bind(5, now);
  return st.Run();
}

}  // namespace yuqing::store::sqlite
