#include "incident/incident_service.h"

#include <algorithm>
#include <map>

#include "core/post.h"
#include "store/database.h"

namespace yuqing::incident {
namespace {

using nlohmann::json;

int StateIndex(const std::string& s) {
  const auto& v = IncidentStates();
  auto it = std::find(v.begin(), v.end(), s);
  return it == v.end() ? -1 : static_cast<int>(it - v.begin());
}

json TimeOrNull(TimeMs t) { return t > 0 ? json(FormatTime(t)) : json(nullptr); }

bool KnownStatementKind(const std::string& k) {
  return k.empty() || k == "holding" || k == "authoritative" || k == "update" || k == "clarification" ||
         k == "press_conference" || k == "other";
}

// The plan task kind a published statement fulfils.
std::string TaskKindFor(const std::string& statement_kind) {
  if (statement_kind == "holding") return "holding_statement";
  if (statement_kind == "authoritative" || statement_kind == "clarification") return "authoritative_statement";
  if (statement_kind == "press_conference") return "press_conference";
  if (statement_kind == "update") return "follow_up";
  return "";
}

}  // namespace

const std::vector<std::string>& IncidentStates() {
  static const std::vector<std::string> k = {"detected", "acknowledged", "responding", "monitoring", "closed",
                                             "reviewed"};
  return k;
}

IncidentService::IncidentService(store::IncidentStore& store, const Clock& clock, std::vector<Plan> plans,
                                 ResponseHooks* hooks, const StatementChecker* checker, EscalationPolicy policy)
    : store_(store),
      clock_(clock),
      plans_(std::move(plans)),
      hooks_(hooks ? hooks : &null_hooks_),
      checker_(checker),
      policy_(std::move(policy)) {}

Status IncidentService::Log(int64_t incident_id, const std::string& actor, const std::string& kind,
                            const json& detail) {
  store::IncidentLogRow row;
  row.incident_id = incident_id;
  row.at = clock_.Now();
  row.actor = actor;
  row.kind = kind;
  row.detail_json = detail.dump(-1, ' ', false, json::error_handler_t::replace);
  return store_.AppendLog(row).status();
}

void IncidentService::HookResult(int64_t incident_id, const Status& st, std::vector<std::string>* errors) {
  if (st.ok()) return;
  Log(incident_id, "system", "hook_error", {{"error", st.message()}});
  if (errors) errors->push_back(st.message());
}

std::vector<TeamMember> IncidentService::Team(int64_t incident_id) {
  std::vector<TeamMember> team;
  auto roles = store_.Roles(incident_id);
  if (roles.ok())
    for (const auto& r : *roles) team.push_back({r.role, r.person});
  return team;
}

Result<std::vector<store::TaskRow>> IncidentService::CreateTasks(const store::IncidentRow& inc, const Plan& plan,
                                                                 TimeMs base,
                                                                 const std::vector<store::RoleRow>& roles) {
  std::vector<store::TaskRow> out;
  for (const PlanTask& pt : plan.tasks) {
    store::TaskRow t;
    t.incident_id = inc.id;
    t.plan_id = plan.id;
    t.task_key = pt.key;
    t.title = pt.title_zh;
    t.title_en = pt.title_en;
    t.role = pt.role;
    t.kind = pt.kind;
    t.due_at = base + pt.due_after;
    t.repeat_every = pt.repeat_every;
    t.created_at = clock_.Now();
    for (const auto& r : roles)
      if (r.role == pt.role) {
        t.owner = r.person;
        break;
      }
    YQ_ASSIGN_OR_RETURN(t.id, store_.InsertTask(t));
    out.push_back(std::move(t));
  }
  return out;
}

Result<OpenedIncident> IncidentService::Open(const OpenRequest& req) {
  if (req.title.empty()) return Status::Invalid("title: missing");
  if (req.title.size() > kMaxTitleBytes) return Status::TooLarge("title: longer than " + std::to_string(kMaxTitleBytes) + " bytes");
  if (!IsIncidentType(req.type)) return Status::Invalid("type: unknown incident type '" + req.type + "'");
  if (!IsLevel(req.level)) return Status::Invalid("level: '" + req.level + "' is not I, II, III or IV");
  for (const auto& m : req.team)
    if (!IsRole(m.role)) return Status::Invalid("team: unknown role '" + m.role + "'");
  const TimeMs now = clock_.Now();
  OpenedIncident out;
  store::IncidentRow& inc = out.incident;
  inc.title = req.title;
  inc.type = req.type;
  inc.level = req.level;
  inc.state = "detected";
  inc.alert_id = req.alert_id;
  inc.detected_at = req.detected_at.value_or(now);
  inc.opened_at = now;
  inc.opened_by = req.actor;
  inc.updated_at = now;
  const Plan* plan = SelectPlan(plans_, req.type, req.level);
  if (plan) inc.plan_id = plan->id;
  {
    store::Transaction tx(store_.db());
    YQ_RETURN_IF_ERROR(tx.status());
    YQ_ASSIGN_OR_RETURN(inc.id, store_.InsertIncident(inc));
    if (!req.alert_id.empty())
      YQ_RETURN_IF_ERROR(store_.AddLink({inc.id, "alert", req.alert_id, now}));
    for (auto link : req.links) {
      link.incident_id = inc.id;
      link.linked_at = now;
      YQ_RETURN_IF_ERROR(store_.AddLink(link));
    }
    std::vector<store::RoleRow> roles;
    for (const auto& m : req.team) {
      roles.push_back({inc.id, m.role, m.person, now, req.actor});
      YQ_RETURN_IF_ERROR(store_.PutRole(roles.back()));
    }
    if (plan) {
      YQ_ASSIGN_OR_RETURN(out.tasks, CreateTasks(inc, *plan, inc.detected_at, roles));
    }
    YQ_RETURN_IF_ERROR(Log(inc.id, req.actor, "opened",
                           {{"title", inc.title},
                            {"type", inc.type},
                            {"level", inc.level},
                            {"plan", inc.plan_id},
                            {"alert", inc.alert_id},
                            {"detected_at", FormatTime(inc.detected_at)},
                            {"tasks", out.tasks.size()}}));
    YQ_RETURN_IF_ERROR(tx.Commit());
  }
  HookResult(inc.id, hooks_->IncidentOpened(inc, req.team, out.tasks), nullptr);
  return out;
}

Result<store::IncidentRow> IncidentService::Get(int64_t id) { return store_.GetIncident(id); }

Result<store::IncidentRow> IncidentService::Transition(int64_t id, const std::string& to, const std::string& actor,
                                                       const std::string& note) {
  const int to_i = StateIndex(to);
  if (to_i < 0) return Status::Invalid("state: unknown state '" + to + "'");
  store::IncidentRow inc;
  {
    store::Transaction tx(store_.db());
    YQ_RETURN_IF_ERROR(tx.status());
    YQ_ASSIGN_OR_RETURN(inc, store_.GetIncident(id));
    const int from_i = StateIndex(inc.state);
    const bool back_to_responding = inc.state == "monitoring" && to == "responding";
    if (to_i != from_i + 1 && !back_to_responding) {
      const std::string next = from_i + 1 < static_cast<int>(IncidentStates().size()) ? IncidentStates()[from_i + 1] : "";
      return Status::Conflict("incident " + std::to_string(id) + " is " + inc.state + "; it cannot go to " + to +
                              (next.empty() ? std::string(" (it is finished)") : " (next is " + next + ")"));
    }
    const TimeMs now = clock_.Now();
    if (to == "closed") {
      YQ_ASSIGN_OR_RETURN(auto statements, store_.ListStatements(id));
      bool published = false;
      for (const auto& s : statements) published = published || s.state == "published";
      if (!published && inc.no_response_reason.empty())
        return Status::Conflict("incident " + std::to_string(id) +
                                " cannot close: publish a statement first, or record a decision not to respond "
                                "(incidents close --no-response REASON)");
      // Open tasks other than the review end with the incident.
      YQ_ASSIGN_OR_RETURN(auto tasks, store_.ListTasks(id));
      for (auto& t : tasks) {
        if (t.status != "open" || t.kind == "review") continue;
        t.status = "cancelled";
        t.note = t.note.empty() ? "incident closed" : t.note;
        YQ_RETURN_IF_ERROR(store_.UpdateTask(t));
      }
    }
    TimeMs* stamp = to == "acknowledged" ? &inc.acknowledged_at
                    : to == "responding" ? &inc.responding_at
                    : to == "monitoring" ? &inc.monitoring_at
                    : to == "closed"     ? &inc.closed_at
                                         : &inc.reviewed_at;
    if (*stamp == 0) *stamp = now;
    const std::string from = inc.state;
    inc.state = to;
    inc.updated_at = now;
    YQ_RETURN_IF_ERROR(store_.UpdateIncident(inc));
    YQ_RETURN_IF_ERROR(Log(id, actor, "state", {{"from", from}, {"to", to}, {"note", note}}));
    YQ_RETURN_IF_ERROR(tx.Commit());
    HookResult(id, hooks_->StateChanged(inc, from, to, actor), nullptr);
  }
  return inc;
}

Result<store::IncidentRow> IncidentService::DecideNoResponse(int64_t id, const std::string& reason,
                                                             const std::string& actor) {
  if (reason.empty()) return Status::Invalid("reason: a decision not to respond needs its reason");
  store::Transaction tx(store_.db());
  YQ_RETURN_IF_ERROR(tx.status());
  YQ_ASSIGN_OR_RETURN(store::IncidentRow inc, store_.GetIncident(id));
  inc.no_response_reason = reason;
  inc.updated_at = clock_.Now();
  YQ_RETURN_IF_ERROR(store_.UpdateIncident(inc));
  YQ_RETURN_IF_ERROR(Log(id, actor, "no_response", {{"reason", reason}}));
  YQ_RETURN_IF_ERROR(tx.Commit());
  return inc;
}

Result<store::IncidentRow> IncidentService::ChangeLevel(int64_t id, const std::string& level,
                                                        const std::string& reason, const std::string& actor) {
  if (!IsLevel(level)) return Status::Invalid("level: '" + level + "' is not I, II, III or IV");
  if (reason.empty()) return Status::Invalid("reason: a level change needs its reason");
  store::IncidentRow inc;
  std::string from;
  std::vector<store::TaskRow> added;
  {
    store::Transaction tx(store_.db());
    YQ_RETURN_IF_ERROR(tx.status());
    YQ_ASSIGN_OR_RETURN(inc, store_.GetIncident(id));
    if (inc.level == level) return Status::Conflict("incident " + std::to_string(id) + " is already level " + level);
    if (inc.state == "closed" || inc.state == "reviewed")
      return Status::Conflict("incident " + std::to_string(id) + " is " + inc.state);
    from = inc.level;
    const TimeMs now = clock_.Now();
    if (LevelRank(level) < LevelRank(from)) {  // a rise: the new level's plan adds what is missing
      if (const Plan* plan = SelectPlan(plans_, inc.type, level)) {
        YQ_ASSIGN_OR_RETURN(auto existing, store_.ListTasks(id));
        Plan missing = *plan;
        missing.tasks.clear();
        for (const PlanTask& pt : plan->tasks) {
          bool have = false;
          for (const auto& t : existing) have = have || t.task_key == pt.key;
          if (!have) missing.tasks.push_back(pt);
        }
        YQ_ASSIGN_OR_RETURN(auto roles, store_.Roles(id));
        YQ_ASSIGN_OR_RETURN(added, CreateTasks(inc, missing, now, roles));
        inc.plan_id = plan->id;
      }
    }
    inc.level = level;
    inc.updated_at = now;
    YQ_RETURN_IF_ERROR(store_.UpdateIncident(inc));
    YQ_RETURN_IF_ERROR(Log(id, actor, "level", {{"from", from}, {"to", level}, {"reason", reason}, {"tasks_added", added.size()}}));
    YQ_RETURN_IF_ERROR(tx.Commit());
  }
  HookResult(id, hooks_->LevelChanged(inc, from, level, reason, added), nullptr);
  return inc;
}

Status IncidentService::AssignRole(int64_t id, const std::string& role, const std::string& person,
                                   const std::string& actor) {
  if (!IsRole(role)) return Status::Invalid("role: unknown role '" + role + "'");
  if (person.empty()) return Status::Invalid("person: missing");
  store::Transaction tx(store_.db());
  YQ_RETURN_IF_ERROR(tx.status());
  YQ_RETURN_IF_ERROR(store_.GetIncident(id).status());
  YQ_RETURN_IF_ERROR(store_.PutRole({id, role, person, clock_.Now(), actor}));
  // Open tasks of that role without an owner now have one.
  YQ_ASSIGN_OR_RETURN(auto tasks, store_.ListTasks(id));
  for (auto& t : tasks) {
    if (t.status == "open" && t.role == role && t.owner.empty()) {
      t.owner = person;
      YQ_RETURN_IF_ERROR(store_.UpdateTask(t));
    }
  }
  YQ_RETURN_IF_ERROR(Log(id, actor, "role", {{"role", role}, {"person", person}}));
  return tx.Commit();
}

Status IncidentService::Link(int64_t id, const std::string& kind, const std::string& ref, const std::string& actor) {
  if (kind != "alert" && kind != "event" && kind != "scheme" && kind != "post" && kind != "department")
    return Status::Invalid("kind: '" + kind + "' is not alert, event, scheme, post or department");
  if (ref.empty() || ref.size() > kMaxFieldBytes) return Status::Invalid("ref: missing or too long");
  store::Transaction tx(store_.db());
  YQ_RETURN_IF_ERROR(tx.status());
  YQ_RETURN_IF_ERROR(store_.GetIncident(id).status());
  YQ_RETURN_IF_ERROR(store_.AddLink({id, kind, ref, clock_.Now()}));
  YQ_RETURN_IF_ERROR(Log(id, actor, "link", {{"kind", kind}, {"ref", ref}}));
  return tx.Commit();
}

Result<std::vector<store::TaskRow>> IncidentService::Tasks(int64_t incident_id, bool overdue_only) {
  if (incident_id != 0) YQ_RETURN_IF_ERROR(store_.GetIncident(incident_id).status());
  return store_.ListTasks(incident_id, overdue_only ? clock_.Now() : 0);
}

Result<store::TaskRow> IncidentService::CompleteTask(int64_t task_id, const std::string& actor,
                                                     const std::string& note) {
  store::Transaction tx(store_.db());
  YQ_RETURN_IF_ERROR(tx.status());
  YQ_ASSIGN_OR_RETURN(store::TaskRow t, store_.GetTask(task_id));
  if (t.status != "open") return Status::Conflict("task " + std::to_string(task_id) + " is already " + t.status);
  YQ_ASSIGN_OR_RETURN(store::IncidentRow inc, store_.GetIncident(t.incident_id));
  const TimeMs now = clock_.Now();
  t.status = "done";
  t.done_at = now;
  t.done_by = actor;
  t.note = note;
  YQ_RETURN_IF_ERROR(store_.UpdateTask(t));
  json detail = {{"task", t.id}, {"key", t.task_key}, {"due_at", FormatTime(t.due_at)}, {"late", now > t.due_at}};
  if (t.repeat_every > 0 && inc.state != "closed" && inc.state != "reviewed") {
    store::TaskRow next = t;
    next.id = 0;
    next.status = "open";
    next.due_at = std::max(t.due_at, now) + t.repeat_every;
    next.created_at = now;
    next.done_at = 0;
    next.done_by.clear();
    next.note.clear();
    next.overdue_stage = 0;
    YQ_ASSIGN_OR_RETURN(int64_t next_id, store_.InsertTask(next));
    detail["next_task"] = next_id;
  }
  YQ_RETURN_IF_ERROR(Log(t.incident_id, actor, "task_done", detail));
  YQ_RETURN_IF_ERROR(tx.Commit());
  return t;
}

Result<store::StatementRow> IncidentService::AddStatement(int64_t incident_id, const std::string& body,
                                                          const std::string& kind, int64_t previous_id,
                                                          const std::string& actor) {
  if (!KnownStatementKind(kind))
    return Status::Invalid("kind: '" + kind + "' is not holding, authoritative, update, clarification, "
                           "press_conference or other");
  if (body.find_first_not_of(" \t\r\n") == std::string::npos) return Status::Invalid("the statement is empty");
  if (body.size() > kMaxStatementBytes) return Status::TooLarge("the statement is longer than 64 KiB");
  const TimeMs now = clock_.Now();
  store::StatementRow s;
  s.incident_id = incident_id;
  s.previous_id = previous_id;
  s.kind = kind;
  s.body = body;
  s.created_at = now;
  s.created_by = actor;
  s.check_ok = true;
  if (checker_) {
    YQ_ASSIGN_OR_RETURN(CheckResult r, checker_->Check(body, now));
    s.check_ok = r.ok;
    s.check_json = CheckResultToJson(r, body).dump(-1, ' ', false, json::error_handler_t::replace);
  }
  store::Transaction tx(store_.db());
  YQ_RETURN_IF_ERROR(tx.status());
  YQ_RETURN_IF_ERROR(store_.GetIncident(incident_id).status());
  if (previous_id != 0) {
    YQ_ASSIGN_OR_RETURN(store::StatementRow prev, store_.GetStatement(previous_id));
    if (prev.incident_id != incident_id)
      return Status::Invalid("previous: statement " + std::to_string(previous_id) + " belongs to another incident");
    if (s.kind.empty()) s.kind = prev.kind;
  }
  YQ_ASSIGN_OR_RETURN(s.version, store_.NextStatementVersion(incident_id));
  YQ_ASSIGN_OR_RETURN(s.id, store_.InsertStatement(s));
  YQ_RETURN_IF_ERROR(Log(incident_id, actor, "statement_drafted",
                         {{"statement", s.id}, {"version", s.version}, {"check_ok", s.check_ok}}));
  YQ_RETURN_IF_ERROR(tx.Commit());
  return s;
}

Result<store::StatementRow> IncidentService::ApproveStatement(int64_t statement_id, const std::string& actor,
                                                              const std::string& override_reason) {
  store::Transaction tx(store_.db());
  YQ_RETURN_IF_ERROR(tx.status());
  YQ_ASSIGN_OR_RETURN(store::StatementRow s, store_.GetStatement(statement_id));
  if (s.state != "draft") return Status::Conflict("statement " + std::to_string(statement_id) + " is " + s.state);
  if (!s.check_ok && override_reason.empty())
    return Status::Conflict("statement " + std::to_string(statement_id) +
                            " has errors from the check; revise it, or approve with a reason (--override REASON)");
  YQ_ASSIGN_OR_RETURN(store::IncidentRow inc, store_.GetIncident(s.incident_id));
  // The plan's approver roles, when someone holds them, must include the approver.
  std::vector<std::string> approvers;
  for (const Plan& p : plans_)
    if (p.id == inc.plan_id) approvers = p.approvers;
  YQ_ASSIGN_OR_RETURN(auto roles, store_.Roles(inc.id));
  bool held = false, by_approver = false;
  for (const auto& r : roles) {
    if (std::find(approvers.begin(), approvers.end(), r.role) == approvers.end()) continue;
    held = true;
    by_approver = by_approver || r.person == actor;
  }
  if (held && !by_approver)
    return Status::Permission(actor + " does not hold an approving role for this incident");
  s.state = "approved";
  s.approved_at = clock_.Now();
  s.approved_by = actor;
  YQ_RETURN_IF_ERROR(store_.UpdateStatement(s));
  YQ_RETURN_IF_ERROR(Log(inc.id, actor, "statement_approved",
                         {{"statement", s.id}, {"version", s.version}, {"override", override_reason},
                          {"named_approver", held}}));
  YQ_RETURN_IF_ERROR(tx.Commit());
  return s;
}

Result<store::StatementRow> IncidentService::PublishStatement(int64_t statement_id, const std::string& channel,
                                                              const std::string& url, std::optional<TimeMs> at,
                                                              const std::string& actor) {
  if (channel.empty()) return Status::Invalid("channel: missing (e.g. weibo, website, press)");
  store::StatementRow s;
  store::IncidentRow inc;
  {
    store::Transaction tx(store_.db());
    YQ_RETURN_IF_ERROR(tx.status());
    YQ_ASSIGN_OR_RETURN(s, store_.GetStatement(statement_id));
    if (s.state != "approved")
      return Status::Conflict("statement " + std::to_string(statement_id) + " is " + s.state +
                              (s.state == "draft" ? "; approve it first" : ""));
    YQ_ASSIGN_OR_RETURN(inc, store_.GetIncident(s.incident_id));
    YQ_ASSIGN_OR_RETURN(auto all, store_.ListStatements(inc.id));
    bool first = true;
    for (const auto& o : all) first = first && o.state != "published";
    const TimeMs when = at.value_or(clock_.Now());
    s.state = "published";
    s.published_at = when;
    s.channel = channel;
    s.url = url;
    YQ_RETURN_IF_ERROR(store_.UpdateStatement(s));
    // Its promises become commitments, due times resolved against the publication time.
    int made = 0;
    if (checker_) {
      YQ_ASSIGN_OR_RETURN(CheckResult r, checker_->Check(s.body, when));
      YQ_ASSIGN_OR_RETURN(auto roles, store_.Roles(inc.id));
      std::string owner = actor;
      for (const char* want : {"commander", "spokesperson"})
        for (const auto& ro : roles)
          if (ro.role == want) owner = ro.person;
      for (const Commitment& c : r.commitments) {
        store::CommitmentRow row;
        row.incident_id = inc.id;
        row.statement_id = s.id;
        row.text = c.text;
        row.due_at = c.due;
        row.owner = owner;
        row.created_at = when;
        YQ_RETURN_IF_ERROR(store_.InsertCommitment(row).status());
        ++made;
      }
    }
    // The plan task the statement fulfils is done by it.
    std::string task_kind = TaskKindFor(s.kind.empty() && first ? "holding" : s.kind);
    if (!task_kind.empty()) {
      YQ_ASSIGN_OR_RETURN(auto tasks, store_.ListTasks(inc.id));
      for (auto& t : tasks) {
        if (t.status != "open" || t.kind != task_kind) continue;
        t.status = "done";
        t.done_at = when;
        t.done_by = actor;
        t.note = "statement " + std::to_string(s.id) + " published";
        YQ_RETURN_IF_ERROR(store_.UpdateTask(t));
        break;
      }
    }
    YQ_RETURN_IF_ERROR(Log(inc.id, actor, "statement_published",
                           {{"statement", s.id}, {"version", s.version}, {"channel", channel}, {"url", url},
                            {"published_at", FormatTime(when)}, {"commitments", made}}));
    YQ_RETURN_IF_ERROR(tx.Commit());
  }
  HookResult(inc.id, hooks_->StatementPublished(inc, s), nullptr);
  return s;
}

Result<std::vector<store::CommitmentRow>> IncidentService::Commitments(int64_t incident_id, bool overdue_only) {
  if (incident_id != 0) YQ_RETURN_IF_ERROR(store_.GetIncident(incident_id).status());
  return store_.ListCommitments(incident_id, overdue_only ? clock_.Now() : 0);
}

Result<store::CommitmentRow> IncidentService::KeepCommitment(int64_t commitment_id, const std::string& evidence,
                                                             const std::string& actor) {
  if (evidence.empty()) return Status::Invalid("evidence: give the URL (or reference) showing the promise was kept");
  store::Transaction tx(store_.db());
  YQ_RETURN_IF_ERROR(tx.status());
  YQ_ASSIGN_OR_RETURN(store::CommitmentRow c, store_.GetCommitment(commitment_id));
  if (c.status == "kept") return Status::Conflict("commitment " + std::to_string(commitment_id) + " is already kept");
  const TimeMs now = clock_.Now();
  c.status = "kept";
  c.kept_at = now;
  c.evidence = evidence;
  YQ_RETURN_IF_ERROR(store_.UpdateCommitment(c));
  YQ_RETURN_IF_ERROR(Log(c.incident_id, actor, "commitment_kept",
                         {{"commitment", c.id}, {"evidence", evidence}, {"on_time", !c.due_at || now <= *c.due_at}}));
  YQ_RETURN_IF_ERROR(tx.Commit());
  return c;
}

Result<int64_t> IncidentService::LogCommunication(store::CommunicationRow row) {
  if (row.kind != "media" && row.kind != "public" && row.kind != "internal")
    return Status::Invalid("kind: '" + row.kind + "' is not media, public or internal");
  if (row.content.size() > kMaxTextBytes) return Status::TooLarge("content: longer than 64 KiB");
  if (row.at == 0) row.at = clock_.Now();
  store::Transaction tx(store_.db());
  YQ_RETURN_IF_ERROR(tx.status());
  YQ_RETURN_IF_ERROR(store_.GetIncident(row.incident_id).status());
  YQ_ASSIGN_OR_RETURN(int64_t id, store_.InsertCommunication(row));
  YQ_RETURN_IF_ERROR(Log(row.incident_id, row.actor, "communication",
                         {{"communication", id}, {"kind", row.kind}, {"channel", row.channel}}));
  YQ_RETURN_IF_ERROR(tx.Commit());
  return id;
}

Result<SweepReport> IncidentService::Sweep() {
  SweepReport rep;
  const TimeMs now = clock_.Now();
  std::map<int64_t, store::IncidentRow> incidents;
  auto incident = [&](int64_t id) -> const store::IncidentRow* {
    auto it = incidents.find(id);
    if (it == incidents.end()) {
      auto r = store_.GetIncident(id);
      if (!r.ok()) return nullptr;
      it = incidents.emplace(id, std::move(r).value()).first;
    }
    return &it->second;
  };
  YQ_ASSIGN_OR_RETURN(auto tasks, store_.ListTasks(0, now));
  for (auto& t : tasks) {
    const store::IncidentRow* inc = incident(t.incident_id);
    if (!inc || inc->state == "closed" || inc->state == "reviewed") continue;
    int target = 0;
    for (TimeMs after : policy_.stage_after)
      if (now - t.due_at >= after) ++target;
    if (target <= t.overdue_stage) continue;
    const std::vector<TeamMember> team = Team(t.incident_id);
    for (int stage = t.overdue_stage + 1; stage <= target; ++stage) {
      t.overdue_stage = stage;
      YQ_RETURN_IF_ERROR(store_.UpdateTask(t));
      YQ_RETURN_IF_ERROR(Log(t.incident_id, "system", "task_overdue",
                             {{"task", t.id}, {"key", t.task_key}, {"stage", stage}, {"owner", t.owner},
                              {"due_at", FormatTime(t.due_at)}}));
      (stage == 1 ? rep.tasks_notified : rep.tasks_escalated)++;
      HookResult(t.incident_id, hooks_->TaskOverdue(*inc, t, stage, team), &rep.hook_errors);
    }
  }
  YQ_ASSIGN_OR_RETURN(auto commitments, store_.ListCommitments(0, now));
  for (auto& c : commitments) {
    if (c.overdue_raised) continue;
    const store::IncidentRow* inc = incident(c.incident_id);
    if (!inc) continue;
    c.overdue_raised = true;
    YQ_RETURN_IF_ERROR(store_.UpdateCommitment(c));
    YQ_RETURN_IF_ERROR(Log(c.incident_id, "system", "commitment_overdue",
                           {{"commitment", c.id}, {"text", c.text}, {"due_at", FormatTime(*c.due_at)}}));
    ++rep.commitments_overdue;
    HookResult(c.incident_id, hooks_->CommitmentOverdue(*inc, c), &rep.hook_errors);
  }
  return rep;
}

Result<std::optional<TimeMs>> IncidentService::NextDue() { return store_.NextOverdueAt(policy_.stage_after); }

json IncidentToJson(const store::IncidentRow& r) {
  return {{"id", r.id},
          {"title", r.title},
          {"type", r.type},
          {"level", r.level},
          {"state", r.state},
          {"alert_id", r.alert_id.empty() ? json(nullptr) : json(r.alert_id)},
          {"plan", r.plan_id},
          {"detected_at", FormatTime(r.detected_at)},
          {"opened_at", FormatTime(r.opened_at)},
          {"opened_by", r.opened_by},
          {"acknowledged_at", TimeOrNull(r.acknowledged_at)},
          {"responding_at", TimeOrNull(r.responding_at)},
          {"monitoring_at", TimeOrNull(r.monitoring_at)},
          {"closed_at", TimeOrNull(r.closed_at)},
          {"reviewed_at", TimeOrNull(r.reviewed_at)},
          {"no_response_reason", r.no_response_reason.empty() ? json(nullptr) : json(r.no_response_reason)}};
}

json TaskToJson(const store::TaskRow& r, TimeMs now) {
  json j = {{"id", r.id},
            {"incident_id", r.incident_id},
            {"key", r.task_key},
            {"title", r.title},
            {"title_en", r.title_en},
            {"role", r.role},
            {"owner", r.owner.empty() ? json(nullptr) : json(r.owner)},
            {"kind", r.kind},
            {"due_at", FormatTime(r.due_at)},
            {"status", r.status},
            {"overdue", r.status == "open" && now > r.due_at},
            {"done_at", TimeOrNull(r.done_at)},
            {"note", r.note},
            {"escalation_stage", r.overdue_stage}};
  if (r.repeat_every > 0) j["every"] = FormatDuration(r.repeat_every);
  return j;
}

json StatementToJson(const store::StatementRow& r, bool with_body) {
  json j = {{"id", r.id},
            {"incident_id", r.incident_id},
            {"version", r.version},
            {"previous_id", r.previous_id == 0 ? json(nullptr) : json(r.previous_id)},
            {"kind", r.kind},
            {"state", r.state},
            {"check_ok", r.check_ok},
            {"created_at", FormatTime(r.created_at)},
            {"created_by", r.created_by},
            {"approved_at", TimeOrNull(r.approved_at)},
            {"approved_by", r.approved_by},
            {"published_at", TimeOrNull(r.published_at)},
            {"channel", r.channel},
            {"url", r.url}};
  if (with_body) {
    j["body"] = r.body;
    if (!r.check_json.empty()) j["check"] = json::parse(r.check_json, nullptr, false);
  }
  return j;
}

json CommitmentToJson(const store::CommitmentRow& r, TimeMs now) {
  return {{"id", r.id},
          {"incident_id", r.incident_id},
          {"statement_id", r.statement_id},
          {"text", r.text},
          {"due", r.due_at ? json(FormatTime(*r.due_at)) : json(nullptr)},
          {"owner", r.owner},
          {"status", r.status},
          {"overdue", r.status == "open" && r.due_at && now > *r.due_at},
          {"kept_at", TimeOrNull(r.kept_at)},
          {"kept_on_time", r.status == "kept" ? json(!r.due_at || r.kept_at <= *r.due_at) : json(nullptr)},
          {"evidence", r.evidence}};
}

}  // namespace yuqing::incident
