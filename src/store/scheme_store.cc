#include "store/scheme_store.h"

#include <nlohmann/json.hpp>

namespace yuqing::store {
namespace {

using nlohmann::json;

Status Migrate(Database& db, int v) {
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

std::string ListToJson(const std::vector<std::string>& v) {
  return json(v).dump(-1, ' ', false, json::error_handler_t::replace);
}

std::vector<std::string> ListFromJson(std::string_view text) {
  std::vector<std::string> out;
  json j = json::parse(text, nullptr, false);
  if (j.is_array())
    for (const auto& v : j)
      if (v.is_string()) out.push_back(v.get<std::string>());
  return out;
}

constexpr const char* kColumns =
    "id, name, query, exclude, departments, regions, priority, policy, enabled, created_at, updated_at";

rules::Scheme Read(const Statement& st) {
  rules::Scheme s;
  s.id = st.Int(0);
  s.name = st.Text(1);
  s.query = st.Text(2);
  s.exclude = ListFromJson(st.TextView(3));
  s.departments = ListFromJson(st.TextView(4));
  s.regions = ListFromJson(st.TextView(5));
  s.priority = static_cast<int>(st.Int(6));
  s.policy = st.Text(7);
  s.enabled = st.Int(8) != 0;
  s.created_at = st.Int(9);
  s.updated_at = st.Int(10);
  return s;
}

Status NameTaken(const std::string& name) {
  return Status::Conflict("a scheme named '" + name + "' already exists");
}

}  // namespace

Result<std::unique_ptr<SchemeStore>> SchemeStore::Open(Database& db) {
  YQ_RETURN_IF_ERROR(db.EnsureSchema("schemes", 1, Migrate));
  return std::unique_ptr<SchemeStore>(new SchemeStore(db));
}

Status SchemeStore::Bump() {
  return db_.Exec("UPDATE scheme_generation SET generation = generation + 1 WHERE one = 1");
}

Result<int64_t> SchemeStore::Add(const rules::Scheme& s, TimeMs now) {
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
  st.Bind(2, s.name).Bind(3, s.query).Bind(4, ListToJson(s.exclude)).Bind(5, ListToJson(s.departments));
  st.Bind(6, ListToJson(s.regions)).Bind(7, s.priority).Bind(8, s.policy).Bind(9, s.enabled ? 1 : 0);
  st.Bind(10, created).Bind(11, s.updated_at ? s.updated_at : now);
  YQ_RETURN_IF_ERROR(st.Run());
  int64_t id = db_.LastInsertRowid();
  YQ_RETURN_IF_ERROR(Bump());
  YQ_RETURN_IF_ERROR(tx.Commit());
  return id;
}

Status SchemeStore::Update(const rules::Scheme& s, TimeMs now) {
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
  st.Bind(1, s.name).Bind(2, s.query).Bind(3, ListToJson(s.exclude)).Bind(4, ListToJson(s.departments));
  st.Bind(5, ListToJson(s.regions)).Bind(6, s.priority).Bind(7, s.policy).Bind(8, s.enabled ? 1 : 0);
  st.Bind(9, now).Bind(10, s.id);
  YQ_RETURN_IF_ERROR(st.Run());
  YQ_RETURN_IF_ERROR(Bump());
  return tx.Commit();
}

Status SchemeStore::Remove(int64_t id) {
  Transaction tx(db_);
  YQ_RETURN_IF_ERROR(tx.status());
  YQ_ASSIGN_OR_RETURN(Statement st, db_.Prepare("DELETE FROM schemes WHERE id=?"));
  st.Bind(1, id);
  YQ_RETURN_IF_ERROR(st.Run());
  if (db_.Changes() == 0) return Status::NotFound("no scheme with id " + std::to_string(id));
  YQ_RETURN_IF_ERROR(Bump());
  return tx.Commit();
}

Result<std::optional<rules::Scheme>> SchemeStore::Get(int64_t id) {
  YQ_ASSIGN_OR_RETURN(Statement st, db_.Prepare(std::string("SELECT ") + kColumns + " FROM schemes WHERE id=?"));
  st.Bind(1, id);
  YQ_ASSIGN_OR_RETURN(bool row, st.Step());
  if (!row) return std::optional<rules::Scheme>();
  return std::optional<rules::Scheme>(Read(st));
}

Result<std::optional<rules::Scheme>> SchemeStore::GetByName(const std::string& name) {
  YQ_ASSIGN_OR_RETURN(Statement st, db_.Prepare(std::string("SELECT ") + kColumns + " FROM schemes WHERE name=?"));
  st.Bind(1, name);
  YQ_ASSIGN_OR_RETURN(bool row, st.Step());
  if (!row) return std::optional<rules::Scheme>();
  return std::optional<rules::Scheme>(Read(st));
}

Result<std::vector<rules::Scheme>> SchemeStore::List(bool include_disabled) {
  YQ_ASSIGN_OR_RETURN(Statement st, db_.Prepare(std::string("SELECT ") + kColumns + " FROM schemes" +
                                                (include_disabled ? "" : " WHERE enabled=1") + " ORDER BY id"));
  std::vector<rules::Scheme> out;
  while (true) {
    YQ_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    out.push_back(Read(st));
  }
  return out;
}

Result<int64_t> SchemeStore::Generation() {
  YQ_ASSIGN_OR_RETURN(Statement st, db_.Prepare("SELECT generation FROM scheme_generation WHERE one=1"));
  YQ_ASSIGN_OR_RETURN(bool row, st.Step());
  return row ? st.Int(0) : int64_t{0};
}

}  // namespace yuqing::store
