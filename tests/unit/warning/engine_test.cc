#include "warning/engine.h"

#include <set>
#include <filesystem>
#include <random>

#include <gtest/gtest.h>

#include "testing/test_store.h"

namespace yuqing::warning {
namespace {

class Recorder : public AlertListener {
 public:
  Status OnAlert(store::Database&, const AlertNotice& n) override {
    notices.push_back(n);
    return Status::Ok();
  }
  std::vector<AlertNotice> notices;
  int Count(NoticeKind k) const {
    int c = 0;
    for (auto& n : notices) c += n.kind == k;
    return c;
  }
};

// Every case runs on SQLite and on PostgreSQL (testing/test_store.h): the engine's alerts, series
// and baselines go through the store's interfaces.
class EngineTest : public ::testing::TestWithParam<storetest::TestBackend> {
 protected:
  void SetUp() override {
    YQ_OPEN_TEST_STORE(where_, GetParam());
    auto db = where_->Open();
    ASSERT_TRUE(db.ok()) << db.status().ToString();
    db_ = std::move(*db);
    auto schemes = store::SchemeStore::Open(*db_);
    ASSERT_TRUE(schemes.ok());
    rules::Scheme s;
    s.name = "东湖自来水";
    s.query = "东湖自来水公司";
    s.departments = {"宣传科"};
    auto id = (*schemes)->Add(s, t0_);
    ASSERT_TRUE(id.ok()) << id.status().ToString();
    scheme_ = *id;
  }
  void TearDown() override {
    db_.reset();
    where_.reset();
  }

  ProcessedPost Post(const std::string& id, TimeMs t, int64_t event = 0, const char* sentiment = "neutral") {
    ProcessedPost pp;
    pp.post.id = id;
    pp.post.source = "weibo";
    pp.post.text = "东湖自来水公司 " + id;
    pp.post.published_at = pp.post.ingested_at = t;
    pp.analysis.sentiment_label = sentiment;
    pp.analysis.event_id = event;
    pp.schemes.push_back({scheme_, {"东湖自来水公司"}});
    return pp;
  }

  // The acceptance stream: one post an hour for 36 h, then 2, 4, 8 ... 128 posts per 10 minutes.
  std::vector<ProcessedPost> Stream(TimeMs* burst_start) {
    std::mt19937 rng(11);
    std::vector<ProcessedPost> v;
    int k = 0;
    for (int h = 0; h < 36; ++h) v.push_back(Post("q" + std::to_string(++k), t0_ + h * kHour + (rng() % 60) * kMinute));
    TimeMs start = t0_ + 36 * kHour;
    *burst_start = start;
    for (int w = 0; w < 7; ++w)
      for (int j = 0; j < 2 * (1 << w); ++j)
        v.push_back(Post("b" + std::to_string(++k), start + w * 10 * kMinute + (rng() % 600) * kSecond));
    std::sort(v.begin(), v.end(), [](auto& a, auto& b) { return a.post.published_at < b.post.published_at; });
    return v;
  }

