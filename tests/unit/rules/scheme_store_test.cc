#include "store/scheme_store.h"

#include <gtest/gtest.h>

#include <filesystem>

namespace yuqing::store {
namespace {

class SchemeStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("yuqing_scheme_store_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    auto db = Database::Open((dir_ / "t.db").string());
    ASSERT_TRUE(db.ok()) << db.status().ToString();
    db_ = std::move(db).value();
    auto s = SchemeStore::Open(*db_);
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    store_ = std::move(s).value();
  }
  void TearDown() override {
    store_.reset();
    db_.reset();
    std::filesystem::remove_all(dir_);
  }
  std::filesystem::path dir_;
  std::unique_ptr<Database> db_;
  std::unique_ptr<SchemeStore> store_;
};

TEST_F(SchemeStoreTest, AddGetUpdateRemove) {
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

TEST_F(SchemeStoreTest, ReopenKeepsSchemes) {
  rules::Scheme s;
  s.name = "a";
  s.query = "b";
  ASSERT_TRUE(store_->Add(s, 1).ok());
  store_.reset();
  auto again = SchemeStore::Open(*db_);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ((*again)->List()->size(), 1u);
}

}  // namespace
}  // namespace yuqing::store
