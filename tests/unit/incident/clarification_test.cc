// Rumour clarifications with their monitoring scheme: the generated query is saved through the
// scheme store (validated like `topics add`, owned by the incident's department, named after the
// claim), linked in the record, re-runs do not duplicate it, a query that does not compile writes
// nothing, and the claim's volume counts the posts the pipeline tags with the scheme plus the
// near-duplicates.
#include <gtest/gtest.h>

#include "store/sqlite/connection.h"

#include "store/post_store.h"

#include <filesystem>

#include "analysis/simhash.h"
#include "incident/clarification.h"
#include "incident/incident_service.h"
#include "rules/reference.h"
#include "store/scheme_store.h"

#include "test_dir.h"

namespace yuqing::incident {
namespace {

constexpr TimeMs kT0 = 1780000000000;  // 2026-05-28, a whole minute
const char* kClaim = "东湖自来水公司的水里有毒，已经死人了";

class ClarificationTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto n = text::Normalizer::Create();
    ASSERT_TRUE(n.ok()) << n.status().ToString();
    norm_ = *n;
    auto s = text::Segmenter::Create();
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    seg_ = *s;
  }
  static void TearDownTestSuite() {
    norm_.reset();
    seg_.reset();
  }

  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(OpenIncidentStore("yq-clarify", dir_, db_, store_));
    // The columns of post_store.h's posts table that the clarification reads.
    ASSERT_TRUE(store::sqlite::Expect(*db_, "test").Exec(R"sql(
      CREATE TABLE posts (rowid INTEGER PRIMARY KEY, id TEXT UNIQUE, source TEXT DEFAULT 'weibo', title TEXT DEFAULT '',
        text TEXT, published_at INTEGER, author_name TEXT DEFAULT '', channel TEXT DEFAULT '', region TEXT DEFAULT '',
        lang TEXT DEFAULT 'zh', author_verified INTEGER DEFAULT 0, author_followers INTEGER DEFAULT 0,
        simhash INTEGER DEFAULT 0, dup_of TEXT DEFAULT '');
      CREATE TABLE post_schemes (scheme_id INTEGER, published_at INTEGER, post_rowid INTEGER);
    )sql").ok());
    // The stand-in table is the posts component, as PostStore::Open would have made it.
    ASSERT_TRUE(store::sqlite::Expect(*db_, "test").EnsureSchema("posts", store::PostStore::kSchemaVersion, [](store::sqlite::Connection&, int) { return Status::Ok(); }).ok());
    auto schemes = store::SchemeStore::Open(*db_);
    ASSERT_TRUE(schemes.ok());
    schemes_ = std::move(schemes).value();
  }
  void TearDown() override {
    schemes_.reset();
    store_.reset();
    db_.reset();
    std::filesystem::remove_all(dir_);
  }

  // A stored post; `scheme` > 0 tags it as the pipeline's matcher would.
  void Post(const std::string& id, TimeMs at, const std::string& text, int64_t scheme = 0, uint64_t simhash = 0) {
    auto st = store::sqlite::Expect(*db_, "test").Prepare("INSERT INTO posts(id, text, published_at, simhash) VALUES(?,?,?,?)");
    ASSERT_TRUE(st.ok());
    st->Bind(1, id).Bind(2, text).Bind(3, at).Bind(4, static_cast<int64_t>(simhash));
    ASSERT_TRUE(st->Run().ok());
    if (scheme > 0) {
      auto tag = store::sqlite::Expect(*db_, "test").Prepare("INSERT INTO post_schemes VALUES(?,?,?)");
      ASSERT_TRUE(tag.ok());
      tag->Bind(1, scheme).Bind(2, at).Bind(3, store::sqlite::Expect(*db_, "test").LastInsertRowid());
      ASSERT_TRUE(tag->Run().ok());
    }
  }
  int64_t Incident(const std::string& department = "") {
    store::IncidentRow r;
    r.title = "水质谣言";
    r.level = "III";
    r.detected_at = r.opened_at = r.updated_at = kT0;
    auto id = store_->InsertIncident(r);
    EXPECT_TRUE(id.ok());
    if (!department.empty()) EXPECT_TRUE(store_->AddLink({*id, "department", department, kT0}).ok());
    return *id;
  }
  Clarifications Make(bool with_norm = true) {
    return Clarifications(*store_, clock_, with_norm ? norm_ : nullptr, seg_);
  }
  size_t SchemeCount() {
    auto all = schemes_->List(true);
    EXPECT_TRUE(all.ok());
    return all.ok() ? all->size() : 0;
  }
  size_t ClarificationCount(int64_t incident) {
    auto all = store_->ListClarifications(incident);
    EXPECT_TRUE(all.ok());
    return all.ok() ? all->size() : 0;
  }

