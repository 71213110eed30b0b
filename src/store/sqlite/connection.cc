#include "store/sqlite/connection.h"

#include <sqlite3.h>

#include <cstdio>
#include <cstdlib>
#include <mutex>

namespace yuqing::store::sqlite {
namespace {
Status SqlError(sqlite3* db, std::string_view what) {
  std::string msg = std::string(what) + ": " + (db ? sqlite3_errmsg(db) : "out of memory");
  int code = db ? sqlite3_errcode(db) : SQLITE_NOMEM;
  if (code == SQLITE_CONSTRAINT) return Status::Conflict(msg);
  if (code == SQLITE_BUSY || code == SQLITE_LOCKED) return Status::Unavailable(msg);
  if (code == SQLITE_TOOBIG) return Status::TooLarge(msg);
  if (code == SQLITE_ERROR) return Status::Invalid(msg);
  return Status::Io(msg);
}

// SQLite counts every allocation under a process-wide mutex unless told not to (about 2% of an
// ingest's CPU); nothing here reads those counters. Must run before SQLite initialises itself, so
// it is done once, before the first connection (a later call would be refused, harmlessly).
void ConfigureSqliteOnce() {
  static std::once_flag once;
  std::call_once(once, [] { sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0); });
}
}  // namespace

Statement::Statement(Statement&& o) noexcept : db_(o.db_), stmt_(o.stmt_) { o.stmt_ = nullptr; }

Statement& Statement::operator=(Statement&& o) noexcept {
  if (this != &o) {
    if (stmt_) sqlite3_finalize(stmt_);
    db_ = o.db_;
    stmt_ = o.stmt_;
    o.stmt_ = nullptr;
  }
  return *this;
}

Statement::~Statement() {
  if (stmt_) sqlite3_finalize(stmt_);
}

Statement& Statement::Bind(int i, int64_t v) {
  sqlite3_bind_int64(stmt_, i, v);
  return *this;
}
Statement& Statement::Bind(int i, double v) {
  sqlite3_bind_double(stmt_, i, v);
  return *this;
}
Statement& Statement::Bind(int i, std::string_view v) {
  sqlite3_bind_text(stmt_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
  return *this;
}
Statement& Statement::BindNull(int i) {
  sqlite3_bind_null(stmt_, i);
  return *this;
}

Result<bool> Statement::Step() {
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  Status st = SqlError(db_, "sqlite step");
  sqlite3_reset(stmt_);
  return st;
}

Status Statement::Run() {
  while (true) {
    auto r = Step();
    if (!r.ok()) return r.status();
    if (!*r) break;
  }
  sqlite3_reset(stmt_);
  return Status::Ok();
}

void Statement::Reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

int64_t Statement::Int(int col) const { return sqlite3_column_int64(stmt_, col); }
double Statement::Double(int col) const { return sqlite3_column_double(stmt_, col); }
std::string Statement::Text(int col) const { return std::string(TextView(col)); }
std::string_view Statement::TextView(int col) const {
  const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, col));
  if (!p) return {};
  return {p, static_cast<size_t>(sqlite3_column_bytes(stmt_, col))};
}
bool Statement::IsNull(int col) const { return sqlite3_column_type(stmt_, col) == SQLITE_NULL; }
int Statement::ColumnCount() const { return sqlite3_column_count(stmt_); }

Result<std::unique_ptr<Connection>> Connection::Open(const std::string& path, OpenOptions opts) {
  ConfigureSqliteOnce();
  std::unique_ptr<Connection> db(new Connection());
  db->path_ = path;
  int flags = opts.read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE;
  if (!opts.read_only && opts.create) flags |= SQLITE_OPEN_CREATE;
  flags |= SQLITE_OPEN_NOMUTEX;  // one thread per connection, by contract
  if (sqlite3_open_v2(path.c_str(), &db->db_, flags, nullptr) != SQLITE_OK) {
    Status st = SqlError(db->db_, "cannot open database " + path);
    return st;
  }
  sqlite3_busy_timeout(db->db_, opts.busy_timeout_ms);
  sqlite3_extended_result_codes(db->db_, 0);
  // WAL: readers never block the writer; synchronous=NORMAL is durable against a process crash
  // or kill (what we promise); only a power cut may lose the last commits.
  if (!opts.read_only) {
    YQ_RETURN_IF_ERROR(db->Exec("PRAGMA journal_mode=WAL"));
    YQ_RETURN_IF_ERROR(db->Exec("PRAGMA synchronous=NORMAL"));
  }
  YQ_RETURN_IF_ERROR(db->Exec("PRAGMA foreign_keys=ON; PRAGMA temp_store=MEMORY; PRAGMA cache_size=-65536"));
  return db;
}

Connection::~Connection() {
  by_address_.clear();
  cache_.clear();
  if (db_) sqlite3_close_v2(db_);
}