  std::unique_ptr<storetest::TestStore> where_;
  std::unique_ptr<store::Database> db_;
  int64_t scheme_ = 0;
  const TimeMs t0_ = *ParseTime("2026-06-01T00:00:00+08:00");
};

TEST_P(EngineTest, QuietBaselineThenBurstRaisesOneAlertSoonAfterTheStart) {
  auto engine = Engine::Create(*db_);
  ASSERT_TRUE(engine.ok()) << engine.status().ToString();
  Recorder rec;
  (*engine)->AddListener(&rec);
  TimeMs start = 0;
  auto posts = Stream(&start);
  // Feed in batches of 50 like the replay does, ticking after each.
  for (size_t i = 0; i < posts.size(); i += 50) {
    std::vector<ProcessedPost> batch(posts.begin() + i, posts.begin() + std::min(posts.size(), i + 50));
    ASSERT_TRUE((*engine)->Observe(batch).ok());
    ASSERT_TRUE((*engine)->Tick(batch.back().post.published_at).ok());
  }
  auto alerts = store::AlertStore::Open(*db_);
  auto list = (*alerts)->List({});
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 1u) << "one alert per (scheme, event), upgraded not duplicated";
  const auto& a = (*list)[0];
  EXPECT_GE(a.created_at, start);
  EXPECT_LE(a.created_at - start, 30 * kMinute);
  EXPECT_GE(a.severity, 2);
  EXPECT_EQ(a.scheme_name, "东湖自来水");
  EXPECT_EQ(a.departments, std::vector<std::string>{"宣传科"});
  EXPECT_FALSE(a.evidence.empty());
  EXPECT_NE(a.rule.find("分钟"), std::string::npos) << a.rule;
  EXPECT_EQ(rec.Count(NoticeKind::kRaised), 1);
  // The series was persisted minute by minute.
  auto series = store::SeriesStore::Open(*db_);
  auto pts = (*series)->Range(scheme_, 0, 0, 0);
  ASSERT_TRUE(pts.ok());
  int64_t total = 0;
  for (auto& p : *pts) total += p.volume;
  EXPECT_EQ(total, static_cast<int64_t>(posts.size()));
}

// Regression (issue 19): a burst raised one alert for the scheme and one per event (six open
// alerts, nine pushes). Now there is one alert per scheme and event: the scheme-wide verdict joins
// the event's alert instead of standing beside it. Issue 16: a broad scheme must still warn on
// each event that grows, so two events bursting under one scheme get an alert each (the pushes are
// grouped per contact by the dispatcher's digest window).
TEST_P(EngineTest, ABurstOverTwoEventsRaisesOneAlertPerEventAndNoneBesideThem) {
  auto engine = Engine::Create(*db_);
  ASSERT_TRUE(engine.ok());
  Recorder rec;
  (*engine)->AddListener(&rec);
  TimeMs start = 0;
  auto posts = Stream(&start);
  int n = 0;
  for (auto& p : posts)
    if (p.post.published_at >= start) p.analysis.event_id = (n++ % 2 == 0) ? 8 : 7;
  for (size_t i = 0; i < posts.size(); i += 50) {
    std::vector<ProcessedPost> batch(posts.begin() + i, posts.begin() + std::min(posts.size(), i + 50));
    ASSERT_TRUE((*engine)->Observe(batch).ok());
    ASSERT_TRUE((*engine)->Tick(batch.back().post.published_at).ok());
  }
  auto alerts = store::AlertStore::Open(*db_);
  auto list = (*alerts)->List({});
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 2u);
  std::set<int64_t> events;
  for (const auto& a : *list) events.insert(a.event_id);
  EXPECT_EQ(events, (std::set<int64_t>{7, 8}));
  EXPECT_EQ(rec.Count(NoticeKind::kRaised), 2);
}

// A scheme-wide verdict with no event's alert to join raises the scheme's own alert; the first
// event that fires later adopts it (same id, now tied to the event) rather than adding one.
TEST_P(EngineTest, TheFirstEventToFireAdoptsTheSchemeWideAlert) {
  auto engine = Engine::Create(*db_);
  ASSERT_TRUE(engine.ok());
  auto first = Post("s1", t0_, 0, "negative");
  first.analysis.types.push_back({"rumor", {"谣言"}, 1});
  ASSERT_TRUE((*engine)->Observe({first}).ok());
  auto alerts = store::AlertStore::Open(*db_);
  auto wide = (*alerts)->FindActive(scheme_, 0);
  ASSERT_TRUE(wide.ok() && wide->has_value());
  TimeMs start = 0;
  auto posts = Stream(&start);
  for (auto& p : posts)
    if (p.post.published_at >= start) p.analysis.event_id = 7;
  for (size_t i = 0; i < posts.size(); i += 50) {
    std::vector<ProcessedPost> batch(posts.begin() + i, posts.begin() + std::min(posts.size(), i + 50));
    ASSERT_TRUE((*engine)->Observe(batch).ok());
  }
  auto list = (*alerts)->List({});
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 1u);
  EXPECT_EQ((*list)[0].id, (*wide)->id);
  EXPECT_EQ((*list)[0].event_id, 7);
}

