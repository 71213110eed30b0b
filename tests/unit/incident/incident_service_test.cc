// The incident service on SQLite and on PostgreSQL with a manual clock: plan tasks and deadlines, the
// state machine and its guards, level rises, statements → commitments, sweeps and hooks.
#include "incident/incident_service.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "incident/evaluation.h"

#include "test_dir.h"

namespace yuqing::incident {
namespace {

class RecordingHooks : public ResponseHooks {
 public:
  Status IncidentOpened(const store::IncidentRow&, const std::vector<TeamMember>&,
                        const std::vector<store::TaskRow>& tasks) override {
    opened += 1;
    opened_tasks = tasks.size();
    return Status::Ok();
  }
  Status TaskOverdue(const store::IncidentRow&, const store::TaskRow& t, int stage,
                     const std::vector<TeamMember>&) override {
    overdue.push_back({t.task_key, stage});
    return Status::Ok();
  }
  Status CommitmentOverdue(const store::IncidentRow&, const store::CommitmentRow& c) override {
    broken.push_back(c.text);
    return fail_commitment ? Status::Unavailable("outbox down") : Status::Ok();
  }
  int opened = 0;
  size_t opened_tasks = 0;
  std::vector<std::pair<std::string, int>> overdue;
  std::vector<std::string> broken;
  bool fail_commitment = false;
};

class ServiceTest : public ::testing::TestWithParam<storetest::TestBackend> {
 protected:
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(OpenIncidentStoreOn(GetParam(), where_, db_, store_));
    if (IsSkipped()) return;
    auto plans = DefaultPlans();
    ASSERT_TRUE(plans.ok()) << plans.status().ToString();
    auto checker = StatementChecker::Create(nullptr);
    ASSERT_TRUE(checker.ok());
    checker_ = std::move(checker).value();
    service_ = std::make_unique<IncidentService>(*store_, clock_, *plans, &hooks_, checker_.get());
  }
  void TearDown() override {
    service_.reset();
    store_.reset();
    db_.reset();
    where_.reset();
  }
  OpenedIncident OpenII() {
    OpenRequest req;
    req.title = "东湖自来水水质事件";
    req.level = "II";
    req.actor = "王强";
    req.team = {{"commander", "王强"}, {"spokesperson", "李娜"}};
    auto r = service_->Open(req);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? std::move(r).value() : OpenedIncident{};
  }
  const TimeMs t0_ = ParseTime("2026-06-02T09:00:00+08:00").value();
  ManualClock clock_{t0_};
  std::unique_ptr<storetest::TestStore> where_;
  std::unique_ptr<store::Database> db_;
  std::unique_ptr<store::IncidentStore> store_;
  std::unique_ptr<StatementChecker> checker_;
  RecordingHooks hooks_;
  std::unique_ptr<IncidentService> service_;
};

TEST_P(ServiceTest, OpenCreatesPlanTasksWithDeadlinesFromTheClock) {
  auto o = OpenII();
  EXPECT_EQ(o.incident.plan_id, "general-major");
  EXPECT_EQ(o.incident.detected_at, t0_);
  ASSERT_FALSE(o.tasks.empty());
  EXPECT_EQ(hooks_.opened, 1);
  EXPECT_EQ(hooks_.opened_tasks, o.tasks.size());
  std::map<std::string, store::TaskRow> by_key;
  for (const auto& t : o.tasks) by_key[t.task_key] = t;
  EXPECT_EQ(by_key["holding_statement"].due_at, t0_ + kHour);
  EXPECT_EQ(by_key["holding_statement"].owner, "李娜");  // filled from the spokesperson role
  EXPECT_EQ(by_key["authoritative_statement"].due_at, t0_ + 5 * kHour);
  EXPECT_EQ(by_key["press_conference"].due_at, t0_ + 24 * kHour);
  EXPECT_EQ(by_key["analysis"].owner, "");  // nobody holds analyst yet
  ASSERT_TRUE(service_->AssignRole(o.incident.id, "analyst", "赵敏", "王强").ok());
  auto tasks = service_->Tasks(o.incident.id, false);
  for (const auto& t : *tasks)
    if (t.task_key == "analysis") EXPECT_EQ(t.owner, "赵敏");
}

TEST_P(ServiceTest, MinorIncidentsGetAssessmentAndReply) {
  OpenRequest req;
  req.title = "小区电梯投诉";
  req.level = "IV";
  req.type = "complaint_wave";
  auto o = service_->Open(req);
  ASSERT_TRUE(o.ok());
  EXPECT_EQ(o->incident.plan_id, "general-minor");
  bool assessment = false, reply = false;
  for (const auto& t : o->tasks) {
    assessment = assessment || (t.kind == "assessment" && t.due_at == t0_ + 24 * kHour);
    reply = reply || t.kind == "reply";
  }
  EXPECT_TRUE(assessment);
  EXPECT_TRUE(reply);
}

TEST_P(ServiceTest, OpenRejectsBadInput) {
  OpenRequest req;
  req.title = "";
  req.level = "II";
  EXPECT_EQ(service_->Open(req).status().code(), Code::kInvalid);
  req.title = "x";
  req.level = "V";
  EXPECT_EQ(service_->Open(req).status().code(), Code::kInvalid);
  req.level = "I";
  req.type = "earthquake";
  EXPECT_EQ(service_->Open(req).status().code(), Code::kInvalid);
}

TEST_P(ServiceTest, StatesCannotSkipAndCloseNeedsAStatement) {
  auto o = OpenII();
  const int64_t id = o.incident.id;
  EXPECT_EQ(service_->Transition(id, "responding", "王强").status().code(), Code::kConflict);
  ASSERT_TRUE(service_->Transition(id, "acknowledged", "王强").ok());
  ASSERT_TRUE(service_->Transition(id, "responding", "王强").ok());
  ASSERT_TRUE(service_->Transition(id, "monitoring", "王强").ok());
  ASSERT_TRUE(service_->Transition(id, "responding", "王强").ok());  // back, it flared up again
  ASSERT_TRUE(service_->Transition(id, "monitoring", "王强").ok());
  auto closed = service_->Transition(id, "closed", "王强");
  EXPECT_EQ(closed.status().code(), Code::kConflict);
  EXPECT_NE(closed.status().message().find("no-response"), std::string::npos);
  EXPECT_EQ(service_->DecideNoResponse(id, "", "王强").status().code(), Code::kInvalid);
  ASSERT_TRUE(service_->DecideNoResponse(id, "经研判影响有限，以一对一答复代替公开回应", "王强").ok());
  auto c = service_->Transition(id, "closed", "王强");
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_GT(c->closed_at, 0);
  ASSERT_TRUE(service_->Transition(id, "reviewed", "王强").ok());
  EXPECT_EQ(service_->Transition(id, "closed", "王强").status().code(), Code::kConflict);
  auto log = store_->ListLog(id);
  int states = 0;
  for (const auto& l : *log) states += l.kind == "state";
  EXPECT_EQ(states, 7);
}

TEST_P(ServiceTest, LevelRiseAddsTheMissingTasksFromTheRise) {
  OpenRequest req;
  req.title = "谣言";
  req.level = "III";
  req.type = "rumor";
  auto o = service_->Open(req);
  ASSERT_TRUE(o.ok());
  clock_.Set(t0_ + 3 * kHour);
  EXPECT_EQ(service_->ChangeLevel(o->incident.id, "I", "", "王强").status().code(), Code::kInvalid);
  auto r = service_->ChangeLevel(o->incident.id, "I", "传播量2小时内增长10倍", "王强");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->plan_id, "rumor-major");
  auto tasks = service_->Tasks(o->incident.id, false);
  int holding = 0, assessment = 0;
  for (const auto& t : *tasks) {
    if (t.task_key == "holding_statement") {
      ++holding;
      EXPECT_EQ(t.due_at, t0_ + 4 * kHour);  // an hour after the rise
    }
    assessment += t.task_key == "assessment";
  }
  EXPECT_EQ(holding, 1);
  EXPECT_EQ(assessment, 1);  // kept
  EXPECT_EQ(service_->ChangeLevel(o->incident.id, "I", "again", "王强").status().code(), Code::kConflict);
}

