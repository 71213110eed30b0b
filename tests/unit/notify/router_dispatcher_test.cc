#include <atomic>
#include <filesystem>
#include <map>
#include <mutex>
#include <set>

#include <gtest/gtest.h>

#include "testing/test_store.h"

#include "notify/dispatcher.h"
#include "notify/router.h"
#include "warning/engine.h"

namespace yuqing::notify {
namespace {

// Every case runs on SQLite and on PostgreSQL (testing/test_store.h).
class NotifyTest : public ::testing::TestWithParam<storetest::TestBackend> {
 protected:
  void SetUp() override {
    YQ_OPEN_TEST_STORE(where_, GetParam());
    db_ = Open();
    auto ob = store::OutboxStore::Open(*db_);
    ASSERT_TRUE(ob.ok());
    outbox_ = std::move(*ob);
    ASSERT_TRUE(outbox_->AddDepartment({"宣传科", "", {}, 0}).ok());
    ASSERT_TRUE(outbox_->AddDepartment({"办公室", "", {"东湖区"}, 0}).ok());
    primary_ = *outbox_->AddContact(Contact("宣传科", "http://127.0.0.1:1/primary", 0));
    second_ = *outbox_->AddContact(Contact("宣传科", "http://127.0.0.1:1/chief", 1));
    office_ = *outbox_->AddContact(Contact("办公室", "http://127.0.0.1:1/office", 0));
    auto schemes = store::SchemeStore::Open(*db_);
    rules::Scheme s;
    s.name = "东湖自来水";
    s.query = "东湖自来水公司";
    s.departments = {"宣传科"};
    s.regions = {"东湖区"};
    scheme_ = *(*schemes)->Add(s, 0);
  }
  void TearDown() override {
    outbox_.reset();
    db_.reset();
    where_.reset();
  }

  std::unique_ptr<store::Database> Open() {
    auto db = where_->Open();
    EXPECT_TRUE(db.ok());
    return std::move(*db);
  }
  static store::Contact Contact(const std::string& d, const std::string& url, int order) {
    store::Contact c;
    c.department = d;
    c.channel = "webhook";
    c.target = url;
    c.escalation_order = order;
    return c;
  }
  warning::ManualAlert Alert(int severity) {
    warning::ManualAlert m;
    m.scheme_id = scheme_;
    m.scheme_name = "东湖自来水";
    m.departments = {"宣传科"};
    m.severity = severity;
    m.rule = "test";
    return m;
  }

