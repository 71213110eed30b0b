#include <gtest/gtest.h>

#include "rules/query.h"
#include "test_util.h"

namespace yuqing::rules {
namespace {

using testing::Norm;

std::string Parse(std::string_view q) {
  auto r = ParseQuery(q, *Norm());
  return r.ok() ? ToString(r->root) : "ERR " + r.status().message();
}

ParseError Error(std::string_view q, const ParseOptions& opts = {}) {
  ParseError e;
  auto r = ParseQuery(q, *Norm(), opts, &e);
  EXPECT_FALSE(r.ok()) << q << " parsed as " << ToString(r->root);
  return e;
}

TEST(ParserTest, PrecedenceNotAndOr) {
  EXPECT_EQ(Parse("a OR b AND c"), "(a OR (b AND c))");
  EXPECT_EQ(Parse("a b OR c"), "((a AND b) OR c)");
  EXPECT_EQ(Parse("NOT a b"), "(NOT a AND b)");
  EXPECT_EQ(Parse("自来水 NOT 广告"), "(自来水 AND NOT 广告)");
  EXPECT_EQ(Parse("自来水 -广告"), "(自来水 AND NOT 广告)");
  EXPECT_EQ(Parse("(停水 OR 断水) 自来水公司"), "((停水 OR 断水) AND 自来水公司)");
  EXPECT_EQ(Parse("a AND (b OR c) AND -(d OR e)"), "(a AND (b OR c) AND NOT (d OR e))");
}

TEST(ParserTest, TermsAreNormalised) {
  EXPECT_EQ(Parse("鐵路 ＷＡＴＥＲ Refund"), "(铁路 AND water AND refund)");
  EXPECT_EQ(Parse("\"列車 晚點\""), "\"列车 晚点\"");
  EXPECT_EQ(Parse("“水质超标”"), "\"水质超标\"");
  EXPECT_EQ(Parse("（停水 OR 断水） 通知"), "((停水 OR 断水) AND 通知)");  // full-width parentheses
  EXPECT_EQ(Parse("covid-19 c++"), "(covid-19 AND c++)");
}

TEST(ParserTest, LowerCaseOperatorsAreWords) {
  EXPECT_EQ(Parse("water and power"), "(water AND and AND power)");
}

TEST(ParserTest, NearAndFields) {
  EXPECT_EQ(Parse("停水 NEAR/4 通知"), "(停水 NEAR/4 通知)");
  EXPECT_EQ(Parse("title:停水 text:\"水 质\""), "(title:停水 AND text:\"水 质\")");
  EXPECT_EQ(Parse("title:(停水 OR 断水)"), "(title:停水 OR title:断水)");
  EXPECT_EQ(Parse("source:weibo 停水 author.verified:true author.followers:>10000"),
            "(source:weibo AND 停水 AND author.verified:true AND author.followers:>10000)");
  EXPECT_EQ(Parse("停水 author.followers:<=5"), "(停水 AND author.followers:<=5)");
  EXPECT_EQ(Parse("停水 author.followers:> 7"), "(停水 AND author.followers:>7)");
  EXPECT_EQ(Parse("title:a NEAR/2 title:b"), "(title:a NEAR/2 title:b)");
  EXPECT_EQ(Parse("TITLE：停水"), "title:停水");  // full-width colon, field names fold case
}

TEST(ParserTest, ColumnsNameTheProblem) {
  auto e = Error("a (b OR c d e");
  EXPECT_EQ(e.column, 14);
  EXPECT_EQ(e.Message(false), "column 14: expected ')' to close '(' at column 3, found the end of the query");
  EXPECT_NE(e.Message(true).find("第 14 列"), std::string::npos);
  e = Error("停水 AND AND 通知");
  EXPECT_EQ(e.column, 8);
  EXPECT_NE(e.en.find("after 'AND' at column 4"), std::string::npos) << e.en;
  e = Error("(停水 OR");
  EXPECT_EQ(e.column, 7);
  e = Error("停水)");
  EXPECT_EQ(e.column, 3);
  e = Error("\"停水");
  EXPECT_NE(e.en.find("close the phrase opened at column 1"), std::string::npos) << e.en;
  e = Error("水质 \"\"");
  EXPECT_EQ(e.column, 4);
  e = Error("titel:停水");
  EXPECT_NE(e.en.find("unknown field"), std::string::npos);
  e = Error("停水 NEAR 通知");
  EXPECT_NE(e.en.find("NEAR/5"), std::string::npos);
  e = Error("(a OR b) NEAR/3 c");
  EXPECT_NE(e.en.find("left side"), std::string::npos);
  e = Error("a NEAR/3 b NEAR/3 c");
  EXPECT_NE(e.en.find("chained"), std::string::npos);
  e = Error("title:a NEAR/3 b");
  EXPECT_NE(e.en.find("same fields"), std::string::npos);
  e = Error("a - b");
  EXPECT_EQ(e.column, 3);
  e = Error("()");
  EXPECT_EQ(e.column, 1);
  e = Error("停水 author.verified:maybe");
  EXPECT_EQ(e.column, 20);
  e = Error("OR a");
  EXPECT_EQ(e.column, 1);
  e = Error("a \xff b");
  EXPECT_EQ(e.column, 3);
  EXPECT_NE(e.en.find("UTF-8"), std::string::npos);
}

TEST(ParserTest, PathologicalQueriesAreRejected) {
  EXPECT_EQ(Error("").column, 0);
  EXPECT_EQ(Error("   ").column, 0);
  EXPECT_NE(Error("-广告").en.find("none of its words"), std::string::npos);
  EXPECT_NE(Error("NOT a OR NOT b").en.find("none of its words"), std::string::npos);
  EXPECT_NE(Error("author.verified:true").en.find("none of its words"), std::string::npos);
  EXPECT_NE(Error("a OR author.verified:true").en.find("none of its words"), std::string::npos);
  EXPECT_EQ(Parse("NOT NOT a"), "NOT NOT a");  // double negation still requires a
  EXPECT_EQ(Parse("NOT (NOT a OR NOT b)"), "NOT (NOT a OR NOT b)");
  ParseOptions small;
  small.max_terms = 3;
  small.max_depth = 3;
  EXPECT_NE(Error("a b c d", small).en.find("more than 3 terms"), std::string::npos);
  EXPECT_NE(Error("((((a))))", small).en.find("nesting deeper"), std::string::npos);
  EXPECT_NE(Error("NOT NOT NOT NOT a", small).en.find("nesting deeper"), std::string::npos);
  std::string deep(5000, '(');
  EXPECT_NE(Error(deep).en.find("nesting deeper"), std::string::npos);
  EXPECT_NE(Error(std::string(70, 'x')).en.find("longer than 64"), std::string::npos);
  EXPECT_NE(Error(std::string(9000, 'x')).en.find("bytes"), std::string::npos);
}

TEST(ParserTest, BoundaryRules) {
  EXPECT_TRUE(NeedsBoundaryBefore("water"));
  EXPECT_TRUE(NeedsBoundaryAfter("12306"));
  EXPECT_FALSE(NeedsBoundaryBefore("停水"));
  EXPECT_TRUE(NeedsBoundaryBefore("iphone手机"));
  EXPECT_FALSE(NeedsBoundaryAfter("iphone手机"));
  EXPECT_FALSE(NeedsBoundaryAfter("c++"));
}

}  // namespace
}  // namespace yuqing::rules
