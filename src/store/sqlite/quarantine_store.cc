// The quarantine on SQLite.
#include <string_view>
#include <unordered_map>
#include <utility>

#include "store/quarantine_rows.h"
#include "store/quarantine_store.h"
#include "store/sqlite/stores.h"

namespace yuqing::store::sqlite {
namespace {

using quarantine_rows::Fingerprint;

// v2: the fingerprint column; rows a store already holds twice fold into their first row.
Status MigrateQuarantineOnce(Connection& db) {
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
      int64_t fp = Fingerprint(r);
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

Status MigrateQuarantine(Connection& db, int v) {
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

using quarantine_rows::kColumns;

store::QuarantineStore::Entry ReadQ(Statement& st) {
  store::QuarantineStore::Entry e;
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

class SqliteQuarantineStore final : public store::QuarantineStore {
 public:
  explicit SqliteQuarantineStore(Connection& db) : db_(db) {}
  Result<int64_t> Add(const QuarantineRecord& r) override;
  Result<std::vector<Entry>> List(const std::string& status, size_t limit, int64_t after_id) override;
  Result<std::optional<Entry>> Get(int64_t id) override;
  Status MarkResolved(int64_t id, TimeMs at) override;
  Status ReplaceRaw(int64_t id, const std::string& raw) override;
  Result<int64_t> CountOpen() override;

 private:
  Connection& db_;
};

}  // namespace

Result<std::unique_ptr<store::QuarantineStore>> OpenQuarantineStore(Connection& db) {
  YQ_RETURN_IF_ERROR(db.EnsureSchema("quarantine", 2, MigrateQuarantine));
  return std::unique_ptr<store::QuarantineStore>(new SqliteQuarantineStore(db));
}

Result<int64_t> SqliteQuarantineStore::Add(const QuarantineRecord& r) {
  Status err;
  Statement* st = db_.Cached(
      "INSERT INTO quarantine(origin, line, offset, code, reason, raw, format, at, fingerprint, last_at) "
      "VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?8) "
      "ON CONFLICT(fingerprint) DO UPDATE SET seen = seen + 1, last_at = excluded.last_at RETURNING id",
      &err);
  if (!st) return err;
  st->Bind(1, r.origin).Bind(2, r.line).Bind(3, r.offset).Bind(4, r.code).Bind(5, r.reason);
  st->Bind(6, r.raw.substr(0, kMaxQuarantineRawBytes)).Bind(7, r.format).Bind(8, r.at);
  st->Bind(9, Fingerprint(r));
  YQ_ASSIGN_OR_RETURN(bool row, st->Step());
  int64_t id = row ? st->Int(0) : 0;
  st->Reset();
  if (!row) return Status::Internal("quarantine insert returned no id");
  return id;
}

Result<std::vector<store::QuarantineStore::Entry>> SqliteQuarantineStore::List(const std::string& status, size_t limit,
                                                                  int64_t after_id) {
  std::string sql = std::string("SELECT ") + kColumns + " FROM quarantine WHERE id > ?1";
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

Result<std::optional<store::QuarantineStore::Entry>> SqliteQuarantineStore::Get(int64_t id) {
  YQ_ASSIGN_OR_RETURN(Statement st, db_.Prepare(std::string("SELECT ") + kColumns + " FROM quarantine WHERE id = ?"));
  st.Bind(1, id);
  YQ_ASSIGN_OR_RETURN(bool row, st.Step());
  if (!row) return std::optional<Entry>();
  return std::optional<Entry>(ReadQ(st));
}

Status SqliteQuarantineStore::MarkResolved(int64_t id, TimeMs at) {
  YQ_ASSIGN_OR_RETURN(Statement st, db_.Prepare("UPDATE quarantine SET status = 'resolved', resolved_at = ? WHERE id = ?"));
  st.Bind(1, at).Bind(2, id);
  return st.Run();
}

Status SqliteQuarantineStore::ReplaceRaw(int64_t id, const std::string& raw) {
  YQ_ASSIGN_OR_RETURN(Statement st, db_.Prepare("UPDATE quarantine SET raw = ? WHERE id = ?"));
  st.Bind(1, raw.substr(0, kMaxQuarantineRawBytes)).Bind(2, id);
  return st.Run();
}

Result<int64_t> SqliteQuarantineStore::CountOpen() {
  YQ_ASSIGN_OR_RETURN(Statement st, db_.Prepare("SELECT count(*) FROM quarantine WHERE status = 'open'"));
  YQ_ASSIGN_OR_RETURN(bool row, st.Step());
  return row ? st.Int(0) : 0;
}

}  // namespace yuqing::store::sqlite