  static inline std::shared_ptr<const text::Normalizer> norm_;
  static inline std::shared_ptr<const text::Segmenter> seg_;
  std::filesystem::path dir_;
  std::unique_ptr<store::Database> db_;
  std::unique_ptr<store::IncidentStore> store_;
  std::unique_ptr<store::SchemeStore> schemes_;
  ManualClock clock_{kT0 + 10 * kMinute};
};

TEST_F(ClarificationTest, SavesTheGeneratedQueryAsTheDepartmentsScheme) {
  int64_t inc = Incident("新闻中心");
  Post("early", kT0 - kHour, "听说东湖自来水公司的水里有毒，已经死人了！");
  Post("routine", kT0 - kHour, "东湖自来水公司今天检修管道");
  auto c = Make();
  bool created = false;
  ClarificationRequest req;
  req.incident_id = inc;
  req.claim = kClaim;
  req.evidence = "市疾控中心检测合格";
  req.actor = "王强";
  auto r = c.Add(req, &created);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_TRUE(created);
  ASSERT_GT(r->scheme_id, 0);
  EXPECT_FALSE(r->query.empty());

  auto s = schemes_->Get(r->scheme_id);
  ASSERT_TRUE(s.ok() && *s);
  EXPECT_EQ((*s)->name, std::string("辟谣：") + "东湖自来水公司的水里有毒，已经死人了");
  EXPECT_EQ((*s)->query, r->query);
  EXPECT_EQ((*s)->departments, std::vector<std::string>{"新闻中心"});
  EXPECT_TRUE((*s)->enabled);

  // The posts stored before the scheme existed are matched once, by the scheme itself.
  auto j = c.Report(r->id, false);
  ASSERT_TRUE(j.ok());
  EXPECT_EQ((*j)["scheme_id"], r->scheme_id);
  EXPECT_EQ((*j)["scheme_name"], (*s)->name);
  EXPECT_EQ((*j)["posts"]["total"], 1);
  EXPECT_EQ((*j)["posts"]["sample"][0]["id"], "early");

  // The log says which scheme was saved.
  auto log = store_->ListLog(inc);
  ASSERT_TRUE(log.ok());
  ASSERT_FALSE(log->empty());
  EXPECT_NE(log->back().detail_json.find("\"scheme\":" + std::to_string(r->scheme_id)), std::string::npos);
}

TEST_F(ClarificationTest, ReRunningReturnsTheSameRecordAndScheme) {
  int64_t inc = Incident("新闻中心");
  auto c = Make();
  ClarificationRequest req;
  req.incident_id = inc;
  req.claim = kClaim;
  auto first = c.Add(req);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  bool created = true;
  req.claim = std::string("  ") + kClaim + "\n";  // the same claim, as typed again
  req.evidence = "检测报告";
  auto again = c.Add(req, &created);
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_FALSE(created);
  EXPECT_EQ(again->id, first->id);
  EXPECT_EQ(again->scheme_id, first->scheme_id);
  EXPECT_EQ(again->evidence, "检测报告");  // what was given the second time is kept
  EXPECT_EQ(ClarificationCount(inc), 1u);
  EXPECT_EQ(SchemeCount(), 1u);

  // The same claim in another incident reuses the scheme of that name and query.
  int64_t other = Incident("新闻中心");
  req.incident_id = other;
  auto elsewhere = c.Add(req, &created);
  ASSERT_TRUE(elsewhere.ok());
  EXPECT_TRUE(created);
  EXPECT_EQ(elsewhere->scheme_id, first->scheme_id);
  EXPECT_EQ(SchemeCount(), 1u);

  // Another query for a recorded claim is a conflict, not a silent second scheme.
  req.incident_id = inc;
  req.query = "水质 有毒";
  auto conflict = c.Add(req);
  EXPECT_EQ(conflict.status().code(), Code::kConflict);
  EXPECT_EQ(SchemeCount(), 1u);
}