TEST_P(ServiceTest, StatementLifecycleMakesCommitmentsAndFulfilsTasks) {
  auto o = OpenII();
  const int64_t id = o.incident.id;
  auto bad = service_->AddStatement(id, "我们对此不予回应。", "holding", 0, "李娜");
  ASSERT_TRUE(bad.ok());
  EXPECT_FALSE(bad->check_ok);
  EXPECT_EQ(service_->ApproveStatement(bad->id, "王强").status().code(), Code::kConflict);
  EXPECT_EQ(service_->PublishStatement(bad->id, "weibo", "", std::nullopt, "李娜").status().code(), Code::kConflict);
  auto good = service_->AddStatement(
      id, "今天8时许，东湖路一处供水管道爆裂，目前无人员伤亡，抢修人员已到场。预计今天14时前恢复供水。我们将于今晚20时前通报原因。",
      "", bad->id, "李娜");
  ASSERT_TRUE(good.ok());
  EXPECT_EQ(good->version, 2);
  EXPECT_EQ(good->kind, "holding");
  EXPECT_TRUE(good->check_ok) << good->check_json;
  EXPECT_EQ(service_->ApproveStatement(good->id, "李娜").status().code(), Code::kPermission);  // not the commander
  ASSERT_TRUE(service_->ApproveStatement(good->id, "王强").ok());
  clock_.Set(t0_ + 50 * kMinute);
  auto pub = service_->PublishStatement(good->id, "weibo", "https://weibo.example/1", std::nullopt, "李娜");
  ASSERT_TRUE(pub.ok()) << pub.status().ToString();
  auto cs = service_->Commitments(id, false);
  ASSERT_EQ(cs->size(), 2u);
  EXPECT_EQ(FormatTime(*(*cs)[0].due_at), "2026-06-02T14:00:00+08:00");
  EXPECT_EQ(FormatTime(*(*cs)[1].due_at), "2026-06-02T20:00:00+08:00");
  EXPECT_EQ((*cs)[0].owner, "李娜");
  auto tasks = service_->Tasks(id, false);
  for (const auto& t : *tasks)
    if (t.task_key == "holding_statement") {
      EXPECT_EQ(t.status, "done");
      EXPECT_EQ(t.done_at, t0_ + 50 * kMinute);
    }
  // Close now works: a statement is published.
  ASSERT_TRUE(service_->Transition(id, "acknowledged", "王强").ok());
  ASSERT_TRUE(service_->Transition(id, "responding", "王强").ok());
  ASSERT_TRUE(service_->Transition(id, "monitoring", "王强").ok());
  ASSERT_TRUE(service_->KeepCommitment((*cs)[0].id, "https://weibo.example/2", "李娜").ok());
  EXPECT_EQ(service_->KeepCommitment((*cs)[0].id, "x", "李娜").status().code(), Code::kConflict);
  EXPECT_EQ(service_->KeepCommitment((*cs)[1].id, "", "李娜").status().code(), Code::kInvalid);
  clock_.Set(t0_ + 12 * kHour);  // 21:00: the 20:00 promise is broken
  auto overdue = service_->Commitments(id, true);
  ASSERT_EQ(overdue->size(), 1u);
  auto ev = Evaluate(*store_, id, clock_.Now());
  ASSERT_TRUE(ev.ok());
  EXPECT_DOUBLE_EQ((*ev)["minutes"]["to_first_statement"].get<double>(), 50.0);
  EXPECT_EQ((*ev)["commitments"]["kept_on_time"], 1);
  EXPECT_EQ((*ev)["commitments"]["overdue"], 1);
  ASSERT_TRUE(service_->Transition(id, "closed", "王强").ok());
}

