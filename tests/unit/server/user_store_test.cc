#include "store/user_store.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "core/user_json.h"

namespace yuqing::store {
namespace {

class UserStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("yq-users-" + std::to_string(::getpid()) + "-" +
                                                     ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    auto db = Database::Open((dir_ / "t.db").string());
    ASSERT_TRUE(db.ok());
    db_ = std::move(db).value();
    auto s = UserStore::Open(*db_);
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    users_ = std::move(s).value();
  }
  void TearDown() override {
    users_.reset();
    db_.reset();
    std::filesystem::remove_all(dir_);
  }
  std::filesystem::path dir_;
  std::unique_ptr<Database> db_;
  std::unique_ptr<UserStore> users_;
};

TEST_F(UserStoreTest, AddsFindsAndRejectsUsers) {
  User u;
  u.name = "李雷";
  u.role = "analyst";
  u.departments = {"宣传部", "办公室"};
  u.password_hash = "$argon2id$x";
  auto id = users_->AddUser(u, 1000);
  ASSERT_TRUE(id.ok()) << id.status().ToString();
  auto got = users_->FindUser("李雷");
  ASSERT_TRUE(got.ok() && got->has_value());
  EXPECT_EQ((*got)->departments, u.departments);
  EXPECT_EQ((*got)->created_at, 1000);
  EXPECT_EQ(users_->AddUser(u, 1).status().code(), Code::kConflict);
  u.name = "bad name";
  EXPECT_EQ(users_->AddUser(u, 1).status().code(), Code::kInvalid);
  u.name = "ok";
  u.role = "root";
  EXPECT_EQ(users_->AddUser(u, 1).status().code(), Code::kInvalid);
  EXPECT_EQ(*users_->CountUsers(), 1);
  EXPECT_EQ(UserToJson(**got).count("password_hash"), 0u);
}

TEST_F(UserStoreTest, SessionsExpire) {
  User u{0, "a", "viewer", {}, "", false, 0};
  int64_t id = *users_->AddUser(u, 1);
  ASSERT_TRUE(users_->AddSession({"digest", id, "csrf", 10, 100}).ok());
  EXPECT_TRUE(users_->FindSession("digest", 50)->has_value());
  EXPECT_FALSE(users_->FindSession("digest", 100)->has_value());
  EXPECT_FALSE(users_->FindSession("other", 50)->has_value());
  ASSERT_TRUE(users_->RemoveSession("digest").ok());
  EXPECT_FALSE(users_->FindSession("digest", 50)->has_value());
}

TEST_F(UserStoreTest, TokensCanBeRevoked) {
  User u{0, "bot", "analyst", {}, "", false, 0};
  int64_t uid = *users_->AddUser(u, 1);
  ApiToken t;
  t.user_id = uid;
  t.token_hash = "h1";
  int64_t tid = *users_->AddToken(t);
  auto found = users_->FindToken("h1", kHour);
  ASSERT_TRUE(found.ok() && found->has_value());
  EXPECT_EQ((*found)->user_id, uid);
  ASSERT_TRUE(users_->RevokeToken(tid).ok());
  EXPECT_FALSE(users_->FindToken("h1", kHour)->has_value());
}

TEST_F(UserStoreTest, LoginFailuresResetOnSuccess) {
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(users_->RecordLoginAttempt("a", "1.2.3.4", false, 100 + i).ok());
  EXPECT_EQ(*users_->RecentFailures("a", "1.2.3.4", 0), 3);
  EXPECT_EQ(*users_->RecentFailures("a", "5.6.7.8", 0), 0);
  EXPECT_EQ(*users_->RecentFailures("a", "1.2.3.4", 102), 1);
  ASSERT_TRUE(users_->RecordLoginAttempt("a", "1.2.3.4", true, 200).ok());
  EXPECT_EQ(*users_->RecentFailures("a", "1.2.3.4", 0), 0);
}

TEST_F(UserStoreTest, AuditIsNewestFirstAndFiltered) {
  for (int i = 0; i < 5; ++i) {
    AuditEntry e;
    e.at = i;
    e.actor = i % 2 ? "a" : "b";
    e.action = "scheme.update";
    e.target = "scheme:" + std::to_string(i);
    e.detail = {{"i", i}};
    ASSERT_TRUE(users_->Audit(e).ok());
  }
  auto all = *users_->ListAudit(10);
  ASSERT_EQ(all.size(), 5u);
  EXPECT_EQ(all[0].target, "scheme:4");
  EXPECT_EQ(all[0].detail["i"], 4);
  EXPECT_EQ(users_->ListAudit(10, 0, "a")->size(), 2u);
  EXPECT_EQ(users_->ListAudit(2, all[1].id)->front().target, "scheme:2");
}

}  // namespace
}  // namespace yuqing::store
