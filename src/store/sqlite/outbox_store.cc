// Delivery on SQLite.
#include <nlohmann/json.hpp>

#include <algorithm>

#include "store/outbox_rows.h"
#include "store/outbox_store.h"
#include "store/sqlite/stores.h"

namespace yuqing::store::sqlite {
namespace {

using nlohmann::json;
using outbox_rows::kOutboxColumns;
using outbox_rows::ReadEntry;

Status Migrate(Connection& db, int v) {
  if (v == 1) {
    return db.Exec(R"sql(
      CREATE TABLE departments (
        name TEXT PRIMARY KEY,
        description TEXT NOT NULL DEFAULT '',
        regions TEXT NOT NULL DEFAULT '[]',
        created_at INTEGER NOT NULL
      );
      CREATE TABLE contacts (
        id INTEGER PRIMARY KEY,
        department TEXT NOT NULL REFERENCES departments(name),
        name TEXT NOT NULL DEFAULT '',
        channel TEXT NOT NULL,
        target TEXT NOT NULL,
        secret TEXT NOT NULL DEFAULT '',
        escalation_order INTEGER NOT NULL DEFAULT 0,
        min_severity INTEGER NOT NULL DEFAULT 1,
        enabled INTEGER NOT NULL DEFAULT 1,
        created_at INTEGER NOT NULL
      );
      CREATE TABLE outbox (
        id INTEGER PRIMARY KEY,
        idem_key TEXT NOT NULL UNIQUE,
        alert_id INTEGER NOT NULL,
        notice TEXT NOT NULL,
        contact_id INTEGER NOT NULL,
        department TEXT NOT NULL DEFAULT '',
        channel TEXT NOT NULL,
        target TEXT NOT NULL,
        secret TEXT NOT NULL DEFAULT '',
        payload TEXT NOT NULL,
        status TEXT NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        next_attempt_at INTEGER NOT NULL DEFAULT 0,
        lease_until INTEGER NOT NULL DEFAULT 0,
        last_error TEXT NOT NULL DEFAULT '',
        created_at INTEGER NOT NULL,
        delivered_at INTEGER NOT NULL DEFAULT 0
      );
      CREATE INDEX outbox_due ON outbox(status, next_attempt_at);
      CREATE INDEX outbox_alert ON outbox(alert_id);
      CREATE TABLE delivery_log (
        id INTEGER PRIMARY KEY,
        outbox_id INTEGER NOT NULL,
        alert_id INTEGER NOT NULL,
        at INTEGER NOT NULL,
        attempt INTEGER NOT NULL,
        ok INTEGER NOT NULL,
        status_code INTEGER NOT NULL DEFAULT 0,
        error TEXT NOT NULL DEFAULT '',
        duration_ms INTEGER NOT NULL DEFAULT 0
      );
      CREATE INDEX delivery_log_alert ON delivery_log(alert_id, id);
      CREATE INDEX delivery_log_outbox ON delivery_log(outbox_id, id);
      CREATE TABLE notify_settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    )sql");
  }
  if (v == 2) return db.Exec("CREATE INDEX outbox_contact ON outbox(contact_id, status)");
  return Status::Ok();
}

Status LogAttempt(Connection& db, const DeliveryAttempt& a) {
  Status err;
  Statement* st = db.Cached(
      "INSERT INTO delivery_log(outbox_id, alert_id, at, attempt, ok, status_code, error, duration_ms) "
      "VALUES (?,?,?,?,?,?,?,?)",
      &err);
  if (!st) return err;
  st->Bind(1, a.outbox_id).Bind(2, a.alert_id).Bind(3, a.at).Bind(4, a.attempt).Bind(5, a.ok ? 1 : 0);
  st->Bind(6, a.status_code).Bind(7, a.error.substr(0, outbox_rows::kMaxErrorBytes)).Bind(8, a.duration_ms);
  return st->Run();
}

class SqliteOutboxStore final : public store::OutboxStore {
 public:
  explicit SqliteOutboxStore(Connection& db) : db_(db) {}
  Status AddDepartment(const Department& d) override;
  Result<std::vector<Department>> ListDepartments() override;
  Result<std::optional<Department>> GetDepartment(const std::string& name) override;
  Result<std::optional<Department>> FindDepartment(const std::string& ref) override;
  Status UpdateDepartment(const Department& d) override;
  Status RemoveDepartment(const std::string& name) override;
  Result<int64_t> AddContact(const Contact& c) override;
  Status RemoveContact(int64_t id) override;
  Result<std::optional<Contact>> GetContact(int64_t id) override;
  Status UpdateContact(const Contact& c) override;
  Result<std::vector<Contact>> ListContacts(const std::string& department) override;
  Result<std::pair<int64_t, bool>> Enqueue(const OutboxEntry& e) override;
  Result<bool> HasKey(const std::string& idem_key) override;
  Result<std::optional<OutboxEntry>> Claim(TimeMs now, TimeMs lease) override;
  Result<TimeMs> LastPushTo(int64_t contact_id) override;
  Status Defer(const OutboxEntry& e, TimeMs until) override;
  Result<std::vector<OutboxEntry>> ClaimPendingOf(int64_t contact_id, int64_t except_id, TimeMs now, TimeMs lease,
                                                  size_t limit) override;
  Status MarkDelivered(const OutboxEntry& e, const DeliveryAttempt& a) override;
  Status MarkFailed(const OutboxEntry& e, const DeliveryAttempt& a, TimeMs next_attempt_at) override;
  Result<std::optional<OutboxEntry>> Get(int64_t id) override;
  Result<std::vector<OutboxEntry>> List(const std::string& status, int64_t alert_id, size_t limit) override;
  Result<std::vector<DeliveryAttempt>> Log(int64_t alert_id, int64_t outbox_id, size_t limit) override;
  Result<TimeMs> NextDue() override;
  Result<Counts> CountByStatus() override;
  Status SetSetting(const std::string& key, const std::string& value) override;
  Result<std::string> GetSetting(const std::string& key) override;

