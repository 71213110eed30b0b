// Ingest cursors on PostgreSQL.
#include "store/ingest_cursor_store.h"
#include "store/postgres/stores.h"

namespace yuqing::store::postgres {
namespace {

Status Migrate(Connection& db, int v) {
  if (v == 1) {
    return db.Exec(R"sql(
      CREATE TABLE ingest_cursors (
        source TEXT NOT NULL,
        key TEXT NOT NULL,
        a BIGINT NOT NULL,
        b BIGINT NOT NULL,
        updated_at BIGINT NOT NULL,
        PRIMARY KEY (source, key)
      );
    )sql");
  }
  return Status::Ok();
}

class PostgresIngestCursorStore final : public store::IngestCursorStore {
 public:
  explicit PostgresIngestCursorStore(Connection& db) : db_(db) {}

  Result<IngestCursor> Get(const std::string& source, const std::string& key) override {
    YQ_ASSIGN_OR_RETURN(Rows r, db_.Query("SELECT a, b FROM ingest_cursors WHERE source = $1 AND key = $2",
                                          Params().Add(source).Add(key)));
    if (r.empty()) return IngestCursor{};
    return IngestCursor{r.Int(0, 0), r.Int(0, 1)};
  }

  Status Put(const std::string& source, const std::string& key, const IngestCursor& c, TimeMs now) override {
    return db_
        .Query("INSERT INTO ingest_cursors(source, key, a, b, updated_at) VALUES ($1, $2, $3, $4, $5) "
               "ON CONFLICT (source, key) DO UPDATE SET a = excluded.a, b = excluded.b, updated_at = excluded.updated_at",
               Params().Add(source).Add(key).Add(c.a).Add(c.b).Add(now))
        .status();
  }

 private:
  Connection& db_;
};

}  // namespace

Result<std::unique_ptr<store::IngestCursorStore>> OpenIngestCursorStore(Connection& db) {
  YQ_RETURN_IF_ERROR(db.EnsureSchema("ingest_cursors", 1, Migrate));
  return std::unique_ptr<store::IngestCursorStore>(new PostgresIngestCursorStore(db));
}

}  // namespace yuqing::store::postgres
