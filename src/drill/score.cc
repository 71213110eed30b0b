#include "drill/score.h"

#include <algorithm>
#include <cmath>
#include <map>

#include "incident/evaluation.h"
#include "store/alert_store.h"
#include "store/incident_store.h"

namespace yuqing::drill {
namespace {

using nlohmann::json;

json TimeOrNull(TimeMs t) { return t > 0 ? json(FormatTime(t)) : json(nullptr); }

double Minutes(TimeMs d) { return static_cast<double>(d) / static_cast<double>(kMinute); }

using Alerts = store::AlertStore::Totals;

Result<Alerts> ReadAlerts(store::Database& db) {
  YQ_ASSIGN_OR_RETURN(auto alerts, store::AlertStore::Open(db));  // creates the table when missing
  return alerts->CountAll();
}

// The drill's incident: the one asked for, else the first opened in the sandbox (0: none).
Result<int64_t> PickIncident(store::IncidentStore& store, int64_t wanted) {
  if (wanted > 0) {
    YQ_ASSIGN_OR_RETURN(auto inc, store.GetIncident(wanted));
    return inc.id;
  }
  YQ_ASSIGN_OR_RETURN(auto all, store.ListIncidents());
  int64_t first = 0;
  for (const auto& inc : all)
    if (first == 0 || inc.id < first) first = inc.id;
  return first;
}

// A share in [0, 1] or null when nothing was judged.
json Share(int64_t good, int64_t judged) {
  return judged > 0 ? json(static_cast<double>(good) / static_cast<double>(judged)) : json(nullptr);
}

struct Lines {
  bool zh;
  json list = json::array();
  void Add(const std::string& zh_text, const std::string& en_text) { list.push_back(zh ? zh_text : en_text); }
};

std::string Late(double minutes, bool zh) {
  char buf[64];
  std::snprintf(buf, sizeof buf, zh ? "逾期 %.0f 分钟" : "%.0f min late", minutes);
  return buf;
}

json Opening(const store::IncidentRow& inc, const Scenario& sc, TimeMs base, Lines& missed) {
  const TimeMs due = base + sc.open_within;
  json j = {{"id", inc.id},
            {"title", inc.title},
            {"type", inc.type},
            {"level", inc.level},
            {"plan_id", inc.plan_id},
            {"opened_at", FormatTime(inc.opened_at)},
            {"open_due_at", FormatTime(due)},
            {"minutes_to_open", Minutes(inc.opened_at - base)},
            {"opened_in_time", inc.opened_at <= due},
            {"type_ok", sc.incident_type.empty() ? json(nullptr) : json(inc.type == sc.incident_type)},
            {"level_ok", sc.incident_level.empty() ? json(nullptr) : json(inc.level == sc.incident_level)},
            {"plan_ok", sc.plan.empty() ? json(nullptr) : json(inc.plan_id == sc.plan)}};
  if (inc.opened_at > due)
    missed.Add("开启危机事件" + Late(Minutes(inc.opened_at - due), true), "incident opened " + Late(Minutes(inc.opened_at - due), false));
  if (j["type_ok"] == false)
    missed.Add("危机事件类型应为 " + sc.incident_type + "，实为 " + inc.type, "incident type should be " + sc.incident_type + ", was " + inc.type);
  if (j["level_ok"] == false)
    missed.Add("级别应为 " + sc.incident_level + "，实为 " + inc.level, "level should be " + sc.incident_level + ", was " + inc.level);
  if (j["plan_ok"] == false)
    missed.Add("应启用预案 " + sc.plan + "，实为 " + (inc.plan_id.empty() ? "无" : inc.plan_id),
               "plan should be " + sc.plan + ", was " + (inc.plan_id.empty() ? "none" : inc.plan_id));
  return j;
}

Result<json> Stages(store::IncidentStore& store, int64_t id, const json& eval, Lines& missed) {
  std::map<int64_t, json> met_by_id;
  for (const auto& t : eval["tasks"]["list"]) met_by_id[t["id"].get<int64_t>()] = t["met"];
  YQ_ASSIGN_OR_RETURN(auto tasks, store.ListTasks(id));
  json out = json::array();
  for (const auto& t : tasks) {
    json met = met_by_id.count(t.id) ? met_by_id[t.id] : json(nullptr);
    json late = nullptr;
    if (met == false && t.done_at > t.due_at) late = Minutes(t.done_at - t.due_at);
    out.push_back({{"id", t.id}, {"key", t.task_key}, {"title", t.title}, {"title_en", t.title_en}, {"kind", t.kind},
                   {"role", t.role}, {"due_at", FormatTime(t.due_at)}, {"status", t.status},
                   {"done_at", TimeOrNull(t.done_at)}, {"met", met}, {"late_minutes", late}});
    if (met != false) continue;
    if (t.status == "done")
      missed.Add("任务「" + t.title + "」" + Late(late.get<double>(), true), "task '" + t.title_en + "' " + Late(late.get<double>(), false));
    else
      missed.Add("任务「" + t.title + "」到期未完成（期限 " + FormatTime(t.due_at) + "）",
                 "task '" + t.title_en + "' not done by its deadline (" + FormatTime(t.due_at) + ")");
  }
  return out;
}

Result<json> Statements(store::IncidentStore& store, int64_t id, Lines& missed) {
  YQ_ASSIGN_OR_RETURN(auto rows, store.ListStatements(id));
  int64_t published = 0, passed = 0;
  json findings = json::array();
  for (const auto& s : rows) {
    if (s.published_at <= 0) continue;
    ++published;
    if (s.check_ok) ++passed;
    json check = json::parse(s.check_json.empty() ? "{}" : s.check_json, nullptr, false);
    if (!check.is_object() || !check.contains("findings")) continue;
    for (const auto& f : check["findings"]) {
      findings.push_back({{"statement_id", s.id}, {"version", s.version}, {"principle", f.value("principle", "")},
                          {"severity", f.value("severity", "")}, {"message", f.value("message", "")}});
    }
    if (!s.check_ok)
      missed.Add("口径 #" + std::to_string(s.id) + " 审查有错误仍发布", "statement #" + std::to_string(s.id) + " published with check errors");
  }
  return json{{"published", published}, {"passed_check", passed}, {"with_check_errors", published - passed},
              {"findings", findings}};
}

json Commitments(const json& eval, Lines& missed) {
  const json& c = eval["commitments"];
  int64_t kept = c["kept"], on_time = c["kept_on_time"], overdue = c["overdue"];
  if (overdue > 0) missed.Add(std::to_string(overdue) + " 项承诺逾期未兑现", std::to_string(overdue) + " commitments overdue");
  if (kept > on_time) missed.Add(std::to_string(kept - on_time) + " 项承诺逾期兑现", std::to_string(kept - on_time) + " commitments kept late");
  return {{"total", c["total"]}, {"kept_on_time", on_time}, {"kept_late", kept - on_time}, {"overdue", overdue},
          {"pending", c["pending"]}};
}

// When the expected answer to an inject was given: the first such action at or after the inject.
Result<TimeMs> AnsweredAt(store::IncidentStore& store, const store::IncidentRow* inc, const Inject& j, TimeMs from) {
  if (!inc) return TimeMs{0};
  TimeMs best = 0;
  auto consider = [&](TimeMs t) {
    if (t >= from && (best == 0 || t < best)) best = t;
  };
  if (j.expect == "incident") return std::max(inc->opened_at, from);
  if (j.expect == "statement") {
    YQ_ASSIGN_OR_RETURN(auto rows, store.ListStatements(inc->id));
    for (const auto& s : rows)
      if (s.published_at > 0) consider(s.published_at);
  } else if (j.expect == "clarification") {
    YQ_ASSIGN_OR_RETURN(auto rows, store.ListClarifications(inc->id));
    for (const auto& c : rows) consider(c.created_at);
  } else {
    YQ_ASSIGN_OR_RETURN(auto rows, store.ListCommunications(inc->id));
    for (const auto& c : rows)
      if (c.kind == j.expect) consider(c.at);
  }
  return best;
}

Result<json> Injects(store::IncidentStore& store, const store::IncidentRow* inc, const Scenario& sc, TimeMs start,
                     TimeMs now, Lines& missed, int64_t& met_n, int64_t& judged) {
  json out = json::array();
  for (const auto& j : sc.injects) {
    const TimeMs at = start + j.at, due = at + j.within;
    if (at > now) continue;  // not played yet
    YQ_ASSIGN_OR_RETURN(TimeMs answered, AnsweredAt(store, inc, j, at));
    json met = nullptr;
    if (answered > 0) met = answered <= due;
    else if (now > due) met = false;
    if (!met.is_null()) {
      ++judged;
      if (met == true) ++met_n;
    }
    if (met == false)
      missed.Add("情况「" + j.title + "」" + (answered > 0 ? Late(Minutes(answered - due), true) + "才应对" : "未在时限内应对"),
                 "inject '" + j.key + "' " + (answered > 0 ? "answered " + Late(Minutes(answered - due), false) : "not answered in time"));
    out.push_back({{"key", j.key}, {"title", j.title}, {"at", FormatTime(at)}, {"expect", j.expect},
                   {"due_at", FormatTime(due)}, {"answered_at", TimeOrNull(answered)}, {"met", met}});
  }
  return out;
}

double Round1(double v) { return std::round(v * 10) / 10; }

json Overall(const std::map<std::string, json>& parts) {
  static const std::map<std::string, double> weights = {
      {"opening", 15}, {"deadlines", 40}, {"statements", 15}, {"commitments", 15}, {"injects", 15}};
  double sum = 0, wsum = 0;
  json p = json::object();
  for (const auto& [k, w] : weights) {
    auto it = parts.find(k);
    json v = it == parts.end() ? json(nullptr) : it->second;
    p[k] = v.is_null() ? json(nullptr) : json(Round1(100 * v.get<double>()));
    if (v.is_null()) continue;
    sum += w * v.get<double>();
    wsum += w;
  }
  return {{"overall", wsum > 0 ? Round1(100 * sum / wsum) : 0.0}, {"parts", p}, {"weights", weights}};
}

}  // namespace

Result<json> Score(store::Database& db, const Scenario& sc, const DrillState& state, TimeMs now, const ScoreOptions& o) {
  Lines missed{o.zh};
  YQ_ASSIGN_OR_RETURN(Alerts alerts, ReadAlerts(db));
  store::IncidentStore store(db);
  YQ_RETURN_IF_ERROR(store.Init());
  YQ_ASSIGN_OR_RETURN(int64_t id, PickIncident(store, o.incident_id));
  json out = {{"drill", {{"scenario", sc.name}, {"title", sc.title}, {"start", FormatTime(state.start)},
                         {"now", FormatTime(now)}, {"speed", state.speed}, {"status", state.status}}},
              {"alerts", {{"count", alerts.count}, {"first_at", TimeOrNull(alerts.first_at)},
                          {"first_acked_at", TimeOrNull(alerts.first_acked_at)},
                          {"minutes_to_ack", alerts.first_acked_at > 0 ? json(Minutes(alerts.first_acked_at - alerts.first_at)) : json(nullptr)}}}};
  std::map<std::string, json> parts;
  int64_t inject_met = 0, inject_judged = 0;
  if (id == 0) {
    missed.Add("没有开启危机事件", "no incident was opened");
    out["incident"] = nullptr;
    parts["opening"] = 0.0;
    YQ_ASSIGN_OR_RETURN(out["injects"], Injects(store, nullptr, sc, state.start, now, missed, inject_met, inject_judged));
  } else {
    YQ_ASSIGN_OR_RETURN(store::IncidentRow inc, store.GetIncident(id));
    const TimeMs base = alerts.first_at > 0 ? alerts.first_at : state.start;
    out["incident"] = Opening(inc, sc, base, missed);
    int64_t ok = 0, checks = 0;
    for (const char* k : {"opened_in_time", "type_ok", "level_ok", "plan_ok"}) {
      if (out["incident"][k].is_null()) continue;
      ++checks;
      ok += out["incident"][k] == true;
    }
    parts["opening"] = Share(ok, checks);
    YQ_ASSIGN_OR_RETURN(json eval, incident::Evaluate(store, id, now));
    out["minutes"] = eval["minutes"];
    YQ_ASSIGN_OR_RETURN(out["stages"], Stages(store, id, eval, missed));
    parts["deadlines"] = Share(eval["tasks"]["met"].get<int64_t>(),
                               eval["tasks"]["met"].get<int64_t>() + eval["tasks"]["missed"].get<int64_t>());
    YQ_ASSIGN_OR_RETURN(out["statements"], Statements(store, id, missed));
    parts["statements"] = Share(out["statements"]["passed_check"], out["statements"]["published"]);
    out["commitments"] = Commitments(eval, missed);
    parts["commitments"] = Share(out["commitments"]["kept_on_time"],
                                 out["commitments"]["kept_on_time"].get<int64_t>() + out["commitments"]["kept_late"].get<int64_t>() +
                                     out["commitments"]["overdue"].get<int64_t>());
    YQ_ASSIGN_OR_RETURN(out["injects"], Injects(store, &inc, sc, state.start, now, missed, inject_met, inject_judged));
  }
  parts["injects"] = Share(inject_met, inject_judged);
  out["missed"] = missed.list;
  out["score"] = Overall(parts);
  return out;
}

}  // namespace yuqing::drill
