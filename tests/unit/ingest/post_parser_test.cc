#include "ingest/post_parser.h"

#include <gtest/gtest.h>

namespace yuqing::ingest {

ParseDefaults D() { return {"weibo", 1000}; }

TEST(PostFromJsonText, ReadsAllFields) {
  auto r = PostFromJsonText(R"({"id":"p1","source":"news","channel":"头条","url":"http://x/1","title":"标题","text":"正文",
    "author":{"id":"u1","name":"张三","followers":"1.2万","verified":true,"location":"浙江 宁波"},
    "published_at":"2026-05-01T08:00:00+08:00","region":"宁波","metrics":{"reposts":3,"comments":"4","likes":5,"views":6},
    "parent":"p0","lang":"zh","vendor_score":0.7})", D());
  ASSERT_TRUE(r.ok) << r.error.reason;
  const Post& p = r.post;
  EXPECT_EQ(p.id, "p1");
  EXPECT_EQ(p.source, "news");
  EXPECT_EQ(p.author.followers, 12000);
  EXPECT_TRUE(p.author.verified);
  EXPECT_EQ(p.published_at, 1777593600000LL);
  EXPECT_EQ(p.metrics.comments, 4);
  EXPECT_EQ(p.parent, "p0");
  EXPECT_EQ(p.ingested_at, 1000);
  EXPECT_NE(p.extra_json.find("vendor_score"), std::string::npos);
}

TEST(PostFromJsonText, UnixSecondsAndDefaults) {
  auto r = PostFromJsonText(R"({"text":"hello","time":1777593600})", D());
  ASSERT_TRUE(r.ok);
  EXPECT_EQ(r.post.published_at, 1777593600000LL);
  EXPECT_EQ(r.post.source, "weibo");
  EXPECT_FALSE(r.post.id.empty());  // derived
  auto again = PostFromJsonText(R"({"text":"hello","time":1777593600})", D());
  EXPECT_EQ(again.post.id, r.post.id);  // stable
  auto nodate = PostFromJsonText(R"({"text":"hello"})", D());
  EXPECT_EQ(nodate.post.published_at, 1000);  // no date: the ingest time
}

TEST(PostFromJsonText, AuthorAsString) {
  auto r = PostFromJsonText(R"({"text":"x","user":"李四"})", D());
  ASSERT_TRUE(r.ok);
  EXPECT_EQ(r.post.author.name, "李四");
}

struct BadCase {
  const char* json;
  const char* code;
};

TEST(PostFromJsonText, RefusesBadRecordsWithReason) {
  const BadCase cases[] = {
      {R"({"id": "b1", "text": "no closing quote})", "bad_json"},
      {R"({"id": "b2", "source": "weibo"})", "missing_text"},
      {R"({"text": "   "})", "missing_text"},
      {R"({"text": "日期不对", "published_at": "yesterday-ish"})", "bad_date"},
      {R"({"text": "x", "author": {"followers": "many"}})", "bad_field"},
      {R"({"text": "x", "metrics": {"likes": -3}})", "bad_field"},
      {R"({"text": "x", "metrics": 5})", "bad_field"},
      {R"([1,2])", "bad_json"},
  };
  for (const auto& c : cases) {
    auto r = PostFromJsonText(c.json, D());
    EXPECT_FALSE(r.ok) << c.json;
    EXPECT_EQ(r.error.code, c.code) << c.json << " -> " << r.error.reason;
    EXPECT_FALSE(r.error.reason.empty());
  }
}

// Regression (issue 22): a record nested ~60,000 levels deep (under every size limit) crashed
// `yuqing ingest` with exit 139 whenever its file was read; it is quarantined as too_deep, in every
// place the nesting can hide.
TEST(PostFromJsonText, DeeplyNestedRecordsAreQuarantinedNotCrashing) {
  const std::string deep = std::string(60000, '[') + std::string(60000, ']');
  for (const std::string& line : {deep, "{\"text\":" + deep + "}", "{\"text\":\"x\",\"extra\":" + deep + "}",
                                  "{\"text\":\"x\",\"author\":{\"name\":" + deep + "}}"}) {
    auto r = PostFromJsonText(line, D());
    EXPECT_FALSE(r.ok);
    EXPECT_EQ(r.error.code, "too_deep") << r.error.reason;
  }
  std::string shallow = "{\"text\":\"x\",\"extra\":" + std::string(40, '[') + std::string(40, ']') + "}";
  EXPECT_TRUE(PostFromJsonText(shallow, D()).ok);
}