  std::unique_ptr<storetest::TestStore> where_;
  std::unique_ptr<store::Database> db_;
  std::unique_ptr<store::OutboxStore> outbox_;
  int64_t scheme_ = 0, primary_ = 0, second_ = 0, office_ = 0;
};

TEST_P(NotifyTest, RoutesToSchemeDepartmentsAndRegionRulesThenEscalates) {
  auto router = Router::Create(*db_);
  ASSERT_TRUE(router.ok());
  std::vector<warning::AlertListener*> ls = {router->get()};
  auto id = warning::RaiseAlert(*db_, Alert(3), 1000, ls);
  ASSERT_TRUE(id.ok()) << id.status().ToString();
  auto entries = outbox_->List("pending", *id, 100);
  ASSERT_TRUE(entries.ok());
  std::set<int64_t> contacts;
  for (auto& e : *entries) contacts.insert(e.contact_id);
  EXPECT_EQ(contacts, (std::set<int64_t>{primary_, office_})) << "primary of the scheme's department + region rule";

  // The engine escalates an unacknowledged level II alert: the next contact in the chain.
  auto engine = warning::Engine::Create(*db_);
  ASSERT_TRUE(engine.ok());
  (*engine)->AddListener(router->get());
  ASSERT_TRUE((*engine)->Tick(1000 + 31 * kMinute).ok());
  auto after = outbox_->List("pending", *id, 100);
  std::map<std::string, std::set<int64_t>> by_notice;
  for (auto& e : *after) by_notice[e.notice].insert(e.contact_id);
  // 宣传科 reaches its order-1 contact; 办公室 has no order 1, so its primary is told again.
  EXPECT_EQ(by_notice["escalated"], (std::set<int64_t>{second_, office_}));
}

TEST_P(NotifyTest, EnqueueingTheSameNoticeTwiceStoresItOnce) {
  auto router = Router::Create(*db_);
  warning::AlertNotice n;
  n.kind = warning::NoticeKind::kRaised;
  n.alert.id = 42;
  n.alert.severity = 2;
  n.alert.scheme_id = scheme_;
  n.alert.departments = {"宣传科"};
  ASSERT_TRUE((*router)->OnAlert(*db_, n).ok());
  ASSERT_TRUE((*router)->OnAlert(*db_, n).ok());
  EXPECT_EQ(outbox_->List("", 42, 100)->size(), 2u);  // primary_ + office_, once each
}

TEST_P(NotifyTest, AlertWithoutContactsIsVisibleAsUnrouted) {
  auto router = Router::Create(*db_);
  auto m = Alert(2);
  m.scheme_id = 999;
  m.departments = {"无人部门"};
  auto id = warning::RaiseAlert(*db_, m, 1000, {router->get()});
  ASSERT_TRUE(id.ok());
  auto e = outbox_->List("unrouted", *id, 10);
  ASSERT_EQ(e->size(), 1u);
}

TEST_P(NotifyTest, DispatcherRetriesWithBackoffUntilDeliveredAndNeverTwice) {
  auto router = Router::Create(*db_);
  ASSERT_TRUE(warning::RaiseAlert(*db_, Alert(2), 1000, {router->get()}).ok());
  ManualClock clock(1'000'000);
  DispatcherOptions o;
  o.workers = 2;
  auto d = Dispatcher::Create([this] { return where_->Open(); }, clock, o);
  ASSERT_TRUE(d.ok());
  std::mutex mu;
  std::map<std::string, int> sent;
  std::atomic<bool> down{true};
  (*d)->set_sender([&](const store::OutboxEntry& e, const SmtpSettings&, TimeMs) {
    if (down) return SendResult{false, 503, "HTTP 503"};
    std::lock_guard<std::mutex> l(mu);
    ++sent[e.idem_key];
    return SendResult{true, 200, ""};
  });
  auto r1 = (*d)->RunOnce();
  ASSERT_TRUE(r1.ok());
  EXPECT_EQ(r1->delivered, 0);
  EXPECT_EQ(r1->failed, 2);
  // Not due again before the back-off.
  auto r2 = (*d)->RunOnce();
  EXPECT_EQ(r2->failed, 0);
  down = false;
  clock.Advance(clock.Now() + 10 * kMinute);
  auto r3 = (*d)->RunOnce();
  EXPECT_EQ(r3->delivered, 2);
  clock.Advance(clock.Now() + kHour);
  EXPECT_EQ((*d)->RunOnce()->delivered, 0);
  for (auto& [k, n] : sent) EXPECT_EQ(n, 1) << k;
  auto log = outbox_->Log(0, 0, 100);
  EXPECT_EQ(log->size(), 4u);  // two failures, two deliveries
}

TEST_P(NotifyTest, ExpiredLeaseIsRetriedAfterACrash) {
  auto router = Router::Create(*db_);
  ASSERT_TRUE(warning::RaiseAlert(*db_, Alert(2), 1000, {router->get()}).ok());
  // A dispatcher claims and "dies" before recording the outcome.
  auto claimed = outbox_->Claim(5000, 30 * kSecond);
  ASSERT_TRUE(claimed.ok() && claimed->has_value());
  int64_t id = (*claimed)->id;
  auto again = outbox_->Claim(6000, 30 * kSecond);
  ASSERT_TRUE(again.ok() && again->has_value());
  EXPECT_NE((*again)->id, id) << "a live lease is not taken twice";
  auto later = outbox_->Claim(5000 + 31 * kSecond, 30 * kSecond);
  ASSERT_TRUE(later.ok() && later->has_value());
  EXPECT_EQ((*later)->id, id);
  EXPECT_EQ((*later)->attempts, 2);
}

// Regression (issue 19): one burst pushed nine WeCom messages in 15 s. A chat robot now gets the
// first push at once and everything after it within the group window as one digest.
TEST_P(NotifyTest, ChatPushesToAContactAreGroupedIntoADigest) {
  auto router = Router::Create(*db_);
  store::Contact wecom = Contact("办公室", "http://127.0.0.1:1/wecom", 0);
  wecom.channel = "wecom";
  const int64_t phone = *outbox_->AddContact(wecom);
  ManualClock clock(1'000'000);
  DispatcherOptions o;
  o.workers = 2;
  auto d = Dispatcher::Create([this] { return where_->Open(); }, clock, o);
  ASSERT_TRUE(d.ok());
  std::mutex mu;
  std::vector<store::OutboxEntry> pushes;
  (*d)->set_sender([&](const store::OutboxEntry& e, const SmtpSettings&, TimeMs) {
    std::lock_guard<std::mutex> l(mu);
    if (e.channel == "wecom") pushes.push_back(e);
    return SendResult{true, 200, ""};
  });
  auto enqueue = [&](int i) {
    ASSERT_TRUE((*router)->EnqueueMessage("办公室", "task_due", "标题" + std::to_string(i), "正文", "k" + std::to_string(i),
                                          clock.Now()).ok());
  };
  enqueue(1);
  ASSERT_TRUE((*d)->RunOnce().ok());
  ASSERT_EQ(pushes.size(), 1u);  // the first goes at once
  for (int i = 2; i <= 6; ++i) {
    clock.Advance(clock.Now() + 3 * kSecond);
    enqueue(i);
    ASSERT_TRUE((*d)->RunOnce().ok());
  }
  EXPECT_EQ(pushes.size(), 1u) << "held within the group window";
  auto pending = outbox_->List("pending", 0, 100);
  int held = 0;
  for (const auto& e : *pending) held += e.contact_id == phone;
  EXPECT_EQ(held, 5);
  clock.Advance(1'000'000 + o.group_window);
  ASSERT_TRUE((*d)->RunOnce().ok());
  ASSERT_EQ(pushes.size(), 2u);
  EXPECT_EQ(pushes[1].notice, "digest");
  EXPECT_NE(pushes[1].payload.find("汇总（5 条）"), std::string::npos) << pushes[1].payload;
  EXPECT_LT(pushes[1].payload.find("标题6"), pushes[1].payload.find("标题2")) << "newest first";
  auto delivered = outbox_->List("delivered", 0, 100);
  int done = 0;
  for (const auto& e : *delivered) done += e.contact_id == phone;
  EXPECT_EQ(done, 6) << "every grouped entry is recorded as delivered";
}

TEST_P(NotifyTest, WebhooksAreNeverGrouped) {
  auto router = Router::Create(*db_);
  ManualClock clock(1'000'000);
  auto d = Dispatcher::Create([this] { return where_->Open(); }, clock, {});
  ASSERT_TRUE(d.ok());
  std::atomic<int> sent{0};
  (*d)->set_sender([&](const store::OutboxEntry& e, const SmtpSettings&, TimeMs) {
    EXPECT_NE(e.notice, "digest");
    ++sent;
    return SendResult{true, 200, ""};
  });
  for (int i = 0; i < 3; ++i)
    ASSERT_TRUE((*router)->EnqueueMessage("办公室", "task_due", "t", "x", "w" + std::to_string(i), clock.Now()).ok());
  ASSERT_TRUE((*d)->RunOnce().ok());
  EXPECT_EQ(sent.load(), 3);
}

INSTANTIATE_TEST_SUITE_P(Backends, NotifyTest, storetest::kBothBackends, storetest::BackendName);

TEST(BackoffTest, GrowsAndIsCappedWithJitter) {
  DispatcherOptions o;
  EXPECT_EQ(Dispatcher::Backoff(o, 1, 0.0), 1 * kSecond);
  EXPECT_EQ(Dispatcher::Backoff(o, 1, 1.0), 2 * kSecond);
  EXPECT_EQ(Dispatcher::Backoff(o, 3, 1.0), 8 * kSecond);
  EXPECT_EQ(Dispatcher::Backoff(o, 40, 1.0), o.backoff_max);
}

}  // namespace
}  // namespace yuqing::notify

