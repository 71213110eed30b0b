#include "incident/plan.h"

#include <algorithm>
#include <set>

#include <yaml-cpp/yaml.h>

#include "incident/data_files.h"

namespace yuqing::incident {
namespace {

std::string DurationText(TimeMs d) {
  if (d > 0 && d % kHour == 0) return std::to_string(d / kHour) + "h";
  return FormatDuration(d);
}

bool Contains(const std::vector<std::string>& v, std::string_view s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

std::string Scalar(const YAML::Node& n) { return n && n.IsScalar() ? n.as<std::string>() : std::string(); }

Status Title(const YAML::Node& n, const std::string& where, std::string& zh, std::string& en) {
  if (!n) return Status::Invalid(where + ": missing");
  if (n.IsScalar()) {
    zh = n.as<std::string>();
  } else if (n.IsMap()) {
    zh = Scalar(n["zh"]);
    en = Scalar(n["en"]);
  } else {
    return Status::Invalid(where + ": expected text or {zh, en}");
  }
  if (zh.empty()) return Status::Invalid(where + ".zh: missing");
  return Status::Ok();
}

Status List(const YAML::Node& n, const std::string& where, std::vector<std::string>& out) {
  if (!n) return Status::Ok();
  if (n.IsScalar()) {
    out.push_back(n.as<std::string>());
    return Status::Ok();
  }
  if (!n.IsSequence()) return Status::Invalid(where + ": expected a list");
  for (size_t i = 0; i < n.size(); ++i) {
    if (!n[i].IsScalar()) return Status::Invalid(where + "[" + std::to_string(i) + "]: expected text");
    out.push_back(n[i].as<std::string>());
  }
  return Status::Ok();
}

Status CheckKeys(const YAML::Node& n, const std::string& where, std::initializer_list<const char*> known) {
  for (const auto& kv : n) {
    std::string key = kv.first.as<std::string>();
    bool ok = false;
    for (const char* k : known) ok = ok || key == k;
    if (!ok) return Status::Invalid(where + "." + key + ": unknown field");
  }
  return Status::Ok();
}

Result<Plan> PlanFrom(const YAML::Node& n, const std::string& where) {
  if (!n.IsMap()) return Status::Invalid(where + ": expected a mapping");
  YQ_RETURN_IF_ERROR(CheckKeys(n, where, {"id", "title", "types", "levels", "approvers", "basis", "tasks"}));
  Plan p;
  p.id = Scalar(n["id"]);
  if (p.id.empty()) return Status::Invalid(where + ".id: missing");
  YQ_RETURN_IF_ERROR(Title(n["title"], where + ".title", p.title_zh, p.title_en));
  YQ_RETURN_IF_ERROR(List(n["types"], where + ".types", p.types));
  YQ_RETURN_IF_ERROR(List(n["levels"], where + ".levels", p.levels));
  YQ_RETURN_IF_ERROR(List(n["approvers"], where + ".approvers", p.approvers));
  p.basis = Scalar(n["basis"]);
  const YAML::Node tasks = n["tasks"];
  if (!tasks || !tasks.IsSequence()) return Status::Invalid(where + ".tasks: expected a list");
  for (size_t i = 0; i < tasks.size(); ++i) {
    const std::string tw = where + ".tasks[" + std::to_string(i) + "]";
    const YAML::Node t = tasks[i];
    if (!t.IsMap()) return Status::Invalid(tw + ": expected a mapping");
    YQ_RETURN_IF_ERROR(CheckKeys(t, tw, {"key", "title", "role", "due", "every", "kind"}));
    PlanTask task;
    task.key = Scalar(t["key"]);
    YQ_RETURN_IF_ERROR(Title(t["title"], tw + ".title", task.title_zh, task.title_en));
    task.role = Scalar(t["role"]);
    task.kind = Scalar(t["kind"]);
    if (!t["due"]) return Status::Invalid(tw + ".due: missing (e.g. 1h, 30m, 1d)");
    auto due = ParseDuration(Scalar(t["due"]));
    if (!due.ok()) return Status::Invalid(tw + ".due: " + due.status().message());
    task.due_after = *due;
    if (t["every"]) {
      auto every = ParseDuration(Scalar(t["every"]));
      if (!every.ok()) return Status::Invalid(tw + ".every: " + every.status().message());
      task.repeat_every = *every;
    }
    p.tasks.push_back(std::move(task));
  }
  YQ_RETURN_IF_ERROR(ValidatePlan(p, where));
  return p;
}

}  // namespace

const std::vector<std::string>& IncidentTypes() {
  static const std::vector<std::string> k = {"general",        "complaint_wave",  "rumor",
                                             "accident",       "group_event",     "service_outage",
                                             "product_quality", "staff_misconduct", "official_remark",
                                             "public_health",  "environment"};
  return k;
}

const std::vector<std::string>& IncidentLevels() {
  static const std::vector<std::string> k = {"I", "II", "III", "IV"};
  return k;
}

const std::vector<std::string>& TeamRoles() {
  static const std::vector<std::string> k = {"commander", "spokesperson", "analyst", "media_liaison", "scribe",
                                             "owner",     "legal"};
  return k;
}

bool IsIncidentType(std::string_view t) { return Contains(IncidentTypes(), t); }
bool IsLevel(std::string_view l) { return Contains(IncidentLevels(), l); }
bool IsRole(std::string_view r) { return Contains(TeamRoles(), r); }

int LevelRank(std::string_view level) {
  const auto& l = IncidentLevels();
  auto it = std::find(l.begin(), l.end(), level);
  return it == l.end() ? 0 : static_cast<int>(it - l.begin()) + 1;
}

Status ValidatePlan(const Plan& p, const std::string& where) {
  if (p.id.empty()) return Status::Invalid(where + ".id: missing");
  for (char c : p.id)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_'))
      return Status::Invalid(where + ".id: '" + p.id + "' may hold only letters, digits, '-' and '_'");
  if (p.title_zh.empty()) return Status::Invalid(where + ".title: missing");
  if (p.types.empty()) return Status::Invalid(where + ".types: missing (an incident type, or \"*\")");
  for (size_t i = 0; i < p.types.size(); ++i)
    if (p.types[i] != "*" && !IsIncidentType(p.types[i]))
      return Status::Invalid(where + ".types[" + std::to_string(i) + "]: unknown incident type '" + p.types[i] + "'");
  if (p.levels.empty()) return Status::Invalid(where + ".levels: missing (I, II, III, IV)");
  for (size_t i = 0; i < p.levels.size(); ++i)
    if (!IsLevel(p.levels[i]))
      return Status::Invalid(where + ".levels[" + std::to_string(i) + "]: '" + p.levels[i] + "' is not I, II, III or IV");
  for (size_t i = 0; i < p.approvers.size(); ++i)
    if (!IsRole(p.approvers[i]))
      return Status::Invalid(where + ".approvers[" + std::to_string(i) + "]: unknown role '" + p.approvers[i] + "'");
  if (p.tasks.empty()) return Status::Invalid(where + ".tasks: a plan needs at least one task");
  std::set<std::string> keys;
  for (size_t i = 0; i < p.tasks.size(); ++i) {
    const PlanTask& t = p.tasks[i];
    const std::string tw = where + ".tasks[" + std::to_string(i) + "]";
    if (t.key.empty()) return Status::Invalid(tw + ".key: missing");
    if (!keys.insert(t.key).second) return Status::Invalid(tw + ".key: duplicate key '" + t.key + "'");
    if (t.title_zh.empty()) return Status::Invalid(tw + ".title: missing");
    if (!IsRole(t.role)) return Status::Invalid(tw + ".role: unknown role '" + t.role + "'");
    if (t.due_after <= 0) return Status::Invalid(tw + ".due: must be positive");
    if (t.due_after > 365 * kDay) return Status::Invalid(tw + ".due: more than a year");
    if (t.repeat_every < 0 || (t.repeat_every > 0 && t.repeat_every < 10 * kMinute))
      return Status::Invalid(tw + ".every: must be at least 10m");
  }
  return Status::Ok();
}

Result<std::vector<Plan>> ParsePlans(std::string_view text) {
  try {
    YAML::Node root = YAML::Load(std::string(text));
    std::vector<Plan> out;
    YAML::Node list;
    std::string prefix = "plans";
    if (root.IsMap() && root["plans"]) {
      if (root["version"] && root["version"].as<int>() != 1) return Status::Invalid("version: only version 1 is understood");
      list = root["plans"];
      if (!list.IsSequence()) return Status::Invalid("plans: expected a list");
    } else if (root.IsMap()) {
      YQ_ASSIGN_OR_RETURN(Plan p, PlanFrom(root, "plan"));
      out.push_back(std::move(p));
      return out;
    } else if (root.IsSequence()) {
      list = root;
    } else {
      return Status::Invalid("plan file: expected a plan, a list of plans or {plans: [...]}");
    }
    std::set<std::string> ids;
    for (size_t i = 0; i < list.size(); ++i) {
      const std::string where = prefix + "[" + std::to_string(i) + "]";
      YQ_ASSIGN_OR_RETURN(Plan p, PlanFrom(list[i], where));
      if (!ids.insert(p.id).second) return Status::Invalid(where + ".id: duplicate id '" + p.id + "'");
      out.push_back(std::move(p));
    }
    if (out.empty()) return Status::Invalid("plans: no plan in the file");
    return out;
  } catch (const YAML::Exception& e) {
    return Status::Invalid(std::string("plan file: ") + e.what());
  }
}

nlohmann::json PlanToJson(const Plan& p) {
  nlohmann::json tasks = nlohmann::json::array();
  for (const PlanTask& t : p.tasks) {
    nlohmann::json j = {{"key", t.key},
                        {"title", {{"zh", t.title_zh}, {"en", t.title_en}}},
                        {"role", t.role},
                        {"due", DurationText(t.due_after)}};
    if (t.repeat_every > 0) j["every"] = DurationText(t.repeat_every);
    if (!t.kind.empty()) j["kind"] = t.kind;
    tasks.push_back(std::move(j));
  }
  nlohmann::json j = {{"id", p.id},
                      {"title", {{"zh", p.title_zh}, {"en", p.title_en}}},
                      {"types", p.types},
                      {"levels", p.levels},
                      {"approvers", p.approvers},
                      {"tasks", tasks}};
  if (!p.basis.empty()) j["basis"] = p.basis;
  return j;
}

nlohmann::json PlansToJson(const std::vector<Plan>& plans) {
  nlohmann::json list = nlohmann::json::array();
  for (const Plan& p : plans) list.push_back(PlanToJson(p));
  return {{"version", 1}, {"plans", list}};
}

std::string PlansToYaml(const std::vector<Plan>& plans) {
  YAML::Emitter out;
  out << YAML::BeginMap << YAML::Key << "version" << YAML::Value << 1 << YAML::Key << "plans" << YAML::Value
      << YAML::BeginSeq;
  for (const Plan& p : plans) {
    out << YAML::BeginMap;
    out << YAML::Key << "id" << YAML::Value << p.id;
    out << YAML::Key << "title" << YAML::Value << YAML::Flow << YAML::BeginMap << YAML::Key << "zh" << YAML::Value
        << p.title_zh << YAML::Key << "en" << YAML::Value << p.title_en << YAML::EndMap;
    out << YAML::Key << "types" << YAML::Value << YAML::Flow << p.types;
    out << YAML::Key << "levels" << YAML::Value << YAML::Flow << p.levels;
    out << YAML::Key << "approvers" << YAML::Value << YAML::Flow << p.approvers;
    if (!p.basis.empty()) out << YAML::Key << "basis" << YAML::Value << p.basis;
    out << YAML::Key << "tasks" << YAML::Value << YAML::BeginSeq;
    for (const PlanTask& t : p.tasks) {
      out << YAML::BeginMap << YAML::Key << "key" << YAML::Value << t.key;
      out << YAML::Key << "title" << YAML::Value << YAML::Flow << YAML::BeginMap << YAML::Key << "zh" << YAML::Value
          << t.title_zh << YAML::Key << "en" << YAML::Value << t.title_en << YAML::EndMap;
      out << YAML::Key << "role" << YAML::Value << t.role;
      out << YAML::Key << "due" << YAML::Value << DurationText(t.due_after);
      if (t.repeat_every > 0) out << YAML::Key << "every" << YAML::Value << DurationText(t.repeat_every);
      if (!t.kind.empty()) out << YAML::Key << "kind" << YAML::Value << t.kind;
      out << YAML::EndMap;
    }
    out << YAML::EndSeq << YAML::EndMap;
  }
  out << YAML::EndSeq << YAML::EndMap;
  return std::string(out.c_str()) + "\n";
}

Result<std::vector<Plan>> DefaultPlans() {
  YQ_ASSIGN_OR_RETURN(DataFile f, ReadDataFile("plans.yaml"));
  auto plans = ParsePlans(f.text);
  if (!plans.ok()) return Status(plans.status().code(), f.origin + ": " + plans.status().message());
  return plans;
}

const Plan* SelectPlan(const std::vector<Plan>& plans, std::string_view type, std::string_view level) {
  const Plan* any = nullptr;
  for (const Plan& p : plans) {
    if (!Contains(p.levels, level)) continue;
    if (Contains(p.types, type)) return &p;
    if (!any && Contains(p.types, "*")) any = &p;
  }
  return any;
}

std::vector<Plan> MergePlans(std::vector<Plan> base, const std::vector<Plan>& overrides) {
  for (const Plan& o : overrides) {
    auto it = std::find_if(base.begin(), base.end(), [&](const Plan& p) { return p.id == o.id; });
    if (it != base.end()) *it = o;
    else base.push_back(o);
  }
  return base;
}

}  // namespace yuqing::incident