TEST_P(ServiceTest, SweepFiresEachStageOnceAndRecordsHookErrors) {
  auto o = OpenII();
  const int64_t id = o.incident.id;
  auto s = service_->AddStatement(id, "今天8时许，东湖路一处供水管道爆裂，抢修人员已到场。我们将于今天10时前通报进展。", "holding", 0, "李娜");
  ASSERT_TRUE(s.ok());
  ASSERT_TRUE(service_->ApproveStatement(s->id, "王强").ok());
  ASSERT_TRUE(service_->PublishStatement(s->id, "weibo", "", t0_ + 10 * kMinute, "李娜").ok());
  clock_.Set(t0_ + kHour + kMinute);  // team task (1h) overdue: stage 1 only
  auto r1 = service_->Sweep();
  ASSERT_TRUE(r1.ok());
  EXPECT_EQ(r1->tasks_notified, 1);  // "team"; holding_statement was done by the publication
  EXPECT_EQ(r1->commitments_overdue, 1);  // 10:00 passed
  auto r2 = service_->Sweep();
  EXPECT_EQ(r2->tasks_notified, 0);
  EXPECT_EQ(r2->commitments_overdue, 0);
  clock_.Set(t0_ + 3 * kHour + 5 * kMinute);  // team: stage 2 and 3 due now; analysis (2h) stage 1 and 2
  hooks_.fail_commitment = true;
  auto r3 = service_->Sweep();
  EXPECT_EQ(r3->tasks_escalated, 3);
  EXPECT_EQ(r3->tasks_notified, 1);
  int team_stages = 0;
  for (const auto& [key, stage] : hooks_.overdue) team_stages += key == "team";
  EXPECT_EQ(team_stages, 3);
  auto overdue_tasks = service_->Tasks(id, true);
  EXPECT_EQ(overdue_tasks->size(), 2u);
  auto tl = Timeline(*store_, id, clock_.Now());
  ASSERT_TRUE(tl.ok());
  int overdue_entries = 0;
  for (const auto& e : (*tl)["entries"]) overdue_entries += e["kind"] == "task_overdue";
  EXPECT_EQ(overdue_entries, 5);
}

