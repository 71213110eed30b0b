// The incident service: the rules of crisis response on top of store::IncidentStore.
//   - opening an incident creates its plan's tasks with deadlines from detection;
//   - states go detected → acknowledged → responding → monitoring → closed → reviewed, one step at
//     a time (monitoring may go back to responding); closing needs a published statement or a
//     recorded decision not to respond; every change is logged with who and when;
//   - a level rise adds the tasks of the new level's plan (deadlines from the rise);
//   - statements are drafted in versions, checked, approved, published; publishing turns their
//     promises into tracked commitments, due times resolved against the publication time;
//   - Sweep() finds overdue tasks and commitments and calls the hooks, once per stage.
// Every time comes from the Clock given to the constructor (never the wall clock), so a replayed
// crisis gets the same deadlines. Not thread-safe: one service per thread/connection.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/status.h"
#include "core/time.h"
#include "incident/hooks.h"
#include "incident/plan.h"
#include "incident/statement_checker.h"
#include "store/incident_store.h"

namespace yuqing::incident {

// The states in order.
const std::vector<std::string>& IncidentStates();

struct OpenRequest {
  std::string title;
  std::string type = "general";
  std::string level = "IV";
  std::string alert_id;                 // opened from an alert (the caller resolves its links)
  std::optional<TimeMs> detected_at;    // the alert's time; default: now
  std::string actor;
  std::vector<store::IncidentLinkRow> links;  // events, schemes, evidence posts (incident_id ignored)
  std::vector<TeamMember> team;               // roles filled at once (e.g. from the department)
};

struct OpenedIncident {
  store::IncidentRow incident;
  std::vector<store::TaskRow> tasks;
};

// Escalation timing: stage k (1-based) fires when a task is overdue by stage_after[k-1].
struct EscalationPolicy {
  std::vector<TimeMs> stage_after = {0, 30 * kMinute, 2 * kHour};
};

struct SweepReport {
  int tasks_notified = 0;     // stage 1
  int tasks_escalated = 0;    // stage >= 2
  int commitments_overdue = 0;
  std::vector<std::string> hook_errors;
};

class IncidentService {
 public:
  // `hooks` and `checker` may be null (then nothing is notified / no commitments are extracted).
  IncidentService(store::IncidentStore& store, const Clock& clock, std::vector<Plan> plans,
                  ResponseHooks* hooks = nullptr, const StatementChecker* checker = nullptr,
                  EscalationPolicy policy = {});

  Result<OpenedIncident> Open(const OpenRequest& req);
  Result<store::IncidentRow> Get(int64_t id);

  // Moves to `to` (the next state, or monitoring → responding). Closing checks the guard.
  Result<store::IncidentRow> Transition(int64_t id, const std::string& to, const std::string& actor,
                                        const std::string& note = "");
  // Records the decision not to respond publicly, with its reason (satisfies the close guard).
  Result<store::IncidentRow> DecideNoResponse(int64_t id, const std::string& reason, const std::string& actor);
  Result<store::IncidentRow> ChangeLevel(int64_t id, const std::string& level, const std::string& reason,
                                         const std::string& actor);
  Status AssignRole(int64_t id, const std::string& role, const std::string& person, const std::string& actor);
  Status Link(int64_t id, const std::string& kind, const std::string& ref, const std::string& actor);

  Result<std::vector<store::TaskRow>> Tasks(int64_t incident_id, bool overdue_only);
  // Marks a task done; a repeating task (follow-ups) gets its next occurrence while not closed.
  Result<store::TaskRow> CompleteTask(int64_t task_id, const std::string& actor, const std::string& note);

  // A new draft (version = next for the incident; `previous_id` when it revises one). The draft
  // is checked now and the result kept with it.
  Result<store::StatementRow> AddStatement(int64_t incident_id, const std::string& body, const std::string& kind,
                                           int64_t previous_id, const std::string& actor);
  // Approval by a role the plan names (or anyone when the plan names none). Fails on a draft whose
  // check found errors unless `override_reason` is given (then it is logged).
  Result<store::StatementRow> ApproveStatement(int64_t statement_id, const std::string& actor,
                                               const std::string& override_reason = "");
  // Publication of an approved statement; `at` defaults to now. Creates its commitments.
  Result<store::StatementRow> PublishStatement(int64_t statement_id, const std::string& channel,
                                               const std::string& url, std::optional<TimeMs> at,
                                               const std::string& actor);

  Result<std::vector<store::CommitmentRow>> Commitments(int64_t incident_id, bool overdue_only);
  Result<store::CommitmentRow> KeepCommitment(int64_t commitment_id, const std::string& evidence,
                                              const std::string& actor);

  Result<int64_t> LogCommunication(store::CommunicationRow row);

  // Finds overdue tasks and commitments and fires the hooks (each stage once).
  Result<SweepReport> Sweep();
  // The earliest clock time at which Sweep() would fire something that has not fired yet (a
  // task's next escalation stage under this service's policy, a commitment's overdue alert);
  // nullopt when nothing is pending. Lets a replay sweep exactly at the deadlines on its clock.
  Result<std::optional<TimeMs>> NextDue();

  store::IncidentStore& store() { return store_; }
  const Clock& clock() const { return clock_; }
  const std::vector<Plan>& plans() const { return plans_; }

 private:
  Result<std::vector<store::TaskRow>> CreateTasks(const store::IncidentRow& inc, const Plan& plan, TimeMs base,
                                                  const std::vector<store::RoleRow>& roles);
  Status Log(int64_t incident_id, const std::string& actor, const std::string& kind, const nlohmann::json& detail);
  std::vector<TeamMember> Team(int64_t incident_id);
  void HookResult(int64_t incident_id, const Status& st, std::vector<std::string>* errors);

  store::IncidentStore& store_;
  const Clock& clock_;
  std::vector<Plan> plans_;
  ResponseHooks* hooks_;
  NullHooks null_hooks_;
  const StatementChecker* checker_;
  EscalationPolicy policy_;
};

// JSON views used by the CLI and (later) the API.
nlohmann::json IncidentToJson(const store::IncidentRow& r);
nlohmann::json TaskToJson(const store::TaskRow& r, TimeMs now);
nlohmann::json StatementToJson(const store::StatementRow& r, bool with_body = true);
nlohmann::json CommitmentToJson(const store::CommitmentRow& r, TimeMs now);

}  // namespace yuqing::incident
