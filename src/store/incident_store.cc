// IncidentStore on the session's backend: Init() opens the SQLite or PostgreSQL implementation
// (store/sqlite/incident_store.cc, store/postgres/incident_store.cc) and each method forwards.
#include "store/incident_store.h"

#include "store/incident_repository.h"
#include "store/open_on.h"

namespace yuqing::store {

IncidentStore::IncidentStore(Database& db) : session_(db) {}
IncidentStore::~IncidentStore() = default;

Status IncidentStore::Init() {
  YQ_ASSIGN_OR_RETURN(repo_, OpenOn<IncidentRepository>(session_, sqlite::OpenIncidentRepository,
                                                        postgres::OpenIncidentRepository));
  return Status::Ok();
}

template <class R, class... Params, class... Args>
R IncidentStore::Forward(R (IncidentRepository::*method)(Params...), Args&&... args) {
  if (!repo_) return Status::Internal("the incident store is used before Init()");
  return (repo_.get()->*method)(std::forward<Args>(args)...);
}

using Repo = IncidentRepository;

Result<int64_t> IncidentStore::InsertIncident(const IncidentRow& r) { return Forward(&Repo::InsertIncident, r); }
Result<IncidentRow> IncidentStore::GetIncident(int64_t id) { return Forward(&Repo::GetIncident, id); }
Status IncidentStore::UpdateIncident(const IncidentRow& r) { return Forward(&Repo::UpdateIncident, r); }
Result<std::vector<IncidentRow>> IncidentStore::ListIncidents(const IncidentFilter& f) {
  return Forward(&Repo::ListIncidents, f);
}
Result<int64_t> IncidentStore::CountIncidents() { return Forward(&Repo::CountIncidents); }

Status IncidentStore::AddLink(const IncidentLinkRow& r) { return Forward(&Repo::AddLink, r); }
Result<std::vector<IncidentLinkRow>> IncidentStore::Links(int64_t incident_id) {
  return Forward(&Repo::Links, incident_id);
}

Status IncidentStore::PutRole(const RoleRow& r) { return Forward(&Repo::PutRole, r); }
Status IncidentStore::RemoveRole(int64_t incident_id, const std::string& role, const std::string& person) {
  return Forward(&Repo::RemoveRole, incident_id, role, person);
}
Result<std::vector<RoleRow>> IncidentStore::Roles(int64_t incident_id) { return Forward(&Repo::Roles, incident_id); }

Result<int64_t> IncidentStore::InsertTask(const TaskRow& r) { return Forward(&Repo::InsertTask, r); }
Result<TaskRow> IncidentStore::GetTask(int64_t id) { return Forward(&Repo::GetTask, id); }
Status IncidentStore::UpdateTask(const TaskRow& r) { return Forward(&Repo::UpdateTask, r); }
Result<std::vector<TaskRow>> IncidentStore::ListTasks(int64_t incident_id, TimeMs open_due_before) {
  return Forward(&Repo::ListTasks, incident_id, open_due_before);
}

Result<int64_t> IncidentStore::InsertStatement(const StatementRow& r) { return Forward(&Repo::InsertStatement, r); }
Result<StatementRow> IncidentStore::GetStatement(int64_t id) { return Forward(&Repo::GetStatement, id); }
Status IncidentStore::UpdateStatement(const StatementRow& r) { return Forward(&Repo::UpdateStatement, r); }
Result<std::vector<StatementRow>> IncidentStore::ListStatements(int64_t incident_id) {
  return Forward(&Repo::ListStatements, incident_id);
}
Result<int> IncidentStore::NextStatementVersion(int64_t incident_id) {
  return Forward(&Repo::NextStatementVersion, incident_id);
}

Result<int64_t> IncidentStore::InsertCommitment(const CommitmentRow& r) { return Forward(&Repo::InsertCommitment, r); }
Result<CommitmentRow> IncidentStore::GetCommitment(int64_t id) { return Forward(&Repo::GetCommitment, id); }
Status IncidentStore::UpdateCommitment(const CommitmentRow& r) { return Forward(&Repo::UpdateCommitment, r); }
Result<std::vector<CommitmentRow>> IncidentStore::ListCommitments(int64_t incident_id, TimeMs open_due_before) {
  return Forward(&Repo::ListCommitments, incident_id, open_due_before);
}
Result<std::optional<TimeMs>> IncidentStore::NextOverdueAt(const std::vector<TimeMs>& stage_after) {
  return Forward(&Repo::NextOverdueAt, stage_after);
}

Result<int64_t> IncidentStore::InsertCommunication(const CommunicationRow& r) {
  return Forward(&Repo::InsertCommunication, r);
}
Result<std::vector<CommunicationRow>> IncidentStore::ListCommunications(int64_t incident_id) {
  return Forward(&Repo::ListCommunications, incident_id);
}

Result<int64_t> IncidentStore::AppendLog(const IncidentLogRow& r) { return Forward(&Repo::AppendLog, r); }
Result<std::vector<IncidentLogRow>> IncidentStore::ListLog(int64_t incident_id) {
  return Forward(&Repo::ListLog, incident_id);
}

Result<int64_t> IncidentStore::InsertClarification(const ClarificationRow& r) {
  return Forward(&Repo::InsertClarification, r);
}
Result<ClarificationRow> IncidentStore::GetClarification(int64_t id) { return Forward(&Repo::GetClarification, id); }
Status IncidentStore::UpdateClarification(const ClarificationRow& r) { return Forward(&Repo::UpdateClarification, r); }
Result<std::vector<ClarificationRow>> IncidentStore::ListClarifications(int64_t incident_id) {
  return Forward(&Repo::ListClarifications, incident_id);
}
Status IncidentStore::AddClarificationPost(int64_t clarification_id, const std::string& post_id, TimeMs published_at) {
  return Forward(&Repo::AddClarificationPost, clarification_id, post_id, published_at);
}
Result<std::vector<std::pair<std::string, TimeMs>>> IncidentStore::ClarificationPosts(int64_t clarification_id) {
  return Forward(&Repo::ClarificationPosts, clarification_id);
}

Result<int64_t> IncidentStore::InsertTalkingPoint(const TalkingPointRow& r) {
  return Forward(&Repo::InsertTalkingPoint, r);
}
Result<TalkingPointRow> IncidentStore::GetTalkingPoint(int64_t id) { return Forward(&Repo::GetTalkingPoint, id); }
Status IncidentStore::UpdateTalkingPoint(const TalkingPointRow& r) { return Forward(&Repo::UpdateTalkingPoint, r); }
Result<std::vector<TalkingPointRow>> IncidentStore::ListTalkingPoints(const std::string& topic,
                                                                      const std::string& status) {
  return Forward(&Repo::ListTalkingPoints, topic, status);
}

Result<int64_t> IncidentStore::InsertStatementComment(const StatementCommentRow& r) {
  return Forward(&Repo::InsertStatementComment, r);
}
Status IncidentStore::ResolveStatementComment(int64_t id) { return Forward(&Repo::ResolveStatementComment, id); }
Result<std::vector<StatementCommentRow>> IncidentStore::ListStatementComments(int64_t statement_id) {
  return Forward(&Repo::ListStatementComments, statement_id);
}

Status IncidentStore::PutPlan(const std::string& id, const std::string& json, TimeMs at) {
  return Forward(&Repo::PutPlan, id, json, at);
}
Result<std::vector<std::string>> IncidentStore::ListPlans() { return Forward(&Repo::ListPlans); }

}  // namespace yuqing::store