// Regression (CI fuzzing): a time or count beyond what an int64 holds was cast from double, which
// is undefined behaviour (UBSan stopped the fuzzer on 1.77753e+24 as published_at). Out-of-range
// numbers are quarantined with the field named; the largest plausible ones still pass.
TEST(PostFromJsonText, NumbersBeyondRangeAreQuarantined) {
  const BadCase cases[] = {
      {R"({"text": "x", "published_at": 1.77753e+24})", "bad_date"},
      {R"({"text": "x", "published_at": 18446744073709551615})", "bad_date"},
      {R"({"text": "x", "published_at": 9223372036854775807})", "bad_date"},
      {R"({"text": "x", "published_at": -99999999999999})", "bad_date"},
      {R"({"text": "x", "published_at": -5.5})", "bad_date"},
      {R"({"text": "x", "author": {"followers": 1e300}})", "bad_field"},
      {R"({"text": "x", "author_followers": "9e99万"})", "bad_field"},
      {R"({"text": "x", "metrics": {"reposts": 18446744073709551615}})", "bad_field"},
  };
  for (const auto& c : cases) {
    auto r = PostFromJsonText(c.json, D());
    EXPECT_FALSE(r.ok) << c.json;
    EXPECT_EQ(r.error.code, c.code) << c.json << " -> " << r.error.reason;
  }
  auto ok = PostFromJsonText(R"({"text": "x", "published_at": 1777593600.5, "author": {"followers": 3e8}})", D());
  ASSERT_TRUE(ok.ok) << ok.error.reason;
  EXPECT_EQ(ok.post.published_at, 1777593600500LL);
  EXPECT_EQ(ok.post.author.followers, 300000000);
}

TEST(PostFromJsonText, NumericTextIsAccepted) {
  // A number where text is expected is read as its digits (vendors export ids as text fields).
  auto r = PostFromJsonText(R"({"text": 12306})", D());
  EXPECT_TRUE(r.ok);
}

TEST(PostFromJsonText, Oversize) {
  std::string big(kMaxTextBytes + 10, 'a');
  auto r = PostFromJsonText("{\"text\":\"" + big + "\"}", D());
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.error.code, "oversize");
  std::string huge(kMaxRecordBytes + 1, ' ');
  EXPECT_EQ(PostFromJsonText(huge, D()).error.code, "oversize");
}

TEST(PostFromJsonText, BadJsonNamesThePosition) {
  auto r = PostFromJsonText(R"({"text": "a",,})", D());
  EXPECT_EQ(r.error.code, "bad_json");
  EXPECT_NE(r.error.reason.find("byte"), std::string::npos);
}

TEST(PostFromFields, DottedNamesAndRoundTrip) {
  auto r = PostFromFields({{"text", "内容"}, {"author.name", "王五"}, {"metrics.likes", "7"},
                           {"published_at", "2026-05-01 08:00"}},
                          D());
  ASSERT_TRUE(r.ok) << r.error.reason;
  EXPECT_EQ(r.post.author.name, "王五");
  EXPECT_EQ(r.post.metrics.likes, 7);
  auto back = PostFromJson(PostToJson(r.post), D());
  ASSERT_TRUE(back.ok);
  EXPECT_EQ(back.post.id, r.post.id);
  EXPECT_EQ(back.post.published_at, r.post.published_at);
  EXPECT_EQ(back.post.author.name, "王五");
}

// Found by the csv_reader fuzz target: a CSV field is raw bytes; a bad value that is not UTF-8
// must be quarantined with a readable reason, not throw from the reason's own formatting.
TEST(PostFromFields, BadValueThatIsNotUtf8IsQuarantinedNotThrown) {
  ParsedPost r;
  ASSERT_NO_THROW(r = PostFromFields({{"text", "内容"}, {"author_verified", "uhab\"\xf4"}}, D()));
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.error.code, "bad_field");
  EXPECT_NE(r.error.reason.find("author_verified"), std::string::npos);
  ASSERT_NO_THROW(r = PostFromFields({{"text", "内容"}, {"metrics.likes", std::string(200, '\xf4')}}, D()));
  EXPECT_FALSE(r.ok);
  EXPECT_LT(r.error.reason.size(), 200u);
}

}  // namespace yuqing::ingest
