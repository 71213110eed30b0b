// Crisis response on top of posts, alerts and the outbox: the incident's post figures (scope,
// windows around a statement, curve, episode start), opening from an alert, the outbox hooks
// (departments, escalation orders, idempotency keys), overdue commitments raising alerts, and
// statement diffs.
#include <gtest/gtest.h>

#include "store/sqlite/connection.h"

#include "store/post_store.h"

#include <chrono>
#include <filesystem>
#include <thread>
#include <set>

#include "incident/alert_intake.h"
#include "incident/figures.h"
#include "incident/library.h"
#include "incident/outbox_hooks.h"
#include "incident/response.h"
#include "store/alert_store.h"
#include "store/outbox_store.h"
#include "store/scheme_store.h"

#include "test_dir.h"

namespace yuqing::incident {
namespace {

constexpr TimeMs kT0 = 1780000000000;  // 2026-05-28, a whole minute

int64_t AddIncident(store::IncidentStore& store, TimeMs detected) {
  store::IncidentRow r;
  r.title = "t";
  r.level = "II";
  r.detected_at = r.opened_at = r.updated_at = detected;
  auto id = store.InsertIncident(r);
  EXPECT_TRUE(id.ok()) << id.status().ToString();
  return id.ok() ? *id : 0;
}

// The figures read posts: a stand-in posts table on SQLite (the posts are not on PostgreSQL yet).
class ResponseTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(OpenIncidentStore("yq-response", dir_, db_, store_));
    // The columns of post_store.h's posts table that the incident queries read.
    ASSERT_TRUE(store::sqlite::Expect(*db_, "test").Exec(R"sql(
      CREATE TABLE posts (rowid INTEGER PRIMARY KEY, id TEXT UNIQUE, source TEXT, title TEXT DEFAULT '',
        text TEXT, published_at INTEGER, sentiment TEXT DEFAULT 'neutral', reposts INTEGER DEFAULT 0,
        comments INTEGER DEFAULT 0, likes INTEGER DEFAULT 0, author_followers INTEGER DEFAULT 0,
        author_verified INTEGER DEFAULT 0, type_list TEXT DEFAULT ',', simhash INTEGER DEFAULT 0,
        dup_of TEXT DEFAULT '', event_id INTEGER DEFAULT 0);
      CREATE TABLE post_schemes (scheme_id INTEGER, published_at INTEGER, post_rowid INTEGER);
    )sql").ok());
    // The stand-in table is the posts component, as PostStore::Open would have made it.
    ASSERT_TRUE(store::sqlite::Expect(*db_, "test").EnsureSchema("posts", store::PostStore::kSchemaVersion, [](store::sqlite::Connection&, int) { return Status::Ok(); }).ok());
  }
  void TearDown() override {
    store_.reset();
    db_.reset();
    std::filesystem::remove_all(dir_);
  }
  void Post(const std::string& id, TimeMs at, int64_t event, bool negative = false, const std::string& source = "weibo",
            const std::string& types = ",") {
    auto st = store::sqlite::Expect(*db_, "test").Prepare("INSERT INTO posts(id, source, text, published_at, sentiment, event_id, type_list, likes) "
                           "VALUES(?,?,?,?,?,?,?,?)");
    ASSERT_TRUE(st.ok());
    st->Bind(1, id).Bind(2, source).Bind(3, "text " + id).Bind(4, at).Bind(5, negative ? "negative" : "neutral");
    st->Bind(6, event).Bind(7, types).Bind(8, int64_t{3});
    ASSERT_TRUE(st->Run().ok());
  }
  int64_t Incident(TimeMs detected) { return AddIncident(*store_, detected); }

