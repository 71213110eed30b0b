// Internal to the incident store's backends (store/sqlite/incident_store.cc,
// store/postgres/incident_store.cc): the columns of each table, how a row decodes and the order
// a row's fields are written in, once for both. Not for use outside src/store/.
//
// A decoder's Row is a SQLite statement or a PostgreSQL row (Int, Text, IsNull). A writer passes
// each field to add(value) in its *Fields order, as int64_t, std::string or
// std::optional<int64_t> (NULL when empty).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "core/incident.h"
#include "core/status.h"

namespace yuqing::store::incident_rows {

// A missing row ("no task 7"), worded the same on both backends.
inline Status NoRow(const char* what, int64_t id) {
  return Status::NotFound(std::string("no ") + what + " " + std::to_string(id));
}

// ---- SQL text shared by both backends ----

enum class Placeholder { kQuestion, kDollar };  // SQLite's ?, PostgreSQL's $n

// "?,?,?" or "$first,…" for n parameters.
inline std::string Placeholders(Placeholder style, int n, int first = 1) {
  std::string s;
  for (int i = 0; i < n; ++i) {
    if (i) s += ",";
    s += style == Placeholder::kQuestion ? std::string("?") : "$" + std::to_string(first + i);
  }
  return s;
}

// "a=?, b=?" or "a=$first, b=$first+1" for the comma-separated columns of `fields`.
inline std::string Assignments(Placeholder style, std::string_view fields, int first = 1) {
  std::string out;
  int i = first;
  while (!fields.empty()) {
    size_t comma = fields.find(',');
    std::string_view col = fields.substr(0, comma);
    while (!col.empty() && col.front() == ' ') col.remove_prefix(1);
    if (!out.empty()) out += ", ";
    out += std::string(col) + "=" + (style == Placeholder::kQuestion ? std::string("?") : "$" + std::to_string(i++));
    fields = comma == std::string_view::npos ? std::string_view() : fields.substr(comma + 1);
  }
  return out;
}

// ---- incidents ----

inline constexpr const char* kIncidentFields =
    "title, type, level, state, alert_id, plan_id, detected_at, opened_at, opened_by, acknowledged_at, "
    "responding_at, monitoring_at, closed_at, reviewed_at, no_response_reason, updated_at";
inline constexpr int kIncidentFieldCount = 16;
inline constexpr const char* kIncidentCols =
    "id, title, type, level, state, alert_id, plan_id, detected_at, opened_at, opened_by, acknowledged_at, "
    "responding_at, monitoring_at, closed_at, reviewed_at, no_response_reason, updated_at";

template <class Row>
IncidentRow ReadIncident(const Row& s) {
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

template <class Add>
void WriteIncident(const IncidentRow& r, Add&& add) {
  add(r.title);
  add(r.type);
  add(r.level);
  add(r.state);
  add(r.alert_id);
  add(r.plan_id);
  add(r.detected_at);
  add(r.opened_at);
  add(r.opened_by);
  add(r.acknowledged_at);
  add(r.responding_at);
  add(r.monitoring_at);
  add(r.closed_at);
  add(r.reviewed_at);
  add(r.no_response_reason);
  add(r.updated_at);
}

// ---- links and roles (keyed by their fields; no id) ----

inline constexpr const char* kLinkCols = "incident_id, kind, ref, linked_at";
inline constexpr const char* kRoleCols = "incident_id, role, person, assigned_at, assigned_by";

template <class Row>
IncidentLinkRow ReadLink(const Row& s) {
  return IncidentLinkRow{s.Int(0), s.Text(1), s.Text(2), s.Int(3)};
}

template <class Add>
void WriteLink(const IncidentLinkRow& r, Add&& add) {
  add(r.incident_id);
  add(r.kind);
  add(r.ref);
  add(r.linked_at);
}

template <class Row>
RoleRow ReadRole(const Row& s) {
  return RoleRow{s.Int(0), s.Text(1), s.Text(2), s.Int(3), s.Text(4)};
}

template <class Add>
void WriteRole(const RoleRow& r, Add&& add) {
  add(r.incident_id);
  add(r.role);
  add(r.person);
  add(r.assigned_at);
  add(r.assigned_by);
}

// ---- plan tasks ----

inline constexpr const char* kTaskFields =
    "incident_id, plan_id, task_key, title, title_en, role, owner, kind, due_at, repeat_every, status, "
    "created_at, done_at, done_by, note, overdue_stage";
inline constexpr int kTaskFieldCount = 16;
inline constexpr const char* kTaskCols =
    "id, incident_id, plan_id, task_key, title, title_en, role, owner, kind, due_at, repeat_every, status, "
    "created_at, done_at, done_by, note, overdue_stage";

template <class Row>
TaskRow ReadTask(const Row& s) {
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

template <class Add>
void WriteTask(const TaskRow& r, Add&& add) {
  add(r.incident_id);
  add(r.plan_id);
  add(r.task_key);
  add(r.title);
  add(r.title_en);
  add(r.role);
  add(r.owner);
  add(r.kind);
  add(r.due_at);
  add(r.repeat_every);
  add(r.status);
  add(r.created_at);
  add(r.done_at);
  add(r.done_by);
  add(r.note);
  add(int64_t{r.overdue_stage});
}

// ---- statements ----

inline constexpr const char* kStatementFields =
    "incident_id, version, previous_id, kind, body, state, check_json, check_ok, created_at, created_by, "
    "approved_at, approved_by, published_at, channel, url";
inline constexpr int kStatementFieldCount = 15;
inline constexpr const char* kStatementCols =
    "id, incident_id, version, previous_id, kind, body, state, check_json, check_ok, created_at, created_by, "
    "approved_at, approved_by, published_at, channel, url";

template <class Row>
StatementRow ReadStatement(const Row& s) {
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

template <class Add>
void WriteStatement(const StatementRow& r, Add&& add) {
  add(r.incident_id);
  add(int64_t{r.version});
  add(r.previous_id);
  add(r.kind);
  add(r.body);
  add(r.state);
  add(r.check_json);
  add(int64_t{r.check_ok ? 1 : 0});
  add(r.created_at);
  add(r.created_by);
  add(r.approved_at);
  add(r.approved_by);
  add(r.published_at);
  add(r.channel);
  add(r.url);
}

// ---- commitments ----

inline constexpr const char* kCommitmentFields =
    "incident_id, statement_id, text, due_at, owner, status, created_at, kept_at, evidence, overdue_raised";
inline constexpr int kCommitmentFieldCount = 10;
inline constexpr const char* kCommitmentCols =
    "id, incident_id, statement_id, text, due_at, owner, status, created_at, kept_at, evidence, overdue_raised";

template <class Row>
CommitmentRow ReadCommitment(const Row& s) {
  CommitmentRow r;
  r.id = s.Int(0);
  r.incident_id = s.Int(1);
  r.statement_id = s.Int(2);
  r.text = s.Text(3);
  if (!s.IsNull(4)) r.due_at = s.Int(4);  // NULL: a commitment without a deadline
  r.owner = s.Text(5);
  r.status = s.Text(6);
  r.created_at = s.Int(7);
  r.kept_at = s.Int(8);
  r.evidence = s.Text(9);
  r.overdue_raised = s.Int(10) != 0;
  return r;
}

template <class Add>
void WriteCommitment(const CommitmentRow& r, Add&& add) {
  add(r.incident_id);
  add(r.statement_id);
  add(r.text);
  add(std::optional<int64_t>(r.due_at));
  add(r.owner);
  add(r.status);
  add(r.created_at);
  add(r.kept_at);
  add(r.evidence);
  add(int64_t{r.overdue_raised ? 1 : 0});
}

// ---- communications and the incident log ----

inline constexpr const char* kCommunicationFields = "incident_id, at, kind, channel, counterpart, content, actor";
inline constexpr int kCommunicationFieldCount = 7;
inline constexpr const char* kCommunicationCols = "id, incident_id, at, kind, channel, counterpart, content, actor";

template <class Row>
CommunicationRow ReadCommunication(const Row& s) {
  return CommunicationRow{s.Int(0), s.Int(1), s.Int(2), s.Text(3), s.Text(4), s.Text(5), s.Text(6), s.Text(7)};
}

template <class Add>
void WriteCommunication(const CommunicationRow& r, Add&& add) {
  add(r.incident_id);
  add(r.at);
  add(r.kind);
  add(r.channel);
  add(r.counterpart);
  add(r.content);
  add(r.actor);
}

inline constexpr const char* kLogFields = "incident_id, at, actor, kind, detail_json";
inline constexpr int kLogFieldCount = 5;
inline constexpr const char* kLogCols = "id, incident_id, at, actor, kind, detail_json";

template <class Row>
IncidentLogRow ReadLog(const Row& s) {
  return IncidentLogRow{s.Int(0), s.Int(1), s.Int(2), s.Text(3), s.Text(4), s.Text(5)};
}

template <class Add>
void WriteLog(const IncidentLogRow& r, Add&& add) {
  add(r.incident_id);
  add(r.at);
  add(r.actor);
  add(r.kind);
  add(r.detail_json.empty() ? std::string("{}") : r.detail_json);  // the detail is always a JSON object
}

// ---- clarifications ----

inline constexpr const char* kClarificationFields =
    "incident_id, claim, evidence, statement_id, query, simhash, created_at, created_by, scheme_id";
inline constexpr int kClarificationFieldCount = 9;
inline constexpr const char* kClarificationCols =
    "id, incident_id, claim, evidence, statement_id, query, simhash, created_at, created_by, scheme_id";
// What an update may change (the incident, the time and the author stay).
inline constexpr const char* kClarificationMutable = "claim, evidence, statement_id, query, simhash, scheme_id";
inline constexpr int kClarificationMutableCount = 6;

template <class Row>
ClarificationRow ReadClarification(const Row& s) {
  ClarificationRow r;
  r.id = s.Int(0);
  r.incident_id = s.Int(1);
  r.claim = s.Text(2);
  r.evidence = s.Text(3);
  r.statement_id = s.Int(4);
  r.query = s.Text(5);
  r.simhash = static_cast<uint64_t>(s.Int(6));  // stored as a signed 64-bit integer, bit for bit
  r.created_at = s.Int(7);
  r.created_by = s.Text(8);
  r.scheme_id = s.Int(9);
  return r;
}

template <class Add>
void WriteClarification(const ClarificationRow& r, Add&& add) {
  add(r.incident_id);
  add(r.claim);
  add(r.evidence);
  add(r.statement_id);
  add(r.query);
  add(static_cast<int64_t>(r.simhash));
  add(r.created_at);
  add(r.created_by);
  add(r.scheme_id);
}

template <class Add>
void WriteClarificationMutable(const ClarificationRow& r, Add&& add) {
  add(r.claim);
  add(r.evidence);
  add(r.statement_id);
  add(r.query);
  add(static_cast<int64_t>(r.simhash));
  add(r.scheme_id);
}

template <class Row>
std::pair<std::string, TimeMs> ReadClarificationPost(const Row& s) {
  return {s.Text(0), s.Int(1)};
}

// ---- talking points ----

inline constexpr const char* kTalkingPointFields =
    "topic, question, answer, incident_id, statement_id, status, created_by, created_at, approved_by, "
    "approved_at, updated_at";
inline constexpr int kTalkingPointFieldCount = 11;
inline constexpr const char* kTalkingPointCols =
    "id, topic, question, answer, incident_id, statement_id, status, created_by, created_at, approved_by, "
    "approved_at, updated_at";

template <class Row>
TalkingPointRow ReadTalkingPoint(const Row& s) {
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

template <class Add>
void WriteTalkingPoint(const TalkingPointRow& r, Add&& add) {
  add(r.topic);
  add(r.question);
  add(r.answer);
  add(r.incident_id);
  add(r.statement_id);
  add(r.status);
  add(r.created_by);
  add(r.created_at);
  add(r.approved_by);
  add(r.approved_at);
  add(r.updated_at);
}

// ---- statement review comments ----

inline constexpr const char* kCommentFields = "statement_id, sentence, author, text, at, resolved";
inline constexpr int kCommentFieldCount = 6;
inline constexpr const char* kCommentCols = "id, statement_id, sentence, author, text, at, resolved";

template <class Row>
StatementCommentRow ReadComment(const Row& s) {
  return StatementCommentRow{s.Int(0), s.Int(1), static_cast<int>(s.Int(2)), s.Text(3), s.Text(4), s.Int(5),
                             s.Int(6) != 0};
}

template <class Add>
void WriteComment(const StatementCommentRow& r, Add&& add) {
  add(r.statement_id);
  add(int64_t{r.sentence});
  add(r.author);
  add(r.text);
  add(r.at);
  add(int64_t{r.resolved ? 1 : 0});
}

}  // namespace yuqing::store::incident_rows