TEST_F(ClarificationTest, AQueryThatDoesNotCompileWritesNothing) {
  int64_t inc = Incident();
  auto c = Make();
  ClarificationRequest req;
  req.incident_id = inc;
  req.claim = kClaim;
  req.query = "(水质 OR 有毒";
  auto r = c.Add(req);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kInvalid);
  EXPECT_NE(r.status().message().find("column"), std::string::npos) << r.status().message();
  EXPECT_NE(r.status().message().find("(水质 OR 有毒"), std::string::npos) << r.status().message();
  EXPECT_EQ(ClarificationCount(inc), 0u);
  EXPECT_EQ(SchemeCount(), 0u);

  // A query that only excludes is rejected like `topics add` rejects it.
  req.query = "-广告";
  EXPECT_EQ(c.Add(req).status().code(), Code::kInvalid);
  // A claim with no keywords cannot generate one.
  req.query.clear();
  req.claim = "！！！";
  EXPECT_EQ(c.Add(req).status().code(), Code::kInvalid);
  EXPECT_EQ(ClarificationCount(inc), 0u);
  EXPECT_EQ(SchemeCount(), 0u);
}

TEST_F(ClarificationTest, AGivenQueryIsUsedAndOwnedByTheLinkedSchemesDepartments) {
  // No department link: the departments of the incident's schemes own it (as notices go).
  rules::Scheme watch;
  watch.name = "东湖水务";
  watch.query = "东湖";
  watch.departments = {"客服部"};
  auto wid = schemes_->Add(watch, kT0);
  ASSERT_TRUE(wid.ok());
  int64_t inc = Incident();
  ASSERT_TRUE(store_->AddLink({inc, "scheme", std::to_string(*wid), kT0}).ok());
  auto c = Make();
  ClarificationRequest req;
  req.incident_id = inc;
  req.claim = kClaim;
  req.query = "自来水 (有毒 OR 死人)";
  auto r = c.Add(req);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->query, "自来水 (有毒 OR 死人)");
  auto s = schemes_->Get(r->scheme_id);
  ASSERT_TRUE(s.ok() && *s);
  EXPECT_EQ((*s)->departments, std::vector<std::string>{"客服部"});
}

TEST_F(ClarificationTest, NameClashWithAnotherQueryGetsASuffix) {
  rules::Scheme taken;
  taken.name = Clarifications::SchemeName(kClaim);
  taken.query = "别的";
  ASSERT_TRUE(schemes_->Add(taken, kT0).ok());
  int64_t inc = Incident();
  auto c = Make();
  auto r = c.Add(inc, kClaim, "", 0, "x");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  auto s = schemes_->Get(r->scheme_id);
  ASSERT_TRUE(s.ok() && *s);
  EXPECT_EQ((*s)->name, taken.name + "（2）");
  // Long claims are cut at 20 characters, whitespace collapsed.
  EXPECT_EQ(Clarifications::SchemeName("  一二三四五  六七八九十一二三四五六七八九十一二三 "),
            "辟谣：一二三四五 六七八九十一二三四五六七八九…");
}

