// Incidents and their records on SQLite: the tables of migrations 1..3 (unchanged since before
// the second backend), statements cached per connection, ids from the rowid.
#include "store/incident_repository.h"
#include "store/incident_rows.h"
#include "store/sqlite/stores.h"

#include <algorithm>

namespace yuqing::store::sqlite {
namespace {

using namespace incident_rows;  // NOLINT: the columns, decoders and writers of every table

constexpr int kSchemaVersion = 3;

Status Migrate(Connection& db, int to) {
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

// Binds a row's fields (incident_rows' Write*) to consecutive parameters from `first`.
class Binder {
 public:
  explicit Binder(Statement& s, int first = 1) : s_(s), i_(first) {}
  void operator()(int64_t v) { s_.Bind(i_++, v); }
  void operator()(const std::string& v) { s_.Bind(i_++, v); }
  void operator()(const std::optional<int64_t>& v) {
    if (v) s_.Bind(i_++, *v);
    else s_.BindNull(i_++);
  }
  int next() const { return i_; }

 private:
  Statement& s_;
  int i_;
};

std::string Insert(const char* table, const char* fields, int count) {
  return std::string("INSERT INTO ") + table + "(" + fields + ") VALUES(" +
         Placeholders(Placeholder::kQuestion, count) + ")";
}

std::string UpdateById(const char* table, const char* fields) {
  return std::string("UPDATE ") + table + " SET " + Assignments(Placeholder::kQuestion, fields) + " WHERE id=?";
}

std::string SelectById(const char* table, const char* cols) {
  return std::string("SELECT ") + cols + " FROM " + table + " WHERE id = ?";
}

template <class Row, class Reader>
Result<std::vector<Row>> Collect(Statement& s, Reader read) {
  std::vector<Row> out;
  while (true) {
    YQ_ASSIGN_OR_RETURN(bool row, s.Step());
    if (!row) break;
    out.push_back(read(s));
  }
  return out;
}

class SqliteIncidentRepository final : public IncidentRepository {
 public:
  explicit SqliteIncidentRepository(Connection& db) : db_(db) {}

  Result<int64_t> InsertIncident(const IncidentRow& r) override {
    return InsertRow(Insert("incidents", kIncidentFields, kIncidentFieldCount), r, WriteIncident<Binder&>);
  }
  Result<IncidentRow> GetIncident(int64_t id) override {
    return GetRow<IncidentRow>(SelectById("incidents", kIncidentCols), id, "incident", ReadIncident<Statement>);
  }
  Status UpdateIncident(const IncidentRow& r) override {
    return UpdateRow(UpdateById("incidents", kIncidentFields), r, WriteIncident<Binder&>, "incident");
  }
  Result<std::vector<IncidentRow>> ListIncidents(const IncidentFilter& f) override {
    YQ_ASSIGN_OR_RETURN(Statement * s, Cached(std::string("SELECT ") + kIncidentCols +
                                              " FROM incidents WHERE (?1 = '' OR state = ?1) "
                                              "ORDER BY detected_at DESC, id DESC LIMIT ?2"));
    s->Bind(1, f.state).Bind(2, f.limit);
    return Collect<IncidentRow>(*s, ReadIncident<Statement>);
  }
  Result<int64_t> CountIncidents() override {
    YQ_ASSIGN_OR_RETURN(Statement * s, Cached("SELECT COUNT(*) FROM incidents"));
    YQ_ASSIGN_OR_RETURN(bool row, s->Step());
    int64_t n = row ? s->Int(0) : 0;
    s->Reset();
    return n;
  }

  Status AddLink(const IncidentLinkRow& r) override {
    YQ_ASSIGN_OR_RETURN(Statement * s,
                        Cached(std::string("INSERT OR IGNORE INTO incident_links(") + kLinkCols + ") VALUES(?,?,?,?)"));
    WriteLink(r, Binder(*s));
    return s->Run();
  }
  Result<std::vector<IncidentLinkRow>> Links(int64_t incident_id) override {
    return ListBy<IncidentLinkRow>(std::string("SELECT ") + kLinkCols +
                                       " FROM incident_links WHERE incident_id = ? ORDER BY linked_at, kind, ref",
                                   incident_id, ReadLink<Statement>);
  }

  Status PutRole(const RoleRow& r) override {
    YQ_ASSIGN_OR_RETURN(Statement * s, Cached(std::string("INSERT OR IGNORE INTO incident_roles(") + kRoleCols +
                                              ") VALUES(?,?,?,?,?)"));
    WriteRole(r, Binder(*s));
    return s->Run();
  }
  Status RemoveRole(int64_t incident_id, const std::string& role, const std::string& person) override {
    YQ_ASSIGN_OR_RETURN(Statement * s,
                        Cached("DELETE FROM incident_roles WHERE incident_id = ? AND role = ? AND person = ?"));
    s->Bind(1, incident_id).Bind(2, role).Bind(3, person);
    YQ_RETURN_IF_ERROR(s->Run());
    if (db_.Changes() == 0)
      return Status::NotFound(person + " is not " + role + " of incident " + std::to_string(incident_id));
    return Status::Ok();
  }
  Result<std::vector<RoleRow>> Roles(int64_t incident_id) override {
    return ListBy<RoleRow>(std::string("SELECT ") + kRoleCols +
                               " FROM incident_roles WHERE incident_id = ? ORDER BY assigned_at, role, person",
                           incident_id, ReadRole<Statement>);
  }

  Result<int64_t> InsertTask(const TaskRow& r) override {
    return InsertRow(Insert("incident_tasks", kTaskFields, kTaskFieldCount), r, WriteTask<Binder&>);
  }
  Result<TaskRow> GetTask(int64_t id) override {
    return GetRow<TaskRow>(SelectById("incident_tasks", kTaskCols), id, "task", ReadTask<Statement>);
  }
  Status UpdateTask(const TaskRow& r) override {
    return UpdateRow(UpdateById("incident_tasks", kTaskFields), r, WriteTask<Binder&>, "task");
  }
  Result<std::vector<TaskRow>> ListTasks(int64_t incident_id, TimeMs open_due_before) override {
    YQ_ASSIGN_OR_RETURN(Statement * s, Cached(std::string("SELECT ") + kTaskCols +
                                              " FROM incident_tasks WHERE (?1 = 0 OR incident_id = ?1) AND "
                                              "(?2 = 0 OR (status = 'open' AND due_at < ?2)) ORDER BY due_at, id"));
    s->Bind(1, incident_id).Bind(2, open_due_before);
    return Collect<TaskRow>(*s, ReadTask<Statement>);
  }

  Result<int64_t> InsertStatement(const StatementRow& r) override {
    return InsertRow(Insert("incident_statements", kStatementFields, kStatementFieldCount), r,
                     WriteStatement<Binder&>);
  }
  Result<StatementRow> GetStatement(int64_t id) override {
    return GetRow<StatementRow>(SelectById("incident_statements", kStatementCols), id, "statement",
                                ReadStatement<Statement>);
  }
  Status UpdateStatement(const StatementRow& r) override {
    return UpdateRow(UpdateById("incident_statements", kStatementFields), r, WriteStatement<Binder&>, "statement");
  }
  Result<std::vector<StatementRow>> ListStatements(int64_t incident_id) override {
    return ListBy<StatementRow>(std::string("SELECT ") + kStatementCols +
                                    " FROM incident_statements WHERE incident_id = ? ORDER BY version, id",
                                incident_id, ReadStatement<Statement>);
  }
  Result<int> NextStatementVersion(int64_t incident_id) override {
    YQ_ASSIGN_OR_RETURN(Statement * s,
                        Cached("SELECT COALESCE(MAX(version), 0) + 1 FROM incident_statements WHERE incident_id = ?"));
    s->Bind(1, incident_id);
    YQ_ASSIGN_OR_RETURN(bool row, s->Step());
    int v = row ? static_cast<int>(s->Int(0)) : 1;
    s->Reset();
    return v;
  }

  Result<int64_t> InsertCommitment(const CommitmentRow& r) override {
    return InsertRow(Insert("incident_commitments", kCommitmentFields, kCommitmentFieldCount), r,
                     WriteCommitment<Binder&>);
  }
  Result<CommitmentRow> GetCommitment(int64_t id) override {
    return GetRow<CommitmentRow>(SelectById("incident_commitments", kCommitmentCols), id, "commitment",
                                 ReadCommitment<Statement>);
  }
  Status UpdateCommitment(const CommitmentRow& r) override {
    return UpdateRow(UpdateById("incident_commitments", kCommitmentFields), r, WriteCommitment<Binder&>,
                     "commitment");
  }
  Result<std::vector<CommitmentRow>> ListCommitments(int64_t incident_id, TimeMs open_due_before) override {
    YQ_ASSIGN_OR_RETURN(Statement * s,
                        Cached(std::string("SELECT ") + kCommitmentCols +
                               " FROM incident_commitments WHERE (?1 = 0 OR incident_id = ?1) AND "
                               "(?2 = 0 OR (status = 'open' AND due_at IS NOT NULL AND due_at < ?2)) "
                               "ORDER BY due_at IS NULL, due_at, id"));
    s->Bind(1, incident_id).Bind(2, open_due_before);
    return Collect<CommitmentRow>(*s, ReadCommitment<Statement>);
  }
  Result<std::optional<TimeMs>> NextOverdueAt(const std::vector<TimeMs>& stage_after) override;

  Result<int64_t> InsertCommunication(const CommunicationRow& r) override {
    return InsertRow(Insert("incident_communications", kCommunicationFields, kCommunicationFieldCount), r,
                     WriteCommunication<Binder&>);
  }
  Result<std::vector<CommunicationRow>> ListCommunications(int64_t incident_id) override {
    return ListBy<CommunicationRow>(std::string("SELECT ") + kCommunicationCols +
                                        " FROM incident_communications WHERE incident_id = ? ORDER BY at, id",
                                    incident_id, ReadCommunication<Statement>);
  }

  Result<int64_t> AppendLog(const IncidentLogRow& r) override {
    return InsertRow(Insert("incident_log", kLogFields, kLogFieldCount), r, WriteLog<Binder&>);
  }
  Result<std::vector<IncidentLogRow>> ListLog(int64_t incident_id) override {
    return ListBy<IncidentLogRow>(std::string("SELECT ") + kLogCols +
                                      " FROM incident_log WHERE incident_id = ? ORDER BY at, id",
                                  incident_id, ReadLog<Statement>);
  }

  Result<int64_t> InsertClarification(const ClarificationRow& r) override {
    return InsertRow(Insert("incident_clarifications", kClarificationFields, kClarificationFieldCount), r,
                     WriteClarification<Binder&>);
  }
  Result<ClarificationRow> GetClarification(int64_t id) override {
    return GetRow<ClarificationRow>(SelectById("incident_clarifications", kClarificationCols), id, "clarification",
                                    ReadClarification<Statement>);
  }
  Status UpdateClarification(const ClarificationRow& r) override {
    return UpdateRow(UpdateById("incident_clarifications", kClarificationMutable), r,
                     WriteClarificationMutable<Binder&>, "clarification");
  }
  Result<std::vector<ClarificationRow>> ListClarifications(int64_t incident_id) override {
    return ListBy<ClarificationRow>(std::string("SELECT ") + kClarificationCols +
                                        " FROM incident_clarifications WHERE incident_id = ? ORDER BY id",
                                    incident_id, ReadClarification<Statement>);
  }
  Status AddClarificationPost(int64_t clarification_id, const std::string& post_id, TimeMs published_at) override {
    YQ_ASSIGN_OR_RETURN(Statement * s, Cached("INSERT OR IGNORE INTO incident_clarification_posts(clarification_id, "
                                              "post_id, published_at) VALUES(?,?,?)"));
    s->Bind(1, clarification_id).Bind(2, post_id).Bind(3, published_at);
    return s->Run();
  }
  Result<std::vector<std::pair<std::string, TimeMs>>> ClarificationPosts(int64_t clarification_id) override {
    return ListBy<std::pair<std::string, TimeMs>>(
        "SELECT post_id, published_at FROM incident_clarification_posts WHERE clarification_id = ? "
        "ORDER BY published_at, post_id",
        clarification_id, ReadClarificationPost<Statement>);
  }

  Result<int64_t> InsertTalkingPoint(const TalkingPointRow& r) override {
    return InsertRow(Insert("talking_points", kTalkingPointFields, kTalkingPointFieldCount), r,
                     WriteTalkingPoint<Binder&>);
  }
  Result<TalkingPointRow> GetTalkingPoint(int64_t id) override {
    return GetRow<TalkingPointRow>(SelectById("talking_points", kTalkingPointCols), id, "talking point",
                                   ReadTalkingPoint<Statement>);
  }
  Status UpdateTalkingPoint(const TalkingPointRow& r) override {
    return UpdateRow(UpdateById("talking_points", kTalkingPointFields), r, WriteTalkingPoint<Binder&>,
                     "talking point");
  }
  Result<std::vector<TalkingPointRow>> ListTalkingPoints(const std::string& topic, const std::string& status) override {
    YQ_ASSIGN_OR_RETURN(Statement * s, Cached(std::string("SELECT ") + kTalkingPointCols +
                                              " FROM talking_points WHERE (?1 = '' OR topic = ?1) AND "
                                              "(?2 = '' OR status = ?2) ORDER BY updated_at DESC, id DESC LIMIT 1000"));
    s->Bind(1, topic).Bind(2, status);
    return Collect<TalkingPointRow>(*s, ReadTalkingPoint<Statement>);
  }

  Result<int64_t> InsertStatementComment(const StatementCommentRow& r) override {
    return InsertRow(Insert("incident_statement_comments", kCommentFields, kCommentFieldCount), r,
                     WriteComment<Binder&>);
  }
  Status ResolveStatementComment(int64_t id) override {
    YQ_ASSIGN_OR_RETURN(Statement * s, Cached("UPDATE incident_statement_comments SET resolved = 1 WHERE id = ?"));
    s->Bind(1, id);
    YQ_RETURN_IF_ERROR(s->Run());
    if (db_.Changes() == 0) return NoRow("comment", id);
    return Status::Ok();
  }
  Result<std::vector<StatementCommentRow>> ListStatementComments(int64_t statement_id) override {
    return ListBy<StatementCommentRow>(std::string("SELECT ") + kCommentCols +
                                           " FROM incident_statement_comments WHERE statement_id = ? ORDER BY at, id",
                                       statement_id, ReadComment<Statement>);
  }

  Status PutPlan(const std::string& id, const std::string& json, TimeMs at) override {
    YQ_ASSIGN_OR_RETURN(Statement * s,
                        Cached("INSERT INTO incident_plans(id, json, imported_at) VALUES(?,?,?) "
                               "ON CONFLICT(id) DO UPDATE SET json = excluded.json, imported_at = excluded.imported_at"));
    s->Bind(1, id).Bind(2, json).Bind(3, at);
    return s->Run();
  }
  Result<std::vector<std::string>> ListPlans() override {
    YQ_ASSIGN_OR_RETURN(Statement * s, Cached("SELECT json FROM incident_plans ORDER BY id"));
    return Collect<std::string>(*s, [](const Statement& q) { return q.Text(0); });
  }

 private:
  // The connection's cached statement for `sql`, reset and ready to bind.
  Result<Statement*> Cached(const std::string& sql) {
    Status err;
    Statement* s = db_.Cached(sql, &err);
    if (!s) return err.ok() ? Status::Internal("cannot prepare: " + sql) : err;
    return s;
  }

  template <class Row, class Write>
  Result<int64_t> InsertRow(const std::string& sql, const Row& r, Write write) {
    YQ_ASSIGN_OR_RETURN(Statement * s, Cached(sql));
    Binder bind(*s);
    write(r, bind);
    YQ_RETURN_IF_ERROR(s->Run());
    return db_.LastInsertRowid();
  }

  template <class Row, class Read>
  Result<Row> GetRow(const std::string& sql, int64_t id, const char* what, Read read) {
    YQ_ASSIGN_OR_RETURN(Statement * s, Cached(sql));
    s->Bind(1, id);
    YQ_ASSIGN_OR_RETURN(bool row, s->Step());
    if (!row) return NoRow(what, id);
    Row r = read(*s);
    s->Reset();
    return r;
  }

  // The fields as `write` passes them, then the id last (UpdateById's WHERE id=?).
  template <class Row, class Write>
  Status UpdateRow(const std::string& sql, const Row& r, Write write, const char* what) {
    YQ_ASSIGN_OR_RETURN(Statement * s, Cached(sql));
    Binder bind(*s);
    write(r, bind);
    s->Bind(bind.next(), r.id);
    YQ_RETURN_IF_ERROR(s->Run());
    if (db_.Changes() == 0) return NoRow(what, r.id);
    return Status::Ok();
  }

  // The rows of `sql` for one key (its only parameter).
  template <class Row, class Read>
  Result<std::vector<Row>> ListBy(const std::string& sql, int64_t key, Read read) {
    YQ_ASSIGN_OR_RETURN(Statement * s, Cached(sql));
    s->Bind(1, key);
    return Collect<Row>(*s, read);
  }

  Connection& db_;
};

Result<std::optional<TimeMs>> SqliteIncidentRepository::NextOverdueAt(const std::vector<TimeMs>& stage_after) {
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
    YQ_ASSIGN_OR_RETURN(Statement * s,
                        Cached("SELECT min(t.due_at + " + offset + ") FROM incident_tasks t JOIN incidents i ON "
                               "i.id = t.incident_id WHERE t.status = 'open' AND t.overdue_stage < ?1 AND "
                               "i.state NOT IN ('closed', 'reviewed')"));
    s->Bind(1, static_cast<int64_t>(stage_after.size()));
    YQ_ASSIGN_OR_RETURN(bool row, s->Step());
    if (row && !s->IsNull(0)) earliest(s->Int(0));
    s->Reset();
  }
  YQ_ASSIGN_OR_RETURN(Statement * c, Cached("SELECT min(due_at) + 1 FROM incident_commitments WHERE status = 'open' "
                                            "AND due_at IS NOT NULL AND overdue_raised = 0"));
  YQ_ASSIGN_OR_RETURN(bool row, c->Step());
  if (row && !c->IsNull(0)) earliest(c->Int(0));
  c->Reset();
  return next;
}

}  // namespace

Result<std::unique_ptr<store::IncidentRepository>> OpenIncidentRepository(Connection& db) {
  YQ_RETURN_IF_ERROR(db.EnsureSchema("incidents", kSchemaVersion, Migrate));
  return std::unique_ptr<store::IncidentRepository>(new SqliteIncidentRepository(db));
}

}  // namespace yuqing::store::sqlite