  std::filesystem::path dir_;
  std::unique_ptr<store::Database> db_;
  std::unique_ptr<store::IncidentStore> store_;
  ManualClock clock_{kT0};
};

TEST_F(ResponseTest, WindowsAroundAStatementAndEpisodeStart) {
  // Routine posts of the event days before, then a burst from T0 + 1h; an alert at T0 + 2h.
  Post("old", kT0 - 2 * kDay, 7);
  for (int i = 0; i < 10; ++i) Post("b" + std::to_string(i), kT0 + kHour + i * 6 * kMinute, 7, i % 2 == 0);
  Post("hot", kT0 + 90 * kMinute, 7, false, "hotline", ",complaint,");
  for (int i = 0; i < 3; ++i) Post("a" + std::to_string(i), kT0 + 3 * kHour + i * kMinute, 7);
  Post("other", kT0 + 90 * kMinute, 8, true);
  int64_t id = Incident(kT0 + 2 * kHour);
  ASSERT_TRUE(store_->AddLink({id, "event", "7", kT0}).ok());
  auto inc = store_->GetIncident(id);
  auto scope = ScopeOf(*store_, *inc);
  ASSERT_TRUE(scope.ok());
  auto det = DetectionFigures(*store_, *inc, *scope);
  ASSERT_TRUE(det.ok()) << det.status().ToString();
  EXPECT_EQ((*det)["event_first_post_at"], FormatTime(kT0 - 2 * kDay));
  EXPECT_EQ((*det)["first_post_at"], FormatTime(kT0 + kHour));  // the episode, not the old mention
  EXPECT_DOUBLE_EQ((*det)["minutes_to_detect"].get<double>(), 60.0);

  store::StatementRow s;
  s.id = 1;
  s.published_at = kT0 + 2 * kHour + 30 * kMinute;
  FigureOptions o;
  o.window = 2 * kHour;
  auto around = AroundStatements(*store_, *scope, {s}, kT0 + 10 * kHour, o);
  ASSERT_TRUE(around.ok()) << around.status().ToString();
  const auto& a = (*around)[0];
  EXPECT_EQ(a["before"]["volume"], 11);  // the burst and the hotline call
  EXPECT_EQ(a["before"]["negative"], 5);
  EXPECT_EQ(a["after"]["volume"], 3);
  EXPECT_EQ(a["change"]["volume"], -8);
  EXPECT_TRUE(a["complete"].get<bool>());
  EXPECT_LT(a["change"]["heat"].get<double>(), 0);
  int64_t sum = 0;
  for (const auto& p : a["curve"]["points"]) sum += p["volume"].get<int64_t>();
  EXPECT_EQ(sum, 14);

  auto fb = PublicFeedback(*store_, *scope, id);
  ASSERT_TRUE(fb.ok());
  EXPECT_EQ((*fb)["hotline"], 1);
  EXPECT_EQ((*fb)["complaints"], 1);
  auto curve = VolumeCurve(*store_, *inc, *scope, kT0 + 4 * kHour);
  ASSERT_TRUE(curve.ok());
  EXPECT_EQ((*curve)["total"], 15);
}

TEST_F(ResponseTest, NoPostsTableGivesZeroFigures) {
  ASSERT_TRUE(store::sqlite::Expect(*db_, "test").Exec("DROP TABLE posts; DELETE FROM schema_versions WHERE component = 'posts'").ok());
  int64_t id = Incident(kT0);
  ASSERT_TRUE(store_->AddLink({id, "event", "7", kT0}).ok());
  auto inc = store_->GetIncident(id);
  auto scope = ScopeOf(*store_, *inc);
  auto det = DetectionFigures(*store_, *inc, *scope);
  ASSERT_TRUE(det.ok()) << det.status().ToString();
  EXPECT_TRUE((*det)["minutes_to_detect"].is_null());
}

TEST_F(ResponseTest, OpenFromAlertLinksWhatTheAlertKnows) {
  Post("e1", kT0, 7);
  auto alerts = store::AlertStore::Open(*db_);
  ASSERT_TRUE(alerts.ok());
  store::AlertRecord a;
  a.severity = 3;
  a.scheme_id = 2;
  a.scheme_name = "水质";
  a.departments = {"新闻中心"};
  a.evidence = nlohmann::json::array({{{"id", "e1"}, {"text", "x"}}});
  a.created_at = a.updated_at = kT0 + kHour;
  auto aid = (*alerts)->Insert(a);
  ASSERT_TRUE(aid.ok());
  OpenRequest req;
  req.level.clear();  // unset: taken from the alert
  req.alert_id = std::to_string(*aid);
  ASSERT_TRUE(FillFromAlert(*db_, req).ok());
  EXPECT_EQ(*req.detected_at, kT0 + kHour);
  EXPECT_EQ(req.level, "II");
  EXPECT_EQ(req.title, "水质");
  std::set<std::string> links;
  for (const auto& l : req.links) links.insert(l.kind + ":" + l.ref);
  EXPECT_EQ(links, (std::set<std::string>{"scheme:2", "department:新闻中心", "post:e1", "event:7"}));
  req.alert_id = "999";
  EXPECT_EQ(FillFromAlert(*db_, req).code(), Code::kNotFound);
  req.alert_id = "x";
  EXPECT_EQ(FillFromAlert(*db_, req).code(), Code::kInvalid);
}

// What does not read posts — the outbox hooks and the sweeper — on SQLite and on PostgreSQL.
class ResponseOnBothTest : public ::testing::TestWithParam<storetest::TestBackend> {
 protected:
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(OpenIncidentStoreOn(GetParam(), where_, db_, store_));
  }
  void TearDown() override {
    store_.reset();
    db_.reset();
    where_.reset();
  }
  int64_t Incident(TimeMs detected) { return AddIncident(*store_, detected); }

  std::unique_ptr<storetest::TestStore> where_;
  std::unique_ptr<store::Database> db_;
  std::unique_ptr<store::IncidentStore> store_;
  ManualClock clock_{kT0};
};

