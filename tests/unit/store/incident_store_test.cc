// The incident store's contract, on SQLite and on PostgreSQL: every method group, absent rows,
// idempotent links and roles, the overdue scan, the order of every list, and text with quotes
// and Chinese kept as given.
#include "store/incident_store.h"

#include <gtest/gtest.h>

#include "testing/test_store.h"

namespace yuqing::store {
namespace {

constexpr TimeMs kT0 = 1780000000000;  // 2026-05-28
const std::string kQuoted = "市民称\"水有异味\"，'官方'回应：O'Brien; DROP TABLE incidents; --";

class IncidentStoreTest : public ::testing::TestWithParam<storetest::TestBackend> {
 protected:
  void SetUp() override {
    YQ_OPEN_TEST_STORE(where_, GetParam());
    db_ = std::move(where_->Open()).value();
    store_ = std::make_unique<IncidentStore>(*db_);
    auto init = store_->Init();
    ASSERT_TRUE(init.ok()) << init.ToString();
  }
  void TearDown() override {
    store_.reset();
    db_.reset();
    where_.reset();
  }
  bool postgres() const { return GetParam() == storetest::TestBackend::kPostgres; }

  static IncidentRow Incident(const std::string& title, TimeMs detected, const std::string& state = "detected") {
    IncidentRow r;
    r.title = title;
    r.level = "II";
    r.state = state;
    r.detected_at = r.opened_at = r.updated_at = detected;
    r.opened_by = "王强";
    return r;
  }
  int64_t AddIncident(const std::string& title, TimeMs detected, const std::string& state = "detected") {
    auto id = store_->InsertIncident(Incident(title, detected, state));
    EXPECT_TRUE(id.ok()) << id.status().ToString();
    return id.ok() ? *id : 0;
  }
  static TaskRow Task(int64_t incident, const std::string& key, TimeMs due) {
    TaskRow t;
    t.incident_id = incident;
    t.plan_id = "general";
    t.task_key = key;
    t.title = "首次回应 " + key;
    t.title_en = "Holding statement " + key;
    t.role = "spokesperson";
    t.due_at = due;
    t.created_at = kT0;
    return t;
  }
  static CommitmentRow Commitment(int64_t incident, const std::string& text, std::optional<TimeMs> due) {
    CommitmentRow c;
    c.incident_id = incident;
    c.statement_id = 1;
    c.text = text;
    c.due_at = due;
    c.created_at = kT0;
    return c;
  }

