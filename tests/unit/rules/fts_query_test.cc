#include "rules/fts_query.h"

#include <gtest/gtest.h>

#include "test_util.h"

namespace yuqing::rules {
namespace {

using testing::Norm;

std::string Fts(std::string_view q) {
  ParseError e;
  auto r = ToFtsMatch(q, *Norm(), &e);
  return r.ok() ? *r : "ERR " + std::to_string(e.column) + " " + e.en;
}

TEST(FtsQueryTest, SchemeOperatorsBecomeFtsOperators) {
  EXPECT_EQ(Fts("东湖 AND 停水"), R"(("东湖") AND ("停水"))");
  EXPECT_EQ(Fts("东湖 停水"), R"(("东湖") AND ("停水"))");
  EXPECT_EQ(Fts("东湖 OR 停水"), R"(("东湖") OR ("停水"))");
  EXPECT_EQ(Fts("东湖 NOT 演练"), R"((("东湖")) NOT ("演练"))");
  EXPECT_EQ(Fts("东湖 -演练"), R"((("东湖")) NOT ("演练"))");
  EXPECT_EQ(Fts("东湖 (停水 OR 断水)"), R"(("东湖") AND (("停水") OR ("断水")))");
  EXPECT_EQ(Fts("\"东湖 小区\""), "\"东湖 小区\"");
  EXPECT_EQ(Fts("停水 NEAR/5 东湖"), R"(NEAR("停水" "东湖", 5))");
  EXPECT_EQ(Fts("title:停水"), R"({title} : "停水")");
  EXPECT_EQ(Fts("text:(停水 OR 断水)"), R"(({text} : "停水") OR ({text} : "断水"))");
  // Normalised as schemes are: traditional → simplified.
  EXPECT_EQ(Fts("東湖"), "\"东湖\"");
}

TEST(FtsQueryTest, WhatSearchCannotRunIsAnErrorWithTheColumn) {
  EXPECT_EQ(Fts("((("), "ERR 4 expected a term, found the end of the query");
  EXPECT_EQ(Fts("author:张三").rfind("ERR 8 only title: and text:", 0), 0u) << Fts("author:张三");
  EXPECT_EQ(Fts("东湖 author.verified:true").rfind("ERR 4 author filters", 0), 0u) << Fts("东湖 author.verified:true");
  EXPECT_EQ(Fts("东湖 OR NOT 停水").rfind("ERR", 0), 0u);
  EXPECT_EQ(Fts("NOT 停水").rfind("ERR", 0), 0u);
}

}  // namespace
}  // namespace yuqing::rules