// Issue 22: event keys are bounded. A stream starts events faster than the live window lets them
// go; past max_event_keys the least recently posted without an alert leave memory, and a later
// post brings an evicted key's minutes back from the store.
TEST_P(EngineTest, EventKeysStayWithinTheirCapAndComeBackFromTheStore) {
  EngineOptions o;
  o.max_event_keys = 20;
  auto engine = Engine::Create(*db_, o);
  ASSERT_TRUE(engine.ok());
  for (int e = 1; e <= 100; ++e) {
    std::vector<ProcessedPost> batch;
    for (int i = 0; i < 3; ++i)
      batch.push_back(Post("e" + std::to_string(e) + "-" + std::to_string(i), t0_ + e * 20000 + i, 1000 + e));
    ASSERT_TRUE((*engine)->Observe(batch).ok());
    ASSERT_TRUE((*engine)->Tick(batch.back().post.published_at).ok());
    // Event keys: (none, e) and (scheme, e) per event; plus the scheme's own key.
    ASSERT_LE((*engine)->live_keys(), 20u + 1u) << "after event " << e;
  }
  // The first event's key left long ago; its minutes are still in the store and come back.
  auto series = store::SeriesStore::Open(*db_);
  auto before = (*series)->Range(scheme_, 1001, 0, 0);
  ASSERT_TRUE(before.ok());
  ASSERT_FALSE(before->empty());
  ASSERT_TRUE((*engine)->Observe({Post("e1-again", t0_ + 100 * 20000 + 10, 1001)}).ok());
  ASSERT_TRUE((*engine)->Tick(t0_ + 100 * 20000 + 10).ok());
  auto after = (*series)->Range(scheme_, 1001, 0, 0);
  ASSERT_TRUE(after.ok());
  int64_t total = 0;
  for (const auto& p : *after) total += p.volume;
  EXPECT_EQ(total, 4) << "three posts before eviction, one after";
}

// The event keys are bounded in bytes too (issue 22: 50,000 keys each holding hours of minutes
// and their evidence posts grew towards 1.5 GB), and an event key keeps only a few evidence
// candidates.
TEST_P(EngineTest, EventKeysStayWithinTheirByteBudget) {
  EngineOptions o;
  o.max_event_key_bytes = 64 * 1024;
  auto engine = Engine::Create(*db_, o);
  ASSERT_TRUE(engine.ok());
  size_t most = 0;
  for (int e = 1; e <= 60; ++e) {
    std::vector<ProcessedPost> batch;
    for (int i = 0; i < 30; ++i) {
      auto p = Post("b" + std::to_string(e) + "-" + std::to_string(i), t0_ + e * 60000 + i * 1000, 5000 + e);
      p.post.text = std::string(600, 'x') + p.post.text;  // long posts: evidence is most of a key
      batch.push_back(std::move(p));
    }
    ASSERT_TRUE((*engine)->Observe(batch).ok());
    ASSERT_TRUE((*engine)->Tick(batch.back().post.published_at).ok());
    most = std::max(most, (*engine)->event_key_bytes());
    ASSERT_LE((*engine)->event_key_bytes(), o.max_event_key_bytes) << "after event " << e;
  }
  EXPECT_GT(most, o.max_event_key_bytes / 2) << "the budget was reached, so the test evicted";
  EXPECT_LT((*engine)->live_keys(), 2u * 60u) << "older event keys left";
}

