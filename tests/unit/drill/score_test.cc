#include "drill/score.h"

#include <filesystem>

#include <gtest/gtest.h>

#include "store/incident_store.h"

namespace yuqing::drill {
namespace {

constexpr TimeMs kStart = 1'780'000'000'000;

class ScoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("yq-drill-score-" + std::to_string(::getpid()) + "-" +
                                                     ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(dir_);
    auto db = store::Database::Open((dir_ / "yuqing.db").string());
    ASSERT_TRUE(db.ok()) << db.status().message();
    db_ = std::move(*db);
    auto sc = ParseScenario(R"(name: t
plan: rumor-major
incident: {type: rumor, level: II, open_within: 30m}
posts: [{at: +0m, text: 东湖自来水}]
injects:
  - {key: press, at: +10m, title: 记者来电, expect: media, within: 1h}
  - {key: later, at: +5h, title: 之后的情况, expect: public}
)",
                            ".");
    ASSERT_TRUE(sc.ok()) << sc.status().message();
    scenario_ = *sc;
    state_.start = kStart;
    state_.end = kStart + kHour;
    state_.status = "replayed";
  }
  void TearDown() override {
    db_.reset();
    std::filesystem::remove_all(dir_);
  }

  std::filesystem::path dir_;
  std::unique_ptr<store::Database> db_;
  Scenario scenario_;
  DrillState state_;
};

TEST_F(ScoreTest, WithoutAnIncidentTheScoreIsZero) {
  auto j = Score(*db_, scenario_, state_, kStart + 2 * kHour);
  ASSERT_TRUE(j.ok()) << j.status().message();
  EXPECT_TRUE((*j)["incident"].is_null());
  EXPECT_EQ((*j)["score"]["overall"], 0.0);
  EXPECT_EQ((*j)["alerts"]["count"], 0);
  // The press inject is overdue; the one at +5h has not come yet and is not listed.
  ASSERT_EQ((*j)["injects"].size(), 1u);
  EXPECT_EQ((*j)["injects"][0]["met"], false);
  EXPECT_EQ((*j)["missed"][0], "没有开启危机事件");
}

TEST_F(ScoreTest, AnIncidentOpenedLateAtTheWrongLevel) {
  store::IncidentStore store(*db_);
  ASSERT_TRUE(store.Init().ok());
  store::IncidentRow inc;
  inc.title = "演练";
  inc.type = "rumor";
  inc.level = "III";
  inc.plan_id = "general-minor";
  inc.detected_at = inc.opened_at = kStart + 45 * kMinute;  // no alert: measured from the start
  ASSERT_TRUE(store.InsertIncident(inc).ok());
  ScoreOptions o;
  o.zh = false;
  auto j = Score(*db_, scenario_, state_, kStart + 2 * kHour, o);
  ASSERT_TRUE(j.ok()) << j.status().message();
  const auto& i = (*j)["incident"];
  EXPECT_EQ(i["opened_in_time"], false);
  EXPECT_EQ(i["minutes_to_open"], 45.0);
  EXPECT_EQ(i["type_ok"], true);
  EXPECT_EQ(i["level_ok"], false);
  EXPECT_EQ(i["plan_ok"], false);
  EXPECT_EQ((*j)["score"]["parts"]["opening"], 25.0);  // one check of four
  bool late = false;
  for (const auto& m : (*j)["missed"]) late = late || m.get<std::string>().find("incident opened 15 min late") == 0;
  EXPECT_TRUE(late) << (*j)["missed"].dump();
}

}  // namespace
}  // namespace yuqing::drill
