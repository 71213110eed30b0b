#include "ingest/crawler_db.h"

#include <mysql.h>
#include <sqlite3.h>

namespace yuqing::ingest {
namespace {

using nlohmann::json;

// Rows after the cursor, oldest change first; a row the crawler never stamped counts as 0.
std::string AfterQuery(const std::string& table, const TableCursor& c, size_t limit, char quote) {
  std::string t = quote + table + quote;
  std::string ts = "COALESCE(" + std::string(1, quote) + "last_modify_ts" + quote + ", 0)";
  return "SELECT * FROM " + t + " WHERE " + ts + " > " + std::to_string(c.ts) + " OR (" + ts + " = " +
         std::to_string(c.ts) + " AND id > " + std::to_string(c.row) + ") ORDER BY " + ts + ", id LIMIT " +
         std::to_string(limit);
}

int64_t IntOf(const json& v) {
  if (v.is_number_integer()) return v.get<int64_t>();
  if (v.is_string()) {
    try {
      return std::stoll(v.get<std::string>());
    } catch (...) {
      return 0;
    }
  }
  return 0;
}

TableCursor CursorOf(const json& row) { return {IntOf(row.value("last_modify_ts", json(0))), IntOf(row.value("id", json(0)))}; }

class SqliteDb final : public CrawlerDb {
 public:
  ~SqliteDb() override { sqlite3_close(db_); }
  static Result<std::unique_ptr<CrawlerDb>> Open(const std::string& path) {
    auto db = std::make_unique<SqliteDb>();
    db->path_ = path;
    // Read-only: yuqing never writes to the crawler's file (the crawler may be writing to it).
    int rc = sqlite3_open_v2(path.c_str(), &db->db_, SQLITE_OPEN_READONLY, nullptr);
    if (rc != SQLITE_OK)
      return Status::Unavailable("cannot open " + path + " read-only: " + sqlite3_errstr(rc));
    sqlite3_busy_timeout(db->db_, 10000);
    return std::unique_ptr<CrawlerDb>(std::move(db));
  }
  std::string Name() const override { return "sqlite:" + path_; }
  Result<bool> HasTable(const std::string& table) override {
    sqlite3_stmt* st = nullptr;
    if (sqlite3_prepare_v2(db_, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", -1, &st, nullptr) != SQLITE_OK)
      return Status::Unavailable(std::string("cannot read ") + path_ + ": " + sqlite3_errmsg(db_));
    sqlite3_bind_text(st, 1, table.c_str(), -1, SQLITE_TRANSIENT);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) return Status::Unavailable(std::string("cannot read ") + path_ + ": " + sqlite3_errmsg(db_));
    return rc == SQLITE_ROW;
  }
  Status ReadAfter(const std::string& table, const TableCursor& after, size_t limit, const RowSink& sink) override {
    sqlite3_stmt* st = nullptr;
    std::string sql = AfterQuery(table, after, limit, '"');
    if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &st, nullptr) != SQLITE_OK)
      return Status::Invalid("cannot read table " + table + " of " + path_ + ": " + sqlite3_errmsg(db_) +
                             " (is it MediaCrawler's, with id and last_modify_ts?)");
    Status out;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
      json row = json::object();
      for (int i = 0, n = sqlite3_column_count(st); i < n; ++i) {
        const char* name = sqlite3_column_name(st, i);
        switch (sqlite3_column_type(st, i)) {
          case SQLITE_INTEGER: row[name] = static_cast<int64_t>(sqlite3_column_int64(st, i)); break;
          case SQLITE_FLOAT: row[name] = sqlite3_column_double(st, i); break;
          case SQLITE_TEXT: row[name] = std::string(reinterpret_cast<const char*>(sqlite3_column_text(st, i)),
                                                     static_cast<size_t>(sqlite3_column_bytes(st, i))); break;
          case SQLITE_NULL: row[name] = nullptr; break;
          default: break;  // blobs are media, not text
        }
      }
      out = sink(row, CursorOf(row));
      if (!out.ok()) break;
    }
    if (out.ok() && rc != SQLITE_DONE) out = Status::Unavailable("reading " + table + ": " + sqlite3_errmsg(db_));
    sqlite3_finalize(st);
    return out;
  }

 private:
  sqlite3* db_ = nullptr;
  std::string path_;
};