namespace yuqing::notify {

// What lands on a phone: Chinese only, Beijing time, a link to the alert when a dashboard serves.
TEST(NoticeTextTest, ChineseLocalTimesAndADashboardLink) {
  warning::AlertNotice n;
  n.kind = warning::NoticeKind::kRaised;
  n.at = 1'780'000'000'000;  // 2026-05-28T20:26:40Z = 5月29日 04:26 Beijing time
  n.alert.id = 34;
  n.alert.severity = 2;
  n.alert.status = "open";
  n.alert.scheme_name = "东湖水质";
  n.alert.message = "II级(橙色)预警: 10分钟内 40 条";
  n.alert.rule = "II: 10 分钟内 40 条 ≥ 30";
  n.alert.deadline = n.at + 3600 * 1000;
  n.alert.evidence = nlohmann::json::array({{{"source", "weibo"}, {"author", "网友甲"}, {"text", "东湖停水了"}},
                                            {{"source", "xiaohongshu"}, {"author", "网友乙"}, {"text", "水是黄的"}}});
  std::string text = NoticeText(n, "http://10.0.0.5:8080/");
  EXPECT_NE(text.find("5月29日 04:26（北京时间）"), std::string::npos) << text;
  EXPECT_NE(text.find("请于 5月29日 05:26 前确认：http://10.0.0.5:8080/#/alerts/34"), std::string::npos) << text;
  EXPECT_NE(text.find("[微博] 网友甲：东湖停水了"), std::string::npos) << text;
  EXPECT_NE(text.find("[小红书] 网友乙：水是黄的"), std::string::npos) << text;
  for (const char* english : {"rule", "evidence", "T20:", "+08:00"}) EXPECT_EQ(text.find(english), std::string::npos) << english;
  // Without a dashboard (a CLI replay), the way to acknowledge is named instead.
  EXPECT_NE(NoticeText(n).find("yuqing alerts ack 34"), std::string::npos);
}

}  // namespace yuqing::notify
