// Alerts on SQLite.
#include "store/alert_rows.h"
#include "store/alert_store.h"
#include "store/sqlite/stores.h"

namespace yuqing::store::sqlite {
namespace {

Status Migrate(Connection& db, int v) {
  if (v == 1) {
    return db.Exec(R"sql(
      CREATE TABLE alerts (
        id INTEGER PRIMARY KEY,
        severity INTEGER NOT NULL,
        status TEXT NOT NULL,
        scheme_id INTEGER NOT NULL,
        scheme_name TEXT NOT NULL DEFAULT '',
        event_id INTEGER NOT NULL DEFAULT 0,
        departments TEXT NOT NULL DEFAULT '[]',
        rule TEXT NOT NULL DEFAULT '',
        message TEXT NOT NULL DEFAULT '',
        numbers TEXT NOT NULL DEFAULT '{}',
        evidence TEXT NOT NULL DEFAULT '[]',
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        deadline INTEGER NOT NULL DEFAULT 0,
        last_fired_at INTEGER NOT NULL DEFAULT 0,
        next_reminder_at INTEGER NOT NULL DEFAULT 0,
        reminders INTEGER NOT NULL DEFAULT 0,
        escalation_step INTEGER NOT NULL DEFAULT 0,
        acked_by TEXT NOT NULL DEFAULT '',
        acked_at INTEGER NOT NULL DEFAULT 0,
        resolved_by TEXT NOT NULL DEFAULT '',
        resolved_at INTEGER NOT NULL DEFAULT 0,
        resolve_note TEXT NOT NULL DEFAULT '',
        version INTEGER NOT NULL DEFAULT 0
      );
      -- at most one unresolved alert per (scheme, event)
      CREATE UNIQUE INDEX alerts_active ON alerts(scheme_id, event_id) WHERE status != 'resolved';
      CREATE INDEX alerts_version ON alerts(version);
      CREATE TABLE alert_history (
        id INTEGER PRIMARY KEY,
        alert_id INTEGER NOT NULL REFERENCES alerts(id),
        at INTEGER NOT NULL,
        kind TEXT NOT NULL,
        severity INTEGER NOT NULL,
        by TEXT NOT NULL DEFAULT '',
        note TEXT NOT NULL DEFAULT ''
      );
      CREATE INDEX alert_history_alert ON alert_history(alert_id, id);
    )sql");
  }
  return Status::Ok();
}

using alert_rows::kColumns;

// Binds the mutable fields as parameters 1..22 in alert_rows::kFieldColumns order.
void BindFields(Statement& st, const AlertRecord& a) {
  int i = 1;
  alert_rows::WriteFields(a, [&](const auto& v) { st.Bind(i++, v); });
}

constexpr const char* kNextVersion = "(SELECT COALESCE(MAX(version), 0) + 1 FROM alerts)";

Result<std::vector<AlertRecord>> Collect(Statement& st) {
  std::vector<AlertRecord> out;
  while (true) {
    YQ_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    out.push_back(alert_rows::Read(st));
  }
  return out;
}

class SqliteAlertStore final : public store::AlertStore {
 public:
  explicit SqliteAlertStore(Connection& db) : db_(db) {}
  Result<int64_t> Insert(const AlertRecord& a) override;
  Status Update(const AlertRecord& a) override;
  Result<std::optional<AlertRecord>> Get(int64_t id) override;
  Result<std::optional<AlertRecord>> FindActive(int64_t scheme_id, int64_t event_id) override;
  Result<std::vector<AlertRecord>> List(const AlertFilter& f) override;
  Result<std::vector<AlertRecord>> ListActive() override;
  Result<int64_t> CountActive() override;
  Result<Totals> CountAll() override;
  Result<int64_t> CountRaised(TimeMs from, TimeMs to, const std::vector<int64_t>& scheme_ids) override;
  Status AddHistory(const AlertHistoryEntry& e) override;
  Result<std::vector<AlertHistoryEntry>> History(int64_t alert_id) override;
  Result<int64_t> Version() override;

