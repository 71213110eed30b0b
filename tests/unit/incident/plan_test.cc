#include "incident/plan.h"

#include <gtest/gtest.h>

namespace yuqing::incident {
namespace {

TEST(Plans, DefaultsCoverEveryTypeAndLevel) {
  auto plans = DefaultPlans();
  ASSERT_TRUE(plans.ok()) << plans.status().ToString();
  for (const auto& type : IncidentTypes())
    for (const auto& level : IncidentLevels()) EXPECT_NE(SelectPlan(*plans, type, level), nullptr) << type << level;
  const Plan* major = SelectPlan(*plans, "general", "I");
  ASSERT_NE(major, nullptr);
  std::map<std::string, TimeMs> due;
  for (const auto& t : major->tasks) due[t.kind] = t.due_after;
  EXPECT_EQ(due["holding_statement"], kHour);
  EXPECT_EQ(due["authoritative_statement"], 5 * kHour);
  EXPECT_EQ(due["press_conference"], 24 * kHour);
  EXPECT_EQ(SelectPlan(*plans, "rumor", "II")->id, "rumor-major");  // specific beats "*"
}

TEST(Plans, RoundTripYamlAndJson) {
  auto plans = DefaultPlans();
  ASSERT_TRUE(plans.ok());
  auto again = ParsePlans(PlansToYaml(*plans));
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(PlansToJson(*again), PlansToJson(*plans));
  auto from_json = ParsePlans(PlansToJson(*plans).dump());
  ASSERT_TRUE(from_json.ok()) << from_json.status().ToString();
  EXPECT_EQ(PlansToJson(*from_json), PlansToJson(*plans));
}

std::string Err(const std::string& yaml) {
  auto r = ParsePlans(yaml);
  return r.ok() ? "ok" : r.status().message();
}

TEST(Plans, ErrorsNameTheField) {
  const std::string head = "plans:\n  - id: p\n    title: 预案\n    types: [rumor]\n    levels: [I]\n    tasks:\n";
  EXPECT_EQ(Err(head + "      - {key: a, title: 甲, role: commander, due: 1h}\n"), "ok");
  EXPECT_NE(Err(head + "      - {key: a, title: 甲, role: commander, due: soon}\n").find("plans[0].tasks[0].due"), std::string::npos);
  EXPECT_NE(Err(head + "      - {key: a, title: 甲, role: boss, due: 1h}\n").find("plans[0].tasks[0].role"), std::string::npos);
  EXPECT_NE(Err(head + "      - {key: a, title: 甲, role: commander, due: 1h}\n      - {key: a, title: 乙, role: commander, due: 2h}\n")
                .find("plans[0].tasks[1].key"),
            std::string::npos);
  EXPECT_NE(Err(head + "      - {key: a, title: 甲, role: commander, due: 1h, colour: red}\n").find("tasks[0].colour"),
            std::string::npos);
  EXPECT_NE(Err("plans:\n  - id: p\n    title: t\n    types: [quake]\n    levels: [I]\n    tasks: []\n").find("plans[0].types[0]"),
            std::string::npos);
  EXPECT_NE(Err("plans:\n  - id: p\n    title: t\n    types: [rumor]\n    levels: [V]\n    tasks: []\n").find("plans[0].levels[0]"),
            std::string::npos);
  EXPECT_NE(Err("plans: [").find("plan file"), std::string::npos);
  EXPECT_NE(Err("42").find("expected"), std::string::npos);
}

TEST(Plans, MergeReplacesById) {
  auto plans = DefaultPlans();
  ASSERT_TRUE(plans.ok());
  Plan p = (*plans)[0];
  p.title_zh = "改过的";
  auto merged = MergePlans(*plans, {p});
  EXPECT_EQ(merged.size(), plans->size());
  EXPECT_EQ(merged[0].title_zh, "改过的");
}

}  // namespace
}  // namespace yuqing::incident