TEST_P(ServiceTest, RepeatingTaskComesBackUntilClosed) {
  auto o = OpenII();
  int64_t follow = 0;
  for (const auto& t : o.tasks)
    if (t.task_key == "follow_up") follow = t.id;
  clock_.Set(t0_ + 20 * kHour);
  auto done = service_->CompleteTask(follow, "李娜", "第一次进展通报");
  ASSERT_TRUE(done.ok());
  EXPECT_EQ(service_->CompleteTask(follow, "李娜", "").status().code(), Code::kConflict);
  auto tasks = service_->Tasks(o.incident.id, false);
  int open_follow = 0;
  for (const auto& t : *tasks)
    if (t.task_key == "follow_up" && t.status == "open") {
      ++open_follow;
      EXPECT_EQ(t.due_at, t0_ + 48 * kHour);
    }
  EXPECT_EQ(open_follow, 1);
  EXPECT_EQ(service_->CompleteTask(999999, "x", "").status().code(), Code::kNotFound);
}

TEST_P(ServiceTest, StatsAcrossIncidents) {
  OpenII();
  OpenII();
  auto st = Stats(*store_, clock_.Now());
  ASSERT_TRUE(st.ok());
  EXPECT_EQ((*st)["incidents"], 2);
  EXPECT_EQ((*st)["by_level"]["II"], 2);
}

INSTANTIATE_TEST_SUITE_P(Backends, ServiceTest, storetest::kBothBackends, storetest::BackendName);

}  // namespace
}  // namespace yuqing::incident
