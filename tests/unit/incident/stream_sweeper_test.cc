// Deadlines on the replay clock: StreamSweeper sweeps exactly when the stream clock passes each
// deadline (IncidentService::NextDue), so notices carry the deadline's stream time; it leaves a
// store without incidents alone, never moves the clock back, and skips closed incidents. On SQLite
// and on PostgreSQL.
#include <gtest/gtest.h>

#include "store/sqlite/connection.h"

#include <filesystem>
#include <map>

#include "incident/response.h"
#include "store/outbox_store.h"

#include "test_dir.h"

namespace yuqing::incident {
namespace {

constexpr TimeMs kT0 = 1780000000000;  // 2026-05-28, a whole minute

class StreamSweeperTest : public ::testing::TestWithParam<storetest::TestBackend> {
 protected:
  void SetUp() override {
    YQ_OPEN_TEST_STORE(where_, GetParam());
    path_ = where_->where();
  }
  void TearDown() override { where_.reset(); }
  StreamSweeper::DbOpener Opener() {
    return [p = path_] { return store::Database::Open(p); };
  }
  std::unique_ptr<storetest::TestStore> where_;
  std::string path_;  // the SQLite file or the PostgreSQL URL
};

TEST_P(StreamSweeperTest, AStoreWithoutIncidentsIsLeftAlone) {
  ManualClock clock(kT0);
  StreamSweeper sweeper(Opener(), clock);
  ASSERT_TRUE(sweeper.RunUntil(kT0 + kDay).ok());
  EXPECT_EQ(sweeper.totals().sweeps, 0);
  EXPECT_EQ(clock.Now(), kT0);
  auto db = store::Database::Open(path_);
  ASSERT_TRUE(db.ok());
  auto has = (*db)->HasComponent("incidents");
  ASSERT_TRUE(has.ok()) << has.status().ToString();
  EXPECT_FALSE(*has);
  if ((*db)->backend() != store::Backend::kSqlite) return;
  auto q = store::sqlite::Expect(**db, "test").Prepare("SELECT count(*) FROM sqlite_master WHERE name LIKE 'incident%'");
  ASSERT_TRUE(q.ok());
  ASSERT_TRUE(*q->Step());
  EXPECT_EQ(q->Int(0), 0);
}

TEST_P(StreamSweeperTest, SweepsAtEachDeadlineOnTheStreamClock) {
  auto db = store::Database::Open(path_);
  ASSERT_TRUE(db.ok());
  store::IncidentStore store(**db);
  ASSERT_TRUE(store.Init().ok());
  auto outbox = store::OutboxStore::Open(**db);
  ASSERT_TRUE(outbox.ok());
  ASSERT_TRUE((*outbox)->AddDepartment({"新闻中心", "", {}, kT0}).ok());
  for (int order : {0, 1}) {
    store::Contact c;
    c.department = "新闻中心";
    c.channel = "webhook";
    c.target = "http://127.0.0.1:1/" + std::to_string(order);
    c.escalation_order = order;
    ASSERT_TRUE((*outbox)->AddContact(c).ok());
  }
  ManualClock clock(kT0);
  Plan plan;
  plan.id = "p";
  plan.types = {"general"};
  plan.levels = {"II"};
  PlanTask task;
  task.key = "holding_statement";
  task.title_zh = task.title_en = "首次回应";
  task.role = "spokesperson";
  task.due_after = kHour;
  plan.tasks = {task};
  IncidentService svc(store, clock, {plan});
  OpenRequest req;
  req.title = "停水";
  req.level = "II";
  req.links = {{0, "department", "新闻中心", kT0}};
  auto opened = svc.Open(req);
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  ASSERT_EQ(opened->tasks.size(), 1u);
  auto next = svc.NextDue();
  ASSERT_TRUE(next.ok());
  ASSERT_TRUE(next->has_value());
  EXPECT_EQ(**next, kT0 + kHour + 1);  // strictly after the deadline

  StreamSweeper sweeper(Opener(), clock);
  int flushed = 0;
  auto flush = [&] {
    ++flushed;
    return Status::Ok();
  };
  // The stream moves in steps of 7 minutes past the deadline and past stage 2 (30 min later).
  for (TimeMs t = kT0; t <= kT0 + 2 * kHour; t += 7 * kMinute) {
    ASSERT_TRUE(sweeper.RunUntil(t, flush).ok());
    clock.Advance(t);
  }
  EXPECT_EQ(sweeper.totals().sweeps, 2);
  EXPECT_EQ(sweeper.totals().tasks_notified, 1);
  EXPECT_EQ(sweeper.totals().tasks_escalated, 1);
  EXPECT_EQ(sweeper.totals().hook_errors, 0);
  EXPECT_EQ(flushed, 2);  // the posts before each deadline are stored before it is swept
  auto all = (*outbox)->List("", 0, 100);
  ASSERT_TRUE(all.ok());
  std::map<std::string, TimeMs> at;
  for (const auto& e : *all) {
    if (e.idem_key.find("task_overdue") != std::string::npos) at["overdue"] = e.created_at;
    if (e.idem_key.find("task_escalated") != std::string::npos) at["escalated"] = e.created_at;
  }
  // Each notice carries its deadline's stream time, not the time of the post that followed it.
  EXPECT_EQ(at["overdue"], kT0 + kHour + 1);
  EXPECT_EQ(at["escalated"], kT0 + 90 * kMinute);
  auto t = store.GetTask(opened->tasks[0].id);
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->overdue_stage, 2);
  // Stage 3 (2 h late) is still ahead.
  next = svc.NextDue();
  ASSERT_TRUE(next.ok() && next->has_value());
  EXPECT_EQ(**next, kT0 + 3 * kHour);
}

TEST_P(StreamSweeperTest, DeadlinesBeforeTheStreamAreSweptAtItsStartAndClosedIncidentsNot) {
  auto db = store::Database::Open(path_);
  ASSERT_TRUE(db.ok());
  store::IncidentStore store(**db);
  ASSERT_TRUE(store.Init().ok());
  ManualClock clock(kT0);
  auto plans = DefaultPlans();
  ASSERT_TRUE(plans.ok());
  IncidentService svc(store, clock, *plans);
  OpenRequest req;
  req.title = "t";
  req.level = "II";
  auto open = svc.Open(req);
  ASSERT_TRUE(open.ok());
  req.title = "closed";
  auto closed = svc.Open(req);
  ASSERT_TRUE(closed.ok());
  auto row = store.GetIncident(closed->incident.id);
  ASSERT_TRUE(row.ok());
  row->state = "closed";
  ASSERT_TRUE(store.UpdateIncident(*row).ok());

  // The stream starts a day later: the caller sets the clock to its first post first.
  ManualClock stream(kT0 + kDay);
  StreamSweeper sweeper(Opener(), stream);
  ASSERT_TRUE(sweeper.RunUntil(kT0 + kDay).ok());
  EXPECT_EQ(stream.Now(), kT0 + kDay);  // never moved back
  EXPECT_GE(sweeper.totals().sweeps, 1);
  auto tasks = store.ListTasks(closed->incident.id);
  ASSERT_TRUE(tasks.ok());
  for (const auto& t : *tasks) EXPECT_EQ(t.overdue_stage, 0) << t.task_key;
  tasks = store.ListTasks(open->incident.id);
  ASSERT_TRUE(tasks.ok());
  int escalated = 0;
  for (const auto& t : *tasks) escalated += t.overdue_stage > 0;
  EXPECT_GT(escalated, 0);
  // No hooks reachable (no department): counted, not fatal.
  EXPECT_GT(sweeper.totals().hook_errors, 0);
  EXPECT_EQ(sweeper.totals().errors, 0);
}

INSTANTIATE_TEST_SUITE_P(Backends, StreamSweeperTest, storetest::kBothBackends, storetest::BackendName);

}  // namespace
}  // namespace yuqing::incident
