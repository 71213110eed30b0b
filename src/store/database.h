// A session on the store: one connection — to a SQLite file (the embedded default) or to a
// PostgreSQL server — with its transactions and its components' schema versions. One Database is
// used by one thread at a time; open one per thread. Code outside src/store/ holds a Database and
// asks the stores (repositories) for what it needs; the SQL of each backend lives in
// src/store/sqlite/ and src/store/postgres/.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "core/status.h"

namespace yuqing::store {

enum class Backend { kSqlite, kPostgres };

struct OpenOptions {
  bool read_only = false;
  bool create = true;          // SQLite: create the file when missing
  int busy_timeout_ms = 10000;  // how long a writer waits for another's lock
};

class Database {
 public:
  // `where` is a SQLite file path, or a PostgreSQL URL (postgres://… or postgresql://…, libpq's
  // connection URI).
  static Result<std::unique_ptr<Database>> Open(const std::string& where, OpenOptions opts = {});
  static bool IsPostgresUrl(std::string_view where);

  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;
  virtual ~Database() = default;

  virtual Backend backend() const = 0;
  // The SQLite file, or the PostgreSQL URL without its password (for messages).
  const std::string& path() const { return path_; }

  // Whether `component`'s tables were created (its schema was ensured) in this store: a read that
  // creates nothing, for code that must not create another component's tables.
  virtual Result<bool> HasComponent(std::string_view component) = 0;

  // This connection's page cache, in KiB (SQLite; the server's own settings on PostgreSQL).
  virtual Status SetPageCacheKib(int kib) = 0;
  // Maps up to `bytes` of the file into memory for reads (SQLite; nothing on PostgreSQL).
  virtual Status MapForReads(int64_t bytes) = 0;
  // Heap bytes this connection's page cache holds now (SQLite; 0 on PostgreSQL, whose cache is
  // the server's). For /metrics.
  virtual int64_t CacheBytes() { return 0; }

 protected:
  Database() = default;
  friend class Transaction;
  // A write transaction: SQLite takes the write lock up front (BEGIN IMMEDIATE) so that two
  // writers queue instead of failing half-way.
  virtual Status BeginWrite() = 0;
  virtual Status CommitWrite() = 0;
  virtual void RollbackWrite() = 0;

  std::string path_;
};

// RAII unit of work: rolls back unless Commit() succeeded.
class Transaction {
 public:
  explicit Transaction(Database& db);
  ~Transaction();
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  const Status& status() const { return begin_; }
  Status Commit();

 private:
  Database& db_;
  Status begin_;
  bool done_ = false;
};

}  // namespace yuqing::store