  std::unique_ptr<storetest::TestStore> where_;
  std::unique_ptr<Database> db_;
  std::unique_ptr<IncidentStore> store_;
};

TEST_P(IncidentStoreTest, InitTwiceOnTheSameStoreKeepsTheRows) {
  int64_t id = AddIncident("停水", kT0);
  IncidentStore again(*db_);
  ASSERT_TRUE(again.Init().ok());
  EXPECT_EQ(again.GetIncident(id)->title, "停水");
  EXPECT_TRUE(*db_->HasComponent("incidents"));
}

TEST_P(IncidentStoreTest, MethodsBeforeInitAreRefused) {
  IncidentStore fresh(*db_);
  EXPECT_EQ(fresh.GetIncident(1).status().code(), Code::kInternal);
  EXPECT_EQ(fresh.AddLink({1, "alert", "a", kT0}).code(), Code::kInternal);
  EXPECT_EQ(&fresh.db(), db_.get());
}

TEST_P(IncidentStoreTest, IncidentsRoundTripUpdateAndMissingRows) {
  IncidentRow r = Incident(kQuoted, kT0);
  r.type = "public_health";
  r.alert_id = "42";
  r.plan_id = "水污染预案";
  r.no_response_reason = "暂不回应：\"事实未清\"";
  auto id = store_->InsertIncident(r);
  ASSERT_TRUE(id.ok()) << id.status().ToString();
  auto got = store_->GetIncident(*id);
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_EQ(got->id, *id);
  EXPECT_EQ(got->title, kQuoted);
  EXPECT_EQ(got->type, "public_health");
  EXPECT_EQ(got->level, "II");
  EXPECT_EQ(got->alert_id, "42");
  EXPECT_EQ(got->plan_id, "水污染预案");
  EXPECT_EQ(got->opened_by, "王强");
  EXPECT_EQ(got->no_response_reason, r.no_response_reason);
  EXPECT_EQ(got->detected_at, kT0);

  got->state = "acknowledged";
  got->acknowledged_at = kT0 + 60000;
  got->updated_at = kT0 + 60000;
  ASSERT_TRUE(store_->UpdateIncident(*got).ok());
  auto after = store_->GetIncident(*id);
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(after->state, "acknowledged");
  EXPECT_EQ(after->acknowledged_at, kT0 + 60000);

  EXPECT_EQ(store_->GetIncident(*id + 100).status().code(), Code::kNotFound);
  IncidentRow absent = *after;
  absent.id = *id + 100;
  EXPECT_EQ(store_->UpdateIncident(absent).code(), Code::kNotFound);
}

TEST_P(IncidentStoreTest, IncidentListsNewestFirstByStateWithALimit) {
  EXPECT_EQ(*store_->CountIncidents(), 0);
  EXPECT_TRUE(store_->ListIncidents()->empty());
  int64_t a = AddIncident("a", kT0);
  int64_t b = AddIncident("b", kT0 + 2000, "closed");
  int64_t c = AddIncident("c", kT0 + 1000);
  int64_t d = AddIncident("d", kT0 + 1000);  // same time as c: the later id first
  EXPECT_EQ(*store_->CountIncidents(), 4);
  auto all = store_->ListIncidents();
  ASSERT_TRUE(all.ok()) << all.status().ToString();
  std::vector<int64_t> ids;
  for (const auto& r : *all) ids.push_back(r.id);
  EXPECT_EQ(ids, (std::vector<int64_t>{b, d, c, a}));
  auto open = store_->ListIncidents({"detected", 2});
  ASSERT_TRUE(open.ok());
  ASSERT_EQ(open->size(), 2u);
  EXPECT_EQ((*open)[0].id, d);
  EXPECT_EQ((*open)[1].id, c);
  auto closed = store_->ListIncidents({"closed"});
  ASSERT_EQ(closed->size(), 1u);
  EXPECT_EQ((*closed)[0].id, b);
  EXPECT_TRUE(store_->ListIncidents({"reviewed"})->empty());
}

TEST_P(IncidentStoreTest, LinksAreIdempotentOrderedAndNeedTheIncident) {
  int64_t id = AddIncident("停水", kT0);
  ASSERT_TRUE(store_->AddLink({id, "post", "weibo:2", kT0 + 5}).ok());
  ASSERT_TRUE(store_->AddLink({id, "alert", "7", kT0}).ok());
  ASSERT_TRUE(store_->AddLink({id, "event", "3", kT0}).ok());
  // The same link again keeps the first one (and its time).
  ASSERT_TRUE(store_->AddLink({id, "alert", "7", kT0 + 99}).ok());
  auto links = store_->Links(id);
  ASSERT_TRUE(links.ok()) << links.status().ToString();
  ASSERT_EQ(links->size(), 3u);
  EXPECT_EQ((*links)[0].kind, "alert");
  EXPECT_EQ((*links)[0].linked_at, kT0);
  EXPECT_EQ((*links)[1].kind, "event");
  EXPECT_EQ((*links)[2].ref, "weibo:2");
  EXPECT_TRUE(store_->Links(id + 1)->empty());
  EXPECT_EQ(store_->AddLink({id + 1, "alert", "7", kT0}).code(), Code::kConflict);
}

TEST_P(IncidentStoreTest, RolesAreIdempotentPerPersonAndRemovable) {
  int64_t id = AddIncident("停水", kT0);
  ASSERT_TRUE(store_->PutRole({id, "spokesperson", "李娜", kT0 + 1, "王强"}).ok());
  ASSERT_TRUE(store_->PutRole({id, "commander", "王强", kT0, "王强"}).ok());
  ASSERT_TRUE(store_->PutRole({id, "spokesperson", "李娜", kT0 + 50, "someone else"}).ok());
  ASSERT_TRUE(store_->PutRole({id, "spokesperson", "张伟", kT0 + 1, "王强"}).ok());
  auto roles = store_->Roles(id);
  ASSERT_TRUE(roles.ok()) << roles.status().ToString();
  ASSERT_EQ(roles->size(), 3u);
  EXPECT_EQ((*roles)[0].role, "commander");
  EXPECT_EQ((*roles)[1].person, "张伟");  // same time and role: by person, byte order
  EXPECT_EQ((*roles)[2].person, "李娜");
  EXPECT_EQ((*roles)[2].assigned_by, "王强");
  ASSERT_TRUE(store_->RemoveRole(id, "spokesperson", "李娜").ok());
  auto again = store_->RemoveRole(id, "spokesperson", "李娜");
  EXPECT_EQ(again.code(), Code::kNotFound);
  EXPECT_NE(again.message().find("李娜"), std::string::npos) << again.message();
  EXPECT_EQ(store_->Roles(id)->size(), 2u);
}

TEST_P(IncidentStoreTest, TasksByIncidentAndOpenBeforeADeadline) {
  int64_t a = AddIncident("a", kT0);
  int64_t b = AddIncident("b", kT0);
  auto t1 = store_->InsertTask(Task(a, "report", kT0 + 3000));
  auto t2 = store_->InsertTask(Task(a, "holding", kT0 + 1000));
  auto t3 = store_->InsertTask(Task(b, "brief", kT0 + 2000));
  ASSERT_TRUE(t1.ok() && t2.ok() && t3.ok()) << t1.status().ToString();
  auto got = store_->GetTask(*t2);
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->title, "首次回应 holding");
  EXPECT_EQ(got->status, "open");
  EXPECT_EQ(got->overdue_stage, 0);

