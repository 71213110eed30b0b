// Opens a repository on the session's backend: the SQLite or the PostgreSQL implementation.
#pragma once

#include <memory>

#include "store/database.h"
#include "store/postgres/stores.h"
#include "store/sqlite/stores.h"

namespace yuqing::store {

template <class Repository>
Result<std::unique_ptr<Repository>> OpenOn(Database& db,
                                           Result<std::unique_ptr<Repository>> (*on_sqlite)(sqlite::Connection&),
                                           Result<std::unique_ptr<Repository>> (*on_postgres)(postgres::Connection&)) {
  if (db.backend() == Backend::kPostgres) {
    YQ_ASSIGN_OR_RETURN(postgres::Connection * c, postgres::Connect(db));
    return on_postgres(*c);
  }
  YQ_ASSIGN_OR_RETURN(sqlite::Connection * c, sqlite::Connect(db));
  return on_sqlite(*c);
}

}  // namespace yuqing::store
