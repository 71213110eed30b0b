#include "notify/signing.h"

#include <gtest/gtest.h>

namespace yuqing::notify {
namespace {

TEST(SigningTest, HmacSha256MatchesRfc4231) {
  // RFC 4231 test case 2.
  EXPECT_EQ(Hex(HmacSha256("Jefe", "what do ya want for nothing?")),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST(SigningTest, Base64AndUrlEncode) {
  EXPECT_EQ(Base64(""), "");
  EXPECT_EQ(Base64("f"), "Zg==");
  EXPECT_EQ(Base64("foobar"), "Zm9vYmFy");
  EXPECT_EQ(UrlEncode("a+b/c=="), "a%2Bb%2Fc%3D%3D");
}

TEST(SigningTest, ChannelSignaturesFollowTheirRecipes) {
  EXPECT_EQ(WebhookSignature("k", "1700000000", "{}"), "sha256=" + Hex(HmacSha256("k", "1700000000.{}")));
  EXPECT_EQ(DingTalkSign("SEC", "1700000000000"), UrlEncode(Base64(HmacSha256("SEC", "1700000000000\nSEC"))));
  EXPECT_EQ(FeishuSign("SEC", "1700000000"), Base64(HmacSha256("1700000000\nSEC", "")));
}

}  // namespace
}  // namespace yuqing::notify
