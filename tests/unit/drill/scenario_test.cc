#include "drill/scenario.h"

#include <gtest/gtest.h>

namespace yuqing::drill {
namespace {

constexpr const char* kGood = R"(version: 1
name: test-drill
title: 测试演练
departments: [新闻中心]
schemes:
  - name: 测试方案
    query: '东湖 自来水'
    departments: [新闻中心]
plan: rumor-major
incident: {type: rumor, level: II, open_within: 30m}
posts:
  - {at: +0m, source: weibo, text: 东湖自来水发黄了}
  - {at: +1h30m, source: weibo, text: 东湖自来水有怪味, metrics: {reposts: 3}}
bursts:
  - {from: +10m, to: +20m, count: 4, shape: grow, texts: [一, 二]}
posts_file: {path: flood.jsonl, at: +5m, hint: 先运行 scripts/x.py}
injects:
  - {key: press, at: +40m, title: 记者来电, expect: media, within: 1h,
     post: {source: news, text: 记者询问东湖自来水}}
)";

TEST(Scenario, ReadsEveryPart) {
  auto s = ParseScenario(kGood, "/tmp/sc");
  ASSERT_TRUE(s.ok()) << s.status().message();
  EXPECT_EQ(s->name, "test-drill");
  EXPECT_EQ(s->title, "测试演练");
  ASSERT_EQ(s->schemes.size(), 1u);
  EXPECT_EQ(s->schemes[0].departments, std::vector<std::string>{"新闻中心"});
  EXPECT_EQ(s->plan, "rumor-major");
  EXPECT_EQ(s->incident_type, "rumor");
  EXPECT_EQ(s->incident_level, "II");
  EXPECT_EQ(s->open_within, 30 * kMinute);
  ASSERT_EQ(s->posts.size(), 2u);
  EXPECT_EQ(s->posts[1].at, 90 * kMinute);
  EXPECT_EQ(s->posts[1].post["metrics"]["reposts"], 3);
  EXPECT_EQ(s->posts[1].line, 13);
  ASSERT_EQ(s->posts_files.size(), 1u);
  EXPECT_EQ(s->posts_files[0].path, "/tmp/sc/flood.jsonl");
  EXPECT_EQ(s->posts_files[0].at, 5 * kMinute);
  ASSERT_EQ(s->injects.size(), 1u);
  EXPECT_EQ(s->injects[0].expect, "media");
  EXPECT_EQ(s->injects[0].within, kHour);
  ASSERT_TRUE(s->injects[0].post.has_value());
}

TEST(Scenario, InlinePostsAreInTimeOrderWithBurstsAndInjects) {
  auto s = ParseScenario(kGood, ".");
  ASSERT_TRUE(s.ok()) << s.status().message();
  auto posts = InlinePosts(*s);
  ASSERT_EQ(posts.size(), 2u + 4u + 1u);
  for (size_t i = 1; i < posts.size(); ++i) EXPECT_LE(posts[i - 1].at, posts[i].at);
  EXPECT_EQ(posts[1].at, 10 * kMinute);              // the burst's first
  EXPECT_EQ(posts[1].post["id"], "test-drill-b0-0");
  EXPECT_EQ(posts.back().at, 90 * kMinute);
  // "grow": later gaps are shorter than earlier ones.
  EXPECT_GT(posts[2].at - posts[1].at, posts[4].at - posts[3].at);
  bool inject = false;
  for (const auto& p : posts) inject = inject || p.post.value("id", "") == "test-drill-inject-press";  // inline posts may carry no id
  EXPECT_TRUE(inject);
}

TEST(Scenario, OffsetsReadAndPrint) {
  EXPECT_EQ(*ParseOffset("+30m"), 30 * kMinute);
  EXPECT_EQ(*ParseOffset("1h30m"), 90 * kMinute);
  EXPECT_EQ(*ParseOffset("+2d"), 2 * kDay);
  EXPECT_EQ(*ParseOffset("0"), 0);
  EXPECT_FALSE(ParseOffset("soon").ok());
  EXPECT_FALSE(ParseOffset("+").ok());
  EXPECT_FALSE(ParseOffset("30").ok());
  EXPECT_EQ(FormatOffset(90 * kMinute), "+1h30m");
  EXPECT_EQ(FormatOffset(0), "+0m");
  EXPECT_EQ(FormatOffset(2 * kHour), "+2h");
  EXPECT_EQ(FormatOffset(kMinute + 5 * kSecond), "+1m5s");
}

// Each malformed file is refused with the line and the field.
struct Bad {
  const char* text;
  const char* want;  // part of the message
};

class Malformed : public ::testing::TestWithParam<Bad> {};

TEST_P(Malformed, NamesLineAndField) {
  auto s = ParseScenario(GetParam().text, ".");
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().code(), Code::kInvalid);
  EXPECT_NE(s.status().message().find(GetParam().want), std::string::npos) << s.status().message();
}