  got->status = "done";
  got->done_at = kT0 + 500;
  got->done_by = "李娜";
  got->note = kQuoted;
  got->overdue_stage = 2;
  got->repeat_every = 3600000;
  ASSERT_TRUE(store_->UpdateTask(*got).ok());
  auto done = store_->GetTask(*t2);
  EXPECT_EQ(done->status, "done");
  EXPECT_EQ(done->note, kQuoted);
  EXPECT_EQ(done->overdue_stage, 2);
  EXPECT_EQ(done->repeat_every, 3600000);

  auto all = store_->ListTasks(0);
  ASSERT_TRUE(all.ok()) << all.status().ToString();
  ASSERT_EQ(all->size(), 3u);
  EXPECT_EQ((*all)[0].id, *t2);  // by due_at
  EXPECT_EQ((*all)[1].id, *t3);
  EXPECT_EQ((*all)[2].id, *t1);
  EXPECT_EQ(store_->ListTasks(a)->size(), 2u);
  auto open = store_->ListTasks(0, kT0 + 2500);  // open and due before: t3 only (t2 is done)
  ASSERT_EQ(open->size(), 1u);
  EXPECT_EQ((*open)[0].id, *t3);
  EXPECT_TRUE(store_->ListTasks(a, kT0 + 2500)->empty());

  EXPECT_EQ(store_->GetTask(*t3 + 10).status().code(), Code::kNotFound);
  got->id = *t3 + 10;
  EXPECT_EQ(store_->UpdateTask(*got).code(), Code::kNotFound);
}

TEST_P(IncidentStoreTest, StatementsAreVersionedPerIncident) {
  int64_t id = AddIncident("停水", kT0);
  int64_t other = AddIncident("other", kT0);
  EXPECT_EQ(*store_->NextStatementVersion(id), 1);
  StatementRow s;
  s.incident_id = id;
  s.kind = "holding";
  s.body = "我区已于今日10时恢复供水。\n市民反映的\"异味\"问题正在检测。";
  s.created_at = kT0;
  s.created_by = "李娜";
  s.version = 2;
  auto s2 = store_->InsertStatement(s);
  s.version = 1;
  auto s1 = store_->InsertStatement(s);
  ASSERT_TRUE(s1.ok() && s2.ok()) << s1.status().ToString();
  EXPECT_EQ(*store_->NextStatementVersion(id), 3);
  EXPECT_EQ(*store_->NextStatementVersion(other), 1);

  auto got = store_->GetStatement(*s2);
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->body, s.body);
  EXPECT_FALSE(got->check_ok);
  got->state = "published";
  got->check_ok = true;
  got->check_json = R"({"ok":true,"issues":[]})";
  got->previous_id = *s1;
  got->published_at = kT0 + 10;
  got->channel = "微博";
  got->url = "https://weibo.com/1?a='b'";
  ASSERT_TRUE(store_->UpdateStatement(*got).ok());
  auto after = store_->GetStatement(*s2);
  EXPECT_TRUE(after->check_ok);
  EXPECT_EQ(after->check_json, R"({"ok":true,"issues":[]})");
  EXPECT_EQ(after->previous_id, *s1);
  EXPECT_EQ(after->url, "https://weibo.com/1?a='b'");

