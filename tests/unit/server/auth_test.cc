#include "server/auth.h"

#include <gtest/gtest.h>

namespace yuqing::server {
namespace {

TEST(AuthTest, HashesAndVerifiesWithArgon2id) {
  auto h = HashPassword("correct horse battery");
  ASSERT_TRUE(h.ok()) << h.status().ToString();
  EXPECT_EQ(h->rfind("$argon2id$", 0), 0u);
  EXPECT_TRUE(VerifyPassword("correct horse battery", *h));
  EXPECT_FALSE(VerifyPassword("correct horse batterx", *h));
  EXPECT_FALSE(VerifyPassword("correct horse battery", ""));
  EXPECT_FALSE(VerifyPassword("x", "not a hash"));
}

TEST(AuthTest, RefusesShortAndHugePasswords) {
  EXPECT_EQ(HashPassword("short").status().code(), Code::kInvalid);
  EXPECT_EQ(HashPassword(std::string(2000, 'a')).status().code(), Code::kInvalid);
}

TEST(AuthTest, TokensAreRandomAndDigestsStable) {
  std::string a = NewApiToken(), b = NewApiToken();
  EXPECT_NE(a, b);
  EXPECT_EQ(a.rfind(kApiTokenPrefix, 0), 0u);
  EXPECT_EQ(a.size(), 3u + 48u);
  EXPECT_EQ(TokenDigest(a), TokenDigest(a));
  EXPECT_NE(TokenDigest(a), TokenDigest(b));
  EXPECT_EQ(TokenDigest(a).size(), 64u);
  EXPECT_EQ(RandomHex(16).size(), 32u);
  EXPECT_EQ(RandomPassword().size(), 20u);
}

TEST(AuthTest, ConstantTimeEqualsNeverAcceptsEmpty) {
  EXPECT_TRUE(ConstantTimeEquals("abc", "abc"));
  EXPECT_FALSE(ConstantTimeEquals("abc", "abd"));
  EXPECT_FALSE(ConstantTimeEquals("abc", "ab"));
  EXPECT_FALSE(ConstantTimeEquals("", ""));  // a session without CSRF token must not pass
}

TEST(AuthTest, RolesAndDepartments) {
  Principal p;
  p.role = "viewer";
  p.departments = {"宣传部"};
  EXPECT_TRUE(p.Has(kViewer));
  EXPECT_FALSE(p.Has(kAdmin | kAnalyst));
  EXPECT_TRUE(p.InAnyDepartment({"办公室", "宣传部"}));
  EXPECT_FALSE(p.InAnyDepartment({"办公室"}));
  EXPECT_FALSE(p.InAnyDepartment({}));
  p.role = "admin";
  EXPECT_TRUE(p.InAnyDepartment({}));
  EXPECT_EQ(RoleFromName("nobody"), 0);
}

}  // namespace
}  // namespace yuqing::server
