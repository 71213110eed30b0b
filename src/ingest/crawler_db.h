// A crawler's live database, read-only: MediaCrawler's SQLite file (--from sqlite:PATH) or its
// MySQL/MariaDB schema (--from mysql://user:pass@host:port/db). Rows are read table by table in
// the order of the crawler's own last_modify_ts (then the row id), after a cursor the caller
// keeps, so each run reads only what the crawler wrote or updated since the last one.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/status.h"

namespace yuqing::ingest {

// Where a table has been read up to: the crawler's last_modify_ts and the row id at that time.
struct TableCursor {
  int64_t ts = -1;  // -1: nothing read yet
  int64_t row = -1;
};

// One row as a JSON object keyed by column name (numbers as numbers in SQLite, as strings in
// MySQL's text protocol; NULL as null), with the cursor just after it.
using RowSink = std::function<Status(const nlohmann::json& row, const TableCursor& at)>;

class CrawlerDb {
 public:
  virtual ~CrawlerDb() = default;
  // "sqlite:PATH" or "mysql://user:pass@host[:port]/db" (password %-escaped when it holds @ : /).
  // Opened read-only; kInvalid for a DSN of another shape, kUnavailable when it cannot connect.
  static Result<std::unique_ptr<CrawlerDb>> Open(const std::string& dsn);
  // The DSN without its password, for messages and as the key of the cursors.
  virtual std::string Name() const = 0;
  virtual Result<bool> HasTable(const std::string& table) = 0;
  // Rows with (last_modify_ts, id) after `after`, in that order, at most `limit` of them.
  virtual Status ReadAfter(const std::string& table, const TableCursor& after, size_t limit, const RowSink& sink) = 0;
};

// The DSN's parts (exposed for tests).
struct MysqlDsn {
  std::string user, password, host, db;
  unsigned port = 3306;
};
Result<MysqlDsn> ParseMysqlDsn(const std::string& dsn);

}  // namespace yuqing::ingest