  auto list = store_->ListStatements(id);
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ((*list)[0].version, 1);
  EXPECT_EQ((*list)[1].version, 2);
  EXPECT_TRUE(store_->ListStatements(other)->empty());
  EXPECT_EQ(store_->GetStatement(*s2 + 10).status().code(), Code::kNotFound);
  got->id = *s2 + 10;
  EXPECT_EQ(store_->UpdateStatement(*got).code(), Code::kNotFound);
}

TEST_P(IncidentStoreTest, CommitmentsWithAndWithoutDeadlines) {
  int64_t id = AddIncident("停水", kT0);
  auto none = store_->InsertCommitment(Commitment(id, "持续通报", std::nullopt));
  auto late = store_->InsertCommitment(Commitment(id, "三日内公布检测结果", kT0 + 3000));
  auto soon = store_->InsertCommitment(Commitment(id, "今晚恢复供水", kT0 + 1000));
  ASSERT_TRUE(none.ok() && late.ok() && soon.ok()) << none.status().ToString();
  auto got = store_->GetCommitment(*none);
  ASSERT_TRUE(got.ok());
  EXPECT_FALSE(got->due_at.has_value());
  EXPECT_EQ(*store_->GetCommitment(*late)->due_at, kT0 + 3000);

  auto all = store_->ListCommitments(id);
  ASSERT_TRUE(all.ok()) << all.status().ToString();
  ASSERT_EQ(all->size(), 3u);
  EXPECT_EQ((*all)[0].id, *soon);  // by deadline, those without one last
  EXPECT_EQ((*all)[1].id, *late);
  EXPECT_EQ((*all)[2].id, *none);
  auto due = store_->ListCommitments(0, kT0 + 2000);
  ASSERT_EQ(due->size(), 1u);
  EXPECT_EQ((*due)[0].id, *soon);

  CommitmentRow kept = *store_->GetCommitment(*soon);
  kept.status = "kept";
  kept.kept_at = kT0 + 900;
  kept.evidence = "https://example.gov.cn/\"通报\"";
  kept.overdue_raised = true;
  kept.due_at.reset();
  ASSERT_TRUE(store_->UpdateCommitment(kept).ok());
  auto after = store_->GetCommitment(*soon);
  EXPECT_EQ(after->status, "kept");
  EXPECT_TRUE(after->overdue_raised);
  EXPECT_FALSE(after->due_at.has_value());
  EXPECT_EQ(after->evidence, kept.evidence);
  EXPECT_TRUE(store_->ListCommitments(0, kT0 + 2000)->empty());

  EXPECT_EQ(store_->GetCommitment(*late + 10).status().code(), Code::kNotFound);
  kept.id = *late + 10;
  EXPECT_EQ(store_->UpdateCommitment(kept).code(), Code::kNotFound);
}

TEST_P(IncidentStoreTest, NextOverdueAtWithoutPendingWork) {
  auto next = store_->NextOverdueAt({0, 3600000});
  ASSERT_TRUE(next.ok()) << next.status().ToString();
  EXPECT_FALSE(next->has_value());
  int64_t id = AddIncident("停水", kT0);
  auto t = store_->InsertTask(Task(id, "holding", kT0 + 1000));
  ASSERT_TRUE(t.ok());
  // No stages: tasks never escalate. A commitment without a deadline is never overdue.
  ASSERT_TRUE(store_->InsertCommitment(Commitment(id, "持续通报", std::nullopt)).ok());
  EXPECT_FALSE(store_->NextOverdueAt({})->has_value());
}

