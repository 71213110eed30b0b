#include "ingest/feed.h"

#include <gtest/gtest.h>

namespace yuqing::ingest {

TEST(Feed, Rss2) {
  std::string xml = R"(<?xml version="1.0"?><rss version="2.0"><channel><title>东湖日报</title>
    <item><title>停水通知</title><link>http://e.com/1</link><guid>g1</guid>
      <description>&lt;p&gt;东湖片区&amp;nbsp;明日停水&lt;/p&gt;</description>
      <pubDate>Fri, 01 May 2026 08:00:00 +0800</pubDate><author>编辑部</author></item>
    <item><title>Only title</title><pubDate>garbage</pubDate></item></channel></rss>)";
  std::vector<FeedItem> items;
  ASSERT_TRUE(ParseFeed(xml, [&](FeedItem& i) { items.push_back(i); }).ok());
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(items[0].record["id"], "rss-g1");
  EXPECT_EQ(items[0].record["text"], "东湖片区 明日停水");
  EXPECT_EQ(items[0].record["channel"], "东湖日报");
  EXPECT_EQ(items[0].record["published_at"], 1777593600000LL);
  EXPECT_EQ(items[1].record["text"], "Only title");
  EXPECT_EQ(items[1].record["published_at"], "garbage");  // the post parser will refuse it
}

TEST(Feed, Atom) {
  std::string xml = R"(<feed xmlns="http://www.w3.org/2005/Atom"><title>T</title>
    <entry><id>urn:1</id><title>标题</title><link rel="alternate" href="http://e.com/a"/>
    <updated>2026-05-01T00:00:00Z</updated><summary>摘要</summary><author><name>A</name></author></entry></feed>)";
  std::vector<FeedItem> items;
  ASSERT_TRUE(ParseFeed(xml, [&](FeedItem& i) { items.push_back(i); }).ok());
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0].record["url"], "http://e.com/a");
  EXPECT_EQ(items[0].record["author"]["name"], "A");
  EXPECT_EQ(items[0].record["published_at"], "2026-05-01T00:00:00Z");
}

TEST(Feed, MalformedXmlSaysWhere) {
  Status st = ParseFeed("<rss><channel><item></channel>", [](FeedItem&) {});
  EXPECT_FALSE(st.ok());
  EXPECT_NE(st.message().find("byte"), std::string::npos);
  EXPECT_FALSE(ParseFeed("<html></html>", [](FeedItem&) {}).ok());
}

TEST(Rfc822, Zones) {
  EXPECT_EQ(*ParseRfc822("Fri, 01 May 2026 00:00:00 GMT"), 1777593600000LL);
  EXPECT_EQ(*ParseRfc822("01 May 2026 08:00 +0800"), 1777593600000LL);
  EXPECT_EQ(*ParseRfc822("Fri, 01 May 2026 08:00:00 CST"), 1777593600000LL);
  EXPECT_FALSE(ParseRfc822("someday").ok());
  EXPECT_FALSE(ParseRfc822("Fri, 01 Foo 2026 08:00:00 GMT").ok());
  // Regression (CI fuzzing): a huge year overflowed the seconds-to-milliseconds product.
  EXPECT_FALSE(ParseRfc822("Fri, 01 May 2147483647 08:00:00 GMT").ok());
  EXPECT_FALSE(ParseRfc822("Fri, 01 May -20000 08:00:00 GMT").ok());
  EXPECT_FALSE(ParseRfc822("Fri, 99 May 2026 08:00:00 GMT").ok());
  EXPECT_FALSE(ParseRfc822("Fri, 01 May 2026 08:00:00 +2147483647").ok());
}

TEST(StripHtml, TagsEntitiesWhitespace) {
  EXPECT_EQ(StripHtml("<b>a</b>  &lt;b&gt; &#20013;&#x6587;\n x"), "a <b> 中文 x");
}

}  // namespace yuqing::ingest
