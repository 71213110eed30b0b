// Schemes on SQLite.
#include "store/scheme_rows.h"
#include "store/scheme_store.h"

#include "store/sqlite/stores.h"

namespace yuqing::store::sqlite {
namespace {

Status Migrate(Connection& db, int v) {
  if (v == 1) {
    return db.Exec(R"sql(
      CREATE TABLE schemes (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        name TEXT NOT NULL UNIQUE,
        query TEXT NOT NULL,
        exclude TEXT NOT NULL DEFAULT '[]',
        departments TEXT NOT NULL DEFAULT '[]',
        regions TEXT NOT NULL DEFAULT '[]',
        priority INTEGER NOT NULL DEFAULT 0,
        policy TEXT NOT NULL DEFAULT '',
        enabled INTEGER NOT NULL DEFAULT 1,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      );
      CREATE TABLE scheme_generation (one INTEGER PRIMARY KEY CHECK (one = 1), generation INTEGER NOT NULL);
      INSERT INTO scheme_generation VALUES (1, 0);
    )sql");
  }
  return Status::Ok();
}

using scheme_rows::kColumns;
using scheme_rows::ListJson;

Status NameTaken(const std::string& name) {
  return Status::Conflict("a scheme named '" + name + "' already exists");
}

class SqliteSchemeStore final : public store::SchemeStore {
 public:
  explicit SqliteSchemeStore(Connection& db) : db_(db) {}
  Result<int64_t> Add(const rules::Scheme& s, TimeMs now) override;
  Status Update(const rules::Scheme& s, TimeMs now) override;
  Status Remove(int64_t id) override;
  Result<std::optional<rules::Scheme>> Get(int64_t id) override;
  Result<std::optional<rules::Scheme>> GetByName(const std::string& name) override;
  Result<std::vector<rules::Scheme>> List(bool include_disabled) override;
  Result<int64_t> Generation() override;

