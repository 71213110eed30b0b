// Internal to the store: the SQL behind store::IncidentStore, one implementation per backend
// (store/sqlite/incident_store.cc, store/postgres/incident_store.cc; what they share is in
// store/incident_rows.h). IncidentStore stays the class its callers hold and forwards here, so
// that its ~80 call sites did not change when the second backend came. The methods mean what
// IncidentStore's say (store/incident_store.h). Not for use outside src/store/.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "store/incident_store.h"

namespace yuqing::store {

class IncidentRepository {
 public:
  virtual ~IncidentRepository() = default;

  virtual Result<int64_t> InsertIncident(const IncidentRow& r) = 0;
  virtual Result<IncidentRow> GetIncident(int64_t id) = 0;
  virtual Status UpdateIncident(const IncidentRow& r) = 0;
  virtual Result<std::vector<IncidentRow>> ListIncidents(const IncidentFilter& f) = 0;
  virtual Result<int64_t> CountIncidents() = 0;

  virtual Status AddLink(const IncidentLinkRow& r) = 0;
  virtual Result<std::vector<IncidentLinkRow>> Links(int64_t incident_id) = 0;

  virtual Status PutRole(const RoleRow& r) = 0;
  virtual Status RemoveRole(int64_t incident_id, const std::string& role, const std::string& person) = 0;
  virtual Result<std::vector<RoleRow>> Roles(int64_t incident_id) = 0;

  virtual Result<int64_t> InsertTask(const TaskRow& r) = 0;
  virtual Result<TaskRow> GetTask(int64_t id) = 0;
  virtual Status UpdateTask(const TaskRow& r) = 0;
  virtual Result<std::vector<TaskRow>> ListTasks(int64_t incident_id, TimeMs open_due_before) = 0;

  virtual Result<int64_t> InsertStatement(const StatementRow& r) = 0;
  virtual Result<StatementRow> GetStatement(int64_t id) = 0;
  virtual Status UpdateStatement(const StatementRow& r) = 0;
  virtual Result<std::vector<StatementRow>> ListStatements(int64_t incident_id) = 0;
  virtual Result<int> NextStatementVersion(int64_t incident_id) = 0;

  virtual Result<int64_t> InsertCommitment(const CommitmentRow& r) = 0;
  virtual Result<CommitmentRow> GetCommitment(int64_t id) = 0;
  virtual Status UpdateCommitment(const CommitmentRow& r) = 0;
  virtual Result<std::vector<CommitmentRow>> ListCommitments(int64_t incident_id, TimeMs open_due_before) = 0;
  virtual Result<std::optional<TimeMs>> NextOverdueAt(const std::vector<TimeMs>& stage_after) = 0;

  virtual Result<int64_t> InsertCommunication(const CommunicationRow& r) = 0;
  virtual Result<std::vector<CommunicationRow>> ListCommunications(int64_t incident_id) = 0;

  virtual Result<int64_t> AppendLog(const IncidentLogRow& r) = 0;
  virtual Result<std::vector<IncidentLogRow>> ListLog(int64_t incident_id) = 0;

  virtual Result<int64_t> InsertClarification(const ClarificationRow& r) = 0;
  virtual Result<ClarificationRow> GetClarification(int64_t id) = 0;
  virtual Status UpdateClarification(const ClarificationRow& r) = 0;
  virtual Result<std::vector<ClarificationRow>> ListClarifications(int64_t incident_id) = 0;
  virtual Status AddClarificationPost(int64_t clarification_id, const std::string& post_id, TimeMs published_at) = 0;
  virtual Result<std::vector<std::pair<std::string, TimeMs>>> ClarificationPosts(int64_t clarification_id) = 0;

  virtual Result<int64_t> InsertTalkingPoint(const TalkingPointRow& r) = 0;
  virtual Result<TalkingPointRow> GetTalkingPoint(int64_t id) = 0;
  virtual Status UpdateTalkingPoint(const TalkingPointRow& r) = 0;
  virtual Result<std::vector<TalkingPointRow>> ListTalkingPoints(const std::string& topic,
                                                                 const std::string& status) = 0;

  virtual Result<int64_t> InsertStatementComment(const StatementCommentRow& r) = 0;
  virtual Status ResolveStatementComment(int64_t id) = 0;
  virtual Result<std::vector<StatementCommentRow>> ListStatementComments(int64_t statement_id) = 0;

  virtual Status PutPlan(const std::string& id, const std::string& json, TimeMs at) = 0;
  virtual Result<std::vector<std::string>> ListPlans() = 0;
};

}  // namespace yuqing::store
