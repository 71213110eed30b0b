#include "store/postgres/connection.h"

#include <libpq-fe.h>

#include <charconv>
#include <cstdlib>
#include <cstring>

namespace yuqing::store::postgres {
namespace {

// SQLSTATE classes (PostgreSQL manual, appendix A) to the codes callers already handle for SQLite.
Status StateError(const char* state, std::string msg) {
  std::string_view s = state ? state : "";
  if (s.substr(0, 2) == "23") return Status::Conflict(std::move(msg));      // integrity constraint
  if (s == "40001" || s == "40P01" || s == "55P03" || s.substr(0, 2) == "53" || s.substr(0, 2) == "08" ||
      s.substr(0, 2) == "57")
    return Status::Unavailable(std::move(msg));  // serialization, deadlock, lock, resources, connection
  if (s == "54000" || s == "54001") return Status::TooLarge(std::move(msg));
  if (s.substr(0, 2) == "22" || s.substr(0, 2) == "42") return Status::Invalid(std::move(msg));
  return Status::Io(std::move(msg));
}

std::string Trimmed(const char* m) {
  std::string s = m ? m : "";
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

}  // namespace

std::string RedactUrl(std::string_view url) {
  std::string u(url);
  size_t scheme = u.find("://");
  size_t at = u.find('@', scheme == std::string::npos ? 0 : scheme + 3);
  if (scheme == std::string::npos || at == std::string::npos) return u;
  size_t colon = u.find(':', scheme + 3);
  if (colon != std::string::npos && colon < at) u.replace(colon + 1, at - colon - 1, "***");
  return u;
}

// ---- Params ----

Params& Params::Add(int64_t v) {
  values_.push_back(std::to_string(v));
  null_.push_back(false);
  return *this;
}
Params& Params::Add(double v) {
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);  // shortest text that reads back exactly
  values_.emplace_back(buf, ec == std::errc() ? end : buf);
  null_.push_back(false);
  return *this;
}
Params& Params::Add(std::string_view v) {
  values_.emplace_back(v);
  null_.push_back(false);
  return *this;
}
Params& Params::AddNull() {
  values_.emplace_back();
  null_.push_back(true);
  return *this;
}

Params& Params::AddBytes(std::string_view bytes) {
  static const char kHex[] = "0123456789abcdef";
  std::string s = "\\x";
  s.reserve(2 + 2 * bytes.size());
  for (unsigned char c : bytes) {
    s += kHex[c >> 4];
    s += kHex[c & 15];
  }
  return Add(s);
}

Params& Params::AddArray(const std::vector<int64_t>& v) {
  std::string s = "{";
  for (size_t i = 0; i < v.size(); ++i) s += (i ? "," : "") + std::to_string(v[i]);
  return Add(s + "}");
}

Params& Params::AddArray(const std::vector<double>& v) {
  std::string s = "{";
  char buf[64];
  for (size_t i = 0; i < v.size(); ++i) {
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v[i]);
    s += (i ? "," : "") + std::string(buf, ec == std::errc() ? end : buf);
  }
  return Add(s + "}");
}

// ---- Rows ----

Rows::Rows(pg_result* r) : r_(r) {}
Rows::Rows(Rows&& o) noexcept : r_(o.r_) { o.r_ = nullptr; }
Rows& Rows::operator=(Rows&& o) noexcept {
  if (this != &o) {
    if (r_) PQclear(r_);
    r_ = o.r_;
    o.r_ = nullptr;
  }
  return *this;
}
Rows::~Rows() {
  if (r_) PQclear(r_);
}
int Rows::size() const { return r_ ? PQntuples(r_) : 0; }
bool Rows::IsNull(int row, int col) const { return !r_ || PQgetisnull(r_, row, col); }
std::string_view Rows::TextView(int row, int col) const {
  if (IsNull(row, col)) return {};
  return {PQgetvalue(r_, row, col), static_cast<size_t>(PQgetlength(r_, row, col))};
}
int64_t Rows::Int(int row, int col) const {
  std::string_view v = TextView(row, col);
  if (v == "t") return 1;
  if (v == "f") return 0;
  int64_t out = 0;
  std::from_chars(v.data(), v.data() + v.size(), out);
  return out;
}
double Rows::Double(int row, int col) const {
  std::string_view v = TextView(row, col);
  double out = 0;
  std::from_chars(v.data(), v.data() + v.size(), out);
  return out;
}
std::string Rows::Bytes(int row, int col) const {
  if (IsNull(row, col)) return {};
  size_t n = 0;
  unsigned char* raw = PQunescapeBytea(reinterpret_cast<const unsigned char*>(PQgetvalue(r_, row, col)), &n);
  if (!raw) return {};
  std::string out(reinterpret_cast<const char*>(raw), n);
  PQfreemem(raw);
  return out;
}

