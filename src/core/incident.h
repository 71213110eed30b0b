// Crisis response (应急处置): an incident and its records — links to alerts, events, schemes and
// posts, team roles, plan tasks, statements with their versions and review comments,
// commitments, the communications log, the incident log, rumour clarifications and talking
// points. Plain rows; the store keeps them (store/incident_store.h), the rules (state machine,
// deadlines, guards) are incident/incident_service.h's. Times are TimeMs.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "core/time.h"

namespace yuqing {

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

}  // namespace yuqing
