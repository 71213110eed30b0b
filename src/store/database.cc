#include "store/database.h"

#include "store/postgres/connection.h"
#include "store/sqlite/connection.h"

namespace yuqing::store {

bool Database::IsPostgresUrl(std::string_view where) {
  return where.rfind("postgres://", 0) == 0 || where.rfind("postgresql://", 0) == 0;
}

Result<std::unique_ptr<Database>> Database::Open(const std::string& where, OpenOptions opts) {
  if (IsPostgresUrl(where)) {
    YQ_ASSIGN_OR_RETURN(auto c, postgres::Connection::Open(where, opts));
    return std::unique_ptr<Database>(std::move(c));
  }
  YQ_ASSIGN_OR_RETURN(auto c, sqlite::Connection::Open(where, opts));
  return std::unique_ptr<Database>(std::move(c));
}

Transaction::Transaction(Database& db) : db_(db) { begin_ = db_.BeginWrite(); }

Transaction::~Transaction() {
  if (begin_.ok() && !done_) db_.RollbackWrite();
}

Status Transaction::Commit() {
  if (!begin_.ok()) return begin_;
  done_ = true;
  return db_.CommitWrite();
}

}  // namespace yuqing::store