TEST_P(IncidentStoreTest, NextOverdueAtIsTheEarliestStageOrCommitment) {
  int64_t open = AddIncident("停水", kT0);
  int64_t closed = AddIncident("旧事", kT0, "closed");
  const std::vector<TimeMs> stages = {0, 3600000};
  auto t1 = store_->InsertTask(Task(open, "holding", kT0 + 10000));
  ASSERT_TRUE(store_->InsertTask(Task(closed, "old", kT0)).ok());  // closed incidents are not swept
  ASSERT_TRUE(t1.ok());
  // Stage 1 fires 1 ms after the deadline (an offset of 0 counts as 1: overdue means now > due).
  EXPECT_EQ(**store_->NextOverdueAt(stages), kT0 + 10001);

  TaskRow staged = *store_->GetTask(*t1);
  staged.overdue_stage = 1;
  ASSERT_TRUE(store_->UpdateTask(staged).ok());
  EXPECT_EQ(**store_->NextOverdueAt(stages), kT0 + 10000 + 3600000);

  auto c = store_->InsertCommitment(Commitment(open, "今晚恢复供水", kT0 + 20000));
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(**store_->NextOverdueAt(stages), kT0 + 20001);

  CommitmentRow raised = *store_->GetCommitment(*c);
  raised.overdue_raised = true;
  ASSERT_TRUE(store_->UpdateCommitment(raised).ok());
  EXPECT_EQ(**store_->NextOverdueAt(stages), kT0 + 10000 + 3600000);

  staged.overdue_stage = 2;  // every stage fired
  ASSERT_TRUE(store_->UpdateTask(staged).ok());
  EXPECT_FALSE(store_->NextOverdueAt(stages)->has_value());
}

TEST_P(IncidentStoreTest, CommunicationsAndTheLogInTimeOrder) {
  int64_t id = AddIncident("停水", kT0);
  ASSERT_TRUE(store_->InsertCommunication({0, id, kT0 + 20, "media", "电话", "南方日报 记者", kQuoted, "李娜"}).ok());
  auto first = store_->InsertCommunication({0, id, kT0 + 10, "public", "12345", "市民", "已答复", "张伟"});
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  auto comms = store_->ListCommunications(id);
  ASSERT_TRUE(comms.ok());
  ASSERT_EQ(comms->size(), 2u);
  EXPECT_EQ((*comms)[0].id, *first);
  EXPECT_EQ((*comms)[1].content, kQuoted);
  EXPECT_EQ((*comms)[1].counterpart, "南方日报 记者");

  auto l2 = store_->AppendLog({0, id, kT0 + 5, "王强", "state", R"({"from":"detected","to":"acknowledged"})"});
  auto l1 = store_->AppendLog({0, id, kT0, "王强", "opened", ""});
  auto l3 = store_->AppendLog({0, id, kT0 + 5, "王强", "level", R"({"to":"I"})"});
  ASSERT_TRUE(l1.ok() && l2.ok() && l3.ok());
  auto log = store_->ListLog(id);
  ASSERT_TRUE(log.ok());
  ASSERT_EQ(log->size(), 3u);
  EXPECT_EQ((*log)[0].id, *l1);
  EXPECT_EQ((*log)[0].detail_json, "{}");  // an empty detail is stored as an empty object
  EXPECT_EQ((*log)[1].id, *l2);             // same time: by id
  EXPECT_EQ((*log)[1].detail_json, R"({"from":"detected","to":"acknowledged"})");
  EXPECT_EQ((*log)[2].id, *l3);
  EXPECT_TRUE(store_->ListLog(id + 1)->empty());
}

