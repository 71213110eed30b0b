// Response plans (预案) as data: for an incident type and level, the tasks to do, the role that
// owns each, and its deadline relative to detection. Defaults ship in data/plans.yaml (documented
// in docs/response.md); `yuqing plans import` adds or replaces plans by id in the store.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/status.h"
#include "core/time.h"

namespace yuqing::incident {

// Incident types, levels and team roles the plans speak about.
const std::vector<std::string>& IncidentTypes();  // complaint_wave, rumor, accident, ...
const std::vector<std::string>& IncidentLevels();  // I, II, III, IV (I is the most severe)
const std::vector<std::string>& TeamRoles();       // commander, spokesperson, analyst, ...
bool IsIncidentType(std::string_view t);
bool IsLevel(std::string_view l);
bool IsRole(std::string_view r);
// 1 for I … 4 for IV; 0 for anything else. A *lower* rank is *more* severe.
int LevelRank(std::string_view level);

struct PlanTask {
  std::string key;    // unique in the plan: "holding_statement"
  std::string title_zh;
  std::string title_en;
  std::string role;   // one of TeamRoles()
  TimeMs due_after = 0;     // deadline = detection (or level rise) + due_after
  TimeMs repeat_every = 0;  // > 0: when done, the next one is due this much later, until closed
  std::string kind;   // optional marker the evaluation reads: holding_statement,
                      // authoritative_statement, press_conference, assessment, reply, review
};

struct Plan {
  std::string id;
  std::string title_zh;
  std::string title_en;
  std::vector<std::string> types;   // incident types, or "*" for any
  std::vector<std::string> levels;  // I..IV
  std::vector<std::string> approvers;  // roles whose approval a statement needs before publication
  std::string basis;                // why these deadlines (shown by `plans show`)
  std::vector<PlanTask> tasks;
};

// Parses a plan file: YAML or JSON, either {"plans": [...]} or a single plan or a list of plans.
// Validates every field; errors name it: "plans[1].tasks[2].due: bad duration 'soon'".
Result<std::vector<Plan>> ParsePlans(std::string_view text);
Status ValidatePlan(const Plan& p, const std::string& where);

nlohmann::json PlanToJson(const Plan& p);
nlohmann::json PlansToJson(const std::vector<Plan>& plans);  // {"version":1,"plans":[...]}
std::string PlansToYaml(const std::vector<Plan>& plans);

// The shipped defaults (data file "plans.yaml").
Result<std::vector<Plan>> DefaultPlans();

// The plan for an incident: one that names the type beats "*"; nullptr when none covers the level.
const Plan* SelectPlan(const std::vector<Plan>& plans, std::string_view type, std::string_view level);

// `base` with every plan of `overrides` added, or replacing the plan with the same id.
std::vector<Plan> MergePlans(std::vector<Plan> base, const std::vector<Plan>& overrides);

}  // namespace yuqing::incident
