// The SQLite backend's connection: prepared statements (and a per-connection statement cache),
// transactions and per-component schema versions over one sqlite3 handle. One Connection is used
// by one thread at a time; WAL mode lets readers run beside the writer.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/status.h"
#include "store/database.h"

struct sqlite3;
struct sqlite3_stmt;

namespace yuqing::store::sqlite {

class Statement {
 public:
  Statement() = default;
  Statement(sqlite3* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}
  Statement(Statement&& o) noexcept;
  Statement& operator=(Statement&& o) noexcept;
  Statement(const Statement&) = delete;
  ~Statement();

  // Parameters are 1-based, as in SQLite.
  Statement& Bind(int i, int64_t v);
  Statement& Bind(int i, int v) { return Bind(i, static_cast<int64_t>(v)); }
  Statement& Bind(int i, double v);
  Statement& Bind(int i, std::string_view v);  // copied by SQLite (SQLITE_TRANSIENT)
  Statement& Bind(int i, const char* v) { return Bind(i, std::string_view(v)); }
  Statement& Bind(int i, const std::string& v) { return Bind(i, std::string_view(v)); }
  Statement& BindNull(int i);

  // Runs one step: true when a row is available, false when done.
  Result<bool> Step();
  // Runs to completion, ignoring rows.
  Status Run();
  void Reset();  // resets and clears bindings, ready to reuse

  int64_t Int(int col) const;
  double Double(int col) const;
  std::string Text(int col) const;
  std::string_view TextView(int col) const;  // valid until the next Step/Reset
  bool IsNull(int col) const;
  int ColumnCount() const;

 private:
  sqlite3* db_ = nullptr;
  sqlite3_stmt* stmt_ = nullptr;
};

class Connection final : public Database {
 public:
  // Opens (creating when allowed) the SQLite file in WAL mode with foreign keys on.
  static Result<std::unique_ptr<Connection>> Open(const std::string& path, OpenOptions opts = {});
  ~Connection() override;

  Backend backend() const override { return Backend::kSqlite; }
  Result<bool> HasComponent(std::string_view component) override;
  Status SetPageCacheKib(int kib) override;
  Status MapForReads(int64_t bytes) override;
  int64_t CacheBytes() override;

  Status Exec(std::string_view sql);
  Result<Statement> Prepare(std::string_view sql);
  // A statement prepared once per connection and reset before it is returned. The pointer stays
  // valid for the life of the Connection. Returns nullptr and sets *error on a bad statement.
  Statement* Cached(std::string_view sql, Status* error = nullptr);

  int64_t LastInsertRowid() const;
  int Changes() const;
  sqlite3* handle() { return db_; }

  // Brings `component`'s tables to `version`: calls migrate(from) for each missing step inside
  // one transaction. Components (posts, schemes, alerts, incidents ...) version independently.
  Status EnsureSchema(std::string_view component, int version,
                      const std::function<Status(Connection&, int to_version)>& migrate);

 protected:
  Status BeginWrite() override { return Exec("BEGIN IMMEDIATE"); }
  Status CommitWrite() override { return Exec("COMMIT"); }
  void RollbackWrite() override { (void)Exec("ROLLBACK"); }

 private:
  Connection() = default;
  sqlite3* db_ = nullptr;
  struct CachedStatement {
    std::string sql;
    std::unique_ptr<Statement> statement;
  };
  std::unordered_map<std::string, CachedStatement> cache_;
  // The same statements by the address of the caller's text, asked first: the hot callers pass
  // string literals, and comparing the text found there (a memcmp) is cheaper than hashing it
  // (the insert path asks for five statements per post). A miss falls back to cache_; at most
  // 256 addresses are kept.
  std::unordered_map<const char*, const CachedStatement*> by_address_;
};

// The SQLite connection of a session; Unimplemented when the session is on another backend (a
// store not yet implemented there).
Result<Connection*> Connect(Database& db);
// The same for code that cannot return an error (constructors): the session must be on SQLite;
// anything else is a programming error and aborts with a message naming `what`.
Connection& Expect(Database& db, const char* what);

}  // namespace yuqing::store::sqlite
