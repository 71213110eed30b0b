#include "ingest/html_text.h"

#include <gtest/gtest.h>

#include "ingest/feed.h"

namespace yuqing::ingest {
namespace {

TEST(HtmlToContent, TextWithLinesImagesAndLinks) {
  // An RSSHub Weibo description: inline markup, <br>, a picture, a link, a script.
  auto c = HtmlToContent(
      "东湖区<b>自来水</b>有异味&amp;发黄<br>居民：<a href=\"https://m.weibo.cn/search?q=%23东湖%23\">#东湖#</a>"
      "<br><img src=\"https://wx1.sinaimg.cn/large/abc.jpg\" referrerpolicy=\"no-referrer\">"
      "<script>alert(1)</script><style>p{}</style><p>  第二段\n\n 文字 </p>");
  EXPECT_EQ(c.text, "东湖区自来水有异味&发黄\n居民：#东湖#\n第二段 文字");
  EXPECT_EQ(c.images, (std::vector<std::string>{"https://wx1.sinaimg.cn/large/abc.jpg"}));
  EXPECT_EQ(c.links, (std::vector<std::string>{"https://m.weibo.cn/search?q=%23东湖%23"}));
}

TEST(HtmlToContent, OnlyWebUrlsBoundedAndWithoutRepeats) {
  std::string html = "<a href=\"javascript:alert(1)\">x</a><a href=\"//e.cn/a\">a</a><a href=\"//e.cn/a\">a</a>"
                     "<img data-src=\"https://e.cn/lazy.png\" src=\"data:image/gif;base64,R0l\">";
  for (int i = 0; i < 80; ++i) html += "<a href=\"https://e.cn/" + std::to_string(i) + "\">.</a>";
  auto c = HtmlToContent(html);
  EXPECT_EQ(c.links.front(), "https://e.cn/a");
  EXPECT_EQ(c.links.size(), kMaxHtmlUrls);
  EXPECT_EQ(c.images, (std::vector<std::string>{"https://e.cn/lazy.png"}));
}

TEST(HtmlToContent, BrokenMarkupAndPlainTextAndDeepNesting) {
  EXPECT_EQ(HtmlToContent("<p>未闭合 <b>粗体 <i>斜体").text, "未闭合 粗体 斜体");
  EXPECT_EQ(HtmlToContent("纯文本 a < b").text, "纯文本 a < b");
  EXPECT_EQ(HtmlToContent("").text, "");
  std::string deep;
  for (int i = 0; i < 100000; ++i) deep += "<div>";
  deep += "底";
  EXPECT_EQ(HtmlToContent(deep).text, "底");
}

TEST(Feed, RssHubDescriptionBecomesTextWithImagesAndLinksInExtra) {
  std::string xml = R"(<?xml version="1.0"?><rss version="2.0"><channel><title>东湖发布的微博</title>
    <item><title>东湖区自来水</title><link>https://weibo.com/1/N1</link>
      <description><![CDATA[东湖区<b>自来水</b>检测合格<br><img src="https://wx1.sinaimg.cn/large/p.jpg"><a href="https://weibo.com/n/东湖发布">@东湖发布</a>]]></description>
      <enclosure url="https://wx1.sinaimg.cn/large/q.jpg" type="image/jpeg"/>
      <pubDate>Mon, 01 Jun 2026 09:00:00 GMT</pubDate><author><![CDATA[东湖发布]]></author></item></channel></rss>)";
  std::vector<FeedItem> items;
  ASSERT_TRUE(ParseFeed(xml, [&](FeedItem& i) { items.push_back(i); }).ok());
  ASSERT_EQ(items.size(), 1u);
  const auto& r = items[0].record;
  EXPECT_EQ(r["id"], "rss-https://weibo.com/1/N1");  // no guid: the link keeps updates from counting twice
  EXPECT_EQ(r["text"], "东湖区自来水检测合格\n@东湖发布");
  EXPECT_EQ(r["author"]["name"], "东湖发布");
  EXPECT_EQ(r["extra"]["images"], (nlohmann::json{"https://wx1.sinaimg.cn/large/p.jpg", "https://wx1.sinaimg.cn/large/q.jpg"}));
  EXPECT_EQ(r["extra"]["links"], nlohmann::json{"https://weibo.com/n/东湖发布"});
}

}  // namespace
}  // namespace yuqing::ingest