TEST_P(IncidentStoreTest, ClarificationsAndTheirSpreadingPosts) {
  int64_t id = AddIncident("谣言", kT0);
  ClarificationRow c;
  c.incident_id = id;
  c.claim = "东湖水库\"投毒\"";
  c.evidence = "检测报告：https://example.gov.cn/report";
  c.query = "\"东湖\" AND \"投毒\"";
  c.simhash = 0xF00DFACECAFEBEEFull;  // the high bit set: stored as a signed integer, bit for bit
  c.created_at = kT0;
  c.created_by = "李娜";
  auto cid = store_->InsertClarification(c);
  ASSERT_TRUE(cid.ok()) << cid.status().ToString();
  auto got = store_->GetClarification(*cid);
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->claim, c.claim);
  EXPECT_EQ(got->query, c.query);
  EXPECT_EQ(got->simhash, 0xF00DFACECAFEBEEFull);
  EXPECT_EQ(got->scheme_id, 0);

  got->statement_id = 9;
  got->scheme_id = 12;
  got->claim = "东湖水库被投毒";
  got->created_by = "not changed by an update";
  ASSERT_TRUE(store_->UpdateClarification(*got).ok());
  auto after = store_->GetClarification(*cid);
  EXPECT_EQ(after->scheme_id, 12);
  EXPECT_EQ(after->statement_id, 9);
  EXPECT_EQ(after->claim, "东湖水库被投毒");
  EXPECT_EQ(after->created_by, "李娜");
  auto second = store_->InsertClarification(c);
  ASSERT_TRUE(second.ok());
  auto list = store_->ListClarifications(id);
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ((*list)[0].id, *cid);
  EXPECT_EQ((*list)[1].id, *second);

  ASSERT_TRUE(store_->AddClarificationPost(*cid, "weibo:9", kT0 + 30).ok());
  ASSERT_TRUE(store_->AddClarificationPost(*cid, "weibo:1", kT0 + 10).ok());
  ASSERT_TRUE(store_->AddClarificationPost(*cid, "douyin:5", kT0 + 30).ok());
  ASSERT_TRUE(store_->AddClarificationPost(*cid, "weibo:1", kT0 + 99).ok());  // again: kept once
  auto posts = store_->ClarificationPosts(*cid);
  ASSERT_TRUE(posts.ok()) << posts.status().ToString();
  ASSERT_EQ(posts->size(), 3u);
  EXPECT_EQ((*posts)[0], std::make_pair(std::string("weibo:1"), kT0 + 10));
  EXPECT_EQ((*posts)[1].first, "douyin:5");
  EXPECT_EQ((*posts)[2].first, "weibo:9");
  EXPECT_TRUE(store_->ClarificationPosts(*second)->empty());

  EXPECT_EQ(store_->GetClarification(*second + 10).status().code(), Code::kNotFound);
  got->id = *second + 10;
  EXPECT_EQ(store_->UpdateClarification(*got).code(), Code::kNotFound);
}

TEST_P(IncidentStoreTest, TalkingPointsByTopicAndStatusNewestFirst) {
  auto tp = [](const std::string& topic, const std::string& status, TimeMs updated) {
    TalkingPointRow r;
    r.topic = topic;
    r.question = "水还能喝吗？";
    r.answer = "经检测，\"各项指标\"均符合国家标准。";
    r.status = status;
    r.created_by = "李娜";
    r.created_at = kT0;
    r.updated_at = updated;
    return r;
  };
  auto a = store_->InsertTalkingPoint(tp("供水", "approved", kT0 + 10));
  auto b = store_->InsertTalkingPoint(tp("供水", "draft", kT0 + 30));
  auto c = store_->InsertTalkingPoint(tp("交通", "approved", kT0 + 20));
  ASSERT_TRUE(a.ok() && b.ok() && c.ok()) << a.status().ToString();
  auto all = store_->ListTalkingPoints("", "");
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 3u);
  EXPECT_EQ((*all)[0].id, *b);
  EXPECT_EQ((*all)[1].id, *c);
  EXPECT_EQ((*all)[2].id, *a);
  EXPECT_EQ(store_->ListTalkingPoints("供水", "")->size(), 2u);
  auto approved = store_->ListTalkingPoints("供水", "approved");
  ASSERT_EQ(approved->size(), 1u);
  EXPECT_EQ((*approved)[0].answer, "经检测，\"各项指标\"均符合国家标准。");
  EXPECT_EQ(store_->ListTalkingPoints("", "approved")->size(), 2u);

  TalkingPointRow up = *store_->GetTalkingPoint(*a);
  up.status = "retired";
  up.approved_by = "王强";
  up.approved_at = kT0 + 40;
  up.updated_at = kT0 + 40;
  ASSERT_TRUE(store_->UpdateTalkingPoint(up).ok());
  EXPECT_EQ(store_->GetTalkingPoint(*a)->approved_by, "王强");
  EXPECT_EQ((*store_->ListTalkingPoints("", ""))[0].id, *a);
  EXPECT_EQ(store_->GetTalkingPoint(*c + 10).status().code(), Code::kNotFound);
  up.id = *c + 10;
  EXPECT_EQ(store_->UpdateTalkingPoint(up).code(), Code::kNotFound);
}