 private:
  Connection& db_;
};

}  // namespace

Result<std::unique_ptr<store::AlertStore>> OpenAlertStore(Connection& db) {
  YQ_RETURN_IF_ERROR(db.EnsureSchema("alerts", 1, Migrate));
  return std::unique_ptr<store::AlertStore>(new SqliteAlertStore(db));
}

Result<int64_t> SqliteAlertStore::Insert(const AlertRecord& a) {
  YQ_ASSIGN_OR_RETURN(auto existing, FindActive(a.scheme_id, a.event_id));
  if (existing) return Status::Conflict("alert " + std::to_string(existing->id) + " is already active for this key");
  Status err;
  Statement* st = db_.Cached(
      std::string("INSERT INTO alerts(severity, status, scheme_id, scheme_name, event_id, departments, rule, "
                  "message, numbers, evidence, created_at, updated_at, deadline, last_fired_at, next_reminder_at, "
                  "reminders, escalation_step, acked_by, acked_at, resolved_by, resolved_at, resolve_note, version) "
                  "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,") + kNextVersion + ")",
      &err);
  if (!st) return err;
  BindFields(*st, a);
  YQ_RETURN_IF_ERROR(st->Run());
  return db_.LastInsertRowid();
}

Status SqliteAlertStore::Update(const AlertRecord& a) {
  Status err;
  Statement* st = db_.Cached(
      std::string("UPDATE alerts SET severity=?, status=?, scheme_id=?, scheme_name=?, event_id=?, departments=?, "
                  "rule=?, message=?, numbers=?, evidence=?, created_at=?, updated_at=?, deadline=?, "
                  "last_fired_at=?, next_reminder_at=?, reminders=?, escalation_step=?, acked_by=?, acked_at=?, "
                  "resolved_by=?, resolved_at=?, resolve_note=?, version=") + kNextVersion + " WHERE id=?",
      &err);
  if (!st) return err;
  BindFields(*st, a);
  st->Bind(23, a.id);
  YQ_RETURN_IF_ERROR(st->Run());
  if (db_.Changes() == 0) return Status::NotFound("no alert " + std::to_string(a.id));
  return Status::Ok();
}

Result<std::optional<AlertRecord>> SqliteAlertStore::Get(int64_t id) {
  Status err;
  Statement* st = db_.Cached(std::string("SELECT ") + kColumns + " FROM alerts WHERE id = ?", &err);
  if (!st) return err;
  st->Bind(1, id);
  YQ_ASSIGN_OR_RETURN(auto v, Collect(*st));
  st->Reset();
  if (v.empty()) return std::optional<AlertRecord>();
  return std::optional<AlertRecord>(std::move(v[0]));
}

Result<std::optional<AlertRecord>> SqliteAlertStore::FindActive(int64_t scheme_id, int64_t event_id) {
  Status err;
  Statement* st = db_.Cached(std::string("SELECT ") + kColumns +
                                 " FROM alerts WHERE scheme_id = ? AND event_id = ? AND status != 'resolved'",
                             &err);
  if (!st) return err;
  st->Bind(1, scheme_id).Bind(2, event_id);
  YQ_ASSIGN_OR_RETURN(auto v, Collect(*st));
  st->Reset();
  if (v.empty()) return std::optional<AlertRecord>();
  return std::optional<AlertRecord>(std::move(v[0]));
}

Result<std::vector<AlertRecord>> SqliteAlertStore::List(const AlertFilter& f) {
  std::string sql = std::string("SELECT ") + kColumns + " FROM alerts WHERE 1=1";
  if (f.status == "active") {
    sql += " AND status != 'resolved'";
  } else if (!f.status.empty()) {
    sql += " AND status = ?1";
  }
  if (f.min_severity > 0) sql += " AND severity >= ?2";
  if (f.scheme_id > 0) sql += " AND scheme_id = ?3";
  if (f.event_id >= 0) sql += " AND event_id = ?4";
  if (f.after_id > 0) sql += " AND id < ?5";
  if (f.changed_after_rowver > 0) sql += " AND version > ?6";
  if (!f.scheme_ids.empty()) {
    sql += " AND scheme_id IN (";
    for (size_t i = 0; i < f.scheme_ids.size(); ++i) sql += (i ? "," : "") + std::to_string(f.scheme_ids[i]);
    sql += ")";
  }
  sql += f.changed_after_rowver > 0 ? " ORDER BY version ASC" : " ORDER BY id DESC";
  sql += " LIMIT " + std::to_string(f.limit ? f.limit : 100);
  YQ_ASSIGN_OR_RETURN(Statement st, db_.Prepare(sql));
  if (!f.status.empty() && f.status != "active") st.Bind(1, f.status);
  if (f.min_severity > 0) st.Bind(2, f.min_severity);
  if (f.scheme_id > 0) st.Bind(3, f.scheme_id);
  if (f.event_id >= 0) st.Bind(4, f.event_id);
  if (f.after_id > 0) st.Bind(5, f.after_id);
  if (f.changed_after_rowver > 0) st.Bind(6, f.changed_after_rowver);
  return Collect(st);
}

Result<std::vector<AlertRecord>> SqliteAlertStore::ListActive() {
  Status err;
  Statement* st =
      db_.Cached(std::string("SELECT ") + kColumns + " FROM alerts WHERE status != 'resolved' ORDER BY id", &err);
  if (!st) return err;
  auto r = Collect(*st);
  st->Reset();
  return r;
}

Result<int64_t> SqliteAlertStore::CountActive() {
  Status err;
  Statement* st = db_.Cached("SELECT count(*) FROM alerts INDEXED BY alerts_active WHERE status != 'resolved'", &err);
  if (!st) return err;
  YQ_ASSIGN_OR_RETURN(bool row, st->Step());
  int64_t n = row ? st->Int(0) : 0;
  st->Reset();
  return n;
}

Status SqliteAlertStore::AddHistory(const AlertHistoryEntry& e) {
  Status err;
  Statement* st = db_.Cached(
      "INSERT INTO alert_history(alert_id, at, kind, severity, by, note) VALUES (?,?,?,?,?,?)", &err);
  if (!st) return err;
  st->Bind(1, e.alert_id).Bind(2, e.at).Bind(3, e.kind).Bind(4, e.severity).Bind(5, e.by).Bind(6, e.note);
  return st->Run();
}

Result<std::vector<AlertHistoryEntry>> SqliteAlertStore::History(int64_t alert_id) {
  YQ_ASSIGN_OR_RETURN(Statement st, db_.Prepare("SELECT alert_id, at, kind, severity, by, note FROM alert_history "
                                                "WHERE alert_id = ? ORDER BY id"));
  st.Bind(1, alert_id);
  std::vector<AlertHistoryEntry> out;
  while (true) {
    YQ_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    out.push_back({st.Int(0), st.Int(1), st.Text(2), static_cast<int>(st.Int(3)), st.Text(4), st.Text(5)});
  }
  return out;
}

Result<int64_t> SqliteAlertStore::Version() {
  YQ_ASSIGN_OR_RETURN(Statement st, db_.Prepare("SELECT COALESCE(MAX(version), 0) FROM alerts"));
  YQ_ASSIGN_OR_RETURN(bool row, st.Step());
  return row ? st.Int(0) : int64_t{0};
}

Result<store::AlertStore::Totals> SqliteAlertStore::CountAll() {
  YQ_ASSIGN_OR_RETURN(Statement st, db_.Prepare("SELECT count(*), coalesce(min(created_at), 0), "
                                                "coalesce(min(CASE WHEN acked_at > 0 THEN acked_at END), 0) FROM alerts"));
  YQ_ASSIGN_OR_RETURN(bool row, st.Step());
  Totals t;
  if (row) t = {st.Int(0), st.Int(1), st.Int(2)};
  return t;
}

Result<int64_t> SqliteAlertStore::CountRaised(TimeMs from, TimeMs to, const std::vector<int64_t>& scheme_ids) {
  std::string sql = "SELECT COUNT(*) FROM alerts WHERE created_at >= ?1 AND created_at < ?2";
  if (!scheme_ids.empty()) {
    // Ids are integers from the store, never user text.
    sql += " AND scheme_id IN (";
    for (size_t i = 0; i < scheme_ids.size(); ++i) sql += (i ? "," : "") + std::to_string(scheme_ids[i]);
    sql += ")";
  }
  YQ_ASSIGN_OR_RETURN(Statement st, db_.Prepare(sql));
  st.Bind(1, from).Bind(2, to);
  YQ_ASSIGN_OR_RETURN(bool row, st.Step());
  return row ? st.Int(0) : int64_t{0};
}

}  // namespace yuqing::store::sqlite
