// Quote links: reposts without a parent id join their original's event by what they quote (a
// //@ chain, 转发：, the same link or 【headline】), and nothing short or common glues posts.
#include "analysis/quote_links.h"

#include <gtest/gtest.h>

#include "analysis/event_tracker.h"

namespace yuqing::analysis {

namespace {

// Posts whose keywords share nothing, so only a quote link can put two in one event.
ProcessedPost MakePost(const std::string& id, const std::string& text, TimeMs t, std::vector<std::string> kw = {}) {
  ProcessedPost p;
  p.post.id = id;
  p.post.text = text;
  p.post.published_at = t;
  p.post.source = "weibo";
  p.post.author.id = "u-" + id;
  p.analysis.keywords = kw.empty() ? std::vector<std::string>{"词" + id + "甲", "词" + id + "乙"} : std::move(kw);
  return p;
}

// Assigns the posts in order and returns their event ids.
std::vector<int64_t> Assign(EventTracker& t, std::vector<ProcessedPost>& posts) {
  std::vector<int64_t> ids;
  for (auto& p : posts) {
    t.Assign(p);
    ids.push_back(p.analysis.event_id);
  }
  return ids;
}

bool Shares(const QuoteKeys& ref, const QuoteKeys& orig) {
  for (size_t i = 0; i < ref.n_refs; ++i)
    for (size_t j = 0; j < orig.n_own; ++j)
      if (ref.refs[i] == orig.own[j]) return true;
  return false;
}

QuoteKeys KeysOf(const std::string& text, const std::string& title = "", const std::string& url = "") {
  Post p;
  p.text = text;
  p.title = title;
  p.url = url;
  QuoteKeys k;
  QuoteKeysOf(p, k);
  return k;
}

const char* kOriginal = "【美国两地上空均拍到红色UFO 地点相隔千里】中新网9月29日电 据外媒报道，日前谷歌地图拍到美国两地"
                        "上空都出现红色的UFO。详情http://t.cn/zlVPg4F";

}  // namespace

TEST(QuoteKeysTest, ChainQuotesTheParentsWholeText) {
  // B reposted the original with a comment; A reposts B: everything after //@B: is B's text.
  std::string b = "这也太巧了吧，两个地方一模一样//@中新网:" + std::string(kOriginal);
  EXPECT_TRUE(Shares(KeysOf("不信//@小B:" + b), KeysOf(b)));
  // A chain that skips a missing link still reaches the original itself.
  EXPECT_TRUE(Shares(KeysOf("不信//@小B: 顶//@中新网：" + std::string(kOriginal)), KeysOf(kOriginal)));
}

TEST(QuoteKeysTest, RepostPrefixesQuoteTheOriginal) {
  const std::string orig = "今天下午三点，东湖路自来水管爆裂，附近三个小区停水，抢修队正在赶来";
  EXPECT_TRUE(Shares(KeysOf("转发：" + orig), KeysOf(orig)));
  EXPECT_TRUE(Shares(KeysOf("大家注意 转自@平安东湖：" + orig), KeysOf(orig)));
  EXPECT_TRUE(Shares(KeysOf("RT @donghu: " + orig), KeysOf(orig)));
  // Punctuation, width and emoticons do not matter, links and @names are not words.
  EXPECT_TRUE(Shares(KeysOf("转：今天下午三点 东湖路自来水管爆裂[衰] 附近三个小区停水"), KeysOf(orig)));
}

TEST(QuoteKeysTest, LinksAndHeadlinesAreKeys) {
  EXPECT_TRUE(Shares(KeysOf("真的假的？http://t.cn/zlVPg4F"), KeysOf(kOriginal)));
  EXPECT_TRUE(Shares(KeysOf("外星人来了【美国两地上空均拍到红色UFO 地点相隔千里】"), KeysOf(kOriginal)));
  // An article's title field and its url are found by a post that names them.
  QuoteKeys article = KeysOf("正文……", "美国两地上空均拍到红色UFO 地点相隔千里", "https://www.chinanews.com/gj/2012/09-29/ufo.shtml");
  EXPECT_TRUE(Shares(KeysOf("【美国两地上空均拍到红色UFO 地点相隔千里】"), article));
  EXPECT_TRUE(Shares(KeysOf("看这个 http://chinanews.com/gj/2012/09-29/ufo.shtml"), article));
}

TEST(QuoteKeysTest, BoilerplateShortTextsAndBareDomainsAreNoKeys) {
  for (const char* s : {"转发微博", "//@人民日报:转发微博", "//@张三: //@李四: 转发微博", "转发：[哈哈][哈哈]", "转：太可怕了",
                        "http://weibo.com", "【转】", "《人民日报》", "【每日一图】"}) {
    QuoteKeys k = KeysOf(s);
    EXPECT_EQ(k.n_refs, 0u) << s;
  }
  EXPECT_EQ(KeysOf("转发微博").n_own, 0u);
  EXPECT_EQ(KeysOf("太可怕了").n_own, 0u);
}

TEST(QuoteLinksTest, EachRuleJoinsTheOriginalsEvent) {
  EventTracker t;
  std::vector<ProcessedPost> posts = {
      MakePost("o", kOriginal, 1000),
      MakePost("chain", "吓人//@中新网:" + std::string(kOriginal), 2000),
      MakePost("chain2", "不信//@小C:吓人//@中新网:" + std::string(kOriginal), 3000),
      MakePost("prefix", "转：" + std::string(kOriginal), 4000),
      MakePost("url", "来接人的 http://t.cn/zlVPg4F", 5000),
      MakePost("title", "求真相【美国两地上空均拍到红色UFO 地点相隔千里】", 6000),
  };
  auto ids = Assign(t, posts);
  for (size_t i = 1; i < ids.size(); ++i) EXPECT_EQ(ids[i], ids[0]) << posts[i].post.id;
  const EventRecord* e = t.Find(ids[0]);
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(e->posts, 6);
  EXPECT_EQ(e->reposts, 5);  // quoting posts count as reposts
  EXPECT_EQ(e->originals, 1);
  EXPECT_EQ(e->representative_post, "o");
}

TEST(QuoteLinksTest, AChainNamingTheParentsAuthorFindsTheirLatestPost) {
  EventTracker t;
  std::vector<ProcessedPost> posts = {
      MakePost("o", kOriginal, 1000),
      MakePost("b", "转发微博", 2000),  // B's empty repost: no text to quote
      MakePost("x", "东湖路停水了，什么时候来水？", 3000),
      MakePost("c", "看看//@小B:转发微博", 4000),
      MakePost("d", "//@小D:转发微博", 5000),  // nobody called 小D posted
  };
  posts[1].post.parent = "o";
  posts[1].post.author.name = "小B";
  posts[2].post.author.name = "小X";
  auto ids = Assign(t, posts);
  EXPECT_EQ(ids[1], ids[0]);
  EXPECT_NE(ids[2], ids[0]);
  EXPECT_EQ(ids[3], ids[0]);
  for (size_t i = 0; i < 3; ++i) EXPECT_NE(ids[4], ids[i]);
}

TEST(QuoteLinksTest, ShortRepostsDoNotGlueUnrelatedPosts) {
  EventTracker t;
  std::vector<ProcessedPost> posts = {
      MakePost("a", "转发微博", 1000),
      MakePost("b", "转发微博", 2000),
      MakePost("c", "//@张三:转发微博", 3000),
      MakePost("d", "转：太可怕了", 4000),
      MakePost("e", "转：太可怕了", 5000),
  };
  auto ids = Assign(t, posts);
  for (size_t i = 0; i < ids.size(); ++i)
    for (size_t j = i + 1; j < ids.size(); ++j) EXPECT_NE(ids[i], ids[j]) << i << " " << j;
}

TEST(QuoteLinksTest, OriginalsSharingOneCommonWordStayApart) {
  EventTracker t;
  std::vector<ProcessedPost> posts = {
      MakePost("a", "【地震】云南昭通发生5.7级地震，震源深度10公里，当地有明显震感", 1000),
      MakePost("b", "【地震】日本东京湾附近海域发生4.8级地震，暂无人员伤亡报告", 2000),
      MakePost("c", "转：【地震】日本东京湾附近海域发生4.8级地震，暂无人员伤亡报告", 3000),
  };
  auto ids = Assign(t, posts);
  EXPECT_NE(ids[0], ids[1]);
  EXPECT_EQ(ids[2], ids[1]);
}

TEST(QuoteLinksTest, AParentStillWinsAndTheSwitchTurnsQuotesOff) {
  EventTracker t;
  std::vector<ProcessedPost> posts = {MakePost("o", kOriginal, 1000), MakePost("x", "另一件事：东湖路停水", 2000),
                                      MakePost("r", "转：" + std::string(kOriginal), 3000)};
  posts[2].post.parent = "x";
  auto ids = Assign(t, posts);
  EXPECT_EQ(ids[2], ids[1]);

  EventTrackerOptions off;
  off.quote_links = false;
  EventTracker old(off);
  std::vector<ProcessedPost> again = {MakePost("o", kOriginal, 1000), MakePost("r", "转：" + std::string(kOriginal), 2000)};
  ids = Assign(old, again);
  EXPECT_NE(ids[0], ids[1]);
}

TEST(QuoteLinksTest, AQuoteOfAnExpiredEventStartsANewOne) {
  EventTrackerOptions o;
  o.window_ms = 3600 * 1000;
  EventTracker t(o);
  std::vector<ProcessedPost> posts = {MakePost("o", kOriginal, 0),
                                      MakePost("late", "转：" + std::string(kOriginal), 5 * 3600 * 1000)};
  auto ids = Assign(t, posts);
  EXPECT_NE(ids[0], ids[1]);
}

}  // namespace yuqing::analysis