// The soak of issue 22: ten broad schemes over the COVID stream raise thousands of alerts an hour
// that wait out their quiet period unresolved; their keys must not be exempt from the cap.
TEST_P(EngineTest, AlertedEventKeysStayWithinTheCapAndFireIntoTheSameAlert) {
  EngineOptions o;
  o.max_event_keys = 20;
  auto engine = Engine::Create(*db_, o);
  ASSERT_TRUE(engine.ok());
  auto rumor = [&](const std::string& id, TimeMs t, int64_t event) {
    auto pp = Post(id, t, event, "negative");
    pp.analysis.types.push_back({"rumor", {"谣言"}, 1});
    return pp;
  };
  for (int e = 1; e <= 100; ++e) {
    std::vector<ProcessedPost> batch;
    for (int i = 0; i < 3; ++i) batch.push_back(rumor("e" + std::to_string(e) + "-" + std::to_string(i), t0_ + e * 20000 + i, 1000 + e));
    ASSERT_TRUE((*engine)->Observe(batch).ok());
    ASSERT_TRUE((*engine)->Tick(batch.back().post.published_at).ok());
    ASSERT_LE((*engine)->live_keys(), 20u + 1u) << "after event " << e;
  }
  auto alerts = store::AlertStore::Open(*db_);
  auto active = (*alerts)->ListActive();
  ASSERT_TRUE(active.ok());
  ASSERT_GT(active->size(), 40u) << "the events were alerted (else this tests nothing)";
  // An alerted event whose key left memory long ago fires into its own alert, not a new one.
  int64_t first_event = 0;
  for (const auto& a : *active)
    if (a.event_id != 0 && (first_event == 0 || a.event_id < first_event)) first_event = a.event_id;
  ASSERT_GT(first_event, 0);
  store::AlertFilter all;
  all.limit = 100000;
  const size_t before = (*alerts)->List(all).value().size();
  const TimeMs later = t0_ + 101 * 20000;
  ASSERT_TRUE((*engine)->Observe({rumor("again", later, first_event)}).ok());
  ASSERT_TRUE((*engine)->Tick(later).ok());
  EXPECT_EQ((*alerts)->List(all).value().size(), before);
  auto same = (*alerts)->FindActive(scheme_, first_event);
  ASSERT_TRUE(same.ok() && same->has_value());
  EXPECT_EQ((*same)->last_fired_at, later);
}

// What Tick has to do next is known, so a replay can tick at that stream time (issue 16).
TEST_P(EngineTest, NextDueIsTheEarliestDeadlineReminderOrQuietEnd) {
  auto engine = Engine::Create(*db_);
  ASSERT_TRUE(engine.ok());
  EXPECT_EQ((*engine)->NextDue(), 0);
  auto first = Post("n1", t0_, 0, "negative");
  first.analysis.types.push_back({"rumor", {"谣言"}, 1});
  ASSERT_TRUE((*engine)->Observe({first}).ok());
  auto alerts = store::AlertStore::Open(*db_);
  auto a = (*alerts)->FindActive(scheme_, 0);
  ASSERT_TRUE(a.ok() && a->has_value());
  const TimeMs due = (*engine)->NextDue();
  EXPECT_GT(due, t0_);
  EXPECT_EQ(due, std::min({(*a)->deadline, (*a)->next_reminder_at, (*a)->last_fired_at + 2 * kHour}));
  ASSERT_TRUE(ResolveAlert(*db_, (*a)->id, "zhang", t0_ + kMinute, "done").ok());
  ASSERT_TRUE((*engine)->Tick(t0_ + 2 * kMinute).ok());
  EXPECT_EQ((*engine)->NextDue(), 0) << "nothing left to do";
}

TEST_P(EngineTest, NoAlertInTheQuietPartEvenInOneBatch) {
  auto engine = Engine::Create(*db_);
  ASSERT_TRUE(engine.ok());
  TimeMs start = 0;
  auto posts = Stream(&start);
  ASSERT_TRUE((*engine)->Observe(posts).ok());  // replay with a large batch: all at once
  auto alerts = store::AlertStore::Open(*db_);
  auto list = (*alerts)->List({});
  ASSERT_TRUE(list.ok());
  ASSERT_FALSE(list->empty());
  for (auto& a : *list) EXPECT_GE(a.created_at, start) << a.rule;
  EXPECT_LE((*list).back().created_at - start, 30 * kMinute);
}

// Issue 16: one post by an authoritative account is a IV notice by default, not II at once.
TEST_P(EngineTest, AnAuthoritativePostAloneIsANoticeByDefault) {
  auto engine = Engine::Create(*db_);
  ASSERT_TRUE(engine.ok());
  auto official = Post("o1", t0_, 0, "neutral");
  official.post.source = "xinhua";
  ASSERT_TRUE((*engine)->Observe({official}).ok());
  auto alerts = store::AlertStore::Open(*db_);
  auto a = (*alerts)->FindActive(scheme_, 0);
  ASSERT_TRUE(a.ok() && a->has_value());
  EXPECT_EQ((*a)->severity, 1) << (*a)->rule;
}