 private:
  Status Bump();
  Connection& db_;
};

}  // namespace

Result<std::unique_ptr<store::SchemeStore>> OpenSchemeStore(Connection& db) {
  YQ_RETURN_IF_ERROR(db.EnsureSchema("schemes", 1, Migrate));
  return std::unique_ptr<store::SchemeStore>(new SqliteSchemeStore(db));
}

Status SqliteSchemeStore::Bump() {
  return db_.Exec("UPDATE scheme_generation SET generation = generation + 1 WHERE one = 1");
}

Result<int64_t> SqliteSchemeStore::Add(const rules::Scheme& s, TimeMs now) {
  if (s.name.empty()) return Status::Invalid("a scheme needs a name");
  Transaction tx(db_);
  YQ_RETURN_IF_ERROR(tx.status());
  YQ_ASSIGN_OR_RETURN(auto existing, GetByName(s.name));
  if (existing) return NameTaken(s.name);
  if (s.id > 0) {
    YQ_ASSIGN_OR_RETURN(auto same_id, Get(s.id));
    if (same_id) return Status::Conflict("scheme id " + std::to_string(s.id) + " is taken");
  }
  YQ_ASSIGN_OR_RETURN(Statement st, db_.Prepare(std::string("INSERT INTO schemes (") + kColumns +
                                                ") VALUES (?,?,?,?,?,?,?,?,?,?,?)"));
  if (s.id > 0) st.Bind(1, s.id);
  else st.BindNull(1);
  TimeMs created = s.created_at ? s.created_at : now;
  st.Bind(2, s.name).Bind(3, s.query).Bind(4, ListJson(s.exclude)).Bind(5, ListJson(s.departments));
  st.Bind(6, ListJson(s.regions)).Bind(7, s.priority).Bind(8, s.policy).Bind(9, s.enabled ? 1 : 0);
  st.Bind(10, created).Bind(11, s.updated_at ? s.updated_at : now);
  YQ_RETURN_IF_ERROR(st.Run());
  int64_t id = db_.LastInsertRowid();
  YQ_RETURN_IF_ERROR(Bump());
  YQ_RETURN_IF_ERROR(tx.Commit());
  return id;
}

Status SqliteSchemeStore::Update(const rules::Scheme& s, TimeMs now) {
  if (s.name.empty()) return Status::Invalid("a scheme needs a name");
  Transaction tx(db_);
  YQ_RETURN_IF_ERROR(tx.status());
  YQ_ASSIGN_OR_RETURN(auto current, Get(s.id));
  if (!current) return Status::NotFound("no scheme with id " + std::to_string(s.id));
  YQ_ASSIGN_OR_RETURN(auto named, GetByName(s.name));
  if (named && named->id != s.id) return NameTaken(s.name);
  YQ_ASSIGN_OR_RETURN(Statement st,
                      db_.Prepare("UPDATE schemes SET name=?, query=?, exclude=?, departments=?, regions=?, "
                                  "priority=?, policy=?, enabled=?, updated_at=? WHERE id=?"));
  st.Bind(1, s.name).Bind(2, s.query).Bind(3, ListJson(s.exclude)).Bind(4, ListJson(s.departments));
  st.Bind(5, ListJson(s.regions)).Bind(6, s.priority).Bind(7, s.policy).Bind(8, s.enabled ? 1 : 0);
  st.Bind(9, now).Bind(10, s.id);
  YQ_RETURN_IF_ERROR(st.Run());
  YQ_RETURN_IF_ERROR(Bump());
  return tx.Commit();
}

Status SqliteSchemeStore::Remove(int64_t id) {
  Transaction tx(db_);
  YQ_RETURN_IF_ERROR(tx.status());
  YQ_ASSIGN_OR_RETURN(Statement st, db_.Prepare("DELETE FROM schemes WHERE id=?"));
  st.Bind(1, id);
  YQ_RETURN_IF_ERROR(st.Run());
  if (db_.Changes() == 0) return Status::NotFound("no scheme with id " + std::to_string(id));
  YQ_RETURN_IF_ERROR(Bump());
  return tx.Commit();
}

Result<std::optional<rules::Scheme>> SqliteSchemeStore::Get(int64_t id) {
  YQ_ASSIGN_OR_RETURN(Statement st, db_.Prepare(std::string("SELECT ") + kColumns + " FROM schemes WHERE id=?"));
  st.Bind(1, id);
  YQ_ASSIGN_OR_RETURN(bool row, st.Step());
  if (!row) return std::optional<rules::Scheme>();
  return std::optional<rules::Scheme>(scheme_rows::Read(st));
}

Result<std::optional<rules::Scheme>> SqliteSchemeStore::GetByName(const std::string& name) {
  YQ_ASSIGN_OR_RETURN(Statement st, db_.Prepare(std::string("SELECT ") + kColumns + " FROM schemes WHERE name=?"));
  st.Bind(1, name);
  YQ_ASSIGN_OR_RETURN(bool row, st.Step());
  if (!row) return std::optional<rules::Scheme>();
  return std::optional<rules::Scheme>(scheme_rows::Read(st));
}

Result<std::vector<rules::Scheme>> SqliteSchemeStore::List(bool include_disabled) {
  YQ_ASSIGN_OR_RETURN(Statement st, db_.Prepare(std::string("SELECT ") + kColumns + " FROM schemes" +
                                                (include_disabled ? "" : " WHERE enabled=1") + " ORDER BY id"));
  std::vector<rules::Scheme> out;
  while (true) {
    YQ_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    out.push_back(scheme_rows::Read(st));
  }
  return out;
}

Result<int64_t> SqliteSchemeStore::Generation() {
  YQ_ASSIGN_OR_RETURN(Statement st, db_.Prepare("SELECT generation FROM scheme_generation WHERE one=1"));
  YQ_ASSIGN_OR_RETURN(bool row, st.Step());
  return row ? st.Int(0) : int64_t{0};
}

}  // namespace yuqing::store::sqlite