Status Connection::Exec(std::string_view sql) {
  char* err = nullptr;
  std::string s(sql);
  if (sqlite3_exec(db_, s.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
    Status st = SqlError(db_, "sqlite exec");
    std::string msg = err ? err : st.message();
    sqlite3_free(err);
    return Status(st.code(), "sqlite: " + msg);
  }
  return Status::Ok();
}

Result<Statement> Connection::Prepare(std::string_view sql) {
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(db_, sql.data(), static_cast<int>(sql.size()), &stmt, nullptr) != SQLITE_OK) {
    return SqlError(db_, "sqlite prepare '" + std::string(sql.substr(0, 80)) + "'");
  }
  return Statement(db_, stmt);
}

Statement* Connection::Cached(std::string_view sql, Status* error) {
  if (auto a = by_address_.find(sql.data()); a != by_address_.end() && a->second->sql == sql) {
    a->second->statement->Reset();
    return a->second->statement.get();
  }
  auto it = cache_.find(std::string(sql));
  if (it == cache_.end()) {
    auto st = Prepare(sql);
    if (!st.ok()) {
      if (error) *error = st.status();
      return nullptr;
    }
    CachedStatement c{std::string(sql), std::make_unique<Statement>(std::move(st).value())};
    it = cache_.emplace(c.sql, std::move(c)).first;
  } else {
    it->second.statement->Reset();
  }
  // Bounded: texts built at run time add addresses that may never be asked again.
  if (by_address_.size() >= 256) by_address_.clear();
  by_address_[sql.data()] = &it->second;  // node-based map: the entry's address is stable
  return it->second.statement.get();
}

Status Connection::SetPageCacheKib(int kib) { return Exec("PRAGMA cache_size=-" + std::to_string(kib)); }

Status Connection::MapForReads(int64_t bytes) { return Exec("PRAGMA mmap_size=" + std::to_string(bytes)); }

int64_t Connection::CacheBytes() {
  int current = 0, highest = 0;
  if (sqlite3_db_status(db_, SQLITE_DBSTATUS_CACHE_USED, &current, &highest, 0) != SQLITE_OK) return 0;
  return current;
}

int64_t Connection::LastInsertRowid() const { return sqlite3_last_insert_rowid(db_); }
int Connection::Changes() const { return sqlite3_changes(db_); }

Result<bool> Connection::HasComponent(std::string_view component) {
  Status err;
  Statement* q = Cached("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_versions'", &err);
  if (!q) return err;
  YQ_ASSIGN_OR_RETURN(bool versioned, q->Step());
  q->Reset();  // no read left open on the connection
  if (!versioned) return false;
  q = Cached("SELECT 1 FROM schema_versions WHERE component = ?", &err);
  if (!q) return err;
  q->Bind(1, component);
  YQ_ASSIGN_OR_RETURN(bool found, q->Step());
  q->Reset();
  return found;
}

Status Connection::EnsureSchema(std::string_view component, int version,
                              const std::function<Status(Connection&, int)>& migrate) {
  // Up to date (every Open after the first): answered by one read, without the write lock that
  // BEGIN IMMEDIATE takes, so opening a store on a reader connection never waits for the writer.
  if (auto q = Prepare("SELECT version FROM schema_versions WHERE component = ?"); q.ok()) {
    q->Bind(1, component);
    if (auto row = q->Step(); row.ok() && *row && q->Int(0) == version) return Status::Ok();
  }
  YQ_RETURN_IF_ERROR(Exec(
      "CREATE TABLE IF NOT EXISTS schema_versions (component TEXT PRIMARY KEY, version INTEGER NOT NULL)"));
  Transaction tx(*this);
  YQ_RETURN_IF_ERROR(tx.status());
  int current = 0;
  {
    YQ_ASSIGN_OR_RETURN(Statement q, Prepare("SELECT version FROM schema_versions WHERE component = ?"));
    q.Bind(1, component);
    YQ_ASSIGN_OR_RETURN(bool row, q.Step());
    if (row) current = static_cast<int>(q.Int(0));
  }
  if (current > version) {
    return Status::Conflict("the data directory was written by a newer yuqing (" + std::string(component) +
                            " schema " + std::to_string(current) + " > " + std::to_string(version) + ")");
  }
  for (int v = current + 1; v <= version; ++v) YQ_RETURN_IF_ERROR(migrate(*this, v));
  if (current != version) {
    YQ_ASSIGN_OR_RETURN(Statement up, Prepare("INSERT INTO schema_versions(component, version) VALUES(?, ?) "
                                              "ON CONFLICT(component) DO UPDATE SET version = excluded.version"));
    up.Bind(1, component).Bind(2, version);
    YQ_RETURN_IF_ERROR(up.Run());
  }
  return tx.Commit();
}

Result<Connection*> Connect(Database& db) {
  if (db.backend() != Backend::kSqlite)
    return Status::Unavailable("this part of the store is not available on PostgreSQL yet (" + db.path() + ")");
  return static_cast<Connection*>(&db);
}

Connection& Expect(Database& db, const char* what) {
  if (db.backend() != Backend::kSqlite) {
    std::fprintf(stderr, "yuqing: %s is not available on PostgreSQL yet\n", what);
    std::abort();
  }
  return static_cast<Connection&>(db);
}

}  // namespace yuqing::store::sqlite
