#include "store/user_store.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "core/user_json.h"
#include "testing/test_store.h"

namespace yuqing::store {
namespace {

// On SQLite and on PostgreSQL (testing/test_store.h).
class UserStoreTest : public ::testing::TestWithParam<storetest::TestBackend> {
 protected:
  void SetUp() override {
    YQ_OPEN_TEST_STORE(where_, GetParam());
    auto db = where_->Open();
    ASSERT_TRUE(db.ok());
    db_ = std::move(db).value();
    auto s = UserStore::Open(*db_);
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    users_ = std::move(s).value();
  }
  void TearDown() override {
    users_.reset();
    db_.reset();
    where_.reset();
  }
  std::unique_ptr<storetest::TestStore> where_;
  std::unique_ptr<Database> db_;
  std::unique_ptr<UserStore> users_;
};

TEST_P(UserStoreTest, AddsFindsAndRejectsUsers) {
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

TEST_P(UserStoreTest, SessionsExpire) {
  User u{0, "a", "viewer", {}, "", false, 0};
  int64_t id = *users_->AddUser(u, 1);
  ASSERT_TRUE(users_->AddSession({"digest", id, "csrf", 10, 100}).ok());
  EXPECT_TRUE(users_->FindSession("digest", 50)->has_value());
  EXPECT_FALSE(users_->FindSession("digest", 100)->has_value());
  EXPECT_FALSE(users_->FindSession("other", 50)->has_value());
  ASSERT_TRUE(users_->RemoveSession("digest").ok());
  EXPECT_FALSE(users_->FindSession("digest", 50)->has_value());
}

TEST_P(UserStoreTest, TokensCanBeRevoked) {
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

TEST_P(UserStoreTest, LoginFailuresResetOnSuccess) {
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(users_->RecordLoginAttempt("a", "1.2.3.4", false, 100 + i).ok());
  EXPECT_EQ(*users_->RecentFailures("a", "1.2.3.4", 0), 3);
  EXPECT_EQ(*users_->RecentFailures("a", "5.6.7.8", 0), 0);
  EXPECT_EQ(*users_->RecentFailures("a", "1.2.3.4", 102), 1);
  ASSERT_TRUE(users_->RecordLoginAttempt("a", "1.2.3.4", true, 200).ok());
  EXPECT_EQ(*users_->RecentFailures("a", "1.2.3.4", 0), 0);
}

TEST_P(UserStoreTest, AuditIsNewestFirstAndFiltered) {
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

// Two sessions adding the same name: one wins, the other is told the name is taken; an audit
// detail is kept as given, whatever its size says.
TEST_P(UserStoreTest, ASecondSessionCannotTakeATakenNameAndAuditKeepsItsDetail) {
  auto other_db = where_->Open();
  ASSERT_TRUE(other_db.ok());
  auto other = UserStore::Open(**other_db);
  ASSERT_TRUE(other.ok());
  User u;
  u.name = "张三";
  u.role = "analyst";
  u.departments = {"宣传科"};
  ASSERT_TRUE(users_->AddUser(u, 1).ok());
  EXPECT_EQ((*other)->AddUser(u, 2).status().code(), Code::kConflict);
  auto found = (*other)->FindUser("张三");
  ASSERT_TRUE(found.ok() && found->has_value());
  EXPECT_EQ((*found)->departments, std::vector<std::string>{"宣传科"});
  AuditEntry e;
  e.at = 5;
  e.actor = "张三";
  e.action = "search";
  e.detail = {{"q", "停水 \"东湖\""}, {"n", 3}};
  ASSERT_TRUE(users_->Audit(e).ok());
  e.detail = {{"big", std::string(kMaxAuditDetailBytes + 10, 'x')}};
  ASSERT_TRUE(users_->Audit(e).ok());
  auto list = (*other)->ListAudit(10);
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 2u);
  EXPECT_TRUE((*list)[0].detail.contains("truncated")) << "newest first, cut to the limit";
  EXPECT_EQ((*list)[1].detail["q"], "停水 \"东湖\"");
}

INSTANTIATE_TEST_SUITE_P(Backends, UserStoreTest, storetest::kBothBackends, storetest::BackendName);

}  // namespace
}  // namespace yuqing::store
