// IncidentStore: clarifications (辟谣), talking points (口径库) and statement review comments.
// Same connection and threading rules as incident_store.cc.
#include "store/incident_store.h"

namespace yuqing::store {
namespace {

sqlite::Statement* Stmt(sqlite::Connection& db, const std::string& sql, Status& err) {
  sqlite::Statement* s = db.Cached(sql, &err);
  if (!s && err.ok()) err = Status::Internal("cannot prepare: " + sql);
  return s;
}

#define YQ_STMT(var, sql)                     \
  Status var##_err;                           \
  sqlite::Statement* var = Stmt(db_, sql, var##_err); \
  if (!var) return var##_err

template <typename Row, typename Reader>
Result<std::vector<Row>> Rows(sqlite::Statement& s, Reader read) {
  std::vector<Row> out;
  for (;;) {
    YQ_ASSIGN_OR_RETURN(bool row, s.Step());
    if (!row) break;
    out.push_back(read(s));
  }
  return out;
}

const char* kClarCols =
    "id, incident_id, claim, evidence, statement_id, query, simhash, created_at, created_by, scheme_id";

ClarificationRow ReadClar(const sqlite::Statement& s) {
  ClarificationRow r;
  r.id = s.Int(0);
  r.incident_id = s.Int(1);
  r.claim = s.Text(2);
  r.evidence = s.Text(3);
  r.statement_id = s.Int(4);
  r.query = s.Text(5);
  r.simhash = static_cast<uint64_t>(s.Int(6));
  r.created_at = s.Int(7);
  r.created_by = s.Text(8);
  r.scheme_id = s.Int(9);
  return r;
}

const char* kTpCols =
    "id, topic, question, answer, incident_id, statement_id, status, created_by, created_at, approved_by, "
    "approved_at, updated_at";

TalkingPointRow ReadTp(const sqlite::Statement& s) {
  TalkingPointRow r;
  r.id = s.Int(0);
  r.topic = s.Text(1);
  r.question = s.Text(2);
  r.answer = s.Text(3);
  r.incident_id = s.Int(4);
  r.statement_id = s.Int(5);
  r.status = s.Text(6);
  r.created_by = s.Text(7);
  r.created_at = s.Int(8);
  r.approved_by = s.Text(9);
  r.approved_at = s.Int(10);
  r.updated_at = s.Int(11);
  return r;
}

void BindTp(sqlite::Statement& s, const TalkingPointRow& r) {
  s.Bind(1, r.topic).Bind(2, r.question).Bind(3, r.answer).Bind(4, r.incident_id).Bind(5, r.statement_id);
  s.Bind(6, r.status).Bind(7, r.created_by).Bind(8, r.created_at).Bind(9, r.approved_by).Bind(10, r.approved_at);
  s.Bind(11, r.updated_at);
}

}  // namespace

Result<int64_t> IncidentStore::InsertClarification(const ClarificationRow& r) {
  YQ_STMT(s, "INSERT INTO incident_clarifications(incident_id, claim, evidence, statement_id, query, simhash, "
             "created_at, created_by, scheme_id) VALUES(?,?,?,?,?,?,?,?,?)");
  s->Bind(1, r.incident_id).Bind(2, r.claim).Bind(3, r.evidence).Bind(4, r.statement_id).Bind(5, r.query);
  s->Bind(6, static_cast<int64_t>(r.simhash)).Bind(7, r.created_at).Bind(8, r.created_by).Bind(9, r.scheme_id);
  YQ_RETURN_IF_ERROR(s->Run());
  return db_.LastInsertRowid();
}

Result<ClarificationRow> IncidentStore::GetClarification(int64_t id) {
  YQ_STMT(s, std::string("SELECT ") + kClarCols + " FROM incident_clarifications WHERE id = ?");
  s->Bind(1, id);
  YQ_ASSIGN_OR_RETURN(bool row, s->Step());
  if (!row) return Status::NotFound("no clarification " + std::to_string(id));
  ClarificationRow r = ReadClar(*s);
  s->Reset();
  return r;
}

Status IncidentStore::UpdateClarification(const ClarificationRow& r) {
  YQ_STMT(s, "UPDATE incident_clarifications SET claim=?, evidence=?, statement_id=?, query=?, simhash=?, "
             "scheme_id=? WHERE id=?");
  s->Bind(1, r.claim).Bind(2, r.evidence).Bind(3, r.statement_id).Bind(4, r.query);
  s->Bind(5, static_cast<int64_t>(r.simhash)).Bind(6, r.scheme_id).Bind(7, r.id);
  YQ_RETURN_IF_ERROR(s->Run());
  if (db_.Changes() == 0) return Status::NotFound("no clarification " + std::to_string(r.id));
  return Status::Ok();
}

Result<std::vector<ClarificationRow>> IncidentStore::ListClarifications(int64_t incident_id) {
  YQ_STMT(s, std::string("SELECT ") + kClarCols + " FROM incident_clarifications WHERE incident_id = ? ORDER BY id");
  s->Bind(1, incident_id);
  return Rows<ClarificationRow>(*s, ReadClar);
}

Status IncidentStore::AddClarificationPost(int64_t clarification_id, const std::string& post_id, TimeMs published_at) {
  YQ_STMT(s, "INSERT OR IGNORE INTO incident_clarification_posts(clarification_id, post_id, published_at) VALUES(?,?,?)");
  s->Bind(1, clarification_id).Bind(2, post_id).Bind(3, published_at);
  return s->Run();
}

Result<std::vector<std::pair<std::string, TimeMs>>> IncidentStore::ClarificationPosts(int64_t clarification_id) {
  YQ_STMT(s, "SELECT post_id, published_at FROM incident_clarification_posts WHERE clarification_id = ? "
             "ORDER BY published_at, post_id");
  s->Bind(1, clarification_id);
  return Rows<std::pair<std::string, TimeMs>>(*s, [](const sqlite::Statement& q) { return std::make_pair(q.Text(0), q.Int(1)); });
}

Result<int64_t> IncidentStore::InsertTalkingPoint(const TalkingPointRow& r) {
  YQ_STMT(s, "INSERT INTO talking_points(topic, question, answer, incident_id, statement_id, status, created_by, "
             "created_at, approved_by, approved_at, updated_at) VALUES(?,?,?,?,?,?,?,?,?,?,?)");
  BindTp(*s, r);
  YQ_RETURN_IF_ERROR(s->Run());
  return db_.LastInsertRowid();
}

Result<TalkingPointRow> IncidentStore::GetTalkingPoint(int64_t id) {
  YQ_STMT(s, std::string("SELECT ") + kTpCols + " FROM talking_points WHERE id = ?");
  s->Bind(1, id);
  YQ_ASSIGN_OR_RETURN(bool row, s->Step());
  if (!row) return Status::NotFound("no talking point " + std::to_string(id));
  TalkingPointRow r = ReadTp(*s);
  s->Reset();
  return r;
}

Status IncidentStore::UpdateTalkingPoint(const TalkingPointRow& r) {
  YQ_STMT(s, "UPDATE talking_points SET topic=?, question=?, answer=?, incident_id=?, statement_id=?, status=?, "
             "created_by=?, created_at=?, approved_by=?, approved_at=?, updated_at=? WHERE id=?");
  BindTp(*s, r);
  s->Bind(12, r.id);
  YQ_RETURN_IF_ERROR(s->Run());
  if (db_.Changes() == 0) return Status::NotFound("no talking point " + std::to_string(r.id));
  return Status::Ok();
}

Result<std::vector<TalkingPointRow>> IncidentStore::ListTalkingPoints(const std::string& topic,
                                                                      const std::string& status) {
  YQ_STMT(s, std::string("SELECT ") + kTpCols +
                 " FROM talking_points WHERE (?1 = '' OR topic = ?1) AND (?2 = '' OR status = ?2) "
                 "ORDER BY updated_at DESC, id DESC LIMIT 1000");
  s->Bind(1, topic).Bind(2, status);
  return Rows<TalkingPointRow>(*s, ReadTp);
}

Result<int64_t> IncidentStore::InsertStatementComment(const StatementCommentRow& r) {
  YQ_STMT(s, "INSERT INTO incident_statement_comments(statement_id, sentence, author, text, at, resolved) "
             "VALUES(?,?,?,?,?,?)");
  s->Bind(1, r.statement_id).Bind(2, r.sentence).Bind(3, r.author).Bind(4, r.text).Bind(5, r.at);
  s->Bind(6, r.resolved ? 1 : 0);
  YQ_RETURN_IF_ERROR(s->Run());
  return db_.LastInsertRowid();
}

Status IncidentStore::ResolveStatementComment(int64_t id) {
  YQ_STMT(s, "UPDATE incident_statement_comments SET resolved = 1 WHERE id = ?");
  s->Bind(1, id);
  YQ_RETURN_IF_ERROR(s->Run());
  if (db_.Changes() == 0) return Status::NotFound("no comment " + std::to_string(id));
  return Status::Ok();
}

Result<std::vector<StatementCommentRow>> IncidentStore::ListStatementComments(int64_t statement_id) {
  YQ_STMT(s, "SELECT id, statement_id, sentence, author, text, at, resolved FROM incident_statement_comments "
             "WHERE statement_id = ? ORDER BY at, id");
  s->Bind(1, statement_id);
  return Rows<StatementCommentRow>(*s, [](const sqlite::Statement& q) {
    return StatementCommentRow{q.Int(0), q.Int(1), static_cast<int>(q.Int(2)), q.Text(3), q.Text(4), q.Int(5),
                               q.Int(6) != 0};
  });
}

}  // namespace yuqing::store
