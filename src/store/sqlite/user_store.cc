// Users on SQLite.
#include <algorithm>

#include <nlohmann/json.hpp>

#include "store/sqlite/stores.h"
#include "store/user_rows.h"
#include "store/user_store.h"

namespace yuqing::store::sqlite {
namespace {

using nlohmann::json;
using namespace user_rows;

Status Migrate(Connection& db, int v) {
  if (v == 1) {
    return db.Exec(R"sql(
      CREATE TABLE users (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        role TEXT NOT NULL,
        departments TEXT NOT NULL DEFAULT '[]',
        password_hash TEXT NOT NULL DEFAULT '',
        disabled INTEGER NOT NULL DEFAULT 0,
        created_at INTEGER NOT NULL
      );
      CREATE TABLE sessions (
        token_hash TEXT PRIMARY KEY,
        user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        csrf_token TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL
      ) WITHOUT ROWID;
      CREATE INDEX sessions_user ON sessions(user_id);
      CREATE TABLE api_tokens (
        id INTEGER PRIMARY KEY,
        user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        name TEXT NOT NULL DEFAULT '',
        token_hash TEXT NOT NULL UNIQUE,
        created_at INTEGER NOT NULL,
        last_used INTEGER NOT NULL DEFAULT 0,
        revoked INTEGER NOT NULL DEFAULT 0
      );
      CREATE TABLE login_attempts (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL, ip TEXT NOT NULL, ok INTEGER NOT NULL, at INTEGER NOT NULL
      );
      CREATE INDEX login_attempts_key ON login_attempts(name, ip, at);
      CREATE TABLE audit (
        id INTEGER PRIMARY KEY,
        at INTEGER NOT NULL,
        actor TEXT NOT NULL, action TEXT NOT NULL, target TEXT NOT NULL DEFAULT '',
        ip TEXT NOT NULL DEFAULT '', detail TEXT NOT NULL DEFAULT '{}'
      );
      CREATE INDEX audit_actor ON audit(actor, id);
    )sql");
  }
  if (v == 2) {
    // must_change_password: set on the first-start admin, whose one-time password was printed to
    // a terminal; cleared by SetPassword. login_attempts_ip: throttling by address across names.
    return db.Exec(R"sql(
      ALTER TABLE users ADD COLUMN must_change_password INTEGER NOT NULL DEFAULT 0;
      CREATE INDEX login_attempts_ip ON login_attempts(ip, at);
    )sql");
  }
  return Status::Ok();
}

Result<std::optional<User>> OneUser(Connection& db, const std::string& where, const std::string& key, int64_t id) {
  YQ_ASSIGN_OR_RETURN(Statement st, db.Prepare(std::string("SELECT ") + kUserCols + " FROM users WHERE " + where));
  if (key.empty()) st.Bind(1, id);
  else st.Bind(1, key);
  YQ_ASSIGN_OR_RETURN(bool row, st.Step());
  if (!row) return std::optional<User>();
  return std::optional<User>(ReadUser(st));
}

class SqliteUserStore final : public store::UserStore {
 public:
  explicit SqliteUserStore(Connection& db) : db_(db) {}
  Result<int64_t> AddUser(const User& u, TimeMs now) override;
  Status UpdateUser(const User& u) override;
  Status SetPassword(int64_t user_id, const std::string& password_hash, bool must_change) override;
  Result<std::optional<User>> GetUser(int64_t id) override;
  Result<std::optional<User>> FindUser(const std::string& name) override;
  Result<std::vector<User>> ListUsers() override;
  Result<int64_t> CountUsers() override;
  Status AddSession(const Session& s) override;
  Result<std::optional<Session>> FindSession(const std::string& token_hash, TimeMs now) override;
  Status RemoveSession(const std::string& token_hash) override;
  Status RemoveSessionsOf(int64_t user_id) override;
  Status PurgeExpiredSessions(TimeMs now) override;
  Result<int64_t> AddToken(const ApiToken& t) override;
  Result<std::optional<ApiToken>> FindToken(const std::string& token_hash, TimeMs now) override;
  Result<std::vector<ApiToken>> ListTokens(int64_t user_id) override;
  Status RevokeToken(int64_t token_id) override;
  Status RecordLoginAttempt(const std::string& name, const std::string& ip, bool ok, TimeMs at) override;
  Result<int64_t> RecentFailures(const std::string& name, const std::string& ip, TimeMs since) override;
  Result<int64_t> RecentFailuresFrom(const std::string& ip, TimeMs since) override;
  Result<int64_t> Audit(const AuditEntry& e) override;
  Result<std::vector<AuditEntry>> ListAudit(size_t limit, int64_t before_id, const std::string& actor,
                                           const std::string& action) override;