TEST_P(EngineTest, UpgradeAckEscalateAndQuietResolve) {
  // By default an authoritative post is only a IV notice; this scheme asks for II (its policy
  // keeps the rule the default had before issue 16), which drives the upgrade below.
  {
    auto schemes = store::SchemeStore::Open(*db_);
    auto s = (*schemes)->Get(scheme_);
    ASSERT_TRUE(s.ok() && s->has_value());
    rules::Scheme with_policy = **s;
    with_policy.policy = "levels: {II: [{heat: 60}, authority]}";
    ASSERT_TRUE((*schemes)->Update(with_policy, t0_).ok());
  }
  auto engine = Engine::Create(*db_);
  ASSERT_TRUE(engine.ok());
  Recorder rec;
  (*engine)->AddListener(&rec);
  // A sensitive negative post raises IV.
  auto first = Post("n1", t0_, 0, "negative");
  first.analysis.types.push_back({"rumor", {"谣言"}, 1});
  ASSERT_TRUE((*engine)->Observe({first}).ok());
  auto alerts = store::AlertStore::Open(*db_);
  auto a = (*alerts)->FindActive(scheme_, 0);
  ASSERT_TRUE(a.ok() && a->has_value());
  EXPECT_EQ((*a)->severity, 1);
  // An authoritative source picks it up: II (upgrade, same alert).
  auto official = Post("o1", t0_ + kMinute, 0, "negative");
  official.post.source = "xinhua";
  ASSERT_TRUE((*engine)->Observe({official}).ok());
  auto b = (*alerts)->FindActive(scheme_, 0);
  ASSERT_TRUE(b.ok() && b->has_value());
  EXPECT_EQ((*b)->id, (*a)->id);
  EXPECT_EQ((*b)->severity, 3);
  EXPECT_EQ(rec.Count(NoticeKind::kUpgraded), 1);
  // Nobody acknowledges within 30 min: escalated.
  ASSERT_TRUE((*engine)->Tick(t0_ + 32 * kMinute).ok());
  EXPECT_EQ(rec.Count(NoticeKind::kEscalated), 1);
  auto c = (*alerts)->Get((*a)->id);
  EXPECT_EQ((*c)->escalation_step, 1);
  // Acknowledged elsewhere: no more escalations.
  ASSERT_TRUE(AckAlert(*db_, (*a)->id, "zhang", t0_ + 33 * kMinute, "on it").ok());
  ASSERT_TRUE((*engine)->Tick(t0_ + 70 * kMinute).ok());
  EXPECT_EQ(rec.Count(NoticeKind::kEscalated), 1);
  auto d = (*alerts)->Get((*a)->id);
  EXPECT_EQ((*d)->status, "acked");
  EXPECT_EQ((*d)->acked_by, "zhang");
  // Quiet for two hours: resolved by itself.
  ASSERT_TRUE((*engine)->Tick(t0_ + 3 * kHour).ok());
  auto e = (*alerts)->Get((*a)->id);
  EXPECT_EQ((*e)->status, "resolved");
  EXPECT_EQ((*e)->resolved_by, "system");
  auto hist = (*alerts)->History((*a)->id);
  ASSERT_TRUE(hist.ok());
  std::vector<std::string> kinds;
  for (auto& h : *hist) kinds.push_back(h.kind);
  EXPECT_EQ(kinds, (std::vector<std::string>{"raised", "upgraded", "escalated", "acked", "resolved"}));
}

TEST_P(EngineTest, RemindersBackOffWhileFiring) {
  auto engine = Engine::Create(*db_);
  ASSERT_TRUE(engine.ok());
  Recorder rec;
  (*engine)->AddListener(&rec);
  auto p = Post("n1", t0_, 0, "negative");
  p.analysis.types.push_back({"attack", {}, 1});
  // Keep firing IV every minute for 2 hours; IV's deadline is 8 h, so only reminders.
  for (int m = 0; m < 120; ++m) {
    p.post.id = "n" + std::to_string(m);
    p.post.published_at = p.post.ingested_at = t0_ + m * kMinute;
    ASSERT_TRUE((*engine)->Observe({p}).ok());
    ASSERT_TRUE((*engine)->Tick(t0_ + m * kMinute).ok());
  }
  // 15, 30, 60 minute intervals: reminders at 15, 45, 105.
  EXPECT_EQ(rec.Count(NoticeKind::kReminder), 3);
  EXPECT_EQ(rec.Count(NoticeKind::kRaised), 1);
}

