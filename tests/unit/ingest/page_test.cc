#include "ingest/page.h"

#include <gtest/gtest.h>

#include "ingest/robots.h"

namespace yuqing::ingest {
namespace {

std::vector<std::string> Texts(const std::string& html, const std::string& selector) {
  auto sel = ParseSelector(selector);
  EXPECT_TRUE(sel.ok()) << sel.status().ToString();
  GumboOutput* out = gumbo_parse(html.c_str());
  std::vector<std::string> texts;
  for (const GumboNode* n : SelectAll(out->document, *sel)) texts.push_back(NodeText(n));
  gumbo_destroy_output(&kGumboDefaultOptions, out);
  return texts;
}

const char* kBoard = R"HTML(<html><head><title>领导留言板 · 东湖区</title></head><body>
  <div id="nav"><a href="/">首页</a><li class="item"><a href="/x">不是留言</a></li></div>
  <ul class="list">
    <li class="item hot" data-id="1"><a class="t" href="/msg/1.html">东湖路积水严重</a>
      <span class="time">2026年6月1日 9:05</span><p>下雨就积水，&nbsp;出行困难。</p><script>var x=1;</script></li>
    <li class="item" data-id="2"><h3><a href="msg/2.html?from=list#top">学校门口拥堵</a></h3>
      <time datetime="2026-06-01T10:00:00+08:00">今天</time></li>
    <li class="item" data-id="3"><a class="t" href="javascript:void(0)">没有链接的</a></li>
  </ul></body></html>)HTML";

TEST(Selector, SubsetMatches) {
  EXPECT_EQ(Texts(kBoard, "ul.list > li.item a").size(), 3u);
  EXPECT_EQ(Texts(kBoard, "li.item").size(), 4u);
  EXPECT_EQ(Texts(kBoard, "ul li.item").size(), 3u);
  EXPECT_EQ(Texts(kBoard, "li.hot.item[data-id=\"1\"] a.t"), (std::vector<std::string>{"东湖路积水严重"}));
  EXPECT_EQ(Texts(kBoard, "#nav a").size(), 2u);
  EXPECT_EQ(Texts(kBoard, "UL > LI[data-id='2'] h3 a"), (std::vector<std::string>{"学校门口拥堵"}));
  EXPECT_EQ(Texts(kBoard, "time, span.time"), (std::vector<std::string>{"2026年6月1日 9:05", "今天"}));
  EXPECT_EQ(Texts(kBoard, "ul > a").size(), 0u);  // child, not descendant
  EXPECT_EQ(Texts(kBoard, "li.item > p"), (std::vector<std::string>{"下雨就积水， 出行困难。"}));
}

TEST(Selector, OutsideTheSubsetIsRefusedWithTheColumn) {
  EXPECT_NE(ParseSelector("li:first-child").status().message().find("':' at column 3"), std::string::npos);
  EXPECT_NE(ParseSelector("h3 + p").status().message().find("'+' at column 4"), std::string::npos);
  EXPECT_NE(ParseSelector("a[href^=x]").status().message().find("column"), std::string::npos);
  EXPECT_FALSE(ParseSelector("").ok());
  EXPECT_FALSE(ParseSelector("div >").ok());
  EXPECT_FALSE(ParseSelector("a[href").ok());
  EXPECT_FALSE(ParseSelector(".").ok());
}

TEST(Page, ItemsWithAbsoluteLinksTitlesTimesAndText) {
  auto sel = ParsePageSelectors("ul.list > li.item", "a", "a", "time, .time");
  ASSERT_TRUE(sel.ok()) << sel.status().ToString();
  auto items = ExtractPageItems(kBoard, *sel, "https://liuyan.example.gov.cn/board/list.html?page=1");
  ASSERT_TRUE(items.ok()) << items.status().ToString();
  ASSERT_EQ(items->size(), 3u);
  const auto& a = (*items)[0];
  EXPECT_EQ(a["id"], "page-https://liuyan.example.gov.cn/msg/1.html");
  EXPECT_EQ(a["url"], "https://liuyan.example.gov.cn/msg/1.html");
  EXPECT_EQ(a["title"], "东湖路积水严重");
  EXPECT_EQ(a["published_at"], "2026-06-01 09:05");
  EXPECT_EQ(a["text"], "东湖路积水严重 2026年6月1日 9:05 下雨就积水， 出行困难。");
  EXPECT_EQ(a["channel"], "领导留言板 · 东湖区");
  EXPECT_EQ(a["source"], "web");
  const auto& b = (*items)[1];
  EXPECT_EQ(b["url"], "https://liuyan.example.gov.cn/board/msg/2.html?from=list");
  EXPECT_EQ(b["published_at"], "2026-06-01T10:00:00+08:00");
  EXPECT_FALSE((*items)[2].contains("id"));  // javascript: is no link
  EXPECT_EQ(ParsePageSelectors("li", "a:hover", "a", "").status().message().rfind("title: selector", 0), 0u);
}

TEST(Page, ResolveUrl) {
  const std::string base = "http://h.cn:8080/a/b/c.html?x=1";
  EXPECT_EQ(ResolveUrl(base, "d.html"), "http://h.cn:8080/a/b/d.html");
  EXPECT_EQ(ResolveUrl(base, "../d.html"), "http://h.cn:8080/a/d.html");
  EXPECT_EQ(ResolveUrl(base, "/d"), "http://h.cn:8080/d");
  EXPECT_EQ(ResolveUrl(base, "//cdn.cn/x"), "http://cdn.cn/x");
  EXPECT_EQ(ResolveUrl(base, "?y=2"), "http://h.cn:8080/a/b/c.html?y=2");
  EXPECT_EQ(ResolveUrl(base, "https://o.cn/p#f"), "https://o.cn/p");
  EXPECT_EQ(ResolveUrl(base, "mailto:a@b.cn"), "");
}

TEST(Robots, GroupsLongestMatchWildcardsAndDelay) {
  const char* txt =
      "# comment\nUser-agent: *\nDisallow: /private\nAllow: /private/open\nCrawl-delay: 2\n\n"
      "User-agent: BadBot\nUser-agent: OtherBot\nDisallow: /\n\n"
      "User-agent: *\nDisallow: /*.pdf$\nDisallow: /search?\n";
  EXPECT_TRUE(CheckRobots(txt, "yuqing", "/board/list.html").allowed);
  auto v = CheckRobots(txt, "yuqing", "/private/x");
  EXPECT_FALSE(v.allowed);
  EXPECT_EQ(v.rule, "Disallow: /private");
  EXPECT_EQ(v.crawl_delay, 2000);
  EXPECT_TRUE(CheckRobots(txt, "yuqing", "/private/open/1").allowed);
  EXPECT_FALSE(CheckRobots(txt, "yuqing", "/docs/a.pdf").allowed);
  EXPECT_TRUE(CheckRobots(txt, "yuqing", "/docs/a.pdf?x").allowed);
  EXPECT_FALSE(CheckRobots(txt, "yuqing", "/search?q=1").allowed);
  EXPECT_FALSE(CheckRobots(txt, "otherbot/1.0", "/anything").allowed);
  EXPECT_TRUE(CheckRobots("User-agent: *\nDisallow:\n", "yuqing", "/x").allowed);
  EXPECT_TRUE(CheckRobots("", "yuqing", "/x").allowed);
  EXPECT_FALSE(CheckRobots("User-agent: yuqing\nDisallow: /\nUser-agent: *\nAllow: /\n", "yuqing/0.1", "/x").allowed);
}

TEST(Robots, Urls) {
  EXPECT_EQ(RobotsUrl("https://h.cn:81/a/b?q#f"), "https://h.cn:81/robots.txt");
  EXPECT_EQ(PathOf("https://h.cn:81/a/b?q#f"), "/a/b?q");
  EXPECT_EQ(PathOf("https://h.cn"), "/");
  EXPECT_EQ(OriginOf("ftp://h.cn/x"), "");
}

}  // namespace
}  // namespace yuqing::ingest
