#include "store/scheme_store.h"

#include <gtest/gtest.h>

#include "testing/test_store.h"

namespace yuqing::store {
namespace {

// Runs on SQLite and on PostgreSQL (testing/test_store.h).
class SchemeStoreTest : public ::testing::TestWithParam<storetest::TestBackend> {
 protected:
  void SetUp() override {
    YQ_OPEN_TEST_STORE(where_, GetParam());
    auto db = where_->Open();
    ASSERT_TRUE(db.ok()) << db.status().ToString();
    db_ = std::move(db).value();
    auto s = SchemeStore::Open(*db_);
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    store_ = std::move(s).value();
  }
  void TearDown() override {
    store_.reset();
    db_.reset();
    where_.reset();
  }
  std::unique_ptr<storetest::TestStore> where_;
  std::unique_ptr<Database> db_;
  std::unique_ptr<SchemeStore> store_;
};

TEST_P(SchemeStoreTest, AddGetUpdateRemove) {
  rules::Scheme s;
  s.name = "东湖自来水";
  s.query = "东湖自来水公司";
  s.exclude = {"广告"};
  s.departments = {"客服部", "办公室"};
  s.policy = "{\"level\":\"III\"}";
  auto g0 = store_->Generation();
  ASSERT_TRUE(g0.ok());
  auto id = store_->Add(s, 1000);
  ASSERT_TRUE(id.ok()) << id.status().ToString();
  EXPECT_GT(*id, 0);
  EXPECT_EQ(store_->Add(s, 1000).status().code(), Code::kConflict);  // same name
  auto got = store_->Get(*id);
  ASSERT_TRUE(got.ok() && got->has_value());
  EXPECT_EQ((*got)->exclude, s.exclude);
  EXPECT_EQ((*got)->departments, s.departments);
  EXPECT_EQ((*got)->policy, s.policy);
  EXPECT_EQ((*got)->created_at, 1000);
  rules::Scheme u = **got;
  u.query = "东湖 停水";
  u.enabled = false;
  ASSERT_TRUE(store_->Update(u, 2000).ok());
  got = store_->GetByName("东湖自来水");
  ASSERT_TRUE(got.ok() && got->has_value());
  EXPECT_EQ((*got)->query, "东湖 停水");
  EXPECT_EQ((*got)->created_at, 1000);
  EXPECT_EQ((*got)->updated_at, 2000);
  EXPECT_EQ(store_->List(false)->size(), 0u);
  EXPECT_EQ(store_->List(true)->size(), 1u);
  EXPECT_GT(*store_->Generation(), *g0 + 1);
  ASSERT_TRUE(store_->Remove(*id).ok());
  EXPECT_EQ(store_->Remove(*id).code(), Code::kNotFound);
  EXPECT_FALSE(store_->Get(*id)->has_value());
  u.id = 999;
  EXPECT_EQ(store_->Update(u, 3000).code(), Code::kNotFound);
}

// Ids given by the caller are kept, and never handed out again after a removal.
TEST_P(SchemeStoreTest, IdsAreNeverReused) {
  rules::Scheme s;
  s.name = "given";
  s.query = "q";
  s.id = 40;
  ASSERT_EQ(store_->Add(s, 1).value(), 40);
  s.name = "next";
  s.id = 0;
  auto next = store_->Add(s, 1);
  ASSERT_TRUE(next.ok()) << next.status().ToString();
  EXPECT_GT(*next, 40);
  ASSERT_TRUE(store_->Remove(*next).ok());
  s.name = "after removal";
  EXPECT_GT(store_->Add(s, 1).value(), *next);
  s.name = "taken id";
  s.id = 40;
  EXPECT_EQ(store_->Add(s, 1).status().code(), Code::kConflict);
}

// A second session on the same store sees the first's writes and its generation.
TEST_P(SchemeStoreTest, AnotherSessionSeesWritesAndGeneration) {
  auto other_db = where_->Open();
  ASSERT_TRUE(other_db.ok());
  auto other = SchemeStore::Open(**other_db);
  ASSERT_TRUE(other.ok()) << other.status().ToString();
  int64_t g = (*other)->Generation().value();
  rules::Scheme s;
  s.name = "东湖";
  s.query = "东湖";
  s.departments = {"宣传科"};
  ASSERT_TRUE(store_->Add(s, 1).ok());
  EXPECT_GT((*other)->Generation().value(), g);
  auto got = (*other)->GetByName("东湖");
  ASSERT_TRUE(got.ok() && got->has_value());
  EXPECT_EQ((*got)->departments, s.departments);
  EXPECT_EQ((*other)->Add(s, 2).status().code(), Code::kConflict);
}

TEST_P(SchemeStoreTest, ReopenKeepsSchemes) {
  rules::Scheme s;
  s.name = "a";
  s.query = "b";
  ASSERT_TRUE(store_->Add(s, 1).ok());
  store_.reset();
  auto again = SchemeStore::Open(*db_);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ((*again)->List()->size(), 1u);
}

INSTANTIATE_TEST_SUITE_P(Backends, SchemeStoreTest, storetest::kBothBackends, storetest::BackendName);

}  // namespace
}  // namespace yuqing::store