 private:
  Connection& db_;
};

}  // namespace

Result<std::unique_ptr<store::UserStore>> OpenUserStore(Connection& db) {
  YQ_RETURN_IF_ERROR(db.EnsureSchema("users", 2, Migrate));
  return std::unique_ptr<store::UserStore>(new SqliteUserStore(db));
}

Result<int64_t> SqliteUserStore::AddUser(const User& u, TimeMs now) {
  YQ_RETURN_IF_ERROR(CheckUser(u));
  YQ_ASSIGN_OR_RETURN(auto existing, FindUser(u.name));
  if (existing) return Status::Conflict("user '" + u.name + "' already exists");
  YQ_ASSIGN_OR_RETURN(Statement st, db_.Prepare(
      "INSERT INTO users(name, role, departments, password_hash, disabled, created_at, must_change_password) "
      "VALUES(?,?,?,?,?,?,?)"));
  st.Bind(1, u.name).Bind(2, u.role).Bind(3, Dump(u.departments)).Bind(4, u.password_hash);
  st.Bind(5, u.disabled ? 1 : 0).Bind(6, u.created_at ? u.created_at : now).Bind(7, u.must_change_password ? 1 : 0);
  YQ_RETURN_IF_ERROR(st.Run());
  return db_.LastInsertRowid();
}

Status SqliteUserStore::UpdateUser(const User& u) {
  YQ_RETURN_IF_ERROR(CheckUser(u));
  YQ_ASSIGN_OR_RETURN(Statement st, db_.Prepare("UPDATE users SET role = ?, departments = ?, disabled = ? WHERE id = ?"));
  st.Bind(1, u.role).Bind(2, Dump(u.departments)).Bind(3, u.disabled ? 1 : 0).Bind(4, u.id);
  YQ_RETURN_IF_ERROR(st.Run());
  if (db_.Changes() == 0) return Status::NotFound("no user " + std::to_string(u.id));
  return Status::Ok();
}

Status SqliteUserStore::SetPassword(int64_t user_id, const std::string& password_hash, bool must_change) {
  YQ_ASSIGN_OR_RETURN(Statement st,
                      db_.Prepare("UPDATE users SET password_hash = ?, must_change_password = ? WHERE id = ?"));
  st.Bind(1, password_hash).Bind(2, must_change ? 1 : 0).Bind(3, user_id);
  YQ_RETURN_IF_ERROR(st.Run());
  if (db_.Changes() == 0) return Status::NotFound("no user " + std::to_string(user_id));
  return Status::Ok();
}

Result<std::optional<User>> SqliteUserStore::GetUser(int64_t id) { return OneUser(db_, "id = ?", "", id); }

Result<std::optional<User>> SqliteUserStore::FindUser(const std::string& name) {
  if (name.empty()) return std::optional<User>();
  return OneUser(db_, "name = ?", name, 0);
}

Result<std::vector<User>> SqliteUserStore::ListUsers() {
  YQ_ASSIGN_OR_RETURN(Statement st, db_.Prepare(std::string("SELECT ") + kUserCols + " FROM users ORDER BY id"));
  std::vector<User> out;
  while (true) {
    YQ_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    out.push_back(ReadUser(st));
  }
  return out;
}

Result<int64_t> SqliteUserStore::CountUsers() {
  YQ_ASSIGN_OR_RETURN(Statement st, db_.Prepare("SELECT count(*) FROM users"));
  YQ_ASSIGN_OR_RETURN(bool row, st.Step());
  return row ? st.Int(0) : 0;
}

Status SqliteUserStore::AddSession(const Session& s) {
  YQ_ASSIGN_OR_RETURN(Statement st, db_.Prepare(
      "INSERT INTO sessions(token_hash, user_id, csrf_token, created_at, expires_at) VALUES(?,?,?,?,?)"));
  st.Bind(1, s.token_hash).Bind(2, s.user_id).Bind(3, s.csrf_token).Bind(4, s.created_at).Bind(5, s.expires_at);
  return st.Run();
}

Result<std::optional<Session>> SqliteUserStore::FindSession(const std::string& token_hash, TimeMs now) {
  Status err;
  Statement* st = db_.Cached(
      "SELECT token_hash, user_id, csrf_token, created_at, expires_at FROM sessions "
      "WHERE token_hash = ? AND expires_at > ?", &err);
  if (!st) return err;
  st->Bind(1, token_hash).Bind(2, now);
  YQ_ASSIGN_OR_RETURN(bool row, st->Step());
  std::optional<Session> out;
  if (row) out = ReadSession(*st);
  st->Reset();
  return out;
}

Status SqliteUserStore::RemoveSession(const std::string& token_hash) {
  YQ_ASSIGN_OR_RETURN(Statement st, db_.Prepare("DELETE FROM sessions WHERE token_hash = ?"));
  st.Bind(1, token_hash);
  return st.Run();
}

Status SqliteUserStore::RemoveSessionsOf(int64_t user_id) {
  YQ_ASSIGN_OR_RETURN(Statement st, db_.Prepare("DELETE FROM sessions WHERE user_id = ?"));
  st.Bind(1, user_id);
  return st.Run();
}

Status SqliteUserStore::PurgeExpiredSessions(TimeMs now) {
  YQ_ASSIGN_OR_RETURN(Statement st, db_.Prepare("DELETE FROM sessions WHERE expires_at <= ?"));
  st.Bind(1, now);
  return st.Run();
}

Result<int64_t> SqliteUserStore::AddToken(const ApiToken& t) {
  if (t.name.size() > 128) return Status::Invalid("token name is at most 128 bytes");
  YQ_ASSIGN_OR_RETURN(Statement st, db_.Prepare(
      "INSERT INTO api_tokens(user_id, name, token_hash, created_at) VALUES(?,?,?,?)"));
  st.Bind(1, t.user_id).Bind(2, t.name).Bind(3, t.token_hash).Bind(4, t.created_at);
  YQ_RETURN_IF_ERROR(st.Run());
  return db_.LastInsertRowid();
}


Result<std::optional<ApiToken>> SqliteUserStore::FindToken(const std::string& token_hash, TimeMs now) {
  Status err;
  Statement* st = db_.Cached(std::string("SELECT ") + kTokenCols + " FROM api_tokens WHERE token_hash = ? AND revoked = 0", &err);
  if (!st) return err;
  st->Bind(1, token_hash);
  YQ_ASSIGN_OR_RETURN(bool row, st->Step());
  std::optional<ApiToken> out;
  if (row) out = ReadToken(*st);
  st->Reset();
  if (out && now - out->last_used > 10 * kMinute) {
    // Best effort: a busy writer must not fail the request.
    Statement* up = db_.Cached("UPDATE api_tokens SET last_used = ? WHERE id = ?", &err);
    if (up) {
      up->Bind(1, now).Bind(2, out->id);
      (void)up->Run();
      up->Reset();
    }
  }
  return out;
}

Result<std::vector<ApiToken>> SqliteUserStore::ListTokens(int64_t user_id) {
  YQ_ASSIGN_OR_RETURN(Statement st, db_.Prepare(std::string("SELECT ") + kTokenCols + " FROM api_tokens WHERE user_id = ? ORDER BY id"));
  st.Bind(1, user_id);
  std::vector<ApiToken> out;
  while (true) {
    YQ_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    out.push_back(ReadToken(st));
  }
  return out;
}

Status SqliteUserStore::RevokeToken(int64_t token_id) {
  YQ_ASSIGN_OR_RETURN(Statement st, db_.Prepare("UPDATE api_tokens SET revoked = 1 WHERE id = ?"));
  st.Bind(1, token_id);
  YQ_RETURN_IF_ERROR(st.Run());
  if (db_.Changes() == 0) return Status::NotFound("no token " + std::to_string(token_id));
  return Status::Ok();
}

Status SqliteUserStore::RecordLoginAttempt(const std::string& name, const std::string& ip, bool ok, TimeMs at) {
  YQ_ASSIGN_OR_RETURN(Statement st, db_.Prepare("INSERT INTO login_attempts(name, ip, ok, at) VALUES(?,?,?,?)"));
  st.Bind(1, name.substr(0, kMaxUserNameBytes * 2)).Bind(2, ip.substr(0, 64)).Bind(3, ok ? 1 : 0).Bind(4, at);
  YQ_RETURN_IF_ERROR(st.Run());
  // Keep the table bounded: attempts older than a day are no longer needed.
  YQ_ASSIGN_OR_RETURN(Statement del, db_.Prepare("DELETE FROM login_attempts WHERE at < ?"));
  del.Bind(1, at - kDay);
  return del.Run();
}

Result<int64_t> SqliteUserStore::RecentFailures(const std::string& name, const std::string& ip, TimeMs since) {
  YQ_ASSIGN_OR_RETURN(Statement st, db_.Prepare(
      "SELECT count(*) FROM login_attempts WHERE name = ?1 AND ip = ?2 AND ok = 0 AND at >= ?3 AND at > "
      "coalesce((SELECT max(at) FROM login_attempts WHERE name = ?1 AND ip = ?2 AND ok = 1), 0)"));
  st.Bind(1, name.substr(0, kMaxUserNameBytes * 2)).Bind(2, ip.substr(0, 64)).Bind(3, since);
  YQ_ASSIGN_OR_RETURN(bool row, st.Step());
  return row ? st.Int(0) : 0;
}

Result<int64_t> SqliteUserStore::RecentFailuresFrom(const std::string& ip, TimeMs since) {
  YQ_ASSIGN_OR_RETURN(Statement st,
                      db_.Prepare("SELECT count(*) FROM login_attempts WHERE ip = ? AND ok = 0 AND at >= ?"));
  st.Bind(1, ip.substr(0, 64)).Bind(2, since);
  YQ_ASSIGN_OR_RETURN(bool row, st.Step());
  return row ? st.Int(0) : 0;
}

Result<int64_t> SqliteUserStore::Audit(const AuditEntry& e) {
  std::string detail = AuditDetail(e);
  YQ_ASSIGN_OR_RETURN(Statement st, db_.Prepare(
      "INSERT INTO audit(at, actor, action, target, ip, detail) VALUES(?,?,?,?,?,?)"));
  st.Bind(1, e.at).Bind(2, e.actor.substr(0, 256)).Bind(3, e.action.substr(0, 128)).Bind(4, e.target.substr(0, 512));
  st.Bind(5, e.ip.substr(0, 64)).Bind(6, detail);
  YQ_RETURN_IF_ERROR(st.Run());
  return db_.LastInsertRowid();
}

Result<std::vector<AuditEntry>> SqliteUserStore::ListAudit(size_t limit, int64_t before_id, const std::string& actor,
                                                     const std::string& action) {
  std::string sql = "SELECT id, at, actor, action, target, ip, detail FROM audit WHERE 1";
  if (before_id > 0) sql += " AND id < ?1";
  if (!actor.empty()) sql += " AND actor = ?2";
  if (!action.empty()) sql += " AND action = ?3";
  sql += " ORDER BY id DESC LIMIT " + std::to_string(std::clamp<size_t>(limit, 1, 10000));
  YQ_ASSIGN_OR_RETURN(Statement st, db_.Prepare(sql));
  if (before_id > 0) st.Bind(1, before_id);
  if (!actor.empty()) st.Bind(2, actor);
  if (!action.empty()) st.Bind(3, action);
  std::vector<AuditEntry> out;
  while (true) {
    YQ_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    out.push_back(ReadAudit(st));
  }
  return out;
}

}  // namespace yuqing::store::sqlite
