#include "rules/matcher.h"

#include <gtest/gtest.h>

#include "rules/live_matcher.h"
#include "test_util.h"

namespace yuqing::rules {
namespace {

using testing::Norm;

Scheme S(int64_t id, std::string query, std::vector<std::string> exclude = {}) {
  Scheme s;
  s.id = id;
  s.name = "s" + std::to_string(id);
  s.query = std::move(query);
  s.exclude = std::move(exclude);
  return s;
}

struct Post {
  Post(std::string ti, std::string te, std::string au = "", std::string so = "", bool v = false, int64_t f = 0)
      : title(std::move(ti)), text(std::move(te)), author(std::move(au)), source(std::move(so)), verified(v),
        followers(f) {}
  std::string title, text, author, source;
  bool verified = false;
  int64_t followers = 0;
};

std::vector<SchemeHit> MatchPost(const Matcher& m, const Post& p, Scratch& scratch) {
  std::string title = Norm()->Normalize(p.title), text = Norm()->Normalize(p.text);
  MatchInput in;
  in.title = title;
  in.text = text;
  in.author = p.author;
  in.source = p.source;
  in.verified = p.verified;
  in.followers = p.followers;
  std::vector<SchemeHit> out;
  m.Match(in, out, scratch);
  return out;
}

std::vector<int64_t> Ids(const std::vector<SchemeHit>& hits) {
  std::vector<int64_t> ids;
  for (const auto& h : hits) ids.push_back(h.scheme_id);
  return ids;
}

// Per-post state lives in bitsets cleared from the previous post's hits: a post full of hits
// followed by posts with none or other ones must not see stale literals or candidates, for
// literals spread over many bitset words and for the boundary/NEAR ("slow") literals.
TEST(MatcherTest, ScratchForgetsThePreviousPost) {
  std::vector<Scheme> schemes;
  for (int i = 0; i < 300; ++i) schemes.push_back(S(i + 1, "词" + std::to_string(i) + "甲 乙" + std::to_string(i)));
  schemes.push_back(S(1001, "water 投诉"));
  schemes.push_back(S(1002, "停水 NEAR/2 通知"));
  schemes.push_back(S(1003, "疫情 -谣言"));
  auto m = Matcher::Compile(schemes, Norm());
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  std::string all;
  for (int i = 0; i < 300; ++i) all += "词" + std::to_string(i) + "甲，乙" + std::to_string(i) + "。";
  Scratch scratch;
  for (int round = 0; round < 3; ++round) {
    auto hits = MatchPost(**m, {"", all + "water投诉 停水的通知 疫情"}, scratch);
    EXPECT_EQ(hits.size(), 303u);
    EXPECT_EQ(Ids(MatchPost(**m, {"", "什么也没有"}, scratch)), (std::vector<int64_t>{}));
    EXPECT_EQ(Ids(MatchPost(**m, {"", "乙7 投诉 通知"}, scratch)), (std::vector<int64_t>{}));
    EXPECT_EQ(Ids(MatchPost(**m, {"", "waterproof投诉 停水，很久以后才通知"}, scratch)), (std::vector<int64_t>{}));
    EXPECT_EQ(Ids(MatchPost(**m, {"", "疫情谣言"}, scratch)), (std::vector<int64_t>{}));
    auto one = MatchPost(**m, {"", "词7甲 乙7 疫情"}, scratch);
    EXPECT_EQ(Ids(one), (std::vector<int64_t>{8, 1003}));
    ASSERT_EQ(one.size(), 2u);
    EXPECT_EQ(one[0].terms, (std::vector<std::string>{"词7甲", "乙7"}));
  }
}

// The acceptance cases of the issue, one scheme each, all compiled together.
TEST(MatcherTest, IssueExamples) {
  std::vector<Scheme> schemes = {S(1, "停水 AND 投诉"), S(2, "(停水 OR 断水) 自来水公司"), S(3, "自来水 NOT 广告"),
                                 S(4, "\"水质超标\""), S(5, "自來水"), S(6, "water"), S(7, "停水 NEAR/4 通知"),
                                 S(8, "title:停水")};
  auto m = Matcher::Compile(schemes, Norm());
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  Scratch scratch;
  EXPECT_EQ(Ids(MatchPost(**m, {"", "小区停水三天，居民集体投诉"}, scratch)), (std::vector<int64_t>{1}));
  EXPECT_EQ(Ids(MatchPost(**m, {"", "自来水公司突然断水"}, scratch)), (std::vector<int64_t>{2, 3, 5}));
  EXPECT_EQ(Ids(MatchPost(**m, {"", "自来水净化器广告"}, scratch)), (std::vector<int64_t>{5}));
  EXPECT_EQ(Ids(MatchPost(**m, {"", "水质严重超标"}, scratch)), (std::vector<int64_t>{}));
  EXPECT_EQ(Ids(MatchPost(**m, {"", "检测显示水质超标"}, scratch)), (std::vector<int64_t>{4}));
  EXPECT_EQ(Ids(MatchPost(**m, {"", "自來水管爆裂"}, scratch)), (std::vector<int64_t>{3, 5}));
  EXPECT_EQ(Ids(MatchPost(**m, {"", "WATER outage downtown"}, scratch)), (std::vector<int64_t>{6}));
  EXPECT_EQ(Ids(MatchPost(**m, {"", "waterproof jackets"}, scratch)), (std::vector<int64_t>{}));
  EXPECT_EQ(Ids(MatchPost(**m, {"", "停水的通知"}, scratch)), (std::vector<int64_t>{7}));
  EXPECT_EQ(Ids(MatchPost(**m, {"东湖停水通知", "正文无关"}, scratch)), (std::vector<int64_t>{7, 8}));
  EXPECT_EQ(Ids(MatchPost(**m, {"", "停水通知"}, scratch)), (std::vector<int64_t>{7}));
}

TEST(MatcherTest, HitTermsAndExclusions) {
  auto m = Matcher::Compile({S(1, "(停水 OR 断水) 通知 -测试", {"广告", "title:演习"})}, Norm());
  ASSERT_TRUE(m.ok());
  Scratch scratch;
  auto hits = MatchPost(**m, {"", "断水通知"}, scratch);
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_EQ(hits[0].terms, (std::vector<std::string>{"断水", "通知"}));
  EXPECT_TRUE(MatchPost(**m, {"", "断水通知 广告"}, scratch).empty());
  EXPECT_TRUE(MatchPost(**m, {"演习", "断水通知"}, scratch).empty());
  EXPECT_EQ(MatchPost(**m, {"", "断水通知 演习"}, scratch).size(), 1u);  // exclusion scoped to title
  EXPECT_TRUE(MatchPost(**m, {"", "断水通知 测试"}, scratch).empty());
}

TEST(MatcherTest, NearDistanceCountsCharacters) {
  auto m = Matcher::Compile({S(1, "停水 NEAR/2 通知"), S(2, "refund NEAR/0 request")}, Norm());
  ASSERT_TRUE(m.ok());
  Scratch scratch;
  EXPECT_EQ(Ids(MatchPost(**m, {"", "停水啊啊通知"}, scratch)), (std::vector<int64_t>{1}));
  EXPECT_TRUE(MatchPost(**m, {"", "停水啊啊啊通知"}, scratch).empty());
  EXPECT_EQ(Ids(MatchPost(**m, {"", "通知啊啊停水"}, scratch)), (std::vector<int64_t>{1}));  // either order
  EXPECT_TRUE(MatchPost(**m, {"停水", "通知"}, scratch).empty());  // must be in one field
  EXPECT_EQ(Ids(MatchPost(**m, {"", "Refund Request"}, scratch)), (std::vector<int64_t>{}));  // one space apart
  EXPECT_EQ(Ids(MatchPost(**m, {"", "refundrequest"}, scratch)), (std::vector<int64_t>{}));   // not words
}

TEST(MatcherTest, AuthorFieldsAndFilters) {
  auto m = Matcher::Compile({S(1, "停水 author.verified:true"), S(2, "停水 author.followers:>10000"),
                             S(3, "停水 source:weibo"), S(4, "author:东湖发布 停水")},
                            Norm());
  ASSERT_TRUE(m.ok());
  Scratch scratch;
  Post p{"", "停水了", "東湖發布", "Weibo", true, 20000};
  EXPECT_EQ(Ids(MatchPost(**m, p, scratch)), (std::vector<int64_t>{1, 2, 3, 4}));
  p.verified = false;
  p.followers = 10000;
  p.source = "weibo.cn";  // whole word "weibo" still there
  EXPECT_EQ(Ids(MatchPost(**m, p, scratch)), (std::vector<int64_t>{3, 4}));
  p.source = "weibocn";
  EXPECT_EQ(Ids(MatchPost(**m, p, scratch)), (std::vector<int64_t>{4}));
}

TEST(MatcherTest, BadSchemesAreReportedAndSkipped) {
  std::vector<CompileError> errors;
  Scheme off = S(3, "停水");
  off.enabled = false;
  auto m = Matcher::Compile({S(1, "停水 AND"), S(2, "停水"), off, S(4, "停水", {"(广告"})}, Norm(), {}, &errors);
  ASSERT_TRUE(m.ok());
  EXPECT_EQ((*m)->schemes().size(), 1u);
  ASSERT_EQ(errors.size(), 2u);
  EXPECT_EQ(errors[0].scheme_id, 1);
  EXPECT_EQ(errors[1].scheme_id, 4);
  EXPECT_NE(errors[1].error.en.find("exclude 1"), std::string::npos);
}

TEST(MatcherTest, EmptyMatcherMatchesNothing) {
  auto m = Matcher::Compile({}, Norm());
  ASSERT_TRUE(m.ok());
  Scratch scratch;
  EXPECT_TRUE(MatchPost(**m, {"", "停水"}, scratch).empty());
  EXPECT_EQ((*m)->literal_count(), 0u);
}

TEST(MatcherTest, ScratchFollowsMatcherChanges) {
  Scratch scratch;
  for (int round = 0; round < 20; ++round) {
    std::vector<Scheme> schemes;
    for (int i = 0; i <= round; ++i) schemes.push_back(S(i + 1, "词" + std::to_string(i)));
    auto m = Matcher::Compile(schemes, Norm());
    ASSERT_TRUE(m.ok());
    EXPECT_EQ(Ids(MatchPost(**m, {"", "词" + std::to_string(round)}, scratch)), (std::vector<int64_t>{round + 1}));
  }
}

TEST(MatcherTest, HighlightGivesCharacterOffsets) {
  auto m = Matcher::Compile({S(7, "停水 AND 投诉 -广告")}, Norm());
  ASSERT_TRUE(m.ok());
  MatchInput in;
  std::string text = Norm()->Normalize("小区停水三天，居民集体投诉");
  in.text = text;
  auto spans = (*m)->Highlight(7, in);
  ASSERT_TRUE(spans.ok());
  ASSERT_EQ(spans->size(), 2u);
  EXPECT_EQ((*spans)[0].term, "停水");
  EXPECT_EQ((*spans)[0].start, 2u);
  EXPECT_EQ((*spans)[0].end, 4u);
  EXPECT_EQ((*spans)[1].term, "投诉");
  EXPECT_EQ((*spans)[1].start, 11u);
  EXPECT_FALSE((*m)->Highlight(99, in).ok());
}

TEST(LiveMatcherTest, SwapsWhileReadersMatch) {
  LiveMatcher live(Norm());
  ASSERT_TRUE(live.UpdateNow({S(1, "停水")}).ok());
  std::atomic<bool> stop{false};
  std::atomic<int64_t> matched{0};
  std::thread reader([&] {
    Scratch scratch;
    for (int i = 0; !stop.load() || i < 200; ++i) {
      auto m = live.Current();
      matched += static_cast<int64_t>(MatchPost(*m, {"", "停水 断水"}, scratch).size());
    }
  });
  for (int i = 0; i < 10; ++i) {
    live.Update({S(1, "停水"), S(2, i % 2 ? "断水" : "投诉")});
    live.Update({S(1, "停水"), S(2, "断水"), S(3, "水")});  // supersedes a pending update
  }
  EXPECT_TRUE(live.Wait().ok());
  stop = true;
  reader.join();
  EXPECT_GT(matched.load(), 0);
  EXPECT_GE(live.generation(), 2u);
  Scratch scratch;
  EXPECT_EQ(Ids(MatchPost(*live.Current(), {"", "停水 断水"}, scratch)), (std::vector<int64_t>{1, 2, 3}));
}

TEST(LiveMatcherTest, ReportsBadSchemes) {
  LiveMatcher live(Norm());
  live.Update({S(1, "(停水"), S(2, "停水")});
  EXPECT_TRUE(live.Wait().ok());
  ASSERT_EQ(live.last_errors().size(), 1u);
  EXPECT_EQ(live.Current()->schemes().size(), 1u);
}

}  // namespace
}  // namespace yuqing::rules
