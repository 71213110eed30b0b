// The incidents component of the store: incidents, their links (alerts, events, schemes, posts),
// team roles, plan tasks, statements with versions, commitments, the communications log, the
// incident log (every state and level change, who and when) and imported plans. Plain rows and
// queries; the rules (state machine, deadlines, guards) live in incident/incident_service.h.
//
// Times are TimeMs. An IncidentStore borrows one Database (one thread at a time); callers that
// need several writes to land together wrap them in a store::Transaction on db().
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/status.h"
#include "core/time.h"
#include "store/database.h"

namespace yuqing::store {

struct IncidentRow {
  int64_t id = 0;
  std::string title;
  std::string type = "general";
  std::string level = "IV";  // I..IV
  std::string state = "detected";
  std::string alert_id;      // the alert it was opened from ("" when opened by hand)
  std::string plan_id;
  TimeMs detected_at = 0;    // the alert's time, or the time it was opened
  TimeMs opened_at = 0;
  std::string opened_by;
  TimeMs acknowledged_at = 0;  // 0: not yet
  TimeMs responding_at = 0;
  TimeMs monitoring_at = 0;
  TimeMs closed_at = 0;
  TimeMs reviewed_at = 0;
  std::string no_response_reason;  // a recorded decision not to respond publicly
  TimeMs updated_at = 0;
};

struct IncidentLinkRow {
  int64_t incident_id = 0;
  std::string kind;  // alert, event, scheme, post
  std::string ref;
  TimeMs linked_at = 0;
};

struct RoleRow {
  int64_t incident_id = 0;
  std::string role;
  std::string person;
  TimeMs assigned_at = 0;
  std::string assigned_by;
};

struct TaskRow {
  int64_t id = 0;
  int64_t incident_id = 0;
  std::string plan_id;
  std::string task_key;
  std::string title;     // zh
  std::string title_en;
  std::string role;
  std::string owner;     // a person, or "" until the role is filled
  std::string kind;
  TimeMs due_at = 0;
  TimeMs repeat_every = 0;
  std::string status = "open";  // open | done | cancelled
  TimeMs created_at = 0;
  TimeMs done_at = 0;
  std::string done_by;
  std::string note;
  int overdue_stage = 0;  // escalation stages already fired (0: none)
};

struct StatementRow {
  int64_t id = 0;
  int64_t incident_id = 0;
  int version = 1;        // per incident, in order of drafting
  int64_t previous_id = 0;  // the version this one revises (0: a new statement)
  std::string kind;       // holding | authoritative | update | clarification | other
  std::string body;
  std::string state = "draft";  // draft | approved | published | withdrawn
  std::string check_json;       // the last `statement check` result
  bool check_ok = false;
  TimeMs created_at = 0;
  std::string created_by;
  TimeMs approved_at = 0;
  std::string approved_by;
  TimeMs published_at = 0;
  std::string channel;
  std::string url;
};

struct CommitmentRow {
  int64_t id = 0;
  int64_t incident_id = 0;
  int64_t statement_id = 0;
  std::string text;
  std::optional<TimeMs> due_at;
  std::string owner;
  std::string status = "open";  // open | kept
  TimeMs created_at = 0;
  TimeMs kept_at = 0;
  std::string evidence;
  bool overdue_raised = false;  // the overdue hook has fired
};

struct CommunicationRow {
  int64_t id = 0;
  int64_t incident_id = 0;
  TimeMs at = 0;
  std::string kind;  // media | public | internal
  std::string channel;
  std::string counterpart;  // the journalist, the person answered, the staff group
  std::string content;
  std::string actor;
};

struct IncidentLogRow {
  int64_t id = 0;
  int64_t incident_id = 0;
  TimeMs at = 0;
  std::string actor;
  std::string kind;         // opened, state, level, role, link, task_done, task_overdue, statement_*, ...
  std::string detail_json;  // a JSON object
};

// A rumour clarification (辟谣): the false claim, the evidence against it, the statement that
// answers it, and the query generated to follow its spread.
struct ClarificationRow {
  int64_t id = 0;
  int64_t incident_id = 0;
  std::string claim;        // the false claim, as people spread it
  std::string evidence;     // what shows it is false (facts, test results, URLs)
  int64_t statement_id = 0; // the clarification statement (0: none yet)
  std::string query;        // the scheme's query (generated from the claim's words, or given)
  uint64_t simhash = 0;     // SimHash of the claim (near-duplicates)
  TimeMs created_at = 0;
  std::string created_by;
  int64_t scheme_id = 0;    // the monitoring scheme saved from `query` (0: none)
};

// A talking point (口径库): an approved answer to a question on a topic.
struct TalkingPointRow {
  int64_t id = 0;
  std::string topic;
  std::string question;
  std::string answer;
  int64_t incident_id = 0;   // where it came from (0: general)
  int64_t statement_id = 0;  // the statement it was taken from (0: written directly)
  std::string status = "draft";  // draft | approved | retired
  std::string created_by;
  TimeMs created_at = 0;
  std::string approved_by;
  TimeMs approved_at = 0;
  TimeMs updated_at = 0;
};

// A review comment on a statement version, optionally on one sentence (0-based; -1 = the whole).
struct StatementCommentRow {
  int64_t id = 0;
  int64_t statement_id = 0;
  int sentence = -1;
  std::string author;
  std::string text;
  TimeMs at = 0;
  bool resolved = false;
};

struct IncidentFilter {
  std::string state;  // "" = any
  int limit = 1000;
};

class IncidentStore {
 public:
  explicit IncidentStore(Database& db) : db_(db) {}
  // Creates or migrates the incidents tables (Database::EnsureSchema("incidents", ...)).
  Status Init();
  Database& db() { return db_; }

  Result<int64_t> InsertIncident(const IncidentRow& r);  // returns the new id
  Result<IncidentRow> GetIncident(int64_t id);           // kNotFound when absent
  Status UpdateIncident(const IncidentRow& r);           // all fields by id
  Result<std::vector<IncidentRow>> ListIncidents(const IncidentFilter& f = {});  // newest first
  Result<int64_t> CountIncidents();

  Status AddLink(const IncidentLinkRow& r);  // idempotent
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
  Database& db_;
};

}  // namespace yuqing::store