TEST_P(IncidentStoreTest, StatementCommentsResolveAndList) {
  int64_t id = AddIncident("停水", kT0);
  StatementRow s;
  s.incident_id = id;
  s.body = "第一句。第二句。";
  s.created_at = kT0;
  auto sid = store_->InsertStatement(s);
  ASSERT_TRUE(sid.ok());
  auto late = store_->InsertStatementComment({0, *sid, 1, "王强", "\"第二句\"太绝对", kT0 + 20, false});
  auto early = store_->InsertStatementComment({0, *sid, -1, "张伟", "整体可以", kT0 + 10, false});
  ASSERT_TRUE(late.ok() && early.ok()) << late.status().ToString();
  ASSERT_TRUE(store_->ResolveStatementComment(*late).ok());
  EXPECT_EQ(store_->ResolveStatementComment(*late + 10).code(), Code::kNotFound);
  auto list = store_->ListStatementComments(*sid);
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ((*list)[0].id, *early);
  EXPECT_EQ((*list)[0].sentence, -1);
  EXPECT_FALSE((*list)[0].resolved);
  EXPECT_EQ((*list)[1].text, "\"第二句\"太绝对");
  EXPECT_EQ((*list)[1].sentence, 1);
  EXPECT_TRUE((*list)[1].resolved);
  // A comment on a statement that does not exist breaks the reference.
  EXPECT_EQ(store_->InsertStatementComment({0, *sid + 10, -1, "x", "y", kT0, false}).status().code(),
            Code::kConflict);
}

TEST_P(IncidentStoreTest, PlansAreReplacedByIdAndListedById) {
  EXPECT_TRUE(store_->ListPlans()->empty());
  ASSERT_TRUE(store_->PutPlan("water", R"({"id":"water","title":"供水 v1"})", kT0).ok());
  ASSERT_TRUE(store_->PutPlan("general", R"({"id":"general"})", kT0).ok());
  ASSERT_TRUE(store_->PutPlan("water", R"({"id":"water","title":"供水 \"v2\""})", kT0 + 1).ok());
  auto plans = store_->ListPlans();
  ASSERT_TRUE(plans.ok()) << plans.status().ToString();
  ASSERT_EQ(plans->size(), 2u);
  EXPECT_EQ((*plans)[0], R"({"id":"general"})");
  EXPECT_EQ((*plans)[1], R"({"id":"water","title":"供水 \"v2\""})");  // the text as given
}

TEST_P(IncidentStoreTest, WritesInAnUncommittedTransactionAreRolledBack) {
  int64_t kept = AddIncident("kept", kT0);
  {
    Transaction tx(store_->db());
    ASSERT_TRUE(tx.status().ok()) << tx.status().ToString();
    AddIncident("dropped", kT0);
    ASSERT_TRUE(store_->AddLink({kept, "alert", "1", kT0}).ok());
  }
  EXPECT_EQ(*store_->CountIncidents(), 1);
  EXPECT_TRUE(store_->Links(kept)->empty());
  {
    Transaction tx(store_->db());
    ASSERT_TRUE(store_->AddLink({kept, "alert", "1", kT0}).ok());
    ASSERT_TRUE(tx.Commit().ok());
  }
  EXPECT_EQ(store_->Links(kept)->size(), 1u);
}

// SQLite keeps a NUL byte in text; PostgreSQL's TEXT cannot, so it is refused there rather than
// cut short.
TEST_P(IncidentStoreTest, TextWithANulByte) {
  const std::string nul("停\0水", 7);
  auto id = store_->InsertIncident(Incident(nul, kT0));
  if (postgres()) {
    EXPECT_EQ(id.status().code(), Code::kInvalid) << id.status().ToString();
    EXPECT_EQ(*store_->CountIncidents(), 0);
    return;
  }
  ASSERT_TRUE(id.ok()) << id.status().ToString();
  EXPECT_EQ(store_->GetIncident(*id)->title, nul);
}

INSTANTIATE_TEST_SUITE_P(Backends, IncidentStoreTest, storetest::kBothBackends, storetest::BackendName);

}  // namespace
}  // namespace yuqing::store