TEST_F(ClarificationTest, VolumeCountsTaggedPostsAndNearDuplicates) {
  int64_t inc = Incident();
  auto c = Make();
  IncidentService svc(*store_, clock_, {});
  auto r = c.Add(inc, kClaim, "", 0, "x");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  // The statement is published at T0 + 1h.
  auto st = svc.AddStatement(inc, "经检测，水质符合国家标准。", "clarification", 0, "x");
  ASSERT_TRUE(st.ok()) << st.status().ToString();
  ASSERT_TRUE(svc.ApproveStatement(st->id, "x", "test").ok());
  ASSERT_TRUE(svc.PublishStatement(st->id, "weibo", "", kT0 + kHour, "x").ok());
  ASSERT_TRUE(c.SetStatement(r->id, st->id, "x").ok());
  // After it: two posts the pipeline tagged with the scheme (whatever their words), a
  // near-duplicate of the claim, and an untagged post of other words (not counted).
  Post("tagged1", kT0 + 70 * kMinute, "水有毒?", r->scheme_id);
  Post("tagged2", kT0 + 80 * kMinute, "死人了?", r->scheme_id);
  Post("near", kT0 + 90 * kMinute, "转发", 0, r->simhash);
  Post("other", kT0 + 95 * kMinute, "今天天气不错");
  // Before it: one tagged post.
  Post("before", kT0 + 30 * kMinute, "真的有毒吗", r->scheme_id);
  clock_.Set(kT0 + 2 * kHour);
  auto j = c.Report(r->id, true);
  ASSERT_TRUE(j.ok()) << j.status().ToString();
  EXPECT_EQ((*j)["posts"]["total"], 4);
  EXPECT_EQ((*j)["tracking"]["before"], 1);
  EXPECT_EQ((*j)["tracking"]["after"], 3);
  EXPECT_EQ((*j)["tracking"]["last_hour"], 3);
  EXPECT_TRUE((*j)["tracking"]["still_spreading"].get<bool>());
}

TEST_F(ClarificationTest, LinkingAStatementSavesTheSchemeOfAnOlderRecord) {
  int64_t inc = Incident("新闻中心");
  // A record made before clarifications saved schemes: a query, no scheme.
  store::ClarificationRow old;
  old.incident_id = inc;
  old.claim = kClaim;
  old.query = "东湖 有毒";
  old.created_at = kT0;
  auto id = store_->InsertClarification(old);
  ASSERT_TRUE(id.ok());
  IncidentService svc(*store_, clock_, {});
  auto st = svc.AddStatement(inc, "经检测，水质符合国家标准。", "clarification", 0, "x");
  ASSERT_TRUE(st.ok());
  auto c = Make();
  auto linked = c.SetStatement(*id, st->id, "x");
  ASSERT_TRUE(linked.ok()) << linked.status().ToString();
  EXPECT_GT(linked->scheme_id, 0);
  auto again = store_->GetClarification(*id);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->scheme_id, linked->scheme_id);
  EXPECT_EQ(again->statement_id, st->id);
  EXPECT_EQ(SchemeCount(), 1u);

  // One whose query does not compile is left as it was.
  old.query = "东湖 OR";
  auto bad = store_->InsertClarification(old);
  ASSERT_TRUE(bad.ok());
  EXPECT_EQ(c.SetStatement(*bad, st->id, "x").status().code(), Code::kInvalid);
  auto unchanged = store_->GetClarification(*bad);
  ASSERT_TRUE(unchanged.ok());
  EXPECT_EQ(unchanged->statement_id, 0);
  EXPECT_EQ(unchanged->scheme_id, 0);
  EXPECT_EQ(SchemeCount(), 1u);
}

TEST_F(ClarificationTest, WithoutANormaliserNoSchemeIsSaved) {
  int64_t inc = Incident();
  Post("early", kT0 - kHour, "东湖自来水公司的水里有毒，已经死人了");
  auto c = Make(/*with_norm=*/false);
  auto r = c.Add(inc, kClaim, "", 0, "x");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->scheme_id, 0);
  EXPECT_EQ(SchemeCount(), 0u);
  auto j = c.Report(r->id, false);
  ASSERT_TRUE(j.ok());
  EXPECT_TRUE((*j)["scheme_id"].is_null());
  EXPECT_EQ((*j)["posts"]["total"], 1);  // found by the query's words
}

TEST_F(ClarificationTest, GeneratedQueryQuotesWordsThatWouldReadAsSyntax) {
  auto c = Make();
  std::string q = c.GenerateQuery("covid-19 疫苗 有毒 (谣言)");
  EXPECT_FALSE(q.empty());
  rules::Scheme s;
  s.name = "x";
  s.query = q;
  EXPECT_TRUE(rules::ParseScheme(s, *norm_).ok()) << q;
}

}  // namespace
}  // namespace yuqing::incident