INSTANTIATE_TEST_SUITE_P(
    Scenario, Malformed,
    ::testing::Values(
        Bad{"name: x\nposts:\n  - {at: +1m, text: a\n", "第 4 行"},  // unclosed flow map: YAML error
        Bad{"name: x\nposts:\n  - {at: soon, text: 东湖}\n", "第 3 行: posts[0].at: 时间应为"},
        Bad{"name: x\nposts:\n  - {at: +1m, text: a}\n  - {text: b}\n", "posts[1].at: 缺少时间"},
        Bad{"name: x\nposts:\n  - {at: +1m}\n", "第 3 行: posts[0].text: 缺少正文"},
        Bad{"name: x\nposts:\n  - {at: +1m, text: a, published_at: 2026-01-01}\n", "posts[0].published_at"},
        Bad{"name: x\ncolour: red\nposts: [{at: +1m, text: a}]\n", "第 2 行: colour: 未知字段"},
        Bad{"name: 演练\nposts: [{at: +1m, text: a}]\n", "name: 只能包含"},
        Bad{"posts: [{at: +1m, text: a}]\n", "name: 缺少场景编号"},
        Bad{"name: x\n", "没有任何帖子"},
        Bad{"name: x\nplan: no-such-plan\nposts: [{at: +1m, text: a}]\n", "plan: 预案 'no-such-plan'"},
        Bad{"name: x\nincident: {type: flood, level: II}\nposts: [{at: +1m, text: a}]\n", "第 2 行: incident.type"},
        Bad{"name: x\nincident: {level: V}\nposts: [{at: +1m, text: a}]\n", "incident.level"},
        Bad{"name: x\nbursts:\n  - {from: +2h, to: +1h, count: 3, texts: [a]}\n", "第 3 行: bursts[0].to: 应晚于 from"},
        Bad{"name: x\nbursts:\n  - {from: +1h, to: +2h, count: many, texts: [a]}\n", "bursts[0].count"},
        Bad{"name: x\nposts: [{at: +1m, text: a}]\ninjects:\n  - {key: k, at: +1m, title: t, expect: dance}\n",
            "第 4 行: injects[0].expect"},
        Bad{"name: x\nposts: [{at: +1m, text: a}]\ninjects:\n  - {key: k, at: +1m, title: t, expect: media}\n"
            "  - {key: k, at: +2m, title: t, expect: media}\n",
            "编号重复"},
        Bad{"name: x\nposts: [{at: +1m, text: a}]\nschemes:\n  - {query: 东湖}\n", "第 4 行: schemes"},
        Bad{"name: x\nposts: [{at: +1m, text: a}]\nplans:\n  - {id: p, title: 预案, types: [rumor], levels: [II], tasks: "
            "[{key: a, title: 甲, role: nobody, due: 1h}]}\n",
            "plans"}));

TEST(Scenario, NumbersInTextFieldsStayText) {
  auto s = ParseScenario("name: x\nposts:\n  - {at: +1m, id: 007, text: 110, source: weibo}\n", ".");
  ASSERT_TRUE(s.ok()) << s.status().message();
  EXPECT_EQ(s->posts[0].post["text"], "110");
  EXPECT_EQ(s->posts[0].post["id"], "007");
}

TEST(Scenario, EnglishMessages) {
  auto s = ParseScenario("name: x\nposts:\n  - {at: soon, text: a}\n", ".", false);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.status().message().find("line 3: posts[0].at: expected a time"), std::string::npos)
      << s.status().message();
}

TEST(Scenario, MissingFileIsNotFound) {
  auto s = ReadScenario("/nonexistent/drill.yaml");
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().code(), Code::kNotFound);
  EXPECT_NE(s.status().message().find("/nonexistent/drill.yaml"), std::string::npos);
}

TEST(Scenario, WrittenScenarioReadsBack) {
  auto s = ParseScenario(kGood, ".");
  ASSERT_TRUE(s.ok());
  s->posts_files.clear();
  s->bursts.clear();
  s->injects.clear();
  std::string yaml = ScenarioToYaml(*s);
  auto back = ParseScenario(yaml, ".");
  ASSERT_TRUE(back.ok()) << back.status().message() << "\n" << yaml;
  EXPECT_EQ(back->name, s->name);
  ASSERT_EQ(back->posts.size(), s->posts.size());
  EXPECT_EQ(back->posts[1].at, s->posts[1].at);
  EXPECT_EQ(back->posts[1].post["text"], s->posts[1].post["text"]);
  EXPECT_EQ(back->posts[1].post["metrics"]["reposts"], 3);
  EXPECT_EQ(back->schemes.size(), 1u);
  EXPECT_EQ(back->incident_level, "II");
  EXPECT_EQ(back->open_within, 30 * kMinute);
}

}  // namespace
}  // namespace yuqing::drill
