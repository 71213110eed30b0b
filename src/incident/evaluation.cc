#include "incident/evaluation.h"

#include <algorithm>
#include <cstdlib>
#include <map>

#include "core/alert.h"
#include "incident/figures.h"
#include "incident/incident_service.h"
#include "store/alert_store.h"
#include "incident/time_expr.h"

namespace yuqing::incident {
namespace {

using nlohmann::json;

json Minutes(TimeMs from, TimeMs to) {
  if (from <= 0 || to <= 0) return nullptr;
  return static_cast<double>(to - from) / static_cast<double>(kMinute);
}

json Median(std::vector<double> v) {
  if (v.empty()) return nullptr;
  std::sort(v.begin(), v.end());
  size_t n = v.size();
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

bool Authoritative(const std::string& kind) {
  return kind == "authoritative" || kind == "clarification" || kind == "press_conference";
}

json Entry(TimeMs at, const char* kind) { return {{"at", FormatTime(at)}, {"at_ms", at}, {"kind", kind}}; }

}  // namespace

Result<json> Timeline(store::IncidentStore& store, int64_t incident_id, TimeMs now) {
  YQ_ASSIGN_OR_RETURN(store::IncidentRow inc, store.GetIncident(incident_id));
  YQ_ASSIGN_OR_RETURN(store::PostScope scope, ScopeOf(store, inc));
  std::vector<json> entries;
  json detected = Entry(inc.detected_at, "detected");
  detected["alert_id"] = inc.alert_id;
  entries.push_back(detected);
  YQ_ASSIGN_OR_RETURN(auto log, store.ListLog(incident_id));
  for (const auto& l : log) {
    json e = Entry(l.at, l.kind.c_str());
    e["actor"] = l.actor;
    e["detail"] = json::parse(l.detail_json, nullptr, false);
    entries.push_back(std::move(e));
  }
  YQ_ASSIGN_OR_RETURN(auto tasks, store.ListTasks(incident_id));
  for (const auto& t : tasks) {
    json e = Entry(t.due_at, "task_due");
    e["task"] = TaskToJson(t, now);
    entries.push_back(std::move(e));
  }
  YQ_ASSIGN_OR_RETURN(auto commitments, store.ListCommitments(incident_id));
  for (const auto& c : commitments) {
    if (!c.due_at) continue;
    json e = Entry(*c.due_at, "commitment_due");
    e["commitment"] = CommitmentToJson(c, now);
    entries.push_back(std::move(e));
  }
  YQ_ASSIGN_OR_RETURN(auto statements, store.ListStatements(incident_id));
  for (const auto& s : statements) {
    if (s.published_at <= 0) continue;
    json e = Entry(s.published_at, "statement");
    e["statement"] = StatementToJson(s, false);
    entries.push_back(std::move(e));
  }
  YQ_ASSIGN_OR_RETURN(auto clars, store.ListClarifications(incident_id));
  for (const auto& c : clars) {
    json e = Entry(c.created_at, "clarification");
    e["clarification"] = {{"id", c.id}, {"claim", c.claim}, {"statement_id", c.statement_id}};
    entries.push_back(std::move(e));
  }
  // The alerts linked to the incident (the one it was opened from, overdue promises ...).
  YQ_ASSIGN_OR_RETURN(auto links, store.Links(incident_id));
  std::unique_ptr<store::AlertStore> alerts;
  for (const auto& l : links) {
    if (l.kind != "alert") continue;
    int64_t id = std::atoll(l.ref.c_str());
    if (id <= 0) continue;
    if (!alerts) {
      YQ_ASSIGN_OR_RETURN(alerts, store::AlertStore::Open(store.db()));
    }
    YQ_ASSIGN_OR_RETURN(auto a, alerts->Get(id));
    if (!a) continue;
    json e = Entry(a->created_at, "alert");
    e["alert"] = {{"id", a->id}, {"level", LevelName(a->severity)}, {"status", a->status},
                  {"rule", a->rule}, {"message", a->message}};
    entries.push_back(std::move(e));
  }
  YQ_ASSIGN_OR_RETURN(auto comms, store.ListCommunications(incident_id));
  for (const auto& c : comms) {
    json e = Entry(c.at, "communication_record");
    e["communication"] = {{"id", c.id}, {"kind", c.kind}, {"channel", c.channel}, {"with", c.counterpart},
                          {"content", c.content}, {"actor", c.actor}};
    entries.push_back(std::move(e));
  }
  std::stable_sort(entries.begin(), entries.end(),
                   [](const json& a, const json& b) { return a["at_ms"].get<TimeMs>() < b["at_ms"].get<TimeMs>(); });
  YQ_ASSIGN_OR_RETURN(json curve, VolumeCurve(store, inc, scope, now));
  return json{{"incident", IncidentToJson(inc)}, {"entries", entries}, {"posts", std::move(curve)}};
}

Result<json> Evaluate(store::IncidentStore& store, int64_t incident_id, TimeMs now, const FigureOptions& fo) {
  YQ_ASSIGN_OR_RETURN(store::IncidentRow inc, store.GetIncident(incident_id));
  YQ_ASSIGN_OR_RETURN(store::PostScope scope, ScopeOf(store, inc, fo));
  YQ_ASSIGN_OR_RETURN(json detection, DetectionFigures(store, inc, scope, fo));
  YQ_ASSIGN_OR_RETURN(auto statements, store.ListStatements(incident_id));
  TimeMs first = 0, authoritative = 0;
  int published = 0, published_with_errors = 0;
  for (const auto& s : statements) {
    if (s.published_at <= 0) continue;
    ++published;
    if (!s.check_ok) ++published_with_errors;
    if (first == 0 || s.published_at < first) first = s.published_at;
    if (Authoritative(s.kind) && (authoritative == 0 || s.published_at < authoritative)) authoritative = s.published_at;
  }
  YQ_ASSIGN_OR_RETURN(auto tasks, store.ListTasks(incident_id));
  int met = 0, missed = 0, open = 0, cancelled = 0;
  json task_list = json::array();
  for (const auto& t : tasks) {
    json met_json = nullptr;
    if (t.status == "done") {
      met_json = t.done_at <= t.due_at;
      (t.done_at <= t.due_at ? met : missed)++;
    } else if (t.status == "open") {
      if (now > t.due_at) met_json = false, ++missed;
      else ++open;
    } else {
      ++cancelled;
      TimeMs end = inc.closed_at > 0 ? inc.closed_at : now;
      if (end > t.due_at) met_json = false, ++missed;
    }
    task_list.push_back({{"id", t.id}, {"key", t.task_key}, {"role", t.role}, {"due_at", FormatTime(t.due_at)},
                         {"status", t.status}, {"done_at", t.done_at > 0 ? json(FormatTime(t.done_at)) : json(nullptr)},
                         {"met", met_json}, {"escalation_stage", t.overdue_stage}});
  }
  YQ_ASSIGN_OR_RETURN(auto commitments, store.ListCommitments(incident_id));
  int kept = 0, kept_on_time = 0, overdue = 0, undated = 0, pending = 0;
  for (const auto& c : commitments) {
    if (!c.due_at) ++undated;
    if (c.status == "kept") {
      ++kept;
      if (!c.due_at || c.kept_at <= *c.due_at) ++kept_on_time;
    } else if (c.due_at && now > *c.due_at) {
      ++overdue;
    } else {
      ++pending;
    }
  }
  YQ_ASSIGN_OR_RETURN(auto comms, store.ListCommunications(incident_id));
  std::map<std::string, int> by_kind = {{"media", 0}, {"public", 0}, {"internal", 0}};
  for (const auto& c : comms) by_kind[c.kind]++;
  const int judged = met + missed;
  YQ_ASSIGN_OR_RETURN(json around, AroundStatements(store, scope, statements, now, fo));
  YQ_ASSIGN_OR_RETURN(json feedback, PublicFeedback(store, scope, incident_id));
  return json{
      {"incident", IncidentToJson(inc)},
      {"minutes",
       {{"to_detect", detection["minutes_to_detect"]},
        {"to_acknowledge", Minutes(inc.detected_at, inc.acknowledged_at)},
        {"to_first_statement", Minutes(inc.detected_at, first)},
        {"to_authoritative_statement", Minutes(inc.detected_at, authoritative)},
        {"to_close", Minutes(inc.detected_at, inc.closed_at)}}},
      {"tasks",
       {{"total", tasks.size()}, {"met", met}, {"missed", missed}, {"open", open}, {"cancelled", cancelled},
        {"met_share", judged ? json(static_cast<double>(met) / judged) : json(nullptr)}, {"list", task_list}}},
      {"commitments",
       {{"total", commitments.size()}, {"kept", kept}, {"kept_on_time", kept_on_time}, {"overdue", overdue},
        {"pending", pending}, {"undated", undated}}},
      {"statements", {{"drafts", statements.size()}, {"published", published},
                      {"published_with_check_errors", published_with_errors}}},
      {"communications", by_kind},
      {"detection", detection},
      {"volume_around_statements", std::move(around)},
      {"public_feedback", std::move(feedback)}};
}

Result<json> Stats(store::IncidentStore& store, TimeMs now) {
  store::IncidentFilter f;
  f.limit = 1000000;
  YQ_ASSIGN_OR_RETURN(auto incidents, store.ListIncidents(f));
  std::vector<double> detect, ack, first, auth, close;
  int met = 0, judged = 0, kept_on_time = 0, due_commitments = 0;
  std::map<std::string, int> by_level, by_state;
  std::map<std::string, std::vector<double>> first_by_month;
  for (const auto& inc : incidents) {
    by_level[inc.level]++;
    by_state[inc.state]++;
    YQ_ASSIGN_OR_RETURN(json e, Evaluate(store, inc.id, now));
    auto add = [&](const char* k, std::vector<double>& v) {
      if (!e["minutes"][k].is_null()) v.push_back(e["minutes"][k].get<double>());
    };
    add("to_detect", detect);
    add("to_acknowledge", ack);
    add("to_first_statement", first);
    add("to_authoritative_statement", auth);
    add("to_close", close);
    met += e["tasks"]["met"].get<int>();
    judged += e["tasks"]["met"].get<int>() + e["tasks"]["missed"].get<int>();
    kept_on_time += e["commitments"]["kept_on_time"].get<int>();
    due_commitments += e["commitments"]["kept"].get<int>() + e["commitments"]["overdue"].get<int>();
    if (!e["minutes"]["to_first_statement"].is_null()) {
      CivilTime c = ToCivil(inc.detected_at);
      char month[16];
      std::snprintf(month, sizeof month, "%04d-%02d", c.year, c.month);
      first_by_month[month].push_back(e["minutes"]["to_first_statement"].get<double>());
    }
  }
  json trend = json::array();
  for (auto& [month, v] : first_by_month)
    trend.push_back({{"month", month}, {"incidents", v.size()}, {"median_minutes_to_first_statement", Median(v)}});
  return json{{"incidents", incidents.size()},
              {"by_level", by_level},
              {"by_state", by_state},
              {"median_minutes",
               {{"to_detect", Median(detect)},
                {"to_acknowledge", Median(ack)},
                {"to_first_statement", Median(first)},
                {"to_authoritative_statement", Median(auth)},
                {"to_close", Median(close)}}},
              {"task_deadlines_met_share", judged ? json(static_cast<double>(met) / judged) : json(nullptr)},
              {"commitments_kept_on_time_share",
               due_commitments ? json(static_cast<double>(kept_on_time) / due_commitments) : json(nullptr)},
              {"trend", trend}};
}

}  // namespace yuqing::incident
