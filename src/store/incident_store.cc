#include "store/incident_store.h"

#include <algorithm>

namespace yuqing::store {
namespace {

constexpr int kSchemaVersion = 3;

Status Migrate(sqlite::Connection& db, int to) {
  if (to == 1) {
    return db.Exec(R"sql(
CREATE TABLE incidents (
  id INTEGER PRIMARY KEY,
  title TEXT NOT NULL, type TEXT NOT NULL, level TEXT NOT NULL, state TEXT NOT NULL,
  alert_id TEXT NOT NULL DEFAULT '', plan_id TEXT NOT NULL DEFAULT '',
  detected_at INTEGER NOT NULL, opened_at INTEGER NOT NULL, opened_by TEXT NOT NULL DEFAULT '',
  acknowledged_at INTEGER NOT NULL DEFAULT 0, responding_at INTEGER NOT NULL DEFAULT 0,
  monitoring_at INTEGER NOT NULL DEFAULT 0, closed_at INTEGER NOT NULL DEFAULT 0,
  reviewed_at INTEGER NOT NULL DEFAULT 0, no_response_reason TEXT NOT NULL DEFAULT '',
  updated_at INTEGER NOT NULL);
CREATE INDEX incidents_state ON incidents(state, detected_at);
CREATE TABLE incident_links (
  incident_id INTEGER NOT NULL REFERENCES incidents(id), kind TEXT NOT NULL, ref TEXT NOT NULL,
  linked_at INTEGER NOT NULL, PRIMARY KEY (incident_id, kind, ref));
CREATE TABLE incident_roles (
  incident_id INTEGER NOT NULL REFERENCES incidents(id), role TEXT NOT NULL, person TEXT NOT NULL,
  assigned_at INTEGER NOT NULL, assigned_by TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (incident_id, role, person));
CREATE TABLE incident_tasks (
  id INTEGER PRIMARY KEY, incident_id INTEGER NOT NULL REFERENCES incidents(id),
  plan_id TEXT NOT NULL, task_key TEXT NOT NULL, title TEXT NOT NULL, title_en TEXT NOT NULL,
  role TEXT NOT NULL, owner TEXT NOT NULL DEFAULT '', kind TEXT NOT NULL DEFAULT '',
  due_at INTEGER NOT NULL, repeat_every INTEGER NOT NULL DEFAULT 0, status TEXT NOT NULL,
  created_at INTEGER NOT NULL, done_at INTEGER NOT NULL DEFAULT 0, done_by TEXT NOT NULL DEFAULT '',
  note TEXT NOT NULL DEFAULT '', overdue_stage INTEGER NOT NULL DEFAULT 0);
CREATE INDEX incident_tasks_incident ON incident_tasks(incident_id, due_at);
CREATE INDEX incident_tasks_open ON incident_tasks(status, due_at);
CREATE TABLE incident_statements (
  id INTEGER PRIMARY KEY, incident_id INTEGER NOT NULL REFERENCES incidents(id),
  version INTEGER NOT NULL, previous_id INTEGER NOT NULL DEFAULT 0, kind TEXT NOT NULL DEFAULT '',
  body TEXT NOT NULL, state TEXT NOT NULL, check_json TEXT NOT NULL DEFAULT '',
  check_ok INTEGER NOT NULL DEFAULT 0, created_at INTEGER NOT NULL, created_by TEXT NOT NULL DEFAULT '',
  approved_at INTEGER NOT NULL DEFAULT 0, approved_by TEXT NOT NULL DEFAULT '',
  published_at INTEGER NOT NULL DEFAULT 0, channel TEXT NOT NULL DEFAULT '', url TEXT NOT NULL DEFAULT '');
CREATE INDEX incident_statements_incident ON incident_statements(incident_id, version);
CREATE TABLE incident_commitments (
  id INTEGER PRIMARY KEY, incident_id INTEGER NOT NULL REFERENCES incidents(id),
  statement_id INTEGER NOT NULL, text TEXT NOT NULL, due_at INTEGER, owner TEXT NOT NULL DEFAULT '',
  status TEXT NOT NULL, created_at INTEGER NOT NULL, kept_at INTEGER NOT NULL DEFAULT 0,
  evidence TEXT NOT NULL DEFAULT '', overdue_raised INTEGER NOT NULL DEFAULT 0);
CREATE INDEX incident_commitments_incident ON incident_commitments(incident_id);
CREATE INDEX incident_commitments_open ON incident_commitments(status, due_at);
CREATE TABLE incident_communications (
  id INTEGER PRIMARY KEY, incident_id INTEGER NOT NULL REFERENCES incidents(id), at INTEGER NOT NULL,
  kind TEXT NOT NULL, channel TEXT NOT NULL DEFAULT '', counterpart TEXT NOT NULL DEFAULT '',
  content TEXT NOT NULL DEFAULT '', actor TEXT NOT NULL DEFAULT '');
CREATE INDEX incident_communications_incident ON incident_communications(incident_id, at);
CREATE TABLE incident_log (
  id INTEGER PRIMARY KEY, incident_id INTEGER NOT NULL REFERENCES incidents(id), at INTEGER NOT NULL,
  actor TEXT NOT NULL DEFAULT '', kind TEXT NOT NULL, detail_json TEXT NOT NULL DEFAULT '{}');
CREATE INDEX incident_log_incident ON incident_log(incident_id, at);
CREATE TABLE incident_plans (id TEXT PRIMARY KEY, json TEXT NOT NULL, imported_at INTEGER NOT NULL);
)sql");
  }
  if (to == 2) {
    return db.Exec(R"sql(
CREATE TABLE incident_clarifications (
  id INTEGER PRIMARY KEY, incident_id INTEGER NOT NULL REFERENCES incidents(id), claim TEXT NOT NULL,
  evidence TEXT NOT NULL DEFAULT '', statement_id INTEGER NOT NULL DEFAULT 0, query TEXT NOT NULL DEFAULT '',
  simhash INTEGER NOT NULL DEFAULT 0, created_at INTEGER NOT NULL, created_by TEXT NOT NULL DEFAULT '');
CREATE INDEX incident_clarifications_incident ON incident_clarifications(incident_id);
CREATE TABLE incident_clarification_posts (
  clarification_id INTEGER NOT NULL REFERENCES incident_clarifications(id), post_id TEXT NOT NULL,
  published_at INTEGER NOT NULL, PRIMARY KEY (clarification_id, post_id));
CREATE TABLE talking_points (
  id INTEGER PRIMARY KEY, topic TEXT NOT NULL, question TEXT NOT NULL DEFAULT '', answer TEXT NOT NULL,
  incident_id INTEGER NOT NULL DEFAULT 0, statement_id INTEGER NOT NULL DEFAULT 0, status TEXT NOT NULL,
  created_by TEXT NOT NULL DEFAULT '', created_at INTEGER NOT NULL, approved_by TEXT NOT NULL DEFAULT '',
  approved_at INTEGER NOT NULL DEFAULT 0, updated_at INTEGER NOT NULL);
CREATE INDEX talking_points_topic ON talking_points(topic, status);
CREATE TABLE incident_statement_comments (
  id INTEGER PRIMARY KEY, statement_id INTEGER NOT NULL REFERENCES incident_statements(id),
  sentence INTEGER NOT NULL DEFAULT -1, author TEXT NOT NULL DEFAULT '', text TEXT NOT NULL, at INTEGER NOT NULL,
  resolved INTEGER NOT NULL DEFAULT 0);
CREATE INDEX incident_statement_comments_statement ON incident_statement_comments(statement_id, at);
)sql");
  }
  if (to == 3) {
    // A clarification's generated query is saved as a monitoring scheme (scheme_store.h); 0: none.
    return db.Exec("ALTER TABLE incident_clarifications ADD COLUMN scheme_id INTEGER NOT NULL DEFAULT 0;");
  }
  return Status::Internal("no migration to incidents schema " + std::to_string(to));
}

sqlite::Statement* Get(sqlite::Connection& db, const std::string& sql, Status& err) {
  sqlite::Statement* s = db.Cached(sql, &err);
  if (!s && err.ok()) err = Status::Internal("cannot prepare: " + sql);
  return s;
}

#define YQ_STMT(var, sql)               \
  Status var##_err;                     \
  sqlite::Statement* var = Get(db_, sql, var##_err); \
  if (!var) return var##_err

const char* kIncidentCols =
    "id, title, type, level, state, alert_id, plan_id, detected_at, opened_at, opened_by, acknowledged_at, "
    "responding_at, monitoring_at, closed_at, reviewed_at, no_response_reason, updated_at";

IncidentRow ReadIncident(const sqlite::Statement& s) {
  IncidentRow r;
  r.id = s.Int(0);
  r.title = s.Text(1);
  r.type = s.Text(2);
  r.level = s.Text(3);
  r.state = s.Text(4);
  r.alert_id = s.Text(5);
  r.plan_id = s.Text(6);
  r.detected_at = s.Int(7);
  r.opened_at = s.Int(8);
  r.opened_by = s.Text(9);
  r.acknowledged_at = s.Int(10);
  r.responding_at = s.Int(11);
  r.monitoring_at = s.Int(12);
  r.closed_at = s.Int(13);
  r.reviewed_at = s.Int(14);
  r.no_response_reason = s.Text(15);
  r.updated_at = s.Int(16);
  return r;
}

const char* kTaskCols =
    "id, incident_id, plan_id, task_key, title, title_en, role, owner, kind, due_at, repeat_every, status, "
    "created_at, done_at, done_by, note, overdue_stage";

TaskRow ReadTask(const sqlite::Statement& s) {
  TaskRow r;
  r.id = s.Int(0);
  r.incident_id = s.Int(1);
  r.plan_id = s.Text(2);
  r.task_key = s.Text(3);
  r.title = s.Text(4);
  r.title_en = s.Text(5);
  r.role = s.Text(6);
  r.owner = s.Text(7);
  r.kind = s.Text(8);
  r.due_at = s.Int(9);
  r.repeat_every = s.Int(10);
  r.status = s.Text(11);
  r.created_at = s.Int(12);
  r.done_at = s.Int(13);
  r.done_by = s.Text(14);
  r.note = s.Text(15);
  r.overdue_stage = static_cast<int>(s.Int(16));
  return r;
}

void BindTask(sqlite::Statement& s, const TaskRow& r) {
  s.Bind(1, r.incident_id).Bind(2, r.plan_id).Bind(3, r.task_key).Bind(4, r.title).Bind(5, r.title_en);
  s.Bind(6, r.role).Bind(7, r.owner).Bind(8, r.kind).Bind(9, r.due_at).Bind(10, r.repeat_every);
  s.Bind(11, r.status).Bind(12, r.created_at).Bind(13, r.done_at).Bind(14, r.done_by).Bind(15, r.note);
  s.Bind(16, r.overdue_stage);
}

const char* kStatementCols =
    "id, incident_id, version, previous_id, kind, body, state, check_json, check_ok, created_at, created_by, "
    "approved_at, approved_by, published_at, channel, url";

StatementRow ReadStatement(const sqlite::Statement& s) {
  StatementRow r;
  r.id = s.Int(0);
  r.incident_id = s.Int(1);
  r.version = static_cast<int>(s.Int(2));
  r.previous_id = s.Int(3);
  r.kind = s.Text(4);
  r.body = s.Text(5);
  r.state = s.Text(6);
  r.check_json = s.Text(7);
  r.check_ok = s.Int(8) != 0;
  r.created_at = s.Int(9);
  r.created_by = s.Text(10);
  r.approved_at = s.Int(11);
  r.approved_by = s.Text(12);
  r.published_at = s.Int(13);
  r.channel = s.Text(14);
  r.url = s.Text(15);
  return r;
}

void BindStatement(sqlite::Statement& s, const StatementRow& r) {
  s.Bind(1, r.incident_id).Bind(2, r.version).Bind(3, r.previous_id).Bind(4, r.kind).Bind(5, r.body);
  s.Bind(6, r.state).Bind(7, r.check_json).Bind(8, r.check_ok ? 1 : 0).Bind(9, r.created_at).Bind(10, r.created_by);
  s.Bind(11, r.approved_at).Bind(12, r.approved_by).Bind(13, r.published_at).Bind(14, r.channel).Bind(15, r.url);
}

const char* kCommitmentCols =
    "id, incident_id, statement_id, text, due_at, owner, status, created_at, kept_at, evidence, overdue_raised";

CommitmentRow ReadCommitment(const sqlite::Statement& s) {
  CommitmentRow r;
  r.id = s.Int(0);
  r.incident_id = s.Int(1);
  r.statement_id = s.Int(2);
  r.text = s.Text(3);
  if (!s.IsNull(4)) r.due_at = s.Int(4);
  r.owner = s.Text(5);
  r.status = s.Text(6);
  r.created_at = s.Int(7);
  r.kept_at = s.Int(8);
  r.evidence = s.Text(9);
  r.overdue_raised = s.Int(10) != 0;
  return r;
}

void BindCommitment(sqlite::Statement& s, const CommitmentRow& r) {
  s.Bind(1, r.incident_id).Bind(2, r.statement_id).Bind(3, r.text);
  if (r.due_at) s.Bind(4, *r.due_at);
  else s.BindNull(4);
  s.Bind(5, r.owner).Bind(6, r.status).Bind(7, r.created_at).Bind(8, r.kept_at).Bind(9, r.evidence);
  s.Bind(10, r.overdue_raised ? 1 : 0);
}

template <typename Row, typename Reader>
Result<std::vector<Row>> Collect(sqlite::Statement& s, Reader read) {
  std::vector<Row> out;
  while (true) {
    YQ_ASSIGN_OR_RETURN(bool row, s.Step());
    if (!row) break;
    out.push_back(read(s));
  }
  return out;
}

}  // namespace

Status IncidentStore::Init() { return db_.EnsureSchema("incidents", kSchemaVersion, Migrate); }

Result<int64_t> IncidentStore::InsertIncident(const IncidentRow& r) {
  YQ_STMT(s, "INSERT INTO incidents(title, type, level, state, alert_id, plan_id, detected_at, opened_at, opened_by, "
             "acknowledged_at, responding_at, monitoring_at, closed_at, reviewed_at, no_response_reason, updated_at) "
             "VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
  s->Bind(1, r.title).Bind(2, r.type).Bind(3, r.level).Bind(4, r.state).Bind(5, r.alert_id).Bind(6, r.plan_id);
  s->Bind(7, r.detected_at).Bind(8, r.opened_at).Bind(9, r.opened_by).Bind(10, r.acknowledged_at);
  s->Bind(11, r.responding_at).Bind(12, r.monitoring_at).Bind(13, r.closed_at).Bind(14, r.reviewed_at);
  s->Bind(15, r.no_response_reason).Bind(16, r.updated_at);
  YQ_RETURN_IF_ERROR(s->Run());
  return db_.LastInsertRowid();
}

Result<IncidentRow> IncidentStore::GetIncident(int64_t id) {
  YQ_STMT(s, std::string("SELECT ") + kIncidentCols + " FROM incidents WHERE id = ?");
  s->Bind(1, id);
  YQ_ASSIGN_OR_RETURN(bool row, s->Step());
  if (!row) return Status::NotFound("no incident " + std::to_string(id));
  IncidentRow r = ReadIncident(*s);
  s->Reset();
  return r;
}

Status IncidentStore::UpdateIncident(const IncidentRow& r) {
  YQ_STMT(s, "UPDATE incidents SET title=?, type=?, level=?, state=?, alert_id=?, plan_id=?, detected_at=?, "
             "opened_at=?, opened_by=?, acknowledged_at=?, responding_at=?, monitoring_at=?, closed_at=?, "
             "reviewed_at=?, no_response_reason=?, updated_at=? WHERE id=?");
  s->Bind(1, r.title).Bind(2, r.type).Bind(3, r.level).Bind(4, r.state).Bind(5, r.alert_id).Bind(6, r.plan_id);
  s->Bind(7, r.detected_at).Bind(8, r.opened_at).Bind(9, r.opened_by).Bind(10, r.acknowledged_at);
  s->Bind(11, r.responding_at).Bind(12, r.monitoring_at).Bind(13, r.closed_at).Bind(14, r.reviewed_at);
  s->Bind(15, r.no_response_reason).Bind(16, r.updated_at).Bind(17, r.id);
  YQ_RETURN_IF_ERROR(s->Run());
  if (db_.Changes() == 0) return Status::NotFound("no incident " + std::to_string(r.id));
  return Status::Ok();
}

Result<std::vector<IncidentRow>> IncidentStore::ListIncidents(const IncidentFilter& f) {
  YQ_STMT(s, std::string("SELECT ") + kIncidentCols +
                 " FROM incidents WHERE (?1 = '' OR state = ?1) ORDER BY detected_at DESC, id DESC LIMIT ?2");
  s->Bind(1, f.state).Bind(2, f.limit);
  return Collect<IncidentRow>(*s, ReadIncident);
}

Result<int64_t> IncidentStore::CountIncidents() {
  YQ_STMT(s, "SELECT COUNT(*) FROM incidents");
  YQ_ASSIGN_OR_RETURN(bool row, s->Step());
  int64_t n = row ? s->Int(0) : 0;
  s->Reset();
  return n;
}

Status IncidentStore::AddLink(const IncidentLinkRow& r) {
  YQ_STMT(s, "INSERT OR IGNORE INTO incident_links(incident_id, kind, ref, linked_at) VALUES(?,?,?,?)");
  s->Bind(1, r.incident_id).Bind(2, r.kind).Bind(3, r.ref).Bind(4, r.linked_at);
  return s->Run();
}

Result<std::vector<IncidentLinkRow>> IncidentStore::Links(int64_t incident_id) {
  YQ_STMT(s, "SELECT incident_id, kind, ref, linked_at FROM incident_links WHERE incident_id = ? ORDER BY linked_at, kind, ref");
  s->Bind(1, incident_id);
  return Collect<IncidentLinkRow>(*s, [](const sqlite::Statement& q) {
    return IncidentLinkRow{q.Int(0), q.Text(1), q.Text(2), q.Int(3)};
  });
}

Status IncidentStore::PutRole(const RoleRow& r) {
  YQ_STMT(s, "INSERT OR IGNORE INTO incident_roles(incident_id, role, person, assigned_at, assigned_by) VALUES(?,?,?,?,?)");
  s->Bind(1, r.incident_id).Bind(2, r.role).Bind(3, r.person).Bind(4, r.assigned_at).Bind(5, r.assigned_by);
  return s->Run();
}

Status IncidentStore::RemoveRole(int64_t incident_id, const std::string& role, const std::string& person) {
  YQ_STMT(s, "DELETE FROM incident_roles WHERE incident_id = ? AND role = ? AND person = ?");
  s->Bind(1, incident_id).Bind(2, role).Bind(3, person);
  YQ_RETURN_IF_ERROR(s->Run());
  if (db_.Changes() == 0) return Status::NotFound(person + " is not " + role + " of incident " + std::to_string(incident_id));
  return Status::Ok();
}

Result<std::vector<RoleRow>> IncidentStore::Roles(int64_t incident_id) {
  YQ_STMT(s, "SELECT incident_id, role, person, assigned_at, assigned_by FROM incident_roles WHERE incident_id = ? "
             "ORDER BY assigned_at, role, person");
  s->Bind(1, incident_id);
  return Collect<RoleRow>(*s, [](const sqlite::Statement& q) {
    return RoleRow{q.Int(0), q.Text(1), q.Text(2), q.Int(3), q.Text(4)};
  });
}

Result<int64_t> IncidentStore::InsertTask(const TaskRow& r) {
  YQ_STMT(s, "INSERT INTO incident_tasks(incident_id, plan_id, task_key, title, title_en, role, owner, kind, due_at, "
             "repeat_every, status, created_at, done_at, done_by, note, overdue_stage) "
             "VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
  BindTask(*s, r);
  YQ_RETURN_IF_ERROR(s->Run());
  return db_.LastInsertRowid();
}

Result<TaskRow> IncidentStore::GetTask(int64_t id) {
  YQ_STMT(s, std::string("SELECT ") + kTaskCols + " FROM incident_tasks WHERE id = ?");
  s->Bind(1, id);
  YQ_ASSIGN_OR_RETURN(bool row, s->Step());
  if (!row) return Status::NotFound("no task " + std::to_string(id));
  TaskRow r = ReadTask(*s);
  s->Reset();
  return r;
}

Status IncidentStore::UpdateTask(const TaskRow& r) {
  YQ_STMT(s, "UPDATE incident_tasks SET incident_id=?, plan_id=?, task_key=?, title=?, title_en=?, role=?, owner=?, "
             "kind=?, due_at=?, repeat_every=?, status=?, created_at=?, done_at=?, done_by=?, note=?, overdue_stage=? "
             "WHERE id=?");
  BindTask(*s, r);
  s->Bind(17, r.id);
  YQ_RETURN_IF_ERROR(s->Run());
  if (db_.Changes() == 0) return Status::NotFound("no task " + std::to_string(r.id));
  return Status::Ok();
}

Result<std::vector<TaskRow>> IncidentStore::ListTasks(int64_t incident_id, TimeMs open_due_before) {
  YQ_STMT(s, std::string("SELECT ") + kTaskCols +
                 " FROM incident_tasks WHERE (?1 = 0 OR incident_id = ?1) AND (?2 = 0 OR (status = 'open' AND due_at < ?2)) "
                 "ORDER BY due_at, id");
  s->Bind(1, incident_id).Bind(2, open_due_before);
  return Collect<TaskRow>(*s, ReadTask);
}

Result<int64_t> IncidentStore::InsertStatement(const StatementRow& r) {
  YQ_STMT(s, "INSERT INTO incident_statements(incident_id, version, previous_id, kind, body, state, check_json, "
             "check_ok, created_at, created_by, approved_at, approved_by, published_at, channel, url) "
             "VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
  BindStatement(*s, r);
  YQ_RETURN_IF_ERROR(s->Run());
  return db_.LastInsertRowid();
}

Result<StatementRow> IncidentStore::GetStatement(int64_t id) {
  YQ_STMT(s, std::string("SELECT ") + kStatementCols + " FROM incident_statements WHERE id = ?");
  s->Bind(1, id);
  YQ_ASSIGN_OR_RETURN(bool row, s->Step());
  if (!row) return Status::NotFound("no statement " + std::to_string(id));
  StatementRow r = ReadStatement(*s);
  s->Reset();
  return r;
}

Status IncidentStore::UpdateStatement(const StatementRow& r) {
  YQ_STMT(s, "UPDATE incident_statements SET incident_id=?, version=?, previous_id=?, kind=?, body=?, state=?, "
             "check_json=?, check_ok=?, created_at=?, created_by=?, approved_at=?, approved_by=?, published_at=?, "
             "channel=?, url=? WHERE id=?");
  BindStatement(*s, r);
  s->Bind(16, r.id);
  YQ_RETURN_IF_ERROR(s->Run());
  if (db_.Changes() == 0) return Status::NotFound("no statement " + std::to_string(r.id));
  return Status::Ok();
}

Result<std::vector<StatementRow>> IncidentStore::ListStatements(int64_t incident_id) {
  YQ_STMT(s, std::string("SELECT ") + kStatementCols + " FROM incident_statements WHERE incident_id = ? ORDER BY version");
  s->Bind(1, incident_id);
  return Collect<StatementRow>(*s, ReadStatement);
}

Result<int> IncidentStore::NextStatementVersion(int64_t incident_id) {
  YQ_STMT(s, "SELECT COALESCE(MAX(version), 0) + 1 FROM incident_statements WHERE incident_id = ?");
  s->Bind(1, incident_id);
  YQ_ASSIGN_OR_RETURN(bool row, s->Step());
  int v = row ? static_cast<int>(s->Int(0)) : 1;
  s->Reset();
  return v;
}

Result<int64_t> IncidentStore::InsertCommitment(const CommitmentRow& r) {
  YQ_STMT(s, "INSERT INTO incident_commitments(incident_id, statement_id, text, due_at, owner, status, created_at, "
             "kept_at, evidence, overdue_raised) VALUES(?,?,?,?,?,?,?,?,?,?)");
  BindCommitment(*s, r);
  YQ_RETURN_IF_ERROR(s->Run());
  return db_.LastInsertRowid();
}

Result<CommitmentRow> IncidentStore::GetCommitment(int64_t id) {
  YQ_STMT(s, std::string("SELECT ") + kCommitmentCols + " FROM incident_commitments WHERE id = ?");
  s->Bind(1, id);
  YQ_ASSIGN_OR_RETURN(bool row, s->Step());
  if (!row) return Status::NotFound("no commitment " + std::to_string(id));
  CommitmentRow r = ReadCommitment(*s);
  s->Reset();
  return r;
}

Status IncidentStore::UpdateCommitment(const CommitmentRow& r) {
  YQ_STMT(s, "UPDATE incident_commitments SET incident_id=?, statement_id=?, text=?, due_at=?, owner=?, status=?, "
             "created_at=?, kept_at=?, evidence=?, overdue_raised=? WHERE id=?");
  BindCommitment(*s, r);
  s->Bind(11, r.id);
  YQ_RETURN_IF_ERROR(s->Run());
  if (db_.Changes() == 0) return Status::NotFound("no commitment " + std::to_string(r.id));
  return Status::Ok();
}

Result<std::vector<CommitmentRow>> IncidentStore::ListCommitments(int64_t incident_id, TimeMs open_due_before) {
  YQ_STMT(s, std::string("SELECT ") + kCommitmentCols +
                 " FROM incident_commitments WHERE (?1 = 0 OR incident_id = ?1) AND "
                 "(?2 = 0 OR (status = 'open' AND due_at IS NOT NULL AND due_at < ?2)) ORDER BY due_at IS NULL, due_at, id");
  s->Bind(1, incident_id).Bind(2, open_due_before);
  return Collect<CommitmentRow>(*s, ReadCommitment);
}

Result<std::optional<TimeMs>> IncidentStore::NextOverdueAt(const std::vector<TimeMs>& stage_after) {
  std::optional<TimeMs> next;
  auto earliest = [&next](TimeMs t) {
    if (!next || t < *next) next = t;
  };
  if (!stage_after.empty()) {
    // The next stage's offset from due_at, by the stage reached so far (at least 1 ms: due_at < now).
    std::string offset = "CASE t.overdue_stage";
    for (size_t k = 0; k < stage_after.size(); ++k)
      offset += " WHEN " + std::to_string(k) + " THEN " + std::to_string(std::max<TimeMs>(stage_after[k], 1));
    offset += " END";
    YQ_STMT(s, "SELECT min(t.due_at + " + offset + ") FROM incident_tasks t JOIN incidents i ON i.id = t.incident_id "
               "WHERE t.status = 'open' AND t.overdue_stage < ?1 AND i.state NOT IN ('closed', 'reviewed')");
    s->Bind(1, static_cast<int64_t>(stage_after.size()));
    YQ_ASSIGN_OR_RETURN(bool row, s->Step());
    if (row && !s->IsNull(0)) earliest(s->Int(0));
    s->Reset();
  }
  YQ_STMT(c, "SELECT min(due_at) + 1 FROM incident_commitments WHERE status = 'open' AND due_at IS NOT NULL "
             "AND overdue_raised = 0");
  YQ_ASSIGN_OR_RETURN(bool row, c->Step());
  if (row && !c->IsNull(0)) earliest(c->Int(0));
  c->Reset();
  return next;
}

Result<int64_t> IncidentStore::InsertCommunication(const CommunicationRow& r) {
  YQ_STMT(s, "INSERT INTO incident_communications(incident_id, at, kind, channel, counterpart, content, actor) "
             "VALUES(?,?,?,?,?,?,?)");
  s->Bind(1, r.incident_id).Bind(2, r.at).Bind(3, r.kind).Bind(4, r.channel).Bind(5, r.counterpart);
  s->Bind(6, r.content).Bind(7, r.actor);
  YQ_RETURN_IF_ERROR(s->Run());
  return db_.LastInsertRowid();
}

Result<std::vector<CommunicationRow>> IncidentStore::ListCommunications(int64_t incident_id) {
  YQ_STMT(s, "SELECT id, incident_id, at, kind, channel, counterpart, content, actor FROM incident_communications "
             "WHERE incident_id = ? ORDER BY at, id");
  s->Bind(1, incident_id);
  return Collect<CommunicationRow>(*s, [](const sqlite::Statement& q) {
    return CommunicationRow{q.Int(0), q.Int(1), q.Int(2), q.Text(3), q.Text(4), q.Text(5), q.Text(6), q.Text(7)};
  });
}

Result<int64_t> IncidentStore::AppendLog(const IncidentLogRow& r) {
  YQ_STMT(s, "INSERT INTO incident_log(incident_id, at, actor, kind, detail_json) VALUES(?,?,?,?,?)");
  s->Bind(1, r.incident_id).Bind(2, r.at).Bind(3, r.actor).Bind(4, r.kind);
  s->Bind(5, r.detail_json.empty() ? std::string("{}") : r.detail_json);
  YQ_RETURN_IF_ERROR(s->Run());
  return db_.LastInsertRowid();
}

Result<std::vector<IncidentLogRow>> IncidentStore::ListLog(int64_t incident_id) {
  YQ_STMT(s, "SELECT id, incident_id, at, actor, kind, detail_json FROM incident_log WHERE incident_id = ? ORDER BY at, id");
  s->Bind(1, incident_id);
  return Collect<IncidentLogRow>(*s, [](const sqlite::Statement& q) {
    return IncidentLogRow{q.Int(0), q.Int(1), q.Int(2), q.Text(3), q.Text(4), q.Text(5)};
  });
}

Status IncidentStore::PutPlan(const std::string& id, const std::string& json, TimeMs at) {
  YQ_STMT(s, "INSERT INTO incident_plans(id, json, imported_at) VALUES(?,?,?) "
             "ON CONFLICT(id) DO UPDATE SET json = excluded.json, imported_at = excluded.imported_at");
  s->Bind(1, id).Bind(2, json).Bind(3, at);
  return s->Run();
}

Result<std::vector<std::string>> IncidentStore::ListPlans() {
  YQ_STMT(s, "SELECT json FROM incident_plans ORDER BY id");
  return Collect<std::string>(*s, [](const sqlite::Statement& q) { return q.Text(0); });
}

}  // namespace yuqing::store
