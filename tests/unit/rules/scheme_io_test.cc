#include "rules/scheme_io.h"

#include <gtest/gtest.h>

namespace yuqing::rules {
namespace {

TEST(SchemeIoTest, YamlRoundTrip) {
  Scheme s;
  s.id = 3;
  s.name = "东湖自来水";
  s.query = "东湖 (停水 OR \"水质超标\")";
  s.exclude = {"广告", "招聘"};
  s.departments = {"客服部"};
  s.regions = {"湖北/武汉"};
  s.priority = 5;
  s.policy = R"({"level":"III","burst":{"window":"10m"}})";
  s.enabled = false;
  s.created_at = 1780000000000;
  s.updated_at = 1780000001000;
  for (const std::string& doc : {SchemesToYaml({s}), SchemesToJson({s})}) {
    auto back = ParseSchemesDocument(doc);
    ASSERT_TRUE(back.ok()) << back.status().ToString() << "\n" << doc;
    ASSERT_EQ(back->size(), 1u);
    const Scheme& b = (*back)[0];
    EXPECT_EQ(b.id, 3);
    EXPECT_EQ(b.name, s.name);
    EXPECT_EQ(b.query, s.query);
    EXPECT_EQ(b.exclude, s.exclude);
    EXPECT_EQ(b.departments, s.departments);
    EXPECT_EQ(b.regions, s.regions);
    EXPECT_EQ(b.priority, 5);
    EXPECT_FALSE(b.enabled);
    EXPECT_EQ(nlohmann::json::parse(b.policy), nlohmann::json::parse(s.policy));
    EXPECT_EQ(b.created_at, s.created_at);
  }
}

TEST(SchemeIoTest, HandWrittenYaml) {
  auto r = ParseSchemesDocument(R"(
- name: 铁路
  query: 12306 OR 铁路
  exclude: 广告
  policy:
    level: IV
- name: "quoted: yes"
  query: "\"列车晚点\""
  priority: 2
)");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->size(), 2u);
  EXPECT_EQ((*r)[0].query, "12306 OR 铁路");
  EXPECT_EQ((*r)[0].exclude, (std::vector<std::string>{"广告"}));
  EXPECT_EQ(nlohmann::json::parse((*r)[0].policy)["level"], "IV");
  EXPECT_EQ((*r)[1].name, "quoted: yes");
  EXPECT_EQ((*r)[1].query, "\"列车晚点\"");
}

TEST(SchemeIoTest, ErrorsNameTheProblem) {
  auto r = ParseSchemesDocument("- name: a\n");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("scheme 1: missing 'query'"), std::string::npos);
  r = ParseSchemesDocument("- name: a\n  query: b\n  priority: high\n");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("priority"), std::string::npos);
  EXPECT_FALSE(ParseSchemesDocument("[{").ok());
  EXPECT_FALSE(ParseSchemesDocument("42").ok());
}

}  // namespace
}  // namespace yuqing::rules