TEST_P(ResponseOnBothTest, HooksEscalateByOrderOnceAndRaiseAlerts) {
  auto outbox = store::OutboxStore::Open(*db_);
  ASSERT_TRUE(outbox.ok());
  ASSERT_TRUE((*outbox)->AddDepartment({"新闻中心", "", {}, kT0}).ok());
  for (int order : {0, 1, 2}) {
    store::Contact c;
    c.department = "新闻中心";
    c.channel = "webhook";
    c.target = "http://127.0.0.1:1/" + std::to_string(order);
    c.escalation_order = order;
    ASSERT_TRUE((*outbox)->AddContact(c).ok());
  }
  int64_t id = Incident(kT0);
  auto hooks = OutboxHooks::Create(*store_, clock_);
  ASSERT_TRUE(hooks.ok());
  auto inc = store_->GetIncident(id);
  // No department yet: nobody to tell is an error the service records.
  EXPECT_EQ((*hooks)->StateChanged(*inc, "detected", "acknowledged", "x").code(), Code::kNotFound);
  ASSERT_TRUE(store_->AddLink({id, "department", "新闻中心", kT0}).ok());
  store::TaskRow t;
  t.id = 5;
  t.title = "首次回应";
  t.due_at = kT0;
  auto count = [&] {
    auto all = (*outbox)->List("", 0, 1000);
    return all.ok() ? all->size() : size_t{0};
  };
  ASSERT_TRUE((*hooks)->TaskOverdue(*inc, t, 1, {}).ok());
  EXPECT_EQ(count(), 1u);  // order 0
  ASSERT_TRUE((*hooks)->TaskOverdue(*inc, t, 2, {{"commander", "王强"}}).ok());
  EXPECT_EQ(count(), 3u);  // orders 0 and 1
  ASSERT_TRUE((*hooks)->TaskOverdue(*inc, t, 2, {}).ok());  // fired again after a crash
  EXPECT_EQ(count(), 3u);
  auto all = (*outbox)->List("", 0, 10);
  bool keyed = false;
  for (const auto& e : *all) keyed = keyed || e.idem_key.find("inc" + std::to_string(id) + "-task_escalated-5-2") != std::string::npos;
  EXPECT_TRUE(keyed);

  store::CommitmentRow c;
  c.id = 9;
  c.incident_id = id;
  c.text = "6月4日12时前公布检测数据";
  c.due_at = kT0 + kHour;
  clock_.Set(kT0 + 2 * kHour);
  ASSERT_TRUE((*hooks)->CommitmentOverdue(*inc, c).ok());
  ASSERT_TRUE((*hooks)->CommitmentOverdue(*inc, c).ok());  // again: still one alert
  auto alerts = store::AlertStore::Open(*db_);
  auto active = (*alerts)->ListActive();
  ASSERT_TRUE(active.ok());
  ASSERT_EQ(active->size(), 1u);
  EXPECT_EQ((*active)[0].rule, "commitment_overdue");
  EXPECT_EQ((*active)[0].event_id, -9);
  EXPECT_EQ((*active)[0].departments, std::vector<std::string>{"新闻中心"});
  auto links = store_->Links(id);
  int alert_links = 0;
  for (const auto& l : *links) alert_links += l.kind == "alert";
  EXPECT_EQ(alert_links, 1);
}

TEST_P(ResponseOnBothTest, SweeperFiresOverdueTasksOnItsOwnConnection) {
  auto plans = DefaultPlans();
  ASSERT_TRUE(plans.ok());
  IncidentService svc(*store_, clock_, *plans);
  OpenRequest req;
  req.title = "t";
  req.level = "II";
  auto opened = svc.Open(req);
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  clock_.Set(kT0 + 2 * kHour);  // the 1-hour tasks are an hour late
  const std::string path = where_->where();
  auto sweeper = Sweeper::Start([path] { return store::Database::Open(path); }, clock_, {}, 20);
  // Wait for the condition (the first pass marks the stages), bounded.
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  int stage = 0;
  while (std::chrono::steady_clock::now() < deadline) {
    auto t = store_->GetTask(opened->tasks.front().id);
    ASSERT_TRUE(t.ok());
    stage = t->overdue_stage;
    if (stage >= 2 && sweeper->passes() > 0) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  sweeper->Stop();
  EXPECT_EQ(stage, 2);  // 1 h late: stage 1 (at once) and 2 (after 30 min), not 3 (after 2 h)
}

INSTANTIATE_TEST_SUITE_P(Backends, ResponseOnBothTest, storetest::kBothBackends, storetest::BackendName);

TEST(LibraryTest, SentenceDiff) {
  auto ops = DiffStatements("一。二。三。", "一。二改。三。四。");
  std::string s;
  for (const auto& o : ops) s += std::string(1, o.op) + o.text + "|";
  EXPECT_EQ(s, "=一。|+二改。|-二。|=三。|+四。|");
  auto j = DiffToJson(ops);
  EXPECT_EQ(j["added"], 2);
  EXPECT_EQ(j["removed"], 1);
}

}  // namespace
}  // namespace yuqing::incident
