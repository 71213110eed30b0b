#include "incident/outbox_hooks.h"

#include <algorithm>
#include <charconv>

#include "incident/plan.h"
#include "notify/router.h"
#include "store/outbox_store.h"
#include "store/scheme_store.h"
#include "warning/engine.h"

namespace yuqing::incident {
namespace {

using nlohmann::json;

std::string Ref(const store::IncidentRow& inc) {
  return "【" + inc.level + "级事件 #" + std::to_string(inc.id) + "】" + inc.title;
}

std::string Who(const std::string& owner, const std::string& role) { return owner.empty() ? "(" + role + ")" : owner; }

}  // namespace

int SeverityOfLevel(const std::string& level) {
  int rank = LevelRank(level);
  return rank == 0 ? 1 : 5 - rank;
}

Result<std::unique_ptr<OutboxHooks>> OutboxHooks::Create(store::IncidentStore& incidents, const Clock& clock,
                                                         std::unique_ptr<notify::Router> router) {
  if (!router) return Status::Internal("OutboxHooks: no router");
  if (&router->db() != &incidents.db()) return Status::Internal("OutboxHooks: the router is on another connection");
  std::unique_ptr<OutboxHooks> h(new OutboxHooks(incidents, clock));
  h->router_ = std::move(router);
  return h;
}

Result<std::unique_ptr<OutboxHooks>> OutboxHooks::Create(store::IncidentStore& incidents, const Clock& clock) {
  YQ_ASSIGN_OR_RETURN(auto router, notify::Router::Create(incidents.db()));
  return Create(incidents, clock, std::move(router));
}

OutboxHooks::OutboxHooks(store::IncidentStore& incidents, const Clock& clock) : incidents_(incidents), clock_(clock) {}
OutboxHooks::~OutboxHooks() = default;

Result<std::vector<std::string>> IncidentDepartments(store::IncidentStore& incidents, int64_t incident_id) {
  std::vector<std::string> out;
  YQ_ASSIGN_OR_RETURN(auto links, incidents.Links(incident_id));
  std::vector<int64_t> schemes;
  for (const auto& l : links) {
    if (l.kind == "department") out.push_back(l.ref);
    int64_t id = 0;
    auto [p, ec] = std::from_chars(l.ref.data(), l.ref.data() + l.ref.size(), id);
    if (l.kind == "scheme" && ec == std::errc() && id > 0) schemes.push_back(id);
  }
  if (out.empty() && !schemes.empty()) {
    YQ_ASSIGN_OR_RETURN(auto store, store::SchemeStore::Open(incidents.db()));
    for (int64_t id : schemes) {
      auto sc = store->Get(id);
      if (!sc.ok() || !*sc) continue;
      for (const auto& d : (*sc)->departments) out.push_back(d);
    }
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

Result<std::vector<std::string>> OutboxHooks::Departments(const store::IncidentRow& incident) {
  return IncidentDepartments(incidents_, incident.id);
}

Status OutboxHooks::Send(const store::IncidentRow& incident, const std::string& kind, const std::string& object,
                         int64_t stage, const std::string& title, const std::string& text, int max_order) {
  YQ_ASSIGN_OR_RETURN(auto departments, Departments(incident));
  if (departments.empty())
    return Status::NotFound("incident " + std::to_string(incident.id) +
                            " has no department to notify (link one: incidents link ID --kind department --ref NAME)");
  const std::string key =
      "inc" + std::to_string(incident.id) + "-" + kind + "-" + object + "-" + std::to_string(stage);
  // Nothing is dropped silently: a notice that no contact can receive is a hook error (it lands in
  // the incident's log and the sweep's report).
  YQ_ASSIGN_OR_RETURN(auto outbox, store::OutboxStore::Open(incidents_.db()));
  int reachable = 0;
  for (const auto& d : departments) {
    YQ_ASSIGN_OR_RETURN(auto contacts, outbox->ListContacts(d));
    for (const auto& c : contacts) reachable += c.enabled && c.escalation_order <= max_order;
  }
  if (reachable == 0)
    return Status::NotFound("no enabled contact of " + departments.front() + (departments.size() > 1 ? " (and others)" : "") +
                            " at escalation order <= " + std::to_string(max_order) + " for " + kind +
                            " (yuqing contacts add --department ...)");
  store::Transaction tx(incidents_.db());
  YQ_RETURN_IF_ERROR(tx.status());
  for (const auto& d : departments) {
    YQ_RETURN_IF_ERROR(router_->EnqueueMessage(d, kind, title, text, key, clock_.Now(), max_order).status());
  }
  return tx.Commit();
}

Status OutboxHooks::IncidentOpened(const store::IncidentRow& inc, const std::vector<TeamMember>& team,
                                   const std::vector<store::TaskRow>& tasks) {
  std::string text = Ref(inc) + "\n已开启处置（预案 " + inc.plan_id + "），发现时间 " + FormatTime(inc.detected_at) + "。";
  if (!team.empty()) {
    text += "\n处置小组：";
    for (const auto& m : team) text += m.role + "=" + m.person + " ";
  }
  for (const auto& t : tasks) text += "\n· " + t.title + "（" + Who(t.owner, t.role) + "，截止 " + FormatTime(t.due_at) + "）";
  return Send(inc, "incident_opened", std::to_string(inc.id), 0, "事件已开启: " + inc.title, text, 0);
}

Status OutboxHooks::LevelChanged(const store::IncidentRow& inc, const std::string& from, const std::string& to,
                                 const std::string& reason, const std::vector<store::TaskRow>& new_tasks) {
  std::string text = Ref(inc) + "\n级别 " + from + " → " + to + "，原因：" + reason;
  for (const auto& t : new_tasks) text += "\n· 新任务 " + t.title + "（截止 " + FormatTime(t.due_at) + "）";
  return Send(inc, "incident_level", from + "-" + to, inc.updated_at, "事件级别调整: " + inc.title, text, 0);
}

Status OutboxHooks::StateChanged(const store::IncidentRow& inc, const std::string& from, const std::string& to,
                                 const std::string& actor) {
  std::string text = Ref(inc) + "\n状态 " + from + " → " + to + "（" + actor + "）";
  return Send(inc, "incident_state", to, 0, "事件状态: " + inc.title, text, 0);
}

Status OutboxHooks::TaskOverdue(const store::IncidentRow& inc, const store::TaskRow& task, int stage,
                                const std::vector<TeamMember>& team) {
  std::string commander;
  for (const auto& m : team)
    if (m.role == "commander") commander = m.person;
  std::string text = Ref(inc) + "\n任务已逾期：" + task.title + "\n负责人：" + Who(task.owner, task.role) +
                     "，截止 " + FormatTime(task.due_at);
  if (stage >= 2) text += "\n第 " + std::to_string(stage) + " 级督办" + (commander.empty() ? "" : "，请总指挥 " + commander + " 过问");
  const std::string kind = stage == 1 ? "task_overdue" : "task_escalated";
  return Send(inc, kind, std::to_string(task.id), stage,
              (stage == 1 ? "任务逾期: " : "任务逾期升级: ") + task.title, text, std::max(0, stage - 1));
}

Status OutboxHooks::CommitmentOverdue(const store::IncidentRow& inc, const store::CommitmentRow& c) {
  YQ_ASSIGN_OR_RETURN(auto departments, Departments(inc));
  YQ_ASSIGN_OR_RETURN(auto links, incidents_.Links(inc.id));
  warning::ManualAlert m;
  for (const auto& l : links)
    if (l.kind == "scheme" && m.scheme_id == 0) m.scheme_id = std::atoll(l.ref.c_str());
  m.scheme_name = "承诺逾期 · " + inc.title;
  m.event_id = -c.id;
  m.severity = std::max(2, SeverityOfLevel(inc.level));
  m.rule = "commitment_overdue";
  m.message = "公开承诺逾期未兑现：" + c.text + "（应于 " + (c.due_at ? FormatTime(*c.due_at) : "") + " 前，事件 #" +
              std::to_string(inc.id) + "）";
  m.departments = departments;
  m.numbers = {{"incident_id", inc.id}, {"commitment_id", c.id}, {"statement_id", c.statement_id}};
  m.evidence = json::array({{{"id", "commitment-" + std::to_string(c.id)}, {"source", "incident"}, {"text", c.text}}});
  const TimeMs at = c.due_at ? std::max(*c.due_at, clock_.Now()) : clock_.Now();
  std::vector<warning::AlertListener*> listeners = {router_.get()};
  YQ_ASSIGN_OR_RETURN(int64_t alert_id, warning::RaiseAlert(incidents_.db(), m, at, listeners));
  YQ_RETURN_IF_ERROR(incidents_.AddLink({inc.id, "alert", std::to_string(alert_id), clock_.Now()}));
  store::IncidentLogRow log;
  log.incident_id = inc.id;
  log.at = clock_.Now();
  log.actor = "system";
  log.kind = "alert_raised";
  log.detail_json = json{{"alert", alert_id}, {"commitment", c.id}, {"reason", "commitment_overdue"}}.dump();
  return incidents_.AppendLog(log).status();
}

Status OutboxHooks::StatementPublished(const store::IncidentRow& inc, const store::StatementRow& s) {
  std::string text = Ref(inc) + "\n已发布回应（第 " + std::to_string(s.version) + " 版，" + s.channel + "）" +
                     (s.url.empty() ? "" : "\n" + s.url);
  return Send(inc, "statement_published", std::to_string(s.id), 0, "回应已发布: " + inc.title, text, 0);
}

}  // namespace yuqing::incident
