// A thin wrapper over one SQLite connection: prepared statements, transactions and per-component
// schema versions. One Database is used by one thread at a time; open one per thread (WAL mode
// lets readers run beside the writer).
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/status.h"

struct sqlite3;
struct sqlite3_stmt;

namespace yuqing::store {

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

struct OpenOptions {
  bool read_only = false;
  bool create = true;
  int busy_timeout_ms = 10000;
};

class Database {
 public:
  // Opens (creating when allowed) the SQLite file in WAL mode with foreign keys on.
  static Result<std::unique_ptr<Database>> Open(const std::string& path, OpenOptions opts = {});
  ~Database();

  Status Exec(std::string_view sql);
  Result<Statement> Prepare(std::string_view sql);
  // A statement prepared once per connection and reset before it is returned. The pointer stays
  // valid for the life of the Database. Returns nullptr and sets *error on a bad statement.
  Statement* Cached(std::string_view sql, Status* error = nullptr);

  // This connection's page cache, in KiB (64 MiB unless set).
  Status SetPageCacheKib(int kib);
  // Maps up to `bytes` of the file into memory for reads (a long scan saves a pread per page).
  Status MapForReads(int64_t bytes);

  int64_t LastInsertRowid() const;
  int Changes() const;
  sqlite3* handle() { return db_; }
  const std::string& path() const { return path_; }

  // Whether `component`'s tables were created (EnsureSchema ran for it) in this database: a read
  // that creates nothing, for code that must not create another component's tables.
  Result<bool> HasComponent(std::string_view component);

  // Brings `component`'s tables to `version`: calls migrate(from) for each missing step inside
  // one transaction. Components (posts, schemes, alerts, incidents ...) version independently.
  Status EnsureSchema(std::string_view component, int version,
                      const std::function<Status(Database&, int to_version)>& migrate);

 private:
  Database() = default;
  sqlite3* db_ = nullptr;
  std::string path_;
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

// RAII transaction: rolls back unless Commit() succeeded. BEGIN IMMEDIATE takes the write lock
// up front so two writers queue instead of failing half-way.
class Transaction {
 public:
  explicit Transaction(Database& db);
  ~Transaction();
  const Status& status() const { return begin_; }
  Status Commit();

 private:
  Database& db_;
  Status begin_;
  bool done_ = false;
};

}  // namespace yuqing::store
