// The PostgreSQL backend's connection, over libpq (Debian's libpq-dev): statements with $n
// parameters, prepared once per connection; transactions; numbered per-component migrations,
// checked at start and applied under an advisory lock so that processes starting together do not
// race. One Connection is used by one thread at a time.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/status.h"
#include "store/database.h"

struct pg_conn;
struct pg_result;

namespace yuqing::store::postgres {

// Parameters of one statement ($1, $2, … in order), sent as text.
class Params {
 public:
  Params& Add(int64_t v);
  Params& Add(int v) { return Add(static_cast<int64_t>(v)); }
  Params& Add(double v);
  Params& Add(std::string_view v);
  Params& Add(const char* v) { return Add(std::string_view(v)); }
  Params& Add(const std::string& v) { return Add(std::string_view(v)); }
  Params& AddNull();
  // Bytes for a BYTEA parameter (any bytes, invalid UTF-8 and NULs included).
  Params& AddBytes(std::string_view bytes);
  // An array parameter ('{1,2,3}'), for one statement over many rows (unnest($n::bigint[]) …).
  Params& AddArray(const std::vector<int64_t>& v);
  Params& AddArray(const std::vector<double>& v);
  size_t size() const { return values_.size(); }

 private:
  friend class Connection;
  std::vector<std::string> values_;
  std::vector<bool> null_;
};

class Row;

// The rows of one statement's result (text format).
class Rows {
 public:
  Rows() = default;
  explicit Rows(pg_result* r);
  Rows(Rows&& o) noexcept;
  Rows& operator=(Rows&& o) noexcept;
  Rows(const Rows&) = delete;
  ~Rows();

  int size() const;
  bool empty() const { return size() == 0; }
  bool IsNull(int row, int col) const;
  std::string_view TextView(int row, int col) const;  // valid while the Rows live
  std::string Text(int row, int col) const { return std::string(TextView(row, col)); }
  int64_t Int(int row, int col) const;  // 0 when NULL; booleans read as 0/1
  double Double(int row, int col) const;
  // A BYTEA column's bytes (libpq's text form decoded).
  std::string Bytes(int row, int col) const;
  // Rows changed by an INSERT, UPDATE or DELETE.
  int64_t Affected() const;
  Row at(int row) const;

 private:
  pg_result* r_ = nullptr;
};

// One row of Rows, read with the same accessors as a SQLite statement's current row, so that a
// row decoder shared by both backends can be a template over the row type.
class Row {
 public:
  Row(const Rows& rows, int i) : rows_(rows), i_(i) {}
  int64_t Int(int col) const { return rows_.Int(i_, col); }
  double Double(int col) const { return rows_.Double(i_, col); }
  std::string Text(int col) const { return rows_.Text(i_, col); }
  std::string_view TextView(int col) const { return rows_.TextView(i_, col); }
  bool IsNull(int col) const { return rows_.IsNull(i_, col); }
  std::string Bytes(int col) const { return rows_.Bytes(i_, col); }

 private:
  const Rows& rows_;
  int i_;
};

class Connection final : public Database {
 public:
  // Connects with libpq's URI syntax (postgres://user:password@host:port/db?options).
  static Result<std::unique_ptr<Connection>> Open(const std::string& url, OpenOptions opts = {});
  ~Connection() override;

  Backend backend() const override { return Backend::kPostgres; }
  Result<bool> HasComponent(std::string_view component) override;
  Status SetPageCacheKib(int) override { return Status::Ok(); }
  Status MapForReads(int64_t) override { return Status::Ok(); }

  // Runs SQL without parameters (may hold several statements).
  Status Exec(std::string_view sql);
  // Runs one statement with parameters; prepared on first use on this connection.
  Result<Rows> Query(std::string_view sql, const Params& params = {});
  // Runs one statement with parameters without preparing it (statements built at run time).
  Result<Rows> QueryOnce(std::string_view sql, const Params& params = {});
  bool in_transaction() const { return in_tx_; }

  // Brings `component`'s tables to `version`: calls migrate(to) for each missing step, in one
  // transaction holding the migrations' advisory lock. Refuses a store written by a newer yuqing.
  Status EnsureSchema(std::string_view component, int version,
                      const std::function<Status(Connection&, int to_version)>& migrate);

 protected:
  Status BeginWrite() override;
  Status CommitWrite() override;
  void RollbackWrite() override;

 private:
  Connection() = default;
  Result<Rows> Check(pg_result* r, std::string_view sql);
  pg_conn* conn_ = nullptr;
  bool in_tx_ = false;
  std::unordered_map<std::string, std::string> prepared_;  // SQL text → statement name
};

// The PostgreSQL connection of a session; Unavailable when the session is on another backend.
Result<Connection*> Connect(Database& db);
// The URL with its password replaced by ***, for messages and logs.
std::string RedactUrl(std::string_view url);

inline Row Rows::at(int row) const { return Row(*this, row); }

}  // namespace yuqing::store::postgres