 private:
  Status CheckDuplicate(const Contact& c);
  Connection& db_;
};

}  // namespace

Result<std::unique_ptr<store::OutboxStore>> OpenOutboxStore(Connection& db) {
  YQ_RETURN_IF_ERROR(db.EnsureSchema("notify", 2, Migrate));
  return std::unique_ptr<store::OutboxStore>(new SqliteOutboxStore(db));
}

Status SqliteOutboxStore::AddDepartment(const Department& d) {
  if (d.name.empty() || d.name.size() > 200) return Status::Invalid("a department needs a name (<= 200 bytes)");
  YQ_ASSIGN_OR_RETURN(auto existing, GetDepartment(d.name));
  if (existing) return Status::Conflict("department '" + d.name + "' exists");
  YQ_ASSIGN_OR_RETURN(Statement st, db_.Prepare("INSERT INTO departments(name, description, regions, created_at) "
                                                "VALUES (?,?,?,?)"));
  st.Bind(1, d.name).Bind(2, d.description).Bind(3, json(d.regions).dump()).Bind(4, d.created_at);
  return st.Run();
}

Result<std::vector<Department>> SqliteOutboxStore::ListDepartments() {
  YQ_ASSIGN_OR_RETURN(Statement st, db_.Prepare("SELECT name, description, regions, created_at, rowid FROM departments "
                                                "ORDER BY name"));
  std::vector<Department> out;
  while (true) {
    YQ_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    out.push_back(outbox_rows::ReadDepartment(st));
  }
  return out;
}

Result<std::optional<Department>> SqliteOutboxStore::GetDepartment(const std::string& name) {
  YQ_ASSIGN_OR_RETURN(Statement st, db_.Prepare("SELECT name, description, regions, created_at, rowid FROM departments "
                                                "WHERE name = ?"));
  st.Bind(1, name);
  YQ_ASSIGN_OR_RETURN(bool row, st.Step());
  if (!row) return std::optional<Department>();
  return std::optional<Department>(outbox_rows::ReadDepartment(st));
}

Result<std::optional<Department>> SqliteOutboxStore::FindDepartment(const std::string& ref) {
  YQ_ASSIGN_OR_RETURN(auto d, GetDepartment(ref));
  if (d || ref.empty() || ref.size() > 18 || ref.find_first_not_of("0123456789") != std::string::npos) return d;
  YQ_ASSIGN_OR_RETURN(Statement st, db_.Prepare("SELECT name, description, regions, created_at, rowid FROM departments "
                                                "WHERE rowid = ?"));
  st.Bind(1, static_cast<int64_t>(std::stoll(ref)));
  YQ_ASSIGN_OR_RETURN(bool row, st.Step());
  if (!row) return std::optional<Department>();
  return std::optional<Department>(outbox_rows::ReadDepartment(st));
}

Status SqliteOutboxStore::UpdateDepartment(const Department& d) {
  YQ_ASSIGN_OR_RETURN(Statement st, db_.Prepare("UPDATE departments SET description = ?, regions = ? WHERE name = ?"));
  st.Bind(1, d.description).Bind(2, json(d.regions).dump()).Bind(3, d.name);
  YQ_RETURN_IF_ERROR(st.Run());
  if (db_.Changes() == 0) return Status::NotFound("no department '" + d.name + "'");
  return Status::Ok();
}

Status SqliteOutboxStore::RemoveDepartment(const std::string& name) {
  YQ_ASSIGN_OR_RETURN(auto d, GetDepartment(name));
  if (!d) return Status::NotFound("no department '" + name + "'");
  YQ_ASSIGN_OR_RETURN(auto contacts, ListContacts(name));
  if (!contacts.empty())
    return Status::Conflict("department '" + name + "' still has " + std::to_string(contacts.size()) +
                            " contact(s): remove them first");
  YQ_ASSIGN_OR_RETURN(Statement st, db_.Prepare("DELETE FROM departments WHERE name = ?"));
  st.Bind(1, name);
  return st.Run();
}

Status SqliteOutboxStore::CheckDuplicate(const Contact& c) {
  YQ_ASSIGN_OR_RETURN(auto same, ListContacts(c.department));
  for (const auto& o : same)
    if (o.id != c.id && o.channel == c.channel && o.target == c.target)
      return Status::Conflict("department '" + c.department + "' has this " + c.channel + " target already (contact " +
                              std::to_string(o.id) + ")");
  return Status::Ok();
}

Result<int64_t> SqliteOutboxStore::AddContact(const Contact& c) {
  YQ_ASSIGN_OR_RETURN(auto d, GetDepartment(c.department));
  if (!d) return Status::Invalid("no department '" + c.department + "' (add it first: yuqing departments add)");
  YQ_RETURN_IF_ERROR(CheckDuplicate(c));
  YQ_ASSIGN_OR_RETURN(Statement st, db_.Prepare(
      "INSERT INTO contacts(department, name, channel, target, secret, escalation_order, min_severity, enabled, "
      "created_at) VALUES (?,?,?,?,?,?,?,?,?)"));
  st.Bind(1, c.department).Bind(2, c.name).Bind(3, c.channel).Bind(4, c.target).Bind(5, c.secret);
  st.Bind(6, c.escalation_order).Bind(7, c.min_severity).Bind(8, c.enabled ? 1 : 0).Bind(9, c.created_at);
  YQ_RETURN_IF_ERROR(st.Run());
  return db_.LastInsertRowid();
}

Status SqliteOutboxStore::RemoveContact(int64_t id) {
  YQ_ASSIGN_OR_RETURN(Statement st, db_.Prepare("DELETE FROM contacts WHERE id = ?"));
  st.Bind(1, id);
  YQ_RETURN_IF_ERROR(st.Run());
  if (db_.Changes() == 0) return Status::NotFound("no contact " + std::to_string(id));
  return Status::Ok();
}

Result<std::optional<Contact>> SqliteOutboxStore::GetContact(int64_t id) {
  YQ_ASSIGN_OR_RETURN(auto all, ListContacts(""));
  for (auto& c : all)
    if (c.id == id) return std::optional<Contact>(std::move(c));
  return std::optional<Contact>();
}

Status SqliteOutboxStore::UpdateContact(const Contact& c) {
  YQ_ASSIGN_OR_RETURN(auto d, GetDepartment(c.department));
  YQ_ASSIGN_OR_RETURN(auto existing, GetContact(c.id));
  if (!existing) return Status::NotFound("no contact " + std::to_string(c.id));
  if (!d) return Status::Invalid("department: no department '" + c.department + "'");
  YQ_RETURN_IF_ERROR(CheckDuplicate(c));
  YQ_ASSIGN_OR_RETURN(Statement st, db_.Prepare(
      "UPDATE contacts SET department = ?, name = ?, channel = ?, target = ?, secret = ?, escalation_order = ?, "
      "min_severity = ?, enabled = ? WHERE id = ?"));
  st.Bind(1, c.department).Bind(2, c.name).Bind(3, c.channel).Bind(4, c.target).Bind(5, c.secret);
  st.Bind(6, c.escalation_order).Bind(7, c.min_severity).Bind(8, c.enabled ? 1 : 0).Bind(9, c.id);
  YQ_RETURN_IF_ERROR(st.Run());
  if (db_.Changes() == 0) return Status::NotFound("no contact " + std::to_string(c.id));
  return Status::Ok();
}

Result<std::vector<Contact>> SqliteOutboxStore::ListContacts(const std::string& department) {
  Status err;
  Statement* st = db_.Cached(
      std::string("SELECT ") + outbox_rows::kContactColumns +
          " FROM contacts WHERE (?1 = '' OR department = ?1) ORDER BY department, escalation_order, id",
      &err);
  if (!st) return err;
  st->Bind(1, department);
  std::vector<Contact> out;
  while (true) {
    YQ_ASSIGN_OR_RETURN(bool row, st->Step());
    if (!row) break;
    out.push_back(outbox_rows::ReadContact(*st));
  }
  st->Reset();
  return out;
}

Result<std::pair<int64_t, bool>> SqliteOutboxStore::Enqueue(const OutboxEntry& e) {
  Status err;
  Statement* st = db_.Cached(
      "INSERT INTO outbox(idem_key, alert_id, notice, contact_id, department, channel, target, secret, payload, "
      "status, attempts, next_attempt_at, created_at) VALUES (?,?,?,?,?,?,?,?,?,?,0,?,?) "
      "ON CONFLICT(idem_key) DO NOTHING",
      &err);
  if (!st) return err;
  st->Bind(1, e.idem_key).Bind(2, e.alert_id).Bind(3, e.notice).Bind(4, e.contact_id).Bind(5, e.department);
  st->Bind(6, e.channel).Bind(7, e.target).Bind(8, e.secret).Bind(9, e.payload).Bind(10, e.status);
  st->Bind(11, e.next_attempt_at).Bind(12, e.created_at);
  YQ_RETURN_IF_ERROR(st->Run());
  if (db_.Changes() > 0) return std::make_pair(db_.LastInsertRowid(), true);
  Statement* q = db_.Cached("SELECT id FROM outbox WHERE idem_key = ?", &err);
  if (!q) return err;
  q->Bind(1, e.idem_key);
  YQ_ASSIGN_OR_RETURN(bool row, q->Step());
  int64_t id = row ? q->Int(0) : 0;
  q->Reset();
  return std::make_pair(id, false);
}

Result<bool> SqliteOutboxStore::HasKey(const std::string& idem_key) {
  Status err;
  Statement* st = db_.Cached("SELECT 1 FROM outbox WHERE idem_key = ?1", &err);
  if (!st) return err;
  st->Bind(1, idem_key);
  YQ_ASSIGN_OR_RETURN(bool found, st->Step());
  st->Reset();
  return found;
}

Result<std::optional<OutboxEntry>> SqliteOutboxStore::Claim(TimeMs now, TimeMs lease) {
  Status err;
  // A chat robot's contact is served by one claimer at a time, so that the one holding it can
  // gather the contact's other entries into a digest.
  static const std::string sql =
      std::string("UPDATE outbox SET status = 'sending', lease_until = ?1, attempts = attempts + 1 "
                  "WHERE id = (SELECT id FROM outbox AS o WHERE ((status = 'pending' AND next_attempt_at <= ?2) "
                  "OR (status = 'sending' AND lease_until <= ?2)) AND NOT (channel IN ") +
      outbox_rows::kDigestChannels +
      " AND EXISTS (SELECT 1 FROM outbox AS b WHERE b.contact_id = o.contact_id AND b.status = 'sending' "
      "AND b.lease_until > ?2 AND b.id != o.id)) ORDER BY next_attempt_at, id LIMIT 1) RETURNING " +
      kOutboxColumns;
  Statement* st = db_.Cached(sql, &err);
  if (!st) return err;
  st->Bind(1, now + lease).Bind(2, now);
  YQ_ASSIGN_OR_RETURN(bool row, st->Step());
  std::optional<OutboxEntry> out;
  if (row) out = ReadEntry(*st);
  // Finish the statement so the write completes before we return.
  while (row) {
    YQ_ASSIGN_OR_RETURN(row, st->Step());
  }
  st->Reset();
  return out;
}

Result<TimeMs> SqliteOutboxStore::LastPushTo(int64_t contact_id) {
  Status err;
  Statement* st = db_.Cached(
      "SELECT coalesce(max(delivered_at), 0) FROM outbox WHERE contact_id = ? AND status = 'delivered' "
      "AND notice != 'test'",
      &err);
  if (!st) return err;
  st->Bind(1, contact_id);
  YQ_ASSIGN_OR_RETURN(bool row, st->Step());
  TimeMs last = row ? st->Int(0) : 0;
  st->Reset();
  return last;
}

Status SqliteOutboxStore::Defer(const OutboxEntry& e, TimeMs until) {
  Status err;
  Statement* st = db_.Cached(
      "UPDATE outbox SET status = 'pending', attempts = attempts - 1, lease_until = 0, next_attempt_at = ? "
      "WHERE id = ? AND status = 'sending' AND attempts = ?",
      &err);
  if (!st) return err;
  st->Bind(1, until).Bind(2, e.id).Bind(3, e.attempts);
  return st->Run();
}

Result<std::vector<OutboxEntry>> SqliteOutboxStore::ClaimPendingOf(int64_t contact_id, int64_t except_id, TimeMs now,
                                                             TimeMs lease, size_t limit) {
  Status err;
  Statement* st = db_.Cached(
      std::string("UPDATE outbox SET status = 'sending', lease_until = ?1, attempts = attempts + 1 "
                  "WHERE id IN (SELECT id FROM outbox WHERE contact_id = ?2 AND id != ?3 AND notice != 'test' AND "
                  "(status = 'pending' OR (status = 'sending' AND lease_until <= ?4)) ORDER BY id LIMIT ?5) "
                  "RETURNING ") + kOutboxColumns,
      &err);
  if (!st) return err;
  st->Bind(1, now + lease).Bind(2, contact_id).Bind(3, except_id).Bind(4, now).Bind(5, static_cast<int64_t>(limit));
  std::vector<OutboxEntry> out;
  while (true) {
    YQ_ASSIGN_OR_RETURN(bool row, st->Step());
    if (!row) break;
    out.push_back(ReadEntry(*st));
  }
  st->Reset();
  std::sort(out.begin(), out.end(), [](const OutboxEntry& a, const OutboxEntry& b) { return a.id < b.id; });
  return out;
}

Status SqliteOutboxStore::MarkDelivered(const OutboxEntry& e, const DeliveryAttempt& a) {
  Transaction tx(db_);
  YQ_RETURN_IF_ERROR(tx.status());
  Status err;
  Statement* st = db_.Cached(
      "UPDATE outbox SET status = 'delivered', delivered_at = ?, last_error = '', lease_until = 0 "
      "WHERE id = ? AND status = 'sending' AND attempts = ?",
      &err);
  if (!st) return err;
  st->Bind(1, a.at).Bind(2, e.id).Bind(3, e.attempts);
  YQ_RETURN_IF_ERROR(st->Run());
  YQ_RETURN_IF_ERROR(LogAttempt(db_, a));
  return tx.Commit();
}

Status SqliteOutboxStore::MarkFailed(const OutboxEntry& e, const DeliveryAttempt& a, TimeMs next_attempt_at) {
  Transaction tx(db_);
  YQ_RETURN_IF_ERROR(tx.status());
  Status err;
  Statement* st = db_.Cached(
      "UPDATE outbox SET status = 'pending', next_attempt_at = ?, last_error = ?, lease_until = 0 "
      "WHERE id = ? AND status = 'sending' AND attempts = ?",
      &err);
  if (!st) return err;
  st->Bind(1, next_attempt_at).Bind(2, a.error.substr(0, outbox_rows::kMaxErrorBytes)).Bind(3, e.id).Bind(4, e.attempts);
  YQ_RETURN_IF_ERROR(st->Run());
  YQ_RETURN_IF_ERROR(LogAttempt(db_, a));
  return tx.Commit();
}

Result<std::optional<OutboxEntry>> SqliteOutboxStore::Get(int64_t id) {
  YQ_ASSIGN_OR_RETURN(Statement st, db_.Prepare(std::string("SELECT ") + kOutboxColumns + " FROM outbox WHERE id = ?"));
  st.Bind(1, id);
  YQ_ASSIGN_OR_RETURN(bool row, st.Step());
  if (!row) return std::optional<OutboxEntry>();
  return std::optional<OutboxEntry>(ReadEntry(st));
}

Result<std::vector<OutboxEntry>> SqliteOutboxStore::List(const std::string& status, int64_t alert_id, size_t limit) {
  YQ_ASSIGN_OR_RETURN(Statement st,
                      db_.Prepare(std::string("SELECT ") + kOutboxColumns +
                                  " FROM outbox WHERE (?1 = '' OR status = ?1) AND (?2 = 0 OR alert_id = ?2) "
                                  "ORDER BY id DESC LIMIT ?3"));
  st.Bind(1, status).Bind(2, alert_id).Bind(3, static_cast<int64_t>(limit ? limit : 100));
  std::vector<OutboxEntry> out;
  while (true) {
    YQ_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    out.push_back(ReadEntry(st));
  }
  return out;
}

Result<std::vector<DeliveryAttempt>> SqliteOutboxStore::Log(int64_t alert_id, int64_t outbox_id, size_t limit) {
  YQ_ASSIGN_OR_RETURN(Statement st, db_.Prepare(
      "SELECT outbox_id, alert_id, at, attempt, ok, status_code, error, duration_ms FROM delivery_log "
      "WHERE (?1 = 0 OR alert_id = ?1) AND (?2 = 0 OR outbox_id = ?2) ORDER BY id LIMIT ?3"));
  st.Bind(1, alert_id).Bind(2, outbox_id).Bind(3, static_cast<int64_t>(limit ? limit : 1000));
  std::vector<DeliveryAttempt> out;
  while (true) {
    YQ_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    out.push_back({st.Int(0), st.Int(1), st.Int(2), static_cast<int>(st.Int(3)), st.Int(4) != 0,
                   static_cast<int>(st.Int(5)), st.Text(6), st.Int(7)});
  }
  return out;
}

Result<TimeMs> SqliteOutboxStore::NextDue() {
  Status err;
  Statement* st = db_.Cached(
      "SELECT MIN(t) FROM (SELECT MIN(next_attempt_at) AS t FROM outbox WHERE status = 'pending' "
      "UNION ALL SELECT MIN(lease_until) FROM outbox WHERE status = 'sending')",
      &err);
  if (!st) return err;
  YQ_ASSIGN_OR_RETURN(bool row, st->Step());
  TimeMs t = row && !st->IsNull(0) ? st->Int(0) : 0;
  st->Reset();
  return t;
}

Result<store::OutboxStore::Counts> SqliteOutboxStore::CountByStatus() {
  YQ_ASSIGN_OR_RETURN(Statement st, db_.Prepare("SELECT status, COUNT(*) FROM outbox GROUP BY status"));
  Counts c;
  while (true) {
    YQ_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    std::string s = st.Text(0);
    int64_t n = st.Int(1);
    if (s == "pending") c.pending = n;
    else if (s == "sending") c.sending = n;
    else if (s == "delivered") c.delivered = n;
    else if (s == "unrouted") c.unrouted = n;
  }
  return c;
}

Status SqliteOutboxStore::SetSetting(const std::string& key, const std::string& value) {
  YQ_ASSIGN_OR_RETURN(Statement st, db_.Prepare("INSERT INTO notify_settings(key, value) VALUES (?, ?) "
                                                "ON CONFLICT(key) DO UPDATE SET value = excluded.value"));
  st.Bind(1, key).Bind(2, value);
  return st.Run();
}

Result<std::string> SqliteOutboxStore::GetSetting(const std::string& key) {
  YQ_ASSIGN_OR_RETURN(Statement st, db_.Prepare("SELECT value FROM notify_settings WHERE key = ?"));
  st.Bind(1, key);
  YQ_ASSIGN_OR_RETURN(bool row, st.Step());
  return row ? st.Text(0) : std::string();
}

}  // namespace yuqing::store::sqlite
