// /api/v1/incidents and the rest of crisis response (处置). The rules live in incident/
// (IncidentService, evaluation, clarifications, the library); these handlers parse, scope by
// department, call them on the request's connection and shape the JSON the CLI also prints.
//
// Scoping: an incident is visible to admins, to members of one of its departments (links of kind
// "department"), and to everyone when it names no department. Changes need a responder role.
#include "server/incident_handlers.h"

#include <algorithm>

#include "app/listeners.h"
#include "core/incident.h"
#include "incident/alert_intake.h"
#include "incident/clarification.h"
#include "incident/evaluation.h"
#include "incident/library.h"
#include "incident/response.h"
#include "server/handlers.h"

namespace yuqing::server {
namespace {

using nlohmann::json;
namespace inc = yuqing::incident;

constexpr RoleSet kResponders = kAdmin | kAnalyst | kResponder;

Result<std::unique_ptr<inc::Response>> Open(Ctx& c) {
  YQ_ASSIGN_OR_RETURN(Conn * conn, c.conn());
  // Hooks wired as for the CLI and the sweeper (app/listeners.h).
  return app::OpenResponse(c.state.services, *conn->db);
}

std::string Str(const json& b, const char* key, size_t max = 64 * 1024) {
  if (!b.is_object() || !b.contains(key) || !b[key].is_string()) return "";
  std::string s = b[key].get<std::string>();
  return s.size() > max ? s.substr(0, max) : s;
}

int64_t Int(const json& b, const char* key) {
  if (!b.is_object() || !b.contains(key)) return 0;
  if (b[key].is_number_integer()) return b[key].get<int64_t>();
  if (b[key].is_string()) return std::atoll(b[key].get<std::string>().c_str());
  return 0;
}

Result<json> Body(Ctx& c) {
  if (c.req.body.empty()) return json::object();
  YQ_ASSIGN_OR_RETURN(json b, c.JsonBody());
  if (!b.is_object()) return Status::Invalid("the body must be a JSON object");
  return b;
}

Result<std::optional<TimeMs>> OptTime(const json& b, const char* key) {
  std::string s = Str(b, key, 64);
  if (s.empty()) return std::optional<TimeMs>();
  auto t = ParseTime(s);
  if (!t.ok()) return Status::Invalid(std::string(key) + ": " + t.status().message());
  return std::optional<TimeMs>(*t);
}

Result<std::vector<std::string>> DepartmentsOf(store::IncidentStore& store, int64_t id) {
  YQ_ASSIGN_OR_RETURN(auto links, store.Links(id));
  std::vector<std::string> out;
  for (const auto& l : links)
    if (l.kind == "department") out.push_back(l.ref);
  return out;
}

// NotFound (not Permission) for incidents outside the caller's departments: no probing.
Result<IncidentRow> Visible(Ctx& c, store::IncidentStore& store, int64_t id) {
  auto r = store.GetIncident(id);
  if (!r.ok()) return Status::NotFound("no incident " + std::to_string(id));
  if (c.who.admin()) return r;
  YQ_ASSIGN_OR_RETURN(auto deps, DepartmentsOf(store, id));
  if (!deps.empty() && !c.who.InAnyDepartment(deps)) return Status::NotFound("no incident " + std::to_string(id));
  return r;
}

Result<IncidentRow> VisibleFromPath(Ctx& c, inc::Response& r) {
  YQ_ASSIGN_OR_RETURN(int64_t id, IdFrom(c.PathParam(0), "incident"));
  return Visible(c, r.store(), id);
}

Result<StatementRow> VisibleStatement(Ctx& c, inc::Response& r) {
  YQ_ASSIGN_OR_RETURN(int64_t id, IdFrom(c.PathParam(0), "statement"));
  auto s = r.store().GetStatement(id);
  if (!s.ok()) return Status::NotFound("no statement " + std::to_string(id));
  YQ_RETURN_IF_ERROR(Visible(c, r.store(), s->incident_id).status());
  return s;
}

Result<json> IncidentDetail(inc::Response& r, const IncidentRow& row, TimeMs now) {
  auto& st = r.store();
  json j = inc::IncidentToJson(row);
  // The plan by its title, as the page shows it ("较大舆情应对预案", not "general-minor").
  j["plan_title"] = {{"zh", row.plan_id}, {"en", row.plan_id}};
  for (const auto& p : r.service().plans())
    if (p.id == row.plan_id) j["plan_title"] = {{"zh", p.title_zh}, {"en", p.title_en}};
  YQ_ASSIGN_OR_RETURN(auto roles, st.Roles(row.id));
  j["team"] = json::array();
  for (const auto& ro : roles) j["team"].push_back({{"role", ro.role}, {"person", ro.person}});
  YQ_ASSIGN_OR_RETURN(auto links, st.Links(row.id));
  j["links"] = json::array();
  for (const auto& l : links) j["links"].push_back({{"kind", l.kind}, {"ref", l.ref}});
  YQ_ASSIGN_OR_RETURN(auto tasks, st.ListTasks(row.id));
  j["tasks"] = json::array();
  for (const auto& t : tasks) j["tasks"].push_back(inc::TaskToJson(t, now));
  YQ_ASSIGN_OR_RETURN(auto sts, st.ListStatements(row.id));
  j["statements"] = json::array();
  for (const auto& s : sts) j["statements"].push_back(inc::StatementToJson(s, false));
  YQ_ASSIGN_OR_RETURN(auto cs, st.ListCommitments(row.id));
  j["commitments"] = json::array();
  for (const auto& cm : cs) j["commitments"].push_back(inc::CommitmentToJson(cm, now));
  YQ_ASSIGN_OR_RETURN(auto comms, st.ListCommunications(row.id));
  j["communications"] = json::array();
  for (const auto& cm : comms)
    j["communications"].push_back({{"id", cm.id}, {"at", FormatTime(cm.at)}, {"kind", cm.kind}, {"channel", cm.channel},
                                   {"with", cm.counterpart}, {"content", cm.content}, {"actor", cm.actor}});
  j["now"] = FormatTime(now);
  return j;
}

// ---- incidents
Result<Reply> ListIncidents(Ctx& c) {
  YQ_ASSIGN_OR_RETURN(auto r, Open(c));
  store::IncidentFilter f;
  f.state = c.Param("state");
  if (!f.state.empty() && std::find(inc::IncidentStates().begin(), inc::IncidentStates().end(), f.state) ==
                              inc::IncidentStates().end())
    return Status::Invalid("state must be one of detected, acknowledged, responding, monitoring, closed, reviewed");
  YQ_ASSIGN_OR_RETURN(int64_t limit, IntParam(c, "limit", 200, 1000));
  f.limit = static_cast<int>(limit);
  YQ_ASSIGN_OR_RETURN(auto rows, r->store().ListIncidents(f));
  const TimeMs now = c.now();
  json items = json::array();
  for (const auto& row : rows) {
    if (!Visible(c, r->store(), row.id).ok()) continue;
    json j = inc::IncidentToJson(row);
    YQ_ASSIGN_OR_RETURN(auto tasks, r->store().ListTasks(row.id));
    int open = 0, overdue = 0;
    TimeMs next_due = 0;
    for (const auto& t : tasks) {
      if (t.status != "open") continue;
      ++open;
      if (now > t.due_at) ++overdue;
      else if (next_due == 0 || t.due_at < next_due) next_due = t.due_at;
    }
    j["open_tasks"] = open;
    j["overdue_tasks"] = overdue;
    j["next_due_at"] = next_due ? json(FormatTime(next_due)) : json(nullptr);
    items.push_back(std::move(j));
  }
  return Reply(json{{"items", std::move(items)}, {"now", FormatTime(now)}});
}

Result<Reply> OpenIncident(Ctx& c) {
  YQ_ASSIGN_OR_RETURN(json b, Body(c));
  YQ_ASSIGN_OR_RETURN(auto r, Open(c));
  inc::OpenRequest req;
  req.title = Str(b, "title", 2048);
  req.level = Str(b, "level", 8);
  req.type = Str(b, "type", 64);
  if (req.type.empty()) req.type = "general";
  req.alert_id = Str(b, "alert_id", 32);
  if (req.alert_id.empty() && Int(b, "alert_id") > 0) req.alert_id = std::to_string(Int(b, "alert_id"));
  req.actor = c.who.name;
  YQ_ASSIGN_OR_RETURN(req.detected_at, OptTime(b, "detected_at"));
  if (b.contains("team") && b["team"].is_array())
    for (const auto& m : b["team"]) req.team.push_back({Str(m, "role", 64), Str(m, "person", 256)});
  if (b.contains("departments") && b["departments"].is_array())
    for (const auto& d : b["departments"])
      if (d.is_string()) {
        IncidentLinkRow l;
        l.kind = "department";
        l.ref = d.get<std::string>().substr(0, 256);
        req.links.push_back(l);
      }
  if (!req.alert_id.empty()) {
    YQ_RETURN_IF_ERROR(inc::FillFromAlert(r->store().db(), req));
  } else if (req.level.empty()) {
    return Status::Invalid("level: required (I, II, III or IV) unless opened from alert_id");
  }
  if (!c.who.admin()) {  // a non-admin opens incidents for their own departments
    std::vector<std::string> deps;
    for (const auto& l : req.links)
      if (l.kind == "department") deps.push_back(l.ref);
    if (!deps.empty() && !c.who.InAnyDepartment(deps)) return Status::Permission("not one of your departments");
  }
  YQ_ASSIGN_OR_RETURN(auto opened, r->service().Open(req));
  c.Audit("incident.open", "incident:" + std::to_string(opened.incident.id),
          {{"alert", req.alert_id}, {"level", opened.incident.level}});
  YQ_ASSIGN_OR_RETURN(json j, IncidentDetail(*r, opened.incident, c.now()));
  Reply reply(std::move(j));
  reply.status = 201;
  return reply;
}

Result<Reply> GetIncident(Ctx& c) {
  YQ_ASSIGN_OR_RETURN(auto r, Open(c));
  YQ_ASSIGN_OR_RETURN(auto row, VisibleFromPath(c, *r));
  YQ_ASSIGN_OR_RETURN(json j, IncidentDetail(*r, row, c.now()));
  return Reply(std::move(j));
}

Result<Reply> TransitionIncident(Ctx& c) {
  YQ_ASSIGN_OR_RETURN(json b, Body(c));
  YQ_ASSIGN_OR_RETURN(auto r, Open(c));
  YQ_ASSIGN_OR_RETURN(auto row, VisibleFromPath(c, *r));
  std::string to = Str(b, "to", 32), reason = Str(b, "no_response_reason", 4096);
  if (!reason.empty()) YQ_RETURN_IF_ERROR(r->service().DecideNoResponse(row.id, reason, c.who.name).status());
  YQ_ASSIGN_OR_RETURN(auto after, r->service().Transition(row.id, to, c.who.name, Str(b, "note", 4096)));
  c.Audit("incident.state", "incident:" + std::to_string(row.id), {{"from", row.state}, {"to", after.state}});
  YQ_ASSIGN_OR_RETURN(json j, IncidentDetail(*r, after, c.now()));
  return Reply(std::move(j));
}

Result<Reply> ChangeLevel(Ctx& c) {
  YQ_ASSIGN_OR_RETURN(json b, Body(c));
  YQ_ASSIGN_OR_RETURN(auto r, Open(c));
  YQ_ASSIGN_OR_RETURN(auto row, VisibleFromPath(c, *r));
  YQ_ASSIGN_OR_RETURN(auto after, r->service().ChangeLevel(row.id, Str(b, "level", 8), Str(b, "reason", 4096), c.who.name));
  c.Audit("incident.level", "incident:" + std::to_string(row.id), {{"from", row.level}, {"to", after.level}});
  YQ_ASSIGN_OR_RETURN(json j, IncidentDetail(*r, after, c.now()));
  return Reply(std::move(j));
}

Result<Reply> AssignRole(Ctx& c) {
  YQ_ASSIGN_OR_RETURN(json b, Body(c));
  YQ_ASSIGN_OR_RETURN(auto r, Open(c));
  YQ_ASSIGN_OR_RETURN(auto row, VisibleFromPath(c, *r));
  YQ_RETURN_IF_ERROR(r->service().AssignRole(row.id, Str(b, "role", 64), Str(b, "person", 256), c.who.name));
  c.Audit("incident.role", "incident:" + std::to_string(row.id), {{"role", Str(b, "role", 64)}, {"person", Str(b, "person", 256)}});
  YQ_ASSIGN_OR_RETURN(json j, IncidentDetail(*r, row, c.now()));
  return Reply(std::move(j));
}

Result<Reply> LinkIncident(Ctx& c) {
  YQ_ASSIGN_OR_RETURN(json b, Body(c));
  YQ_ASSIGN_OR_RETURN(auto r, Open(c));
  YQ_ASSIGN_OR_RETURN(auto row, VisibleFromPath(c, *r));
  std::string ref = Str(b, "ref", 2048);
  if (ref.empty() && Int(b, "ref") > 0) ref = std::to_string(Int(b, "ref"));
  YQ_RETURN_IF_ERROR(r->service().Link(row.id, Str(b, "kind", 32), ref, c.who.name));
  c.Audit("incident.link", "incident:" + std::to_string(row.id), {{"kind", Str(b, "kind", 32)}, {"ref", ref}});
  YQ_ASSIGN_OR_RETURN(json j, IncidentDetail(*r, row, c.now()));
  return Reply(std::move(j));
}

Result<Reply> LogCommunication(Ctx& c) {
  YQ_ASSIGN_OR_RETURN(json b, Body(c));
  YQ_ASSIGN_OR_RETURN(auto r, Open(c));
  YQ_ASSIGN_OR_RETURN(auto row, VisibleFromPath(c, *r));
  CommunicationRow cm;
  cm.incident_id = row.id;
  cm.kind = Str(b, "kind", 32);
  cm.channel = Str(b, "channel", 256);
  cm.counterpart = Str(b, "with", 256);
  cm.content = Str(b, "content");
  cm.actor = c.who.name;
  YQ_ASSIGN_OR_RETURN(auto at, OptTime(b, "at"));
  if (at) cm.at = *at;
  YQ_ASSIGN_OR_RETURN(int64_t id, r->service().LogCommunication(cm));
  c.Audit("incident.communication", "incident:" + std::to_string(row.id), {{"id", id}, {"kind", cm.kind}});
  Reply reply(json{{"id", id}});
  reply.status = 201;
  return reply;
}

Result<Reply> IncidentTimeline(Ctx& c) {
  YQ_ASSIGN_OR_RETURN(auto r, Open(c));
  YQ_ASSIGN_OR_RETURN(auto row, VisibleFromPath(c, *r));
  YQ_ASSIGN_OR_RETURN(json j, inc::Timeline(r->store(), row.id, c.now()));
  return Reply(std::move(j));
}

Result<Reply> IncidentEval(Ctx& c) {
  YQ_ASSIGN_OR_RETURN(auto r, Open(c));
  YQ_ASSIGN_OR_RETURN(auto row, VisibleFromPath(c, *r));
  inc::FigureOptions fo;
  if (auto w = c.Param("window"); !w.empty()) {
    auto d = ParseDuration(w);
    if (!d.ok() || *d <= 0 || *d > 30 * kDay) return Status::Invalid("window: a duration such as 6h (up to 30d)");
    fo.window = *d;
  }
  YQ_ASSIGN_OR_RETURN(json j, inc::Evaluate(r->store(), row.id, c.now(), fo));
  return Reply(std::move(j));
}

Result<Reply> IncidentStats(Ctx& c) {
  YQ_ASSIGN_OR_RETURN(auto r, Open(c));
  YQ_ASSIGN_OR_RETURN(json j, inc::Stats(r->store(), c.now()));
  return Reply(std::move(j));
}

// ---- tasks
Result<Reply> ListTasks(Ctx& c) {
  YQ_ASSIGN_OR_RETURN(auto r, Open(c));
  YQ_ASSIGN_OR_RETURN(auto row, VisibleFromPath(c, *r));
  YQ_ASSIGN_OR_RETURN(auto tasks, r->service().Tasks(row.id, c.Param("overdue") == "1" || c.Param("overdue") == "true"));
  json a = json::array();
  for (const auto& t : tasks) a.push_back(inc::TaskToJson(t, c.now()));
  return Reply(json{{"items", std::move(a)}, {"now", FormatTime(c.now())}});
}

Result<Reply> CompleteTask(Ctx& c) {
  YQ_ASSIGN_OR_RETURN(json b, Body(c));
  YQ_ASSIGN_OR_RETURN(auto r, Open(c));
  YQ_ASSIGN_OR_RETURN(int64_t id, IdFrom(c.PathParam(0), "task"));
  auto t = r->store().GetTask(id);
  if (!t.ok()) return Status::NotFound("no task " + std::to_string(id));
  YQ_RETURN_IF_ERROR(Visible(c, r->store(), t->incident_id).status());
  YQ_ASSIGN_OR_RETURN(auto done, r->service().CompleteTask(id, c.who.name, Str(b, "note", 4096)));
  c.Audit("task.done", "task:" + std::to_string(id), {{"incident", done.incident_id}});
  return Reply(inc::TaskToJson(done, c.now()));
}

// ---- statements
Result<Reply> ListStatements(Ctx& c) {
  YQ_ASSIGN_OR_RETURN(auto r, Open(c));
  YQ_ASSIGN_OR_RETURN(auto row, VisibleFromPath(c, *r));
  YQ_ASSIGN_OR_RETURN(auto rows, r->store().ListStatements(row.id));
  json a = json::array();
  for (const auto& s : rows) a.push_back(inc::StatementToJson(s, true));
  return Reply(json{{"items", std::move(a)}});
}

Result<Reply> AddStatement(Ctx& c) {
  YQ_ASSIGN_OR_RETURN(json b, Body(c));
  YQ_ASSIGN_OR_RETURN(auto r, Open(c));
  YQ_ASSIGN_OR_RETURN(auto row, VisibleFromPath(c, *r));
  YQ_ASSIGN_OR_RETURN(auto s, r->service().AddStatement(row.id, Str(b, "body"), Str(b, "kind", 32), Int(b, "revises"),
                                                          c.who.name));
  c.Audit("statement.add", "statement:" + std::to_string(s.id), {{"incident", row.id}, {"version", s.version}});
  Reply reply(inc::StatementToJson(s, true));
  reply.status = 201;
  return reply;
}

Result<Reply> CheckStatement(Ctx& c) {
  YQ_ASSIGN_OR_RETURN(json b, Body(c));
  std::string text = Str(b, "text", 1 << 20);
  if (text.size() > kMaxTextBytes) return Status::TooLarge("text: longer than 64 KiB");
  YQ_ASSIGN_OR_RETURN(auto at, OptTime(b, "at"));
  YQ_ASSIGN_OR_RETURN(auto r, Open(c));
  YQ_ASSIGN_OR_RETURN(auto result, r->checker().Check(text, at.value_or(c.now()), Str(b, "lang", 8) == "en"));
  return Reply(inc::CheckResultToJson(result, text));
}

Result<Reply> GetStatement(Ctx& c) {
  YQ_ASSIGN_OR_RETURN(auto r, Open(c));
  YQ_ASSIGN_OR_RETURN(auto s, VisibleStatement(c, *r));
  json j = inc::StatementToJson(s, true);
  YQ_ASSIGN_OR_RETURN(auto comments, r->store().ListStatementComments(s.id));
  j["comments"] = json::array();
  for (const auto& cm : comments) j["comments"].push_back(inc::CommentToJson(cm));
  return Reply(std::move(j));
}

Result<Reply> ApproveStatement(Ctx& c) {
  YQ_ASSIGN_OR_RETURN(json b, Body(c));
  YQ_ASSIGN_OR_RETURN(auto r, Open(c));
  YQ_ASSIGN_OR_RETURN(auto s, VisibleStatement(c, *r));
  YQ_ASSIGN_OR_RETURN(auto after, r->service().ApproveStatement(s.id, c.who.name, Str(b, "override", 4096)));
  c.Audit("statement.approve", "statement:" + std::to_string(s.id), {{"override", Str(b, "override", 4096)}});
  return Reply(inc::StatementToJson(after, true));
}

Result<Reply> PublishStatement(Ctx& c) {
  YQ_ASSIGN_OR_RETURN(json b, Body(c));
  YQ_ASSIGN_OR_RETURN(auto r, Open(c));
  YQ_ASSIGN_OR_RETURN(auto s, VisibleStatement(c, *r));
  YQ_ASSIGN_OR_RETURN(auto at, OptTime(b, "at"));
  YQ_ASSIGN_OR_RETURN(auto after, r->service().PublishStatement(s.id, Str(b, "channel", 256), Str(b, "url", 2048), at,
                                                                c.who.name));
  c.Audit("statement.publish", "statement:" + std::to_string(s.id), {{"channel", after.channel}});
  json j = inc::StatementToJson(after, false);
  YQ_ASSIGN_OR_RETURN(auto cs, r->store().ListCommitments(after.incident_id));
  j["commitments"] = json::array();
  for (const auto& cm : cs)
    if (cm.statement_id == after.id) j["commitments"].push_back(inc::CommitmentToJson(cm, c.now()));
  return Reply(std::move(j));
}

Result<Reply> DiffStatement(Ctx& c) {
  YQ_ASSIGN_OR_RETURN(auto r, Open(c));
  YQ_ASSIGN_OR_RETURN(auto s, VisibleStatement(c, *r));
  int64_t against = s.previous_id;
  if (auto a = c.Param("against"); !a.empty()) {
    YQ_ASSIGN_OR_RETURN(against, IdFrom(a, "statement"));
  }
  if (against == 0) return Status::Invalid("against: this version revises none; name the one to compare with");
  auto old = r->store().GetStatement(against);
  if (!old.ok() || old->incident_id != s.incident_id) return Status::NotFound("no statement " + std::to_string(against));
  json j = inc::DiffToJson(inc::DiffStatements(old->body, s.body));
  j["old"] = {{"id", old->id}, {"version", old->version}};
  j["new"] = {{"id", s.id}, {"version", s.version}};
  return Reply(std::move(j));
}

Result<Reply> CommentStatement(Ctx& c) {
  YQ_ASSIGN_OR_RETURN(json b, Body(c));
  YQ_ASSIGN_OR_RETURN(auto r, Open(c));
  YQ_ASSIGN_OR_RETURN(auto s, VisibleStatement(c, *r));
  int sentence = b.contains("sentence") && b["sentence"].is_number_integer() ? b["sentence"].get<int>() : -1;
  YQ_ASSIGN_OR_RETURN(auto cm, inc::AddComment(r->store(), s.id, sentence, Str(b, "text", 8192), c.who.name, c.now()));
  c.Audit("statement.comment", "statement:" + std::to_string(s.id), {{"comment", cm.id}});
  Reply reply(inc::CommentToJson(cm));
  reply.status = 201;
  return reply;
}

// ---- commitments
Result<Reply> ListCommitments(Ctx& c) {
  YQ_ASSIGN_OR_RETURN(auto r, Open(c));
  YQ_ASSIGN_OR_RETURN(auto row, VisibleFromPath(c, *r));
  YQ_ASSIGN_OR_RETURN(auto rows, r->service().Commitments(row.id, c.Param("overdue") == "1" || c.Param("overdue") == "true"));
  json a = json::array();
  for (const auto& cm : rows) a.push_back(inc::CommitmentToJson(cm, c.now()));
  return Reply(json{{"items", std::move(a)}, {"now", FormatTime(c.now())}});
}

Result<Reply> KeepCommitment(Ctx& c) {
  YQ_ASSIGN_OR_RETURN(json b, Body(c));
  YQ_ASSIGN_OR_RETURN(auto r, Open(c));
  YQ_ASSIGN_OR_RETURN(int64_t id, IdFrom(c.PathParam(0), "commitment"));
  auto cm = r->store().GetCommitment(id);
  if (!cm.ok()) return Status::NotFound("no commitment " + std::to_string(id));
  YQ_RETURN_IF_ERROR(Visible(c, r->store(), cm->incident_id).status());
  YQ_ASSIGN_OR_RETURN(auto kept, r->service().KeepCommitment(id, Str(b, "evidence", 2048), c.who.name));
  c.Audit("commitment.kept", "commitment:" + std::to_string(id), {{"evidence", kept.evidence}});
  return Reply(inc::CommitmentToJson(kept, c.now()));
}

// ---- clarifications
inc::Clarifications MakeClarifications(Ctx& c, inc::Response& r) {
  std::shared_ptr<const text::Segmenter> seg;
  if (auto s = c.state.services.segmenter(); s.ok()) seg = *s;
  return inc::Clarifications(r.store(), c.state.services.clock(), c.state.norm, seg);
}

Result<Reply> ListClarifications(Ctx& c) {
  YQ_ASSIGN_OR_RETURN(auto r, Open(c));
  YQ_ASSIGN_OR_RETURN(auto row, VisibleFromPath(c, *r));
  auto cl = MakeClarifications(c, *r);
  YQ_ASSIGN_OR_RETURN(auto rows, r->store().ListClarifications(row.id));
  json a = json::array();
  for (const auto& x : rows) {
    YQ_ASSIGN_OR_RETURN(json j, cl.Report(x.id, false));
    a.push_back(std::move(j));
  }
  return Reply(json{{"items", std::move(a)}});
}

Result<Reply> AddClarification(Ctx& c) {
  YQ_ASSIGN_OR_RETURN(json b, Body(c));
  YQ_ASSIGN_OR_RETURN(auto r, Open(c));
  YQ_ASSIGN_OR_RETURN(auto row, VisibleFromPath(c, *r));
  auto cl = MakeClarifications(c, *r);
  inc::ClarificationRequest req;
  req.incident_id = row.id;
  req.claim = Str(b, "claim", 4096);
  req.evidence = Str(b, "evidence");
  req.statement_id = Int(b, "statement_id");
  req.query = Str(b, "query", 8192);
  req.actor = c.who.name;
  bool created = false;
  YQ_ASSIGN_OR_RETURN(auto x, cl.Add(req, &created));
  // The scheme it saved is a change of its own (schemes are audited by id like `topics add`).
  c.Audit(created ? "clarification.add" : "clarification.update", "clarification:" + std::to_string(x.id),
          {{"incident", row.id}, {"scheme", x.scheme_id > 0 ? json(x.scheme_id) : json(nullptr)}, {"query", x.query}});
  YQ_ASSIGN_OR_RETURN(json j, cl.Report(x.id, false));
  j["created"] = created;
  Reply reply(std::move(j));
  reply.status = created ? 201 : 200;
  return reply;
}

Result<Reply> SetClarificationStatement(Ctx& c) {
  YQ_ASSIGN_OR_RETURN(json b, Body(c));
  YQ_ASSIGN_OR_RETURN(auto r, Open(c));
  YQ_ASSIGN_OR_RETURN(int64_t id, IdFrom(c.PathParam(0), "clarification"));
  auto x = r->store().GetClarification(id);
  if (!x.ok()) return Status::NotFound("no clarification " + std::to_string(id));
  YQ_RETURN_IF_ERROR(Visible(c, r->store(), x->incident_id).status());
  const int64_t sid = Int(b, "statement_id");
  if (sid <= 0) return Status::Invalid("statement_id: missing");
  auto cl = MakeClarifications(c, *r);
  YQ_ASSIGN_OR_RETURN(auto linked, cl.SetStatement(id, sid, c.who.name));
  c.Audit("clarification.statement", "clarification:" + std::to_string(id),
          {{"statement", sid}, {"scheme", linked.scheme_id > 0 ? json(linked.scheme_id) : json(nullptr)}});
  YQ_ASSIGN_OR_RETURN(json j, cl.Report(id, false));
  return Reply(std::move(j));
}

Result<Reply> GetClarification(Ctx& c) {
  YQ_ASSIGN_OR_RETURN(auto r, Open(c));
  YQ_ASSIGN_OR_RETURN(int64_t id, IdFrom(c.PathParam(0), "clarification"));
  auto x = r->store().GetClarification(id);
  if (!x.ok()) return Status::NotFound("no clarification " + std::to_string(id));
  YQ_RETURN_IF_ERROR(Visible(c, r->store(), x->incident_id).status());
  auto cl = MakeClarifications(c, *r);
  YQ_ASSIGN_OR_RETURN(json j, cl.Report(id, true));
  return Reply(std::move(j));
}

// ---- talking points
Result<Reply> ListTalkingPoints(Ctx& c) {
  YQ_ASSIGN_OR_RETURN(auto r, Open(c));
  YQ_ASSIGN_OR_RETURN(auto rows, r->store().ListTalkingPoints(c.Param("topic"), c.Param("status")));
  json a = json::array();
  for (const auto& x : rows) a.push_back(inc::TalkingPointToJson(x));
  return Reply(json{{"items", std::move(a)}});
}

Result<Reply> AddTalkingPoint(Ctx& c) {
  YQ_ASSIGN_OR_RETURN(json b, Body(c));
  YQ_ASSIGN_OR_RETURN(auto r, Open(c));
  TalkingPointRow row;
  if (int64_t sid = Int(b, "statement_id"); sid > 0) {
    auto s = r->store().GetStatement(sid);
    if (!s.ok()) return Status::NotFound("no statement " + std::to_string(sid));
    YQ_RETURN_IF_ERROR(Visible(c, r->store(), s->incident_id).status());
    YQ_ASSIGN_OR_RETURN(row, inc::TalkingPointFromStatement(r->store(), sid, Str(b, "topic", 2048),
                                                            Str(b, "question", 2048), c.who.name, c.now()));
  } else {
    row.topic = Str(b, "topic", 4096);
    row.question = Str(b, "question", 4096);
    row.answer = Str(b, "answer", 1 << 20);
    row.created_by = c.who.name;
    YQ_ASSIGN_OR_RETURN(row, inc::AddTalkingPoint(r->store(), row, c.now()));
  }
  c.Audit("talking_point.add", "talking_point:" + std::to_string(row.id), {{"topic", row.topic}});
  Reply reply(inc::TalkingPointToJson(row));
  reply.status = 201;
  return reply;
}

Result<Reply> SetTalkingPoint(Ctx& c, const char* status) {
  YQ_ASSIGN_OR_RETURN(auto r, Open(c));
  YQ_ASSIGN_OR_RETURN(int64_t id, IdFrom(c.PathParam(0), "talking point"));
  YQ_ASSIGN_OR_RETURN(auto row, inc::SetTalkingPointStatus(r->store(), id, status, c.who.name, c.now()));
  c.Audit(std::string("talking_point.") + status, "talking_point:" + std::to_string(id));
  return Reply(inc::TalkingPointToJson(row));
}
Result<Reply> ApproveTalkingPoint(Ctx& c) { return SetTalkingPoint(c, "approved"); }
Result<Reply> RetireTalkingPoint(Ctx& c) { return SetTalkingPoint(c, "retired"); }

}  // namespace

void AppendIncidentRoutes(std::vector<Route>& routes) {
  const std::vector<Route> mine = {
      {"GET", "/api/v1/incidents", "incidents", "Incidents, newest first, with open/overdue task counts", true, kAnyRole,
       ListIncidents, nullptr, {{"state", "detected | acknowledged | responding | monitoring | closed | reviewed"},
                                {"limit", "1-1000 (default 200)"}}},
      {"POST", "/api/v1/incidents", "incidents", "Open an incident (from an alert, or by hand)", true, kResponders,
       OpenIncident, nullptr, {},
       "{\"alert_id\"?: id, \"title\"?, \"level\"?: \"I..IV\" (required without alert_id), \"type\"?, "
       "\"detected_at\"?, \"departments\"?: [..], \"team\"?: [{\"role\", \"person\"}]}"},
      {"GET", "/api/v1/incidents/stats", "incidents", "Medians and trends across incidents", true, kAnyRole,
       IncidentStats},
      {"GET", "/api/v1/incidents/{id}", "incidents", "One incident: team, links, tasks, statements, commitments", true,
       kAnyRole, GetIncident},
      {"POST", "/api/v1/incidents/{id}/transition", "incidents", "Move to the next state (closing checks the guard)",
       true, kResponders, TransitionIncident, nullptr, {},
       "{\"to\": state, \"note\"?, \"no_response_reason\"?: string}"},
      {"POST", "/api/v1/incidents/{id}/level", "incidents", "Raise or lower the level, with the reason", true,
       kResponders, ChangeLevel, nullptr, {}, "{\"level\": \"I..IV\", \"reason\": string}"},
      {"POST", "/api/v1/incidents/{id}/roles", "incidents", "Fill a team role", true, kResponders, AssignRole, nullptr,
       {}, "{\"role\": commander|spokesperson|analyst|media_liaison|scribe|owner|legal, \"person\": string}"},
      {"POST", "/api/v1/incidents/{id}/links", "incidents", "Link an alert, event, scheme, post or department", true,
       kResponders, LinkIncident, nullptr, {}, "{\"kind\": alert|event|scheme|post|department, \"ref\": string}"},
      {"POST", "/api/v1/incidents/{id}/communications", "incidents", "Log a media contact, public reply or notice",
       true, kResponders, LogCommunication, nullptr, {},
       "{\"kind\": media|public|internal, \"channel\"?, \"with\"?, \"content\"?, \"at\"?}"},
      {"GET", "/api/v1/incidents/{id}/timeline", "incidents", "Everything in order, with the post-volume curve", true,
       kAnyRole, IncidentTimeline},
      {"GET", "/api/v1/incidents/{id}/eval", "incidents", "Every stage measured (评估)", true, kAnyRole, IncidentEval,
       nullptr, {{"window", "window on each side of a statement (default 6h)"}}},
      {"GET", "/api/v1/incidents/{id}/tasks", "incidents", "The plan's tasks with deadlines", true, kAnyRole, ListTasks,
       nullptr, {{"overdue", "1: only open tasks past their deadline"}}},
      {"POST", "/api/v1/tasks/{id}/done", "incidents", "Mark a task done", true, kResponders, CompleteTask, nullptr, {},
       "{\"note\"?: string}"},
      {"GET", "/api/v1/incidents/{id}/statements", "statements", "All versions of the incident's statements", true,
       kAnyRole, ListStatements},
      {"POST", "/api/v1/incidents/{id}/statements", "statements", "Draft a statement (checked at once)", true,
       kResponders, AddStatement, nullptr, {},
       "{\"body\": string, \"kind\"?: holding|authoritative|update|clarification|press_conference|other, "
       "\"revises\"?: statement id}"},
      {"POST", "/api/v1/statements/check", "statements", "Check a draft against 谦和/权威/诚信/节制", true, kAnyRole,
       CheckStatement, nullptr, {}, "{\"text\": string, \"at\"?: time for dates, \"lang\"?: zh|en}"},
      {"GET", "/api/v1/statements/{id}", "statements", "One statement with its check and review comments", true,
       kAnyRole, GetStatement},
      {"POST", "/api/v1/statements/{id}/approve", "statements", "Approve a draft", true, kResponders, ApproveStatement,
       nullptr, {}, "{\"override\"?: reason to approve despite errors}"},
      {"POST", "/api/v1/statements/{id}/publish", "statements", "Record the publication (creates commitments)", true,
       kResponders, PublishStatement, nullptr, {}, "{\"channel\": string, \"url\"?, \"at\"?}"},
      {"GET", "/api/v1/statements/{id}/diff", "statements", "Sentence diff against the version it revises", true,
       kAnyRole, DiffStatement, nullptr, {{"against", "statement id to compare with (default: the revised one)"}}},
      {"POST", "/api/v1/statements/{id}/comments", "statements", "Add a review comment", true, kResponders,
       CommentStatement, nullptr, {}, "{\"text\": string, \"sentence\"?: 0-based index}"},
      {"GET", "/api/v1/incidents/{id}/commitments", "commitments", "Promises made in published statements", true,
       kAnyRole, ListCommitments, nullptr, {{"overdue", "1: only unkept promises past due"}}},
      {"POST", "/api/v1/commitments/{id}/kept", "commitments", "Mark a promise kept, with the evidence", true,
       kResponders, KeepCommitment, nullptr, {}, "{\"evidence\": URL}"},
      {"GET", "/api/v1/incidents/{id}/clarifications", "clarifications", "Rumour clarifications (辟谣)", true,
       kAnyRole, ListClarifications},
      {"POST", "/api/v1/incidents/{id}/clarifications", "clarifications",
       "Record a clarification and save its monitoring scheme (scheme_id); finds its posts. 201 when new, 200 when "
       "the claim was recorded before (nothing duplicated), 400 naming the column when the query does not compile, "
       "409 when the claim was recorded with another query",
       true, kResponders, AddClarification, nullptr, {},
       "{\"claim\": string, \"evidence\"?: string, \"statement_id\"?: id, \"query\"?: scheme query (default: the "
       "claim's keywords)}"},
      {"GET", "/api/v1/clarifications/{id}", "clarifications", "A claim's spread, before and after the clarification",
       true, kAnyRole, GetClarification},
      {"POST", "/api/v1/clarifications/{id}/statement", "clarifications",
       "Link the clarification statement (saves the scheme of a record that has none)", true, kResponders,
       SetClarificationStatement, nullptr, {}, "{\"statement_id\": id}"},
      {"GET", "/api/v1/talking-points", "clarifications", "The talking-points library (口径库)", true, kAnyRole,
       ListTalkingPoints, nullptr, {{"topic", "only this topic"}, {"status", "draft | approved | retired"}}},
      {"POST", "/api/v1/talking-points", "clarifications", "Add a talking point (or take one from a statement)", true,
       kResponders, AddTalkingPoint, nullptr, {},
       "{\"topic\": string, \"question\"?, \"answer\": string} or {\"topic\", \"statement_id\"}"},
      {"POST", "/api/v1/talking-points/{id}/approve", "clarifications", "Approve a talking point", true, kResponders,
       ApproveTalkingPoint},
      {"POST", "/api/v1/talking-points/{id}/retire", "clarifications", "Retire a talking point", true, kResponders,
       RetireTalkingPoint},
  };
  routes.insert(routes.end(), mine.begin(), mine.end());
}

}  // namespace yuqing::server