int64_t Rows::Affected() const {
  const char* n = r_ ? PQcmdTuples(r_) : "";
  return n && *n ? std::strtoll(n, nullptr, 10) : 0;
}

// ---- Connection ----

Result<std::unique_ptr<Connection>> Connection::Open(const std::string& url, OpenOptions opts) {
  std::unique_ptr<Connection> c(new Connection());
  c->path_ = RedactUrl(url);
  c->conn_ = PQconnectdb(url.c_str());
  if (!c->conn_) return Status::Unavailable("cannot connect to " + c->path_ + ": out of memory");
  if (PQstatus(c->conn_) != CONNECTION_OK)
    return Status::Unavailable("cannot connect to " + c->path_ + ": " + Trimmed(PQerrorMessage(c->conn_)));
  // Messages in English whatever the server's locale (they are mapped and worded by yuqing);
  // UTF-8 both ways; a writer waits for another's row lock as long as SQLite waits for its file lock.
  std::string setup = "SET client_encoding = 'UTF8'; SET lc_messages TO 'C'; SET lock_timeout = " +
                      std::to_string(opts.busy_timeout_ms) + "; SET client_min_messages = warning";
  if (opts.read_only) setup += "; SET default_transaction_read_only = on";
  if (Status st = c->Exec(setup); !st.ok()) {
    // lc_messages is a superuser setting on some servers; the rest must hold.
    YQ_RETURN_IF_ERROR(c->Exec("SET client_encoding = 'UTF8'; SET lock_timeout = " +
                               std::to_string(opts.busy_timeout_ms) + "; SET client_min_messages = warning" +
                               (opts.read_only ? "; SET default_transaction_read_only = on" : "")));
  }
  return c;
}

Connection::~Connection() {
  if (conn_) PQfinish(conn_);
}

Result<Rows> Connection::Check(pg_result* r, std::string_view sql) {
  Rows rows(r);
  ExecStatusType st = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
  if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK || st == PGRES_EMPTY_QUERY) return rows;
  std::string msg = "postgres '" + std::string(sql.substr(0, 80)) + "': " +
                    Trimmed(r ? PQresultErrorMessage(r) : PQerrorMessage(conn_));
  if (PQstatus(conn_) != CONNECTION_OK) return Status::Unavailable(msg + " (connection lost)");
  return StateError(r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : nullptr, msg);
}

Status Connection::Exec(std::string_view sql) {
  std::string s(sql);
  auto r = Check(PQexec(conn_, s.c_str()), sql);
  return r.ok() ? Status::Ok() : r.status();
}

namespace {
struct Args {
  std::vector<const char*> values;
  explicit Args(const std::vector<std::string>& v, const std::vector<bool>& null) {
    values.reserve(v.size());
    for (size_t i = 0; i < v.size(); ++i) values.push_back(null[i] ? nullptr : v[i].c_str());
  }
};
}  // namespace