// Between its once-a-minute reads of every unresolved alert, Tick reads only the alerts that have
// work (issue 22: reading all of them each second was 10k rows a second on a busy stream). What
// another process does in between still counts: its acknowledgement stops the escalation that
// was due, and an alert it raised is resolved here once quiet.
TEST_P(EngineTest, TicksBetweenResyncsSeeAcksAndAlertsFromElsewhere) {
  auto engine = Engine::Create(*db_);
  ASSERT_TRUE(engine.ok());
  Recorder rec;
  (*engine)->AddListener(&rec);
  ASSERT_TRUE((*engine)->Tick(t0_).ok());  // the first tick reads every alert (none)
  // Another process (its own engine) raises a III alert after this engine's read.
  auto other = Engine::Create(*db_);
  ASSERT_TRUE(other.ok());
  auto p = Post("n1", t0_ + kSecond, 0, "negative");
  p.analysis.types.push_back({"rumor", {"谣言"}, 1});
  ASSERT_TRUE((*other)->Observe({p}).ok());
  auto alerts = store::AlertStore::Open(*db_);
  auto a = (*alerts)->FindActive(scheme_, 0);
  ASSERT_TRUE(a.ok() && a->has_value());
  const TimeMs deadline = (*a)->deadline;
  // Ticks every 10 s: within the minute this engine has not read it; after, it has it cached.
  TimeMs t = t0_ + 10 * kSecond;
  for (; t < t0_ + 2 * kMinute; t += 10 * kSecond) ASSERT_TRUE((*engine)->Tick(t).ok());
  EXPECT_EQ((*engine)->unresolved_alerts(), 1u);
  EXPECT_LE((*engine)->NextDue(), deadline);
  // Acknowledged elsewhere 20 s before the deadline; this engine ticks every 10 s past it.
  ASSERT_TRUE(AckAlert(*db_, (*a)->id, "zhang", deadline - 20 * kSecond, "on it").ok());
  for (t = deadline - 10 * kSecond; t < deadline + 50 * kSecond; t += 10 * kSecond)
    ASSERT_TRUE((*engine)->Tick(t).ok());
  EXPECT_EQ(rec.Count(NoticeKind::kEscalated), 0);
  EXPECT_EQ(rec.Count(NoticeKind::kReminder), 0) << "acked: no reminders either";
  // Quiet for its period: this engine resolves the alert the other raised.
  ASSERT_TRUE((*engine)->Tick(t0_ + 3 * kHour).ok());
  auto e = (*alerts)->Get((*a)->id);
  ASSERT_TRUE(e.ok() && e->has_value());
  EXPECT_EQ((*e)->status, "resolved");
  EXPECT_EQ(rec.Count(NoticeKind::kResolved), 1);
  EXPECT_EQ((*engine)->unresolved_alerts(), 0u);
  EXPECT_EQ((*engine)->NextDue(), 0);
}

TEST_P(EngineTest, RestartKeepsTheOpenAlertAndTheBaseline) {
  TimeMs start = 0;
  auto posts = Stream(&start);
  {
    auto engine = Engine::Create(*db_);
    ASSERT_TRUE(engine.ok());
    std::vector<ProcessedPost> quiet, burst;
    for (auto& p : posts) (p.post.published_at < start ? quiet : burst).push_back(p);
    ASSERT_TRUE((*engine)->Observe(quiet).ok());
    ASSERT_TRUE((*engine)->Tick(start).ok());
  }
  auto engine = Engine::Create(*db_);
  ASSERT_TRUE(engine.ok());
  std::vector<ProcessedPost> burst;
  for (auto& p : posts)
    if (p.post.published_at >= start) burst.push_back(p);
  ASSERT_TRUE((*engine)->Observe(burst).ok());
  auto alerts = store::AlertStore::Open(*db_);
  auto list = (*alerts)->List({});
  ASSERT_EQ(list->size(), 1u);
  EXPECT_NE((*list)[0].rule.find("突增"), std::string::npos) << (*list)[0].rule;
}

INSTANTIATE_TEST_SUITE_P(Backends, EngineTest, storetest::kBothBackends, storetest::BackendName);

}  // namespace
}  // namespace yuqing::warning
