#include "core/post.h"

#include <gtest/gtest.h>

namespace yuqing {

TEST(StablePostId, SameInputSameIdAndUrlWins) {
  Post a;
  a.source = "weibo";
  a.url = "https://weibo.com/1/abc";
  a.text = "one";
  Post b = a;
  b.text = "two";  // same source + url: same post
  EXPECT_EQ(StablePostId(a), StablePostId(b));
  EXPECT_EQ(StablePostId(a).rfind("weibo-", 0), 0u);
}

TEST(StablePostId, WithoutUrlUsesAuthorTextAndTime) {
  Post a;
  a.source = "forum";
  a.author.id = "u1";
  a.text = "停水了";
  a.published_at = 1000;
  Post b = a;
  EXPECT_EQ(StablePostId(a), StablePostId(b));
  b.published_at = 2000;
  EXPECT_NE(StablePostId(a), StablePostId(b));
  b = a;
  b.author.id = "u2";
  EXPECT_NE(StablePostId(a), StablePostId(b));
}

}  // namespace yuqing