Result<Rows> Connection::Query(std::string_view sql, const Params& p) {
  std::string text(sql);
  auto it = prepared_.find(text);
  if (it == prepared_.end()) {
    std::string name = "yq" + std::to_string(prepared_.size() + 1);
    YQ_ASSIGN_OR_RETURN(Rows prep, Check(PQprepare(conn_, name.c_str(), text.c_str(), 0, nullptr), sql));
    it = prepared_.emplace(std::move(text), std::move(name)).first;
  }
  Args a(p.values_, p.null_);
  return Check(PQexecPrepared(conn_, it->second.c_str(), static_cast<int>(a.values.size()), a.values.data(), nullptr,
                              nullptr, 0),
               sql);
}

Result<Rows> Connection::QueryOnce(std::string_view sql, const Params& p) {
  std::string text(sql);
  Args a(p.values_, p.null_);
  return Check(PQexecParams(conn_, text.c_str(), static_cast<int>(a.values.size()), nullptr, a.values.data(),
                            nullptr, nullptr, 0),
               sql);
}

Status Connection::BeginWrite() {
  // PostgreSQL only warns of a BEGIN inside a transaction and the inner COMMIT would end the
  // outer one; refused here, as SQLite refuses it.
  if (in_tx_) return Status::Internal("postgres: a transaction is already open on this connection");
  YQ_RETURN_IF_ERROR(Exec("BEGIN"));
  in_tx_ = true;
  return Status::Ok();
}

Status Connection::CommitWrite() {
  in_tx_ = false;
  return Exec("COMMIT");
}

void Connection::RollbackWrite() {
  in_tx_ = false;
  (void)Exec("ROLLBACK");
}

Result<bool> Connection::HasComponent(std::string_view component) {
  YQ_ASSIGN_OR_RETURN(Rows t, Query("SELECT to_regclass('schema_versions') IS NOT NULL"));
  if (t.empty() || t.Int(0, 0) == 0) return false;
  YQ_ASSIGN_OR_RETURN(Rows r, Query("SELECT 1 FROM schema_versions WHERE component = $1", Params().Add(component)));
  return !r.empty();
}

Status Connection::EnsureSchema(std::string_view component, int version,
                                const std::function<Status(Connection&, int)>& migrate) {
  // Up to date (every open after the first): one read, no lock.
  if (auto has = HasComponent(component); has.ok() && *has) {
    YQ_ASSIGN_OR_RETURN(Rows r, Query("SELECT version FROM schema_versions WHERE component = $1",
                                      Params().Add(component)));
    if (!r.empty() && r.Int(0, 0) == version) return Status::Ok();
  }
  Transaction tx(*this);
  YQ_RETURN_IF_ERROR(tx.status());
  // One migrator at a time across processes (held to the end of the transaction).
  YQ_RETURN_IF_ERROR(Exec("SELECT pg_advisory_xact_lock(hashtext('yuqing schema'))"));
  YQ_RETURN_IF_ERROR(
      Exec("CREATE TABLE IF NOT EXISTS schema_versions (component TEXT PRIMARY KEY, version INTEGER NOT NULL)"));
  int current = 0;
  {
    YQ_ASSIGN_OR_RETURN(Rows r, QueryOnce("SELECT version FROM schema_versions WHERE component = $1",
                                          Params().Add(component)));
    if (!r.empty()) current = static_cast<int>(r.Int(0, 0));
  }
  if (current > version) {
    return Status::Conflict("the store was written by a newer yuqing (" + std::string(component) + " schema " +
                            std::to_string(current) + " > " + std::to_string(version) + ")");
  }
  for (int v = current + 1; v <= version; ++v) YQ_RETURN_IF_ERROR(migrate(*this, v));
  if (current != version) {
    YQ_RETURN_IF_ERROR(QueryOnce("INSERT INTO schema_versions(component, version) VALUES($1, $2) "
                                 "ON CONFLICT(component) DO UPDATE SET version = excluded.version",
                                 Params().Add(component).Add(version))
                           .status());
  }
  return tx.Commit();
}

Result<Connection*> Connect(Database& db) {
  if (db.backend() != Backend::kPostgres)
    return Status::Unavailable("not a PostgreSQL store: " + db.path());
  return static_cast<Connection*>(&db);
}

}  // namespace yuqing::store::postgres