std::string PercentDecode(const std::string& s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && std::isxdigit(static_cast<unsigned char>(s[i + 1])) &&
        std::isxdigit(static_cast<unsigned char>(s[i + 2]))) {
      out += static_cast<char>(std::stoi(s.substr(i + 1, 2), nullptr, 16));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

class MysqlDb final : public CrawlerDb {
 public:
  ~MysqlDb() override {
    if (conn_) mysql_close(conn_);
  }
  static Result<std::unique_ptr<CrawlerDb>> Open(const MysqlDsn& dsn) {
    auto db = std::make_unique<MysqlDb>();
    db->dsn_ = dsn;
    db->conn_ = mysql_init(nullptr);
    if (!db->conn_) return Status::Internal("mysql_init failed");
    unsigned timeout = 10;
    mysql_options(db->conn_, MYSQL_OPT_CONNECT_TIMEOUT, &timeout);
    mysql_options(db->conn_, MYSQL_OPT_READ_TIMEOUT, &timeout);
    mysql_options(db->conn_, MYSQL_SET_CHARSET_NAME, "utf8mb4");
    if (!mysql_real_connect(db->conn_, dsn.host.c_str(), dsn.user.c_str(), dsn.password.c_str(), dsn.db.c_str(),
                            dsn.port, nullptr, 0))
      return Status::Unavailable("cannot connect to " + db->Name() + ": " + mysql_error(db->conn_));
    // Read-only on our side too: a mistake here must never write to the crawler's tables.
    if (mysql_query(db->conn_, "SET SESSION TRANSACTION READ ONLY") != 0)
      return Status::Unavailable("cannot make the session read-only: " + std::string(mysql_error(db->conn_)));
    return std::unique_ptr<CrawlerDb>(std::move(db));
  }
  std::string Name() const override {
    return "mysql://" + dsn_.user + "@" + dsn_.host + ":" + std::to_string(dsn_.port) + "/" + dsn_.db;
  }
  Result<bool> HasTable(const std::string& table) override {
    std::string sql = "SELECT 1 FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = '" + table + "'";
    if (mysql_query(conn_, sql.c_str()) != 0) return Status::Unavailable(std::string(mysql_error(conn_)));
    MYSQL_RES* res = mysql_store_result(conn_);
    bool has = res && mysql_num_rows(res) > 0;
    if (res) mysql_free_result(res);
    return has;
  }
  Status ReadAfter(const std::string& table, const TableCursor& after, size_t limit, const RowSink& sink) override {
    std::string sql = AfterQuery(table, after, limit, '`');
    if (mysql_query(conn_, sql.c_str()) != 0)
      return Status::Invalid("cannot read table " + table + " of " + Name() + ": " + mysql_error(conn_));
    MYSQL_RES* res = mysql_use_result(conn_);
    if (!res) return Status::Unavailable("reading " + table + ": " + mysql_error(conn_));
    unsigned n = mysql_num_fields(res);
    MYSQL_FIELD* fields = mysql_fetch_fields(res);
    Status out;
    while (MYSQL_ROW r = mysql_fetch_row(res)) {
      unsigned long* lens = mysql_fetch_lengths(res);
      json row = json::object();
      for (unsigned i = 0; i < n; ++i) {
        if (!r[i]) row[fields[i].name] = nullptr;
        else if (fields[i].type == MYSQL_TYPE_BLOB && fields[i].charsetnr == 63) continue;  // binary: media
        else row[fields[i].name] = std::string(r[i], lens[i]);
      }
      if (out.ok()) out = sink(row, CursorOf(row));  // after a failure, drain the result set
    }
    if (out.ok() && mysql_errno(conn_) != 0) out = Status::Unavailable("reading " + table + ": " + mysql_error(conn_));
    mysql_free_result(res);
    return out;
  }

 private:
  MYSQL* conn_ = nullptr;
  MysqlDsn dsn_;
};

}  // namespace

Result<MysqlDsn> ParseMysqlDsn(const std::string& dsn) {
  const std::string scheme = "mysql://";
  if (dsn.rfind(scheme, 0) != 0) return Status::Invalid("expected mysql://user:pass@host:port/db, got " + dsn);
  std::string rest = dsn.substr(scheme.size());
  MysqlDsn d;
  size_t at = rest.rfind('@');
  if (at != std::string::npos) {
    std::string cred = rest.substr(0, at);
    size_t colon = cred.find(':');
    d.user = PercentDecode(cred.substr(0, colon));
    if (colon != std::string::npos) d.password = PercentDecode(cred.substr(colon + 1));
    rest = rest.substr(at + 1);
  }
  size_t slash = rest.find('/');
  if (slash == std::string::npos || slash + 1 == rest.size())
    return Status::Invalid("the MySQL address names no database: mysql://user:pass@host:port/db");
  d.db = rest.substr(slash + 1);
  std::string hostport = rest.substr(0, slash);
  size_t colon = hostport.rfind(':');
  if (colon != std::string::npos) {
    std::string port = hostport.substr(colon + 1);
    if (port.empty() || port.size() > 5 || port.find_first_not_of("0123456789") != std::string::npos)
      return Status::Invalid("bad port '" + port + "' in the MySQL address");
    d.port = static_cast<unsigned>(std::stoul(port));
    hostport = hostport.substr(0, colon);
  }
  d.host = hostport.empty() ? "127.0.0.1" : hostport;
  if (d.db.find_first_of("/?#'`\"") != std::string::npos) return Status::Invalid("bad database name '" + d.db + "'");
  return d;
}

Result<std::unique_ptr<CrawlerDb>> CrawlerDb::Open(const std::string& dsn) {
  if (dsn.rfind("sqlite:", 0) == 0) {
    std::string path = dsn.substr(7);
    if (path.rfind("//", 0) == 0) path = path.substr(2);
    if (path.empty()) return Status::Invalid("sqlite: names no file (sqlite:PATH)");
    return SqliteDb::Open(path);
  }
  if (dsn.rfind("mysql://", 0) == 0) {
    YQ_ASSIGN_OR_RETURN(auto d, ParseMysqlDsn(dsn));
    return MysqlDb::Open(d);
  }
  return Status::Invalid("--from expects sqlite:PATH or mysql://user:pass@host:port/db, got " + dsn);
}

}  // namespace yuqing::ingest
