// The alert store's contract, on SQLite and on PostgreSQL.
#include "store/alert_store.h"

#include <gtest/gtest.h>

#include "testing/test_store.h"

namespace yuqing::store {
namespace {

class AlertStoreTest : public ::testing::TestWithParam<storetest::TestBackend> {
 protected:
  void SetUp() override {
    YQ_OPEN_TEST_STORE(where_, GetParam());
    db_ = std::move(where_->Open()).value();
    auto s = AlertStore::Open(*db_);
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    alerts_ = std::move(s).value();
  }
  void TearDown() override {
    alerts_.reset();
    db_.reset();
    where_.reset();
  }
  static AlertRecord Alert(int64_t scheme, int64_t event, TimeMs at) {
    AlertRecord a;
    a.severity = 2;
    a.status = "open";
    a.scheme_id = scheme;
    a.event_id = event;
    a.scheme_name = "东湖自来水";
    a.departments = {"宣传科"};
    a.rule = "1 小时内 120 条";
    a.numbers = {{"posts", 120}, {"ratio", 0.25}};
    a.evidence = nlohmann::json::array({{{"id", "p1"}, {"text", "停水<b>"}}});
    a.created_at = a.updated_at = a.last_fired_at = at;
    return a;
  }
  template <class Set>
  static AlertFilter Filter(Set&& set) {
    AlertFilter f;
    set(f);
    return f;
  }
  std::unique_ptr<storetest::TestStore> where_;
  std::unique_ptr<Database> db_;
  std::unique_ptr<AlertStore> alerts_;
};

TEST_P(AlertStoreTest, OneUnresolvedAlertPerSchemeAndEvent) {
  auto id = alerts_->Insert(Alert(1, 7, 1000));
  ASSERT_TRUE(id.ok()) << id.status().ToString();
  EXPECT_EQ(alerts_->Insert(Alert(1, 7, 2000)).status().code(), Code::kConflict);
  ASSERT_TRUE(alerts_->Insert(Alert(1, 8, 2000)).ok()) << "another event";
  auto got = alerts_->Get(*id);
  ASSERT_TRUE(got.ok() && got->has_value());
  EXPECT_EQ((*got)->departments, std::vector<std::string>{"宣传科"});
  EXPECT_EQ((*got)->numbers["posts"], 120);
  EXPECT_DOUBLE_EQ((*got)->numbers["ratio"].get<double>(), 0.25);
  EXPECT_EQ((*got)->evidence[0]["text"], "停水<b>");
  AlertRecord resolved = **got;
  resolved.status = "resolved";
  resolved.resolved_at = 3000;
  ASSERT_TRUE(alerts_->Update(resolved).ok());
  EXPECT_FALSE(alerts_->FindActive(1, 7)->has_value());
  EXPECT_TRUE(alerts_->Insert(Alert(1, 7, 4000)).ok()) << "the key is free once resolved";
  EXPECT_EQ(alerts_->CountActive().value(), 2);
  resolved.id = 9999;
  EXPECT_EQ(alerts_->Update(resolved).code(), Code::kNotFound);
}

TEST_P(AlertStoreTest, ListFiltersAndTheVersionCursor) {
  int64_t a = alerts_->Insert(Alert(1, 1, 1000)).value();
  int64_t b = alerts_->Insert(Alert(2, 1, 2000)).value();
  int64_t v = alerts_->Version().value();
  auto c = Alert(3, 1, 3000);
  c.severity = 4;
  int64_t cid = alerts_->Insert(c).value();
  EXPECT_GT(alerts_->Version().value(), v);
  auto changed = alerts_->List(Filter([&](AlertFilter& f) { f.changed_after_rowver = v; }));
  ASSERT_TRUE(changed.ok());
  ASSERT_EQ(changed->size(), 1u);
  EXPECT_EQ((*changed)[0].id, cid);
  auto first = alerts_->Get(a).value().value();
  first.status = "acked";
  ASSERT_TRUE(alerts_->Update(first).ok());
  changed = alerts_->List(Filter([&](AlertFilter& f) { f.changed_after_rowver = v; }));
  ASSERT_EQ(changed->size(), 2u);
  EXPECT_EQ((*changed)[1].id, a) << "in version order";
  auto all = alerts_->List({});
  ASSERT_EQ(all->size(), 3u);
  EXPECT_EQ((*all)[0].id, cid) << "newest first";
  EXPECT_EQ(alerts_->List(Filter([&](AlertFilter& f) { f.min_severity = 3; }))->size(), 1u);
  EXPECT_EQ(alerts_->List(Filter([&](AlertFilter& f) { f.status = "acked"; }))->size(), 1u);
  EXPECT_EQ(alerts_->List(Filter([&](AlertFilter& f) { f.scheme_ids = {1, 2}; }))->size(), 2u);
  EXPECT_EQ(alerts_->List(Filter([&](AlertFilter& f) { f.after_id = cid; }))->front().id, b);
  EXPECT_EQ(alerts_->CountRaised(1500, 3500, {}).value(), 2);
  EXPECT_EQ(alerts_->CountRaised(0, 5000, {3}).value(), 1);
  auto totals = alerts_->CountAll().value();
  EXPECT_EQ(totals.count, 3);
  EXPECT_EQ(totals.first_at, 1000);
  ASSERT_TRUE(alerts_->AddHistory({a, 1000, "raised", 2, "system", "规则"}).ok());
  ASSERT_TRUE(alerts_->AddHistory({a, 1100, "acked", 2, "zhang", ""}).ok());
  auto h = alerts_->History(a).value();
  ASSERT_EQ(h.size(), 2u);
  EXPECT_EQ(h[1].by, "zhang");
  EXPECT_EQ(alerts_->ListActive()->size(), 3u);
}

// Two sessions on one store: the second sees the first's alert and cannot raise its twin.
TEST_P(AlertStoreTest, AnotherSessionCannotRaiseTheSameKey) {
  auto other_db = where_->Open();
  ASSERT_TRUE(other_db.ok());
  auto other = AlertStore::Open(**other_db);
  ASSERT_TRUE(other.ok());
  Transaction tx(*db_);
  ASSERT_TRUE(tx.status().ok());
  ASSERT_TRUE(alerts_->Insert(Alert(5, 5, 1000)).ok());
  ASSERT_TRUE(tx.Commit().ok());
  EXPECT_EQ((*other)->Insert(Alert(5, 5, 2000)).status().code(), Code::kConflict);
  EXPECT_TRUE((*other)->FindActive(5, 5)->has_value());
}

INSTANTIATE_TEST_SUITE_P(Backends, AlertStoreTest, storetest::kBothBackends, storetest::BackendName);

}  // namespace
}  // namespace yuqing::store
