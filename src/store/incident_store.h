// The incidents component of the store: incidents, their links (alerts, events, schemes, posts),
// team roles, plan tasks, statements with versions, commitments, the communications log, the
// incident log (every state and level change, who and when) and imported plans. Plain rows
// (core/incident.h) and queries; the rules (state machine, deadlines, guards) live in
// incident/incident_service.h.
//
// Times are TimeMs. An IncidentStore borrows one Database (one thread at a time), on SQLite or
// PostgreSQL: Init() picks the backend's implementation (store/incident_repository.h) and every
// method forwards to it, so a method called before Init() returns kInternal. Callers that need
// several writes to land together wrap them in a store::Transaction on db().
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/incident.h"
#include "core/status.h"
#include "core/time.h"
#include "store/database.h"

namespace yuqing::store {

// The domain types are core/incident.h's; these names stay for the store's callers.
using IncidentRow = ::yuqing::IncidentRow;
using IncidentLinkRow = ::yuqing::IncidentLinkRow;
using RoleRow = ::yuqing::RoleRow;
using TaskRow = ::yuqing::TaskRow;
using StatementRow = ::yuqing::StatementRow;
using CommitmentRow = ::yuqing::CommitmentRow;
using CommunicationRow = ::yuqing::CommunicationRow;
using IncidentLogRow = ::yuqing::IncidentLogRow;
using ClarificationRow = ::yuqing::ClarificationRow;
using TalkingPointRow = ::yuqing::TalkingPointRow;
using StatementCommentRow = ::yuqing::StatementCommentRow;

struct IncidentFilter {
  std::string state;  // "" = any
  int limit = 1000;
};

class IncidentRepository;

class IncidentStore {
 public:
  explicit IncidentStore(Database& db);
  ~IncidentStore();
  IncidentStore(const IncidentStore&) = delete;
  IncidentStore& operator=(const IncidentStore&) = delete;

  // Creates or migrates the incidents tables (component "incidents") on the session's backend.
  Status Init();
  Database& db() { return session_; }

  // Get*, Update*, RemoveRole and ResolveStatementComment return kNotFound for an absent row;
  // lists come in a fixed order (by time, then id) on both backends.
  Result<int64_t> InsertIncident(const IncidentRow& r);  // returns the new id
  Result<IncidentRow> GetIncident(int64_t id);           // kNotFound when absent
  Status UpdateIncident(const IncidentRow& r);           // all fields by id
  Result<std::vector<IncidentRow>> ListIncidents(const IncidentFilter& f = {});  // newest first
  Result<int64_t> CountIncidents();

  Status AddLink(const IncidentLinkRow& r);  // idempotent; kConflict when the incident is absent
  Result<std::vector<IncidentLinkRow>> Links(int64_t incident_id);

  Status PutRole(const RoleRow& r);  // idempotent per (incident, role, person)
  Status RemoveRole(int64_t incident_id, const std::string& role, const std::string& person);
  Result<std::vector<RoleRow>> Roles(int64_t incident_id);

  Result<int64_t> InsertTask(const TaskRow& r);
  Result<TaskRow> GetTask(int64_t id);
  Status UpdateTask(const TaskRow& r);
  // incident_id 0 = all incidents; open_due_before > 0 keeps only open tasks due before it.
  Result<std::vector<TaskRow>> ListTasks(int64_t incident_id, TimeMs open_due_before = 0);

  Result<int64_t> InsertStatement(const StatementRow& r);
  Result<StatementRow> GetStatement(int64_t id);
  Status UpdateStatement(const StatementRow& r);
  Result<std::vector<StatementRow>> ListStatements(int64_t incident_id);
  Result<int> NextStatementVersion(int64_t incident_id);

  Result<int64_t> InsertCommitment(const CommitmentRow& r);
  Result<CommitmentRow> GetCommitment(int64_t id);
  Status UpdateCommitment(const CommitmentRow& r);
  // incident_id 0 = all; open_due_before > 0 keeps only open commitments due before it.
  Result<std::vector<CommitmentRow>> ListCommitments(int64_t incident_id, TimeMs open_due_before = 0);
  // The earliest time at which an overdue check (IncidentService::Sweep) has something to do: an
  // open task of an incident neither closed nor reviewed reaching its next escalation stage
  // (stage k when now - due_at >= stage_after[k-1] and now > due_at), or an open commitment whose
  // overdue alert is not raised yet (now > due_at). nullopt when nothing is pending. One indexed
  // scan of the open tasks and commitments.
  Result<std::optional<TimeMs>> NextOverdueAt(const std::vector<TimeMs>& stage_after);

  Result<int64_t> InsertCommunication(const CommunicationRow& r);
  Result<std::vector<CommunicationRow>> ListCommunications(int64_t incident_id);

  Result<int64_t> AppendLog(const IncidentLogRow& r);
  Result<std::vector<IncidentLogRow>> ListLog(int64_t incident_id);

  // Clarifications (incident_records.cc). Posts found spreading a claim are kept per clarification.
  Result<int64_t> InsertClarification(const ClarificationRow& r);
  Result<ClarificationRow> GetClarification(int64_t id);
  Status UpdateClarification(const ClarificationRow& r);
  Result<std::vector<ClarificationRow>> ListClarifications(int64_t incident_id);
  Status AddClarificationPost(int64_t clarification_id, const std::string& post_id, TimeMs published_at);
  // The spreading posts' ids with their times, oldest first.
  Result<std::vector<std::pair<std::string, TimeMs>>> ClarificationPosts(int64_t clarification_id);

  // Talking points (口径库).
  Result<int64_t> InsertTalkingPoint(const TalkingPointRow& r);
  Result<TalkingPointRow> GetTalkingPoint(int64_t id);
  Status UpdateTalkingPoint(const TalkingPointRow& r);
  // topic "" = all; status "" = any; newest first.
  Result<std::vector<TalkingPointRow>> ListTalkingPoints(const std::string& topic, const std::string& status);

  // Review comments on statements.
  Result<int64_t> InsertStatementComment(const StatementCommentRow& r);
  Status ResolveStatementComment(int64_t id);
  Result<std::vector<StatementCommentRow>> ListStatementComments(int64_t statement_id);

  // Imported plans, as the JSON text of one plan each, by id.
  Status PutPlan(const std::string& id, const std::string& json, TimeMs at);
  Result<std::vector<std::string>> ListPlans();

 private:
  // Calls the backend's method, or refuses when Init() has not run (or failed).
  template <class R, class... Params, class... Args>
  R Forward(R (IncidentRepository::*method)(Params...), Args&&... args);

  Database& session_;
  std::unique_ptr<IncidentRepository> repo_;
};

}  // namespace yuqing::store
